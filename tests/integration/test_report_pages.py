"""Rendered pages against the reference PNGs in docs/reports/, so layout changes are seen.

Set SAFETYCHECK_UPDATE_REFERENCES=1 to write new references after a deliberate layout change,
then look at them before committing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from support import ROOT, TickingClock

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode
from safetycheck.services.demo import create_demo
from safetycheck.services.reports import plan_report_for_visit, write_checklist_pdf, write_plan_pdf
from safetycheck.services.workspace import open_workspace

REFERENCES = ROOT / "docs" / "reports"
UPDATE = os.environ.get("SAFETYCHECK_UPDATE_REFERENCES") == "1"
DPI = "50"
MAX_CHANGED = 0.02  # share of pixels that may differ (font hinting, poppler versions)


def render_pages(pdf: Path, stem: str, pages: int) -> list[Path]:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            DPI,
            "-png",
            "-f",
            "1",
            "-l",
            str(pages),
            str(pdf),
            str(pdf.with_name(stem)),
        ],
        check=True,
    )
    return sorted(pdf.parent.glob(f"{stem}-*.png"))


def compare(rendered: list[Path], stem: str) -> None:
    references = sorted(REFERENCES.glob(f"{stem}-*.png"))
    assert rendered, "pdftoppm produced no pages"
    if not UPDATE:
        assert len(rendered) == len(references), "a page was lost or added"
    for number, page in enumerate(rendered, start=1):
        reference = REFERENCES / f"{stem}-{number}.png"
        if UPDATE:
            reference.write_bytes(page.read_bytes())
        assert reference.exists(), f"no reference {reference}; run with {UPDATE=}"
        with Image.open(page) as new, Image.open(reference) as old:
            assert new.size == old.size, f"{reference.name}: page size changed"
            difference = ImageChops.difference(new.convert("L"), old.convert("L"))
            changed = sum(difference.histogram()[41:])
            share = changed / (new.size[0] * new.size[1])
            assert share < MAX_CHANGED, f"{reference.name}: {share:.1%} of the page changed"
            dark = sum(new.convert("L").histogram()[:128])
            assert dark > 500, f"{page.name} is nearly blank"


def test_demo_plan_pages_match_the_references(tmp_path: Path, content: Content) -> None:
    ws = open_workspace(f"sqlite:///{tmp_path / 'db.sqlite3'}", content, clock=TickingClock())
    try:
        pdf = tmp_path / "plan.pdf"
        write_plan_pdf(plan_report_for_visit(ws, create_demo(ws)), pdf)
    finally:
        ws.close()
    compare(render_pages(pdf, "demo-plan", 3), "demo-plan")


@pytest.mark.parametrize("mode", [Mode.CAREGIVER, Mode.OT])
def test_blank_checklist_pages_match_the_references(
    tmp_path: Path, content: Content, mode: Mode
) -> None:
    pdf = tmp_path / "blank.pdf"
    write_checklist_pdf(content, mode, pdf)
    stem = f"blank-checklist-{mode.value}"
    compare(render_pages(pdf, stem, 2), stem)


@pytest.mark.parametrize("mode", [Mode.CAREGIVER, Mode.OT])
def test_blank_checklist_room_sheets_match_the_references(
    tmp_path: Path, content: Content, mode: Mode
) -> None:
    """The bathroom's sheets: the room header on each, the measurements (OT), the page code."""
    pdf = tmp_path / "blank.pdf"
    write_checklist_pdf(content, mode, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    numbers = [n for n, page in enumerate(text.split("\f"), 1) if page.startswith("Room: Bathroom")]
    assert numbers, "no bathroom sheet"
    rendered = []
    for n in numbers:
        stem = tmp_path / f"sheet-{n}"
        subprocess.run(
            ["pdftoppm", "-r", DPI, "-png", "-f", str(n), "-l", str(n), "-singlefile", pdf, stem],
            check=True,
        )
        rendered.append(stem.with_suffix(".png"))
    compare(rendered, f"blank-checklist-room-{mode.value}")


def test_demo_letter_first_page_matches_the_reference(tmp_path: Path, content: Content) -> None:
    from safetycheck.services.letters import letter_for_visit, write_letter_pdf

    ws = open_workspace(f"sqlite:///{tmp_path / 'db.sqlite3'}", content, clock=TickingClock())
    try:
        pdf = tmp_path / "letter.pdf"
        write_letter_pdf(letter_for_visit(ws, create_demo(ws)), pdf)
    finally:
        ws.close()
    compare(render_pages(pdf, "letter", 1), "letter")


def test_exercise_page_matches_the_reference(tmp_path: Path, content: Content) -> None:
    from dataclasses import replace

    from factories import make_assessment

    from safetycheck.domain.assessment import Prescription
    from safetycheck.domain.exercises import prescribed_exercises
    from safetycheck.services.letters import write_exercise_pdf

    assessment = replace(
        make_assessment(content, mode=Mode.OT),
        exercises=(
            Prescription("toe_lifts", "10 lifts, three times a day"),
            Prescription("ankle_alphabet"),
            Prescription("heel_walking"),
            Prescription("calf_stretch"),
        ),
    )
    pdf = tmp_path / "exercises.pdf"
    write_exercise_pdf(prescribed_exercises(content.exercises, assessment), pdf)
    compare(render_pages(pdf, "exercises", 1), "exercises")
