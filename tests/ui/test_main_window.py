"""The main window and its models: people, visits, actions, PDFs, startup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace
from safetycheck_ui.main_window import ActionsDialog, MainWindow
from safetycheck_ui.models import PeopleTableModel, VisitsTableModel
from safetycheck_ui.summary import SummaryView


@pytest.fixture
def demo_window(qtbot: QtBot, gui_ws: Workspace) -> MainWindow:
    create_demo(gui_ws)
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    return window


def test_people_model_passes_qtmodeltester(qtmodeltester: object, gui_ws: Workspace) -> None:
    for n in range(120):  # more than one fetch page
        create_person(gui_ws, f"Person {n:03d}")
    model = PeopleTableModel(gui_ws)
    model.reload()
    assert model.rowCount() == 100 and model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 120 and not model.canFetchMore(model.index(-1, -1))
    model.reload()
    qtmodeltester.check(model)  # fetches the rest itself
    model.set_search("person 11")
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [
        f"Person 11{n}" for n in range(10)
    ]


def test_visits_model_passes_qtmodeltester(qtmodeltester: object, gui_ws: Workspace) -> None:
    newest = create_demo(gui_ws)
    model = VisitsTableModel(gui_ws)
    model.show_person(visits.get_info(gui_ws, newest).person_id)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, 2)) == "Completed"
    assert model.data(model.index(0, 3)).startswith(("Low", "Moderate", "High"))
    model.show_person(None)
    qtmodeltester.check(model)


def test_search_and_buttons_follow_the_selection(demo_window: MainWindow) -> None:
    assert demo_window.stack.currentIndex() == 1
    demo_window.search.setText("álvarez")
    assert demo_window.people_model.rowCount() == 1
    demo_window.people.selectRow(0)
    assert demo_window.visits_model.rowCount() == 2
    demo_window.visits.selectRow(0)
    assert demo_window.summary_button.isEnabled() and not demo_window.resume_button.isEnabled()
    assert demo_window.compare_button.isEnabled() and demo_window.actions_button.isEnabled()
    demo_window.search.setText("nobody by that name")
    assert demo_window.people_model.rowCount() == 0
    assert demo_window.stack.currentIndex() == 1  # a search with no hits is not "first start"


def test_compare_shows_what_was_fixed(demo_window: MainWindow, boxes: object) -> None:
    demo_window.people.selectRow(0)
    demo_window.visits.selectRow(0)
    demo_window.compare()
    kind, _title, text = boxes.shown[-1]
    assert kind == "information" and "Fixed since then:" in text and "Loose rug or mat" in text


def test_marking_actions_done(qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace) -> None:
    demo_window.people.selectRow(0)
    demo_window.visits.selectRow(0)
    visit = demo_window.current_visit()
    assert visit is not None
    dialog = ActionsDialog(gui_ws, visit.id, demo_window)
    qtbot.addWidget(dialog)
    first = dialog.list.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    dialog.save()
    done = [a for a in visits.list_actions(gui_ws, visit.id) if a.status == "done"]
    assert len(done) == 1 and done[0].id == dialog.action_views[0].id


def test_pdf_export_runs_in_the_background(
    qtbot: QtBot, demo_window: MainWindow, gui_ws: Workspace, tmp_path: Path, boxes: object
) -> None:
    demo_window.people.selectRow(0)
    demo_window.visits.selectRow(0)
    visit = demo_window.current_visit()
    assert visit is not None
    view = SummaryView(gui_ws, demo_window.background)
    qtbot.addWidget(view)
    view.show_visit(visit.id)
    target = tmp_path / "plan.pdf"
    with qtbot.waitSignal(
        demo_window.background.busy, timeout=30_000, check_params_cb=lambda busy: busy is False
    ):
        view.save_pdf(target)
        assert not view.export_button.isEnabled()  # running: the button waits for it
        assert view.busy.isVisibleTo(view)
    assert target.read_bytes().startswith(b"%PDF")
    assert view.open_button.isEnabled()
    with qtbot.waitSignal(
        demo_window.background.busy, timeout=30_000, check_params_cb=lambda busy: busy is False
    ):
        view.save_pdf(Path("/sys/plan.pdf"))
    assert boxes.shown and boxes.shown[-1][0] == "warning"
    assert "cannot write" in boxes.shown[-1][2]


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
    assert 0 < report["startup_ms"] < 30_000 and report["people"] == 0


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
    assert "newer safetycheck" in process.stderr and "Traceback" not in process.stderr
