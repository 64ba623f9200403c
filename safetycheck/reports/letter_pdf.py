"""The letter for the person's doctor: lays out a finished DoctorLetter on one or two A4 pages.
No wording and no arithmetic here beyond page geometry."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from safetycheck.domain.dates import long_date
from safetycheck.domain.letter import DoctorLetter, LetterSection
from safetycheck.reports.fonts import BOLD, REGULAR, FontSet
from safetycheck.reports.layout import (
    AMBER,
    AMBER_TINT,
    FRAME_WIDTH,
    MARGIN,
    MUTED,
    RED,
    RED_TINT,
    WriteLine,
    footer_line,
    numbered_canvas,
    styles,
)

# The frame's own padding (ReportLab's default, 6 pt a side): tables this wide line up with the
# paragraphs above and below them.
WIDTH = FRAME_WIDTH - 12
# A table names a font for each cell, Helvetica unless told: ours, so the PDF names no font it
# does not embed.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)


def letter_styles() -> dict[str, ParagraphStyle]:
    """A letter's sizes: 11 pt body, on the shared stylesheet's fonts and colours."""
    base = ParagraphStyle(
        "letter", parent=styles()["body"], fontSize=11, leading=14, spaceAfter=1 * mm
    )
    return {
        "body": base,
        "sender": ParagraphStyle("sender", parent=base, alignment=TA_RIGHT, spaceAfter=0),
        "line": ParagraphStyle("line", parent=base, spaceAfter=0),
        "to": ParagraphStyle("to", parent=base, fontName=BOLD, fontSize=12, leading=15),
        "re": ParagraphStyle(
            "re", parent=base, fontName=BOLD, fontSize=13, leading=17, spaceBefore=3 * mm
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=2.5 * mm,
            spaceAfter=0.8 * mm,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=0.4 * mm
        ),
        "signer": ParagraphStyle("signer", parent=base, fontName=BOLD, spaceAfter=0),
        "brief": ParagraphStyle("brief", parent=base, fontName=BOLD),
        "label": ParagraphStyle("label", parent=base, fontSize=9.5, leading=12, textColor=MUTED),
    }


class LetterRenderer:
    """Renders the letter; `fonts.warnings()` lists text that could not be printed as typed."""

    def __init__(self, fonts: FontSet | None = None) -> None:
        self.fonts = fonts or FontSet()
        self.s = letter_styles()

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(self.fonts.markup(text), self.s[style])

    def bullet(self, text: str) -> Paragraph:
        return Paragraph(self.fonts.markup(text), self.s["bullet"], bulletText="•")

    def identifiers(self, letter: DoctorLetter) -> Table:
        """The person's identifiers in a row of labelled cells, then a line to write each
        number on that the program does not store."""
        labels = [self.p(label, "label") for label, _ in letter.identifiers]
        values = [self.p(value, "line") for _, value in letter.identifiers]
        rows: list[list[Flowable | str]] = [list(labels), list(values)]
        for label in letter.write_in:
            rows.append([self.p(f"{label}:", "line"), WriteLine(WIDTH * 0.5, 5 * mm), "", ""])
        count = len(letter.identifiers)
        widths = [WIDTH * share for share in (0.34, 0.18, 0.26, 0.22)][:count]
        box = Table(rows, colWidths=widths or None)
        commands: list[tuple[object, ...]] = [
            CELL_FONT,
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("BOX", (0, 0), (-1, -1), 0.5, MUTED),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for row in range(2, len(rows)):  # a write-on line spans the cells to its right
            commands.append(("SPAN", (1, row), (-1, row)))
            commands.append(("TOPPADDING", (0, row), (-1, row), 5))
        box.setStyle(TableStyle(commands))
        return box

    def framed(self, rows: list[Flowable], edge: Color, tint: Color) -> Table:
        box = Table([[row] for row in rows], colWidths=[WIDTH])
        box.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("BOX", (0, 0), (-1, -1), 2, edge),
                    ("BACKGROUND", (0, 0), (-1, -1), tint),
                    ("LEFTPADDING", (0, 0), (-1, -1), 7),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return box

    def heading(self, letter: DoctorLetter) -> list[Flowable]:
        sign = letter.sign_off
        sender = [f"{sign.name}, {sign.role}", sign.credentials, sign.organisation, sign.contact]
        right = [self.p(line, "sender") for line in sender if line]
        right += [Spacer(1, 2 * mm), self.p(long_date(letter.letter_date), "sender")]
        top = Table([[self.p(letter.to, "to"), right]], colWidths=[WIDTH * 0.45, WIDTH * 0.55])
        top.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ]
            )
        )
        return [
            top,
            self.p(letter.regarding, "re"),
            self.identifiers(letter),
            Spacer(1, 2.5 * mm),
            self.p("Dear Doctor,"),
            self.p(letter.opening),
            self.p(letter.in_brief, "brief"),
        ]

    def section(self, section: LetterSection) -> list[Flowable]:
        title = self.p(section.title, "h2")
        if section.urgent:
            rows: list[Flowable] = []
            for block in section.blocks:
                rows.append(self.p(block.text))
                rows += self.bullets(section, block.bullets)
            return [title, self.framed(rows, RED, RED_TINT)]
        story: list[Flowable] = []
        for number, block in enumerate(section.blocks):
            lines = [self.p(block.text), *self.bullets(section, block.bullets)]
            # A paragraph stays with the first line of its list, the heading with the first
            # paragraph: neither is left alone at the foot of a page.
            head = [title] if number == 0 else []
            story += [KeepTogether([*head, *lines[:2]]), *lines[2:]]
        return story

    def bullets(self, section: LetterSection, lines: tuple[str, ...]) -> list[Flowable]:
        """A list's lines: "•", or "1.", "2.", … with every line's text starting where the
        widest number's does (ReportLab puts the text 0.6 em after the number)."""
        if not section.numbered:
            return [self.bullet(line) for line in lines]
        bullet = self.s["bullet"]
        widest = stringWidth(f"{len(lines)}.", bullet.bulletFontName, bullet.bulletFontSize)
        indent = bullet.bulletIndent + widest + 0.6 * bullet.bulletFontSize
        style = ParagraphStyle("numbered", parent=bullet, leftIndent=max(indent, 5 * mm))
        return [
            Paragraph(self.fonts.markup(line), style, bulletText=f"{number}.")
            for number, line in enumerate(lines, start=1)
        ]

    def sign_off(self, letter: DoctorLetter) -> list[Flowable]:
        """The closing, then the signature line with who signs on the left and the details on
        the right: short enough to stay on the letter's last page with what comes before."""
        sign = letter.sign_off
        left: list[Flowable] = [
            Spacer(1, 10 * mm),
            WriteLine(70 * mm, 3 * mm),
            self.p("Signature", "label"),
            self.p(sign.name, "signer"),
            *(self.p(line, "line") for line in (sign.role, sign.credentials) if line),
        ]
        right: list[Flowable] = [Spacer(1, 10 * mm)]
        right += [self.p(line, "line") for line in (sign.organisation, sign.contact) if line]
        right.append(self.p(f"Date: {long_date(sign.signed_on)}", "line"))
        if sign.next_review is not None:
            review = f"Next review of the home plan: {long_date(sign.next_review)}"
            right.append(self.p(review, "line"))
        block = Table([[left, right]], colWidths=[WIDTH * 0.42, WIDTH * 0.58])
        block.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ]
            )
        )
        closing = [self.p(letter.closing), Spacer(1, 2 * mm), self.p("Yours sincerely,"), block]
        return [Spacer(1, 3 * mm), KeepTogether(closing)]

    def render(self, letter: DoctorLetter, target: BinaryIO) -> None:
        story = self.heading(letter)
        if letter.notice:
            story += [Spacer(1, 2 * mm), self.framed([self.p(letter.notice)], AMBER, AMBER_TINT)]
        for section in letter.sections:
            story += self.section(section)
        story += self.sign_off(letter)
        date_text = letter.letter_date.isoformat()
        document = SimpleDocTemplate(
            target,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=20 * mm,
            title=f"Letter for the doctor: {letter.person_name}",
            author=f"{letter.sign_off.name} ({letter.sign_off.role})",
            subject=f"Fall-risk home assessment of {letter.visit_date.isoformat()}",
            creator="safetycheck",
            keywords="fall prevention, falls risk, letter",
            lang="en",
        )
        footer = footer_line(
            self.fonts.markup, "Letter for the doctor", letter.person_name, date_text
        )
        document.build(story, canvasmaker=numbered_canvas(footer))
