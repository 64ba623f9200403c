"""The main window and its models: people, visits, actions, PDFs, startup; and the operations
helper every one of them goes through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf
import pytest
from drive import wait_idle
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from recorders import FileDialogs, MessageBoxes

from safetycheck.domain.assessment import ActionState
from safetycheck.domain.checklist import Mode
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.people import create_person, edit_person, list_people
from safetycheck.services.workspace import Workspace
from safetycheck_ui.dialogs import ActionsDialog, PersonDialog
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.models import PeopleTableModel, VisitsTableModel
from safetycheck_ui.operations import Change, Operations
from safetycheck_ui.settings import Settings
from safetycheck_ui.summary import SummaryView, summary_html

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def demo_window(qtbot: QtBot, gui_ws: Workspace) -> MainWindow:
    create_demo(gui_ws)
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    return window


def select_newest_visit(qtbot: QtBot, window: MainWindow) -> visits.AssessmentInfo:
    window.people.selectRow(0)
    wait_idle(qtbot, window.ops)
    window.visits.selectRow(0)
    visit = window.current_visit()
    assert visit is not None
    return visit


def pdf_pages(path: Path) -> int:
    """The number of pages poppler finds (it fails on a file that is not a PDF)."""
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_people_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, gui_ws: Workspace, ops: Operations
) -> None:
    for n in range(120):  # more than one fetch page
        create_person(gui_ws, f"Person {n:03d}")
    model = PeopleTableModel(gui_ws, ops)
    root = QModelIndex()
    with qtbot.waitSignal(model.loaded):
        model.reload()
    assert model.rowCount() == 100
    assert model.canFetchMore(root)
    with qtbot.waitSignal(model.loaded):
        model.fetchMore(root)
    assert model.rowCount() == 120
    assert not model.canFetchMore(root)
    with qtbot.waitSignal(model.loaded):
        model.reload()
    qtmodeltester.check(model)  # asks for the next page itself
    qtbot.waitUntil(lambda: model.rowCount() == 120)  # and the page arrives while it watches
    with qtbot.waitSignal(model.loaded):
        model.set_search("person 11")
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [
        f"Person 11{n}" for n in range(10)
    ]


def test_people_pages_follow_on_and_show_no_one_twice(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations
) -> None:
    """Each page starts after the last row shown; someone renamed meanwhile so that they sort
    after it comes again with the next page, and is shown once."""
    for n in range(120):
        create_person(gui_ws, f"Person {n:03d}")
    model = PeopleTableModel(gui_ws, ops)
    root = QModelIndex()
    with qtbot.waitSignal(model.loaded):
        model.reload()
    moved = model.person(0)
    edit_person(gui_ws, moved.id, name="Person 999", birth_year=None, notes="", expected_version=1)
    with qtbot.waitSignal(model.loaded):
        model.fetchMore(root)
    ids = [model.person(row).id for row in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == 120
    assert [model.data(model.index(r, 0)) for r in range(100, 120)] == [
        f"Person {n:03d}" for n in range(100, 120)
    ]
    assert not model.canFetchMore(root)


def test_a_reply_to_an_old_search_is_dropped(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations
) -> None:
    for name in ("Ann", "Bob"):
        create_person(gui_ws, name)
    model = PeopleTableModel(gui_ws, ops)
    with qtbot.waitSignal(model.loaded):
        model.set_search("ann")
        model.set_search("bob")  # asked before the first reply arrived
    wait_idle(qtbot, ops)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["Bob"]


def test_visits_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, gui_ws: Workspace, ops: Operations
) -> None:
    newest = create_demo(gui_ws)
    model = VisitsTableModel(gui_ws, ops)
    with qtbot.waitSignal(model.loaded):
        model.show_person(visits.get_info(gui_ws, newest).person_id)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, 2)) == "Completed"
    level = model.data(model.index(0, 3))
    assert level is not None
    assert level.startswith(("Low", "Moderate", "High"))
    model.show_person(None)
    qtmodeltester.check(model)


def test_visits_list_says_the_level_in_words_and_which_model_gave_an_older_one(
    gui_ws: Workspace, ops: Operations
) -> None:
    from dataclasses import replace

    newest = visits.get_info(gui_ws, create_demo(gui_ws))
    model = VisitsTableModel(gui_ws, ops)
    current = gui_ws.content.model.version
    assert newest.model_version == current
    scored = replace(newest, level="moderate", score=31)
    assert model.cells(scored)[3] == "Moderate (31)"
    undecided = replace(scored, level="low-moderate")
    assert model.cells(undecided)[3] == "Low to moderate (31)"  # not settled: both ends
    older = replace(scored, model_version="1.0")
    assert model.cells(older)[3] == "Moderate (31), model 1.0"
    unfinished = replace(newest, level=None, score=None)
    assert model.cells(unfinished)[3] == "—"


def test_the_summary_says_when_an_older_model_gave_the_stored_level(gui_ws: Workspace) -> None:
    from dataclasses import replace

    newest = create_demo(gui_ws)
    info, evaluation = visits.get_info(gui_ws, newest), visits.evaluate_visit(gui_ws, newest)
    assert "scored by model" not in summary_html(evaluation, info)
    older = replace(info, model_version="1.0")
    shown = summary_html(evaluation, older)
    assert (
        "this visit was scored by model 1.0; what is shown here is model "
        f"{evaluation.result.model_version}'s result" in shown
    )


def test_search_and_buttons_follow_the_selection(qtbot: QtBot, demo_window: MainWindow) -> None:
    assert demo_window.stack.currentIndex() == 1
    demo_window.search.setText("álvarez")  # typed, it would be "lvarez" (QTest types ASCII)
    wait_idle(qtbot, demo_window.ops)
    assert demo_window.people_model.rowCount() == 1
    demo_window.people.selectRow(0)
    wait_idle(qtbot, demo_window.ops)
    assert demo_window.visits_model.rowCount() == 2
    demo_window.visits.selectRow(0)
    assert demo_window.summary_button.isEnabled()
    assert not demo_window.resume_button.isEnabled()
    assert demo_window.compare_button.isEnabled()
    assert demo_window.actions_button.isEnabled()
    demo_window.visits.selectRow(1)  # the first visit: nothing before it to compare with
    assert not demo_window.compare_button.isEnabled()
    assert "first visit" in demo_window.compare_button.toolTip()
    demo_window.search.setText("nobody by that name")
    wait_idle(qtbot, demo_window.ops)
    assert demo_window.people_model.rowCount() == 0
    assert demo_window.stack.currentIndex() == 1  # a search with no hits is not "first start"


def test_the_comparison_is_in_the_window_and_read_off_the_gui_thread(
    qtbot: QtBot, demo_window: MainWindow, boxes: MessageBoxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    compare = visits.compare_with_previous

    def watched(ws: Workspace, assessment_id: str) -> visits.Comparison | None:
        threads.append(threading.current_thread())
        return compare(ws, assessment_id)

    monkeypatch.setattr(visits, "compare_with_previous", watched)
    select_newest_visit(qtbot, demo_window)
    wait_idle(qtbot, demo_window.ops)
    record = demo_window.comparison.record
    assert record is not None
    assert record.comparison is not None
    text = demo_window.comparison.toPlainText()
    assert "Fixed since then" in text
    assert "Loose rug or mat" in text
    assert "Still to do" in text
    assert "New" in text
    assert f"score {record.comparison.score_then}" in text  # then and now
    assert f"score {record.comparison.score_now}" in text
    assert threads
    assert threads[0] is not threading.main_thread()
    demo_window.record_tabs.setCurrentIndex(1)
    qtbot.mouseClick(demo_window.compare_button, LEFT)
    assert demo_window.record_tabs.currentWidget() is demo_window.comparison
    assert demo_window.comparison.hasFocus()
    assert boxes.shown == []  # no message box any more


def test_the_comparison_names_what_was_not_checked_again(
    qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace
) -> None:
    """A visit that has just begun has fixed nothing: what was found last time and is not
    answered yet is listed as not checked, never left out (unknown is not safe)."""
    newest = select_newest_visit(qtbot, demo_window)
    started = visits.start_assessment(
        gui_ws, newest.person_id, "Luis", Mode.CAREGIVER, Mode.CAREGIVER
    )
    comparison = visits.compare_with_previous(gui_ws, started.id)
    assert comparison is not None
    assert comparison.previous_id == newest.id
    assert comparison.not_checked
    assert not comparison.fixed
    demo_window.ops.announce(Change.VISITS)
    qtbot.waitUntil(lambda: demo_window.visits_model.rowCount() == 3)
    demo_window.select(newest.person_id, started.id)
    wait_idle(qtbot, demo_window.ops)
    assert demo_window.current_visit() == visits.get_info(gui_ws, started.id)
    assert demo_window.compare_button.isEnabled()
    text = demo_window.comparison.toPlainText()
    unchecked = text.split("Not checked this time (found last time; not known to be fixed)")
    assert len(unchecked) == 2, text
    for change in comparison.not_checked:
        assert change.finding in unchecked[1]


def test_marking_actions_done(qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace) -> None:
    visit = select_newest_visit(qtbot, demo_window)
    qtbot.mouseClick(demo_window.actions_button, LEFT)
    qtbot.waitUntil(lambda: demo_window.actions_dialog is not None)
    dialog = demo_window.actions_dialog
    assert isinstance(dialog, ActionsDialog)
    assert dialog.isVisible()
    actions = visits.list_actions(gui_ws, visit.id)
    assert dialog.list.count() == len(actions) > 1
    done_before = {a.id for a in actions if a.status is ActionState.DONE}  # the demo ticks one
    row = next(
        n
        for n in range(dialog.list.count())
        if dialog.list.item(n).checkState() == Qt.CheckState.Unchecked
    )
    dialog.list.setCurrentRow(row)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)  # ticks the first action not done yet
    assert dialog.list.item(row).checkState() == Qt.CheckState.Checked
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
    done = {a.id for a in visits.list_actions(gui_ws, visit.id) if a.status is ActionState.DONE}
    assert done == done_before | {dialog.action_views[row].id}


def test_pdf_export_runs_in_the_background(
    qtbot: QtBot,
    demo_window: MainWindow,
    gui_ws: Workspace,
    tmp_path: Path,
    boxes: MessageBoxes,
    ops: Operations,
) -> None:
    visit = select_newest_visit(qtbot, demo_window)
    view = SummaryView(gui_ws, ops)
    qtbot.addWidget(view)
    view.show_visit(visit.id)
    target = tmp_path / "plan.pdf"
    with qtbot.waitSignal(ops.busy, timeout=30_000, check_params_cb=lambda busy: busy is False):
        view.save_pdf(target)
        assert not view.export_button.isEnabled()  # running: the button waits for it
        assert view.busy.isVisibleTo(view)
    assert target.read_bytes().startswith(b"%PDF")
    assert view.open_button.isEnabled()
    with qtbot.waitSignal(ops.busy, timeout=30_000, check_params_cb=lambda busy: busy is False):
        view.save_pdf(Path("/sys/plan.pdf"))
    assert boxes.shown
    assert boxes.shown[-1][0] == "warning"
    assert "cannot write" in boxes.shown[-1][2]
    assert view.message.text() == "The PDF was not saved."


def test_action_plan_pdf_from_the_main_window(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, file_dialogs: FileDialogs
) -> None:
    visit = select_newest_visit(qtbot, demo_window)
    target = tmp_path / "plan from the window.pdf"
    file_dialogs.answers.append(target)
    qtbot.mouseClick(demo_window.pdf_button, LEFT)
    wait_idle(qtbot, demo_window.ops)
    kind, _title, suggested = file_dialogs.asked[-1]
    assert kind == "getSaveFileName"
    assert Path(suggested).name == f"action-plan-{visit.person_name}-{visit.date}.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    assert pdf_pages(target) >= 1
    assert visit.person_name in pdf_text(target)
    assert str(target) in demo_window.statusBar().currentMessage()
    # The folder is remembered for the next file.
    file_dialogs.answers.append(tmp_path / "again.pdf")
    qtbot.mouseClick(demo_window.pdf_button, LEFT)
    wait_idle(qtbot, demo_window.ops)
    assert Path(file_dialogs.asked[-1][2]).parent == tmp_path


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"], ids=["database", "wal", "shm"])
def test_a_pdf_never_replaces_the_database(
    qtbot: QtBot,
    demo_window: MainWindow,
    gui_ws: Workspace,
    file_dialogs: FileDialogs,
    boxes: MessageBoxes,
    suffix: str,
) -> None:
    """The database itself (or its -wal or -shm) picked in the save dialog: a plain message,
    and the database is untouched (the -shm file is the readers' shared index: it changes)."""
    assert gui_ws.database is not None
    database = gui_ws.database.sqlite_path
    assert database is not None
    target = database.with_name(database.name + suffix)
    kept = [database, database.with_name(database.name + "-wal")]
    assert all(path.exists() for path in kept)
    before = [path.read_bytes() for path in kept]
    visit = select_newest_visit(qtbot, demo_window)
    file_dialogs.answers.append(target)
    qtbot.mouseClick(demo_window.pdf_button, LEFT)
    wait_idle(qtbot, demo_window.ops)
    title, text = boxes.last("warning")
    assert title == "The PDF was not saved"
    assert (
        text
        == f"{target} is a file in use (the database or the file being read); choose another name"
    )
    file_dialogs.answers.append(target)
    demo_window.save_blank_checklist()
    wait_idle(qtbot, demo_window.ops)
    assert boxes.last("warning") == ("The checklist was not saved", text)
    assert boxes.formats == [Qt.TextFormat.PlainText] * 2
    assert [path.read_bytes() for path in kept] == before
    assert target.exists()
    assert visits.get_info(gui_ws, visit.id) == visit  # and it is still the database it was


# A menu popup offscreen: the platform cannot raise it or give it the keyboard (harmless).
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
@pytest.mark.parametrize("mode", [Mode.CAREGIVER, Mode.OT], ids=["caregiver", "ot"])
def test_blank_checklist_from_the_file_menu(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, file_dialogs: FileDialogs, mode: Mode
) -> None:
    """File, Blank checklist, for a caregiver or an OT: the OT's has the measurements."""
    target = tmp_path / "blank.pdf"
    file_dialogs.answers.append(target)
    menu: QMenu = demo_window.file_menu
    menu.popup(demo_window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitExposed(menu)
    qtbot.keyClick(menu, Qt.Key.Key_B)  # its letter opens the submenu
    submenu = demo_window.blank_menu
    qtbot.waitUntil(submenu.isVisible)
    qtbot.keyClick(submenu, Qt.Key.Key_O if mode is Mode.OT else Qt.Key.Key_C)
    wait_idle(qtbot, demo_window.ops)
    assert file_dialogs.asked
    kind, title, suggested = file_dialogs.asked[-1]
    assert kind == "getSaveFileName"
    assert ("OT" in title) is (mode is Mode.OT)
    assert Path(suggested).name == ("checklist-ot.pdf" if mode is Mode.OT else "checklist.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    assert pdf_pages(target) >= 2
    text = pdf_text(target)
    assert "hallway" in text.lower()
    assert ("Timed Up and Go" in text) is (mode is Mode.OT)
    assert str(target) in demo_window.statusBar().currentMessage()


def test_add_and_edit_a_person(qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace) -> None:
    qtbot.mouseClick(demo_window.add_person_button, LEFT)
    dialog = demo_window.person_dialog
    assert isinstance(dialog, PersonDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Maria Lopez")
    dialog.birth_year.setValue(1950)
    qtbot.keyClicks(dialog.notes, "Lives alone")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    wait_idle(qtbot, demo_window.ops)
    added = next(p for p in list_people(gui_ws).items if p.name == "Maria Lopez")
    assert (added.birth_year, added.notes) == (1950, "Lives alone")
    assert demo_window.current_person_id() == added.id  # the new person is selected
    assert demo_window.person_title.text() == "Maria Lopez, born 1950"

    qtbot.mouseClick(demo_window.edit_button, LEFT)
    editing = demo_window.person_dialog
    assert isinstance(editing, PersonDialog)
    assert editing is not dialog
    qtbot.waitExposed(editing)
    assert editing.name.text() == "Maria Lopez"
    editing.name.selectAll()
    qtbot.keyClicks(editing.name, "Maria Lopez Garcia")
    with qtbot.waitSignal(editing.saved):
        qtbot.mouseClick(editing.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    wait_idle(qtbot, demo_window.ops)
    assert [p.name for p in list_people(gui_ws, "garcia").items] == ["Maria Lopez Garcia"]
    assert demo_window.person_title.text() == "Maria Lopez Garcia, born 1950"


def test_a_refused_person_keeps_what_was_typed(
    qtbot: QtBot, demo_window: MainWindow, boxes: MessageBoxes
) -> None:
    qtbot.mouseClick(demo_window.add_person_button, LEFT)
    dialog = demo_window.person_dialog
    assert isinstance(dialog, PersonDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.notes, "Uses a walking frame")  # but no name
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, LEFT)
    wait_idle(qtbot, demo_window.ops)
    assert boxes.last("warning") == ("The person was not saved", "A person needs a name.")
    assert dialog.isVisible()
    assert dialog.buttons.isEnabled()
    assert ok.isEnabled()
    assert dialog.notes.toPlainText() == "Uses a walking frame"


def test_about_shows_the_content_disclaimer(
    demo_window: MainWindow, gui_ws: Workspace, boxes: MessageBoxes
) -> None:
    demo_window.about()
    title, text = boxes.last("about")
    assert title == "About safetycheck"
    assert gui_ws.content.report_text.disclaimer in text
    assert gui_ws.content.checklist.version in text


def test_user_errors_are_shown_and_bugs_reach_the_crash_hook(
    qtbot: QtBot, ops: Operations, boxes: MessageBoxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashes: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _error, _tb: crashes.append(kind))
    failures: list[Exception] = []

    def refused() -> None:
        raise InvalidInputError("A person needs a name.")

    def bug() -> None:
        raise KeyError("no such thing")

    ops.change(None, refused, Change.PEOPLE, title="Not saved", failed=failures.append)
    wait_idle(qtbot, ops)
    assert boxes.shown == [("warning", "Not saved", "A person needs a name.")]
    assert crashes == []
    assert isinstance(failures[-1], InvalidInputError)
    ops.query(None, bug, lambda _r: None, title="Not read", failed=failures.append)
    wait_idle(qtbot, ops)
    assert crashes == [KeyError]
    assert len(boxes.shown) == 1
    # Only a change that went through is announced, and a burst as one.
    with qtbot.waitSignal(ops.changes) as announced:
        ops.now(None, lambda: None, title="", changes=Change.PEOPLE)
        ops.now(None, lambda: None, title="", changes=Change.VISITS)
    assert announced.args == [Change.PEOPLE | Change.VISITS]


def test_gui_smoke_prints_startup_time(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'smoke.sqlite3'}"
    process = subprocess.run(
        [sys.executable, "-m", "safetycheck", "--db", db, "gui", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert process.returncode == 0, process.stderr
    report = json.loads(process.stdout.strip().splitlines()[-1])
    assert 0 < report["startup_ms"] < 30_000
    assert report["people"] == 0


def test_database_newer_than_the_program_is_a_clear_message(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "newer.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "safetycheck", "--db", f"sqlite:///{db}", "demo"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    connection = sqlite3.connect(db)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    connection.commit()
    connection.close()
    process = subprocess.run(
        [sys.executable, "-m", "safetycheck", "--db", f"sqlite:///{db}", "gui", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert process.returncode == 2
    assert "newer safetycheck" in process.stderr
    assert "Traceback" not in process.stderr


def test_large_print_from_the_view_menu_reaches_the_saved_plan(
    qtbot: QtBot,
    demo_window: MainWindow,
    gui_ws: Workspace,
    tmp_path: Path,
    ops: Operations,
) -> None:
    visit = select_newest_visit(qtbot, demo_window)
    view = SummaryView(gui_ws, ops)
    qtbot.addWidget(view)
    view.show_visit(visit.id)
    pages: dict[bool, int] = {}
    for on in (False, True):
        demo_window.large_print_action.setChecked(on)
        assert Settings().large_print is on
        target = tmp_path / f"plan-{on}.pdf"
        with qtbot.waitSignal(ops.busy, timeout=30_000, check_params_cb=lambda b: b is False):
            view.save_pdf(target)
        with pikepdf.open(target) as pdf:
            pages[on] = len(pdf.pages)
    assert pages[True] > pages[False], "large print takes more pages"
    demo_window.large_print_action.setChecked(False)
