"""The home exercise page and the evening quick check: lays out a finished ExerciseSheet.

`exercise_flowables` gives the two pages as flowables, for the action plan to append (only when
the therapist prescribed exercises); `ExercisePageRenderer` writes them as a PDF of their own.
Sizes are for a reader in their seventies: body text 12 pt, nothing under 10 pt but the sources.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from safetycheck.domain.dates import long_date
from safetycheck.domain.exercises import ExerciseSheet, PrescribedExercise
from safetycheck.reports.fonts import BOLD, REGULAR, FontSet
from safetycheck.reports.layout import (
    AMBER,
    AMBER_TINT,
    FRAME_WIDTH,
    MARGIN,
    MUTED,
    RULE,
    TickBox,
    WriteLine,
    footer_line,
    numbered_canvas,
    styles,
)

DAY_WIDTH = 7.8 * mm
BOX = 6 * mm
GRID_WIDTH = 7 * DAY_WIDTH
NAME_UP_TO = 40  # an evening check's name, before its colon, is printed in bold

# The frame's own padding (ReportLab's default, 6 pt a side): tables this wide line up with the
# paragraphs above and below them.
WIDTH = FRAME_WIDTH - 12
# A table names a font for each cell, Helvetica unless told: ours, so the PDF names no font it
# does not embed.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)


def body_size(count: int) -> float:
    """The running text's size for a page of `count` exercises: as large as still fits one
    page (13 pt for up to four, 12 pt for five, 11 pt for six)."""
    return 13 if count <= 4 else 12 if count == 5 else 11


def sheet_styles(scale: float = 1.0, body: float = 12) -> dict[str, ParagraphStyle]:
    """The page's own sizes, on the shared stylesheet's fonts and colours; `body` is the size
    of the running text (11 or 12 pt)."""
    base = styles(scale)["body"]
    lead = body * 1.3

    def style(name: str, size: float, leading: float, **more: object) -> ParagraphStyle:
        return ParagraphStyle(
            name, parent=base, fontSize=size * scale, leading=leading * scale, **more
        )

    return {
        "title": style("title", 20, 24, fontName=BOLD, spaceAfter=1 * mm),
        "meta": style("meta", 12, 16),
        "body": style("body", body, lead),
        "name": style("name", body + 2, lead + 2.5, fontName=BOLD),
        "dose": style("dose", body, lead, fontName=BOLD),
        "day": style("day", 9.5, 11.5, alignment=TA_CENTER),
        "item": style("item", 13, 17),
        "sources": style("sources", 9, 11, textColor=MUTED),
    }


class ExerciseFlowables:
    """Builds the two pages' flowables from a sheet."""

    def __init__(self, fonts: FontSet, scale: float = 1.0) -> None:
        self.fonts = fonts
        self.scale = scale
        self.roomy = sheet_styles(scale)
        self.s = self.roomy

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(self.fonts.markup(text), self.s[style])

    def labelled(self, label: str, text: str, style: str = "body") -> Paragraph:
        return Paragraph(f"<b>{label}</b> {self.fonts.markup(text)}", self.s[style])

    def sized_for(self, count: int) -> None:
        """The sizes for a page of `count` exercises."""
        self.s = sheet_styles(self.scale, body=body_size(count))

    def week_grid(self, days: tuple[str, ...]) -> Table:
        """Seven tick boxes under the names of the days."""
        grid = Table(
            [[self.p(day, "day") for day in days], [TickBox(BOX * self.scale) for _ in days]],
            colWidths=[DAY_WIDTH * self.scale] * len(days),
        )
        grid.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return grid

    def header(self, title: str, sheet: ExerciseSheet) -> list[Flowable]:
        """The page's title with the person's name, the visit's date and a line for the week."""
        week = Table(
            [
                [
                    self.p(f"From the visit of {long_date(sheet.visit_date)}", "meta"),
                    self.p("Week starting:", "meta"),
                    WriteLine(45 * mm * self.scale),
                ]
            ],
            colWidths=[WIDTH - 83 * mm * self.scale, 36 * mm * self.scale, 47 * mm * self.scale],
        )
        week.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ]
            )
        )
        return [self.p(f"{title} for {sheet.person_name}", "title"), week, Spacer(1, 1 * mm)]

    def exercise(
        self, number: int, exercise: PrescribedExercise, days: tuple[str, ...]
    ) -> Flowable:
        """The name and dose beside the week's boxes, then how to do it and its cautions across
        the whole width (the most lines to a page, so six still fit one)."""
        head: list[Flowable] = [
            self.p(f"{number}. {exercise.name}", "name"),
            self.labelled("How much:", exercise.dose, "dose"),
        ]
        text: list[Flowable] = [self.p(" ".join(exercise.how))]
        text += [self.labelled("Take care:", caution) for caution in exercise.cautions]
        row = Table(
            [[head, self.week_grid(days)], [text, ""]],
            colWidths=[WIDTH - GRID_WIDTH * self.scale, GRID_WIDTH * self.scale],
        )
        row.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("SPAN", (0, 1), (1, 1)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), 1.5 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 0.5 * mm),
                    ("TOPPADDING", (0, 1), (-1, 1), 0.5 * mm),
                    ("BOTTOMPADDING", (0, 1), (-1, 1), 1.5 * mm),
                    ("LINEBELOW", (0, 1), (-1, 1), 0.6, RULE),
                ]
            )
        )
        return KeepTogether([row])

    def cautions(self, lines: tuple[str, ...]) -> Flowable:
        """The cautions for every exercise, framed so they are read first."""
        box = Table([[self.p(line)] for line in lines], colWidths=[WIDTH])
        box.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("BOX", (0, 0), (-1, -1), 2, AMBER),
                    ("BACKGROUND", (0, 0), (-1, -1), AMBER_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 7),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return box

    def exercise_page(self, sheet: ExerciseSheet) -> list[Flowable]:
        self.sized_for(len(sheet.exercises))
        story = self.header(sheet.title, sheet)
        story += [self.p(sheet.intro), Spacer(1, 2 * mm), self.cautions(sheet.cautions)]
        for number, exercise in enumerate(sheet.exercises, start=1):
            story.append(self.exercise(number, exercise, sheet.days))
        return story

    def evening_page(self, sheet: ExerciseSheet) -> list[Flowable]:
        self.s = self.roomy
        evening = sheet.evening
        story = self.header(evening.title, sheet)
        story += [self.p(evening.intro), Spacer(1, 3 * mm)]
        head = [self.p("", "day"), *(self.p(day, "day") for day in sheet.days)]
        rows: list[list[object]] = [head]
        for item in evening.items:
            rows.append([self.check(item), *(TickBox(BOX * self.scale) for _ in sheet.days)])
        day_width = DAY_WIDTH * self.scale
        table = Table(rows, colWidths=[WIDTH - 7 * day_width, *([day_width] * 7)], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("LEFTPADDING", (1, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (1, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 1), (-1, -1), 3 * mm),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 3 * mm),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
                ]
            )
        )
        story.append(table)
        story += [Spacer(1, 3 * mm), *(self.p(line) for line in evening.after)]
        return story

    def check(self, item: str) -> Paragraph:
        """One thing to check, its name (the words before the colon) in bold."""
        name, colon, rest = item.partition(": ")
        if not colon or len(name) > NAME_UP_TO:
            return self.p(item, "item")
        return self.labelled(f"{self.fonts.markup(name)}:", rest, "item")

    def sources(self, sheet: ExerciseSheet) -> list[Flowable]:
        if not sheet.sources:
            return []
        line = "In our own words, checked against: " + "; ".join(sheet.sources) + "."
        return [Spacer(1, 4 * mm), self.p(line, "sources")]


def exercise_flowables(sheet: ExerciseSheet, fonts: FontSet, scale: float = 1.0) -> list[Flowable]:
    """The exercise page (only the prescribed exercises; left out when there are none) and the
    evening quick check, each starting on a new page. The list starts with a page break, so it
    can follow any other document's last page."""
    build = ExerciseFlowables(fonts, scale)
    story: list[Flowable] = []
    if sheet.exercises:
        story += [PageBreak(), *build.exercise_page(sheet)]
    story += [PageBreak(), *build.evening_page(sheet), *build.sources(sheet)]
    return story


class ExercisePageRenderer:
    """Writes the exercise page and the evening quick check as a PDF of their own."""

    def __init__(self, fonts: FontSet | None = None) -> None:
        self.fonts = fonts or FontSet()

    def render(self, sheet: ExerciseSheet, target: BinaryIO) -> None:
        story = exercise_flowables(sheet, self.fonts)
        story = story[1:]  # the first page break: nothing comes before it here
        date_text = sheet.visit_date.isoformat()
        document = SimpleDocTemplate(
            target,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=20 * mm,
            title=f"{sheet.title} for {sheet.person_name}",
            subject=f"Home exercises and the evening quick check, visit of {date_text}",
            creator="safetycheck",
            lang="en",
        )
        footer = footer_line(self.fonts.markup, "Home exercises", sheet.person_name, date_text)
        document.build(story, canvasmaker=numbered_canvas(footer))
