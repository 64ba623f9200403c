"""Answering while another program holds the database: the window keeps working, the row says
"Saving…" until the answer is on disk and "Saved" only then, a second answer to the same
question is neither lost nor put before the first, and closing the walkthrough waits."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from drive import fill_who, wait_idle, wait_saved
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from recorders import MessageBoxes

from safetycheck.services import assessments as visits
from safetycheck.services.workspace import Workspace
from safetycheck_ui.item_row import ItemRow
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton
HOLD_MS = 3000  # long enough that a loaded machine still shows the window working meanwhile


class WriteLock:
    """Another program's connection holding the SQLite write lock (as a large import does)."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.released_at: float | None = None

    def take(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.released_at = time.monotonic()

    def close(self) -> None:
        if self.connection.in_transaction:
            self.release()
        self.connection.close()


class Ticks:
    """A timer on the GUI thread: it only fires while the event loop runs (the window is not
    frozen)."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.count += 1


@pytest.fixture
def lock(gui_ws: Workspace) -> Iterator[WriteLock]:
    assert gui_ws.database is not None
    path = gui_ws.database.sqlite_path
    assert path is not None
    held = WriteLock(path)
    yield held
    held.close()


@pytest.fixture
def wizard(qtbot: QtBot, gui_ws: Workspace, boxes: MessageBoxes) -> Iterator[WalkthroughWizard]:
    """The person page of a new walkthrough. A message box would wait for a click that never
    comes: they are recorded, and there must be none."""
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    walkthrough = window.new_walkthrough(None)
    fill_who(walkthrough)
    next_button = walkthrough.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    qtbot.mouseClick(next_button, LEFT)
    assert walkthrough.session is not None
    wait_idle(qtbot, walkthrough.ops)  # the resume point is written: nothing waits
    yield walkthrough
    assert boxes.shown == []


def first_rows(wizard: WalkthroughWizard) -> tuple[ItemsPage, ItemRow, ItemRow]:
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    rows = [row for row in page.visible_rows() if "yes" in row.value_buttons]
    return page, rows[0], rows[1]


def stored(gui_ws: Workspace, visit: str, item: str, room: str | None) -> object:
    """What the database holds now (a read never waits for the writer's lock)."""
    answer = visits.load_assessment(gui_ws, visit).answer(item, room)
    return None if answer is None else answer.value


def visit_of(wizard: WalkthroughWizard) -> str:
    assert wizard.session is not None
    return wizard.session.assessment_id


def test_answering_while_another_program_holds_the_database(
    qtbot: QtBot, gui_ws: Workspace, wizard: WalkthroughWizard, lock: WriteLock
) -> None:
    page, row, other = first_rows(wizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    ticks = Ticks()
    lock.take()
    held = time.monotonic()  # before the release is planned: it comes HOLD_MS after this
    QTimer.singleShot(HOLD_MS, lock.release)
    ticks.timer.start()
    clicked = time.monotonic()
    qtbot.mouseClick(row.value_buttons["yes"], LEFT)
    # The click returned at once; the row says what is happening, never "Saved" yet.
    assert time.monotonic() - clicked < 1.0
    assert row.status.text() == "Saving…"
    assert row.value_buttons["yes"].isChecked()  # what was pressed, while it is saved
    qtbot.mouseClick(row.value_buttons["no"], LEFT)  # changed the answer: queued behind it
    qtbot.mouseClick(other.value_buttons["yes"], LEFT)  # and another question meanwhile
    assert row.value_buttons["no"].isChecked()
    assert (row.status.text(), other.status.text()) == ("Saving…", "Saving…")
    assert not next_button.isEnabled()  # the questions an answer brings in are not there yet
    # The window keeps working while the writer waits for the lock.
    qtbot.waitUntil(lambda: ticks.count >= 10, timeout=HOLD_MS)
    assert lock.released_at is None
    assert row.status.text() == "Saving…"
    visit = visit_of(wizard)
    assert stored(gui_ws, visit, row.item.id, row.room) is None  # indeed nothing on disk yet
    wait_saved(qtbot, row)
    wait_saved(qtbot, other)
    ticks.timer.stop()
    assert lock.released_at is not None  # saved only after the other program let go
    # The release runs on a coarse Qt timer, which may fire up to 5 % early.
    assert time.monotonic() - held >= 0.9 * HOLD_MS / 1000
    assert ticks.count >= 20  # it kept firing throughout (60 in 3 s unloaded): never froze
    # The last answer given is the one stored, the row says so, and Next is back.
    assert row.status.text() == "✓ Saved"
    assert row.value_buttons["no"].isChecked()
    assert not row.value_buttons["yes"].isChecked()
    assert stored(gui_ws, visit, row.item.id, row.room) == "no"
    assert stored(gui_ws, visit, other.item.id, other.room) == "yes"
    assert wizard.session is not None
    answer = wizard.session.answer(row.item.id, row.room)
    assert answer is not None
    assert answer.value == "no"
    assert next_button.isEnabled()
    assert page.isComplete()


def test_a_note_while_the_database_is_held_is_saved_with_its_answer(
    qtbot: QtBot, gui_ws: Workspace, wizard: WalkthroughWizard, lock: WriteLock
) -> None:
    _page, row, _other = first_rows(wizard)
    lock.take()
    QTimer.singleShot(HOLD_MS, lock.release)
    qtbot.mouseClick(row.value_buttons["yes"], LEFT)
    row.note.setText("fell in the garden")  # typed while the answer is still being saved
    row.note.editingFinished.emit()
    assert row.status.text() == "Saving…"  # not "Choose an answer to save the note with it"
    wait_saved(qtbot, row)
    assert wizard.session is not None
    saved = visits.load_assessment(gui_ws, wizard.session.assessment_id).answer(
        row.item.id, row.room
    )
    assert saved is not None
    assert (saved.value, saved.note) == ("yes", "fell in the garden")
    assert row.status.text() == "✓ Saved"


def test_closing_the_walkthrough_waits_for_the_answer_being_saved(
    qtbot: QtBot, gui_ws: Workspace, wizard: WalkthroughWizard, lock: WriteLock
) -> None:
    _page, row, _other = first_rows(wizard)
    visit, item, room = visit_of(wizard), row.item.id, row.room
    lock.take()
    QTimer.singleShot(HOLD_MS, lock.release)
    qtbot.mouseClick(row.value_buttons["yes"], LEFT)
    close = wizard.button(QWizard.WizardButton.CancelButton)
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        qtbot.mouseClick(close, LEFT)
        assert wizard.isVisible()  # waits, and says why
        assert close.text() == "Saving the answers…"
        assert not close.isEnabled()
        assert lock.released_at is None
    assert lock.released_at is not None
    assert stored(gui_ws, visit, item, room) == "yes"
