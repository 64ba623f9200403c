"""Recommendations edited per visit on a real database (SQLite, and PostgreSQL when a server is
given), and the printed plan that says the edited words."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from safetycheck.domain.assessment import ActionKind
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.errors import ConflictError, InvalidInputError
from safetycheck.services.reports import plan_report_for_visit, write_plan_pdf
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace

MINE = "Sam clips the lamp cable to the skirting board on Saturday"


def cords(ws: Workspace, visit: str) -> visits.ActionView:
    return next(
        a
        for a in visits.list_actions(ws, visit)
        if a.item == "room.clutter.cords" and a.kind is ActionKind.HAZARD
    )


def flat_pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def test_an_edit_is_stored_checked_and_printed(ws: Workspace, tmp_path: Path) -> None:
    visit = create_demo(ws)
    action = cords(ws, visit)
    own = next(
        a for a in visits.evaluate_visit(ws, visit).plan.actions if a.item == action.item
    ).text
    with pytest.raises(InvalidInputError, match="not a choice for priority"):
        visits.edit_action(
            ws, action.id, text=MINE, priority="now", who=None, expected_version=action.version
        )
    edited = visits.edit_action(
        ws, action.id, text=MINE, priority="urgent", who="handyperson", expected_version=1
    )
    assert cords(ws, visit) == edited
    assert (edited.text, edited.priority, edited.who, edited.version) == (
        MINE,
        "urgent",
        "handyperson",
        2,
    )
    with pytest.raises(ConflictError):
        visits.edit_action(ws, action.id, text=None, priority=None, who=None, expected_version=1)
    assert cords(ws, visit) == edited
    # The snapshot carries the edit, and so does the plan read for the PDF.
    (status,) = [a for a in visits.load_assessment(ws, visit).actions if a.item == action.item]
    assert (status.text, status.priority, status.who) == (MINE, "urgent", "handyperson")
    target = tmp_path / "plan.pdf"
    write_plan_pdf(plan_report_for_visit(ws, visit), target)
    text = flat_pdf_text(target)
    assert MINE in text
    assert " ".join(own.split()) not in text


def test_an_edit_survives_scoring_the_finished_visit_again(ws: Workspace) -> None:
    visit = create_demo(ws)
    action = cords(ws, visit)
    edited = visits.edit_action(
        ws, action.id, text=MINE, priority=None, who="ot", expected_version=action.version
    )
    snapshot = visits.load_visit(ws, visit)
    bed_lamp = next(a for a in snapshot.assessment.answers if a.item == "room.light.bed_lamp")
    slot = (bed_lamp.item, bed_lamp.room)
    visits.record_answer(ws, visit, *slot, "yes", expected_version=snapshot.versions[slot])
    assert cords(ws, visit) == edited
    assert "room.light.bed_lamp" not in {a.item for a in visits.list_actions(ws, visit)}
    plan = visits.evaluate_visit(ws, visit).plan
    (shown,) = [a for a in plan.actions if a.item == action.item]
    assert (shown.text, shown.who.value) == (MINE, "ot")


def test_an_edit_travels_in_the_interchange_file(ws: Workspace) -> None:
    visit = create_demo(ws)
    action = cords(ws, visit)
    visits.edit_action(
        ws, action.id, text=MINE, priority="urgent", who=None, expected_version=action.version
    )
    copy = import_document(ws, export_document(ws, visit))
    moved = cords(ws, copy)
    assert (moved.text, moved.priority, moved.who) == (MINE, "urgent", None)
