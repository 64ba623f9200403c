"""The action plan PDF: lays out a finished PlanReport. No scoring, no queries, no arithmetic
beyond page geometry."""

from __future__ import annotations

import io
from typing import BinaryIO

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
        story += [table, Spacer(1, 5 * mm)]
        story += self.red_flags(report)
        story += [
            self.p("Fall risk", "h1"),
            self.p(f"{report.level_label.upper()} — score {report.score}", "level"),
            Spacer(1, 1.5 * mm),
        ]
        story += [self.p(f"Why: {reason}.", "body") for reason in report.level_reasons]
        story.append(self.labelled("Stay Independent check (CDC STEADI):", report.stay_independent))
        if report.unanswered:
            story.append(
                self.p(
                    f"{report.unanswered} checks were not answered; they are not "
                    "counted in the score.",
                    "small",
                )
            )
        if report.top_reasons:
            story.append(self.p("What adds most to the risk", "h2"))
            rows = [
                [self.p(label, "cell"), self.p(f"+{points}", "cell_bold")]
                for label, points in report.top_reasons
            ]
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
            story.append(reasons)
        if report.change is not None:
            story += self.change(report)
        return story

    def red_flags(self, report: PlanReport) -> list[Flowable]:
        if not report.red_flags:
            return [
                self.p(
                    "No red flags were found at this visit. Red flags are signs that "
                    "need a doctor now; the list is on the last page.",
                    "small",
                )
            ]
        rows: list[list[Flowable]] = [
            [self.p("RED FLAGS — SEEK MEDICAL ATTENTION NOW", "flag_title")]
        ]
        rows += [
            [self.p(f"■ {flag}. Seek medical attention now.", "flag")] for flag in report.red_flags
        ]
        rows.append(
            [
                self.p(
                    "Do not wait for the rest of this plan. Call a doctor or nurse "
                    "today, or emergency services if it is severe or getting worse.",
                    "body",
                )
            ]
        )
        box = Table(rows, colWidths=[FRAME_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 2.5, RED),
                    ("BACKGROUND", (0, 0), (-1, -1), RED_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return [box, Spacer(1, 4 * mm)]

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
            return [*story, self.p("Nothing needs fixing. Keep up the good habits below.")]
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
        if not section.actions:
            story.append(self.p("Nothing to fix was found here.", "body"))
        for line in section.actions:
            story += self.action(line)
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
        story += [self.bullet(line) for line in text.seek_help]
        story.append(self.p("About this plan", "h1"))
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
        story.append(PageBreak())
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
