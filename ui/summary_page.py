"""The last step: the summary of the visit (red flags first, what is not yet known, the level,
the reasons, the plan) and its PDF; Finish marks the visit completed, after asking when questions
are unanswered (the wizard's FinishCheck)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from safetycheck.domain.evaluation import Evaluation
from safetycheck.domain.signoff import SignOff
from safetycheck.domain.steps import Step

from .exercise_dialog import SignOffBar
from .step_page import StepPage, Walkthrough
from .summary import SummaryView


class SummaryPage(StepPage):
    """The summary, read afresh each time the page is shown."""

    SCROLLS = False  # it scrolls its own content

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        self.view = SummaryView(walkthrough.ws, walkthrough.ops)
        # Which questions are not answered, not only how many: the list, with a way to each.
        self.unanswered_button = QPushButton()
        self.unanswered_button.setAutoDefault(False)
        self.unanswered_button.clicked.connect(walkthrough.show_unanswered)
        self.body.addWidget(self.unanswered_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.view)
        # An OT's next review date and home exercises, where the visit is finished.
        self.signoff = SignOffBar(walkthrough.ws, walkthrough.ops)
        self.signoff.signoff_saved.connect(self._signoff_saved)
        self.body.addWidget(self.signoff)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802
        session = self.walkthrough().session
        assert session is not None, "the summary comes after the visit has started"
        self.view.show_visit(session.assessment_id)
        self.signoff.show_visit(session.assessment_id)
        left = len(session.unanswered())
        self.unanswered_button.setVisible(left > 0)
        self.unanswered_button.setText(
            self.tr("See the {count} unanswered questions…").format(count=left)
            if left != 1
            else self.tr("See the unanswered question…")
        )
        super().initializePage()
        self.flags.setVisible(False)  # the summary shows the red flags itself, first

    def _signoff_saved(self, stored: SignOff) -> None:
        session = self.walkthrough().session
        if session is not None:
            session.hold_signoff(stored)

    def validatePage(self) -> bool:  # noqa: N802
        """Finish: a next review date changed is written first."""
        self.signoff.flush()
        return super().validatePage()

    def collected(self) -> Evaluation | None:
        """The visit's result, plan and summary, once read."""
        return self.view.evaluation
