"""A finished visit, opened: its summary (red flags, level, reasons, what changed since the
last visit, the plan), its action plan PDF and its letter for the doctor, read only. Changing
an answer is an explicit step, "Edit answers", which opens the walkthrough; nothing here offers
to finish the visit again."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from safetycheck.domain.visits import AssessmentInfo

from .dates import format_date
from .exercise_dialog import SignOffBar
from .exports import save_letter
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
        self._ws, self._ops = ws, ops
        self.letter_button = QPushButton(self.tr("Letter for the &doctor…"))
        self.letter_button.setAutoDefault(False)
        self.letter_button.setAccessibleDescription(
            self.tr("Saves a letter for the person's doctor as a PDF")
        )
        self.letter_button.clicked.connect(self._letter)
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.letter_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(finished)
        layout.addWidget(self.view, 1)
        self.signoff = SignOffBar(ws, ops)  # an OT's next review and home exercises
        layout.addWidget(self.signoff)
        layout.addLayout(buttons)
        text_size_actions(self)
        self.resize(first_size(self, QSize(900, 720)))
        fit_on_screen(self)
        self.view.show_visit(info.id)
        self.signoff.show_visit(info.id)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Once shown, the window manager's frame is known: the whole frame fits the screen
        (a 1024x600 laptop included), as the walkthrough's does."""
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: fit_on_screen(self))

    def _edit(self) -> None:
        self.edit_answers.emit(self.info.id)
        self.accept()

    def _letter(self) -> None:
        if save_letter(
            self, self._ws, self._ops, self.info, self._letter_saved, self._letter_not_saved
        ):
            self.letter_button.setEnabled(False)

    def _letter_saved(self, path: Path, warnings: list[str]) -> None:
        """Said where the plan's saving is said; "Open the PDF" then opens the letter."""
        self.letter_button.setEnabled(True)
        view = self.view
        view.saved_pdf = path
        view.open_button.setEnabled(True)
        text = " ".join([self.tr("The letter was saved to {path}.").format(path=path), *warnings])
        view.message.setText(text)
        view.message.show()

    def _letter_not_saved(self) -> None:
        self.letter_button.setEnabled(True)
