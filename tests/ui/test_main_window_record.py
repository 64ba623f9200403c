"""The record in the program's main window: the comparison with the last finished visit, a
finished visit opened as its summary, deleting and undoing, importing and exporting a visit,
the plan's actions worded for a visit, the falls on the person's record, one date format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from drive import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from recorders import FileDialogs, MessageBoxes

from safetycheck.domain.checklist import Mode, Priority, Who
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.falls import Fall, FallPlace, Seen
from safetycheck.services import assessments as visits
from safetycheck.services import falls as falls_service
from safetycheck.services import removal
from safetycheck.services.demo import create_demo
from safetycheck.services.people import create_person, list_people
from safetycheck.services.progress import visit_summary
from safetycheck.services.workspace import Workspace
from safetycheck_ui.dates import format_date
from safetycheck_ui.dialogs import ActionsDialog
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.operations import Change, Operations
from safetycheck_ui.summary import SummaryView
from safetycheck_ui.summary_window import SummaryWindow
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def demo_window(qtbot: QtBot, gui_ws: Workspace) -> MainWindow:
    create_demo(gui_ws)
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    window.people.selectRow(0)
    wait_idle(qtbot, window.ops)
    window.visits.selectRow(0)
    wait_idle(qtbot, window.ops)
    return window


def newest(window: MainWindow) -> visits.AssessmentInfo:
    visit = window.current_visit()
    assert visit is not None
    return visit


def pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


# ---- the comparison --------------------------------------------------------------------------


def test_nothing_to_compare_says_why_and_the_button_waits(
    qtbot: QtBot, gui_ws: Workspace, demo_window: MainWindow
) -> None:
    window = demo_window
    window.visits.selectRow(1)  # the demo's first visit
    wait_idle(qtbot, window.ops)
    assert not window.compare_button.isEnabled()
    first = newest(window)
    said = window.comparison.toPlainText()
    assert said == f"This is the first visit of {first.person_name}, so there is nothing to " + (
        "compare it with yet."
    )
    assert window.compare_button.toolTip() == said
    assert window.comparison.record is None  # not even asked

    # A person whose only earlier visit was never finished: nothing to compare with either.
    person = create_person(gui_ws, "Ana Ruiz")
    visits.start_assessment(
        gui_ws, person.id, "Luis", Mode.CAREGIVER, Mode.CAREGIVER, visit_date=date(2026, 1, 5)
    )
    second = visits.start_assessment(
        gui_ws, person.id, "Luis", Mode.CAREGIVER, Mode.CAREGIVER, visit_date=date(2026, 2, 5)
    )
    window.ops.announce(Change.PEOPLE | Change.VISITS)
    window.select(person.id, second.id)
    wait_idle(qtbot, window.ops)
    assert window.current_visit() is not None
    assert newest(window).id == second.id
    assert not window.compare_button.isEnabled()
    assert "No visit before this one was finished" in window.comparison.toPlainText()


def test_an_unfinished_visit_between_is_skipped(gui_ws: Workspace) -> None:
    """The last visit is the newest earlier *finished* one: a visit started and left between
    them would make every hazard look fixed or unchecked."""
    finished = visits.get_info(gui_ws, create_demo(gui_ws))
    left = visits.start_assessment(
        gui_ws, finished.person_id, "Luis", Mode.CAREGIVER, Mode.CAREGIVER
    )
    latest = visits.start_assessment(
        gui_ws, finished.person_id, "Luis", Mode.CAREGIVER, Mode.CAREGIVER
    )
    found = visits.compare_with_previous(gui_ws, latest.id)
    assert found is not None
    assert found.previous_id == finished.id != left.id
    summary = visit_summary(gui_ws, latest.id)
    assert summary.since_last is not None
    assert summary.since_last.comparison.previous_id == finished.id


def test_the_summary_lists_what_changed_beside_the_score(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations
) -> None:
    latest = create_demo(gui_ws)
    comparison = visits.compare_with_previous(gui_ws, latest)
    assert comparison is not None
    assert comparison.fixed
    assert comparison.still_open
    view = SummaryView(gui_ws, ops)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.shown, timeout=30_000):
        view.show_visit(latest)
    text = view.text.toPlainText()
    changed = text.split("What changed since the last visit")
    assert len(changed) == 2, text
    for heading, changes in (
        ("Fixed since then", comparison.fixed),
        ("Still to do", comparison.still_open),
    ):
        assert f"{heading} ({len(changes)})" in changed[1]
        assert all(change.finding in changed[1] for change in changes)
    assert f"Since the last visit ({format_date(comparison.previous_date)})" in text
    # The first visit has no last visit: no such part.
    first = comparison.previous_id
    with qtbot.waitSignal(view.shown, timeout=30_000):
        view.show_visit(first)
    assert "What changed since the last visit" not in view.text.toPlainText()


# ---- a finished visit opens as its summary ---------------------------------------------------


def test_a_finished_visit_opens_as_a_read_only_summary(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    window = demo_window
    visit = newest(window)
    assert window.summary_button.isEnabled()
    qtbot.mouseClick(window.summary_button, LEFT)
    summary = window.summary_window
    assert isinstance(summary, SummaryWindow)
    qtbot.waitExposed(summary)
    qtbot.waitUntil(lambda: summary.view.evaluation is not None, timeout=30_000)
    assert window.wizard is None  # no walkthrough, no "Finish the visit" offered again
    texts = [b.text() for b in summary.findChildren(type(window.summary_button))]
    assert not any("Finish" in text for text in texts), texts
    assert "Fall risk:" in summary.view.text.toPlainText()
    assert format_date(visit.date) in summary.windowTitle()
    assert summary.view.export_button.isEnabled()  # the plan can be saved from here
    # Double-clicking a finished visit opens the same.
    summary.reject()
    wait_idle(qtbot, window.ops)
    window.visits.doubleClicked.emit(window.visits.currentIndex())
    again = window.summary_window
    assert isinstance(again, SummaryWindow)
    assert again is not summary
    qtbot.waitExposed(again)
    assert window.wizard is None
    # Editing the answers is an explicit step: it opens the walkthrough of this visit.
    qtbot.mouseClick(again.edit_button, LEFT)
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=30_000)
    wizard = window.wizard
    assert isinstance(wizard, WalkthroughWizard)
    assert wizard.session is not None
    assert wizard.session.assessment_id == visit.id
    assert not shiboken6.isValid(again) or not again.isVisible()  # closed (and deleted)
    wizard.reject()
    wait_idle(qtbot, window.ops)


# ---- deleting and undoing --------------------------------------------------------------------


def test_delete_a_visit_says_what_goes_and_can_be_undone(
    qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace, boxes: MessageBoxes
) -> None:
    window = demo_window
    visit = newest(window)
    before = visits.load_visit(gui_ws, visit.id, with_photos=True)
    # In the program's one date format, as the lists write it.
    expected = removal.removal_summary_visit(gui_ws, visit.id, format_date)
    assert format_date(visit.date) in expected

    boxes.reply = QMessageBox.StandardButton.No  # Keep: nothing goes
    qtbot.mouseClick(window.delete_visit_button, LEFT)
    wait_idle(qtbot, window.ops)
    assert boxes.shown[-1] == ("question", "Delete the visit?", expected)
    assert visits.get_info(gui_ws, visit.id) == visit
    assert not window.undo_action.isEnabled()

    boxes.reply = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(window.delete_visit_button, LEFT)
    wait_idle(qtbot, window.ops)
    assert boxes.last("question") == ("Delete the visit?", expected)
    assert window.visits_model.rowCount() == 1
    assert window.visits_model.row_of(visit.id) is None
    assert window.undo_bar.isVisible()
    assert window.undo_label.text().startswith("Deleted the visit of")
    assert window.undo_action.isEnabled()

    qtbot.mouseClick(window.undo_button, LEFT)
    wait_idle(qtbot, window.ops)
    after = visits.load_visit(gui_ws, visit.id, with_photos=True)
    assert after.assessment == before.assessment  # all of it, the same ids
    assert window.visits_model.row_of(visit.id) is not None
    assert window.current_visit() is not None
    assert newest(window).id == visit.id
    assert not window.undo_bar.isVisible()
    assert not window.undo_action.isEnabled()


def test_delete_a_person_from_the_edit_menu_and_undo_it(
    qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace, boxes: MessageBoxes
) -> None:
    window = demo_window
    person = window.current_person()
    assert person is not None
    expected = removal.removal_summary_person(gui_ws, person.id)
    assert window.delete_person_action in window.edit_menu.actions()
    window.delete_person_action.trigger()
    wait_idle(qtbot, window.ops)
    assert boxes.last("question") == ("Delete the person?", expected)
    assert len(list_people(gui_ws).items) == 0
    assert window.stack.currentIndex() == 0  # the welcome page: no one left
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    wait_idle(qtbot, window.ops)
    back = list_people(gui_ws).items
    assert [p.id for p in back] == [person.id]
    assert back[0].visits == 2
    assert window.current_person_id() == person.id
    assert not window.undo_action.isEnabled()


def test_the_confirmation_keeps_by_default(
    demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter or Escape on the question keeps everything: Delete is never the default."""
    from safetycheck_ui import dialogs

    boxes: list[QMessageBox] = []

    def shown(box: QMessageBox) -> int:
        boxes.append(box)
        return int(QMessageBox.StandardButton.No.value)

    monkeypatch.setattr(QMessageBox, "exec", shown)
    assert not dialogs.confirm_removal(demo_window, "Delete the visit?", "the visit of …")
    box = boxes[0]
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.button(QMessageBox.StandardButton.Yes).text() == "&Delete"


# ---- import and export -----------------------------------------------------------------------


def test_export_then_import_a_visit_from_the_file_menu(
    qtbot: QtBot,
    demo_window: MainWindow,
    gui_ws: Workspace,
    file_dialogs: FileDialogs,
    boxes: MessageBoxes,
    tmp_path: Path,
) -> None:
    window = demo_window
    visit = newest(window)
    target = tmp_path / "visit.json"
    file_dialogs.answers.append(target)
    window.export_action.trigger()
    wait_idle(qtbot, window.ops)
    kind, _title, suggested = file_dialogs.asked[-1]
    assert kind == "getSaveFileName"
    assert Path(suggested).name == f"visit-{visit.person_name}-{visit.date}.json"
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["person"]["name"] == visit.person_name
    assert str(target) in window.statusBar().currentMessage()
    assert not list(tmp_path.glob("*.tmp*"))  # written atomically: no temporary file left

    # A file that is not a visit: said plainly, and nothing changes.
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something else"}', encoding="utf-8")
    counted = len(visits.list_assessments(gui_ws).items)
    file_dialogs.answers.append(broken)
    window.import_action.trigger()
    wait_idle(qtbot, window.ops)
    title, text = boxes.last("warning")
    assert title == "The visit was not imported"
    assert str(broken) in text
    assert "Traceback" not in text
    assert len(visits.list_assessments(gui_ws).items) == counted

    # The exported file comes back in as a visit of the same person, and is shown.
    file_dialogs.answers.append(target)
    window.import_action.trigger()
    wait_idle(qtbot, window.ops)
    assert len(visits.list_assessments(gui_ws).items) == counted + 1
    assert window.visits_model.rowCount() == 3
    shown = newest(window)
    assert shown.person_id == visit.person_id
    assert shown.id != visit.id
    assert "Imported the visit of" in window.statusBar().currentMessage()


def test_files_in_and_out_have_unique_letters(demo_window: MainWindow) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    def letters(actions: list[QAction]) -> list[str]:
        return [QKeySequence.mnemonic(a.text()).toString() for a in actions if not a.isSeparator()]

    for menu in (demo_window.file_menu, demo_window.edit_menu, demo_window.help_menu):
        found = letters(menu.actions())
        assert all(found), (menu.title(), found)
        assert len(set(found)) == len(found), (menu.title(), found)
    texts = [a.text() for a in demo_window.file_menu.actions()]
    assert "&Import a visit…" in texts
    assert "E&xport the visit…" in texts


# ---- the plan's actions, worded for this visit ------------------------------------------------


def test_an_action_edited_for_the_visit_is_what_is_shown_and_printed(
    qtbot: QtBot,
    demo_window: MainWindow,
    gui_ws: Workspace,
    file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    window = demo_window
    visit = newest(window)
    qtbot.mouseClick(window.actions_button, LEFT)
    qtbot.waitUntil(lambda: window.actions_dialog is not None)
    dialog = window.actions_dialog
    assert isinstance(dialog, ActionsDialog)
    qtbot.waitExposed(dialog)
    dialog.list.setCurrentRow(1)
    own = dialog.own(1)
    assert own is not None
    assert dialog.text_edit.toPlainText() == own.text
    assert dialog.priority_box.currentData() is None  # the plan's own
    dialog.text_edit.selectAll()
    qtbot.keyClicks(dialog.text_edit, "Ask the landlord for a second rail")
    dialog.priority_box.setCurrentIndex(dialog.priority_box.findData(Priority.URGENT.value))
    dialog.who_box.setCurrentIndex(dialog.who_box.findData(Who.HANDYPERSON.value))
    label = dialog.list.item(1).text()
    assert "Ask the landlord for a second rail" in label
    assert "Urgent · Handyperson" in label
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
    wait_idle(qtbot, window.ops)
    stored = next(
        a for a in visits.list_actions(gui_ws, visit.id) if a.id == dialog.action_views[1].id
    )
    assert (stored.text, stored.priority, stored.who) == (
        "Ask the landlord for a second rail",
        "urgent",
        "handyperson",
    )
    # The summary's plan and the printed plan say it.
    evaluation = evaluate(gui_ws.content, visits.load_assessment(gui_ws, visit.id))
    assert any(a.text == "Ask the landlord for a second rail" for a in evaluation.plan.actions)
    target = tmp_path / "plan.pdf"
    file_dialogs.answers.append(target)
    qtbot.mouseClick(window.pdf_button, LEFT)
    wait_idle(qtbot, window.ops)
    assert "Ask the landlord for a second rail" in " ".join(pdf_text(target).split())

    # Opened again, the dialog shows the edited words; "Plan's own wording" puts them back.
    qtbot.mouseClick(window.actions_button, LEFT)
    qtbot.waitUntil(
        lambda: window.actions_dialog is not dialog and window.actions_dialog is not None
    )
    again = window.actions_dialog
    assert isinstance(again, ActionsDialog)
    row = next(r for r, a in enumerate(again.action_views) if a.id == stored.id)
    assert "Ask the landlord for a second rail" in again.list.item(row).text()
    again.list.setCurrentRow(row)
    assert again.text_edit.toPlainText() == "Ask the landlord for a second rail"
    qtbot.mouseClick(again.own_button, LEFT)
    assert again.text_edit.toPlainText() == own.text
    with qtbot.waitSignal(again.finished):
        qtbot.mouseClick(again.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
    wait_idle(qtbot, window.ops)
    reset = next(a for a in visits.list_actions(gui_ws, visit.id) if a.id == stored.id)
    assert (reset.text, reset.priority, reset.who) == (None, None, None)


def test_ticking_and_rewording_one_action_in_one_save(
    qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace
) -> None:
    """The tick is written after the new words, with the version they gave: no conflict."""
    window = demo_window
    visit = newest(window)
    qtbot.mouseClick(window.actions_button, LEFT)
    qtbot.waitUntil(lambda: window.actions_dialog is not None)
    dialog = window.actions_dialog
    assert isinstance(dialog, ActionsDialog)
    dialog.list.setCurrentRow(0)
    was_done = dialog.list.item(0).checkState() == Qt.CheckState.Checked
    dialog.list.item(0).setCheckState(
        Qt.CheckState.Unchecked if was_done else Qt.CheckState.Checked
    )
    dialog.who_box.setCurrentIndex(dialog.who_box.findData(Who.DOCTOR.value))
    with qtbot.waitSignal(dialog.finished):
        dialog.save()
    stored = next(
        a for a in visits.list_actions(gui_ws, visit.id) if a.id == dialog.action_views[0].id
    )
    assert stored.who == "doctor"
    assert (stored.status.value == "done") is not was_done


# ---- falls on the person's record -----------------------------------------------------------


def test_the_falls_recorded_are_on_the_persons_record_and_in_the_comparison(
    qtbot: QtBot, gui_ws: Workspace
) -> None:
    latest = visits.get_info(gui_ws, create_demo(gui_ws))
    snapshot = visits.load_visit(gui_ws, latest.id)
    room = snapshot.assessment.rooms[0]
    month = f"{latest.date.year:04d}-{latest.date.month:02d}"
    falls_service.record_falls(
        gui_ws,
        latest.id,
        2,
        [
            Fall(
                month,
                "yes",
                FallPlace.ROOM,
                snapshot.room_keys[room.id],
                room.name,
                "Tripped on the rug <b>at night</b>",
                Seen.HOSPITAL,
            )
        ],
    )
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    window.select(latest.person_id, latest.id)
    wait_idle(qtbot, window.ops)
    record = window.falls.toPlainText()
    assert f"Asked at the visit of {format_date(latest.date)}" in record
    assert "2 falls since the last visit" in record
    assert "1 of them described." in record
    assert "Tripped on the rug <b>at night</b>" in record  # as written, never markup
    assert f"in the home: {room.name}" in record
    assert "hurt" in record
    assert "seen at a hospital" in record
    assert window.falls.records is not None
    assert len(window.falls.records) == 1
    compared = window.comparison.toPlainText()
    assert "2 falls since the last visit" in compared
    window.record_tabs.setCurrentWidget(window.falls)
    assert window.record_tabs.tabText(window.record_tabs.currentIndex()) == "Falls rec&orded"
    # The first visit asked no falls: the record says only the follow-up's.
    window.visits.selectRow(1)
    wait_idle(qtbot, window.ops)
    assert window.falls.toPlainText() == record


def test_no_falls_recorded_is_said(demo_window: MainWindow) -> None:
    person = demo_window.current_person()
    assert person is not None
    said = demo_window.falls.toPlainText()
    assert said.startswith(f"Falls have not been recorded for {person.name} yet")
    assert "not asked is not the same as no falls" in said
    assert "Falls since the last visit: not asked yet." in demo_window.comparison.toPlainText()


# ---- dates -----------------------------------------------------------------------------------


def test_the_window_shows_dates_in_the_one_format(demo_window: MainWindow) -> None:
    visit = newest(demo_window)
    model = demo_window.visits_model
    assert model.data(model.index(0, 0)) == format_date(visit.date)
    people = demo_window.people_model
    person = people.person(0)
    assert person.last_visit is not None
    assert people.data(people.index(0, 3)) == format_date(person.last_visit)
    record = demo_window.comparison.record
    assert record is not None
    assert record.comparison is not None
    then = format_date(record.comparison.previous_date)
    assert f"Last visit ({then}): " in demo_window.comparison.toPlainText()


def test_help_keys_opens_the_key_reference(
    demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetycheck_ui import keys

    opened: list[object] = []
    monkeypatch.setattr(keys, "show_key_reference", opened.append)
    assert demo_window.keys_action in demo_window.help_menu.actions()
    demo_window.keys_action.trigger()
    assert opened == [demo_window]
