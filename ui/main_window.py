"""The main window. For now it shows the checklist in use and scores an assessment file;
the people list and the walkthrough wizard come with the wizard issue."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safetycheck import __version__
from safetycheck.content import Content
from safetycheck.domain.checklist import Page
from safetycheck.exchange.assessment_json import ExchangeError
from safetycheck.reports.summary_text import format_summary
from safetycheck.services.scoring import score_file


class MainWindow(QMainWindow):
    """Shows the checklist version and scores an assessment file chosen by the user."""

    def __init__(self, content: Content) -> None:
        super().__init__()
        self._content = content
        self.setWindowTitle(self.tr("safetycheck"))
        checklist = content.checklist
        heading = QLabel(self.tr("Home safety and fall-risk check"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        heading.setAccessibleName(heading.text())
        rooms = len(checklist.room_kinds)
        checks = len(checklist.items_on(Page.ROOM))
        details = QLabel(
            self.tr(
                "Version {version}. Checklist {checklist}: {items} questions, {checks} room "
                "checks over {rooms} kinds of room. Risk model {model}."
            ).format(
                version=__version__,
                checklist=checklist.version,
                items=len(checklist.items),
                checks=checks,
                rooms=rooms,
                model=content.model.version,
            )
        )
        details.setWordWrap(True)
        self.open_button = QPushButton(self.tr("&Open an assessment file…"))
        self.open_button.setAccessibleDescription(
            self.tr("Choose a safetycheck assessment file to see its fall-risk result")
        )
        self.open_button.clicked.connect(self._choose_file)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setAccessibleName(self.tr("Result"))
        self.summary.setPlaceholderText(
            self.tr("The walkthrough is coming. For now, open an assessment file to score it.")
        )
        layout = QVBoxLayout()
        layout.addWidget(heading)
        layout.addWidget(details)
        layout.addWidget(self.open_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.summary, stretch=1)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.resize(720, 560)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open an assessment file"), "", self.tr("Assessment files (*.json)")
        )
        if name:
            self.show_file(Path(name))

    def show_file(self, path: Path) -> bool:
        """Score the file and show the result; a bad file gets a message box and changes nothing."""
        try:
            result, plan = score_file(path, self._content)
        except ExchangeError as exc:
            QMessageBox.warning(self, self.tr("Cannot open this file"), str(exc))
            return False
        self.summary.setPlainText(format_summary(result, plan))
        return True
