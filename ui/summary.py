"""The summary of a visit: red flags first (by urgency, with what to do), what is not yet known,
the level in words and why, the score, the plan (the one ResultSummary every view renders); and
saving its action plan as a PDF."""

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

from safetycheck.domain.evaluation import Evaluation, ResultSummary
from safetycheck.domain.visits import AssessmentInfo

from .exports import PlanPdfExport
from .operations import Operations
from .session import by_urgency
from .style import plain_label

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace


BOX = (
    '<table width="100%" cellpadding="8" '
    'style="background:{tint}; border: 3px solid {line}; margin-bottom: 10px">'
)
RED_BOX = BOX.format(tint="#fdecee", line="#b00020")
AMBER_BOX = BOX.format(tint="#fff4d6", line="#8a5a00")


def _boxed(box: str, inner: list[str]) -> list[str]:
    return [box, "<tr><td>", *inner, "</td></tr></table>"]


def _red_flags_html(summary: ResultSummary) -> list[str]:
    """Raised red flags by urgency with what to do; else whether any warning sign is unasked."""
    if summary.red_flags:
        flags = ["<h2>⚠ RED FLAGS — act on these first</h2>"]
        for tier, signs in by_urgency(summary.red_flags):
            flags.append(f"<h3>{escape(tier.title)}</h3><ul>")
            flags += [f"<li><b>{escape(sign)}.</b></li>" for sign in signs]
            flags.append(f"</ul><p>{escape(tier.advice)}</p>")
        if summary.unanswered_red_flags:
            asked = "; ".join(summary.unanswered_red_flags)
            flags.append(f"<p>Warning-sign questions not answered yet: {escape(asked)}.</p>")
        return _boxed(RED_BOX, flags)
    if summary.unanswered_red_flags:  # not "no red flags": some are not asked yet
        return _boxed(AMBER_BOX, [f"<p><b>{escape(summary.red_flag_status)}</b></p>"])
    return [f"<p>{escape(summary.red_flag_status)}</p>"] if summary.red_flag_status else []


def _plan_html(evaluation: Evaluation) -> list[str]:
    """What to do first (or whether nothing was found to fix), then the plan by room."""
    summary = evaluation.summary
    parts: list[str] = []
    if summary.first_actions:
        parts.append("<h3>What to do first</h3><ol>")
        for action in summary.first_actions:
            where = f" ({escape(action.room_name)})" if action.room_name else ""
            parts.append(f"<li>{escape(action.text)}{where}</li>")
        parts.append("</ol>")
    else:
        parts.append(f"<p>{escape(summary.nothing_to_fix_line)}</p>")
    groups = evaluation.plan.by_room()
    if groups:
        parts.append("<h3>Action plan, room by room</h3>")
    for _room, name, actions in groups:
        parts.append(f"<h4>{escape(name)}</h4><ul>")
        for action in actions:
            parts.append(
                f"<li><b>{escape(action.priority.label)}</b> — "
                f"{escape(action.finding)}: {escape(action.text)} "
                f"<i>({escape(action.who.label)})</i></li>"
            )
        parts.append("</ul>")
    return parts


def summary_html(evaluation: Evaluation, info: AssessmentInfo | None = None) -> str:
    """The summary as simple HTML (all text escaped), in the order every view uses: red flags
    first (by urgency, with what to do), what is not yet known, the level and why, the Stay
    Independent line, the score, what adds most, what to do first, the plan by room. Read by
    screen readers in that order. `info` (the visit as listed) says which model gave its
    stored level, when that is an older one."""
    summary, result = evaluation.summary, evaluation.result
    parts = _red_flags_html(summary)
    if summary.certainty:
        parts += _boxed(AMBER_BOX, [f"<h3>{escape(summary.certainty)}</h3>"])
    parts.append(f"<h2>Fall risk: {escape(summary.level_label)} (score {summary.score})</h2>")
    parts += [f"<p>Because {escape(reason)}.</p>" for reason in summary.level_reasons]
    if summary.missing:
        parts.append(f"<p>Still to find out: {escape('; '.join(summary.missing))}.</p>")
    if info is not None and info.level and info.model_version != result.model_version:
        parts.append(
            f"<p><i>When it was finished this visit was scored by model "
            f"{escape(info.model_version)}; what is shown here is model "
            f"{escape(result.model_version)}'s result for the same answers.</i></p>"
        )
    parts.append(f"<p><b>Stay Independent:</b> {escape(summary.stay_independent)}.</p>")
    parts.append(f"<p>{escape(summary.score_line)}</p>")
    if summary.top_reasons:
        parts.append("<h3>What adds most to the risk</h3><ol>")
        parts += [f"<li>{escape(label)}: +{points}</li>" for label, points in summary.top_reasons]
        parts.append("</ol>")
    parts += _plan_html(evaluation)
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
            self.text.setHtml(summary_html(self.evaluation, self.info))
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
