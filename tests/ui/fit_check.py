"""Does every view of the program fit a given screen at a given text size? A checker for one
window (`check_window`) and a run through the program that applies it to every view.

Run as a script, it sets up Qt's offscreen platform with one screen of the size asked, a fresh
settings folder and database, the text size asked, and walks through the program as a caregiver
(guided, every question) and as an occupational therapist (the list view), checking each view:

    .venv/bin/python tests/ui/fit_check.py --screen 1024x600 --scale 2.0 [--out DIR] [--json]

With --out it also saves a PNG of the chosen views (`1024x600-largest-question.png`, ...). It
prints the violations (one line each), or with --json one JSON object; it exits 1 if any were
found. tests/ui/test_fit.py and docs/screenshots/make_screenshots.py run it in a child process
(`run_child`): the screen is chosen when the QApplication is made, and a test session has one.

What is a violation:
- a window's frame not inside the screen's available area;
- a visible control (button, field, tile, list, label, chart, scroll area) not inside the
  window, or not inside its parents; in a scroll area's viewport a control may lie above or
  below (it is scrolled to) but never to the left or right; a scroll area that scrolls sideways,
  or whose content is wider than its viewport; a text box that grows with its text but scrolls;
- a clipped label: a word-wrapped one shorter than the height its width needs, or with a word
  wider than it; a one-line one narrower than its text;
- a button narrower than its text (without the '&' of its mnemonic), or too low for its lines;
- a wizard button (Back, Next, Finish, Close) off the screen, or not shown and enabled where it
  should be; in the guided view, the question's first answer not visible without scrolling.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QTextEdit,
    QWidget,
    QWizard,
)

if TYPE_CHECKING:
    from safetycheck_ui.items_page import ItemsPage
    from safetycheck_ui.main_window import MainWindow
    from safetycheck_ui.wizard import WalkthroughWizard

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCRIPT = Path(__file__).resolve()

# The screens and text sizes every view must fit (issue 12): a small laptop and a common one,
# at the normal and the largest text size (ui/settings.py next_font_scale's steps end at 2.0).
SCREENS = ((1024, 600), (1366, 768))
SCALES = {1.0: "normal", 2.0: "largest"}
PER_PARENT = 3  # controls named when many stick out of the same parent
TOLERANCE = 2  # pixels: rounding in layouts and font metrics, never a clipped letter

# Controls: what a person sees and uses. Their insides (a spin box's line edit, a table's
# header, a combo box's button) are the control's own business and are not walked into.
CONTROLS: tuple[type[QWidget], ...] = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractItemView,
    QTextEdit,
    QLabel,
    QProgressBar,
    QMenuBar,
)

# The wizard's buttons, as a person calls them.
WIZARD_BUTTONS = {
    "Back": QWizard.WizardButton.CustomButton1,
    "Next": QWizard.WizardButton.NextButton,
    "Finish": QWizard.WizardButton.FinishButton,
    "Close": QWizard.WizardButton.CancelButton,
}


def _chart_types() -> tuple[type[QWidget], ...]:
    """The result pictures are controls too (they must not be cut off)."""
    try:
        from safetycheck_ui import charts
    except ImportError:  # pragma: no cover - the charts are another helper's, still coming
        return ()
    return tuple(
        kind
        for kind in vars(charts).values()
        if isinstance(kind, type)
        and issubclass(kind, QWidget)
        and kind.__module__ == charts.__name__
    )


# ---- describing what is wrong ------------------------------------------------------------------


def strip_mnemonic(text: str) -> str:
    """The text as shown: "&Next >" is "Next >", "Fish && chips" is "Fish & chips"."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "&" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def describe(widget: QWidget) -> str:
    """A widget as a reader of the report recognises it: its class and its words."""
    words = ""
    if isinstance(widget, (QAbstractButton, QLabel)):
        words = strip_mnemonic(widget.text())
    words = words or widget.accessibleName() or widget.objectName()
    words = " ".join(words.split())
    if len(words) > 60:
        words = words[:57] + "..."
    return f"{type(widget).__name__} {words!r}" if words else type(widget).__name__


def _rect(r: QRect) -> str:
    return f"({r.x()},{r.y()} {r.width()}x{r.height()})"


def _in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


# ---- walking the visible widgets ---------------------------------------------------------------


def visible_controls(window: QWidget) -> Iterator[QWidget]:
    """Every control shown in the window (scroll areas included), outermost first; hidden
    subtrees, other windows and a control's own insides are left out."""
    charts = _chart_types()
    stack = [window]
    while stack:
        widget = stack.pop()
        for child in reversed(widget.children()):
            if not isinstance(child, QWidget) or child.isHidden() or child.isWindow():
                continue
            if isinstance(child, QScrollBar):
                continue  # checked through their scroll area
            if isinstance(child, CONTROLS) or (charts and isinstance(child, charts)):
                yield child
                continue
            if isinstance(child, QScrollArea):
                yield child
            stack.append(child)


def _viewport_of(widget: QWidget) -> QAbstractScrollArea | None:
    """The scroll area whose viewport this widget is."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:
        return parent
    return None


def placement(widget: QWidget, window: QWidget) -> list[tuple[QWidget, str]]:
    """Where a control sticks out of a parent (or the window) that would cut it off, with that
    parent; inside a scroll area's viewport only sideways counts (up and down is scrolled to)."""
    problems = []
    rect = _in_window(widget, window)
    sideways_only = False
    parent = widget.parentWidget()
    while parent is not None:
        if _viewport_of(parent) is not None:
            sideways_only = True  # from here up, what is above or below is scrolled to
        bounds = _in_window(parent, window) if parent is not window else window.rect()
        out_x = rect.left() < bounds.left() - TOLERANCE or rect.right() > bounds.right() + TOLERANCE
        out_y = rect.top() < bounds.top() - TOLERANCE or rect.bottom() > bounds.bottom() + TOLERANCE
        if out_x or (out_y and not sideways_only):
            where = "the window" if parent is window else describe(parent)
            problems.append(
                (parent, f"{describe(widget)} {_rect(rect)} sticks out of {where} {_rect(bounds)}")
            )
            break
        if parent is window:
            break
        parent = parent.parentWidget()
    return problems


def scrolling(area: QAbstractScrollArea) -> list[str]:
    """A scroll area never scrolls sideways; a text box that grows with its text shows all of
    it (no scroll bar inside the page's own)."""
    problems = []
    bar = area.horizontalScrollBar()
    if bar.maximum() > 0:
        problems.append(f"{describe(area)} scrolls sideways (by {bar.maximum()} px)")
    if isinstance(area, QScrollArea):
        inner = area.widget()
        viewport = area.viewport()
        if inner is not None and inner.isVisible() and inner.width() > viewport.width() + 1:
            problems.append(
                f"{describe(area)}: its content is {inner.width()} px wide, "
                f"its viewport {viewport.width()} px"
            )
    elif (
        isinstance(area, QTextEdit)
        and area.hasHeightForWidth()
        and area.verticalScrollBar().maximum() > 0
    ):
        problems.append(f"{describe(area)} grows with its text but scrolls inside")
    return problems


def label_clipped(label: QLabel) -> list[str]:
    """A label whose text does not fit it."""
    text = label.text()
    if not text.strip() or label.width() <= 0:
        return []
    if label.buddy() is not None:  # its '&' marks the mnemonic and is not shown
        text = strip_mnemonic(text)
    metrics = label.fontMetrics()
    contents = label.contentsRect()
    width = contents.width() - 2 * label.margin() - max(label.indent(), 0)
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + TOLERANCE:
            return [
                f"{describe(label)} is cut off: {label.height()} px high, "
                f"its text needs {needed} px at {label.width()} px wide"
            ]
        widest = max((metrics.horizontalAdvance(word) for word in text.split()), default=0)
        if widest > width + TOLERANCE:
            return [f"{describe(label)}: a word is {widest} px wide, the label {width} px"]
        return []
    lines = text.split("\n")
    needed_w = max(metrics.horizontalAdvance(line) for line in lines)
    needed_h = metrics.height() * len(lines)
    if needed_w > width + TOLERANCE:
        return [f"{describe(label)} is cut off: {width} px wide, its text {needed_w} px"]
    if needed_h > contents.height() + TOLERANCE:
        return [f"{describe(label)} is cut off: {contents.height()} px high, needs {needed_h} px"]
    return []


def button_clipped(button: QAbstractButton) -> list[str]:
    """A button whose words do not fit inside it (the style's frame and indicator left out)."""
    text = strip_mnemonic(button.text())
    if not text.strip():
        return []
    metrics = button.fontMetrics()
    lines = text.split("\n")
    needed_w = max(metrics.horizontalAdvance(line) for line in lines) + 4  # a small margin
    needed_h = metrics.height() * len(lines)
    style = button.style()
    option = QStyleOptionButton()
    if isinstance(button, QPushButton):
        button.initStyleOption(option)
        area = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
        if not button.icon().isNull():
            needed_w += button.iconSize().width() + 4
    elif isinstance(button, QRadioButton):
        button.initStyleOption(option)
        area = style.subElementRect(QStyle.SubElement.SE_RadioButtonContents, option, button)
    elif isinstance(button, QCheckBox):
        button.initStyleOption(option)
        area = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, button)
    else:
        area = button.contentsRect()
        if not button.icon().isNull():
            needed_w += button.iconSize().width() + 4
    problems = []
    if needed_w > area.width() + TOLERANCE:
        problems.append(
            f"{describe(button)} is cut off: room for {area.width()} px of text, needs {needed_w}"
        )
    if needed_h > area.height() + TOLERANCE:
        problems.append(
            f"{describe(button)} is too low: {area.height()} px for {len(lines)} line(s) "
            f"of {metrics.height()} px"
        )
    return problems


def frame_on_screen(window: QWidget) -> list[str]:
    """The whole window, frame included, inside the screen's free area."""
    available = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if available.contains(frame):
        return []
    return [f"the window's frame {_rect(frame)} is not inside the screen {_rect(available)}"]


def wizard_buttons(wizard: QWizard, expect: dict[str, bool] | None) -> list[str]:
    """Back, Next, Finish and Close on the screen; `expect` says which must be shown and
    enabled (True) or may be absent (False, or not named)."""
    problems = []
    available = wizard.screen().availableGeometry()
    for name, which in WIZARD_BUTTONS.items():
        button = wizard.button(which)
        wanted = (expect or {}).get(name, False)
        if not button.isVisible():
            if wanted:
                problems.append(f"the wizard's {name} button is not shown")
            continue
        place = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
        if not available.contains(place):
            problems.append(
                f"the wizard's {name} button {_rect(place)} is off the screen {_rect(available)}"
            )
        if wanted and not button.isEnabled():
            problems.append(f"the wizard's {name} button is not enabled")
    return problems


def first_answer_visible(wizard: QWizard) -> list[str]:
    """Guided: the question's first answer can be seen (and clicked) without scrolling."""
    from safetycheck_ui.items_page import ItemsPage

    page = wizard.currentPage()
    if not isinstance(page, ItemsPage) or not page.guided:
        return []
    row = page.current_row()
    if row is None:
        return []
    first = next(iter(row.value_buttons.values()), None) or row.spin
    if first is None or not first.isVisible():
        return []
    viewport = page.scroller.viewport()
    place = QRect(first.mapTo(viewport, QPoint(0, 0)), first.size())
    if viewport.rect().contains(place):
        return []
    return [
        f"the first answer {describe(first)} {_rect(place)} cannot be seen without scrolling "
        f"(the question area is {viewport.width()}x{viewport.height()} px)"
    ]


def check_window(window: QWidget, expect: dict[str, bool] | None = None) -> list[str]:
    """Every way this window does not fit its screen, one line each (none: it fits). For a
    wizard, `expect` names the buttons that must be shown and enabled."""
    from safetycheck_ui.tile import Tile

    QApplication.processEvents()  # layouts settle on posted events
    problems = frame_on_screen(window)
    # Controls cut off by the same parent: the first few say it (the rest follow from them).
    cut_by: dict[int, list[str]] = {}
    for widget in visible_controls(window):
        for parent, problem in placement(widget, window):
            cut_by.setdefault(id(parent), []).append(problem)
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QAbstractItemView):
            problems += scrolling(widget)
        if isinstance(widget, QLabel):
            problems += label_clipped(widget)
        elif isinstance(widget, QAbstractButton) and not isinstance(widget, Tile):
            # (A Tile's words are a word-wrapped label of its own, checked as a label.)
            problems += button_clipped(widget)
    for cut in cut_by.values():
        problems += cut[:PER_PARENT]
        if len(cut) > PER_PARENT:
            problems.append(f"... and {len(cut) - PER_PARENT} more controls cut off the same way")
    if isinstance(window, QWizard):
        problems += wizard_buttons(window, expect)
        problems += first_answer_visible(window)
    return problems


# ---- the run through the program ---------------------------------------------------------------

# The red flag answered on the person page (so later pages carry the banner: the worst case).
RED_FLAG = ("person.rf.new_weakness", "yes")
ON_QUESTION = {"Back": True, "Next": True, "Close": True}
ON_FIRST = {"Next": True, "Close": True}
ON_SUMMARY = {"Back": True, "Finish": True, "Close": True}


@dataclass
class Run:
    """What one run found: every violation (view: what), the views checked, the PNGs saved."""

    screen: tuple[int, int]
    scale: float
    out: Path | None
    violations: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    shots: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"{self.screen[0]}x{self.screen[1]}-{SCALES.get(self.scale, str(self.scale))}"

    def check(
        self,
        view: str,
        window: QWidget,
        expect: dict[str, bool] | None = None,
        shot: str | None = None,
    ) -> None:
        found = check_window(window, expect)
        self.views.append(view)
        self.violations += [f"{view}: {problem}" for problem in found]
        if shot is not None and self.out is not None:
            path = self.out / f"{self.prefix}-{shot}.png"
            window.grab().save(str(path))
            self.shots.append(str(path))


def _click(button: QAbstractButton) -> None:
    assert button.isVisible(), f"{describe(button)} is not shown"
    assert button.isEnabled(), f"{describe(button)} is not enabled"
    button.click()
    QApplication.processEvents()


def walk(run: Run, folder: Path) -> None:
    """Through the program as a caregiver, then as an occupational therapist (see the module)."""
    from drive import settle

    from safetycheck.services.workspace import open_workspace
    from safetycheck_ui.main_window import MainWindow

    ws = open_workspace(f"sqlite:///{folder / 'fit.sqlite3'}")
    try:
        window = MainWindow(ws)
        window.show()
        settle(window.ops)
        run.check("first start", window, shot="first-start")
        walk_caregiver(run, window)
        run.check("main window with a person", window, shot="main-window")
        walk_ot(run, window)
        walk_signoff(run, window)
        window.close()
        settle(window.ops)
    finally:
        ws.close()


def walk_caregiver(run: Run, window: MainWindow) -> None:
    """A new person, every question of the guided view, the summary, Finish with one question
    left for later (the finish check), finish anyway."""
    from drive import fill_who, settle

    from safetycheck_ui.home_page import HomePage
    from safetycheck_ui.items_page import ItemsPage
    from safetycheck_ui.step_page import StepPage
    from safetycheck_ui.summary_page import SummaryPage

    wizard = window.new_walkthrough(None)
    settle(window.ops)  # the list of people
    fill_who(wizard, name="Margaret Oduya-Whitfield")  # a long name, as the questions carry it
    run.check("who and how", wizard, ON_FIRST, shot="who")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _click(next_button)
    assert wizard.session is not None, "the visit did not start"
    guided = GuidedAnswers(run)
    while True:
        page = wizard.currentPage()
        assert isinstance(page, StepPage)
        if isinstance(page, ItemsPage):
            guided.answer_page(wizard, page)
        elif isinstance(page, HomePage):
            run.check(page.step.key, wizard, ON_QUESTION, shot="home")
        elif isinstance(page, SummaryPage):
            settle(window.ops)  # the summary is read in the background
            run.check(page.step.key, wizard, ON_SUMMARY, shot="summary")
        else:
            run.check(page.step.key, wizard, ON_QUESTION)
        if wizard.nextId() == -1:
            break
        _click(next_button)
        settle(window.ops)
    _click(wizard.button(QWizard.WizardButton.FinishButton))
    check = wizard.finish_check
    assert check is not None, "Finish with a question unanswered did not ask first"
    run.check("finish with questions unanswered", check, shot="finish-dialog")
    _click(check.finish_button)
    settle(window.ops)  # the visit is finished in the background, then the wizard closes


class GuidedAnswers:
    """Answers a guided page question by question (FOOT_DROP_AFO and a red flag, else safely),
    checking each question before it is answered; the first room question it meets is left for
    later with "Not sure" (so the finish check has something to list)."""

    def __init__(self, run: Run) -> None:
        from drive import FOOT_DROP_AFO

        self.run = run
        self.answers: dict[str, str | float] = {**FOOT_DROP_AFO, RED_FLAG[0]: RED_FLAG[1]}
        self.shot = {"question": False, "question-redflag": False, "room-question": False}
        self.left_unanswered = False

    def _shot_for(self, page: ItemsPage) -> str | None:
        if page.step.room is not None:
            name = "room-question"
        else:
            name = "question-redflag" if page.flags.isVisible() else "question"
        if self.shot[name]:
            return None
        self.shot[name] = True
        return name

    def answer_page(self, wizard: WalkthroughWizard, page: ItemsPage) -> None:
        from drive import answer_row, safe_value

        next_button = wizard.button(QWizard.WizardButton.NextButton)
        step = page.step.key
        while (row := page.current_row()) is not None:
            number, total = page.position()
            view = f"{step} question {number} of {total} ({row.item.id})"
            self.run.check(view, wizard, ON_QUESTION, shot=self._shot_for(page))
            room = page.step.room is not None
            if room and not self.left_unanswered and row.unsure_button is not None:
                self.left_unanswered = True
                _click(row.unsure_button)
                continue
            answer_row(None, row, self.answers.get(row.item.id, safe_value(row)))
            if page.current == row.item.id:  # a measurement: Next moves on
                _click(next_button)
        self.run.check(f"{step} end card", wizard, ON_QUESTION)


def walk_ot(run: Run, window: MainWindow) -> None:
    """The same person as an occupational therapist: each step's questions on one page, before
    and after answering, up to the first room with a measurement; then Close."""
    from drive import FOOT_DROP_AFO, answer_page, settle

    from safetycheck.domain.checklist import AnswerType
    from safetycheck_ui.items_page import ItemsPage
    from safetycheck_ui.step_page import StepPage
    from safetycheck_ui.who_page import WhoPage

    wizard = window.new_walkthrough(window.current_person_id())
    settle(window.ops)
    who = wizard.currentPage()
    assert isinstance(who, WhoPage)
    _click(who.role_ot)
    settle(window.ops)  # the OT's details from their last visit
    run.check("OT who and how", wizard, ON_FIRST, shot="who-ot")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _click(next_button)
    assert wizard.session is not None, "the OT visit did not start"
    measured = False
    while not measured:
        page = wizard.currentPage()
        assert isinstance(page, StepPage)
        step = page.step.key
        if isinstance(page, ItemsPage):
            run.check(f"OT {step}, nothing answered", wizard, ON_QUESTION)
            answer_page(None, page, FOOT_DROP_AFO)
            rows = page.visible_rows()
            measured = page.step.room is not None and any(
                row.item.type is AnswerType.MEASURE for row in rows
            )
            run.check(f"OT {step}, answered", wizard, ON_QUESTION)
        else:
            run.check(f"OT {step}", wizard, ON_QUESTION)
        if wizard.nextId() == -1:
            break
        _click(next_button)
        settle(window.ops)
    if not measured:
        run.violations.append("OT: no room with a measurement was found to check")
    _click(wizard.button(QWizard.WizardButton.CancelButton))
    settle(window.ops)


def walk_signoff(run: Run, window: MainWindow) -> None:
    """A finished OT visit's summary window (the next review and the home exercises under the
    summary) and the home exercise dialog, every exercise ticked, with long doses."""
    from drive import settle

    from safetycheck.domain.assessment import Prescription
    from safetycheck.domain.checklist import Mode
    from safetycheck.services import assessments as visits
    from safetycheck.services import signoff
    from safetycheck_ui.session import WalkthroughSession
    from safetycheck_ui.summary_window import SummaryWindow
    from safetycheck_ui.wizard import WalkthroughWizard

    ws = window.ws
    info = visits.start_assessment_for_new_person(
        ws, "Margaret Oduya-Whitfield", 1940, "Priya Nair", Mode.OT, Mode.OT
    )
    signoff.set_next_review(ws, info.id, info.date)
    choices = signoff.exercise_choices(ws)
    signoff.set_exercises(
        ws, info.id, [Prescription(c.id, f"{c.default_dose}, as shown") for c in choices]
    )
    # The walkthrough's summary, where an OT finishes the visit.
    session = WalkthroughSession.open(ws, info.id)
    wizard = WalkthroughWizard(ws, window.ops, session, resume_at="summary", parent=window)
    wizard.show()
    settle(window.ops)
    for _ in range(3):
        QApplication.processEvents()
    run.check("OT summary", wizard, ON_SUMMARY, shot="summary-ot")
    _click(wizard.button(QWizard.WizardButton.CancelButton))
    settle(window.ops)
    visits.finish_assessment(ws, info.id)
    shown = SummaryWindow(ws, window.ops, visits.get_info(ws, info.id), window)
    shown.show()
    settle(window.ops)
    for _ in range(3):  # refitted once shown: its text blocks follow the new width
        QApplication.processEvents()
    if not shown.signoff.isVisible():
        run.violations.append("OT summary window: the next review and exercises are not shown")
    run.check("OT summary window", shown, shot="summary-window-ot")
    dialog = shown.signoff.choose_exercises()
    assert dialog is not None, "the exercise dialog did not open"
    settle(window.ops)
    run.check("home exercises", dialog, shot="exercises")
    dialog.reject()
    shown.close()
    settle(window.ops)


def screen_config(folder: Path, width: int, height: int) -> Path:
    """Qt's offscreen platform with one screen of this size (its keys: qtbase's
    src/plugins/platforms/offscreen/qoffscreenintegration.cpp)."""
    path = folder / "screens.json"
    screen = {
        "name": f"{width}x{height}",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return path


def run_here(width: int, height: int, scale: float, out: Path | None) -> Run:
    """The whole run, in this process (which must not have a QApplication yet)."""
    assert QApplication.instance() is None, "the screen is chosen when the application is made"
    run = Run((width, height), scale, out)
    with tempfile.TemporaryDirectory(prefix="fit-check-") as name:
        folder = Path(name)
        os.environ["QT_QPA_PLATFORM"] = (
            f"offscreen:configfile={screen_config(folder, width, height)}"
        )
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ[variable] = str(folder / variable.lower())
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
        from safetycheck_ui.app import create_application
        from safetycheck_ui.settings import Settings
        from safetycheck_ui.style import apply_font_scale

        app = create_application([])
        geometry = app.primaryScreen().geometry()
        if (geometry.width(), geometry.height()) != (width, height):
            run.violations.append(f"the screen is {_rect(geometry)}, not {width}x{height}")
        Settings().font_scale = scale  # as if chosen in the View menu, and remembered
        apply_font_scale(app, scale)
        walk(run, folder)
        app.quit()
    return run


# ---- the child process -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildResult:
    """What a child run reported: its violations, the views it checked, the PNGs it saved,
    how long it took (seconds), and its error output when it did not finish."""

    violations: list[str]
    views: list[str]
    shots: list[str]
    seconds: float
    error: str


def run_child(
    screen: tuple[int, int], scale: float, out: Path | None = None, timeout: float = 600
) -> ChildResult:
    """Run the check in a process of its own (a fresh QApplication on a screen of this size)."""
    command = [sys.executable, str(SCRIPT), "--screen", f"{screen[0]}x{screen[1]}"]
    command += ["--scale", str(scale), "--json"]
    if out is not None:
        command += ["--out", str(out)]
    started = time.monotonic()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )
    seconds = time.monotonic() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return ChildResult([], [], [], seconds, done.stderr[-4000:] or done.stdout[-4000:])
    report = json.loads(lines[-1])
    return ChildResult(
        report["violations"], report["views"], report["shots"], seconds, report.get("error", "")
    )


def main(argv: Sequence[str] | None = None, report: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--screen", default="1024x600", help="WIDTHxHEIGHT")
    parser.add_argument("--scale", type=float, default=1.0, help="text size (2.0: the largest)")
    parser.add_argument("--out", type=Path, help="save PNGs of the main views in this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.screen.lower().split("x"))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE))  # drive.py, the GUI tests' way of answering
    started = time.monotonic()
    error = ""
    try:
        run = run_here(width, height, args.scale, args.out)
    except Exception as failure:  # reported to the parent, which fails
        import traceback

        error = traceback.format_exc()
        run = Run((width, height), args.scale, args.out)
        run.violations.append(f"the run stopped: {type(failure).__name__}: {failure}")
    seconds = round(time.monotonic() - started, 1)
    if args.json:
        report(
            json.dumps(
                {
                    "screen": args.screen,
                    "scale": args.scale,
                    "seconds": seconds,
                    "views": run.views,
                    "violations": run.violations,
                    "shots": run.shots,
                    "error": error,
                }
            )
        )
    else:
        for line in run.violations:
            report(line)
        if error:
            report(error)
        report(f"{len(run.views)} views, {len(run.violations)} violations, {seconds} s")
    return 1 if run.violations else 0


if __name__ == "__main__":
    sys.exit(main())
