"""The plan's pictures, drawn with ReportLab graphics and readable in black and white: the level
gauge, bars of what adds most, the rooms' problems open and done, and the change since the last
visit. Labels are paragraphs beside the drawings (so they wrap and get the same fonts as the
text); the drawings carry only shapes and digits."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from safetycheck.reports.fonts import BOLD, REGULAR
from safetycheck.reports.layout import INK, MUTED, RULE

DARK = colors.HexColor("#333333")
LIGHT = colors.HexColor("#d9d9d9")
LEVELS = ("Low", "Moderate", "High")


def gauge(lowest: int, highest: int, width: float, scale: float = 1.0) -> Drawing:
    """Three boxes, low / moderate / high. The levels the answers allow are filled dark with
    white words and carry a pointer; the others are outlined. Undecided, two boxes are filled
    and the caption says "between"."""
    height = 13 * mm * scale
    drawing = Drawing(width, height + 5 * mm * scale)
    box = width / 3
    size = 11 * scale
    for rank, word in enumerate(LEVELS):
        x = rank * box
        inside = lowest <= rank <= highest
        drawing.add(
            Rect(
                x + 1,
                5 * mm * scale,
                box - 2,
                height,
                fillColor=DARK if inside else colors.white,
                strokeColor=INK,
                strokeWidth=1.6 if inside else 0.8,
            )
        )
        drawing.add(
            String(
                x + box / 2,
                5 * mm * scale + height / 2 - size / 3,
                word.upper() if inside else word,
                fontName=BOLD if inside else REGULAR,
                fontSize=size,
                fillColor=colors.white if inside else MUTED,
                textAnchor="middle",
            )
        )
        if inside:  # a pointer under each level the answers allow
            mid = x + box / 2
            drawing.add(
                Polygon(
                    [mid - 3 * mm * scale, 0, mid + 3 * mm * scale, 0, mid, 4 * mm * scale],
                    fillColor=INK,
                    strokeColor=INK,
                )
            )
    return drawing


class Bar(Flowable):
    """One horizontal bar: `value` of `top` across the width; `done` more drawn hatched after
    it (done work, light and striped so it reads apart from the dark part in grey print)."""

    def __init__(
        self, value: float, top: float, width: float, height: float, done: float = 0.0
    ) -> None:
        super().__init__()
        self.value, self.top, self.done = value, max(top, 1e-9), done
        self.width, self.height = width, height
        self.font_size = 10.0

    def draw(self) -> None:
        c = self.canv
        room = self.width - 14 * mm * self.font_size / 10  # the number goes after the bar
        solid = room * self.value / self.top
        hatched = room * self.done / self.top
        bar_h = self.height * 0.62
        y = (self.height - bar_h) / 2
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        if solid > 0:
            c.setFillColor(DARK)
            c.rect(0, y, solid, bar_h, stroke=1, fill=1)
        if hatched > 0:
            c.setFillColor(colors.white)
            c.rect(solid, y, hatched, bar_h, stroke=1, fill=1)
            c.saveState()
            path = c.beginPath()
            path.rect(solid, y, hatched, bar_h)
            c.clipPath(path, stroke=0, fill=0)
            c.setStrokeColor(MUTED)
            step = 2.2 * mm
            x = solid - bar_h
            while x < solid + hatched:
                c.line(x, y, x + bar_h, y + bar_h)
                x += step
            c.restoreState()
        c.setFillColor(INK)
        c.setFont(BOLD, self.font_size)
        c.drawString(
            solid + hatched + 2 * mm, y + bar_h / 2 - self.font_size * 0.35, self.label_text()
        )

    def label_text(self) -> str:
        if self.done:
            return f"{self.value:g} + {self.done:g}"
        return f"{self.value:g}"


class PointsBar(Bar):
    def label_text(self) -> str:
        return f"+{self.value:g}"


def bar_table(
    rows: Sequence[tuple[Paragraph, Flowable]], label_width: float, bar_width: float
) -> Table:
    """Labels on the left, bars on the right, a thin rule between rows."""
    table = Table([list(row) for row in rows], colWidths=[label_width, bar_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def change_drawing(score_then: int, score_now: int, width: float, scale: float = 1.0) -> Drawing:
    """Two bars, the score then and now, with their numbers: lower is better."""
    height = 30 * mm * scale
    drawing = Drawing(width, height)
    top = max(score_then, score_now, 1)
    bar_w = 20 * mm * scale
    base = 7 * mm * scale
    room = height - base - 6 * mm * scale
    for n, (word, value, fill) in enumerate(
        (("Last visit", score_then, colors.white), ("Now", score_now, DARK))
    ):
        x = 10 * mm + n * (bar_w + 12 * mm)
        bar_h = room * value / top
        drawing.add(Rect(x, base, bar_w, bar_h, fillColor=fill, strokeColor=INK, strokeWidth=1))
        drawing.add(
            String(
                x + bar_w / 2,
                base + bar_h + 1.5 * mm,
                str(value),
                fontName=BOLD,
                fontSize=11 * scale,
                fillColor=INK,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                x + bar_w / 2,
                1.5 * mm,
                word,
                fontName=REGULAR,
                fontSize=10 * scale,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    drawing.add(Line(5 * mm, base, 10 * mm + 2 * bar_w + 17 * mm, base, strokeColor=INK))
    return drawing
