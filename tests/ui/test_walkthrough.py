"""The walkthrough driven through its real widgets, offscreen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from drive import FOOT_DROP_AFO, answer_page, answer_row, fill_who, walk_to_summary
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from safetycheck.services import assessments as visits
from safetycheck.services.workspace import Workspace
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.wizard import BRACE, ItemsPage, WalkthroughWizard


@pytest.fixture
def window(qtbot: QtBot, gui_ws: Workspace) -> MainWindow:
    main = MainWindow(gui_ws)
    qtbot.addWidget(main)
    main.show()
    return main


def start(qtbot: QtBot, window: MainWindow, ot: bool = False) -> WalkthroughWizard:
    wizard = window.new_walkthrough(None)  # owned (and deleted) by the main window
    fill_who(wizard, ot=ot)
    wizard.next()
    assert wizard.session is not None
    return wizard


def cli_score(db: Path, assessment_id: str) -> dict[str, object]:
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "safetycheck",
            "--db",
            f"sqlite:///{db}",
            "score",
            assessment_id,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(process.stdout)
    return result


def test_empty_database_offers_one_way_in_and_the_demo(window: MainWindow) -> None:
    assert window.stack.currentIndex() == 0
    assert window.start_button.isVisible() and window.demo_button.isVisible()
    window.demo_button.click()
    assert window.stack.currentIndex() == 1
    assert window.people_model.total == 1 and window.visits_model.rowCount() == 2


def test_full_caregiver_walkthrough(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace, tmp_path: Path
) -> None:
    wizard = start(qtbot, window)
    seen = walk_to_summary(qtbot, wizard, FOOT_DROP_AFO)
    assert seen[:2] == ["person", "home"]
    assert seen[-3:] == ["footwear", "brace", "summary"]
    assert sum(1 for key in seen if key.startswith("room:")) == 6
    session = wizard.session
    assert session is not None
    summary_text = wizard.currentPage().view.text.toPlainText()
    wizard.accept()
    info = visits.get_info(gui_ws, session.assessment_id)
    assert info.status == "completed"
    # The summary says what `safetycheck score` says for the same answers.
    scored = cli_score(tmp_path / "gui.sqlite3", session.assessment_id)
    assert (
        f"Fall risk: {str(scored['level']).capitalize()} risk (score {scored['score']})"
        in summary_text
    )
    for contributor in scored["contributors"][:8]:
        if contributor["points"] > 0:
            assert f"{contributor['label']}: +{contributor['points']}" in summary_text
    # Every question asked was answered, and the OT-only ones were not asked.
    result = visits.evaluate_visit(gui_ws, session.assessment_id).result
    assert result.unanswered == 0
    assert all(not a.item.startswith("room.bath.ot.") for a in session.assessment.answers)


def test_full_ot_walkthrough_with_measurements(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace, tmp_path: Path
) -> None:
    wizard = start(qtbot, window, ot=True)
    assert wizard.session is not None and wizard.session.assessment.mode.value == "ot"
    home = None
    while wizard.currentPage().page_key() != "home":
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, {})
        wizard.next()
    home = wizard.currentPage()
    wizard.session.add_room("stairs")
    wizard.session.update_room(wizard.session.rooms()[-1].id, stairs_daily=True)
    home.fill()
    wizard.next()
    seen = walk_to_summary(qtbot, wizard, {"room.stairs.ot.riser": 210, "room.bath.mat": "no"})
    assert any(key.startswith("room:") for key in seen)
    stairs = next(r for r in wizard.session.rooms() if r.kind == "stairs")
    riser = wizard.session.answer("room.stairs.ot.riser", stairs.id)
    assert riser is not None and (riser.value, riser.unit) == (210.0, "mm")
    wizard.accept()
    scored = cli_score(tmp_path / "gui.sqlite3", wizard.session.assessment_id)
    labels = [c["label"] for c in scored["contributors"]]
    assert any("Steps taller than usual" in label for label in labels)
    result = visits.evaluate_visit(gui_ws, wizard.session.assessment_id).result
    assert result.unanswered == 0


def test_back_and_next_keep_answers(qtbot: QtBot, window: MainWindow, gui_ws: Workspace) -> None:
    wizard = start(qtbot, window)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    first = page.visible_rows()[0]
    answer_row(qtbot, first, "yes")
    first.note.setText("fell in the garden")
    first.note.editingFinished.emit()
    answer_page(qtbot, page, {})
    wizard.next()
    wizard.back()
    again = wizard.currentPage()
    assert again is page
    assert first.value_buttons["no"].isChecked()  # answer_page answered it safely after
    stored = wizard.session.answer(first.item.id, None)
    assert stored is not None and stored.note == "fell in the garden"
    reloaded = visits.load_assessment(gui_ws, wizard.session.assessment_id)
    assert reloaded.answer(first.item.id) == stored


def test_brace_page_only_with_a_brace_and_stair_checks_only_with_stairs(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    seen = walk_to_summary(qtbot, wizard, {"person.fd.present": "yes", "person.fd.brace": "none"})
    assert "brace" not in seen
    assert not any(
        isinstance(wizard.page(i), ItemsPage)
        and any(r.item.id.startswith("room.stairs.") for r in wizard.page(i).rows)
        for i in wizard.room_pages
    )
    # Change the answer to "wears an AFO": the brace page joins the walkthrough.
    assert wizard.session is not None
    wizard.session.save("person.fd.brace", None, "afo", note="", unit="")
    assert BRACE in wizard.sequence()


def test_red_flag_appears_the_moment_it_is_answered(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    fd = next(r for r in page.rows if r.item.id == "person.fd.present")
    answer_row(qtbot, fd, "yes")
    assert not page.flags.isVisible()
    sudden = next(r for r in page.rows if r.item.id == "person.fd.sudden")
    assert sudden.isVisible()
    answer_row(qtbot, sudden, "yes")
    assert page.flags.isVisible()
    assert "seek medical attention now" in page.flags.label.text()
    assert "started suddenly" in page.flags.label.text()
    assert "Red flag" in sudden.status.text()  # in words, not only colour


def test_resume_after_restart_lands_where_it_stopped(
    qtbot: QtBot, gui_ws: Workspace, boxes: object
) -> None:
    first = MainWindow(gui_ws)
    qtbot.addWidget(first)
    wizard = start(qtbot, first)
    walk_steps = 0
    while wizard.currentPage().page_key() != "home":
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, FOOT_DROP_AFO)
        wizard.next()
        walk_steps += 1
    wizard.next()  # the first room
    room_page = wizard.currentPage()
    assert isinstance(room_page, ItemsPage)
    answer_row(qtbot, room_page.visible_rows()[0], "no")
    where = room_page.page_key()
    answered = len(wizard.session.assessment.answers)
    wizard.close()
    first.close()

    second = MainWindow(gui_ws)
    qtbot.addWidget(second)
    second.offer_resume()
    resumed = second.wizard
    assert resumed is not None
    assert resumed.currentPage().page_key() == where
    assert len(resumed.session.assessment.answers) == answered
    page = resumed.currentPage()
    assert isinstance(page, ItemsPage)
    assert page.visible_rows()[0].value_buttons["no"].isChecked()
    resumed.back()  # Back works after resuming
    assert resumed.currentPage().page_key() == "home"


def test_keyboard_answers_and_enter_goes_next(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    row = page.visible_rows()[0]
    row.value_buttons["yes"].setFocus()
    qtbot.keyClick(row.value_buttons["yes"], Qt.Key.Key_N)
    assert row.value_buttons["no"].isChecked()
    assert all(not button.autoDefault() for button in row.value_buttons.values())
    answer_page(qtbot, page, {})
    before = wizard.currentId()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.currentId() != before


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    answer_page(qtbot, page, FOOT_DROP_AFO)
    controls = page.findChildren(QAbstractButton) + page.findChildren(QLineEdit)
    assert len(controls) > 50
    for control in controls:
        name = control.accessibleName() or (
            control.text() if isinstance(control, QAbstractButton) else ""
        )
        assert name, control
    for row in page.rows:
        assert row.accessibleDescription() == row.item.help


def test_focus_moves_to_the_page_title(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    answer_page(qtbot, wizard.currentPage(), {})
    wizard.next()
    page = wizard.currentPage()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.heading)


def test_a_file_that_is_not_a_photo_shows_a_message(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, boxes: object
) -> None:
    wizard = start(qtbot, window)
    while not isinstance(wizard.currentPage(), ItemsPage) or wizard.currentPage().room_id is None:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, {})
        wizard.next()
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    fake = tmp_path / "rug.jpg"
    fake.write_text("not a picture")
    row = page.visible_rows()[0]
    assert not row.add_photo(fake)
    assert boxes.shown and "not a photo" in boxes.shown[-1][2]
    assert wizard.session.photos_for(row.item.id, row.room) == []


def test_text_size_can_be_enlarged_and_is_remembered(qtbot: QtBot, window: MainWindow) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font().pointSizeF()
    window.change_text_size(+1)
    assert app.font().pointSizeF() > before
    assert float(QSettings().value("ui/font_scale")) > 1.0
    window.change_text_size(0)
    assert abs(app.font().pointSizeF() - before) < 0.01


def test_a_person_far_down_the_list_can_start_a_walkthrough(
    qtbot: QtBot, gui_ws: Workspace
) -> None:
    from safetycheck.services.people import create_person

    for n in range(505):
        create_person(gui_ws, f"Aaron {n:03d}")
    last = create_person(gui_ws, "Zelda Young")
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    wizard = window.new_walkthrough(last.id)
    who = wizard.currentPage()
    assert who.person.currentData() == last.id
    who.assessor.setText("Luis")
    wizard.next()
    assert wizard.session is not None and wizard.session.assessment.person.id == last.id


def test_a_database_error_while_answering_is_a_message_not_a_silent_tick(
    qtbot: QtBot, window: MainWindow, boxes: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetycheck.services import assessments as service
    from safetycheck.store.errors import DatabaseUnusableError

    wizard = start(qtbot, window)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    row = page.visible_rows()[0]

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseUnusableError("the database could not be read or written (disk full)")

    monkeypatch.setattr(service, "record_answer", broken)
    row.value_buttons["yes"].click()
    assert not row.value_buttons["yes"].isChecked()
    assert row.current() is None
    assert "disk full" in boxes.shown[-1][2]
