"""The summary of a visit: red flags first, the level in words, the reasons, the plan by room
(the one ResultSummary every view renders); and saving its action plan as a PDF."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.evaluation import Evaluation
from safetycheck.domain.visits import AssessmentInfo

from .exports import PlanPdfExport
from .operations import Operations
from .style import plain_label

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace


def summary_html(evaluation: Evaluation) -> str:
    """The summary as simple HTML (all text escaped); read by screen readers in order."""
    summary, plan = evaluation.summary, evaluation.plan
    parts: list[str] = []
    if summary.red_flags:
        parts.append(
            '<table width="100%" cellpadding="8" style="background:#fdecee; '
            'border: 3px solid #b00020"><tr><td>'
        )
        parts.append("<h2>⚠ RED FLAGS — seek medical attention now</h2><ul>")
        parts += [
            f"<li><b>{escape(flag)}.</b> Seek medical attention now.</li>"
            for flag in summary.red_flags
        ]
        parts.append("</ul></td></tr></table>")
    parts.append(f"<h2>Fall risk: {escape(summary.level_label)} (score {summary.score})</h2>")
    parts += [f"<p>Because {escape(reason)}.</p>" for reason in summary.level_reasons]
    parts.append(f"<p><b>Stay Independent:</b> {escape(summary.stay_independent)}.</p>")
    if summary.unanswered:
        parts.append(
            f"<p>{summary.unanswered} questions are not answered yet; they do not count.</p>"
        )
    if summary.top_reasons:
        parts.append("<h3>What adds most to the risk</h3><ol>")
        parts += [f"<li>{escape(label)}: +{points}</li>" for label, points in summary.top_reasons]
        parts.append("</ol>")
    parts.append("<h3>Action plan, room by room</h3>")
    groups = plan.by_room()
    if not groups:
        parts.append("<p>Nothing needs fixing.</p>")
    for _room, name, actions in groups:
        parts.append(f"<h4>{escape(name)}</h4><ul>")
        for action in actions:
            parts.append(
                f"<li><b>{escape(action.priority.label)}</b> — "
                f"{escape(action.finding)}: {escape(action.text)} "
                f"<i>({escape(action.who.label)})</i></li>"
            )
        parts.append("</ul>")
    parts.append(f"<p><small>{escape(summary.disclaimer)}</small></p>")
    return "".join(parts)


class SummaryView(QWidget):
    """Shows a visit's result and plan (read in the background), and saves its action plan.

    Signals:
        shown(): the summary of the visit asked for is on screen.
    Attributes:
        info, evaluation: the visit shown and its evaluation (None until `shown`).
    """

    shown = Signal()

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.assessment_id: str | None = None
        self.info: AssessmentInfo | None = None
        self.evaluation: Evaluation | None = None
        self.saved_pdf: Path | None = None
        self.export = PlanPdfExport(ws, ops, self)
        self.export.started.connect(self._saving)
        self.export.saved.connect(self._saved)
        self.export.failed.connect(self._not_saved)
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Summary of the visit"))
        self.text.setOpenExternalLinks(False)
        self.export_button = QPushButton(self.tr("&Save the action plan as PDF…"))
        self.export_button.setAutoDefault(False)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.choose_pdf)
        self.open_button = QPushButton(self.tr("&Open the PDF"))
        self.open_button.setAutoDefault(False)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_pdf)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setAccessibleName(self.tr("Saving the PDF"))
        self.message = plain_label()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.busy, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def show_visit(self, assessment_id: str) -> None:
        """Read and evaluate the visit in the background; `shown` when it is on screen."""
        from safetycheck.services import assessments as visits

        self.assessment_id = assessment_id
        ws = self.ws

        def work() -> tuple[AssessmentInfo, Evaluation]:
            return visits.get_info(ws, assessment_id), visits.evaluate_visit(ws, assessment_id)

        def done(result: tuple[AssessmentInfo, Evaluation]) -> None:
            if assessment_id != self.assessment_id:
                return  # another visit was asked for meanwhile
            self.info, self.evaluation = result
            self.text.setHtml(summary_html(self.evaluation))
            self.export_button.setEnabled(not self.busy.isVisibleTo(self))
            self.shown.emit()

        # In order: after every answer given before it (the summary counts them all).
        self.ops.query(
            self, work, done, title=self.tr("The summary could not be read"), in_order=True
        )

    def choose_pdf(self) -> None:
        if self.info is not None:
            self.export.choose(self.info)

    def save_pdf(self, path: Path) -> None:
        """Render and write in the background; the window stays responsive."""
        assert self.assessment_id is not None
        self.export.save(self.assessment_id, path)

    def _saving(self) -> None:
        self.export_button.setEnabled(False)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Saving the action plan…"))

    def _saved(self, path: Path, warnings: list[str]) -> None:
        self._idle()
        self.saved_pdf = path
        self.open_button.setEnabled(True)
        text = self.tr("Saved to {path}.").format(path=path)
        if warnings:
            text += " " + " ".join(warnings)
        self.message.setText(text)

    def _not_saved(self) -> None:
        self._idle()
        self.message.setText(self.tr("The PDF was not saved."))

    def _idle(self) -> None:
        self.busy.setVisible(False)
        self.export_button.setEnabled(True)

    def open_pdf(self) -> None:
        if self.saved_pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_pdf)))
