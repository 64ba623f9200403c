"""The guided view, one question at a time, driven as a caregiver would: with the mouse alone,
with the keyboard alone, "Not sure", follow-ups, Back across rooms, the progress and the steps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from drive import FOOT_DROP_AFO, answer_page, answer_row, fill_who, safe_value
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget, QWizard
from pytestqt.qtbot import QtBot

from safetycheck.domain.checklist import AnswerType
from safetycheck.domain.steps import StepKind
from safetycheck.services.workspace import Workspace
from safetycheck_ui.home_page import HomePage
from safetycheck_ui.item_row import ItemRow
from safetycheck_ui.items_page import END, ItemsPage
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton


def start(qtbot: QtBot, window: MainWindow) -> WalkthroughWizard:
    wizard = window.new_walkthrough(None)
    fill_who(wizard, name="Margaret Okafor")
    wizard.show()
    qtbot.waitExposed(wizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    qtbot.mouseClick(next_button, LEFT)
    assert wizard.session is not None
    return wizard


def guided_page(wizard: WalkthroughWizard) -> ItemsPage:
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage), page
    assert page.guided
    return page


def shown(page: ItemsPage) -> ItemRow:
    """The question the guided page shows now (there must be one)."""
    row = page.current_row()
    assert row is not None
    return row


def shown_rows(page: ItemsPage) -> list[ItemRow]:
    return [row for row in page.rows if row.isVisible()]


def value_for(row: ItemRow) -> str | float:
    return FOOT_DROP_AFO.get(row.item.id, safe_value(row))


def test_one_question_at_a_time_named_for_the_person(qtbot: QtBot, window: MainWindow) -> None:
    page = guided_page(start(qtbot, window))
    assert shown_rows(page) == [page.current_row()]  # one question, never a long form
    first = page.current_row()
    assert first is not None
    assert first.question.text() == "Ask Margaret Okafor: Have you fallen in the past year?"
    tiles = [first.value_buttons["yes"], first.value_buttons["no"], first.unsure_button]
    assert [tile.text() for tile in tiles if tile is not None] == [
        "Yes",
        "No",
        "Not sure: ask me later",
    ]
    qtbot.waitUntil(lambda: QApplication.focusWidget() in tiles)  # ready for the keyboard
    later = next(row for row in page.visible_rows() if row.item.id == "person.fd.present")
    assert "Margaret Okafor" in later.question.text()  # "Does Margaret Okafor have foot drop"


def test_answering_moves_on_and_a_follow_up_comes_next(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = guided_page(wizard)
    first = page.current_row()
    assert first is not None
    assert first.item.id == "steadi.si.01"
    count = next(row for row in page.rows if row.item.id == "person.falls.count")
    assert count not in page.visible_rows()
    answer_row(qtbot, first, "yes")
    assert page.current == "steadi.si.02"  # the Stay Independent items stay together
    assert "+4 questions" in page.progress.text()  # the total grew, and it says so
    asked = page.visible_rows()
    # The questions the yes brings in are asked where they belong: after the twelve items.
    assert asked.index(count) == 12
    assert first.value_buttons["yes"].text() == "✓ Yes"  # the choice in words, not colour alone
    qtbot.mouseClick(wizard.back_button, LEFT)
    assert page.current == first.item.id  # Back shows the answer given, erasing nothing
    answer_row(qtbot, first, "no")
    assert page.current == "steadi.si.02"  # the follow-ups went with the yes


def test_not_sure_moves_on_leaves_it_unanswered_and_lists_it_before_finishing(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    page = guided_page(wizard)
    first = page.current_row()
    assert first is not None
    assert first.unsure_button is not None
    qtbot.mouseClick(first.unsure_button, LEFT)
    assert page.current != first.item.id
    assert first.current() is None  # unknown, never taken as the safe answer
    session = wizard.session
    assert session is not None
    assert first.item.id in [entry.item.id for entry in session.unanswered()]


def test_a_double_click_does_not_answer_the_next_question(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ItemsPage, "SETTLE_SECONDS", 30.0)  # as if the second click came at once
    page = guided_page(start(qtbot, window))
    first = page.current_row()
    assert first is not None
    answer_row(qtbot, first, "no")
    second = page.current_row()
    assert second is not None
    assert second is not first
    qtbot.mouseClick(second.value_buttons["no"], LEFT)  # lands where "No" was a moment ago
    assert second.current() is None
    assert not second.saving
    assert not second.value_buttons["no"].isChecked()
    assert page.current == second.item.id


def moved_on(page: ItemsPage, row: ItemRow) -> Callable[[], bool]:
    return lambda: page.current != row.item.id


def focus_in(row: ItemRow) -> Callable[[], bool]:
    def inside() -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and row.isAncestorOf(focused)

    return inside


def left(wizard: WalkthroughWizard, page: object) -> Callable[[], bool]:
    return lambda: wizard.currentPage() is not page


def press_next(qtbot: QtBot, wizard: WalkthroughWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)


@pytest.mark.slow  # end to end
def test_a_whole_walkthrough_with_the_mouse_alone(qtbot: QtBot, window: MainWindow) -> None:
    """Every answer a click on a tile the person can see; Next and Finish clicked too."""
    wizard = start(qtbot, window)
    clicks = 0
    while not isinstance(wizard.currentPage(), SummaryPage):
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            while (row := page.current_row()) is not None:
                assert row.isVisible()
                value = value_for(row)
                if row.item.type is AnswerType.MEASURE:
                    press_next(qtbot, wizard)  # not measured: a caregiver moves on
                else:
                    tile = row.value_buttons[str(value)]
                    assert tile.isVisible()
                    qtbot.mouseClick(tile, LEFT)
                    qtbot.waitUntil(moved_on(page, row))
                clicks += 1
        press_next(qtbot, wizard)
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    session = wizard.session
    assert session is not None
    assert not session.unanswered()
    with qtbot.waitSignal(wizard.finished_visit, timeout=30_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)
    assert clicks == len(session.assessment.answers)


def key_for(row: ItemRow, value: str | float) -> Qt.Key:
    """The key that gives this answer: Y / N / A, or the choice's number."""
    letters = {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, "na": Qt.Key.Key_A}
    if row.item.type in (AnswerType.CHECK, AnswerType.YESNO):
        return letters[str(value)]
    number = list(row.value_buttons).index(str(value)) + 1
    return Qt.Key(Qt.Key.Key_0 + number)


@pytest.mark.slow  # end to end
def test_a_whole_walkthrough_with_the_keyboard_alone(qtbot: QtBot, window: MainWindow) -> None:
    """Each question takes one key where the focus already is; Enter is Next; nothing needs the
    mouse or a Tab count."""
    wizard = start(qtbot, window)
    while not isinstance(wizard.currentPage(), SummaryPage):
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            while (row := page.current_row()) is not None:
                qtbot.waitUntil(focus_in(row))
                focused = QApplication.focusWidget()
                assert isinstance(focused, QWidget)
                if row.item.type is AnswerType.MEASURE:
                    qtbot.keyClick(focused, Qt.Key.Key_Return)
                else:
                    qtbot.keyClick(focused, key_for(row, value_for(row)))
                qtbot.waitUntil(moved_on(page, row))
        before = wizard.currentPage()
        focused = QApplication.focusWidget()
        assert focused is not None
        assert wizard.isAncestorOf(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Return)  # Next, from wherever the focus is
        qtbot.waitUntil(left(wizard, before))
    session = wizard.session
    assert session is not None
    assert not session.unanswered()


def test_enter_on_a_tile_or_on_back_never_goes_back(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = guided_page(wizard)
    answer_row(qtbot, shown(page), "no")
    row = page.current_row()
    assert row is not None
    back = wizard.back_button
    assert isinstance(back, QPushButton)
    assert not back.autoDefault()
    assert not back.isDefault()
    position = page.position()
    back.setFocus()
    qtbot.keyClick(back, Qt.Key.Key_Return)
    assert page.position()[0] >= position[0]  # Enter went forward (Next), never back


def test_back_across_rooms_lands_on_the_last_question(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    rooms_seen: list[ItemsPage] = []
    while len(rooms_seen) < 2:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            if page.room_id is not None:
                rooms_seen.append(page)
            if len(rooms_seen) == 2:
                break
            answer_page(qtbot, page, FOOT_DROP_AFO)
        wizard.next()
    first_room, second_room = rooms_seen
    assert second_room.position()[0] == 1
    qtbot.mouseClick(wizard.back_button, LEFT)
    assert wizard.currentPage() is first_room
    assert first_room.current == first_room.visible_rows()[-1].item.id
    assert first_room.current_row() in shown_rows(first_room)


def test_the_step_list_says_what_is_done_and_the_progress_what_is_left(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    page = guided_page(wizard)
    steps = wizard.step_list
    texts = [steps.item(i).text() for i in range(steps.count())]
    assert texts[0].endswith("✓ done")  # who and how
    assert "▶ here" in texts[1]
    assert "The person" in texts[1]
    assert all("not started" in text for text in texts[2:-1])
    answered_before, total = wizard.progress_count()
    answer_row(qtbot, shown(page), "no")
    assert wizard.progress_count() == (answered_before + 1, total)
    assert page.progress_bar.value() == answered_before + 1
    assert "left, about" in page.progress.text()
    person = steps.item(1)
    assert person is not None
    assert "◐" in person.text()
    # Choosing a step in the list goes there.
    footwear = next(i for i in range(steps.count()) if steps.item(i).text().startswith("Footwear"))
    qtbot.mouseClick(
        steps.viewport(), LEFT, pos=steps.visualItemRect(steps.item(footwear)).center()
    )
    current = wizard.currentPage()
    assert isinstance(current, ItemsPage)
    assert current.step.kind is StepKind.FOOTWEAR


def test_adding_a_room_says_plus_one_room(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    while not isinstance(wizard.currentPage(), HomePage):
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, {})
        wizard.next()
    home = wizard.currentPage()
    assert isinstance(home, HomePage)
    session = wizard.session
    assert session is not None
    rooms = len(session.rooms())
    kind = window.ws.content.checklist.room_kinds[0].id
    session.add_room(kind, "Back porch")  # what the page's Add button asks of the session
    home.show_progress()
    assert len(session.rooms()) == rooms + 1
    assert "+1 room" in home.progress.text()


def test_the_end_card_says_what_is_left_here(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    page = guided_page(wizard)
    total = len(page.visible_rows())
    for _ in range(total):
        press_next(qtbot, wizard)  # Next without answering: each one stays unanswered
    assert page.current == END
    assert page.end_card.isVisible()
    assert f"{total} of {total} questions here are not answered yet" in page.end_card.text()
    press_next(qtbot, wizard)
    assert wizard.currentPage() is not page


def test_a_double_click_on_not_sure_or_next_skips_one_question_only(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = start(qtbot, window)
    page = guided_page(wizard)
    monkeypatch.setattr(ItemsPage, "SETTLE_SECONDS", 30.0)  # the second click comes at once
    first = page.current_row()
    assert first is not None
    assert first.unsure_button is not None
    first.hold_clicks(0)  # the first click is a real one
    qtbot.mouseClick(first.unsure_button, LEFT)
    second = page.current_row()
    assert second is not None
    assert second is not first
    assert second.unsure_button is not None
    qtbot.mouseClick(second.unsure_button, LEFT)  # the double click's second half
    assert page.current_row() is second
    press_next(qtbot, wizard)  # and a quick Next as well
    assert page.current_row() is second


def test_going_back_is_where_the_walkthrough_resumes(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    from safetycheck.services import assessments as visits

    wizard = start(qtbot, window)
    page = guided_page(wizard)
    answer_page(qtbot, page, {})
    press_next(qtbot, wizard)  # on to the home
    assert wizard.currentPage() is not page
    qtbot.mouseClick(wizard.back_button, LEFT)  # back through the history
    assert wizard.currentPage() is page
    back_at = page.page_key()
    assert back_at == f"person#{page.visible_rows()[-1].item.id}"
    session = wizard.session
    assert session is not None
    qtbot.waitUntil(lambda: not session.writing)
    assert visits.get_info(gui_ws, session.assessment_id).resume_at == back_at


def test_the_summary_says_which_questions_are_unanswered(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    while not isinstance(wizard.currentPage(), SummaryPage):
        wizard.next()  # Next alone: every question stays unanswered
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    session = wizard.session
    assert session is not None
    missing = session.unanswered()
    button = summary.unanswered_button
    assert button.isVisible()
    assert button.text() == f"See the {len(missing)} unanswered questions…"
    qtbot.mouseClick(button, LEFT)
    check = wizard.finish_check
    assert check is not None
    listed = [question for _step, questions in check.listed() for question in questions]
    assert len(listed) == len(missing)
    qtbot.mouseClick(check.go_back_button, LEFT)  # to the first of them
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    qtbot.waitUntil(lambda: page.current == missing[0].item.id)


def test_a_resume_point_whose_step_has_gone_opens_the_first_unfinished_step(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    from safetycheck_ui.session import WalkthroughSession

    first = start(qtbot, window)
    session = first.session
    assert session is not None
    answer_row(qtbot, shown(guided_page(first)), "no")
    qtbot.waitUntil(lambda: not session.writing)
    again = WalkthroughSession.open(gui_ws, session.assessment_id)
    wizard = WalkthroughWizard(gui_ws, window.ops, again, None, "room:removed#room.floors.rugs")
    qtbot.addWidget(wizard)
    assert wizard.startId() == wizard.page_for_key("person")
    wizard.show()
    assert wizard.currentPage().objectName() == "person"  # not "Who and how" again


def test_stopped_just_after_an_answer_it_resumes_at_the_next_question(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    from safetycheck.services import assessments as visits
    from safetycheck_ui.session import WalkthroughSession

    first = start(qtbot, window)
    session = first.session
    assert session is not None
    session._place_timer.setInterval(60_000)  # the power goes before the move is written
    page = guided_page(first)
    press_next(qtbot, first)  # the first question left for later
    answered = page.current_row()
    assert answered is not None
    answer_row(qtbot, answered, "no")
    following = page.current
    qtbot.waitUntil(lambda: not session.writing)
    stored = visits.get_info(gui_ws, session.assessment_id).resume_at
    assert stored == f"person#{answered.item.id}>"  # carried by the answer: answered
    wizard = WalkthroughWizard(
        gui_ws, window.ops, WalkthroughSession.open(gui_ws, session.assessment_id), None, stored
    )
    qtbot.addWidget(wizard)
    wizard.show()
    resumed = guided_page(wizard)
    # Not the question already answered, nor the first one left unanswered before it.
    assert resumed.current == following
