"""The walkthrough by keyboard, with real key presses where the keyboard is: Enter is Next
wherever the focus is (on "< Back", on "Close", in a field, on a page's title), Finish on the
last page, and never Back; Alt+N and Alt+B; no push button on a page takes Enter for itself;
the first page's date reads in the program's one date format; the key reference (Help)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from drive import fill_who, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget, QWizard
from pytestqt.qtbot import QtBot

from safetycheck.services.workspace import Workspace
from safetycheck_ui.dates import date_display_format
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.keys import show_key_reference
from safetycheck_ui.operations import Operations
from safetycheck_ui.settings import FONT_SCALES
from safetycheck_ui.step_page import StepPage
from safetycheck_ui.style import apply_font_scale
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.who_page import WhoPage
from safetycheck_ui.wizard import WalkthroughWizard

ENTER = Qt.Key.Key_Return
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def wizard(qtbot: QtBot, gui_ws: Workspace, ops: Operations) -> Iterator[WalkthroughWizard]:
    """A new walkthrough, shown and active (the keyboard is in it), its list of people in."""
    shown = WalkthroughWizard(gui_ws, ops)
    qtbot.addWidget(shown)
    with qtbot.waitActive(shown):
        shown.show()
        shown.activateWindow()
    qtbot.waitUntil(shown.button(QWizard.WizardButton.NextButton).isEnabled)
    yield shown
    wait_idle(qtbot, ops)


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key = ENTER) -> None:
    """Put the keyboard on this widget and press the key there, as a person would."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is widget
    qtbot.keyClick(widget, key)


def start(qtbot: QtBot, wizard: WalkthroughWizard, ot: bool) -> None:
    """Fill the first page and start the visit with Enter in the last field typed in."""
    fill_who(wizard, ot=ot)
    page = wizard.currentPage()
    assert isinstance(page, WhoPage)
    press(qtbot, page.assessor)
    assert wizard.session is not None, "Enter in a field of the first page starts the visit"
    assert wizard.currentPage().objectName() == "person"


def place(wizard: WalkthroughWizard) -> tuple[int, int]:
    """Where the walkthrough is: the step's position, and the question's in a guided page."""
    page = wizard.currentPage()
    assert isinstance(page, StepPage)
    step = wizard.step_keys().index(page.step.key)
    question = page.position()[0] if isinstance(page, ItemsPage) and page.guided else 0
    return step, question


def test_enter_on_back_is_next_in_the_ot_view(qtbot: QtBot, wizard: WalkthroughWizard) -> None:
    start(qtbot, wizard, ot=True)
    back = wizard.back_button
    assert isinstance(back, QPushButton)
    assert back.isVisible()
    assert not back.autoDefault()
    before = place(wizard)
    press(qtbot, back)
    assert place(wizard) == (before[0] + 1, 0)  # the next step, not the first page again
    press(qtbot, back)
    assert place(wizard) == (before[0] + 2, 0)


def test_enter_on_back_is_the_next_question_in_the_guided_view(
    qtbot: QtBot, wizard: WalkthroughWizard
) -> None:
    start(qtbot, wizard, ot=False)
    page = wizard.currentPage()
    assert isinstance(page, ItemsPage)
    assert page.guided
    press(qtbot, wizard.back_button)
    press(qtbot, wizard.back_button)
    step, question = place(wizard)
    assert (step, question) == (1, 3)  # on to the third question, never back a page
    # Alt+B is Back: the question before.
    qtbot.keyClick(wizard.back_button, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: place(wizard) == (1, 2))
    qtbot.keyClick(wizard.back_button, Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: place(wizard) == (1, 3))


def test_enter_on_close_is_next_and_the_walkthrough_stays_open(
    qtbot: QtBot, wizard: WalkthroughWizard
) -> None:
    start(qtbot, wizard, ot=True)
    close = wizard.button(QWizard.WizardButton.CancelButton)
    assert isinstance(close, QPushButton)
    assert not close.autoDefault()
    before = place(wizard)
    press(qtbot, close)
    assert wizard.isVisible()
    assert place(wizard) == (before[0] + 1, 0)


def test_enter_on_a_page_title_is_next(qtbot: QtBot, wizard: WalkthroughWizard) -> None:
    start(qtbot, wizard, ot=True)
    page = wizard.currentPage()
    assert isinstance(page, StepPage)
    qtbot.waitUntil(page.heading.hasFocus)  # where every page starts
    qtbot.keyClick(page.heading, ENTER)
    assert place(wizard) == (2, 0)


def test_enter_on_the_list_of_steps_goes_to_that_step_only(
    qtbot: QtBot, wizard: WalkthroughWizard
) -> None:
    start(qtbot, wizard, ot=True)
    steps = wizard.step_list
    assert steps.isVisible()
    target = 3
    steps.setCurrentRow(target)
    press(qtbot, steps)
    assert place(wizard) == (target, 0)  # there, not one step further


def test_on_the_last_page_enter_is_finish(qtbot: QtBot, wizard: WalkthroughWizard) -> None:
    start(qtbot, wizard, ot=True)
    while wizard.nextId() != -1:
        wizard.next()
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(lambda: summary.view.evaluation is not None)
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    press(qtbot, wizard.back_button)
    # Finish was pressed: questions are unanswered, so it asks first (it did not go Back).
    assert wizard.finish_check is not None
    assert wizard.currentPage() is summary
    wizard.finish_check.reject()


@pytest.mark.parametrize("ot", [False, True], ids=["caregiver", "ot"])
def test_no_button_on_a_page_takes_enter_for_itself(
    qtbot: QtBot, wizard: WalkthroughWizard, ot: bool
) -> None:
    """A push button that is `autoDefault` becomes the default while it has the focus, and
    Enter then presses it instead of Next: none on any page may be."""
    start(qtbot, wizard, ot=ot)
    found = []
    while True:
        page = wizard.currentPage()
        QApplication.processEvents()
        found += [
            f"{page.objectName()}: {button.text() or button.accessibleName()!r}"
            for button in page.findChildren(QPushButton)
            if button.autoDefault()
        ]
        if wizard.nextId() == -1:
            break
        wizard.next()
    assert not found, found
    own = {
        which: wizard.button(which)
        for which in (QWizard.WizardButton.CustomButton1, QWizard.WizardButton.CancelButton)
    }
    assert all(isinstance(button, QPushButton) for button in own.values())
    assert [w for w, b in own.items() if isinstance(b, QPushButton) and b.autoDefault()] == []


def test_the_date_of_the_visit_reads_in_the_programs_one_format(
    wizard: WalkthroughWizard,
) -> None:
    page = wizard.currentPage()
    assert isinstance(page, WhoPage)
    assert page.visit_date.displayFormat() == date_display_format()
    shown = page.visit_date.date().toString(date_display_format())
    assert page.visit_date.text() == shown


# ---- the key reference ------------------------------------------------------------------------


@pytest.fixture
def largest_text(qapp: QApplication) -> Iterator[None]:
    apply_font_scale(qapp, FONT_SCALES[-1])
    yield
    apply_font_scale(qapp, FONT_SCALES[0])


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no stacking
def test_the_key_reference_lists_every_part_and_reads_at_the_largest_text_size(
    qtbot: QtBot, largest_text: None
) -> None:
    del largest_text
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_key_reference(parent)
    qtbot.waitExposed(dialog)
    assert show_key_reference(parent) is dialog  # asked again: the one open comes forward
    text = dialog.text.toPlainText()
    for words in (
        "The main window",
        "Guided view",
        "Grid view",
        "Ctrl++",
        "Ctrl+-",
        "Ctrl+0",
        "Alt+N",
        "Alt+B",
        "Enter",
        "Y, N, A",
        "F2",
        "F4",
        "The rooms of the home",
    ):
        assert words in text, words
    # It wraps (never sideways) and scrolls; the keyboard is in it, so the arrows scroll it.
    dialog.resize(480, 360)
    qtbot.waitUntil(lambda: dialog.text.verticalScrollBar().maximum() > 0)
    assert dialog.text.horizontalScrollBar().maximum() == 0
    qtbot.waitUntil(dialog.text.hasFocus)
    before = dialog.text.verticalScrollBar().value()
    qtbot.keyClick(dialog.text, Qt.Key.Key_PageDown)
    assert dialog.text.verticalScrollBar().value() > before
    # Escape closes it.
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
