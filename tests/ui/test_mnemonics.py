"""Mnemonics (the underlined letter: Alt+letter) are unique among the widgets shown together.

Two controls with the same Alt+letter in one window make Qt cycle between them instead of
pressing either: "Alt+N" meaning both "New person's name" and "Next" is a slip an OT makes a
hundred times a visit. So every page of a walkthrough (caregiver, one question at a time, and
OT; a room of every kind; the brace page), the main window with a person selected, and every
dialog of the program are looked at as they are shown, and every mnemonic they show together
must be unique: the texts of buttons, tick boxes and round buttons, labels with a buddy (a
form's labels), group boxes, tabs, the menu bar's menus, and Alt shortcuts of actions and
QShortcuts. Each menu's items are checked among themselves (they are pressed with the menu open).

The texts are read as Qt reads them (QKeySequence.mnemonic: "&&" is a literal "&"), and only
widgets visible on screen count: a hidden page's mnemonics are not active.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial

import pytest
from drive import FOOT_DROP_AFO, answer_row, fill_who, safe_value, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTabBar,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from recorders import InputDialogs, MessageBoxes

import safetycheck_ui
from safetycheck.domain.steps import StepKind
from safetycheck_ui.dialogs import ActionsDialog, PersonDialog
from safetycheck_ui.home_page import HomePage
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.step_page import StepPage
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.wizard import FinishCheck, WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton


# ---- reading the mnemonics of a window --------------------------------------------------------


def mnemonic(text: str) -> str:
    """The Alt+letter a text gives its control ("" for none), as Qt works it out."""
    return QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.PortableText)


def alt_keys(sequences: list[QKeySequence]) -> list[str]:
    """The Alt+key shortcuts among these (what a mnemonic would clash with)."""
    texts = (sequence.toString(QKeySequence.SequenceFormat.PortableText) for sequence in sequences)
    return [text for text in texts if text.startswith("Alt+") and len(text.split("+")) == 2]


def described(widget: QWidget | QAction, text: str) -> str:
    return f"{type(widget).__name__} {text!r}"


def widget_texts(widget: QWidget) -> list[str]:
    """The texts a widget can take a mnemonic from (a label only with a buddy)."""
    if isinstance(widget, QAbstractButton):
        return [QAbstractButton.text(widget)]  # C++'s: a Tile shows its words in a label
    if isinstance(widget, QLabel):
        return [widget.text()] if widget.buddy() is not None else []
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QTabBar):
        return [widget.tabText(tab) for tab in range(widget.count())]
    return []


def shown_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Each Alt+key active in this window now, with the controls (and shortcuts) that use it."""
    found: dict[str, list[str]] = defaultdict(list)
    shown = [
        widget
        for widget in (window, *window.findChildren(QWidget))
        if widget.isVisible() and widget.window() is window
    ]
    for widget in shown:
        for text in widget_texts(widget):
            if key := mnemonic(text):
                found[key].append(described(widget, text))
        for action in widget.actions():
            if action.isVisible() and action.menu() is None:
                for key in alt_keys(action.shortcuts()):
                    found[key].append(described(action, action.text()))
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible() and (key := mnemonic(action.text())):
                found[key].append(f"menu {action.text()!r}")
    for key in shortcut_keys(window):
        found[key].append(f"QShortcut {key}")
    return found


def shortcut_keys(window: QWidget) -> list[str]:
    """The Alt+key QShortcuts live in this window (enabled, their widget shown)."""
    keys = []
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if shortcut.isEnabled() and (not isinstance(parent, QWidget) or parent.isVisible()):
            keys += alt_keys(shortcut.keys())
    return keys


def clashes(window: QWidget, where: str) -> list[str]:
    """Every Alt+key used more than once in this window (and in any of its menus), in words."""
    found = [
        f"{where}: {key} is {' and '.join(users)}"
        for key, users in sorted(shown_mnemonics(window).items())
        if len(users) > 1
    ]
    if isinstance(window, QMainWindow):
        for menu_action in window.menuBar().actions():
            menu = menu_action.menu()
            if not isinstance(menu, QMenu):
                continue
            keys: dict[str, list[str]] = defaultdict(list)
            for action in menu.actions():
                if action.isVisible() and not action.isSeparator():
                    key = mnemonic(action.text())
                    if key:
                        keys[key].append(repr(action.text()))
            found += [
                f"{where}, menu {menu.title()!r}: {key} is {' and '.join(users)}"
                for key, users in sorted(keys.items())
                if len(users) > 1
            ]
    return found


# ---- the reader itself ------------------------------------------------------------------------


def test_the_reader_finds_a_clash_and_only_among_shown_widgets(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton

    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    form.addRow("&Name:", QLineEdit())
    form.addRow("Fish && &chips:", QLineEdit())
    next_button = QPushButton("&Next >")
    hidden = QPushButton("&Chips")
    form.addRow(next_button)
    form.addRow(hidden)
    dialog.show()
    hidden.hide()
    assert mnemonic("Fish && &chips:") == "Alt+C"
    assert mnemonic("Fish && chips") == ""
    assert clashes(dialog, "test") == ["test: Alt+N is QLabel '&Name:' and QPushButton '&Next >'"]
    hidden.show()
    assert len(clashes(dialog, "test")) == 2


# ---- the walkthrough, page by page ------------------------------------------------------------


def wizard_clashes(wizard: WalkthroughWizard) -> list[str]:
    page = wizard.currentPage()
    where = f"walkthrough, page {page.objectName() if page is not None else '?'}"
    if isinstance(page, ItemsPage) and page.guided:
        row = page.current_row()
        where += f", question {row.item.id if row is not None else '(end)'}"
    QApplication.processEvents()
    return clashes(wizard, where)


def add_a_room_of_each_kind(home: HomePage, input_dialogs: InputDialogs, qtbot: QtBot) -> None:
    session = home.session()
    have = {room.kind for room in session.rooms()}
    for kind in session.checklist.room_kinds:
        if kind.id not in have:
            input_dialogs.answers += [kind.name, ""]
            qtbot.mouseClick(home.add_button, LEFT)
    assert {room.kind for room in session.rooms()} == {k.id for k in session.checklist.room_kinds}


def summary_shown(page: SummaryPage) -> bool:
    return page.view.evaluation is not None


def walk_checking(
    qtbot: QtBot, wizard: WalkthroughWizard, input_dialogs: InputDialogs
) -> tuple[list[str], list[str]]:
    """Walk to the summary answering everything (foot drop with a brace), looking at the
    mnemonics of each page as it is shown, and in the guided view at each question. Returns
    the clashes found and the step keys seen."""
    found: list[str] = []
    seen: list[str] = []
    while True:
        page = wizard.currentPage()
        assert isinstance(page, StepPage)
        seen.append(page.step.key)
        found += wizard_clashes(wizard)
        if isinstance(page, HomePage):
            add_a_room_of_each_kind(page, input_dialogs, qtbot)
            found += wizard_clashes(wizard)
        if isinstance(page, ItemsPage):
            while page.guided and (row := page.current_row()) is not None:
                answer_row(qtbot, row, FOOT_DROP_AFO.get(row.item.id, safe_value(row)))
                if page.current == row.item.id:  # a measurement: Next moves on
                    wizard.next()
                found += wizard_clashes(wizard)
            if not page.guided:
                done: set[str] = set()
                while pending := [r for r in page.visible_rows() if r.item.id not in done]:
                    for row in pending:
                        answer_row(qtbot, row, FOOT_DROP_AFO.get(row.item.id, safe_value(row)))
                        done.add(row.item.id)
                    found += wizard_clashes(wizard)
        if isinstance(page, SummaryPage):
            qtbot.waitUntil(partial(summary_shown, page))
            found += wizard_clashes(wizard)
        if wizard.nextId() == -1:
            return found, seen
        wizard.next()


@pytest.mark.parametrize("ot", [False, True], ids=["caregiver", "ot"])
def test_every_page_of_a_walkthrough_has_unique_mnemonics(
    qtbot: QtBot, window: MainWindow, input_dialogs: InputDialogs, ot: bool
) -> None:
    wizard = window.new_walkthrough(None)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    found = wizard_clashes(wizard)
    fill_who(wizard, ot=ot)
    qtbot.mouseClick(next_button, LEFT)
    assert wizard.session is not None
    assert wizard.guided() is not ot
    more, seen = walk_checking(qtbot, wizard, input_dialogs)
    found += more
    kinds = {step.kind for step in wizard.steps() if step.key in seen}
    assert {StepKind.HOME, StepKind.ROOM, StepKind.BRACE, StepKind.SUMMARY} <= kinds
    assert not found, "\n".join(dict.fromkeys(found))


# ---- the main window and every dialog ---------------------------------------------------------


def with_a_person(qtbot: QtBot, window: MainWindow) -> None:
    """The demo person (two visits, the last finished) selected, its visits in."""
    qtbot.mouseClick(window.demo_button, LEFT)
    wait_idle(qtbot, window.ops)
    qtbot.waitUntil(lambda: window.current_person() is not None)
    qtbot.waitUntil(lambda: window.visits_model.rowCount() > 0)
    window.visits.selectRow(0)
    wait_idle(qtbot, window.ops)


def test_the_main_window_has_unique_mnemonics(qtbot: QtBot, window: MainWindow) -> None:
    found = clashes(window, "main window, welcome")
    with_a_person(qtbot, window)
    found += clashes(window, "main window, a person selected")
    assert not found, "\n".join(found)


def person_dialog(_qtbot: QtBot, window: MainWindow) -> QDialog:
    return PersonDialog(window.ws, window.ops, window.current_person(), window)


def actions_dialog(qtbot: QtBot, window: MainWindow) -> QDialog:
    window.mark_actions()
    qtbot.waitUntil(lambda: window.actions_dialog is not None)
    dialog = window.actions_dialog
    assert isinstance(dialog, ActionsDialog)
    return dialog


def finish_check(qtbot: QtBot, window: MainWindow) -> QDialog:
    wizard = window.new_walkthrough(window.current_person_id())
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    fill_who(wizard)
    qtbot.mouseClick(next_button, LEFT)
    wizard.show_unanswered()
    check = wizard.finish_check
    assert isinstance(check, FinishCheck)
    return check


def photo_viewer(_qtbot: QtBot, window: MainWindow) -> QDialog:
    from safetycheck.domain.visits import PhotoInfo
    from safetycheck_ui.photos import PhotoViewer

    fields = inspect.signature(PhotoInfo).parameters
    values = {name: ("" if name != "size" else 0) for name in fields}
    values.update(id="p1", filename="kitchen.jpg")
    photo = PhotoInfo(**values)  # type: ignore[arg-type]
    return PhotoViewer(photo, None, 1, 1, "Is the floor clear?", window)


def summary_window(_qtbot: QtBot, window: MainWindow) -> QDialog:
    from safetycheck_ui.summary_window import SummaryWindow

    info = window.current_visit()
    assert info is not None
    return SummaryWindow(window.ws, window.ops, info, window)


def key_reference(_qtbot: QtBot, window: MainWindow) -> QDialog:
    from safetycheck_ui.keys import show_key_reference

    return show_key_reference(window)


def exercise_dialog(_qtbot: QtBot, window: MainWindow) -> QDialog:
    from safetycheck.services.signoff import exercise_choices
    from safetycheck_ui.exercise_dialog import ExerciseDialog

    info = window.current_visit()
    assert info is not None
    choices = exercise_choices(window.ws)
    return ExerciseDialog(window.ws, window.ops, info.id, choices, (), info.person_name, window)


# Every dialog of the program, made as the program makes it (with the demo person selected).
DIALOGS: dict[str, Callable[[QtBot, MainWindow], QDialog]] = {
    "PersonDialog": person_dialog,
    "ActionsDialog": actions_dialog,
    "FinishCheck": finish_check,
    "PhotoViewer": photo_viewer,
    "KeyReference": key_reference,
    "SummaryWindow": summary_window,
    "ExerciseDialog": exercise_dialog,
}
# Looked at elsewhere: the walkthrough page by page above.
ELSEWHERE = {"WalkthroughWizard"}


def program_dialogs() -> Iterator[str]:
    """The name of every QDialog class the front end defines."""
    for info in pkgutil.iter_modules(safetycheck_ui.__path__):
        module = importlib.import_module(f"safetycheck_ui.{info.name}")
        for name, value in vars(module).items():
            defined_here = inspect.isclass(value) and value.__module__ == module.__name__
            if defined_here and issubclass(value, QDialog):
                yield name


def test_every_dialog_of_the_program_is_looked_at() -> None:
    missing = set(program_dialogs()) - set(DIALOGS) - ELSEWHERE
    assert not missing, f"add these to DIALOGS in {__name__}: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_has_unique_mnemonics(
    qtbot: QtBot, window: MainWindow, boxes: MessageBoxes, name: str
) -> None:
    del boxes  # (installed: a message box shown is recorded, never left waiting)
    with_a_person(qtbot, window)
    dialog = DIALOGS[name](qtbot, window)  # the main window's child: deleted with it
    dialog.show()
    qtbot.waitExposed(dialog)
    found = clashes(dialog, name)
    dialog.close()
    assert not found, "\n".join(found)
