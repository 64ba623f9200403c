"""The assessment file, format version 3: the assessor's credentials, organisation and contact,
the next review, and the home exercises prescribed; read exactly, written back the same, checked
field by field with their place; versions 1 and 2 still read (without them); newer refused."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import assessments
from support import EXAMPLES

from safetycheck.content import load_content
from safetycheck.domain.assessment import Assessment, Assessor, Prescription
from safetycheck.domain.checklist import Mode
from safetycheck.domain.signoff import EXERCISE_IDS
from safetycheck.exchange.assessment_json import (
    FORMAT_VERSION,
    assessment_from_document,
    assessment_to_document,
)
from safetycheck.exchange.errors import ExchangeError

CONTENT = load_content()
CHECKLIST = CONTENT.checklist
VISIT = date(2026, 11, 26)  # the example's date


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    assert document["format_version"] == FORMAT_VERSION == 4
    assert document["assessment"]["date"] == VISIT.isoformat()
    return document


def signed(**assessor: Any) -> dict[str, Any]:
    """The example as an OT's visit with a sign-off and two exercises."""
    document = example()
    meta = document["assessment"]
    meta["assessor"] = {
        "name": "Priya Nair",
        "role": "ot",
        "credentials": "HCPC OT12345",
        "organisation": "Northside Community OT",
        "contact": "priya.nair@example.org",
    } | assessor
    meta["next_review"] = "2027-02-26"
    document["exercises"] = [
        {"exercise": "heel_walking", "dose": "5 steps, holding the counter"},
        {"exercise": "toe_lifts", "dose": ""},
    ]
    return document


def refused(document: dict[str, Any]) -> str:
    with pytest.raises(ExchangeError) as caught:
        assessment_from_document(json.loads(json.dumps(document)), CHECKLIST)
    return str(caught.value)


def test_the_signoff_is_read_exactly_and_written_back_the_same() -> None:
    document = signed()
    assessment = assessment_from_document(document, CHECKLIST)
    assert assessment.assessor == Assessor(
        "Priya Nair", Mode.OT, "HCPC OT12345", "Northside Community OT", "priya.nair@example.org"
    )
    assert assessment.next_review == date(2027, 2, 26)
    assert assessment.exercises == (
        Prescription("heel_walking", "5 steps, holding the counter"),
        Prescription("toe_lifts", ""),
    )
    assert assessment_to_document(assessment) == document


def test_nothing_given_is_written_as_empty_and_null_and_no_exercises() -> None:
    assessment = assessment_from_document(example(), CHECKLIST)
    assessor = assessment.assessor
    assert (assessor.credentials, assessor.organisation, assessor.contact) == ("", "", "")
    assert (assessment.next_review, assessment.exercises) == (None, ())
    written = assessment_to_document(assessment)
    assert written["assessment"]["next_review"] is None
    assert "exercises" not in written
    assert written == example()


def test_the_details_and_the_exercises_may_be_left_out() -> None:
    document = signed()
    del document["exercises"]
    del document["assessment"]["next_review"]
    for key in ("credentials", "organisation", "contact"):
        del document["assessment"]["assessor"][key]
    assessment = assessment_from_document(document, CHECKLIST)
    assert assessment.assessor == Assessor("Priya Nair", Mode.OT)
    assert (assessment.next_review, assessment.exercises) == (None, ())
    document["assessment"]["next_review"] = None
    document["exercises"] = []
    assert assessment_from_document(document, CHECKLIST) == assessment


def at(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """The document with the value at a dotted path ("assessment.assessor.contact") replaced."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[int(last) if isinstance(target, list) else last] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("assessment.assessor.credentials", "x" * 201, "credentials: longer than 200 characters"),
        ("assessment.assessor.organisation", 7, "organisation: wrong type (int)"),
        (
            "assessment.assessor.contact",
            "020\n7946",
            "assessment.assessor.contact: the telephone or e-mail contains a control character",
        ),
        ("assessment.assessor.contact", "a\x00", "assessment.assessor.contact: contains a NUL"),
        ("assessment.next_review", "26/02/2027", "next_review: '26/02/2027' is not a date like"),
        ("assessment.next_review", "2027-02-30", "next_review: '2027-02-30' is not a date like"),
        ("assessment.next_review", 20270226, "assessment.next_review: wrong type (int)"),
        (
            "assessment.next_review",
            "2026-11-25",
            "assessment.next_review: the next review (2026-11-25) cannot be before the visit "
            "(2026-11-26)",
        ),
        ("assessment.next_review", "2099-01-01", "is more than 5 years after the visit"),
        ("exercises", {"toe_lifts": ""}, "exercises: wrong type (dict)"),
        ("exercises.0", "toe_lifts", "exercises[0]: expected an object, found str"),
        ("exercises.0.exercise", "cartwheels", "exercises[0].exercise: 'cartwheels' is not one"),
        ("exercises.1.exercise", "heel_walking", "exercises[1].exercise: 'heel_walking' is pre"),
        ("exercises.0.exercise", None, "exercises[0].exercise: missing"),
        ("exercises.1.dose", "d" * 201, "exercises[1].dose: longer than 200 characters"),
        ("exercises.1.dose", "10\ttimes", "exercises[1].dose: the dose of 'toe_lifts' contains"),
        ("exercises.0.reps", 10, "exercises[0]: unknown key 'reps'"),
        ("assessment.assessor.title", "Dr", "assessment.assessor: unknown key 'title'"),
    ],
)
def test_a_value_that_cannot_be_is_refused_with_its_place(
    path: str, value: Any, problem: str
) -> None:
    assert problem in refused(at(signed(), path, value))


def test_a_caregivers_visit_prescribes_nothing() -> None:
    document = signed(role="caregiver")
    document["assessment"]["mode"] = "caregiver"
    assert refused(document) == (
        "exercises: only an occupational therapist's visit can prescribe home exercises"
    )
    document["exercises"] = []
    assert assessment_from_document(document, CHECKLIST).exercises == ()


def test_the_exercises_are_checked_against_the_list_given() -> None:
    document = signed()
    problem = "exercises[1].exercise: 'toe_lifts' is not one of the home exercises (heel_walking)"
    with pytest.raises(ExchangeError, match=re.escape(problem)):
        assessment_from_document(document, CHECKLIST, ["heel_walking"])


def test_the_contents_exercises_are_the_readers() -> None:
    """The one list a file is read against without the content is the content's own list."""
    assert tuple(exercise.id for exercise in CONTENT.exercises.exercises) == EXERCISE_IDS


# ---- older and newer files ---------------------------------------------------------------------


def older(document: dict[str, Any], version: int) -> dict[str, Any]:
    """The document as a version 2 (or 1) file: without what version 3 added."""
    old = copy.deepcopy(document)
    old["format_version"] = version
    old.pop("exercises", None)
    old["assessment"].pop("next_review", None)
    for key in ("credentials", "organisation", "contact"):
        old["assessment"]["assessor"].pop(key, None)
    if version < 2:
        old.pop("falls_since_last_visit", None)
    return old


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_reads_with_no_signoff_details_and_no_exercises(version: int) -> None:
    document = older(signed(), version)
    assessment = assessment_from_document(document, CHECKLIST)
    assert assessment.assessor == Assessor("Priya Nair", Mode.OT)
    assert (assessment.next_review, assessment.exercises) == (None, ())
    written = assessment_to_document(assessment)
    assert written["format_version"] == FORMAT_VERSION
    assert older(written, version) == document  # nothing else changed on the way


@pytest.mark.parametrize(
    ("path", "value", "place"),
    [
        ("assessment.assessor.credentials", "", "assessment.assessor.credentials"),
        ("assessment.assessor.contact", "x", "assessment.assessor.contact"),
        ("assessment.next_review", None, "assessment.next_review"),
        ("exercises", [], "exercises"),
    ],
)
@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_cannot_hold_what_version_3_added(
    version: int, path: str, value: Any, place: str
) -> None:
    document = at(older(signed(), version), path, value)
    assert refused(document) == (
        f"{place}: not part of format version {version} (added in version 3)"
    )


def test_a_version_5_file_is_refused() -> None:
    assert refused({**signed(), "format_version": 5}) == (
        "format_version: 5 is newer than this program reads (4); update safetycheck"
    )


# ---- generated: any sign-off, any prescription, through the file and back ---------------------

ONE_LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@st.composite
def with_generated_signoff(draw: st.DrawFn) -> Assessment:
    assessment = draw(assessments(CONTENT))
    role = assessment.assessor.role
    chosen = draw(st.lists(st.sampled_from(EXERCISE_IDS), unique=True, max_size=6))
    return replace(
        assessment,
        assessor=Assessor(
            assessment.assessor.name, role, draw(ONE_LINE), draw(ONE_LINE), draw(ONE_LINE)
        ),
        next_review=draw(
            st.one_of(
                st.none(), st.dates(assessment.date, assessment.date + timedelta(days=4 * 365))
            )
        ),
        exercises=tuple(Prescription(exercise, draw(ONE_LINE)) for exercise in chosen)
        if role is Mode.OT
        else (),
    )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(with_generated_signoff())
def test_any_signoff_comes_back_as_it_went(assessment: Assessment) -> None:
    text = json.dumps(assessment_to_document(assessment), ensure_ascii=False)
    assert assessment_from_document(json.loads(text), CHECKLIST) == assessment
