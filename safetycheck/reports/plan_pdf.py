"""The action plan PDF: lays out a finished PlanReport. No scoring, no queries, no arithmetic
beyond page geometry.

Page 1 is what a family reads first: the person, red flags, the level with its gauge, and what to
do first. Then the pictures, the rooms, footwear, brace and skin, the person; the jobs by who does
them; when to get help; the sign-off; the sources. Every section and room is a bookmark, a room
that runs onto another page says so at the top, and cross-references name real pages (the plan
is laid out twice when the pages they name move).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab.lib.colors import Color, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import Flowable, NullDraw

from safetycheck.domain.dates import long_date
from safetycheck.domain.report import PERSON_TITLE, ActionLine, PhotoImage, PlanReport, Section
from safetycheck.reports import charts
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.layout import (
    AMBER,
    AMBER_TINT,
    FRAME_WIDTH,
    HEADER_STYLE,
    LARGE_PRINT,
    LARGE_PRINT_SIZE,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RED,
    RED_TINT,
    RULE,
    TickBox,
    WriteLine,
    footer_line,
    numbered_canvas,
    one_line,
    styles,
)

PHOTO_MAX_WIDTH = 80 * mm
PHOTO_MAX_HEIGHT = 60 * mm
OPEN_QUESTIONS_LISTED = 10  # more than this: the count only (the blank checklist has them all)
CHART_ROWS = 8
HELP_KEY = "help"  # the bookmark of "when to get help straight away"
JOBS_KEY = "jobs"


class Heading(Paragraph):
    """A heading that is a bookmark (outline entry) and names the section a continued page
    belongs to."""

    def __init__(
        self, markup: str, style: Any, key: str, title: str, level: int, section: str = ""
    ) -> None:
        super().__init__(markup, style)
        self.key, self.title, self.level = key, title, level
        self.section = section  # the text of "… (continued)" pages; "" ends the running header


class OutlineMark(Flowable):
    """A bookmark with nothing to draw (for pages whose own headings are not Headings)."""

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.section = ""
        self.width = self.height = 0

    def wrap(self, *_available: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


PAGE_PLACEHOLDER = "\x00"  # where a page number goes in a cross-reference's text


class CrossReference(Flowable):
    """A paragraph naming the pages of later sections. Its space is measured with room for a
    three-digit page number; the words are drawn when the document is saved, once every
    page is known, so the plan is laid out once."""

    def __init__(self, text: str, keys: tuple[str, ...], style: Any, markup: Any) -> None:
        super().__init__()
        self.text, self.keys, self.style, self.markup = text, keys, style, markup

    def _paragraph(self, numbers: tuple[str, ...]) -> Paragraph:
        text = self.text
        for number in numbers:
            text = text.replace(PAGE_PLACEHOLDER, f"page {number}", 1)
        return Paragraph(self.markup(text), self.style)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        sized = self._paragraph(("000",) * len(self.keys))
        _, self.height = sized.wrap(avail_width, avail_height)
        return avail_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x, y = canvas.absolutePosition(0, 0)
        width, height = self.width, self.height

        def later(pages: dict[str, int]) -> None:
            words = self._paragraph(tuple(str(pages.get(key, "?")) for key in self.keys))
            _, used = words.wrap(width, height * 2)
            words.drawOn(canvas, x, y + height - used)

        canvas.later.append(later)


class PlanDocument(BaseDocTemplate):
    """One frame per page; records where each bookmark landed and sets a page's running
    header when a room carries on from the page before."""

    def __init__(
        self,
        target: BinaryIO,
        markup: Callable[[str], str],
        header: ParagraphStyle = HEADER_STYLE,
        **kwargs: Any,
    ) -> None:
        super().__init__(target, **kwargs)
        self.markup, self.header = markup, header
        frame = Frame(
            MARGIN,
            self.bottomMargin,
            FRAME_WIDTH,
            PAGE_HEIGHT - self.topMargin - self.bottomMargin,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.pages: dict[str, int] = {}
        self._section = ""
        self._fresh_page = True

    def handle_pageBegin(self) -> None:  # noqa: N802 - ReportLab's name
        super().handle_pageBegin()
        self._fresh_page = True

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        canvas = self.canv
        heading = _first_heading(flowable)
        if isinstance(flowable, ActionFlowable | NullDraw | Spacer):
            pass  # breaks, spacers and markers are not what starts the page
        elif self._fresh_page:
            self._fresh_page = False
            starts_here = heading is not None and heading.level <= 1
            if self._section and not starts_here:
                canvas.continued = one_line(
                    self.markup, (self._section, "(continued)"), 0, self.header, FRAME_WIDTH, " "
                )
        for found in _headings(flowable):
            self.pages.setdefault(found.key, self.page)
            canvas.marks.append((found.key, found.title, found.level))
            if found.level <= 1:
                self._section = found.section


def _headings(flowable: Flowable) -> list[Heading | OutlineMark]:
    if isinstance(flowable, Heading | OutlineMark):
        return [flowable]
    inner = getattr(flowable, "_content", None)  # KeepTogether
    if isinstance(inner, list):
        return [h for f in inner for h in _headings(f)]
    return []


def _first_heading(flowable: Flowable) -> Heading | OutlineMark | None:
    found = _headings(flowable)
    return found[0] if found else None


class ActionPlanRenderer:
    """Renders the action plan; `warnings` lists text that could not be printed as typed."""

    def __init__(self, fonts: FontSet | None = None, large_print: bool = False) -> None:
        self.fonts = fonts or FontSet()
        self.scale = LARGE_PRINT if large_print else 1.0
        self.s = styles(self.scale)
        self.pages: dict[str, int] = {}  # bookmark → page, from the last layout
        self._keys = 0

    # ---- small helpers ------------------------------------------------------------------------

    def p(self, text: str, style: str = "body") -> Paragraph:
        """A paragraph of user or content text, printed exactly as written."""
        return self.fonts.paragraph(text, self.s[style])  # wraps Arabic/Hebrew lines right

    def bullet(self, text: str, style: str = "bullet") -> Paragraph:
        return self.fonts.paragraph(text, self.s[style], bullet="•")

    def labelled(self, label: str, text: str, style: str = "body") -> Paragraph:
        return self.fonts.paragraph(text, self.s[style], prefix=f"<b>{label}</b> ")

    def heading(self, text: str, style: str, level: int, key: str = "") -> Heading:
        """A heading that is also a bookmark; level 0 a part of the plan, 1 a room or page."""
        if not key:
            self._keys += 1
            key = f"k{self._keys}"
        return Heading(self.fonts.markup(text), self.s[style], key, text, level, text)

    def cross_reference(self, text: str, keys: tuple[str, ...], style: str) -> CrossReference:
        """`text` with PAGE_PLACEHOLDER for each key's page ("page 7")."""
        return CrossReference(text, keys, self.s[style], self.fonts.markup)

    def photo(self, image: PhotoImage) -> Flowable:
        scale = min(PHOTO_MAX_WIDTH / image.width, PHOTO_MAX_HEIGHT / image.height, 1.0)
        picture = Image(
            io.BytesIO(image.data), width=image.width * scale, height=image.height * scale
        )
        picture.hAlign = "LEFT"
        return KeepTogether(
            [Spacer(1, 1.5 * mm), picture, self.p(image.caption, "caption"), Spacer(1, 2 * mm)]
        )

    def sized(self, bar: charts.Bar) -> charts.Bar:
        """A bar whose number is as large as the print."""
        bar.font_size = max(10 * self.scale, LARGE_PRINT_SIZE) if self.scale > 1 else 10
        return bar

    def boxed(self, rows: list[Flowable], edge: Color, tint: Color) -> list[Flowable]:
        """A framed, tinted box of paragraphs, one per row (it may split between rows)."""
        box = Table([[row] for row in rows], colWidths=[FRAME_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 2.5, edge),
                    ("BACKGROUND", (0, 0), (-1, -1), tint),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [box, Spacer(1, 4 * mm)]

    def facts_table(self, facts: list[tuple[str, str]], label_width: float = 46) -> Table:
        table = Table(
            [[self.p(k, "cell_bold"), self.p(v, "cell")] for k, v in facts],
            colWidths=[label_width * mm * self.scale, FRAME_WIDTH - label_width * mm * self.scale],
        )
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
            )
        )
        return table

    # ---- page 1 ------------------------------------------------------------------------------

    def cover(self, report: PlanReport) -> list[Flowable]:
        title = self.heading(report.title, "title", 0, "start")
        title.section = ""
        story: list[Flowable] = [title]
        assessor = report.assessor
        if report.assessor_role:
            assessor += f", {report.assessor_role.lower()}"
        # The name in a cell of its own: a right-to-left name stays whole and in its order.
        born = str(report.birth_year) if report.birth_year else "not recorded"
        cells = [
            ("Person", report.person_name, "Born", born),
            ("Assessed by", assessor, "Visit", long_date(report.visit_date)),
        ]
        k = self.scale
        facts = Table(
            [
                [
                    self.p(a, "cell_bold"),
                    self.p(b, "cell"),
                    self.p(c, "cell_bold"),
                    self.p(d, "cell"),
                ]
                for a, b, c, d in cells
            ],
            colWidths=[33 * mm * k, FRAME_WIDTH - 95 * mm * k, 16 * mm * k, 46 * mm * k],
        )
        facts.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
            )
        )
        story += [facts, Spacer(1, 3 * mm)]
        story += self.red_flags(report)
        known: list[Flowable] = []
        if report.certainty:
            known.append(self.p(report.certainty, "notice"))
        if report.version_note:
            known.append(self.p(report.version_note))
        if known:
            story += self.boxed(known, AMBER, AMBER_TINT)
        story += self.level(report)
        story += self.first_actions(report)
        return story

    def level(self, report: PlanReport) -> list[Flowable]:
        story: list[Flowable] = [
            KeepTogether(
                [
                    self.p("Fall risk", "h2"),
                    self.p(report.level_label.upper(), "level"),
                    Spacer(1, 1.5 * mm),
                    charts.gauge(report.level_lowest, report.level_highest, 120 * mm, self.scale),
                ]
            ),
            Spacer(1, 1.5 * mm),
        ]
        why = [f"{reason.rstrip('.')}." for reason in report.level_reasons]
        if len(why) == 1:
            story.append(self.labelled("Why:", why[0]))
        elif why:
            story.append(self.labelled("Why:", ""))
            story += [self.bullet(reason) for reason in why]
        if report.missing:
            story.append(self.labelled("Still to find out:", "; ".join(report.missing) + "."))
        si = report.stay_independent.rstrip()
        story.append(self.labelled("Stay Independent check:", si if si.endswith(".") else si + "."))
        return story

    def unasked(self, report: PlanReport) -> list[Flowable]:
        """The warning-sign questions not answered yet, one to a line."""
        return [self.bullet(f"{sign}.", "flag_bullet") for sign in report.unanswered_red_flags]

    def red_flags(self, report: PlanReport) -> list[Flowable]:
        """Raised red flags under their tier's words, most urgent first; else whether every
        warning-sign question was asked."""
        if not report.red_flags:
            status = report.red_flag_status
            if not report.unanswered_red_flags:
                return self.boxed([self.p(status, "flag")], RULE, white)
            # The status ends with the list of questions; print them one to a line.
            listed = "; ".join(report.unanswered_red_flags)
            head, found, _ = status.rpartition(f": {listed}.")
            rows = [self.p(f"{head}:" if found else status, "flag")]
            if found:
                rows += self.unasked(report)
            rows.append(
                self.cross_reference(
                    "Ask these questions as soon as you can. Every warning sign, and what to do "
                    f"if one appears, is on {PAGE_PLACEHOLDER}.",
                    (HELP_KEY,),
                    "body",
                )
            )
            return self.boxed(rows, AMBER, AMBER_TINT)
        rows = [self.p("RED FLAGS — act on these before anything else in this plan", "flag_title")]
        for group in report.red_flag_groups:
            rows.append(self.p(group.title.upper(), "flag_tier"))
            rows += [self.bullet(f"{sign}.", "flag_bullet") for sign in group.signs]
            rows.append(self.p(group.advice))
        if report.unanswered_red_flags:
            rows.append(self.p("Warning-sign questions not answered yet:", "flag"))
            rows += self.unasked(report)
        return self.boxed(rows, RED, RED_TINT)

    def first_actions(self, report: PlanReport) -> list[Flowable]:
        # Not kept with the whole list: in large print it runs on, row by row, to page 2.
        story: list[Flowable] = [
            CondPageBreak(45 * mm * self.scale),
            self.p("What to do first", "h2_free"),
        ]
        if not report.first_actions:
            return [*story, self.p(report.nothing_to_fix_line)]
        rows = []
        for number, line in enumerate(report.first_actions, start=1):
            where = f"{line.where}: " if line.where else ""
            rows.append(
                [
                    self.p(f"{number}.", "cell_bold"),
                    [
                        self.fonts.paragraph(where + line.text, self.s["cell"]),
                        self.p(f"{line.priority} · {line.who}", "meta"),
                    ],
                ]
            )
        table = Table(rows, colWidths=[8 * mm * self.scale, FRAME_WIDTH - 8 * mm * self.scale])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        where = (
            f" What adds most, room by room, is on {PAGE_PLACEHOLDER}; what to do if a "
            f"warning sign appears, on {PAGE_PLACEHOLDER}."
        )
        story += [
            table,
            self.cross_reference(report.first_rule + where, ("pictures", HELP_KEY), "small"),
        ]
        return story

    # ---- the pictures ------------------------------------------------------------------------

    def pictures(self, report: PlanReport) -> list[Flowable]:
        story: list[Flowable] = [
            PageBreak(),
            self.heading("What adds most, and where", "h1", 0, "pictures"),
            self.p(report.score_line),
        ]
        if report.score_meaning:
            story.append(self.p(report.score_meaning, "small"))
        if report.unanswered:
            unanswered = (
                "1 question was"
                if report.unanswered == 1
                else f"{report.unanswered} questions were"
            )
            story.append(self.p(f"{unanswered} not answered; they add nothing to the score."))
        label_width = FRAME_WIDTH * 0.6  # the rest for the bars, in large print too
        bar_width = FRAME_WIDTH - label_width
        row_h = 6 * mm * self.scale
        if report.top_reasons:
            top = max(points for _, points in report.top_reasons)
            top = max(top, report.other_points)
            rows: list[tuple[Paragraph, Flowable]] = [
                (self.p(label, "cell"), self.sized(charts.PointsBar(points, top, bar_width, row_h)))
                for label, points in report.top_reasons[:CHART_ROWS]
            ]
            if report.other_points > 0:
                rows.append(
                    (
                        self.p("Smaller reasons together", "cell"),
                        self.sized(
                            charts.PointsBar(report.other_points, top, bar_width, row_h),
                        ),
                    )
                )
            story += [
                self.p("What adds most to the risk (points)", "h2"),
                charts.bar_table(rows, label_width, bar_width),
            ]
        counted = [room for room in report.room_counts if room.open or room.done]
        if report.room_counts:
            story.append(self.p("Problems found, room by room", "h2"))
            if not counted:
                story.append(self.p("No problem was found in any room so far."))
            else:
                top_count = max(room.open + room.done for room in counted)
                story.append(
                    self.p(
                        "Dark: still to do. Striped: done. The numbers are to do + done.",
                        "small",
                    )
                )
                story.append(
                    charts.bar_table(
                        [
                            (
                                self.p(room.name, "cell"),
                                self.sized(
                                    charts.Bar(room.open, top_count, bar_width, row_h, room.done),
                                ),
                            )
                            for room in counted
                        ],
                        label_width,
                        bar_width,
                    )
                )
                clear = [room.name for room in report.room_counts if not room.open + room.done]
                if clear:
                    story.append(
                        self.labelled("Nothing found so far in:", ", ".join(clear) + ".", "cell")
                    )
        if report.change is not None:
            story += self.change(report)
        return story

    def change(self, report: PlanReport) -> list[Flowable]:
        change = report.change
        assert change is not None
        then = long_date(change.previous_date)
        drawing = charts.change_drawing(change.score_then, change.score_now, 84 * mm, self.scale)
        lines = (
            f"Last visit, {then}: {change.level_then} risk, score {change.score_then}.",
            f"Now: {change.level_now} risk, score {change.score_now}.",
            f"Fixed since then: {len(change.fixed) + len(change.done_now)}. "
            f"Still to do: {len(change.still_open)}. "
            f"Found for the first time: {len(change.new)}.",
        )
        words = self.fonts.paragraph("\n".join(lines), self.s["cell"])
        side = Table([[drawing, words]], colWidths=[FRAME_WIDTH * 0.5, FRAME_WIDTH * 0.5])
        side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story: list[Flowable] = [self.p("Since the last visit", "h2"), side]
        for title, items in (
            ("Fixed since then", change.fixed),
            ("Done at this visit", change.done_now),
            ("Marked not needed at this visit", change.not_needed_now),
            ("Still to do", change.still_open),
            ("Found for the first time", change.new),
        ):
            if items:
                story.append(self.labelled(f"{title}:", "; ".join(items) + ".", "cell"))
        return story

    # ---- room by room ------------------------------------------------------------------------

    def action(self, line: ActionLine) -> list[Flowable]:
        first, rest = self.action_parts(line)
        # The heading with its first lines; a long note may still run onto the next page.
        return [KeepTogether(first), *rest]

    def action_parts(self, line: ActionLine) -> tuple[list[Flowable], list[Flowable]]:
        """What must stay together (the finding, what to do), and what may run on."""
        meta = " · ".join(part for part in (line.priority, line.who, line.effort) if part)
        head = Table(
            [
                [
                    TickBox(size=4.6 * mm * self.scale, ticked=line.done),
                    self.p(line.finding, "finding"),
                ],
                ["", self.p(meta, "meta")],
            ],
            colWidths=[9 * mm * self.scale, FRAME_WIDTH - 9 * mm * self.scale],
        )
        head.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ]
            )
        )
        first: list[Flowable] = [head]
        if line.measurement is not None:
            first.append(self.labelled("Measured:", line.measurement.line))
        first.append(self.labelled("What to do:", line.what_to_do))
        story: list[Flowable] = []
        if line.done or line.not_needed:
            state = "Done" if line.done else "Not needed, as marked"
            when = f" on {long_date(line.done_on)}" if line.done_on else ""
            if line.done_note:
                story.append(self.labelled(f"{state}{when}:", line.done_note))
            else:
                story.append(self.p(f"{state}{when}.", "cell_bold"))
        if line.note:
            story.append(self.labelled("Note:", line.note))
        story += [self.photo(image) for image in line.photos]
        story.append(Spacer(1, 3.5 * mm))
        return first, story

    def section(self, section: Section, level: int = 1) -> list[Flowable]:
        head: list[Flowable] = [self.heading(section.title, "h1", level)]
        if section.subtitle:
            head.append(self.p(section.subtitle, "small"))
        if section.measurements:
            head.append(
                self.labelled("Measured:", " ".join(m.line for m in section.measurements), "cell")
            )
        story: list[Flowable] = [CondPageBreak(40 * mm * self.scale)]
        actions = list(section.actions)
        if actions:  # the heading never ends a page: it keeps with the first finding
            first, rest = self.action_parts(actions.pop(0))
            story += [KeepTogether([*head, *first]), *rest]
        else:
            story += head
        count = len(section.unanswered)
        if not section.actions:
            found = "Nothing to fix was found so far" if count else "Nothing to fix was found here"
            many = f", but {count} questions here are not answered yet" if count else ""
            if count > OPEN_QUESTIONS_LISTED:
                story.append(self.p(f"{found}{many} (the blank checklist has them all)."))
            else:
                story.append(self.p(f"{found}."))
        for line in actions:
            story += self.action(line)
        if 0 < count <= OPEN_QUESTIONS_LISTED:
            story.append(self.p("Not answered yet here:", "cell_bold"))
            story += [self.bullet(q, "bullet_cell") for q in section.unanswered]
        elif count and section.actions:
            story.append(
                self.p(
                    f"{count} questions here are not answered yet (the blank checklist has "
                    "them all).",
                    "cell_bold",
                )
            )
        if section.notes:
            # Not kept with what follows: a long note would leave most of a page blank.
            story.append(CondPageBreak(30 * mm * self.scale))
            story.append(
                self.p("Other notes from this room", "h2_free")
                if section.actions
                else self.p("Notes", "h2_free")
            )
            for note in section.notes:
                story.append(self.labelled(f"{note.question} ({note.answer}):", note.note, "cell"))
                story.append(Spacer(1, 1.2 * mm))
        story += [self.photo(image) for image in section.photos]
        return story

    # ---- after the rooms ---------------------------------------------------------------------

    def jobs(self, report: PlanReport) -> list[Flowable]:
        if not report.jobs:
            return []
        story: list[Flowable] = [
            PageBreak(),
            self.heading("Jobs by who does them", "h1", 0, JOBS_KEY),
            self.p(
                "The same jobs as above, sorted by who does them: a list to hand over. "
                "Tick each one when it is done.",
            ),
        ]
        for group in report.jobs:
            story.append(self.heading(group.who, "h2", 1))
            for job in group.jobs:
                text = [
                    self.fonts.paragraph(
                        job.what_to_do,
                        self.s["cell"],
                        prefix=f"<b>{self.fonts.markup(job.where)}: "
                        f"{self.fonts.markup(job.finding)}.</b> ",
                    ),
                    self.p(f"{job.priority} · {job.effort}", "meta"),
                ]
                row = Table(
                    [[TickBox(size=4.6 * mm * self.scale), text]],
                    colWidths=[9 * mm * self.scale, FRAME_WIDTH - 9 * mm * self.scale],
                )
                row.setStyle(
                    TableStyle(
                        [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LEFTPADDING", (0, 0), (0, -1), 0),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                        ]
                    )
                )
                story.append(row)
        return story

    def help_page(self, report: PlanReport) -> list[Flowable]:
        text = report.text
        story: list[Flowable] = [PageBreak()]
        if report.brace_worn:
            story.append(self.heading(text.skin_routine_title, "h1", 0))
            story += [self.bullet(line) for line in text.skin_routine]
        story.append(self.heading(text.seek_help_title, "h1", 0, HELP_KEY))
        for tier in report.urgency_tiers:
            signs = [self.bullet(f"{sign}.", "bullet") for sign in tier.signs]
            story.append(
                KeepTogether([self.p(tier.title.upper(), "flag_tier"), *signs, self.p(tier.advice)])
            )
            story.append(Spacer(1, 2 * mm))
        story += [self.p(line) for line in text.seek_help]
        return story

    def sign_off(self, report: PlanReport) -> list[Flowable]:
        signer = report.sign_off
        if signer is None:
            return []
        facts = list(signer.rows())
        intro = signer.intro
        line = FRAME_WIDTH - 46 * mm * self.scale
        signature = Table(
            [
                [self.p("Signature", "cell_bold"), WriteLine(line, 10 * mm * self.scale)],
                [self.p("Date signed", "cell_bold"), WriteLine(line * 0.5, 10 * mm * self.scale)],
            ],
            colWidths=[46 * mm * self.scale, line],
        )
        signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        return [
            CondPageBreak(85 * mm * self.scale),
            KeepTogether(
                [
                    self.heading("Sign-off", "h1", 0, "signoff"),
                    self.p(intro),
                    Spacer(1, 2 * mm),
                    self.facts_table(facts),
                    Spacer(1, 6 * mm),
                    signature,
                ]
            ),
        ]

    def about(self, report: PlanReport) -> list[Flowable]:
        text = report.text
        story: list[Flowable] = [
            CondPageBreak(40 * mm),
            self.heading("About this plan", "h1", 0, "about"),
            self.p(report.disclaimer),
            Spacer(1, 2 * mm),
            self.p(
                f"Checklist: {report.mode.lower()}, version {report.checklist_version}; "
                f"risk model {report.model_version}.",
                "small",
            ),
            self.p(text.attribution, "small"),
            self.p("Sources the checklist draws on", "h2"),
        ]
        story += [self.bullet(source, "bullet_small") for source in report.sources]
        return story

    # ---- the document ------------------------------------------------------------------------

    def story(
        self, report: PlanReport, extra: Callable[[], list[Flowable]] | None = None
    ) -> list[Flowable]:
        self._keys = 0
        story: list[Flowable] = self.cover(report)
        story += self.pictures(report)
        rooms = [s for s in report.sections if s.is_room]
        pages = [s for s in report.sections if not s.is_room]
        if rooms:
            story += [
                CondPageBreak(90 * mm * self.scale),  # a heading and a room's start, or a page
                self.heading("Room by room", "h1", 0, "rooms"),
            ]
            story[-1].section = ""
            for number, section in enumerate(rooms):
                part = self.section(section)
                if number == 0:
                    part = part[1:]  # right under "Room by room": no page break before it
                story += part
        for section in pages:
            story += self.section(section, level=0)
            if section.title == PERSON_TITLE and report.person_notes:
                story.append(self.heading("Notes about the person", "h2", 1))
                story.append(self.p(report.person_notes))
        story += self.jobs(report)
        story += self.help_page(report)
        story += self.sign_off(report)
        if extra is not None:  # pages of their own, to put up at home
            story += [*extra(), PageBreak()]
        story += self.about(report)
        return story

    def render(
        self,
        report: PlanReport,
        target: BinaryIO,
        extra: Callable[[], list[Flowable]] | None = None,
    ) -> None:
        """Lay out the plan once; `extra` adds pages at the end (the exercises)."""
        self.pages = self._build(report, target, extra)

    def _build(
        self,
        report: PlanReport,
        target: BinaryIO,
        extra: Callable[[], list[Flowable]] | None,
    ) -> dict[str, int]:
        date_text = report.visit_date.isoformat()
        header = HEADER_STYLE
        if self.scale > 1:  # large print: the running header at 14 pt too
            header = ParagraphStyle(
                "header_large", parent=HEADER_STYLE, fontSize=LARGE_PRINT_SIZE, leading=17
            )
        document = PlanDocument(
            target,
            self.fonts.markup,
            header,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=20 * mm,
            title=report.title,
            author=f"{report.assessor} ({report.assessor_role})",
            subject=f"Fall-risk home safety action plan, visit of {date_text}",
            creator="safetycheck",
            keywords="fall prevention, home safety, action plan",
            lang="en",
        )
        # Each part laid out on its own: a right-to-left name does not pull the date into it.
        footer = footer_line(self.fonts.markup, "Action plan", report.person_name, date_text)
        document.build(
            self.story(report, extra),
            canvasmaker=numbered_canvas(footer, document.pages, header),
        )
        return document.pages
