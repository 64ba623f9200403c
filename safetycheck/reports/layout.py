"""Shared layout pieces for both PDFs: page geometry, the numbered canvas, tick boxes, styles."""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph

from safetycheck.reports.fonts import BOLD, REGULAR

# Binary streams: ASCII85 only makes PDFs a quarter larger, and ReportLab's pure-Python encoder
# was most of the time spent on a plan with photos.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
RED = colors.HexColor("#b00020")
RED_TINT = colors.HexColor("#fdecee")
AMBER = colors.HexColor("#8a5a00")
AMBER_TINT = colors.HexColor("#fff4dc")


class NumberedCanvas(canvas.Canvas):
    """Draws "Page X of Y" and the running footer once the total is known."""

    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(REGULAR, 8.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.line(MARGIN, 13 * mm, PAGE_WIDTH - MARGIN, 13 * mm)
        # A paragraph, not drawString, so the footer gets the same font fallback as the body.
        footer = Paragraph(self.footer_left, FOOTER_STYLE)
        footer.wrap(FRAME_WIDTH - 30 * mm, 10 * mm)
        footer.drawOn(self, MARGIN, 7.6 * mm)
        self.drawRightString(PAGE_WIDTH - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


FOOTER_STYLE = ParagraphStyle("footer", fontName=REGULAR, fontSize=8.5, leading=10, textColor=MUTED)


def numbered_canvas(footer_markup: str) -> type[NumberedCanvas]:
    """A canvas class whose footer shows `footer_markup` (ReportLab wants a class)."""
    return type("FooterCanvas", (NumberedCanvas,), {"footer_left": footer_markup})


class TickBox(Flowable):
    """A drawn box to tick by hand (no font needed); optionally already ticked."""

    def __init__(self, size: float = 4.2 * mm, ticked: bool = False) -> None:
        super().__init__()
        self.size = size
        self.ticked = ticked
        self.width = self.height = size

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(INK)
        c.setLineWidth(0.9)
        c.rect(0, 0, self.size, self.size)
        if self.ticked:
            c.setLineWidth(1.4)
            s = self.size
            c.lines(
                [(0.2 * s, 0.5 * s, 0.42 * s, 0.22 * s), (0.42 * s, 0.22 * s, 0.85 * s, 0.85 * s)]
            )


class WriteLine(Flowable):
    """A ruled line to write on."""

    def __init__(self, width: float = FRAME_WIDTH, height: float = 7 * mm) -> None:
        super().__init__()
        self.width = width
        self.height = height

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 1.2 * mm, self.width, 1.2 * mm)


def styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """One stylesheet for both documents; sizes chosen for readers with tired eyes."""
    base = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=10.5 * scale, leading=14 * scale, textColor=INK
    )
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5 * scale, leading=11 * scale, textColor=MUTED
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=22 * scale,
            leading=27 * scale,
            spaceAfter=4 * mm,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=15 * scale,
            leading=19 * scale,
            spaceBefore=5 * mm,
            spaceAfter=2 * mm,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=12 * scale,
            leading=15 * scale,
            spaceBefore=3 * mm,
            spaceAfter=1.5 * mm,
        ),
        "level": ParagraphStyle(
            "level", parent=base, fontName=BOLD, fontSize=17 * scale, leading=22 * scale
        ),
        "flag_title": ParagraphStyle(
            "flag_title",
            parent=base,
            fontName=BOLD,
            fontSize=13 * scale,
            leading=17 * scale,
            textColor=RED,
        ),
        "flag": ParagraphStyle(
            "flag", parent=base, fontName=BOLD, fontSize=11 * scale, leading=15 * scale
        ),
        "flag_tier": ParagraphStyle(  # an urgency tier's title: what to do, in red
            "flag_tier",
            parent=base,
            fontName=BOLD,
            fontSize=13.5 * scale,
            leading=17 * scale,
            textColor=RED,
            spaceBefore=1.5 * mm,
        ),
        "flag_bullet": ParagraphStyle(
            "flag_bullet",
            parent=base,
            fontName=BOLD,
            fontSize=10.5 * scale,
            leading=14 * scale,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
        ),
        "notice": ParagraphStyle(  # what is not yet known, on the first page
            "notice", parent=base, fontName=BOLD, fontSize=12 * scale, leading=16 * scale
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5 * scale, leading=12.5 * scale),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD, fontSize=9.5 * scale, leading=12.5 * scale
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=1.2 * mm
        ),
        "bullet_cell": ParagraphStyle(
            "bullet_cell",
            parent=base,
            fontSize=9.5 * scale,
            leading=12.5 * scale,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
            spaceAfter=0.8 * mm,
        ),
        "bullet_small": ParagraphStyle(
            "bullet_small",
            parent=base,
            fontSize=8.5 * scale,
            leading=11 * scale,
            textColor=MUTED,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
            spaceAfter=1 * mm,
        ),
        "condition": ParagraphStyle(  # when a question is asked, on the blank checklist
            "condition", parent=base, fontSize=8.5 * scale, leading=11 * scale, textColor=INK
        ),
        "flag_mark": ParagraphStyle(  # a red-flag question's tier, on the blank checklist
            "flag_mark",
            parent=base,
            fontName=BOLD,
            fontSize=9.5 * scale,
            leading=12.5 * scale,
            textColor=RED,
        ),
        "code": ParagraphStyle(
            "code", parent=base, fontSize=7.5 * scale, leading=9.5 * scale, textColor=MUTED
        ),
    }
