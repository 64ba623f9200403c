"""The questions of one step (the person, a room, footwear, the brace and skin): the step's
items, of which only those asked now are shown, re-checked after every answer (so "brace
worn?" reveals the brace questions at once)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from safetycheck.domain.assessment import Answer
from safetycheck.domain.steps import Step

from .item_row import ItemRow
from .session import WalkthroughSession
from .step_page import StepPage, Walkthrough
from .style import plain_label


class ItemsPage(StepPage):
    """One question row per item the step can ask; rows are made once (ahead of time, while the
    page before is being read) and shown or hidden as the answers change. Next waits while an
    answer of the page is being written: the questions it brings in appear when it is saved."""

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        self.rows: list[ItemRow] = []
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.inner_layout = QVBoxLayout(self.inner)
        self.empty = plain_label(self.tr("No questions apply here. Press Next."))
        self.inner_layout.addWidget(self.empty)
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
        session = self.session()
        for item in self.step.items:
            # Created inside the page, never as a window of its own (which would steal focus).
            row = ItemRow(session, self.walkthrough().ops, item, self.room_id, self.inner)
            row.changed.connect(self.update_visible)
            row.saving_changed.connect(self.completeChanged)
            self.rows.append(row)
            self.inner_layout.addWidget(row)
        self.inner_layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        self.build()
        for row in self.rows:
            row.refresh()
        self.update_visible()
        super().initializePage()

    def update_visible(self) -> None:
        session = self.session()
        asked = {item.id for item in self.step.asked(session.facts(), session.mode)}
        shown = 0
        for row in self.rows:
            applies = row.item.id in asked
            row.setVisible(applies)
            shown += applies
        self.empty.setVisible(shown == 0)
        self.flags.show_flags(session.red_flags())

    def saving(self) -> bool:
        return any(row.saving for row in self.rows)

    def isComplete(self) -> bool:  # noqa: N802
        return not self.saving() and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802
        """QWizard.next() asks only this (the button asks isComplete)."""
        return not self.saving() and super().validatePage()

    def show_item(self, item: str) -> None:
        """Scroll to this question and put the focus on it (going back to answer it)."""
        row = next((row for row in self.visible_rows() if row.item.id == item), None)
        if row is None:
            return
        self.scroller.ensureWidgetVisible(row)
        control = next(iter(row.value_buttons.values()), None) or row.spin
        if control is not None:
            control.setFocus(Qt.FocusReason.OtherFocusReason)

    def visible_rows(self) -> list[ItemRow]:
        return [row for row in self.rows if not row.isHidden()]

    def collected(self) -> tuple[Answer, ...]:
        """The answers given on this page, as saved."""
        session = self.session()
        answers = (session.answer(row.item.id, self.room_id) for row in self.visible_rows())
        return tuple(answer for answer in answers if answer is not None)
