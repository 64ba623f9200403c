"""The guided walkthrough: a QWizard whose pages are the steps the domain declares.

`domain.steps.steps()` says which steps there are and in which order (who and how → the person
→ the home → each room → footwear → brace and skin when it applies → summary); PAGES says which
page class shows each kind of step (Picard's model). Page ids are handed out per step key, so
nothing here names a page number or an order, and the brace page appears because the steps
say so. Every answer is saved the moment it is given, so closing the window loses nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from safetycheck.domain.checklist import Mode
from safetycheck.domain.steps import Step, StepKind
from safetycheck.domain.wording import for_person

from .falls_page import FallsPage
from .grid_page import GridPage
from .home_page import HomePage
from .icons import STEP_ICONS, icon, room_icon
from .items_page import ItemsPage
from .operations import Change, Done, Operations
from .session import (
    SECONDS_PER_QUESTION,
    StartRequest,
    StepProgress,
    Unanswered,
    WalkthroughSession,
    preview_steps,
)
from .settings import Settings
from .step_page import StepPage, step_title
from .style import plain_label
from .summary_page import SummaryPage
from .text_size import first_size, fit_on_screen, screen_of, text_size_actions
from .who_page import WhoPage

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace

__all__ = [
    "PAGES",
    "FinishCheck",
    "HomePage",
    "ItemsPage",
    "StepPage",
    "SummaryPage",
    "WalkthroughWizard",
]

# Which page shows each kind of step, in the order of the kinds.
PAGES: tuple[tuple[StepKind, type[StepPage]], ...] = (
    (StepKind.WHO, WhoPage),
    (StepKind.FALLS, FallsPage),
    (StepKind.PERSON, ItemsPage),
    (StepKind.HOME, HomePage),
    (StepKind.HOME_CHECKS, ItemsPage),
    (StepKind.ROOM, ItemsPage),
    (StepKind.FOOTWEAR, ItemsPage),
    (StepKind.BRACE, ItemsPage),
    (StepKind.SUMMARY, SummaryPage),
)
_PAGE_OF = dict(PAGES)


# Screens lower than this (in pixels) give the walkthrough all of their height.
SMALL_SCREEN_HEIGHT = 800
# Narrower than this many average characters, the list of steps gives its room to the page.
STEP_LIST_FROM_CHARS = 90


def walkthrough_size(window: QWidget) -> QSize:
    """The walkthrough's first size: on a small screen (a 1024x600 laptop) all of its free
    height, where every line counts at a large text size; elsewhere the usual first size."""
    available = screen_of(window).availableGeometry()
    if available.height() < SMALL_SCREEN_HEIGHT:
        return QSize(first_size(window).width(), available.height())
    return first_size(window)


class StepList(QListWidget):
    """The walkthrough's steps beside the page, each with its state in words and a sign
    (○ not started, ◐ partly done, ✓ done); choosing one goes there.

    Signals:
        go(str): a step was chosen (its key).
    """

    go = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Steps of the walkthrough"))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.itemActivated.connect(lambda item: self.go.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.itemClicked.connect(lambda item: self.go.emit(item.data(Qt.ItemDataRole.UserRole)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter goes to the step chosen and stops there: Qt's list passes the Enter it has
        used on, and the wizard would take it as Next (one step past the one chosen)."""
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()

    def show_steps(self, entries: list[tuple[str, str, str, str]], current: str) -> None:
        """(key, title, state words, icon name: a step kind's or a room kind's) per step; the
        current one selected."""
        blocked = self.blockSignals(True)
        if self.count() != len(entries):
            self.clear()
            for _ in entries:
                self.addItem(QListWidgetItem())
        for row, (key, title, state, sign) in enumerate(entries):
            item = self.item(row)
            if item is None:
                continue
            item.setText(f"{title}\n{state}")
            step_icon = sign in STEP_ICONS.values()
            item.setIcon(icon(sign) if step_icon else room_icon(sign))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {state}")
            if key == current:
                self.setCurrentItem(item)
        self.blockSignals(blocked)


class FinishCheck(QDialog):
    """Asked before a visit with unanswered questions is finished: which questions they are,
    by step (a room check under its room), and a choice: go back and answer them (to the step
    of the question chosen, else of the first), finish anyway, or stay on the summary.

    Closes with `GO_BACK`, `Accepted` (finish anyway) or `Rejected` (stay).
    Attributes:
        missing: the unanswered questions, in walkthrough order.
        falls: a follow-up's falls step, when the falls since the last visit are not asked yet
            (listed first: not asked is never "no falls").
        tree: one entry per step, its questions under it.
    """

    GO_BACK = 2
    FALLS = -1  # the entry of the falls not asked

    def __init__(
        self,
        missing: list[Unanswered],
        person_name: str = "",
        parent: QWidget | None = None,
        falls: Step | None = None,
    ) -> None:
        super().__init__(parent)
        self.missing = missing
        self.falls = falls
        self.setWindowTitle(self.tr("Finish with questions unanswered?"))
        count = len(missing) + (1 if falls is not None else 0)
        text = (
            self.tr("{count} questions have no answer yet.").format(count=count)
            if count != 1
            else self.tr("1 question has no answer yet.")
        )
        text += " " + self.tr("Until they are answered the result says what is not yet known.")
        if any(entry.item.red_flag is not None for entry in missing):
            text += " " + self.tr(
                "Some ask about warning signs: one not asked about cannot be ruled out."
            )
        intro = plain_label(text)
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Questions not answered yet"))
        self.tree.setWordWrap(True)
        # Each entry holds the index in `missing` of its question (a step: of its first one).
        if falls is not None:
            falls_entry = QTreeWidgetItem(
                self.tree, [self.tr("{step}: not asked yet").format(step=step_title(falls))]
            )
            falls_entry.setData(0, Qt.ItemDataRole.UserRole, self.FALLS)
            bold = falls_entry.font(0)
            bold.setBold(True)
            falls_entry.setFont(0, bold)
        groups: dict[str, QTreeWidgetItem] = {}
        for index, entry in enumerate(missing):
            group = groups.get(entry.step.key)
            if group is None:
                group = QTreeWidgetItem(self.tree)
                group.setData(0, Qt.ItemDataRole.UserRole, index)
                groups[entry.step.key] = group
            text = for_person(entry.item.text, person_name)  # as the walkthrough asked it
            question = QTreeWidgetItem(group, [text])
            question.setData(0, Qt.ItemDataRole.UserRole, index)
            question.setToolTip(0, text)  # a long question is cut short on screen
        for group in groups.values():
            step = missing[int(group.data(0, Qt.ItemDataRole.UserRole))].step
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setText(
                0,
                self.tr("{step}: {count} unanswered").format(
                    step=step_title(step), count=group.childCount()
                ),
            )
        self.tree.expandAll()
        self.tree.itemActivated.connect(lambda _item, _column: self.go_back())
        self.buttons = QDialogButtonBox()
        self.go_back_button = QPushButton(self.tr("&Go back and answer them"))
        self.go_back_button.setDefault(True)
        self.go_back_button.clicked.connect(self.go_back)
        self.finish_button = QPushButton(self.tr("&Finish anyway"))
        self.finish_button.setAutoDefault(False)
        self.finish_button.clicked.connect(self.accept)
        self.buttons.addButton(self.go_back_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.finish_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.stay_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.resize(first_size(self, QSize(900, 560)))

    def listed(self) -> list[tuple[str, list[str]]]:
        """What the list shows: each step's line and the questions under it."""
        shown = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is not None:
                questions = (group.child(j) for j in range(group.childCount()))
                shown.append((group.text(0), [q.text(0) for q in questions if q is not None]))
        return shown

    def chosen(self) -> tuple[str, str | None]:
        """Where to go back to (a step's key, and its question): the entry chosen (a step
        chosen: its first question), else the first of all."""
        current = self.tree.currentItem()
        if current is None:
            current = self.tree.topLevelItem(0)
        index = int(current.data(0, Qt.ItemDataRole.UserRole)) if current is not None else 0
        if index == self.FALLS and self.falls is not None:
            return self.falls.key, None
        entry = self.missing[index]
        return entry.step.key, entry.item.id

    def go_back(self) -> None:
        self.done(self.GO_BACK)


class WalkthroughWizard(QWizard):
    """The walkthrough. `session` exists once the visit has started (after the first page), or
    from the start when an existing visit is opened.

    Back is the wizard's own custom button: after resuming in the middle, it still goes to the
    step before, which QWizard's history (that begins where the wizard began) does not know.

    Finish asks first when questions are unanswered (FinishCheck), listing them.

    Signals:
        finished_visit(str): the visit was completed (its id).
    """

    finished_visit = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        ops: Operations,
        session: WalkthroughSession | None = None,
        person_id: str | None = None,
        resume_at: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.session: WalkthroughSession | None = None
        self.preselected_person = person_id
        self._ids: dict[str, int] = {}  # step key -> page id, handed out as steps appear
        self._preview = preview_steps(ws.content.checklist, Settings().last_mode)
        self._finishing = False
        self.finish_check: FinishCheck | None = None  # asking before finishing unanswered
        self._closing: int | None = None  # the result to close with once answers are written
        self._backwards = False  # the page being shown is reached with Back
        self._resume_at = resume_at or ""
        self._last_total: int | None = None  # questions in all, when last shown
        self._change_note = ""  # why the total changed ("+1 room")...
        self._places = 0  # ...said until the place has moved on twice since (a counter)
        self._note_place = 0
        self._room_count = 0
        self.setWindowTitle(self.tr("Home safety walkthrough"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(
            QWizard.WizardButton.CustomButton1, self.buttonText(QWizard.WizardButton.BackButton)
        )
        self.setButtonLayout(
            [
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.back_button = self.button(QWizard.WizardButton.CustomButton1)
        self.back_button.clicked.connect(self.back)
        # Enter is Next (the default button) and never Back, whatever has the focus.
        for which in (QWizard.WizardButton.CustomButton1, QWizard.WizardButton.CancelButton):
            button = self.button(which)
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.step_list = StepList()
        self.step_list.go.connect(self._go_to_step)
        self.setSideWidget(self.step_list)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish the visit"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Close (answers are saved)"))
        self._showing: QWizardPage | None = None  # the page on the screen
        self.currentIdChanged.connect(self._page_changed)
        if session is not None:
            self._hold(session)
        self._sync_pages()
        resume_step = self._resume_at.split("#", 1)[0]
        start = self._ids.get(resume_step) if session is not None else None
        if session is not None and start is None and self._resume_at:
            start = self._first_unfinished()  # its step has gone (a room removed elsewhere)
        self.setStartId(start if start is not None else self._id_for(self.steps()[0].key))
        text_size_actions(self)  # Ctrl++ and Ctrl+- work here too, not only in the main window
        self.resize(walkthrough_size(self))
        fit_on_screen(self)
        self._fitted = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Once shown, the window manager's frame is known: fit the whole frame on the screen
        it opened on (a 1024x600 laptop included)."""
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self, lambda: fit_on_screen(self))

    # ---- steps and pages ----------------------------------------------------------------------

    def steps(self) -> tuple[Step, ...]:
        """The steps now: the visit's, or before it has started the usual ones."""
        return self.session.steps() if self.session is not None else self._preview

    def step_keys(self) -> list[str]:
        return [step.key for step in self.steps()]

    def _id_for(self, key: str) -> int:
        if key not in self._ids:
            self._ids[key] = len(self._ids)
        return self._ids[key]

    def _key_of(self, page_id: int) -> str | None:
        return next((key for key, i in self._ids.items() if i == page_id), None)

    def step_page(self, page_id: int) -> StepPage | None:
        page = self.page(page_id)
        return page if isinstance(page, StepPage) else None

    def pages(self) -> list[StepPage]:
        """The pages of the steps there are now, in order (pages are made as steps appear)."""
        found = (self.page_for_key(step.key) for step in self.steps())
        return [page for page in (self.step_page(i) for i in found if i is not None) if page]

    def page_for_key(self, key: str) -> int | None:
        page_id = self._ids.get(key)
        return page_id if page_id is not None and self.page(page_id) is not None else None

    def _sync_pages(self) -> None:
        """Make the pages match the steps: a page for each new step (before the visit starts,
        only the first), the current look for a changed one (a renamed room), and none for a
        step that has gone and is not on the way back."""
        steps = self.steps()
        for step in steps if self.session is not None else steps[:1]:
            page_id = self.page_for_key(step.key)
            if page_id is None:
                self.setPage(self._id_for(step.key), self._page_class(step.kind)(step, self))
                continue
            page = self.step_page(page_id)
            if page is not None and page.step != step:
                page.set_step(step)
        keys = {step.key for step in steps}
        keep = {*self.visitedIds(), self.currentId()}
        for key, page_id in self._ids.items():
            gone = self.page(page_id) if key not in keys and page_id not in keep else None
            if gone is not None:
                self.removePage(page_id)
                gone.deleteLater()

    def _page_class(self, kind: StepKind) -> type[StepPage]:
        """The page that shows this kind of step: the questions of a step as a grid for an OT
        (one key answers and moves on), one at a time for a caregiver."""
        page = _PAGE_OF[kind]
        return GridPage if page is ItemsPage and not self.guided() else page

    def _hold(self, session: WalkthroughSession) -> None:
        self.session = session
        session.setParent(self)
        session.steps_changed.connect(self._steps_changed)
        session.rooms_changed.connect(self._rooms_changed)
        self._room_count = len(session.rooms())

    def _rooms_changed(self) -> None:
        """Say why the walkthrough grew or shrank: "+1 room" (not a total that jumps)."""
        if self.session is None:
            return
        count, before = len(self.session.rooms()), self._room_count
        self._room_count = count
        if count != before:
            change = count - before
            self._change_note = (
                self.tr("{n:+d} room").format(n=change)
                if abs(change) == 1
                else self.tr("{n:+d} rooms").format(n=change)
            )
            self._last_total = None  # the room note stands for this change
            self._note_place = self._places
            page = self.step_page(self.currentId())
            if page is not None:
                page.show_progress()  # said now, not only with the next answer

    def _steps_changed(self) -> None:
        self._sync_pages()
        current = self.step_page(self.currentId())
        if current is not None:
            current.show_progress()
        self._show_step_list()

    def start_visit(self, request: StartRequest) -> bool:
        """Start the visit the first page describes; False (the reason shown) if it failed."""
        ws = self.ws
        outcome = self.ops.now(
            self,
            lambda: WalkthroughSession.start(ws, request, self),
            title=self.tr("The walkthrough was not started"),
            changes=Change.PEOPLE | Change.VISITS,
        )
        if not isinstance(outcome, Done):
            return False
        self._hold(outcome.value)
        self._sync_pages()
        return True

    # ---- moving -------------------------------------------------------------------------------

    def nextId(self) -> int:  # noqa: N802
        keys = self.step_keys()
        key = self._key_of(self.currentId())
        if key not in keys:
            return -1
        position = keys.index(key)
        return self._id_for(keys[position + 1]) if position + 1 < len(keys) else -1

    def back(self) -> None:
        """To the question before (guided), else to the step before this one, whether or not
        this walkthrough passed through it: it opens at its last question."""
        page = self.currentPage()
        if isinstance(page, ItemsPage) and page.backward():
            return
        keys = self.step_keys()
        key = self._key_of(self.currentId())
        if key not in keys or keys.index(key) == 0:
            return
        previous = self.page_for_key(keys[keys.index(key) - 1])
        if previous is None:
            return
        before = self.page(previous)
        if isinstance(before, ItemsPage) and before.rows:
            before.open_at_end()
        history = self.visitedIds()
        self._backwards = True
        try:
            if len(history) >= 2 and history[-2] == previous:
                super().back()
                return
            # Resumed here: the history begins at this page, so it begins again one step earlier.
            self.setStartId(previous)
            self.restart()
        finally:
            self._backwards = False

    def _first_unfinished(self) -> int | None:
        """The page of the first step with questions left (else the summary's)."""
        waiting = (p.step.key for p in self._step_progress().values() if p.left)
        key = next(waiting, StepKind.SUMMARY.value)
        return self.page_for_key(key)

    def guided(self) -> bool:
        """One question at a time for a caregiver; an OT sees each step's questions as a grid."""
        mode = self.session.mode if self.session is not None else Settings().last_mode
        return mode is Mode.CAREGIVER

    def entering_backwards(self) -> bool:
        return self._backwards

    def resume_item(self, key: str) -> str | None:
        step, _, item = self._resume_at.partition("#")
        if step != key or not item:
            return None
        self._resume_at = ""
        return item

    def place_changed(self, page: StepPage) -> None:
        session = self.session
        if session is not None and page is self.currentPage():
            # A move within the page is written after a pause (or with the next answer); a
            # new page at once.
            same_page = session.place.split("#", 1)[0] == page.step.key
            session.remember_place(self.ops, page, page.page_key(), soon=same_page)
        self._places += 1
        page.show_progress()
        self._show_step_list()

    def _go_to_step(self, key: str) -> None:
        if key != self._key_of(self.currentId()) and self.session is not None:
            self.go_to(key)

    def _page_changed(self, page_id: int) -> None:
        left, self._showing = self._showing, self.page(page_id)
        if isinstance(left, GridPage) and left is not self._showing:
            left.left()
        keys = self.step_keys()
        key = self._key_of(page_id)
        # (Asked of the wizard each time: a Python reference to it can outlive the button.)
        back = self.button(QWizard.WizardButton.CustomButton1)
        back.setVisible(key in keys and keys.index(key) > 0)
        if page_id != -1:
            QTimer.singleShot(0, self, self._build_next_page)
        page = self.step_page(page_id)
        if page is not None and self.session is not None:
            # However the page was reached (Next, Back through the history, a jump to a
            # question): the place is remembered and the page shows the flags as they are now.
            if not isinstance(page, SummaryPage):
                page.flags.show_flags(self.session.red_flags())
            self.place_changed(page)
        else:
            self._show_step_list()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """On a narrow window (a small screen, large text) the step list gives its room to the
        page; the header's progress line still says where the walkthrough is."""
        super().resizeEvent(event)
        wide = self.width() >= STEP_LIST_FROM_CHARS * self.fontMetrics().averageCharWidth()
        self.step_list.setVisible(wide)
        self.step_list.setFixedWidth(max(160, self.width() // 4))

    def _build_next_page(self) -> None:
        following = self.nextId()
        page = self.page(following) if following != -1 else None
        if isinstance(page, ItemsPage) and self.session is not None:
            page.build()

    def progress_count(self) -> tuple[int, int]:
        if self.session is None:
            return 0, 0
        progress = self.session.progress()
        return sum(p.answered for p in progress), sum(p.asked for p in progress)

    def _step_progress(self) -> dict[str, StepProgress]:
        if self.session is None:
            return {}
        return {p.step.key: p for p in self.session.progress()}

    def progress_text(self, page: StepPage) -> str:
        """Where the walkthrough is, in one short line: the question of the step (guided) or
        the step (a room: its number and tags), the questions left and about how long they
        take; and, until the page changes, why the number of questions changed."""
        steps = self.steps()
        keys = [step.key for step in steps]
        key = page.step.key
        if key not in keys:
            return ""
        step = steps[keys.index(key)]
        parts = []
        if isinstance(page, ItemsPage) and page.guided:
            shown, total = page.position()
            if 0 < shown <= total:
                parts.append(self.tr("Question {n} of {total}").format(n=shown, total=total))
        if step.room is not None:
            rooms = [s.key for s in steps if s.kind is StepKind.ROOM]
            parts.append(
                self.tr("room {number} of {rooms}").format(
                    number=rooms.index(key) + 1, rooms=len(rooms)
                )
            )
            parts += [
                tag
                for tag, on in (
                    (self.tr("on the night route"), step.room.night_route),
                    (self.tr("stairs used daily"), step.room.stairs_daily),
                )
                if on
            ]
        if not parts:
            parts.append(
                self.tr("Step {step} of {total}").format(step=keys.index(key) + 1, total=len(steps))
            )
        answered, total = self.progress_count()
        if self.session is not None:
            parts.append(self._time_left(total - answered))
            note = self._total_changed(total)
            if note:
                parts.append(note)
        return " · ".join(parts)

    def _time_left(self, left: int) -> str:
        if left <= 0:
            return self.tr("every question answered")
        minutes = -(-left * SECONDS_PER_QUESTION // 60)  # rounded up
        if minutes <= 1:
            return self.tr("{left} left, about a minute").format(left=left)
        return self.tr("{left} left, about {minutes} min").format(left=left, minutes=minutes)

    def _total_changed(self, total: int) -> str:
        """Why the total is not what it was when last shown (said until the page changes)."""
        before, self._last_total = self._last_total, total
        if before is not None and total != before:
            difference = total - before
            self._change_note = (
                self.tr("{n:+d} question from that answer")
                if abs(difference) == 1
                else self.tr("{n:+d} questions from that answer")
            ).format(n=difference)
            self._note_place = self._places
        # Said on the question where it happened and the one after it (answering moves on).
        return self._change_note if self._places - self._note_place <= 1 else ""

    def _show_step_list(self) -> None:
        current = self._key_of(self.currentId()) or ""
        progress = self._step_progress()
        keys = self.step_keys()
        here = keys.index(current) if current in keys else -1
        entries = []
        for position, step in enumerate(self.steps()):
            found = progress.get(step.key)
            if found is not None and found.asked and found.left == 0:
                state = self.tr("✓ done")
            elif found is not None and found.asked and found.answered:
                state = self.tr("◐ {left} of {asked} left").format(
                    left=found.left, asked=found.asked
                )
            elif found is not None and found.asked:
                state = self.tr("○ not started ({asked} questions)").format(asked=found.asked)
            elif step.kind is StepKind.SUMMARY:
                state = self.tr("the result")
            else:
                state = self.tr("✓ done") if 0 <= position < here else self.tr("○ not started")
            # The state is in the words; the icon says what the step is about.
            sign = step.room.kind if step.room is not None else STEP_ICONS.get(step.kind.value, "")
            if step.key == current:
                state = self.tr("▶ here · {state}").format(state=state)
            entries.append((step.key, step_title(step), state, sign))
        self.step_list.show_steps(entries, current)

    # ---- finishing ----------------------------------------------------------------------------

    def accept(self) -> None:
        """Finish the visit (in the background), then close; if it fails, stay. With questions
        unanswered, first ask (FinishCheck): go back to answer them, finish anyway, or stay."""
        session = self.session
        if session is None:
            super().accept()
            return
        if self._finishing or self.finish_check is not None:
            return
        if not session.unanswered() and self._falls_not_asked() is None:
            self.finish()
            return
        self.show_unanswered()

    def show_unanswered(self) -> None:
        """The unanswered questions by step (FinishCheck): go back to one, finish anyway, or
        stay."""
        session = self.session
        if session is None or self.finish_check is not None:
            return
        missing = session.unanswered()
        falls = self._falls_not_asked()
        if not missing and falls is None:
            return
        check = FinishCheck(missing, session.info.person_name, self, falls)
        self.finish_check = check
        check.finished.connect(lambda result: self._checked(check, result))
        check.open()

    def _falls_not_asked(self) -> Step | None:
        """A follow-up's falls step, while the falls since the last visit are not asked."""
        session = self.session
        if session is None or session.falls().count is not None:
            return None
        return next((s for s in session.steps() if s.kind is StepKind.FALLS), None)

    def _checked(self, check: FinishCheck, result: int) -> None:
        self.finish_check = None
        check.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            self.finish()
        elif result == FinishCheck.GO_BACK:
            self.go_to(*check.chosen())

    def go_to(self, key: str, item: str | None = None) -> None:
        """Show the step with this key (one before the current one: back through the history
        when the walkthrough came that way, else starting again there), and its question."""
        target = self.page_for_key(key)
        if target is None:
            return
        if target in self.visitedIds():
            while self.currentId() != target:
                QWizard.back(self)
        else:
            self.setStartId(target)
            self.restart()
        page = self.currentPage()
        if item is not None and isinstance(page, ItemsPage):
            # After the page has put the focus on its title (a zero timer queued before this).
            QTimer.singleShot(0, page, lambda: page.show_item(item))

    def finish(self) -> None:
        """Finish the visit now, as it is (in the background), then close."""
        session = self.session
        if session is None or self._finishing:
            return
        from safetycheck.services import assessments as visits

        self._finishing = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        ws, visit = self.ws, session.assessment_id

        def done(_finished: object) -> None:
            self._finishing = False
            self.finished_visit.emit(visit)
            QWizard.accept(self)

        def failed(_error: Exception) -> None:
            self._finishing = False
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)

        self.ops.change(
            self,
            lambda: visits.finish_assessment(ws, visit),
            Change.VISITS | Change.ACTIONS,
            title=self.tr("The visit was not finished"),
            done=done,
            failed=failed,
            in_order=True,  # after the answers given before
        )

    def done(self, result: int) -> None:
        """Close (Finish, Close, the window's close button, Escape) only once every answer
        given has been written: until then the buttons wait and say so."""
        session = self.session
        if session is not None:
            session.flush_place()  # a place still waiting for its pause is written first
        if session is None or not session.writing:
            super().done(result)
            return
        if self._closing is None:
            session.written.connect(self._written)
            for which in (
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
            ):
                self.button(which).setEnabled(False)
            cancel = self.button(QWizard.WizardButton.CancelButton)
            cancel.setEnabled(False)
            cancel.setText(self.tr("Saving the answers…"))
            page = self.currentPage()
            if page is not None:
                page.setEnabled(False)  # nothing more to answer on the way out
        self._closing = result

    def _written(self) -> None:
        if self._closing is not None:
            result, self._closing = self._closing, None
            self.done(result)
