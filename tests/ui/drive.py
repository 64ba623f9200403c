"""Drives the walkthrough through its real widgets, as a person would, for the GUI tests."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from safetycheck.domain.checklist import AnswerType
from safetycheck_ui.item_row import ItemRow
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.operations import Operations
from safetycheck_ui.step_page import StepPage
from safetycheck_ui.who_page import WhoPage
from safetycheck_ui.wizard import WalkthroughWizard

if TYPE_CHECKING:  # the benchmarks and the screenshot script use these helpers, without pytest
    from pytestqt.qtbot import QtBot

# A question that has just appeared ignores clicks for a moment (a double click must not answer
# it); scripted clicks come at machine speed, so every driver here clicks without that pause.
# tests/ui/test_guided.py tests the pause itself.
ItemsPage.SETTLE_SECONDS = 0.0


# A sample person for walkthroughs: foot drop on the left with an AFO, numb, unsteady, up twice
# a night; a loose rug and no night-light; backless slippers; no brace at night.
FOOT_DROP_AFO: dict[str, str | float] = {
    "steadi.si.03": "yes",
    "steadi.si.09": "yes",
    "person.fd.present": "yes",
    "person.fd.side": "left",
    "person.fd.cause": "back",
    "person.fd.brace": "afo",
    "person.fd.numbness": "yes",
    "person.night_toilet": "twice",
    "room.floors.rugs": "no",
    "room.light.night_light": "no",
    "footwear.indoor": "slippers_backless",
    "brace.night": "no",
}


def fill_who(wizard: WalkthroughWizard, name: str = "Rosa Martínez", ot: bool = False) -> None:
    page = wizard.currentPage()
    assert isinstance(page, WhoPage)
    page.new_name.setText(name)
    page.birth_year.setValue(1947)
    page.assessor.setText("Luis")
    (page.role_ot if ot else page.role_caregiver).click()


def answer_row(qtbot: QtBot | None, row: ItemRow, value: str | float) -> None:
    """Click the answer (with the mouse when there is a qtbot), or type the measurement; then
    wait until the row no longer says "Saving…" (the answer is written in the background)."""
    if row.item.type is AnswerType.MEASURE:
        assert row.spin is not None
        row.spin.setValue(float(value))
        row.spin.editingFinished.emit()
    else:
        button = row.value_buttons[str(value)]
        if qtbot is not None:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        else:
            button.click()
    wait_saved(qtbot, row)


def wait_saved(_qtbot: QtBot | None, row: ItemRow, timeout: float = 60.0) -> None:
    """Wait until every answer given on the row has been written (or refused).

    Blocks on the worker threads and then delivers their results, rather than polling every
    10 ms as qtbot.waitUntil does: a walkthrough gives over a hundred answers."""
    deadline = time.monotonic() + timeout
    while row.saving:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer was not written")
        row.ops.wait(50)
        QApplication.processEvents()


# Normal gait results (TUG at most 15 s, speed at least 0.8 m/s), as in tests/factories.py; this
# module is also imported by child processes that do not have tests/ on their path.
NORMAL_GAIT = {"person.gait.tug": 10.0, "person.gait.speed": 1.2}


def safe_value(row: ItemRow) -> str | float:
    """The answer that finds no problem (the same rule as tests/factories.py)."""
    item = row.item
    if item.id in NORMAL_GAIT:
        return NORMAL_GAIT[item.id]
    if item.type is not AnswerType.MEASURE:
        return item.safe_values[0] if item.safe_values else item.options[0].value
    low = item.hazard_below or 0.0
    high = item.hazard_above or low + 100
    return round((low + high) / 2)


def answer_page(
    qtbot: QtBot | None,
    page: ItemsPage,
    answers: dict[str, str | float],
    in_room: dict[tuple[str, str], str | float] | None = None,
) -> int:
    """Answer every question shown: `in_room[(room name, item)]`, else `answers[item]`, else
    safely. Rows that appear because of an answer (foot-drop follow-ups) are answered too.

    In the guided view, question by question as a person would: choosing an answer moves on
    to the next question; a measurement is typed and then Next pressed; it stops at the end
    card (the wizard's Next then leaves the page)."""
    room_name = ""
    if page.room_id is not None:
        session = page.walkthrough().session
        assert session is not None
        room_name = session.assessment.room(page.room_id).name
    answered: set[str] = set()
    count = 0
    while page.guided:
        row = page.current_row()
        if row is None:
            return count
        value = (in_room or {}).get(
            (room_name, row.item.id), answers.get(row.item.id, safe_value(row))
        )
        answer_row(qtbot, row, value)
        count += 1
        if page.current == row.item.id:  # a measurement, or an answer already there
            wizard = page.wizard()
            assert wizard is not None
            wizard.next()
        assert page.current != row.item.id, f"{row.item.id}: the walkthrough did not move on"
    while True:
        pending = [row for row in page.visible_rows() if row.item.id not in answered]
        if not pending:
            return count
        for row in pending:
            value = (in_room or {}).get(
                (room_name, row.item.id), answers.get(row.item.id, safe_value(row))
            )
            answer_row(qtbot, row, value)
            answered.add(row.item.id)
            count += 1


def walk_to_summary(
    qtbot: QtBot | None,
    wizard: WalkthroughWizard,
    answers: dict[str, str | float],
    in_room: dict[tuple[str, str], str | float] | None = None,
) -> list[str]:
    """Answer every page and press Next until the summary; returns the page keys seen."""
    seen = []
    while True:
        page = wizard.currentPage()
        assert isinstance(page, StepPage)
        seen.append(page.step.key)
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, answers, in_room)
        if wizard.nextId() == -1:
            return seen
        wizard.next()


def settle(ops: Operations, timeout: float = 30.0) -> None:
    """Let the background use cases return and their callbacks run (for scripts without a
    qtbot; the tests use qtbot.waitUntil(lambda: ops.idle))."""
    deadline = time.monotonic() + timeout
    while not ops.idle:
        if time.monotonic() > deadline:
            raise TimeoutError("the background work did not finish")
        ops.wait(50)
        QApplication.processEvents()
    QApplication.processEvents()


def wait_idle(qtbot: QtBot, ops: Operations, timeout: int = 30_000) -> None:
    """Wait until no use case runs and every change has been announced."""
    qtbot.waitUntil(lambda: ops.idle, timeout=timeout)
