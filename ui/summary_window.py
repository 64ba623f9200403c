"""A finished visit, opened: its summary (red flags, level, reasons, what changed since the
last visit, the plan) and its action plan PDF, read only. Changing an answer is an explicit
step, "Edit answers", which opens the walkthrough; nothing here offers to finish the visit
again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from safetycheck.domain.visits import AssessmentInfo

from .dates import format_date
from .operations import Operations
from .style import plain_label, set_role
from .summary import SummaryView
from .text_size import first_size, fit_on_screen, text_size_actions

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace


class SummaryWindow(QDialog):
    """The summary of one finished visit, in a window of its own (not modal: the main window
    stays usable beside it).

    Signals:
        edit_answers(str): the user asked to change the visit's answers (its id); the window
            closes and the main window opens the walkthrough.
    Attributes:
        view: the summary (a SummaryView, with its PDF buttons).
        info: the visit shown.
    """

    edit_answers = Signal(str)

    def __init__(
        self, ws: Workspace, ops: Operations, info: AssessmentInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.info = info
        # The window's title holds no name: a title is drawn by the window manager, which the
        # program cannot keep from reading markup in it.
        self.setWindowTitle(
            self.tr("Summary of the visit of {date}").format(date=format_date(info.date))
        )
        title = plain_label(
            self.tr("{name}: the visit of {date} by {assessor}").format(
                name=info.person_name, date=format_date(info.date), assessor=info.assessor_name
            )
        )
        set_role(title, "heading")
        title.setWordWrap(True)
        finished = plain_label(
            self.tr(
                "This visit is finished; its summary is shown as it was answered. To change "
                "an answer, choose Edit answers."
            )
        )
        finished.setWordWrap(True)
        set_role(finished, "help")
        self.view = SummaryView(ws, ops)
        self.edit_button = QPushButton(self.tr("&Edit answers"))
        self.edit_button.setAutoDefault(False)
        self.edit_button.setAccessibleDescription(
            self.tr("Opens the walkthrough of this visit to change its answers")
        )
        self.edit_button.clicked.connect(self._edit)
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(finished)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        text_size_actions(self)
        self.resize(first_size(self, QSize(900, 720)))
        fit_on_screen(self)
        self.view.show_visit(info.id)

    def _edit(self) -> None:
        self.edit_answers.emit(self.info.id)
        self.accept()
