"""The walkthrough driven through its real widgets, offscreen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from drive import (
    FOOT_DROP_AFO,
    answer_page,
    answer_row,
    fill_who,
    wait_idle,
    wait_saved,
    walk_to_summary,
)
from factories import safe_value
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from recorders import FileDialogs, InputDialogs, MessageBoxes

from safetycheck.domain.assessment import VisitStatus
from safetycheck.domain.checklist import Urgency
from safetycheck.domain.steps import StepKind
from safetycheck.domain.stratification import Level, LevelRange
from safetycheck.domain.wording import for_person, help_for_person
from safetycheck.services import assessments as visits
from safetycheck.services.workspace import Workspace
from safetycheck_ui.home_page import HomePage
from safetycheck_ui.item_row import ItemRow
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.step_page import StepPage, step_title
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.who_page import WhoPage
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton


def start(qtbot: QtBot, window: MainWindow, ot: bool = False) -> WalkthroughWizard:
    wizard = window.new_walkthrough(None)  # owned (and deleted) by the main window
    fill_who(wizard, ot=ot)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)  # once the list of people is in
    qtbot.mouseClick(next_button, LEFT)
    assert wizard.session is not None
    return wizard


def items_page(wizard: WalkthroughWizard) -> ItemsPage:
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage), page
    return page


def walk_to(qtbot: QtBot, wizard: WalkthroughWizard, key: str, answers: dict[str, Any]) -> None:
    """Answer each page and press Next until the page with this key."""
    while wizard.currentPage().objectName() != key:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, answers)
        assert wizard.nextId() != -1, f"no page {key}"
        wizard.next()


def finish(qtbot: QtBot, wizard: WalkthroughWizard) -> None:
    """Finish the visit (it is completed in the background) and wait for the wizard to close."""
    with qtbot.waitSignal(wizard.finished_visit, timeout=30_000):
        wizard.accept()


def walk_on_to_summary(qtbot: QtBot, wizard: WalkthroughWizard) -> SummaryPage:
    """Press Next (answering nothing more) until the summary, and wait until it is shown."""
    while wizard.nextId() != -1:
        wizard.next()
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(lambda: summary.view.evaluation is not None)
    return summary


def cli_score(db: Path, assessment_id: str) -> dict[str, Any]:
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
    result: dict[str, Any] = json.loads(process.stdout)
    return result


def test_empty_database_offers_one_way_in_and_the_demo(qtbot: QtBot, window: MainWindow) -> None:
    assert window.stack.currentIndex() == 0
    assert window.start_button.isVisible()
    assert window.demo_button.isVisible()
    qtbot.mouseClick(window.demo_button, LEFT)
    wait_idle(qtbot, window.ops)
    assert window.stack.currentIndex() == 1
    assert window.people_model.rowCount() == 1
    assert window.visits_model.rowCount() == 2


@pytest.mark.slow  # end to end: ./tasks.sh test runs it, ./tasks.sh check does not
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
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(lambda: summary.view.evaluation is not None)
    summary_text = summary.view.text.toPlainText()
    finish(qtbot, wizard)
    info = visits.get_info(gui_ws, session.assessment_id)
    assert info.status is VisitStatus.COMPLETED
    # The summary says what `safetycheck score` says for the same answers.
    scored = cli_score(tmp_path / "gui.sqlite3", session.assessment_id)
    level_range = LevelRange(*(Level(level) for level in scored["level_range"]))
    assert f"Fall risk: {level_range.label} (score {scored['score']})" in summary_text
    # Caregiver mode records no gait test: the level stays open, and the summary says why.
    assert scored["level"] is None
    assert scored["complete"] is True
    evaluation = summary.view.evaluation
    assert evaluation is not None
    assert evaluation.summary.certainty.startswith("The risk is between")
    assert evaluation.summary.certainty in summary_text
    for contributor in scored["contributors"][:8]:
        if contributor["points"] > 0:
            assert f"{contributor['label']}: +{contributor['points']}" in summary_text
    # Every question asked was answered, and the OT-only ones were not asked.
    result = visits.evaluate_visit(gui_ws, session.assessment_id).result
    assert result.unanswered == 0
    assert all(not a.item.startswith("room.bath.ot.") for a in session.assessment.answers)


@pytest.mark.slow  # end to end: ./tasks.sh test runs it, ./tasks.sh check does not
def test_full_ot_walkthrough_with_measurements(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace, tmp_path: Path
) -> None:
    wizard = start(qtbot, window, ot=True)
    session = wizard.session
    assert session is not None
    assert session.assessment.mode.value == "ot"
    walk_to(qtbot, wizard, "home", {})
    assert isinstance(wizard.currentPage(), HomePage)
    session.add_room("stairs")  # the home page follows the session's rooms
    session.update_room(session.rooms()[-1].id, stairs_daily=True)
    wizard.next()
    seen = walk_to_summary(qtbot, wizard, {"room.stairs.ot.riser": 210, "room.bath.mat": "no"})
    assert any(key.startswith("room:") for key in seen)
    stairs = next(r for r in session.rooms() if r.kind == "stairs")
    assert f"room:{stairs.id}" in seen
    riser = session.answer("room.stairs.ot.riser", stairs.id)
    assert riser is not None
    assert (riser.value, riser.unit) == (210.0, "mm")
    finish(qtbot, wizard)
    scored = cli_score(tmp_path / "gui.sqlite3", session.assessment_id)
    labels = [c["label"] for c in scored["contributors"]]
    assert any("Steps taller than usual" in label for label in labels)
    result = visits.evaluate_visit(gui_ws, session.assessment_id).result
    assert result.unanswered == 0


def next_step(wizard: WalkthroughWizard) -> None:
    """Press Next until the next step shows (guided, Next first goes through the questions)."""
    page = wizard.currentPage()
    for _ in range(200):
        wizard.next()
        if wizard.currentPage() is not page:
            return
    raise AssertionError("Next never left the page")


def previous_step(wizard: WalkthroughWizard) -> None:
    """Press Back until the step before shows (guided, Back first goes through the questions)."""
    page = wizard.currentPage()
    for _ in range(200):
        wizard.back()
        if wizard.currentPage() is not page:
            return
    raise AssertionError("Back never left the page")


def test_back_and_next_keep_answers(qtbot: QtBot, window: MainWindow, gui_ws: Workspace) -> None:
    wizard = start(qtbot, window)
    session = wizard.session
    assert session is not None
    page = items_page(wizard)
    first = page.visible_rows()[0]
    assert page.current_row() is first  # guided: one question at a time
    qtbot.keyClicks(first.note, "fell in the garden")  # the note, then the answer
    answer_row(qtbot, first, "yes")
    assert page.current != first.item.id  # answering moved on
    answer_page(qtbot, page, {})
    wizard.next()
    qtbot.mouseClick(wizard.back_button, LEFT)
    again = wizard.currentPage()
    assert again is page
    assert page.current == page.visible_rows()[-1].item.id  # back at the step's last question
    while page.current != first.item.id:  # Back, question by question, erases nothing
        qtbot.mouseClick(wizard.back_button, LEFT)
    assert first.isVisible()
    assert first.value_buttons["yes"].isChecked()
    assert first.value_buttons["yes"].text() == "✓ Yes"  # chosen: in words, not only colour
    assert all(row.current() is not None for row in page.visible_rows())
    stored = session.answer(first.item.id, None)
    assert stored is not None
    assert stored.note == "fell in the garden"
    reloaded = visits.load_assessment(gui_ws, session.assessment_id)
    assert reloaded.answer(first.item.id) == stored


def shown_on(wizard: WalkthroughWizard, key: str) -> set[str]:
    """The questions the page of this step shows now (after its answers are re-checked)."""
    page_id = wizard.page_for_key(key)
    assert page_id is not None, key
    page = wizard.page(page_id)
    assert isinstance(page, ItemsPage)
    page.update_visible()
    return {row.item.id for row in page.visible_rows()}


def test_brace_and_skin_page_for_everyone_with_foot_drop_and_indoor_stair_checks_with_stairs(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    seen = walk_to_summary(qtbot, wizard, {"person.fd.present": "yes", "person.fd.brace": "none"})
    # Foot drop without a brace: the skin check, the warning-sign skin question and the
    # clothing-at-the-knee advice are for everyone with foot drop; the brace's own checks not.
    assert "brace" in seen
    assert wizard.step_keys().index("brace") == wizard.step_keys().index("summary") - 1
    without_brace = shown_on(wizard, "brace")
    assert {"brace.skin.daily", "brace.skin.damage", "brace.clothing"} <= without_brace
    assert not {"brace.strap_knee", "brace.sock", "brace.fes.skin"} & without_brace
    rooms = [page for page in wizard.pages() if page.step.kind is StepKind.ROOM]
    assert len(rooms) == 6
    # No stairs among the rooms: no indoor stair checks; the entrance asks about its steps
    # (whether the person manages them and holds the rail: HOME FAST item 19).
    indoor_stairs = {"room.stairs.rails", "room.stairs.steps", "room.stairs.edges"}
    asked = {
        page.step.room.kind: {row.item.id for row in page.rows}
        for page in rooms
        if isinstance(page, ItemsPage) and page.step.room is not None
    }
    assert "stairs" not in asked
    assert not any(indoor_stairs & items for items in asked.values())
    assert {"room.stairs.manage", "room.stairs.uses_rails"} <= asked["entrance"]
    session = wizard.session
    assert session is not None
    # An AFO brings in the brace checks; a stimulation device (FES) its own skin checks.
    session.save("person.fd.brace", None, "afo")
    assert {"brace.strap_knee", "brace.sock", "brace.skin.red30"} <= shown_on(wizard, "brace")
    session.save("person.fd.brace", None, "fes")
    with_fes = shown_on(wizard, "brace")
    assert {"brace.fes.skin", "brace.fes.routine", "brace.skin.daily"} <= with_fes
    assert "brace.sock" not in with_fes
    # No foot drop: no brace-and-skin step at all.
    session.save("person.fd.present", None, "no")
    assert "brace" not in wizard.step_keys()


def row_of(page: ItemsPage, item: str) -> ItemRow:
    return next(row for row in page.rows if row.item.id == item)


def test_red_flag_appears_the_moment_it_is_answered(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = items_page(wizard)
    assert not page.flags.isVisible()
    new_weakness = row_of(page, "person.rf.new_weakness")
    assert new_weakness in page.visible_rows()  # asked of everyone, whatever the other answers
    page.show_item(new_weakness.item.id)
    assert new_weakness.isVisible()
    answer_row(qtbot, new_weakness, "yes")
    assert page.flags.isVisible()
    today = window.ws.content.checklist.urgency(Urgency.TODAY)
    text = page.flags.text()
    assert today.title == "Get seen today"
    assert f"RED FLAG — {today.title}" in text
    assert "new in the past four weeks" in text  # the warning sign, in words
    assert today.advice in text  # what to do: the tier's own words from the content
    assert page.flags.accessibleName() == text
    assert f"Red flag: {today.title}." in new_weakness.status.text()  # in words, not colour
    qtbot.mouseClick(wizard.back_button, LEFT)  # back to it
    assert new_weakness.isVisible()
    answer_row(qtbot, new_weakness, "no")
    assert not page.flags.isVisible()


def test_the_banner_shows_the_emergency_first_with_what_to_do(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    page = items_page(wizard)
    answer_row(qtbot, row_of(page, "person.rf.new_weakness"), "yes")
    answer_row(qtbot, row_of(page, "person.rf.bladder_bowel"), "yes")
    checklist = window.ws.content.checklist
    emergency, today = checklist.urgency(Urgency.EMERGENCY), checklist.urgency(Urgency.TODAY)
    assert emergency.title == "Call the emergency number now"
    titles = [title.text().splitlines()[0] for title, _advice in page.flags.tiers]
    assert titles == [f"⚠ RED FLAG — {emergency.title}:", f"⚠ RED FLAG — {today.title}:"]
    first_title, first_advice = page.flags.tiers[0]
    assert "bladder or bowel" in first_title.text()
    assert first_advice.text() == emergency.advice
    # The same words on the next page, and in the summary.
    answer_page(qtbot, page, {"person.rf.new_weakness": "yes", "person.rf.bladder_bowel": "yes"})
    wizard.next()
    following = wizard.currentPage()
    assert isinstance(following, StepPage)
    assert following.flags.isVisible()
    assert following.flags.text() == page.flags.text()
    summary = walk_on_to_summary(qtbot, wizard)
    shown = summary.view.text.toPlainText()
    assert shown.index(emergency.title) < shown.index(today.title) < shown.index("Fall risk:")
    assert emergency.advice in shown
    assert today.advice in shown


def test_resume_after_restart_lands_where_it_stopped(
    qtbot: QtBot, gui_ws: Workspace, boxes: MessageBoxes
) -> None:
    first = MainWindow(gui_ws)
    qtbot.addWidget(first)
    wizard = start(qtbot, first)
    walk_to(qtbot, wizard, "home", FOOT_DROP_AFO)
    wizard.next()  # the first room
    room_page = items_page(wizard)
    first_question = room_page.visible_rows()[0]
    answer_row(qtbot, first_question, "no")
    where = room_page.step.key
    question = room_page.current  # guided: answering moved on to the next question
    assert question not in ("", first_question.item.id)
    assert room_page.page_key() == f"{where}#{question}"
    assert wizard.session is not None
    answered = len(wizard.session.assessment.answers)
    wizard.close()
    first.close()

    second = MainWindow(gui_ws)
    qtbot.addWidget(second)
    wait_idle(qtbot, second.ops)
    second.offer_resume()
    qtbot.waitUntil(lambda: second.wizard is not None)
    resumed = second.wizard
    assert resumed is not None
    assert resumed.session is not None
    assert boxes.last("question")[0] == "Carry on?"
    assert resumed.currentPage().objectName() == where
    # Started there, not walked to: no page before it was shown on the way.
    assert resumed.visitedIds() == [resumed.currentId()] == [resumed.startId()]
    assert len(resumed.session.assessment.answers) == answered
    page = items_page(resumed)
    assert page.current == question  # the very question it stopped at
    assert page.visible_rows()[0].value_buttons["no"].isChecked()
    qtbot.mouseClick(resumed.back_button, LEFT)  # Back works after resuming
    assert page.current == first_question.item.id
    qtbot.mouseClick(resumed.back_button, LEFT)
    assert resumed.currentPage().objectName() == "home"
    resumed.back()
    assert resumed.currentPage().objectName() == "person"
    next_step(resumed)
    next_step(resumed)
    assert resumed.currentPage().objectName() == where  # and forward again
    previous_step(resumed)
    assert resumed.currentPage().objectName() == "home"


def test_opening_a_finished_visit_shows_its_summary_and_edits_from_the_start(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.mouseClick(window.demo_button, LEFT)
    wait_idle(qtbot, window.ops)
    window.visits.selectRow(0)
    assert window.summary_button.isEnabled()
    qtbot.mouseClick(window.summary_button, LEFT)  # the summary, read only
    assert window.summary_window is not None
    assert window.wizard is None
    summary_text = window.summary_window.view
    qtbot.waitUntil(lambda: summary_text.evaluation is not None)
    assert "Fall risk:" in summary_text.text.toPlainText()  # the summary, before any editing
    # "Edit answers": the walkthrough, from its first questions (not at "Finish the visit").
    qtbot.mouseClick(window.summary_window.edit_button, LEFT)
    qtbot.waitUntil(lambda: window.wizard is not None)
    wizard = window.wizard
    assert wizard is not None
    first = wizard.currentPage()
    assert not isinstance(first, SummaryPage)
    assert first.objectName() == "person"
    assert wizard.back_button.isVisible()  # back to who and how (or the falls) from there


def test_keyboard_answers_and_enter_goes_next(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = items_page(wizard)
    row = page.visible_rows()[0]
    row.value_buttons["yes"].setFocus()
    qtbot.keyClick(row.value_buttons["yes"], Qt.Key.Key_N)
    assert row.value_buttons["no"].isChecked()
    assert all(not button.autoDefault() for button in row.value_buttons.values())
    answer_page(qtbot, page, {})
    before = wizard.currentId()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.currentId() != before


def assert_named(page: ItemsPage) -> int:
    """Every control of the page has an accessible name of its own, and a name that says which
    question it belongs to where its visible text does not; returns how many were checked."""
    controls: list[QWidget] = [*page.findChildren(QAbstractButton), *page.findChildren(QLineEdit)]
    controls += page.findChildren(QAbstractSpinBox)
    for control in controls:
        if isinstance(control, QLineEdit) and isinstance(control.parent(), QAbstractSpinBox):
            continue  # a spin box's own editor: the spin box carries the name
        assert control.accessibleName(), control  # set on the control, never its visible text
    name = page.session().info.person_name
    for row in page.rows:
        question = row.text
        assert question == for_person(row.item.text, name)  # worded for the person
        assert row.accessibleName() == question
        # (In the grid the row itself has the focus: what is saved comes first.)
        assert row.accessibleDescription().endswith(help_for_person(row.item.help, name))
        if row.grid:
            assert row.accessibleDescription().startswith(row.status.text())
        for value, button in row.value_buttons.items():
            # Which question a "Yes" answers is in the name, not on the button.
            label = button.property("answer_label")
            assert button.accessibleName() == f"{label}: {question}", value
            assert button.text() in (label, f"✓ {label}")  # ticked when chosen
            assert button.accessibleName() != button.text()
        assert row.note.accessibleName() == f"Note: {question}"
        assert row.photo_button.accessibleName() == f"Add a photo: {question}"
        assert row.photo_button.accessibleName() != row.photo_button.text()
        if row.spin is not None:
            assert row.spin.accessibleName() == f"Measurement: {question}"
    assert page.heading.accessibleName() == page.heading.text() == page.step.title
    return len(controls)


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window, ot=True)
    person = items_page(wizard)
    answer_page(qtbot, person, FOOT_DROP_AFO)
    assert assert_named(person) > 50
    assert any(row.spin is not None for row in person.rows)  # the gait tests, in OT mode
    # A room in OT mode: measurements (with units) besides the answer buttons.
    wizard.next()
    while not (
        isinstance(page := wizard.currentPage(), ItemsPage)
        and page.room_id is not None
        and any(row.spin is not None for row in page.rows)
    ):
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, {})
        wizard.next()
    room = items_page(wizard)
    assert room.room_id is not None
    assert assert_named(room) > 10


def test_focus_moves_to_the_page_title(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    answer_page(qtbot, items_page(wizard), {})
    wizard.next()
    page = wizard.currentPage()
    assert isinstance(page, HomePage)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.heading)


def walk_to_first_room(qtbot: QtBot, wizard: WalkthroughWizard) -> ItemsPage:
    while not isinstance(wizard.currentPage(), ItemsPage) or items_page(wizard).room_id is None:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, {})
        wizard.next()
    return items_page(wizard)


def test_a_file_that_is_not_a_photo_shows_a_message(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    boxes: MessageBoxes,
    file_dialogs: FileDialogs,
) -> None:
    wizard = start(qtbot, window)
    page = walk_to_first_room(qtbot, wizard)
    fake = tmp_path / "rug.jpg"
    fake.write_text("not a picture")
    row = page.visible_rows()[0]
    file_dialogs.answers.append(fake)
    qtbot.mouseClick(row.photo_button, LEFT)
    assert file_dialogs.asked[-1][0] == "getOpenFileName"
    assert boxes.shown
    assert "not a photo" in boxes.shown[-1][2]
    assert boxes.shown[-1][1] == "The photo was not added"
    assert wizard.session is not None
    assert wizard.session.photos_for(row.item.id, row.room) == []
    assert not row.add_photo(fake)  # the same through a drop
    assert row.photos is not None
    assert not row.photos.isVisibleTo(row)


def test_adding_a_photo(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, gui_ws: Workspace, file_dialogs: FileDialogs
) -> None:
    wizard = start(qtbot, window)
    page = walk_to_first_room(qtbot, wizard)
    picture = tmp_path / "loose rug.png"
    Image.new("RGB", (640, 480), (200, 120, 40)).save(picture)
    row = page.visible_rows()[0]
    file_dialogs.answers.append(picture)
    qtbot.mouseClick(row.photo_button, LEFT)
    assert row.photos is not None
    assert row.photos.isVisibleTo(row)  # a thumbnail, not a file name
    assert [button.accessibleDescription() for button in row.photos.buttons] == ["loose rug.png"]
    assert wizard.session is not None
    stored = wizard.session.photos_for(row.item.id, row.room)
    assert [(p.filename, p.width, p.height) for p in stored] == [("loose rug.png", 640, 480)]
    again = visits.load_visit(gui_ws, wizard.session.assessment_id)
    assert [p.id for p in again.photos] == [stored[0].id]  # saved, not only shown


def test_rooms_can_be_added_renamed_and_removed(
    qtbot: QtBot, window: MainWindow, input_dialogs: InputDialogs, boxes: MessageBoxes
) -> None:
    wizard = start(qtbot, window)
    walk_to(qtbot, wizard, "home", {})
    home = wizard.currentPage()
    assert isinstance(home, HomePage)
    session = wizard.session
    assert session is not None
    rooms_before = home.table.rowCount()
    room_steps = [key for key in wizard.step_keys() if key.startswith("room:")]
    assert len(room_steps) == rooms_before

    input_dialogs.answers += ["Bedroom", "Guest room"]
    qtbot.mouseClick(home.add_button, LEFT)
    assert home.table.rowCount() == rooms_before + 1
    added = session.rooms()[-1]
    assert (added.name, added.kind) == ("Guest room", "bedroom")
    name_cell = home.table.item(rooms_before, 0)
    assert name_cell is not None
    assert name_cell.text() == "Guest room"
    assert f"room:{added.id}" in wizard.step_keys()
    page_id = wizard.page_for_key(f"room:{added.id}")
    assert page_id is not None  # its page is there for when Next reaches it

    home.table.setCurrentCell(rooms_before, 0)
    input_dialogs.answers.append("Spare room")
    qtbot.mouseClick(home.rename_button, LEFT)
    assert input_dialogs.asked[-1] == ("text", "Rename the room", "New name:")
    renamed_cell = home.table.item(rooms_before, 0)
    assert renamed_cell is not None
    assert renamed_cell.text() == "Spare room"
    renamed_page = wizard.step_page(page_id)
    assert renamed_page is not None
    assert renamed_page.heading.text() == "Spare room"

    first = session.rooms()[0]
    home.table.setCurrentCell(0, 0)
    qtbot.mouseClick(home.remove_button, LEFT)
    assert boxes.last("question") == ("Remove a room", f"Remove {first.name}?")
    assert home.table.rowCount() == rooms_before
    assert first.id not in [room.id for room in session.rooms()]
    assert f"room:{first.id}" not in wizard.step_keys()
    assert wizard.page_for_key(f"room:{first.id}") is None

    # Walking on, the room pages are the home's rooms, in order, under their names now.
    seen = walk_to_summary(qtbot, wizard, {})
    assert [key for key in seen if key.startswith("room:")] == [
        f"room:{room.id}" for room in session.rooms()
    ]
    assert "Spare room" in [page.heading.text() for page in wizard.pages()]


def test_a_room_refused_is_a_message(
    qtbot: QtBot,
    window: MainWindow,
    input_dialogs: InputDialogs,
    boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from safetycheck.store.errors import DatabaseUnusableError

    wizard = start(qtbot, window)
    walk_to(qtbot, wizard, "home", {})
    home = wizard.currentPage()
    assert isinstance(home, HomePage)
    rows = home.table.rowCount()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise DatabaseUnusableError("the database could not be read or written (disk full)")

    monkeypatch.setattr(visits, "add_room", broken)
    input_dialogs.answers += ["Bedroom", ""]
    qtbot.mouseClick(home.add_button, LEFT)
    assert boxes.last("warning") == (
        "The room was not added",
        "the database could not be read or written (disk full)",
    )
    assert home.table.rowCount() == rows


def test_text_size_can_be_enlarged_and_is_remembered(window: MainWindow) -> None:
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
    assert isinstance(who, WhoPage)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)  # once the list of people is in
    assert who.person.currentData() == last.id
    who.assessor.setText("Luis")
    wizard.next()
    assert wizard.session is not None
    assert wizard.session.assessment.person.id == last.id


def test_the_first_page_keeps_what_was_typed_when_the_start_is_refused(
    qtbot: QtBot, window: MainWindow, boxes: MessageBoxes
) -> None:
    wizard = window.new_walkthrough(None)
    who = wizard.currentPage()
    assert isinstance(who, WhoPage)
    qtbot.keyClicks(who.assessor, "Luis")  # and no name for the new person
    wizard.next()
    assert wizard.session is None
    assert wizard.currentPage() is who
    title, text = boxes.last("warning")
    assert title == "The walkthrough was not started"
    assert text == "A person needs a name."  # a sentence, not a raw lower-case reason
    assert who.assessor.text() == "Luis"


def test_a_database_error_while_answering_is_a_message_not_a_silent_tick(
    qtbot: QtBot, window: MainWindow, boxes: MessageBoxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetycheck.store.errors import DatabaseUnusableError

    wizard = start(qtbot, window)
    page = items_page(wizard)
    row = page.visible_rows()[0]

    def broken(*_args: object, **_kwargs: object) -> None:
        raise DatabaseUnusableError("the database could not be read or written (disk full)")

    monkeypatch.setattr(visits, "record_answer", broken)
    qtbot.mouseClick(row.value_buttons["yes"], LEFT)
    assert row.status.text() == "Saving…"  # written in the background: never "Saved" yet
    wait_saved(qtbot, row)
    assert not row.value_buttons["yes"].isChecked()
    assert row.current() is None
    assert "disk full" in boxes.shown[-1][2]
    assert boxes.shown[-1][1] == "The answer was not saved"
    assert row.status.text() == "Not answered yet"


def test_no_question_runs_off_the_page(qtbot: QtBot, window: MainWindow) -> None:
    """Every page's questions fit the walkthrough's width (its scroll area never scrolls
    sideways, so anything wider would be cut off: notes, buttons, the frame's edge)."""
    wizard = start(qtbot, window, ot=True)
    wizard.show()
    qtbot.waitExposed(wizard)
    checked = 0
    while True:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, FOOT_DROP_AFO)
            QApplication.processEvents()
            wide = page.inner.minimumSizeHint().width()
            assert wide <= page.scroller.viewport().width(), page.objectName()
            checked += 1
        if wizard.nextId() == -1:
            break
        wizard.next()
    assert checked >= 8


def test_the_summary_of_an_unfinished_visit_says_so_and_never_no_red_flags(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    summary = walk_on_to_summary(qtbot, wizard)  # nothing answered at all
    evaluation = summary.view.evaluation
    assert evaluation is not None
    said = evaluation.summary
    shown = summary.view.text.toPlainText()
    assert said.unanswered_red_flags  # the warning-sign questions are not asked yet
    assert said.certainty.startswith("Not finished:")
    assert said.red_flag_status.startswith("No warning sign found so far, but")
    # What is not known comes first, before the level; never a reassurance.
    assert shown.index(said.red_flag_status) < shown.index(said.certainty)
    assert shown.index(said.certainty) < shown.index(f"Fall risk: {said.level_label}")
    assert "No red flags" not in shown
    assert "Nothing needs fixing" not in shown
    assert "they do not count" not in shown
    assert said.score_line in shown

    # Every warning-sign question answered "no", the rest still open: "No red flags" now, in
    # the content's words, and still "Not finished".
    session = wizard.session
    assert session is not None
    session.save("person.fd.present", None, "no")
    for item in session.checklist.items:
        if (
            item.red_flag is not None
            and item.person_level
            and session.answer(item.id, None) is None
        ):
            session.save(item.id, None, "no")
    with qtbot.waitSignal(summary.view.shown, timeout=30_000):
        summary.view.show_visit(session.assessment_id)
    again = summary.view.evaluation
    assert again is not None
    assert not again.summary.unanswered_red_flags
    shown = summary.view.text.toPlainText()
    assert again.summary.red_flag_status.startswith("No red flags")
    assert again.summary.red_flag_status in shown
    assert "Not finished:" in shown
    assert "Nothing needs fixing" not in shown


def test_finishing_with_questions_unanswered_lists_them_and_asks(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    wizard = start(qtbot, window)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    answer_page(qtbot, items_page(wizard), FOOT_DROP_AFO)  # the person only, not the home
    walk_on_to_summary(qtbot, wizard)
    session = wizard.session
    assert session is not None
    visit = session.assessment_id
    missing = session.unanswered()
    # The same questions the scoring counts as unanswered.
    assert len(missing) == visits.evaluate_visit(gui_ws, visit).result.unanswered > 0
    assert all(entry.step.kind is not StepKind.PERSON for entry in missing)

    wizard.accept()  # what the Finish button does
    check = wizard.finish_check
    assert check is not None
    assert check.isVisible()
    listed = check.listed()
    questions = [question for _step, questions in listed for question in questions]
    name = session.info.person_name
    # Every one, in walkthrough order, worded as the walkthrough asked it.
    assert questions == [for_person(entry.item.text, name) for entry in missing]
    assert check.tree.topLevelItemCount() == len(listed)
    room = session.rooms()[0]
    in_room = sum(1 for entry in missing if entry.step.room_id == room.id)
    home = sum(1 for entry in missing if entry.step.kind is StepKind.HOME_CHECKS)
    assert listed[0][0] == f"Around the home: {home} unanswered"  # asked once for the home
    assert listed[1][0] == f"{room.name}: {in_room} unanswered"  # a room check: under its room
    assert [step.split(":")[0] for step, _questions in listed] == list(
        dict.fromkeys(step_title(entry.step) for entry in missing)
    )

    # Cancel: nothing is finished, the summary stays.
    qtbot.mouseClick(check.stay_button, LEFT)
    assert wizard.finish_check is None
    assert visits.get_info(gui_ws, visit).status is VisitStatus.IN_PROGRESS
    assert isinstance(wizard.currentPage(), SummaryPage)

    # Go back: to the step of the first unanswered question, with the focus on it.
    wizard.accept()
    check = wizard.finish_check
    assert check is not None
    qtbot.mouseClick(check.go_back_button, LEFT)
    assert wizard.currentPage().objectName() == missing[0].step.key
    page = items_page(wizard)
    first = row_of(page, missing[0].item.id)
    # The wizard's focus (the window is active again once the dialog has gone).
    qtbot.waitUntil(lambda: first.isAncestorOf(wizard.focusWidget()))
    assert visits.get_info(gui_ws, visit).status is VisitStatus.IN_PROGRESS

    # Or to the step of the question chosen in the list (the last one here).
    walk_on_to_summary(qtbot, wizard)
    wizard.accept()
    check = wizard.finish_check
    assert check is not None
    last_group = check.tree.topLevelItem(check.tree.topLevelItemCount() - 1)
    assert last_group is not None
    check.tree.setCurrentItem(last_group.child(last_group.childCount() - 1))
    qtbot.mouseClick(check.go_back_button, LEFT)
    assert wizard.currentPage().objectName() == missing[-1].step.key != missing[0].step.key

    # Finish anyway: finished, with the questions still unanswered.
    walk_on_to_summary(qtbot, wizard)
    wizard.accept()
    check = wizard.finish_check
    assert check is not None
    with qtbot.waitSignal(wizard.finished_visit, timeout=30_000):
        qtbot.mouseClick(check.finish_button, LEFT)
    info = visits.get_info(gui_ws, visit)
    assert info.status is VisitStatus.COMPLETED
    result = visits.evaluate_visit(gui_ws, visit).result
    assert result.unanswered == len(missing)
    assert info.level == result.level_range.key


def test_finishing_with_every_question_answered_asks_nothing(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    wizard = start(qtbot, window)
    session = wizard.session
    assert session is not None
    while missing := session.unanswered():  # answers bring in follow-up questions
        for entry in missing:
            session.save(entry.item.id, entry.step.room_id, safe_value(entry.item))
    walk_on_to_summary(qtbot, wizard)
    with qtbot.waitSignal(wizard.finished_visit, timeout=30_000):
        wizard.accept()
    assert wizard.finish_check is None  # never asked
    result = visits.evaluate_visit(gui_ws, session.assessment_id).result
    assert result.complete
    assert visits.get_info(gui_ws, session.assessment_id).status is VisitStatus.COMPLETED


def test_only_the_chosen_gait_test_is_asked(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    """The OT says which walking test was done; only its result is then asked (so one result
    settles the level), and the finish check lists what the scoring counts."""
    wizard = start(qtbot, window, ot=True)
    session = wizard.session
    assert session is not None

    def unanswered() -> set[str]:
        return {entry.item.id for entry in session.unanswered()}

    assert "person.gait.test" in unanswered()
    assert not {"person.gait.tug", "person.gait.speed"} & unanswered()  # not until chosen
    session.save("person.gait.test", None, "speed")
    qtbot.waitUntil(lambda: "person.gait.speed" in unanswered())
    assert "person.gait.tug" not in unanswered()
    session.save("person.gait.speed", None, 1.2, unit="m/s")
    qtbot.waitUntil(lambda: "person.gait.speed" not in unanswered())
    result = visits.evaluate_visit(gui_ws, session.assessment_id).result
    assert result.unanswered == len(session.unanswered())
