"""The home exercises: the content as shipped, checked at load, and the page of one person
(only what the therapist prescribed, in their order, with their dose)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from factories import make_assessment

from safetycheck.content import Content, ContentError, load_content
from safetycheck.domain.assessment import Prescription
from safetycheck.domain.checklist import SOURCE_CHECKS, Mode
from safetycheck.domain.exercises import WEEK_DAYS, prescribed_exercises
from safetycheck.domain.signoff import EXERCISE_IDS
from safetycheck.resources import data_dir

SIX = (
    "toe_lifts",
    "ankle_alphabet",
    "towel_slides",
    "band_dorsiflexion",
    "heel_walking",
    "calf_stretch",
)


def test_the_six_exercises_of_the_foot_drop_guidance_are_shipped(content: Content) -> None:
    exercises = content.exercises
    assert tuple(e.id for e in exercises.exercises) == SIX == EXERCISE_IDS
    known = {s.id for s in exercises.sources}
    for exercise in exercises.exercises:
        assert 2 <= len(exercise.how) <= 4, exercise.id
        assert exercise.name, exercise.id
        assert exercise.dose, exercise.id
        assert exercise.cautions, exercise.id
        assert exercise.sources, exercise.id
        assert set(exercise.sources) <= known, exercise.id
    for source in exercises.sources:
        assert source.checked in SOURCE_CHECKS, source.id
    assert any("therapist before you start" in line for line in exercises.cautions)


def test_heel_walking_is_only_with_support_nearby(content: Content) -> None:
    heel = content.exercises.exercise("heel_walking")
    assert heel is not None
    cautions = " ".join(heel.cautions)
    assert "Only with support nearby" in cautions
    assert "counter" in cautions
    assert "someone right beside you" in cautions


def test_the_evening_quick_check_holds_the_four_checks(content: Content) -> None:
    evening = content.exercises.evening
    text = " ".join(evening.items).lower()
    for words in (
        "walkways clear",
        "brace and skin checked",
        "night-lights on",
        "shoes by the bed",
    ):
        assert words in text
    assert len(evening.items) <= 6  # a short list


def test_only_what_was_prescribed_in_the_therapists_order_and_dose(content: Content) -> None:
    assessment = replace(
        make_assessment(content, mode=Mode.OT),
        exercises=(
            Prescription("calf_stretch", "20 seconds, twice, morning and evening"),
            Prescription("toe_lifts"),
            Prescription("calf_stretch", "once more"),  # a second time: printed once
            Prescription("hopping"),  # not in this content
        ),
    )
    sheet = prescribed_exercises(content.exercises, assessment)
    assert [(e.name, e.dose) for e in sheet.exercises] == [
        ("Calf stretch with a towel", "20 seconds, twice, morning and evening"),
        ("Toe lifts", "10 lifts, twice a day"),  # no dose given: the content's own
    ]
    assert sheet.unknown == ("hopping",)
    assert sheet.days == WEEK_DAYS == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert (sheet.person_name, sheet.visit_date) == (assessment.person.name, assessment.date)
    assert sheet.sources  # the sources of what is printed, by title
    nothing = prescribed_exercises(content.exercises, make_assessment(content))
    assert nothing.exercises == ()


# ---- checked at load -------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def broken(folder: Path, old: str, new: str) -> str:
    path = folder / "report" / "exercises.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value)


def test_an_unknown_key_is_refused(data_copy: Path) -> None:
    message = broken(data_copy, 'id = "toe_lifts"', 'id = "toe_lifts"\nreps = 10')
    assert "exercises.toml" in message
    assert "exercise 'toe_lifts'" in message
    assert "unknown key reps" in message


def test_an_unknown_source_is_refused(data_copy: Path) -> None:
    message = broken(data_copy, 'sources = ["ocats-ankle"]', 'sources = ["nowhere"]')
    assert "source 'nowhere' is not defined" in message


def test_a_missing_dose_is_refused(data_copy: Path) -> None:
    message = broken(data_copy, 'dose = "10 pulls, once a day"', "")
    assert "exercise 'band_dorsiflexion'" in message
    assert "'dose' is missing" in message


def test_how_must_be_a_few_sentences(data_copy: Path) -> None:
    line = (
        '  "Keep the foot flat and slide it forward, then back under the chair, as far as is '
        'comfortable.",\n'
    )
    message = broken(data_copy, line, "")
    assert "exercise 'towel_slides'" in message
    assert "'how' must hold 2 to 4 lines, not 1" in message


def test_a_duplicate_exercise_id_is_refused(data_copy: Path) -> None:
    assert "exercise id 'toe_lifts' is defined twice" in broken(
        data_copy, 'id = "ankle_alphabet"', 'id = "toe_lifts"'
    )
