"""The OT's grid: every question of a step on one dense page, where one key answers and moves on.

The same step and the same rows as the guided view (items_page.py), another look and other
keys. The focus is on one question row at a time (ringed); its buttons are for the mouse and
never a Tab stop, so no key lands in a note by accident:

- Y / N / A, or a choice's number: answer and move to the next question at once. A follow-up
  the answer brings in is next (which questions are asked is worked out with the answers still
  being written taken as given; a refused answer takes its follow-ups away again).
- digits then Enter: a measurement, in the program's unit; Enter: keep the last visit's answer
  (a suggestion beside the question, never an answer until kept), else move on; Enter on the
  last question goes to the next page.
- C: keep every last-visit answer left on this page; S: every check left unanswered in this
  room is safe (never a red-flag question, a measurement, or a question with more than one safe
  answer); U: the next unanswered question, here or on a later page; Up / Down: move.
- F2: the note (Enter or Esc goes back to the row); F4: a photo.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication

from safetycheck.domain.checklist import AnswerType, Item, Page
from safetycheck.domain.steps import Step, StepKind
from safetycheck.services.carry import kept_together

from .accessibility import announce
from .item_row import ItemRow
from .items_page import END, ItemsPage
from .session import AskedAnswer
from .step_page import StepPage, Walkthrough
from .style import plain_label, set_role


def safe_answer(item: Item) -> str | None:
    """The one answer that says "no problem here" (S: the rest of the room is safe), or None
    when the question has no single such answer or must be asked: a red-flag question, a
    measurement, a fact about the person."""
    if item.red_flag is not None or item.page is Page.PERSON:
        return None
    if item.type is AnswerType.MEASURE:
        return None
    safe = item.safe_values
    if item.type is AnswerType.CHECK:
        return "yes" if "yes" in safe else None
    return safe[0] if len(safe) == 1 else None


class GridPage(ItemsPage):
    """One step's questions as a grid. `current` is the question row with the focus (the place
    a walkthrough resumes at)."""

    GRID = True

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        self._next_when_written = False  # Enter on the last question while answers are written
        self._refused = False  # an answer of this page was refused since Enter
        self.keys_hint = plain_label()  # the keys of this page (initializePage)
        self.keys_hint.setWordWrap(True)
        set_role(self.keys_hint, "help")
        self.body.insertWidget(0, self.keys_hint)
        self.done_line = plain_label()  # what C or S did
        self.done_line.setWordWrap(True)
        self.done_line.hide()
        self.body.insertWidget(1, self.done_line)

    def build(self) -> None:
        if self.rows:
            return
        super().build()
        for row in self.rows:
            row.moved.connect(lambda move, r=row: self.act(r, move))
            row.saving_changed.connect(lambda r=row: self._given(r))
            row.refused.connect(lambda r=row: self._refusal(r))
            row.entered.connect(lambda r=row: self._entered(r))

    def keys_text(self) -> str:
        """The keys this page takes: "keep" only on a follow-up, S only in a room."""
        parts = [self.tr("Y yes · N no · A not applicable · 1–9 a choice")]
        if self.session().follow_up:
            parts.append(self.tr("Enter keeps the last visit's answer · C keeps them all"))
        if self.step.kind in (StepKind.ROOM, StepKind.HOME_CHECKS):
            parts.append(self.tr("S the rest is safe"))
        parts.append(self.tr("U next unanswered · F2 note"))
        if self.step.kind.page is not Page.PERSON:
            parts.append(self.tr("F4 photo"))
        return self.tr("Keys: {keys}").format(keys=" · ".join(parts))

    def set_compact(self, compact: bool) -> None:
        """On a short page the step's title goes into the progress line (as in the guided
        view), and the line of keys gives way: the questions need the lines."""
        StepPage.set_compact(self, compact)  # (not the guided view's)
        if self.heading.isHidden() != compact:
            self.heading.setHidden(compact)
            if self.rows:
                self.show_progress()
        # (Short: the keys are in the key reference; the lines go to the questions.)
        self.keys_hint.setHidden(compact)

    def initializePage(self) -> None:  # noqa: N802
        self._next_when_written = False
        self.done_line.hide()
        self.keys_hint.setText(self.keys_text())
        super().initializePage()  # rows refreshed, shown, the heading focused (a timer)
        self.current = self._entry_item()
        QTimer.singleShot(0, self, self._focus_current)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """However the page is reached (Back through the history does not initialise it
        again), the focus goes to its question row."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._focus_current)

    def asked_rows(self) -> list[ItemRow]:
        """The rows asked now, the answers being written taken as given."""
        session = self.session()
        asked = {item.id for item in self.step.asked(session.facts_given(), session.mode)}
        return [row for row in self.rows if row.item.id in asked]

    def update_visible(self, progress: bool = True) -> None:
        super().update_visible(progress)
        if self.current != END and self.current not in {r.item.id for r in self.asked_rows()}:
            self.current = self._following(self.current, [r.item.id for r in self.asked_rows()])

    # ---- moving -------------------------------------------------------------------------------

    def _focus_heading(self) -> None:
        if self.isVisible() and self.current_row() is not None:
            self._focus_current()
        else:
            super()._focus_heading()

    def _focus_current(self) -> None:
        row = self.current_row()
        if row is None or not row.isVisible():
            return
        row.focus_answer()
        self.scroller.ensureWidgetVisible(row, 0, row.height() // 2)

    def _entered(self, row: ItemRow) -> None:
        """The focus came to a row by Tab or a click: that is the place now."""
        if row.item.id != self.current:
            self.current = row.item.id
            self.walkthrough().place_changed(self)

    def _go(self, row: ItemRow | None) -> None:
        """Put the focus on this question (None: stay), remembered as the place."""
        if row is None:
            return
        self.current = row.item.id
        self._focus_current()
        self.walkthrough().place_changed(self)

    def _following_row(self, row: ItemRow) -> ItemRow | None:
        asked = self.asked_rows()
        ids = [r.item.id for r in asked]
        following = self._following(row.item.id, ids)
        return next((r for r in asked if r.item.id == following), None)

    def _waiting_after(self, row: ItemRow, wrap: bool = False) -> ItemRow | None:
        """The next question after this one that still needs an answer (an answer kept or
        given already is not typed over by the next key); `wrap`: else the first above it."""
        asked = self.asked_rows()
        at = asked.index(row) if row in asked else -1
        order = asked[at + 1 :] + (asked[: max(at, 0)] if wrap else [])
        return next((r for r in order if r.current() is None and not r.saving), None)

    def act(self, row: ItemRow, move: str) -> None:
        """A key of the grid, pressed on this row."""
        self.done_line.hide()  # what C or S said is over once the OT goes on
        if move == "next":  # Enter: the next question needing an answer, else the next page
            # From the last question, once round to any left above (never round and round).
            asked = self.asked_rows()
            following = self._waiting_after(row, wrap=bool(asked) and row is asked[-1])
            if following is None:
                self._next_page()
            else:
                if self.asked_rows().index(following) < self.asked_rows().index(row):
                    left = len(self._unanswered_rows())
                    self._say(
                        self.tr(
                            "{left} questions here have no answer yet: Enter goes on to each, "
                            "Alt+N leaves the page."
                        ).format(left=left)
                        if left != 1
                        else self.tr(
                            "1 question here has no answer yet: Enter goes on to it, Alt+N "
                            "leaves the page."
                        )
                    )
                self._go(following)
        elif move == "down":
            self._go(self._following_row(row))
        elif move == "previous":
            asked = self.asked_rows()
            if row in asked and asked.index(row) > 0:
                self._go(asked[asked.index(row) - 1])
        elif move == "unanswered":
            self.next_unanswered(row)
        elif move == "rest_safe":
            self.rest_is_safe()
        elif move == "confirm_all":
            self.keep_all()

    def _chosen(self, row: ItemRow) -> None:
        """An answer was given here: on to the next question at once (no wait for the write:
        the questions asked are worked out with it taken as given)."""
        self.done_line.hide()
        if row.item.id == self.current or row.hasFocus():
            following = self._waiting_after(row)
            if following is None:
                self._go(row)  # all answered after it: Enter goes on to the next page
            else:
                self._go(following)

    def _skipped(self, row: ItemRow) -> None:
        """(The grid has no "Not sure": a question left alone stays unanswered.)"""

    def _saved(self, _row: ItemRow) -> None:
        self.update_visible()

    def _given(self, _row: ItemRow) -> None:
        """An answer was given (questions it brings in appear now) or its write returned."""
        self.update_visible(progress=False)
        if not self._next_when_written or self.saving():
            return
        self._next_when_written = False
        wizard = self.wizard()
        # Only from this page (Back may have been pressed since), and not past a refusal
        # (its reason is on the screen, and the question is unanswered again).
        if wizard is not None and wizard.currentPage() is self and not self._refused:
            wizard.next()

    def _refusal(self, _row: ItemRow) -> None:
        self._refused = True
        self._next_when_written = False

    def _next_page(self) -> None:
        """Enter on the last question (or Next): the next page, once this page's answers are
        written."""
        self._refused = False
        if self.saving():
            self._next_when_written = True
        else:
            self.wizard().next()

    def cleanupPage(self) -> None:  # noqa: N802
        self._next_when_written = False  # left with Back: no moving on later
        super().cleanupPage()

    def left(self) -> None:
        """The walkthrough went to another page (Next, Back through the history, a jump): no
        moving on later from here. (Not on hiding: QWizard hides and shows its current page
        while it lays itself out again, and the Next pressed while an answer was written
        was lost; CI saw it under load.)"""
        self._next_when_written = False

    def next_unanswered(self, row: ItemRow | None = None) -> None:
        """U: the first unanswered question after this one, here or on a later page (else the
        first anywhere)."""
        session = self.session()
        waiting = session.unanswered()
        if not waiting:
            self._say(self.tr("Every question asked so far is answered."))
            return
        order = [(u.step.key, u.item.id) for u in waiting]
        here = [r.item.id for r in self.asked_rows()]
        after = (
            here[here.index(row.item.id) + 1 :] if row is not None and row.item.id in here else here
        )
        for item in after:
            if (self.step.key, item) in order:
                self._go(next(r for r in self.rows if r.item.id == item))
                return
        keys = [step.key for step in session.steps()]
        position = keys.index(self.step.key) if self.step.key in keys else -1
        later = [u for u in waiting if keys.index(u.step.key) > position] or waiting
        target = later[0]
        if target.step.key == self.step.key:
            self._go(next(r for r in self.rows if r.item.id == target.item.id))
        else:
            self.walkthrough().go_to(target.step.key, target.item.id)

    # ---- answering many -----------------------------------------------------------------------

    def _unanswered_rows(self) -> list[ItemRow]:
        return [r for r in self.asked_rows() if r.current() is None and not r.saving]

    def _answer_all(self, pick: Callable[[ItemRow], AskedAnswer | None]) -> int:
        """Answer every unanswered question `pick` has an answer for, again while answers
        bring in follow-ups; the count given."""
        given = 0
        seen: set[str] = set()
        while True:
            batch = [r for r in self._unanswered_rows() if r.item.id not in seen]
            answered = 0
            for row in batch:
                seen.add(row.item.id)
                asked = pick(row)
                if asked is not None:
                    self.session().submit(
                        self.walkthrough().ops,
                        row,
                        row.item.id,
                        row.room,
                        asked,
                        title=self.tr("The answer was not saved"),
                    )
                    answered += 1
            given += answered
            if not answered:
                return given

    def rest_is_safe(self) -> None:
        """S: every check left unanswered in this room (or around the home) is safe: the OT
        has looked. Not on the person's, footwear or brace pages: those are asked, not seen."""
        if self.step.kind not in (StepKind.ROOM, StepKind.HOME_CHECKS):
            self._say(
                self.tr("S answers a room's checks only: these questions are asked one by one.")
            )
            return

        def safe(row: ItemRow) -> AskedAnswer | None:
            value = safe_answer(row.item)
            return AskedAnswer(value, row.note.text()) if value is not None else None

        given = self._answer_all(safe)
        left = len(self._unanswered_rows())
        self._after_many(
            self.tr("{given} answered as safe; {left} left to answer here.").format(
                given=given, left=left
            )
        )

    def keep_all(self) -> None:
        """C: keep the last visit's answer wherever one is offered on this page."""

        def carried(row: ItemRow) -> AskedAnswer | None:
            answer = row.suggestion()
            if answer is None or not kept_together(row.item):
                return None  # (a screening question: kept one at a time, asked again)
            return AskedAnswer(answer.value, row.note.text(), answer.unit)

        given = self._answer_all(carried)
        left = len(self._unanswered_rows())
        self._after_many(
            self.tr("{given} kept from the last visit; {left} left to answer here.").format(
                given=given, left=left
            )
        )

    def _after_many(self, said: str) -> None:
        self._say(said)
        waiting = self._unanswered_rows()
        asked = self.asked_rows()
        self._go(waiting[0] if waiting else (asked[-1] if asked else None))

    def _say(self, text: str) -> None:
        self.done_line.setText(text)
        self.done_line.show()
        announce(self, text)

    # ---- the place ------------------------------------------------------------------------------

    def page_key(self) -> str:
        if self.current != END:
            return f"{self.step.key}#{self.current}"
        return self.step.key

    def show_item(self, item: str) -> None:
        row = next((r for r in self.asked_rows() if r.item.id == item), None)
        self._go(row)

    def isComplete(self) -> bool:  # noqa: N802
        """Next stays enabled while answers are written: validatePage waits for them (so
        Alt+N pressed just after an answer is not lost)."""
        return StepPage.isComplete(self)

    def validatePage(self) -> bool:  # noqa: N802
        """Next (Alt+N, the button): a value typed and not yet saved is saved; answers still
        being written are waited for, and then the page is left (the key is not lost)."""
        focused = QApplication.focusWidget()
        row = self.current_row()
        if row is not None and row.spin is not None and focused is row.spin:
            row.save_measure()  # typed, then Alt+N: the value is kept
        if self.saving():
            self._refused = False
            self._next_when_written = True
            return False
        return super(ItemsPage, self).validatePage()


__all__ = ["GridPage", "safe_answer"]
