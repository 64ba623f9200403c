"""The action plan PDF: lays out a finished PlanReport. No scoring, no queries, no arithmetic
beyond page geometry."""

from __future__ import annotations

import io
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from safetycheck.domain.report import ActionLine, PhotoImage, PlanReport, Section
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.layout import (
    AMBER,
    AMBER_TINT,
    FRAME_WIDTH,
    MARGIN,
    RED,
    RED_TINT,
    RULE,
    TickBox,
    numbered_canvas,
    styles,
)

PHOTO_MAX_WIDTH = 70 * mm
PHOTO_MAX_HEIGHT = 55 * mm
OPEN_QUESTIONS_LISTED = 10  # more than this: the count only (the blank checklist has them all)


class ActionPlanRenderer:
    """Renders the action plan; `warnings` lists text that could not be printed as typed."""

    def __init__(self, fonts: FontSet | None = None) -> None:
        self.fonts = fonts or FontSet()
        self.s = styles()

    # ---- small helpers ------------------------------------------------------------------------

    def p(self, text: str, style: str = "body") -> Paragraph:
        """A paragraph of user or content text, printed exactly as written."""
        return Paragraph(self.fonts.markup(text), self.s[style])

    def bullet(self, text: str, style: str = "bullet") -> Paragraph:
        return Paragraph(self.fonts.markup(text), self.s[style], bulletText="•")

    def labelled(self, label: str, text: str, style: str = "body") -> Paragraph:
        return Paragraph(f"<b>{label}</b> {self.fonts.markup(text)}", self.s[style])

    def photo(self, image: PhotoImage) -> Flowable:
        scale = min(PHOTO_MAX_WIDTH / image.width, PHOTO_MAX_HEIGHT / image.height, 1.0)
        return Image(io.BytesIO(image.data), width=image.width * scale, height=image.height * scale)

    # ---- sections ----------------------------------------------------------------------------

    def cover(self, report: PlanReport) -> list[Flowable]:
        story: list[Flowable] = [self.p(report.title, "title")]
        born = f" (born {report.birth_year})" if report.birth_year else ""
        facts = [
            ("Person", f"{report.person_name}{born}"),
            ("Date of the visit", report.visit_date.strftime("%d %B %Y").lstrip("0")),
            ("Assessed by", f"{report.assessor}, {report.assessor_role.lower()}"),
            (
                "Checklist",
                f"{report.mode}; checklist {report.checklist_version}, "
                f"risk model {report.model_version}",
            ),
        ]
        table = Table(
            [[self.p(k, "cell_bold"), self.p(v, "cell")] for k, v in facts],
            colWidths=[42 * mm, FRAME_WIDTH - 42 * mm],
        )
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
            )
        )
        story += [table, Spacer(1, 4 * mm)]
        story += self.red_flags(report)
        # What is not yet known, and why (an earlier checklist did not ask the new questions).
        known: list[Flowable] = []
        if report.certainty:
            known.append(self.p(report.certainty, "notice"))
        if report.version_note:
            known.append(self.p(report.version_note))
        if known:
            story += self.boxed(known, AMBER, AMBER_TINT)
        story += [self.p("Fall risk", "h1"), self.p(report.level_label.upper(), "level")]
        story.append(Spacer(1, 1.5 * mm))
        why = [f"{reason.rstrip('.')}." for reason in report.level_reasons]
        if len(why) == 1:
            story.append(self.labelled("Why:", why[0]))
        elif why:
            story.append(self.labelled("Why:", ""))
            story += [self.bullet(reason) for reason in why]
        if report.missing:
            story.append(self.labelled("Still to find out:", "; ".join(report.missing) + "."))
        story.append(self.labelled("Stay Independent check (CDC STEADI):", report.stay_independent))
        story.append(Spacer(1, 1.5 * mm))
        story.append(self.p(report.score_line))
        if report.unanswered:
            unanswered = (
                "1 question was"
                if report.unanswered == 1
                else f"{report.unanswered} questions were"
            )
            story.append(
                self.p(f"{unanswered} not answered; they add nothing to the score.", "small")
            )
        if not report.top_reasons:
            story += [self.p("What adds most to the risk", "h2"), self.p("Nothing so far.")]
        else:
            rows = [
                [self.p(label, "cell"), self.p(f"+{points}", "cell_bold")]
                for label, points in report.top_reasons
            ]
            if report.other_points > 0:
                rows.append(
                    [
                        self.p("Smaller reasons together", "cell"),
                        self.p(f"+{report.other_points}", "cell_bold"),
                    ]
                )
            reasons = Table(rows, colWidths=[FRAME_WIDTH - 18 * mm, 18 * mm])
            reasons.setStyle(
                TableStyle(
                    [
                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ]
                )
            )
            story += [CondPageBreak(30 * mm), self.p("What adds most to the risk", "h2"), reasons]
        if report.change is not None:
            story += self.change(report)
        return story

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

    def unasked(self, report: PlanReport) -> list[Flowable]:
        """The warning-sign questions not answered yet, one to a line."""
        return [self.bullet(f"{sign}.", "flag_bullet") for sign in report.unanswered_red_flags]

    def red_flags(self, report: PlanReport) -> list[Flowable]:
        """Raised red flags under their tier's words, most urgent first; else whether every
        warning-sign question was asked."""
        if not report.red_flags:
            status = report.red_flag_status
            if not report.unanswered_red_flags:
                return [self.p(status), Spacer(1, 2 * mm)]
            # The status ends with the list of questions; print them one to a line.
            listed = "; ".join(report.unanswered_red_flags)
            head, found, _ = status.rpartition(f": {listed}.")
            rows = [self.p(f"{head}:" if found else status, "flag")]
            if found:
                rows += self.unasked(report)
            rows.append(
                self.p(
                    "Ask these questions as soon as you can. Every warning sign, and what to do "
                    f"if one appears, is under \u201c{report.text.seek_help_title}\u201d near the "
                    "end of this plan.",
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

    def change(self, report: PlanReport) -> list[Flowable]:
        change = report.change
        assert change is not None
        then = change.previous_date.strftime("%d %B %Y").lstrip("0")
        story: list[Flowable] = [
            self.p("Since the last visit", "h2"),
            self.p(
                f"Last visit {then}: {change.level_then} risk, score {change.score_then}. "
                f"Now: {change.level_now} risk, score {change.score_now}.",
                "body",
            ),
        ]
        for title, items in (
            ("Fixed since then", change.fixed),
            ("Still to do", change.still_open),
            ("Found for the first time", change.new),
        ):
            if items:
                story.append(self.labelled(f"{title}:", "; ".join(items) + "."))
        return story

    def first_actions(self, report: PlanReport) -> list[Flowable]:
        story: list[Flowable] = [self.p("What to do first", "h1")]
        if not report.first_actions:
            return [*story, self.p(report.nothing_to_fix_line)]
        for number, (where, text, priority) in enumerate(report.first_actions, start=1):
            story.append(self.p(f"{number}. {text} ({where}; {priority.lower()})"))
            story.append(Spacer(1, 1.2 * mm))
        return story

    def action(self, line: ActionLine) -> list[Flowable]:
        head = Table(
            [
                [
                    TickBox(ticked=line.done),
                    self.p(line.finding, "cell_bold"),
                    self.p(f"{line.priority} · {line.who}", "cell"),
                ]
            ],
            colWidths=[8 * mm, FRAME_WIDTH - 8 * mm - 55 * mm, 55 * mm],
        )
        head.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        story: list[Flowable] = [head, self.labelled("What to do:", line.what_to_do)]
        if line.done:
            story.append(self.p("Done (ticked in the program).", "small"))
        if line.note:
            story.append(self.labelled("Note:", line.note))
        story += [self.photo(image) for image in line.photos]
        story.append(Spacer(1, 3 * mm))
        # Keep the heading with its first line; long notes may still run onto the next page.
        return [KeepTogether(story[:2]), *story[2:]]

    def section(self, section: Section) -> list[Flowable]:
        story: list[Flowable] = [CondPageBreak(35 * mm), self.p(section.title, "h1")]
        if section.subtitle:
            story.append(self.p(section.subtitle, "small"))
        count = len(section.unanswered)
        if not section.actions:
            found = "Nothing to fix was found so far" if count else "Nothing to fix was found here"
            many = f", but {count} questions here are not answered yet" if count else ""
            if count > OPEN_QUESTIONS_LISTED:
                story.append(self.p(f"{found}{many} (the blank checklist has them all)."))
            else:
                story.append(self.p(f"{found}."))
        for line in section.actions:
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
            story.append(
                self.p("Other notes from this room", "h2")
                if section.actions
                else self.p("Notes", "h2")
            )
            for note in section.notes:
                story.append(self.labelled(f"{note.question} ({note.answer}):", note.note, "cell"))
                story.append(Spacer(1, 1.2 * mm))
        story += [self.photo(image) for image in section.photos]
        return story

    def closing(self, report: PlanReport) -> list[Flowable]:
        text = report.text
        story: list[Flowable] = [PageBreak()]
        if report.brace_worn:
            story.append(self.p(text.skin_routine_title, "h1"))
            story += [self.bullet(line) for line in text.skin_routine]
        story.append(self.p(text.seek_help_title, "h1"))
        for tier in report.urgency_tiers:
            signs = [self.bullet(f"{sign}.", "bullet") for sign in tier.signs]
            story.append(
                KeepTogether([self.p(tier.title.upper(), "flag_tier"), *signs, self.p(tier.advice)])
            )
            story.append(Spacer(1, 2 * mm))
        story += [self.p(line) for line in text.seek_help]
        story += [CondPageBreak(40 * mm), self.p("About this plan", "h1")]
        story.append(self.p(report.disclaimer))
        story.append(Spacer(1, 2 * mm))
        story.append(self.p(text.attribution, "small"))
        story.append(self.p("Sources the checklist draws on", "h2"))
        story += [self.bullet(source, "bullet_small") for source in report.sources]
        if report.person_notes:
            story.append(self.p("Notes about the person", "h2"))
            story.append(self.p(report.person_notes))
        return story

    # ---- the document ------------------------------------------------------------------------

    def render(self, report: PlanReport, target: BinaryIO) -> None:
        story: list[Flowable] = self.cover(report)
        story.append(CondPageBreak(70 * mm))  # what to do first, on a page with room for it
        story += self.first_actions(report)
        for section in report.sections:
            story += self.section(section)
        story += self.closing(report)
        date_text = report.visit_date.isoformat()
        document = SimpleDocTemplate(
            target,
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
        footer = self.fonts.markup(f"Action plan · {report.person_name} · {date_text}")
        document.build(story, canvasmaker=numbered_canvas(footer))
