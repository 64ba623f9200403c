"""What a keyboard or screen-reader user meets on every page: every focusable control named, no
unnamed or invisible Tab stop, one mnemonic per letter in a window, Enter that never goes Back,
and a chosen answer shown by a tick and its words with the focus on it.

Run with -s to see the QAccessible walk of every page type as a table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from drive import answer_row, fill_who, wait_idle, wait_saved
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from safetycheck.domain.steps import StepKind
from safetycheck_ui.item_row import ItemRow
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton
MNEMONIC = re.compile(r"&([^&\s])")
TICK = "✓ "  # before the chosen answer's words


def start(qtbot: QtBot, window: MainWindow, ot: bool = False) -> WalkthroughWizard:
    wizard = window.new_walkthrough(None)
    fill_who(wizard, ot=ot)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    qtbot.mouseClick(next_button, LEFT)
    assert wizard.session is not None
    return wizard


def step_key(wizard: WalkthroughWizard, kind: StepKind) -> str:
    return next(step.key for step in wizard.steps() if step.kind is kind)


def go_to(qtbot: QtBot, wizard: WalkthroughWizard, kind: StepKind) -> None:
    """Straight to the first step of this kind (as choosing it in the step list does)."""
    key = step_key(wizard, kind)
    wizard.go_to(key)
    qtbot.waitUntil(lambda: wizard.currentPage().objectName() == key)
    wait_idle(qtbot, wizard.ops)


def close(qtbot: QtBot, wizard: WalkthroughWizard) -> None:
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), LEFT)


def every_page(qtbot: QtBot, window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Each page type in turn, as (what it is, the window showing it), through the real
    program: the first start, who and how, a guided question, the home, the summary, the
    finish check, the list view of an OT, the main window with a person."""
    yield "main window, first start", window
    wizard = window.new_walkthrough(None)
    wait_idle(qtbot, window.ops)
    yield "who and how", wizard
    fill_who(wizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    qtbot.mouseClick(next_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(wizard.currentPage(), ItemsPage))
    yield "guided question (the person)", wizard
    go_to(qtbot, wizard, StepKind.HOME)
    yield "home (rooms table)", wizard
    go_to(qtbot, wizard, StepKind.ROOM)
    yield "guided question (a room)", wizard
    go_to(qtbot, wizard, StepKind.SUMMARY)
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(lambda: summary.view.evaluation is not None)
    wait_idle(qtbot, window.ops)
    yield "summary", wizard
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)
    check = wizard.finish_check
    assert check is not None
    qtbot.waitExposed(check)
    yield "finish with questions unanswered", check
    qtbot.mouseClick(check.stay_button, LEFT)
    close(qtbot, wizard)
    wait_idle(qtbot, window.ops)
    wizard = start(qtbot, window, ot=True)
    qtbot.waitUntil(lambda: isinstance(wizard.currentPage(), ItemsPage))
    yield "list of questions (OT, the person)", wizard
    close(qtbot, wizard)
    wait_idle(qtbot, window.ops)
    yield "main window with a person", window


# ---- the QAccessible walk ----------------------------------------------------------------------


@dataclass
class Walk:
    """What the accessibility tree and the Tab chain of one window hold."""

    focusable: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    tab_stops: list[str] = field(default_factory=list)
    bad_tab_stops: list[str] = field(default_factory=list)


def describe(interface: QAccessibleInterface) -> str:
    target = interface.object()
    kind = type(target).__name__ if target is not None else "?"
    return f"{interface.role().name} ({kind})"


def accessible_walk(root: QWidget) -> Walk:
    """Every control a screen reader can focus, under the window's accessible interface;
    invisible subtrees (hidden pages and rows) are left out, as a reader leaves them out."""
    walk = Walk()
    top = QAccessible.queryAccessibleInterface(root)
    assert top is not None
    assert top.isValid()
    stack = [top]
    seen = 0
    while stack:
        interface = stack.pop()
        for i in range(interface.childCount()):
            child = interface.child(i)
            if child is None or not child.isValid():
                continue
            state = child.state()
            if state.invisible:
                continue
            seen += 1
            if state.focusable:
                name = child.text(QAccessible.Text.Name).strip()
                walk.focusable.append(f"{describe(child)} {name!r}")
                if not name:
                    walk.unnamed.append(describe(child))
            if seen < 20_000:  # a table's cells are children too
                stack.append(child)
    return walk


def visible_text(widget: QWidget) -> str:
    if isinstance(widget, (QAbstractButton, QLabel, QGroupBox)):
        text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
        return text.replace("&", "").strip()
    if isinstance(widget, QComboBox):
        return widget.currentText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    return ""


def tab_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab goes to in this window, in order."""
    chain: list[QWidget] = []
    widget: QWidget | None = root.nextInFocusChain()
    while widget is not None and widget is not root and len(chain) < 10_000:
        if (
            widget.window() is root
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isVisible()
            and widget.isEnabled()
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def check_tab_chain(root: QWidget, walk: Walk) -> None:
    for widget in tab_chain(root):
        name = widget.accessibleName().strip() or visible_text(widget)
        what = f"{type(widget).__name__} {name!r}"
        walk.tab_stops.append(what)
        if widget.width() <= 0 or widget.height() <= 0:
            walk.bad_tab_stops.append(f"{what}: zero size")
        elif not name:
            walk.bad_tab_stops.append(f"{type(widget).__name__} {widget.objectName()!r}: no name")


def test_every_page_names_every_control_and_tab_stop(qtbot: QtBot, window: MainWindow) -> None:
    rows: list[tuple[str, Walk]] = []
    for page, shown in every_page(qtbot, window):
        walk = accessible_walk(shown)
        check_tab_chain(shown, walk)
        rows.append((page, walk))
    print()
    print(f"{'page type':40} {'focusable':>9} {'unnamed':>7} {'Tab stops':>9} {'bad stops':>9}")
    for page, walk in rows:
        print(
            f"{page:40} {len(walk.focusable):9d} {len(walk.unnamed):7d} "
            f"{len(walk.tab_stops):9d} {len(walk.bad_tab_stops):9d}"
        )
    problems = [
        f"{page}: {what}"
        for page, walk in rows
        for what in [*(f"unnamed {u}" for u in walk.unnamed), *walk.bad_tab_stops]
    ]
    for line in problems:
        print("  " + line)
    assert all(walk.focusable for _page, walk in rows)  # the walk did find the controls
    assert not problems, "\n".join(problems)


# ---- mnemonics ---------------------------------------------------------------------------------


def mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter → what it belongs to, for what is shown in this window now: buttons, labels
    with a buddy, group boxes, and the menu bar's menus."""
    used: dict[str, list[str]] = {}

    def add(text: str, what: str) -> None:
        found = MNEMONIC.search(text)
        if found:
            used.setdefault(found.group(1).lower(), []).append(f"{what} {text!r}")

    for widget in root.findChildren(QWidget):
        if widget.window() is not root or not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "label")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "group")
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            if action.isVisible():
                add(action.text(), "menu")
    return used


def menu_collisions(root: QWidget) -> list[str]:
    """Within each menu of the menu bar, one item per letter."""
    found = []
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            menu = action.menu()
            if not isinstance(menu, QMenu):
                continue
            letters: dict[str, list[str]] = {}
            for item in menu.actions():
                match = MNEMONIC.search(item.text())
                if match and item.isVisible():
                    letters.setdefault(match.group(1).lower(), []).append(item.text())
            found += [
                f"menu {action.text()!r}: Alt+{letter.upper()} for {', '.join(map(repr, texts))}"
                for letter, texts in letters.items()
                if len(texts) > 1
            ]
    return found


def test_mnemonics_are_unique_in_every_window(qtbot: QtBot, window: MainWindow) -> None:
    collisions = []
    for page, shown in every_page(qtbot, window):
        for letter, owners in sorted(mnemonics(shown).items()):
            if len(owners) > 1:
                collisions.append(f"{page}: Alt+{letter.upper()} for {'; '.join(owners)}")
        collisions += [f"{page}: {line}" for line in menu_collisions(shown)]
    print()
    for line in collisions:
        print("  " + line)
    assert not collisions, "\n".join(collisions)


# ---- Enter, and the chosen answer ------------------------------------------------------------


def test_enter_never_goes_back_from_a_guided_question(qtbot: QtBot, window: MainWindow) -> None:
    wizard = start(qtbot, window)
    back = wizard.back_button
    assert isinstance(back, QPushButton)
    assert not back.isDefault()
    assert not back.autoDefault()
    go_to(qtbot, wizard, StepKind.ROOM)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    assert page.guided
    first = page.current_row()
    assert first is not None
    answer_row(qtbot, first, "yes")  # on to the second question: Back would have somewhere to go
    qtbot.waitUntil(lambda: page.current != first.item.id)
    row = page.current_row()
    assert row is not None
    item, position = row.item.id, page.position()
    controls: list[QWidget] = [
        *row.value_buttons.values(),
        *([row.unsure_button] if row.unsure_button is not None else []),
        row.note,
        row.photo_button,
        page.heading,
        back,
    ]
    keys = wizard.step_keys()
    where = keys.index(page.step.key)
    for control in controls:
        what = f"{type(control).__name__} {visible_text(control) or control.accessibleName()!r}"
        if not control.isVisible():
            continue
        control.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(control.hasFocus)
        qtbot.keyClick(control, Qt.Key.Key_Return)
        wait_idle(qtbot, wizard.ops)
        now = wizard.currentPage()
        assert keys.index(now.objectName()) >= where, f"Enter on {what} went back a step"
        if now is page:
            assert page.position() >= position, f"Enter on {what} went back a question"
        # To the same question again, for the next control (as the unanswered list does).
        wizard.go_to(page.step.key, item)
        qtbot.waitUntil(lambda: wizard.currentPage() is page and page.current == item)
        assert row.isVisible()


def test_the_chosen_answer_shows_a_tick_its_words_and_has_the_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = start(qtbot, window)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    assert page.guided
    row = page.current_row()
    assert isinstance(row, ItemRow)
    values = list(row.value_buttons)
    chosen_value, other_value = values[1], values[0]
    chosen, other = row.value_buttons[chosen_value], row.value_buttons[other_value]
    label = str(chosen.property("answer_label"))
    before = chosen.palette().color(chosen.backgroundRole())
    qtbot.mouseClick(chosen, LEFT)
    wait_saved(qtbot, row)
    qtbot.waitUntil(lambda: page.current != row.item.id)  # answering moved on
    qtbot.mouseClick(wizard.back_button, LEFT)  # and back to it
    qtbot.waitUntil(lambda: page.current == row.item.id)
    qtbot.waitUntil(chosen.hasFocus)  # the focus ring is on the answer chosen, not the first
    assert chosen.isChecked()
    assert chosen.text() == TICK + label  # a tick and its words, not colour alone
    assert not other.text().startswith(TICK.strip())
    assert chosen.font().bold()
    assert chosen.palette().color(chosen.backgroundRole()) != before  # and colour as well
    assert chosen_value in chosen.accessibleName().lower() or label in chosen.accessibleName()

    # Another answer: the tick and the focus move to it.
    qtbot.mouseClick(other, LEFT)
    wait_saved(qtbot, row)
    qtbot.waitUntil(lambda: page.current != row.item.id)
    qtbot.mouseClick(wizard.back_button, LEFT)
    qtbot.waitUntil(other.hasFocus)
    assert other.text().startswith(TICK)
    assert chosen.text() == label


def test_in_the_grid_a_click_answers_and_the_focus_ring_moves_on(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The OT's grid: the focus is on a question row (its buttons are no Tab stop); a click
    on an answer ticks it, and the focus goes on to the next question, as a key would."""
    wizard = start(qtbot, window, ot=True)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    assert not page.guided
    first = page.visible_rows()[0]
    qtbot.waitUntil(first.hasFocus)  # the first unanswered question, not the page's title
    row = next(r for r in page.visible_rows() if len(r.value_buttons) >= 2)
    chosen = list(row.value_buttons.values())[1]
    label = str(chosen.property("answer_label"))
    assert chosen.focusPolicy() is Qt.FocusPolicy.NoFocus
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, row)
    wait_idle(qtbot, wizard.ops)
    assert chosen.text() == TICK + label
    following = page.visible_rows()[page.visible_rows().index(row) + 1]
    assert following.hasFocus()
