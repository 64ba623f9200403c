"""The questions of one step (the person, a room, footwear, the brace and skin): the step's
items, of which only those asked now are shown, re-checked after every answer (so "brace
worn?" reveals the brace questions at once).

Two views of the same rows. Guided (the caregiver's): one question at a time; choosing an
answer moves on to the next question once the answer is saved (so a follow-up it brings in is
next), Next moves on without answering (the question stays unanswered, never safe), Back goes
to the question before; after the step's last question a short card says what is left here.
The grid (the OT's: GridPage, grid_page.py) builds on this page with its own keys.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QVBoxLayout, QWidget

from safetycheck.domain.assessment import Answer
from safetycheck.domain.checklist import Item
from safetycheck.domain.steps import Step

from .accessibility import announce
from .item_row import ItemRow
from .session import MOVING_ON, WalkthroughSession
from .step_page import StepPage, Walkthrough
from .style import plain_label, set_role

# The end of a step in the guided view: no question is shown.
END = ""


class ItemsPage(StepPage):
    """One question row per item the step can ask; rows are made once (ahead of time, while the
    page before is being read) and shown or hidden as the answers change. Next waits while an
    answer of the page is being written: the questions it brings in appear when it is saved."""

    # How long a question that has just appeared ignores clicks (guided view).
    SETTLE_SECONDS = 0.4

    SCROLLS = False  # it scrolls its own content
    GRID = False  # the rows' look when not guided (GridPage: the OT's grid)

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        self.rows: list[ItemRow] = []
        self.guided = False  # decided when the rows are made (build)
        self.current = END  # guided: the item shown (END: the step's end card)
        self._advance_after: str | None = None  # guided: move on once this answer is saved
        self._arrived_at = 0.0  # guided: when the question shown appeared (monotonic)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a Tab stop of its own: an unnamed, invisible stop before every page's questions.
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.inner = QWidget()
        self.inner_layout = QVBoxLayout(self.inner)
        margins = self.inner_layout.contentsMargins()
        margins.setTop(0)  # right under the header: the question needs the room
        self.inner_layout.setContentsMargins(margins)
        self.empty = plain_label(self.tr("No questions apply here. Press Next."))
        self.inner_layout.addWidget(self.empty)
        self.end_card = plain_label()
        self.end_card.setWordWrap(True)
        self.end_card.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        set_role(self.end_card, "heading")
        self.end_card.hide()
        self.inner_layout.addWidget(self.end_card)
        self.scroller.setWidget(self.inner)
        self.body.addWidget(self.scroller)

    @property
    def room_id(self) -> str | None:
        return self.step.room_id

    def session(self) -> WalkthroughSession:
        session = self.walkthrough().session
        assert session is not None, "the questions come after the visit has started"
        return session

    def build(self) -> None:
        """Create the question rows once (the wizard does it ahead, while the page before is
        being read, so Next only has to refresh them)."""
        if self.rows:
            return
        self.guided = self.walkthrough().guided()
        for item in self.step.items:
            row = self._new_row(item)
            row.changed.connect(lambda r=row: self._saved(r))
            row.saving_changed.connect(self.completeChanged)
            row.chosen.connect(lambda r=row: self._chosen(r))
            row.skipped.connect(lambda r=row: self._skipped(r))
            row.saving_changed.connect(self.show_progress)  # given, written or refused
            self.rows.append(row)
            self.inner_layout.addWidget(row)
        self.inner_layout.addStretch(1)

    def _new_row(self, item: Item) -> ItemRow:
        # Created inside the page, never as a window of its own (which would steal focus).
        session = self.session()
        return ItemRow(
            session,
            self.walkthrough().ops,
            item,
            self.room_id,
            self.inner,
            guided=self.guided,
            grid=self.GRID,
            person_name=session.info.person_name,
        )

    def initializePage(self) -> None:  # noqa: N802
        self.build()
        for row in self.rows:
            row.refresh()
        if self.guided:
            self.current = self._entry_item()
        self.update_visible()
        super().initializePage()

    def set_compact(self, compact: bool) -> None:
        """Guided, on a short page: the step's title moves into the progress line, so the
        question and its first answers fit without scrolling."""
        super().set_compact(compact)
        hide = compact and self.guided
        if self.heading.isHidden() != hide:
            self.heading.setHidden(hide)
            if self.rows:
                self.show_progress()

    def _entry_item(self) -> str:
        """Where the guided view starts on this page: where a resumed walkthrough stopped (past
        a question it had just answered), at the last question when coming back from the step
        after, else at the first unanswered question (else the first)."""
        asked = self.asked_rows()
        if not asked:
            return END
        resume = self.walkthrough().resume_item(self.step.key)
        ids = [row.item.id for row in asked]
        if resume is not None and resume.endswith(MOVING_ON):
            # Stopped just after answering it: on to the next question.
            return self._following(resume.removesuffix(MOVING_ON), ids)
        if resume is not None and resume in ids:
            return resume
        if self.walkthrough().entering_backwards():
            return asked[-1].item.id
        waiting = (row for row in asked if row.current() is None and not row.saving)
        return next(waiting, asked[0]).item.id

    def open_at_end(self) -> None:
        """Guided: show the last question (Back from the step after lands there)."""
        asked = self.asked_rows()
        if self.guided and asked:
            self.current = asked[-1].item.id
            self.update_visible()

    def asked_rows(self) -> list[ItemRow]:
        """The rows whose questions are asked now, in order."""
        session = self.session()
        asked = {item.id for item in self.step.asked(session.facts(), session.mode)}
        return [row for row in self.rows if row.item.id in asked]

    def update_visible(self, progress: bool = True) -> None:
        """Show the questions asked now (guided: the current one, or the end card), the red
        flags, and (unless the caller will) the progress."""
        session = self.session()
        asked = self.asked_rows()
        if self.guided:
            ids = [row.item.id for row in asked]
            if self.current != END and self.current not in ids:
                self.current = self._following(self.current, ids)
            for row in self.rows:
                row.setVisible(row.item.id == self.current)
            self._show_end_card(asked)
        else:
            shown = {row.item.id for row in asked}
            for row in self.rows:
                row.setVisible(row.item.id in shown)
        self.empty.setVisible(not asked)
        self._show_flags_in_place(session)
        if progress:
            self.show_progress()

    def _show_flags_in_place(self, session: WalkthroughSession) -> None:
        """Show the red flags above the questions without moving the questions under the
        pointer: the list scrolls by as much as the banner grew (or shrank)."""
        before = self.scroller.mapTo(self, self.scroller.rect().topLeft()).y()
        changed = self.flags.show_flags(session.red_flags())
        layout = self.layout()
        if not changed or layout is None or not self.isVisible():
            return
        layout.activate()
        moved = self.scroller.mapTo(self, self.scroller.rect().topLeft()).y() - before
        if moved:
            self.inner.adjustSize()
            bar = self.scroller.verticalScrollBar()
            bar.setValue(bar.value() + moved)

    def _following(self, item: str, asked: list[str]) -> str:
        """The first question asked now that comes after `item` in the step's order."""
        order = [row.item.id for row in self.rows]
        later = order[order.index(item) + 1 :] if item in order else order
        return next((i for i in later if i in asked), END)

    def _show_end_card(self, asked: list[ItemRow]) -> None:
        at_end = self.current == END and bool(asked)
        if at_end:
            left = sum(1 for row in asked if row.current() is None and not row.saving)
            title = self.step.title if self.step.room is not None else self.title_text()
            if left:
                text = self.tr(
                    "{left} of {total} questions here are not answered yet ({step}). "
                    "Press Back to go to them, or Next to go on: they will be listed "
                    "before you finish."
                ).format(left=left, total=len(asked), step=title)
            else:
                text = self.tr("All {total} questions here are answered ({step}). Press Next.")
                text = text.format(total=len(asked), step=title)
            self.end_card.setText(text)
            self.end_card.setAccessibleName(text)
        self.end_card.setVisible(at_end)

    def title_text(self) -> str:
        return self.heading.text()

    # ---- guided: moving between questions ------------------------------------------------------

    def position(self) -> tuple[int, int]:
        """Guided: the question shown (1-based; total + 1 at the end card) and how many there
        are on this page."""
        ids = [row.item.id for row in self.asked_rows()]
        if self.current == END:
            return len(ids) + 1, len(ids)
        return (ids.index(self.current) + 1 if self.current in ids else 1), len(ids)

    def current_row(self) -> ItemRow | None:
        """Guided: the row shown now (None at the end card)."""
        return next((row for row in self.rows if row.item.id == self.current), None)

    def _chosen(self, row: ItemRow) -> None:
        if self.guided and row.item.id == self.current:
            self._advance_after = row.item.id
            if not row.saving:  # written already (or refused: then it stays)
                self._saved(row)

    def _skipped(self, row: ItemRow) -> None:
        """ "Not sure": on without an answer; an answer still being written first returns (its
        follow-up questions come in, and must not be passed over)."""
        if not self.guided or row.item.id != self.current:
            return
        if row.saving:
            self._advance_after = row.item.id
        else:
            self.forward()

    def _saved(self, row: ItemRow) -> None:
        self.update_visible()
        # On only once the last answer given here is written (a second click queued behind
        # the first may still be refused) and the question has its answer.
        if self._advance_after == row.item.id and not row.saving and row.current() is not None:
            self._advance_after = None
            self.forward()

    def forward(self) -> bool:
        """Guided: to the next question of this page; False at the end card (the wizard then
        goes to the next step)."""
        if not self.guided or self.current == END:
            return False
        self.current = self._following(self.current, [r.item.id for r in self.asked_rows()])
        self._arrive()
        return True

    def backward(self) -> bool:
        """Guided: to the question before on this page; False at the first (the wizard then
        goes to the step before)."""
        if not self.guided:
            return False
        ids = [row.item.id for row in self.asked_rows()]
        if not ids or self.current == ids[0]:
            return False
        self.current = ids[-1] if self.current not in ids else ids[ids.index(self.current) - 1]
        self._arrive()
        return True

    def _arrive(self) -> None:
        """Show the current question and put the focus on its answer. For a moment its
        answers take no click: a quick second click meant for the question before (a double
        click) must not answer the one that has just appeared under the pointer."""
        self._advance_after = None
        self._arrived_at = time.monotonic()
        row = self.current_row()
        if row is not None:
            row.hold_clicks(self.SETTLE_SECONDS)
        self.update_visible(progress=False)  # place_changed shows it
        self.scroller.verticalScrollBar().setValue(0)
        self.walkthrough().place_changed(self)
        QTimer.singleShot(0, self, self._focus_current)

    def _focus_heading(self) -> None:
        """Guided: the focus starts on the question's answers (their names carry the question,
        which is also announced), so one key answers; otherwise on the page's title."""
        if self.guided and self.isVisible() and self.current_row() is not None:
            self._focus_current()
        else:
            super()._focus_heading()

    def _focus_current(self) -> None:
        row = self.current_row()
        if row is not None and row.isVisible():
            row.focus_answer()
            focused = QApplication.focusWidget()
            if focused is not None and row.isAncestorOf(focused):
                self.scroller.ensureWidgetVisible(focused)  # the first answer in view,
            self.scroller.ensureWidgetVisible(row.question, 0, 0)  # but the question first
            announce(row, row.text)
        elif self.end_card.isVisible():
            self.end_card.setFocus(Qt.FocusReason.OtherFocusReason)

    def page_key(self) -> str:
        """The step, and in the guided view the question, where the walkthrough resumes."""
        if self.guided and self.current != END:
            return f"{self.step.key}#{self.current}"
        return self.step.key

    def saving(self) -> bool:
        return any(row.saving for row in self.rows)

    def isComplete(self) -> bool:  # noqa: N802
        return not self.saving() and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802
        """QWizard.next() asks only this (the button asks isComplete). Guided, Next moves to
        the next question of the page first (once an answer being written has returned), and
        leaves the page only from its end card."""
        if self.guided and self.current != END:
            if time.monotonic() < self._arrived_at + self.SETTLE_SECONDS:
                return False  # a double click on Next: the question just shown stays
            row = self.current_row()
            if row is not None and row.saving:
                self._advance_after = row.item.id  # on as soon as it is written
            else:
                self.forward()
            return False
        return not self.saving() and super().validatePage()

    def show_item(self, item: str) -> None:
        """Show this question and put the focus on its answer (going back to answer it)."""
        row = next((row for row in self.visible_rows() if row.item.id == item), None)
        if row is None:
            return
        if self.guided:
            self.current = item
            self._arrive()  # remembered as the place, the progress shown
            return
        self.scroller.ensureWidgetVisible(row)
        row.focus_answer()

    def visible_rows(self) -> list[ItemRow]:
        """The questions this page asks now (guided: shown one at a time)."""
        return self.asked_rows()

    def collected(self) -> tuple[Answer, ...]:
        """The answers given on this page, as saved."""
        session = self.session()
        answers = (session.answer(row.item.id, self.room_id) for row in self.visible_rows())
        return tuple(answer for answer in answers if answer is not None)
