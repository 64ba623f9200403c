"""The summary of a visit: red flags first (by urgency, with what to do), what is not yet known,
the level in words and on its scale, why, the score (since the last visit, and with the home
fixed), what adds most as bars, the notes and photos recorded, the plan (the one ResultSummary
every view renders); and saving its action plan as a PDF."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import ActionKind
from safetycheck.domain.evaluation import Evaluation, ResultSummary, fixing_would_lower
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.domain.visits import AssessmentInfo

from .charts import Bar, BarChart, LevelGauge
from .dates import format_date
from .exports import PlanPdfExport
from .operations import Operations
from .session import by_urgency
from .style import RED_TEXT, plain_label, set_role

if TYPE_CHECKING:
    from safetycheck.services.assessments import Comparison, HazardChange
    from safetycheck.services.progress import Recorded, SinceLastVisit, VisitSummary
    from safetycheck.services.workspace import Workspace

PHOTO_SIDE = 160  # pixels: the size services.progress makes the thumbnails


# The boxes bring their own light tint, so they bring their own dark text too: readable in a
# dark palette as well as a light one.
def _tr(text: str) -> str:
    """The summary's fixed words in the user's language (these builders are not QObjects)."""
    return QCoreApplication.translate("SummaryView", text)


BOX = (
    '<table width="100%" cellpadding="8" '
    'style="background:{tint}; color:{text}; border: 3px solid {line}; margin-bottom: 10px">'
)
RED_BOX = BOX.format(tint="#fdecee", line="#b00020", text=RED_TEXT.name())
AMBER_BOX = BOX.format(tint="#fff4d6", line="#8a5a00", text="#3d2800")


def _boxed(box: str, inner: list[str]) -> list[str]:
    return [box, "<tr><td>", *inner, "</td></tr></table>"]


def _red_flags_html(summary: ResultSummary) -> list[str]:
    """Raised red flags by urgency with what to do; else whether any warning sign is unasked."""
    if summary.red_flags:
        flags = [f"<h2>{_tr('⚠ RED FLAGS — act on these first')}</h2>"]
        for tier, signs in by_urgency(summary.red_flags):
            flags.append(f"<h3>{escape(tier.title)}</h3><ul>")
            flags += [f"<li><b>{escape(sign)}.</b></li>" for sign in signs]
            flags.append(f"</ul><p>{escape(tier.advice)}</p>")
        if summary.unanswered_red_flags:
            asked = "; ".join(summary.unanswered_red_flags)
            text = _tr("Warning-sign questions not answered yet: {asked}.")
            flags.append(f"<p>{escape(text.format(asked=asked))}</p>")
        return _boxed(RED_BOX, flags)
    if summary.unanswered_red_flags:  # not "no red flags": some are not asked yet
        return _boxed(AMBER_BOX, [f"<p><b>{escape(summary.red_flag_status)}</b></p>"])
    return [f"<p>{escape(summary.red_flag_status)}</p>"] if summary.red_flag_status else []


def _plan_html(evaluation: Evaluation) -> list[str]:
    """What to do first (or whether nothing was found to fix), then the plan by room."""
    summary = evaluation.summary
    parts: list[str] = []
    if summary.first_actions:
        parts.append(f"<h3>{_tr('What to do first')}</h3><ol>")
        for action in summary.first_actions:
            where = f" ({escape(action.room_name)})" if action.room_name else ""
            parts.append(f"<li>{escape(action.text)}{where}</li>")
        parts.append("</ol>")
    else:
        parts.append(f"<p>{escape(summary.nothing_to_fix_line)}</p>")
    groups = evaluation.plan.by_room()
    if groups:
        parts.append(f"<h3>{_tr('Action plan, room by room')}</h3>")
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


def _level_html(summary: ResultSummary) -> list[str]:
    text = _tr("Fall risk: {level} (score {score})")
    return [f"<h2>{escape(text.format(level=summary.level_label, score=summary.score))}</h2>"]


def _reasons_html(evaluation: Evaluation, info: AssessmentInfo | None) -> list[str]:
    """Why this level, what would settle it, which model gave the stored level, and the Stay
    Independent line."""
    summary, result = evaluation.summary, evaluation.result
    # The reasons are sentences already: no second full stop.
    because = _tr("Because {reason}.")
    parts = [
        f"<p>{escape(because.format(reason=reason.rstrip('.')))}</p>"
        for reason in summary.level_reasons
    ]
    if summary.missing:
        missing = _tr("Still to find out: {missing}.").format(missing="; ".join(summary.missing))
        parts.append(f"<p>{escape(missing)}</p>")
    if info is not None and info.level and info.model_version != result.model_version:
        text = _tr(
            "When it was finished this visit was scored by model {then}; what is shown here "
            "is model {now}'s result for the same answers."
        ).format(then=info.model_version, now=result.model_version)
        parts.append(f"<p><i>{escape(text, quote=False)}</i></p>")  # (text: no quotes to escape)
    parts.append(f"<p><b>{_tr('Stay Independent:')}</b> {escape(summary.stay_independent)}.</p>")
    return parts


def _score_html(summary: ResultSummary, since_last: SinceLastVisit | None) -> list[str]:
    """The score, what fixing the home would change (the domain's score line), and the change
    since the last finished visit (the domain's words)."""
    parts = [f"<h3>{_tr('The score')}</h3>"]
    if since_last is not None:
        then = format_date(since_last.comparison.previous_date)
        parts.append(
            f"<p><b>{escape(_tr('Since the last visit ({date}):').format(date=then))}</b> "
            f"{escape(since_last.line)}</p>"
        )
    parts.append(f"<p>{escape(summary.score_line)}</p>")
    return parts


def _top_reasons_html(summary: ResultSummary) -> list[str]:
    if not summary.top_reasons:
        return []
    parts = [f"<h3>{_tr('What adds most to the risk')}</h3><ol>"]
    parts += [f"<li>{escape(label)}: +{points}</li>" for label, points in summary.top_reasons]
    parts.append("</ol>")
    return parts


def _notes_html(notes: tuple[Recorded, ...]) -> list[str]:
    """The notes typed against questions, with the question and the room."""
    if not notes:
        return []
    parts = [f"<h3>{_tr('Your notes')}</h3><ul>"]
    for note in notes:
        where = f" ({escape(note.where)})" if note.where else ""
        parts.append(f"<li><b>{escape(note.question)}</b>{where}: {escape(note.note)}</li>")
    parts.append("</ul>")
    return parts


def falls_since(ws: Workspace, assessment_id: str) -> FallsSinceLastVisit | None:
    """The falls reported at this visit (count None: not asked; None: not a follow-up)."""
    from safetycheck.services.falls import falls_since_last_visit

    return falls_since_last_visit(ws, assessment_id)


def month_words(month: str) -> str:
    """A fall's month ("2026-03") as the locale says it ("March 2026"); "" when not known."""
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        return month
    return QLocale().toString(QDate(int(month[:4]), int(month[5:]), 1), "MMMM yyyy")


def fall_words(fall: Fall) -> str:
    """One fall in a line: when, whether hurt, where, whether seen; then what happened."""
    when = month_words(fall.month) or _tr("Month not known")
    hurt = {
        "yes": _tr("hurt"),
        "no": _tr("not hurt"),
    }.get(fall.hurt, _tr("not known whether hurt"))
    where = {
        FallPlace.ROOM: _tr("in the home: {room}").format(room=fall.room_name),
        FallPlace.OUTSIDE: _tr("outside the home"),
        FallPlace.ELSEWHERE: _tr("away from the home"),
    }.get(fall.place, _tr("place not known"))
    seen = {
        Seen.NO: _tr("no doctor seen"),
        Seen.DOCTOR: _tr("seen by a doctor"),
        Seen.HOSPITAL: _tr("seen at a hospital"),
    }.get(fall.seen, _tr("not known whether a doctor saw them"))
    line = f"{when}: {hurt}, {where}, {seen}."
    what = fall.what_happened.strip()
    return f"{line} {_tr('What happened:')} {what}" if what else line


def falls_count_words(report: FallsSinceLastVisit) -> str:
    """How many falls since the last visit, and since when; "not asked" is never "none"."""
    since = (
        _tr(" ({date})").format(date=format_date(report.since_date))
        if report.since_date is not None
        else ""
    )
    if report.count is None:
        return _tr("Falls since the last visit: not asked yet.")
    if report.count == 0:
        return _tr("No falls since the last visit{since}.").format(since=since)
    count = (
        _tr("1 fall since the last visit{since}.")
        if report.count == 1
        else _tr("{count} falls since the last visit{since}.")
    ).format(count=report.count, since=since)
    if len(report.falls) < report.count:
        count += " " + _tr("{described} of them described.").format(described=len(report.falls))
    return count


def falls_html(report: FallsSinceLastVisit | None) -> list[str]:
    """The falls reported at a visit: how many, then each one (escaped: free text)."""
    if report is None:
        return []
    parts = [f"<p><b>{escape(falls_count_words(report))}</b></p>"]
    if report.falls:
        parts.append("<ul>")
        parts += [f"<li>{escape(fall_words(fall))}</li>" for fall in report.falls]
        parts.append("</ul>")
    return parts


def _changes_html(heading: str, changes: tuple[HazardChange, ...]) -> list[str]:
    title = f"{heading} ({len(changes)})" if changes else heading
    parts = [f"<p><b>{escape(title)}</b></p>"]
    if not changes:
        return [*parts, f"<p>{escape(_tr('None.'))}</p>"]
    parts.append("<ul>")
    for change in changes:
        where = f" ({escape(change.room_name)})" if change.room_name else ""
        parts.append(f"<li>{escape(change.finding)}{where}</li>")
    parts.append("</ul>")
    return parts


def comparison_html(
    comparison: Comparison, falls: FallsSinceLastVisit | None = None, *, levels: bool = True
) -> list[str]:
    """What changed since the last finished visit: the level and score then and now (unless
    the caller shows them already), what was fixed, what is still to do, what is new, what was
    not checked again (unknown is not fixed), and the falls since."""
    parts: list[str] = []
    if levels:
        then = _tr("Last visit ({date}): {level} risk, score {score}.").format(
            date=format_date(comparison.previous_date),
            level=comparison.level_then,
            score=comparison.score_then,
        )
        now = _tr("This visit: {level} risk, score {score}.").format(
            level=comparison.level_now, score=comparison.score_now
        )
        parts.append(f"<p>{escape(then)}<br>{escape(now)}</p>")
    parts += _changes_html(_tr("Fixed since then"), comparison.fixed)
    parts += _changes_html(_tr("Still to do"), comparison.still_open)
    parts += _changes_html(_tr("New"), comparison.new)
    if comparison.not_checked:
        parts += _changes_html(
            _tr("Not checked this time (found last time; not known to be fixed)"),
            comparison.not_checked,
        )
    parts += falls_html(falls)
    return parts


def _end_html(evaluation: Evaluation) -> list[str]:
    return [
        *_plan_html(evaluation),
        f"<p><small>{escape(evaluation.summary.disclaimer)}</small></p>",
    ]


def summary_html(evaluation: Evaluation, info: AssessmentInfo | None = None) -> str:
    """The summary as simple HTML (all text escaped), in the order every view uses: red flags
    first (by urgency, with what to do), what is not yet known, the level and why, the Stay
    Independent line, the score, what adds most, what to do first, the plan by room. Read by
    screen readers in that order. `info` (the visit as listed) says which model gave its
    stored level, when that is an older one."""
    summary = evaluation.summary
    parts = _first_html(summary) + _level_html(summary) + _reasons_html(evaluation, info)
    parts += _score_html(summary, None) + _top_reasons_html(summary) + _end_html(evaluation)
    return "".join(parts)


def _first_html(summary: ResultSummary) -> list[str]:
    """Red flags, then what is not yet known: always before anything else."""
    parts = _red_flags_html(summary)
    if summary.certainty:
        parts += _boxed(AMBER_BOX, [f"<h3>{escape(summary.certainty)}</h3>"])
    return parts


class TextBlock(QTextBrowser):
    """A piece of the summary's text, as tall as its text at the width it is given (the
    summary scrolls as a whole, so no piece has a scroll bar of its own)."""

    def __init__(self, html: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        # One Tab stop for the whole summary (its scroll area), not one per piece.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(name)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        # The palette's window colour: the pieces read as one page, light or dark.
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(0)  # lined up with the pictures under it
        self.setHtml(html)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        document = self.document().clone()
        document.setDefaultFont(self.font())
        document.setTextWidth(max(width - 2 * self.frameWidth(), 1))
        return math.ceil(document.size().height()) + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # The height comes from heightForWidth at the width given; a minimum height taken at
        # the narrowest width would make the whole page as tall as that.
        return QSize(100, self.fontMetrics().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self.updateGeometry()


class PhotoList(QWidget):
    """The photos of the visit, each a small picture beside its question and room."""

    def __init__(self, photos: tuple[Recorded, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Photos of the visit"))
        self.captions: list[QLabel] = []
        self.pictures: list[QLabel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = plain_label(self.tr("Photos"))
        set_role(heading, "heading")
        layout.addWidget(heading)
        for photo in photos:
            row = QHBoxLayout()
            picture = plain_label()  # a picture, or words when it cannot be shown
            picture.setFixedSize(PHOTO_SIDE, PHOTO_SIDE)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pixmap = QPixmap()
            if photo.thumbnail and pixmap.loadFromData(photo.thumbnail):
                picture.setPixmap(pixmap)
            else:
                picture.setText(self.tr("(cannot be shown)"))
            where = f" ({photo.where})" if photo.where else ""
            caption = plain_label(f"{photo.question}{where}\n{photo.filename}")
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            picture.setAccessibleName(
                self.tr("Photo: {caption}").format(caption=caption.text().replace("\n", ", "))
            )
            row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(caption, 1)
            layout.addLayout(row)
            self.captions.append(caption)
            self.pictures.append(picture)

    def text(self) -> str:
        return "\n".join(caption.text() for caption in self.captions)


class SummaryDocument(QScrollArea):
    """The summary: text pieces and pictures one under the other, scrolling as one page, only
    ever up and down (every piece wraps to the width)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # scrolled with the keys once focused
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.parts: list[QWidget] = []
        self._new_page()

    def _new_page(self) -> None:
        page = QWidget()
        page.setAccessibleName(self.tr("Summary of the visit"))
        self.column = QVBoxLayout(page)
        self.column.setSpacing(max(6, self.fontMetrics().height() * 2 // 3))
        self.setWidget(page)  # the old page and its pieces are deleted

    def set_parts(self, parts: list[QWidget]) -> None:
        self._new_page()
        self.parts = parts
        for part in parts:
            self.column.addWidget(part)
        self.column.addStretch(1)

    def toPlainText(self) -> str:  # noqa: N802
        """Everything the summary says, in its order (the pictures by their words)."""
        said = []
        for part in self.parts:
            if isinstance(part, QTextBrowser):
                said.append(part.toPlainText())
            elif isinstance(part, PhotoList):
                said.append(part.text())
            else:
                said.append(part.accessibleDescription())
        return "\n".join(said)


def contributor_bars(parent: QWidget, evaluation: Evaluation) -> BarChart:
    """What adds most, as bars: the summary's top reasons (the domain chose them), solid for
    the person, striped for what can be fixed; the smaller reasons together in words under them."""
    summary, result = evaluation.summary, evaluation.result
    # The top reasons are the scored contributors in order: their kinds, in the same order.
    kinds = [c.kind for c in result.contributors if c.points > 0][: len(summary.top_reasons)]
    fixable = parent.tr("can be fixed")
    bars = [
        Bar(
            label,
            points,
            f"+{points}",
            Qt.BrushStyle.BDiagPattern if kind is ActionKind.HAZARD else Qt.BrushStyle.SolidPattern,
            fixable if kind is ActionKind.HAZARD else "",
        )
        for (label, points), kind in zip(summary.top_reasons, kinds, strict=True)
    ]
    count, points = summary.smaller_reasons
    # Said, not drawn: a bar for many small reasons together would look like the biggest one.
    rest = (
        parent.tr("And {count} smaller reasons, together +{points}.").format(
            count=count, points=points
        )
        if count
        else ""
    )
    chart = BarChart(parent.tr("What adds most to the risk"))
    chart.set_bars(
        bars,
        [
            (Qt.BrushStyle.SolidPattern, parent.tr("Solid: about the person")),
            (
                Qt.BrushStyle.BDiagPattern,
                parent.tr("Striped: can be fixed (the home, footwear, brace, habits)"),
            ),
        ],
        rest,
    )
    return chart


def score_bars(
    parent: QWidget, evaluation: Evaluation, since_last: SinceLastVisit | None
) -> BarChart:
    """The score then (the last finished visit), now, and with what can be fixed fixed."""
    result = evaluation.result
    bars = []
    if since_last is not None:
        then = format_date(since_last.comparison.previous_date)
        bars.append(
            Bar(
                parent.tr("Last visit ({date})").format(date=then),
                since_last.comparison.score_then,
                str(since_last.comparison.score_then),
                Qt.BrushStyle.Dense6Pattern,
            )
        )
    bars.append(Bar(parent.tr("This visit"), result.score, str(result.score)))
    if fixing_would_lower(result):
        bars.append(
            Bar(
                parent.tr(
                    "If the {count} things found in the home, footwear, brace and habits were fixed"
                ).format(count=result.home_hazards),
                result.score_if_home_fixed,
                str(result.score_if_home_fixed),
                Qt.BrushStyle.BDiagPattern,
            )
        )
    chart = BarChart(parent.tr("The score"))
    chart.set_bars(bars)
    return chart


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
        self.text = SummaryDocument()
        self.text.setAccessibleName(self.tr("Summary of the visit"))
        self.since_last: SinceLastVisit | None = None
        self.falls: FallsSinceLastVisit | None = None
        self.notes: tuple[Recorded, ...] = ()
        self.photos: tuple[Recorded, ...] = ()
        self.gauge: LevelGauge | None = None
        self.score_chart: BarChart | None = None
        self.contributors_chart: BarChart | None = None
        self.photo_list: PhotoList | None = None
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
        self.message.hide()  # shown with its first words: an empty line here wastes a line
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
        from safetycheck.services import progress

        self.assessment_id = assessment_id
        ws = self.ws

        def work() -> tuple[VisitSummary, FallsSinceLastVisit | None]:
            return progress.visit_summary(ws, assessment_id), falls_since(ws, assessment_id)

        def done(read: tuple[VisitSummary, FallsSinceLastVisit | None]) -> None:
            if assessment_id != self.assessment_id:
                return  # another visit was asked for meanwhile
            result, self.falls = read
            self.info, self.evaluation = result.info, result.evaluation
            self.since_last, self.notes, self.photos = (
                result.since_last,
                result.notes,
                result.photos,
            )
            self._show(result)
            self.export_button.setEnabled(not self.busy.isVisibleTo(self))
            self.shown.emit()

        # In order: after every answer given before it (the summary counts them all).
        self.ops.query(
            self, work, done, title=self.tr("The summary could not be read"), in_order=True
        )

    def _show(self, shown: VisitSummary) -> None:
        """The pieces in the summary's order: red flags and what is not known first, the
        level and its scale, why, the score then and now, what adds most, the notes and
        photos, the plan."""
        evaluation = shown.evaluation
        summary = evaluation.summary
        parts: list[QWidget] = []
        first = _first_html(summary)
        if first:
            parts.append(TextBlock("".join(first), self.tr("Red flags and what is not known")))
        parts.append(TextBlock("".join(_level_html(summary)), self.tr("Fall risk")))
        self.gauge = LevelGauge()
        self.gauge.set_range(evaluation.result.level_range)
        parts.append(self.gauge)
        parts.append(
            TextBlock("".join(_reasons_html(evaluation, shown.info)), self.tr("Why this level"))
        )
        parts.append(
            TextBlock("".join(_score_html(summary, shown.since_last)), self.tr("The score"))
        )
        self.score_chart = score_bars(self, evaluation, shown.since_last)
        parts.append(self.score_chart)
        changed = self._changed_html(shown.since_last)
        if changed:
            parts.append(TextBlock("".join(changed), self.tr("What changed since the last visit")))
        self.contributors_chart = None
        if summary.top_reasons:
            parts.append(
                TextBlock("<h3>What adds most to the risk</h3>", self.tr("What adds most"))
            )
            self.contributors_chart = contributor_bars(self, evaluation)
            parts.append(self.contributors_chart)
        if shown.notes:
            parts.append(TextBlock("".join(_notes_html(shown.notes)), self.tr("Your notes")))
        self.photo_list = PhotoList(shown.photos) if shown.photos else None
        if self.photo_list is not None:
            parts.append(self.photo_list)
        parts.append(TextBlock("".join(_end_html(evaluation)), self.tr("The action plan")))
        self.text.set_parts(parts)

    def _changed_html(self, since_last: SinceLastVisit | None) -> list[str]:
        """Beside the score then and now: what was fixed, is still to do, is new, and the
        falls since (or that they were not asked: never shown as none); nothing on a first
        visit."""
        falls = self.falls
        if falls is not None and falls.count is None and falls.since_visit_id is None:
            falls = None  # a first visit: there is no "since"
        if since_last is None and falls is None:
            return []
        parts = [f"<h3>{escape(self.tr('What changed since the last visit'))}</h3>"]
        if since_last is not None:
            return parts + comparison_html(since_last.comparison, falls, levels=False)
        return parts + falls_html(falls)

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
        self.message.show()

    def _saved(self, path: Path, warnings: list[str]) -> None:
        self._idle()
        self.saved_pdf = path
        self.open_button.setEnabled(True)
        text = self.tr("Saved to {path}.").format(path=path)
        if warnings:
            text += " " + " ".join(warnings)
        self.message.setText(text)
        self.message.show()

    def _not_saved(self) -> None:
        self._idle()
        self.message.setText(self.tr("The PDF was not saved."))
        self.message.show()

    def _idle(self) -> None:
        self.busy.setVisible(False)
        self.export_button.setEnabled(True)

    def open_pdf(self) -> None:
        if self.saved_pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_pdf)))
