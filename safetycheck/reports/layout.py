"""Shared layout pieces for both PDFs: page geometry, the numbered canvas, tick boxes, styles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

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
    """Draws "Page X of Y" and the running footer once the total is known, and a page's
    "Hallway (continued)" header when the document template set one for it."""

    footer_left = ""
    # Where each bookmark landed (filled in while the document is laid out), for what a page
    # draws once every page is known.
    bookmarks: ClassVar[dict[str, int]] = {}
    header_style: ClassVar[ParagraphStyle]  # the "(continued)" header's (set below)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []
        self.continued = ""  # markup of this page's running header, "" for none
        # What this page draws once the whole document is laid out (cross-references).
        self.later: list[Callable[[dict[str, int]], None]] = []
        # This page's bookmarks (key, title, outline level): set when the page is really
        # emitted, at save, since only then does the PDF have the page to point to.
        self.marks: list[tuple[str, str, int]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._saved_pages.append(dict(self.__dict__))
        self.continued = ""
        self.later = []
        self.marks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            for draw in self.later:
                draw(self.bookmarks)
            for key, title, level in self.marks:
                self.bookmarkPage(key)
                self.addOutlineEntry(title, key, level=level, closed=False)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        if self.continued:
            header = Paragraph(self.continued, self.header_style)
            _, used = header.wrap(FRAME_WIDTH, 12 * mm)
            header.drawOn(self, MARGIN, PAGE_HEIGHT - 9 * mm - used)
        self.setFont(REGULAR, 9)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.line(MARGIN, 13 * mm, PAGE_WIDTH - MARGIN, 13 * mm)
        # A paragraph, not drawString, so the footer gets the same fonts as the body; it was cut
        # to one line (footer_line), so it never wraps over the rule or the page number.
        footer = Paragraph(self.footer_left, FOOTER_STYLE)
        _, used = footer.wrap(FOOTER_WIDTH, 40 * mm)
        footer.drawOn(self, MARGIN, 11.6 * mm - used)
        self.drawRightString(PAGE_WIDTH - MARGIN, 8.6 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


FOOTER_WIDTH = FRAME_WIDTH - 32 * mm  # room is left for "Page 100 of 100"


def footer_line(markup: Callable[[str], str], *parts: str, cut: int = 1) -> str:
    """The footer's markup, `parts` joined by " · " on one line (each part laid out on its own,
    so a right-to-left name keeps its place): when they are too long for one line, part `cut`
    (the name) is cut short with "…"; the whole name is on the first page."""
    return one_line(markup, parts, cut, FOOTER_STYLE, FOOTER_WIDTH, " · ")


def one_line(
    markup: Callable[[str], str],
    parts: tuple[str, ...],
    cut: int,
    style: ParagraphStyle,
    width: float,
    separator: str,
) -> str:
    """Markup of `parts` joined by `separator` that fits one line of `width` in `style`: when
    it does not, part `cut` is cut short with "…" (as little as needed)."""

    def joined(shown: tuple[str, ...]) -> str:
        return separator.join(markup(part) for part in shown)

    def fits(shown: tuple[str, ...]) -> bool:
        paragraph = Paragraph(joined(shown), style)
        _, height = paragraph.wrap(width, 40 * mm)
        return bool(height <= style.leading * 1.2)

    def shortened(length: int) -> tuple[str, ...]:
        return (*parts[:cut], parts[cut][:length].rstrip() + "…", *parts[cut + 1 :])

    if fits(parts):
        return joined(parts)
    low, high = 0, len(parts[cut])  # the longest start of the part that fits, by halving
    while low < high:
        middle = (low + high + 1) // 2
        if fits(shortened(middle)):
            low = middle
        else:
            high = middle - 1
    return joined(shortened(low))


FOOTER_STYLE = ParagraphStyle("footer", fontName=REGULAR, fontSize=9, leading=11, textColor=MUTED)
HEADER_STYLE = ParagraphStyle("header", fontName=BOLD, fontSize=10, leading=12, textColor=MUTED)


def numbered_canvas(
    footer_markup: str,
    bookmarks: dict[str, int] | None = None,
    header_style: ParagraphStyle | None = None,
) -> type[NumberedCanvas]:
    """A canvas class whose footer shows `footer_markup` (ReportLab wants a class);
    `bookmarks` is filled in by the document as it is laid out; `header_style` is the
    "(continued)" header's (larger in large print)."""
    return type(
        "FooterCanvas",
        (NumberedCanvas,),
        {
            "footer_left": footer_markup,
            "bookmarks": bookmarks if bookmarks is not None else {},
            "header_style": header_style or HEADER_STYLE,
        },
    )


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


LARGE_PRINT = 14 / 11  # body text 14 pt instead of 11
LARGE_PRINT_SIZE = 14.0  # and in large print no text under it (but for the footer)


def styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """One stylesheet for every document; sizes chosen for readers with tired eyes: body text
    11 pt (14 pt in large print), nothing a reader needs under 9 pt. Headings keep with what
    follows them."""
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=11 * scale,
        leading=15 * scale,
        textColor=INK,
        bulletFontName=REGULAR,
        bulletFontSize=11 * scale,  # ReportLab's own default is 10 pt whatever the text's size
    )

    def style(name: str, **values: Any) -> ParagraphStyle:
        for key in ("fontSize", "leading"):
            if key in values:
                values[key] = values[key] * scale
        size = values.get("fontSize", base.fontSize)
        if scale > 1 and size < LARGE_PRINT_SIZE:  # large print: nothing under 14 pt
            values["leading"] = values.get("leading", base.leading) * LARGE_PRINT_SIZE / size
            values["fontSize"] = LARGE_PRINT_SIZE
        return ParagraphStyle(name, parent=base, **values)

    heading = {"fontName": BOLD, "keepWithNext": 1}
    return {
        "body": base,
        "small": style("small", fontSize=9.5, leading=12.5, textColor=MUTED),
        "title": style("title", fontName=BOLD, fontSize=22, leading=27, spaceAfter=3 * mm),
        "h1": style(
            "h1", **heading, fontSize=16, leading=20, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        "h2": style(
            "h2", **heading, fontSize=13, leading=16.5, spaceBefore=3 * mm, spaceAfter=1.5 * mm
        ),
        "h2_free": style(  # a heading that may end a page (above a note that may be long)
            "h2_free",
            fontName=BOLD,
            fontSize=13,
            leading=16.5,
            spaceBefore=3 * mm,
            spaceAfter=1.5 * mm,
        ),
        "level": style("level", fontName=BOLD, fontSize=18, leading=23),
        "flag_title": style("flag_title", fontName=BOLD, fontSize=14, leading=18, textColor=RED),
        "flag": style("flag", fontName=BOLD, fontSize=11.5, leading=15.5),
        "flag_tier": style(  # an urgency tier's title: what to do, in red
            "flag_tier",
            **heading,
            fontSize=14,
            leading=18,
            textColor=RED,
            spaceBefore=1.5 * mm,
        ),
        "flag_bullet": style(
            "flag_bullet",
            fontName=BOLD,
            fontSize=11,
            leading=15,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
        ),
        "notice": style(  # what is not yet known, on the first page
            "notice", fontName=BOLD, fontSize=12.5, leading=17
        ),
        "cell": style("cell", fontSize=11, leading=14.5),
        "cell_bold": style("cell_bold", fontName=BOLD, fontSize=11, leading=14.5),
        "finding": style("finding", fontName=BOLD, fontSize=12, leading=15.5),
        "meta": style("meta", fontSize=10, leading=13, textColor=INK),
        "bullet": style("bullet", leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=1.2 * mm),
        "bullet_cell": style(
            "bullet_cell",
            fontSize=10.5,
            leading=14,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
            spaceAfter=0.8 * mm,
        ),
        "bullet_small": style(
            "bullet_small",
            fontSize=9.5,
            leading=12.5,
            textColor=MUTED,
            leftIndent=5 * mm,
            bulletIndent=1 * mm,
            spaceAfter=1 * mm,
        ),
        "caption": style("caption", fontSize=9.5, leading=12.5, textColor=INK),
        "condition": style(  # when a question is asked, on the blank checklist
            "condition", fontSize=9.5, leading=12.5, textColor=INK
        ),
        "flag_mark": style(  # a red-flag question's tier, on the blank checklist
            "flag_mark", fontName=BOLD, fontSize=10, leading=13, textColor=RED
        ),
        "code": style("code", fontSize=9, leading=11.5, textColor=MUTED),
    }
