"""The plan's sign-off and the home exercises on real databases (SQLite and PostgreSQL): stored
as given, read with the visit, replaced whole, refused whole, gone with their visit and back with
an undo, carried forward to the same assessor's next visit, and through export and import
(format version 3) exactly."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.assessment import Prescription
from safetycheck.domain.checklist import Mode
from safetycheck.domain.signoff import EXERCISE_IDS, SignOff
from safetycheck.services import assessments as visits
from safetycheck.services import removal, signoff
from safetycheck.services.errors import InvalidInputError, NotFoundError
from safetycheck.services.people import create_person, list_people
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace, open_workspace

DAY = date(2026, 11, 20)
DETAILS = SignOff("HCPC OT12345 · MSc OT", "Northside Community OT, Ward 7", "ot@example.org")
PRESCRIBED = (
    Prescription("heel_walking", "5 steps holding the counter"),
    Prescription("toe_lifts", "10 lifts, twice a day"),
    Prescription("calf_stretch", ""),
)


def ot_visit(ws: Workspace, name: str = "Ada Byrne", when: date = DAY) -> visits.AssessmentInfo:
    person = create_person(ws, name, 1946)
    return visits.start_assessment(ws, person.id, "Carol Reyes", Mode.OT, Mode.OT, when)


def rows(ws: Workspace, table: str, visit_id: str) -> int:
    assert ws.database is not None
    with ws.database.engine.connect() as connection:
        found = connection.execute(
            text(f"SELECT count(*) FROM {table} WHERE assessment_id = :id"), {"id": visit_id}
        )
        return int(found.scalar_one())


@contextmanager
def selects(ws: Workspace) -> Iterator[list[str]]:
    """The SELECT statements run inside the block."""
    assert ws.database is not None
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(ws.database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ws.database.engine, "before_cursor_execute", record)


def test_the_signoff_and_the_exercises_are_stored_and_read_with_the_visit(ws: Workspace) -> None:
    info = ot_visit(ws)
    review = DAY + timedelta(days=90)
    stored = signoff.set_signoff(
        ws, info.id, DETAILS.credentials, DETAILS.organisation, DETAILS.contact, review
    )
    assert stored == replace(DETAILS, next_review=review)
    assert signoff.set_exercises(ws, info.id, PRESCRIBED) == PRESCRIBED
    assessment = visits.load_assessment(ws, info.id)
    assert (assessment.assessor.name, assessment.assessor.role) == ("Carol Reyes", Mode.OT)
    assert assessment.assessor.credentials == "HCPC OT12345 · MSc OT"
    assert assessment.assessor.organisation == "Northside Community OT, Ward 7"
    assert assessment.assessor.contact == "ot@example.org"
    assert assessment.next_review == review
    assert assessment.exercises == PRESCRIBED  # the therapist's order, not the content's
    view = signoff.read_signoff(ws, info.id)
    assert (view.signoff, view.exercises, view.prescribes) == (stored, PRESCRIBED, True)

    # Replaced whole, in the new order; cleared.
    fewer = (Prescription("toe_lifts", "5 lifts"), Prescription("heel_walking", ""))
    signoff.set_exercises(ws, info.id, fewer)
    assert visits.load_assessment(ws, info.id).exercises == fewer
    assert rows(ws, "prescribed_exercises", info.id) == 2
    signoff.set_exercises(ws, info.id, [])
    assert visits.load_assessment(ws, info.id).exercises == ()
    assert rows(ws, "prescribed_exercises", info.id) == 0

    # One part at a time keeps the other.
    signoff.set_next_review(ws, info.id, None)
    assert signoff.read_signoff(ws, info.id).signoff == DETAILS
    signoff.set_assessor_details(ws, info.id, "", "Southside OT", "")
    signoff.set_next_review(ws, info.id, DAY)  # the visit's own day is allowed
    assert signoff.read_signoff(ws, info.id).signoff == SignOff("", "Southside OT", "", DAY)


def test_a_finished_visit_takes_them_and_keeps_its_result(ws: Workspace) -> None:
    info = ot_visit(ws)
    finished = visits.finish_assessment(ws, info.id)
    before = visits.get_info(ws, info.id)
    signoff.set_signoff(ws, info.id, "Reg 1", "", "", None)
    signoff.set_exercises(ws, info.id, PRESCRIBED[:1])
    after = visits.get_info(ws, info.id)
    assert (after.status, after.level, after.score, after.version) == (
        before.status,
        before.level,
        before.score,
        before.version,
    )
    assert visits.evaluate_visit(ws, info.id).result == finished.result


def test_what_is_typed_is_tidied_to_one_line(ws: Workspace) -> None:
    info = ot_visit(ws)
    stored = signoff.set_signoff(ws, info.id, "  OT\tReg\n 123 ", " ", "a  b", None)
    assert stored == SignOff("OT Reg 123", "", "a b", None)
    exercises = signoff.set_exercises(ws, info.id, [Prescription("toe_lifts", " 10\n twice ")])
    assert exercises == (Prescription("toe_lifts", "10 twice"),)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"credentials": "x" * 201}, "The credentials or registration number can be at most 200"),
        ({"organisation": "o" * 201}, "The organisation can be at most 200 characters."),
        ({"contact": "a\x00b"}, "The telephone or e-mail contains a control character"),
        ({"contact": "\ud800"}, "The telephone or e-mail contains something that is not text."),
        ({"next_review": DAY - timedelta(days=1)}, "cannot be before the visit (2026-11-20)"),
        ({"next_review": date(2036, 11, 20)}, "is more than 5 years after the visit"),
    ],
)
def test_a_refused_signoff_changes_nothing(
    ws: Workspace, change: dict[str, Any], problem: str
) -> None:
    info = ot_visit(ws)
    signoff.set_signoff(ws, info.id, "Reg 1", "Org", "Tel", DAY)
    wanted = replace(SignOff("Reg 1", "Org", "Tel", DAY), **change)
    with pytest.raises(InvalidInputError, match=re.escape(problem)):
        signoff.set_signoff(
            ws,
            info.id,
            wanted.credentials,
            wanted.organisation,
            wanted.contact,
            wanted.next_review,
        )
    assert signoff.read_signoff(ws, info.id).signoff == SignOff("Reg 1", "Org", "Tel", DAY)


@pytest.mark.parametrize(
    ("prescriptions", "problem"),
    [
        ([Prescription("cartwheels")], "'cartwheels' is not one of the home exercises"),
        (
            [Prescription("toe_lifts"), Prescription("toe_lifts", "again")],
            "'toe_lifts' is prescribed twice.",
        ),
        ([Prescription("toe_lifts", "d" * 201)], "The dose of 'toe_lifts' can be at most 200"),
        ([Prescription("toe_lifts", 10)], "The dose of 'toe_lifts' must be text, not int."),  # type: ignore[arg-type]
        (["toe_lifts"], "A home exercise is not a prescription."),
        ("toe_lifts", "The home exercises must be a list."),
    ],
)
def test_a_refused_prescription_changes_nothing(
    ws: Workspace, prescriptions: Any, problem: str
) -> None:
    info = ot_visit(ws)
    signoff.set_exercises(ws, info.id, PRESCRIBED)
    with pytest.raises(InvalidInputError, match=re.escape(problem)):
        signoff.set_exercises(ws, info.id, prescriptions)
    assert visits.load_assessment(ws, info.id).exercises == PRESCRIBED


def test_only_a_therapists_visit_prescribes(ws: Workspace) -> None:
    person = create_person(ws, "Ben Okafor")
    info = visits.start_assessment(ws, person.id, "Ann", Mode.CAREGIVER, Mode.CAREGIVER)
    with pytest.raises(InvalidInputError, match="Only an occupational therapist's visit"):
        signoff.set_exercises(ws, info.id, PRESCRIBED[:1])
    assert signoff.set_exercises(ws, info.id, []) == ()  # none is always allowed
    assert signoff.read_signoff(ws, info.id).prescribes is False
    with pytest.raises(NotFoundError):
        signoff.set_exercises(ws, "nope", [])
    with pytest.raises(NotFoundError):
        signoff.set_signoff(ws, "nope", "", "", "", None)


def test_every_exercise_of_the_content_can_be_prescribed(ws: Workspace) -> None:
    choices = signoff.exercise_choices(ws)
    assert tuple(choice.id for choice in choices) == EXERCISE_IDS  # one list, never two
    assert all(choice.name and choice.default_dose for choice in choices)
    info = ot_visit(ws)
    every = tuple(Prescription(choice.id, choice.default_dose) for choice in choices)
    assert signoff.set_exercises(ws, info.id, every) == every


def test_they_are_on_disk_when_the_call_returns(
    ws: Workspace, db_url: str, content: Content
) -> None:
    info = ot_visit(ws)
    signoff.set_signoff(ws, info.id, "Reg 1", "", "", DAY)
    signoff.set_exercises(ws, info.id, PRESCRIBED[:2])
    other = open_workspace(db_url, content, clock=TickingClock())  # another connection
    try:
        seen = visits.load_assessment(other, info.id)
    finally:
        other.close()
    assert (seen.assessor.credentials, seen.next_review, seen.exercises) == (
        "Reg 1",
        DAY,
        PRESCRIBED[:2],
    )


def test_reading_the_visit_costs_no_statement_more(ws: Workspace) -> None:
    info = ot_visit(ws)

    def snapshot_selects() -> int:
        with ws.unit_of_work(read_only=True) as uow, selects(ws) as seen:
            assert uow.visits.snapshot(info.id) is not None
        return len(seen)

    plain = snapshot_selects()
    signoff.set_exercises(ws, info.id, PRESCRIBED)
    signoff.set_signoff(ws, info.id, "Reg 1", "Org", "Tel", DAY)
    assert snapshot_selects() == plain  # the exercises come with the visit's own row


def test_the_exercises_go_with_their_visit_and_come_back_with_an_undo(ws: Workspace) -> None:
    info = ot_visit(ws)
    signoff.set_signoff(ws, info.id, "Reg 1", "Org", "Tel", DAY)
    signoff.set_exercises(ws, info.id, PRESCRIBED)
    before = visits.load_assessment(ws, info.id)
    gone = removal.delete_visit(ws, info.id)
    assert rows(ws, "prescribed_exercises", info.id) == 0
    removal.restore(ws, gone)
    again = visits.load_assessment(ws, info.id)
    assert (again.assessor, again.next_review, again.exercises) == (
        before.assessor,
        before.next_review,
        before.exercises,
    )
    assert ws.database is not None
    with ws.database.engine.begin() as connection:  # the foreign key cascades
        connection.execute(text("DELETE FROM people WHERE id = :id"), {"id": info.person_id})
    assert rows(ws, "prescribed_exercises", info.id) == 0


# ---- the next visit of the same assessor starts with their details -----------------------------


def test_a_new_visit_starts_with_the_assessors_details(ws: Workspace) -> None:
    first = ot_visit(ws)
    signoff.set_signoff(
        ws, first.id, DETAILS.credentials, DETAILS.organisation, DETAILS.contact, DAY
    )
    # Another person, the same OT: typed once.
    ben = create_person(ws, "Ben Okafor")
    second = visits.start_assessment(ws, ben.id, "  Carol   Reyes ", Mode.OT, Mode.OT)
    assert signoff.read_signoff(ws, second.id).signoff == DETAILS  # no next review carried
    new = visits.start_assessment_for_new_person(
        ws, "Cleo Diaz", None, "Carol Reyes", Mode.OT, Mode.OT
    )
    assert signoff.read_signoff(ws, new.id).signoff == DETAILS
    assert signoff.assessor_details(ws, "Carol Reyes", Mode.OT) == DETAILS
    # Someone else, or the same name as a caregiver: nothing carried.
    other = visits.start_assessment(ws, ben.id, "Dan Ito", Mode.OT, Mode.OT)
    as_family = visits.start_assessment(ws, ben.id, "Carol Reyes", Mode.CAREGIVER, Mode.CAREGIVER)
    assert signoff.read_signoff(ws, other.id).signoff == SignOff()
    assert signoff.read_signoff(ws, as_family.id).signoff == SignOff()
    assert signoff.assessor_details(ws, "", Mode.OT) == SignOff()


def test_details_given_at_the_start_are_used_as_given(ws: Workspace) -> None:
    first = ot_visit(ws)
    signoff.set_signoff(ws, first.id, "Old reg", "Old org", "Old tel", None)
    ben = create_person(ws, "Ben Okafor")
    given = SignOff(" New  reg ", "", "", date(2030, 1, 1))
    second = visits.start_assessment(ws, ben.id, "Carol Reyes", Mode.OT, Mode.OT, details=given)
    # Tidied; an empty one stays empty (the OT cleared it); a visit starts with no review.
    assert signoff.read_signoff(ws, second.id).signoff == SignOff("New reg", "", "", None)
    with pytest.raises(InvalidInputError, match="The organisation can be at most 200"):
        visits.start_assessment(
            ws, ben.id, "Carol Reyes", Mode.OT, Mode.OT, details=SignOff("", "o" * 201)
        )
    people = len(list_people(ws).items)
    with pytest.raises(InvalidInputError, match="The telephone or e-mail contains"):
        visits.start_assessment_for_new_person(
            ws, "Cleo", None, "Carol", Mode.OT, Mode.OT, details=SignOff(contact="\ud800")
        )
    assert len(list_people(ws).items) == people  # nobody left behind


def test_the_newest_visit_with_details_is_the_one_carried(ws: Workspace) -> None:
    """A visit of the same assessor without any (started before they were typed, or read from
    an older file) does not hide those given at an earlier one."""
    first = ot_visit(ws, when=DAY - timedelta(days=30))
    signoff.set_signoff(ws, first.id, "Reg 1", "", "", None)
    later = ot_visit(ws, "Ben Okafor", DAY)
    signoff.set_signoff(ws, later.id, "", "", "", None)
    assert signoff.assessor_details(ws, "Carol Reyes", Mode.OT) == SignOff("Reg 1")
    signoff.set_signoff(ws, later.id, "Reg 2", "", "", None)
    assert signoff.assessor_details(ws, "Carol Reyes", Mode.OT) == SignOff("Reg 2")


# ---- export and import ---------------------------------------------------------------------------


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by its order of first appearance, no export time."""
    ids: dict[str, int] = {}
    text_ = json.dumps({k: v for k, v in document.items() if k != "exported_at"}, sort_keys=True)
    return json.loads(
        re.sub(r'"[0-9a-f]{32}"', lambda m: f'"id{ids.setdefault(m.group(0), len(ids))}"', text_)
    )


def test_export_import_export_keeps_the_signoff_and_the_exercises(ws: Workspace) -> None:
    info = ot_visit(ws)
    signoff.set_signoff(ws, info.id, "Reg 1 «Ω»", "Org <b>", "+44 20 7946 0000", DAY)
    signoff.set_exercises(ws, info.id, PRESCRIBED)
    visits.finish_assessment(ws, info.id)
    before = export_document(ws, info.id)
    assert before["format_version"] == 4
    assert before["assessment"]["assessor"] == {
        "name": "Carol Reyes",
        "role": "ot",
        "credentials": "Reg 1 «Ω»",
        "organisation": "Org <b>",
        "contact": "+44 20 7946 0000",
    }
    assert before["assessment"]["next_review"] == "2026-11-20"
    assert before["exercises"] == [{"exercise": p.exercise, "dose": p.dose} for p in PRESCRIBED]
    document = json.loads(json.dumps(before))
    document["person"]["id"] = "p-copy"
    copy = import_document(ws, document)
    after = export_document(ws, copy)
    after["person"]["id"] = before["person"]["id"]
    assert normalised(after) == normalised(before)
    assert visits.load_assessment(ws, copy).exercises == PRESCRIBED


def test_an_import_with_a_bad_prescription_writes_nothing(ws: Workspace) -> None:
    info = ot_visit(ws)
    signoff.set_exercises(ws, info.id, PRESCRIBED)
    document = export_document(ws, info.id)
    document["person"]["id"] = "p-new"
    document["exercises"][2]["exercise"] = "cartwheels"
    people = len(list_people(ws).items)
    with pytest.raises(Exception, match=r"exercises\[2\]\.exercise: 'cartwheels' is not one"):
        import_document(ws, document)
    assert len(list_people(ws).items) == people
