"""The letter for the doctor and the home exercise page, read back from the PDF: the command
line (`safetycheck letter`), its bad input, and the exercise page's content."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from factories import make_assessment
from support import EXAMPLES, assert_bad_input, cli

from safetycheck.content import Content
from safetycheck.domain.assessment import Assessor, Prescription
from safetycheck.domain.checklist import Mode
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.exercises import prescribed_exercises
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.domain.letter import build_doctor_letter
from safetycheck.services.letters import write_exercise_pdf, write_letter_pdf

SECTIONS = (
    "Warning signs (red flags)",
    "Requests for you",
    "About the person",
    "Fall-risk screen: Stay Independent (CDC STEADI)",
    "Falls risk level (World Falls Guidelines 2022)",
    "Falls since the last visit",
    "Walking and balance test",
    "What the home plan changes",
)


def pdf_text(path: Path, *extra: str) -> str:
    out = subprocess.run(
        ["pdftotext", *extra, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line for line in out.stdout.splitlines() if line.startswith("Pages:"))[6:])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    """A database with the demo person: (its URL, the newest visit's id, the folder)."""
    folder = tmp_path_factory.mktemp("letter")
    db = f"sqlite:///{folder / 'db.sqlite3'}"
    made = cli("demo", db=db)
    assert made.returncode == 0, made.stderr
    return db, made.stdout.strip(), folder


def test_the_demo_letter_holds_the_person_and_every_section(
    demo: tuple[str, str, Path], tmp_path: Path
) -> None:
    db, newest, _ = demo
    target = tmp_path / "letter.pdf"
    result = cli("letter", newest[:8], "-o", target, db=db)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    assert 1 <= pages(target) <= 2
    text = pdf_text(target)
    assert "To the person's doctor" in text
    assert "Re: José Álvarez (demo), born 1951" in text
    # The identifiers, with the visit's reference as `safetycheck list` shows it, and a line
    # for the number the program does not store.
    assert "Name Year of birth Visit date Visit reference" in text
    assert re.search(rf"José Álvarez \(demo\) 1951 \d+ [A-Z][a-z]+ \d{{4}} {newest[:12]} ", text)
    assert "NHS or other number:" in text
    assert "Dear Doctor," in text
    positions = [text.index(title) for title in SECTIONS]
    assert positions == sorted(positions)  # in the letter's order
    # The person's facts from the answers, and the requests worded for the doctor, numbered.
    assert "Foot drop: left side; cause as reported: back problem" in text
    assert "wears an ankle-foot orthosis (AFO)" in text
    assert "Feeling in the feet: some feeling lost, as reported." in text
    assert "Notes in the person's record, as written there: Sample person" in text
    assert "1. Please consider a multifactorial falls risk assessment (screened at risk" in text
    assert "2. Please review the sleep or mood medicine." in text
    assert "Ask the doctor" not in text
    assert "Score 4 of 14 on its 12 yes/no questions: 4 or more, so the person may be" in text
    assert "Stratified as intermediate risk" in text
    assert "Timed Up and Go: 16.5 s, impaired gait and balance" in text
    assert "Not asked at this visit (the last visit was on" in text  # no falls recorded
    assert "Yours sincerely," in text
    assert "Priya Nair" in text
    assert "Occupational therapist" in text
    assert "Letter for the doctor · José Álvarez (demo)" in text  # the footer
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "Helvetica" not in fonts  # every font used is embedded


def test_a_busy_visit_still_fits_two_pages(content: Content, tmp_path: Path) -> None:
    """Two warning signs, a high level with falls described, three requests, long names and
    an exercise sheet: still one or two pages, the requests on the first."""
    assessment = make_assessment(
        content,
        {
            "steadi.si.01": "yes",
            "person.fall.injured": "yes",
            "steadi.si.03": "yes",
            "person.rf.stroke": "yes",
            "person.rf.leg_new": "yes",
            "steadi.si.10": "yes",
            "person.vision": "poor",
            "person.medicines": "four_plus",
            "person.gait.tug": 19.0,
        },
        changes={
            ("room.floors.rugs", "r2"): "no",
            ("room.light.night_light", "r5"): "no",
            ("room.bath.mat", "r6"): "no",
        },
        mode=Mode.OT,
    )
    assessment = replace(
        assessment,
        person=replace(assessment.person, name="Fatima <b>&</b> Al-Rashid", notes="Lives alone."),
        assessor=Assessor(
            "Priya Nair",
            Mode.OT,
            "HCPC OT12345",
            "Northside Community Occupational Therapy",
            "020 7946 0000 · priya.nair@example.org",
        ),
        exercises=(Prescription("heel_walking", "6 steps, twice"), Prescription("toe_lifts")),
        falls=FallsSinceLastVisit(
            2,
            (
                Fall(
                    "2026-10",
                    "yes",
                    FallPlace.ROOM,
                    "r6",
                    "Bathroom",
                    "Slipped on the wet floor getting out of the shower at night; lay on the "
                    "floor for about an hour.",
                    Seen.HOSPITAL,
                ),
            ),
            since_date=date(2026, 8, 27),
        ),
    )
    built = build_doctor_letter(
        content, assessment, evaluate(content, assessment), today=date(2026, 12, 2)
    )
    target = tmp_path / "busy.pdf"
    assert write_letter_pdf(built, target) == []
    assert pages(target) <= 2
    first = pdf_text(target, "-f", "1", "-l", "1")
    assert "Requests for you" in first
    assert "4. Vision: poor even with glasses. Please consider an eye examination." in first
    assert "Yours sincerely," in pdf_text(target)


def test_the_letter_of_a_file(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    result = cli("letter", EXAMPLES / "foot-drop-afo-night.json", "-o", target)
    assert result.returncode == 0, result.stderr
    text = pdf_text(target)
    assert "Not recorded: this may be a first visit, or the falls were not asked." in text
    assert "Not yet settled: the level is between low and intermediate risk." in text


def test_a_protected_letter(demo: tuple[str, str, Path], tmp_path: Path) -> None:
    db, newest, _ = demo
    secret = tmp_path / "secret.txt"
    secret.write_text("correct horse battery\n", encoding="utf-8")
    target = tmp_path / "letter.pdf"
    result = cli("letter", newest, "-o", target, "--password-file", secret, db=db)
    assert result.returncode == 0, result.stderr
    locked = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True)
    assert locked.returncode != 0
    assert "Re: José Álvarez (demo)" in pdf_text(target, "-upw", "correct horse battery")


def test_an_unknown_visit_is_refused_and_nothing_is_written(
    demo: tuple[str, str, Path], tmp_path: Path
) -> None:
    db, _, _ = demo
    target = tmp_path / "letter.pdf"
    assert_bad_input(cli("letter", "ffffffff", "-o", target, db=db), "no assessment")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_file_and_a_missing_folder_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    assert_bad_input(cli("letter", tmp_path / "nope.json", "-o", target))
    assert not target.exists()
    assert_bad_input(
        cli("letter", EXAMPLES / "robust-cluttered-home.json", "-o", tmp_path / "no" / "x.pdf")
    )
    assert list(tmp_path.iterdir()) == []


def test_the_letter_never_replaces_the_database(demo: tuple[str, str, Path]) -> None:
    db, newest, folder = demo
    database = folder / "db.sqlite3"
    before = database.read_bytes()
    assert_bad_input(cli("letter", newest, "-o", database, db=db))
    assert database.read_bytes() == before


def test_a_letter_needs_an_output() -> None:
    assert_bad_input(cli("letter", "abcd"), "-o")


# ---- the home exercise page ------------------------------------------------------------------


def test_the_exercise_page_prints_only_what_was_prescribed(
    content: Content, tmp_path: Path
) -> None:
    assessment = replace(
        make_assessment(content, mode=Mode.OT),
        assessor=Assessor("Priya Nair", Mode.OT),
        exercises=(
            Prescription("heel_walking", "6 steps, twice, after lunch"),
            Prescription("toe_lifts"),
        ),
    )
    target = tmp_path / "exercises.pdf"
    warnings = write_exercise_pdf(prescribed_exercises(content.exercises, assessment), target)
    assert warnings == []
    assert pages(target) == 2  # the exercises, then the evening quick check
    first = pdf_text(target, "-f", "1", "-l", "1")
    assert "Home exercises for Test Person" in first
    assert "From the visit of 26 November 2026" in first
    assert first.index("1. Heel walking") < first.index("2. Toe lifts")  # the therapist's order
    for absent in ("Ankle alphabet", "Towel slides", "against a band", "Calf stretch"):
        assert absent not in first
    assert "How much: 6 steps, twice, after lunch" in first  # the dose as prescribed
    assert "How much: 10 lifts, twice a day" in first  # none given: the content's own
    assert "Only with support nearby: a counter to hold, or someone right beside you." in first
    assert "Check with your therapist before you start" in first
    assert first.count("Mon Tue Wed Thu Fri Sat Sun") == 2  # a week of boxes per exercise
    evening = pdf_text(target, "-f", "2", "-l", "2")
    assert "Evening quick check for Test Person" in evening
    for words in ("Walkways clear:", "Brace and skin checked:", "Night-lights on:"):
        assert words in evening
    assert "Shoes by the bed:" in evening


def test_six_exercises_fit_one_page(content: Content, tmp_path: Path) -> None:
    assessment = replace(
        make_assessment(content, mode=Mode.OT),
        exercises=tuple(Prescription(e.id) for e in content.exercises.exercises),
    )
    target = tmp_path / "six.pdf"
    write_exercise_pdf(prescribed_exercises(content.exercises, assessment), target)
    assert pages(target) == 2
    first = pdf_text(target, "-f", "1", "-l", "1")
    for number, exercise in enumerate(content.exercises.exercises, start=1):
        assert f"{number}. {exercise.name}" in first


def test_an_exercise_this_program_does_not_know_is_said(content: Content, tmp_path: Path) -> None:
    assessment = replace(
        make_assessment(content, mode=Mode.OT),
        exercises=(Prescription("hopping"), Prescription("calf_stretch")),
    )
    target = tmp_path / "unknown.pdf"
    warnings = write_exercise_pdf(prescribed_exercises(content.exercises, assessment), target)
    assert warnings == ["exercises this program does not know were left out: hopping"]
    assert "1. Calf stretch with a towel" in pdf_text(target, "-f", "1", "-l", "1")
