"""Markup in everything a user types or imports is shown as text, never rendered: a person's
name and notes, the assessor, room names, answer notes and a photo's file name, driven through
the main window, every page of the walkthrough, the summary, the dialogs and the messages."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from drive import FOOT_DROP_AFO, answer_page, wait_idle, wait_saved
from PIL import Image
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QDate, QModelIndex, Qt
from PySide6.QtGui import Qt as QtGui  # QtGui's Qt namespace holds mightBeRichText
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QTextEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from recorders import FileDialogs, InputDialogs, MessageBoxes

from safetycheck.services.demo import create_demo
from safetycheck.services.people import edit_person, list_people
from safetycheck.services.workspace import Workspace
from safetycheck_ui.dialogs import ActionsDialog, PersonDialog
from safetycheck_ui.falls_page import FallsPage
from safetycheck_ui.home_page import HomePage
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.step_page import StepPage
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.who_page import WhoPage
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton
MARK = '<img src="/x.png"><h1>ADMIN</h1><b>bold</b>&amp;'
FILE_MARK = "<img src=x.png><b>bold&amp;"  # a file name holds no slash
NAME = f"{MARK} Rosa"
ROOM = f"{MARK} Hallway"
NEW_ROOM = f"{MARK} Guest room"
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole)


def marked(text: object) -> bool:
    return isinstance(text, str) and ("<b>bold" in text or "ADMIN" in text)


def literal(text: str) -> bool:
    """The user's markup is there exactly as given (not turned into something else)."""
    return MARK in text or FILE_MARK in text


def check_cells(model: QAbstractItemModel, seen: Counter[str]) -> None:
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(model.rowCount(root)):
        for column in range(columns):
            index = model.index(row, column)
            for role in ROLES:
                value = model.data(index, role)
                if role != Qt.ItemDataRole.DisplayRole:
                    # A tool tip or What's This would be rendered as rich text if it looked so.
                    assert not (isinstance(value, str) and QtGui.mightBeRichText(value)), value
                elif marked(value):
                    assert literal(value), value
                    seen["cell"] += 1


def check_label(label: QLabel, seen: Counter[str]) -> None:
    """Qt's own rule: a label renders its text as rich text unless it is PlainText, or it is
    AutoText and the text does not look like markup."""
    text = label.text()
    assert label.textFormat() == Qt.TextFormat.PlainText or not QtGui.mightBeRichText(text), (
        f"{label.objectName() or label!r} renders {text!r} as rich text"
    )
    if marked(text):
        assert literal(text), text
        seen["label"] += 1


def check_browser(browser: QTextEdit, seen: Counter[str]) -> None:
    """The summary: the user's markup is in its text, and no element of it in its HTML."""
    html = browser.toHtml()
    assert "<img" not in html, html
    assert "<h1" not in html, html
    if marked(browser.toPlainText()):
        assert MARK in browser.toPlainText()
        seen["browser"] += 1


def check_view(view: QAbstractItemView, seen: Counter[str]) -> None:
    # The default delegate paints the display text as plain text; another one might not.
    assert type(view.itemDelegate()) is QStyledItemDelegate, view.itemDelegate()
    model = view.model()
    if model is not None:
        check_cells(model, seen)


def written_texts(widget: QWidget) -> tuple[str, list[str]] | None:
    """Widgets that always draw their text as written: what kind, and their texts."""
    if isinstance(widget, QAbstractButton):
        return "button", [widget.text()]
    if isinstance(widget, QComboBox):
        return "combo", [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QLineEdit):
        return "edit", [widget.text()]
    if isinstance(widget, QPlainTextEdit):
        return "edit", [widget.toPlainText()]
    return None


def check_widget(widget: QWidget, seen: Counter[str]) -> None:
    if isinstance(widget, QLabel):
        check_label(widget, seen)
    elif isinstance(widget, QTextEdit):  # the summary's QTextBrowser
        check_browser(widget, seen)
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        check_view(widget, seen)
    else:
        written = written_texts(widget)
        kind, texts = written if written is not None else ("", [])
        for text in filter(marked, texts):
            assert literal(text), text
            seen[kind] += 1
    if widget.isWindow():
        assert not marked(widget.windowTitle()), widget.windowTitle()
    assert not QtGui.mightBeRichText(widget.toolTip()), widget.toolTip()


def sweep(seen: Counter[str]) -> None:
    """Every visible widget of every window: nothing the user gave is rendered as markup."""
    QApplication.processEvents()
    for widget in QApplication.allWidgets():
        if widget.isVisible():
            check_widget(widget, seen)
    seen["sweeps"] += 1


def current(wizard: WalkthroughWizard) -> StepPage:
    page = wizard.currentPage()
    assert isinstance(page, StepPage), page
    return page


@pytest.mark.slow  # end to end: ./tasks.sh test runs it, ./tasks.sh check does not
def test_markup_in_every_user_field_is_shown_as_text(
    qtbot: QtBot,
    gui_ws: Workspace,
    tmp_path: Path,
    boxes: MessageBoxes,
    file_dialogs: FileDialogs,
    input_dialogs: InputDialogs,
) -> None:
    create_demo(gui_ws)  # a person with two finished visits: something to compare with
    demo = list_people(gui_ws).items[0]
    edit_person(
        gui_ws,
        demo.id,
        name=NAME,
        birth_year=demo.birth_year,
        notes=MARK,
        expected_version=demo.version,
    )
    seen: Counter[str] = Counter()
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    window.select(demo.id)
    wait_idle(qtbot, window.ops)
    assert window.person_title.text() == f"{NAME}, born {demo.birth_year}"
    sweep(seen)  # the title, the people

    # A walkthrough: the assessor, an answer's note, room names, a photo's file name.
    wizard = window.new_walkthrough(demo.id)
    who = current(wizard)
    assert isinstance(who, WhoPage)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    who.assessor.setText(MARK)
    later = date.today().toordinal() + 1  # after the demo's visits, so they compare
    who.visit_date.setDate(QDate.fromString(date.fromordinal(later).isoformat(), "yyyy-MM-dd"))
    sweep(seen)
    qtbot.mouseClick(next_button, LEFT)
    session = wizard.session
    assert session is not None
    # A follow-up: the falls since the last visit first, one described in hostile words.
    falls = current(wizard)
    assert isinstance(falls, FallsPage)
    falls.count.setValue(1)
    falls.fall_forms[0].what.setText(MARK)
    falls.fall_forms[0].what.editingFinished.emit()
    sweep(seen)
    wizard.next()
    qtbot.waitUntil(lambda: current(wizard) is not falls)
    recorded = session.falls()
    assert recorded.count == 1
    assert recorded.falls[0].what_happened == MARK.strip()
    person_page = current(wizard)
    assert isinstance(person_page, ItemsPage)
    answer_page(qtbot, person_page, FOOT_DROP_AFO)
    first = person_page.visible_rows()[0]
    first.note.setText(MARK)
    first.note.editingFinished.emit()
    wait_saved(qtbot, first)
    answer = first.current()
    assert answer is not None
    assert answer.note == MARK
    sweep(seen)

    wizard.next()
    home = current(wizard)
    assert isinstance(home, HomePage)
    hallway = next(row for row, room in enumerate(session.rooms()) if room.kind == "hallway")
    home.table.setCurrentCell(hallway, 0)
    input_dialogs.answers += [ROOM, "Bedroom", NEW_ROOM]
    qtbot.mouseClick(home.rename_button, LEFT)
    qtbot.mouseClick(home.add_button, LEFT)
    assert [r.name for r in session.rooms() if MARK in r.name] == [ROOM, NEW_ROOM]
    home.table.setCurrentCell(len(session.rooms()) - 1, 0)
    boxes.reply = boxes.reply.No  # asked, and kept
    qtbot.mouseClick(home.remove_button, LEFT)
    assert boxes.last("question") == ("Remove a room", f"Remove {NEW_ROOM}?")
    sweep(seen)  # the table of rooms

    # Into the renamed room: its heading, and a photo whose file name is markup.
    while current(wizard).heading.text() != ROOM:
        assert wizard.nextId() != -1, "no page for the renamed room"
        page = current(wizard)
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, FOOT_DROP_AFO)
        wizard.next()
    room_page = current(wizard)
    assert isinstance(room_page, ItemsPage)
    assert room_page.heading.text() == ROOM
    picture = tmp_path / f"{FILE_MARK}.png"
    Image.new("RGB", (64, 48), (200, 120, 40)).save(picture)
    row = room_page.visible_rows()[0]
    file_dialogs.answers.append(picture)
    qtbot.mouseClick(row.photo_button, LEFT)
    assert row.photos is not None
    (thumbnail,) = row.photos.buttons  # its file name, as text, for the pointer and the reader
    assert thumbnail.accessibleDescription() == f"{FILE_MARK}.png"
    answer_page(qtbot, room_page, FOOT_DROP_AFO)
    sweep(seen)

    # Closed half-way: the next start asks to carry on, naming the person.
    wizard.reject()
    # Closed, and (deleted on close) perhaps gone already: either way it is off the screen.
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard) or not wizard.isVisible())
    wait_idle(qtbot, window.ops)
    boxes.reply = boxes.reply.Yes
    window.offer_resume()
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard is not wizard)
    resumed = window.wizard
    assert resumed is not None
    assert boxes.last("question")[1].startswith(f"The walkthrough for {NAME} from")
    while not isinstance(current(resumed), WhoPage):  # back to the start: every page
        sweep(seen)
        resumed.back()
    started = current(resumed)
    assert isinstance(started, WhoPage)
    assert NAME in started.started_text.text()
    assert f"by {MARK}" in started.started_text.text()
    sweep(seen)  # "This walkthrough for … was started … by …"
    while resumed.nextId() != -1:
        resumed.next()
        page = current(resumed)
        if isinstance(page, ItemsPage):
            answer_page(qtbot, page, FOOT_DROP_AFO)
        sweep(seen)
    summary = current(resumed)
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(lambda: summary.view.evaluation is not None)
    assert ROOM in summary.view.text.toPlainText()
    sweep(seen)
    with qtbot.waitSignal(resumed.finished_visit, timeout=30_000):
        resumed.accept()
    wait_idle(qtbot, window.ops)
    window.select(demo.id, session.assessment_id)
    wait_idle(qtbot, window.ops)
    assert window.current_visit() is not None
    sweep(seen)  # the visits, with the assessor

    # The dialogs: the person, the actions of the plan; the comparison; an error naming a file.
    qtbot.mouseClick(window.edit_button, LEFT)
    person_dialog = window.person_dialog
    assert isinstance(person_dialog, PersonDialog)
    qtbot.waitExposed(person_dialog)
    assert (person_dialog.name.text(), person_dialog.notes.toPlainText()) == (NAME, MARK)
    sweep(seen)
    person_dialog.reject()
    qtbot.mouseClick(window.actions_button, LEFT)
    qtbot.waitUntil(lambda: window.actions_dialog is not None)
    actions = window.actions_dialog
    assert isinstance(actions, ActionsDialog)
    qtbot.waitExposed(actions)
    sweep(seen)
    assert any(ROOM in actions.list.item(i).text() for i in range(actions.list.count()))
    actions.reject()
    qtbot.mouseClick(window.compare_button, LEFT)  # the comparison panel, swept as a browser
    wait_idle(qtbot, window.ops)
    assert ROOM in window.comparison.toPlainText()
    file_dialogs.answers.append(tmp_path / FILE_MARK / "plan.pdf")  # no such folder
    qtbot.mouseClick(window.pdf_button, LEFT)
    wait_idle(qtbot, window.ops)
    assert FILE_MARK in boxes.last("warning")[1]
    offered = Path(file_dialogs.asked[-1][2]).name  # the name suggested: whose plan it is
    assert "ADMIN" in offered
    assert not set(offered) & set('<>:"/\\|?*'), offered  # a file name on every system
    sweep(seen)

    # Every message box was plain text, and those that named something gave it as written.
    assert boxes.formats
    assert set(boxes.formats) == {Qt.TextFormat.PlainText}, boxes.shown
    named = [text for _kind, _title, text in boxes.shown if marked(text)]
    assert len(named) >= 3, boxes.shown  # remove a room, carry on, the error
    assert all(literal(text) for text in named)
    # The sweeps saw the markup where it is shown (so they can fail).
    assert seen["label"] >= 8, seen  # title, headings, photo, "started by", the messages…
    assert seen["cell"] >= 4, seen  # people, visits (the assessor), rooms
    assert seen["browser"] >= 1, seen
    assert seen["edit"] >= 2, seen  # the note, the person's name and notes


def test_a_long_name_does_not_widen_the_window(qtbot: QtBot, gui_ws: Workspace) -> None:
    """The longest name allowed, with a word too long for any line: the window keeps its
    width (it would otherwise grow past the screen) and the name is still all there."""
    from safetycheck.services.people import create_person

    name = "Rosa" + "x" * 150 + " " + "Martínez " * 5
    person = create_person(gui_ws, name.strip())
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    width = window.width()
    window.select(person.id)
    wait_idle(qtbot, window.ops)
    QApplication.processEvents()
    assert window.person_title.text() == name.strip()
    assert window.width() == width
