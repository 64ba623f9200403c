"""Fonts for the PDFs: bundled DejaVu Sans and bundled fonts for the scripts it lacks, a system
font as the last resort, and user text turned into safe Paragraph markup that prints exactly
what was typed: escaped, in visual order, shaped where the script needs it."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bidi import algorithm as bidi_algorithm
from reportlab import rl_config
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.tables import CellStyle

from safetycheck.reports.shaping import (
    COMPLEX,
    IGNORABLE,
    RTL,
    CompositeFont,
    Family,
    ShapingFont,
    embedding_levels,
    visual_order,
)
from safetycheck.resources import data_dir

REGULAR = "SafetySans"
BOLD = "SafetySans-Bold"
PLACEHOLDER = "\u2b1a"  # ⬚ dotted square: visible, and in DejaVu Sans


@dataclass(frozen=True)
class BundledFont:
    """A font in data/fonts, and the characters it is the first choice for."""

    name: str
    regular: str
    bold: str | None
    ranges: tuple[tuple[int, int], ...]


# Tried in this order for a character DejaVu Sans lacks (data/fonts/README.md: where from).
BUNDLED = (
    BundledFont(
        "SafetyArabic",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    BundledFont(
        "SafetyHebrew",
        "NotoSansHebrew-Regular.ttf",
        "NotoSansHebrew-Bold.ttf",
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    BundledFont(
        "SafetyDevanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    ),
    BundledFont(
        "SafetyThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", ((0x0E00, 0x0E7F),)
    ),
    BundledFont(
        "SafetyCJK",
        "WenQuanYiMicroHei.ttf",  # Chinese, Japanese kana and Korean Hangul in one font
        None,
        (
            (0x1100, 0x11FF),
            (0x2E80, 0x2FDF),
            (0x2FF0, 0x9FFF),
            (0xA960, 0xA97F),
            (0xAC00, 0xD7FF),
            (0xF900, 0xFAFF),
            (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF),
            (0x20000, 0x3FFFF),
        ),
    ),
    BundledFont("SafetySymbols", "Symbola-symbols.ttf", None, ((0x1F000, 0x1FAFF),)),
)

_FAMILIES: dict[str, Family] = {}  # registered name of the regular font -> its family


def system_fonts_with(char: str) -> list[Path]:
    """TrueType files on this system that draw `char` (via fontconfig, where it exists)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listing = subprocess.run(
            [fc_list, f":charset={ord(char):x}", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in listing.splitlines() if line.strip()})
    return [Path(f) for f in files if f.lower().endswith(".ttf")]


def _route(char: str, family: Family) -> None:
    """From now on SafetySans (and its bold) draw `char` with `family`'s font."""
    base = _FAMILIES[REGULAR]
    if family is base:
        return
    assert isinstance(base.regular, CompositeFont)
    assert isinstance(base.bold, CompositeFont)
    base.regular.add_route(char, family.regular)
    base.bold.add_route(char, family.bold or family.regular)


def _register_base(folder: Path) -> Family:
    family = _FAMILIES.get(REGULAR)
    if family is not None:
        return family
    regular = CompositeFont(REGULAR, folder / "DejaVuSans.ttf")
    bold = CompositeFont(BOLD, folder / "DejaVuSans-Bold.ttf")
    for font in (regular, bold):
        pdfmetrics.registerFont(font)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    family = _FAMILIES[REGULAR] = Family(regular, bold, _route)
    # ReportLab's defaults are Helvetica, which is never embedded: every canvas starts in our
    # font, and a table or a chart sets our font first, so no PDF names a font it lacks.
    rl_config.canvas_basefontname = REGULAR
    rl_config.defaultGraphicsFontName = REGULAR  # the charts
    CellStyle.fontname = REGULAR
    ParagraphStyle.defaults["fontName"] = REGULAR
    ParagraphStyle.defaults["bulletFontName"] = REGULAR
    return family


def _register(name: str, regular: Path, bold: Path | None) -> Family:
    family = _FAMILIES.get(name)
    if family is not None:
        return family
    regular_font = ShapingFont(name, regular)
    pdfmetrics.registerFont(regular_font)
    bold_font = None
    if bold is not None:
        bold_font = ShapingFont(f"{name}-Bold", bold)
        pdfmetrics.registerFont(bold_font)
    family = _FAMILIES[name] = Family(regular_font, bold_font, _route)
    return family


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _is_mark(char: str) -> bool:
    return (
        unicodedata.category(char)[0] == "M"
        or char in "\u200c\u200d"
        or "\ufe00" <= char <= "\ufe0f"
    )


class LaidOutParagraph(Paragraph):
    """A Paragraph whose right-to-left lines are broken to the width it is given before each
    printed line is put in visual order, so a long Arabic or Hebrew note reads top to bottom.
    The pieces ReportLab splits it into across pages are plain Paragraphs of those lines."""

    def __init__(
        self,
        text: str | None,
        style: Any = None,
        bulletText: str | None = None,  # noqa: N803 - ReportLab's name
        frags: Any = None,
        caseSensitive: int = 1,  # noqa: N803
        encoding: str = "utf8",
        *,
        layout: Callable[[float], str] | None = None,
    ) -> None:
        self._layout = layout
        self._laid_for: float | None = None
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._layout is not None and availWidth != self._laid_for:
            style = self.style
            indent = style.leftIndent + style.rightIndent + max(style.firstLineIndent, 0)
            bullet = self.bulletText
            self._setup(
                self._layout(availWidth - indent), style, bullet, None, cleanBlockQuotedText
            )
            self._laid_for = availWidth
        width, height = super().wrap(availWidth, availHeight)
        return width, height


class FontSet:
    """The registered fonts, and what text needed a fallback or could not be printed."""

    def __init__(self, find_fallbacks: Callable[[str], list[Path]] | None = None) -> None:
        folder = data_dir() / "fonts"
        self._base = _register_base(folder)
        self._folder = folder
        self._covered = self._base.covers
        # The system's fonts (fontconfig) are the last resort, looked up when first needed.
        self._find = find_fallbacks or (lambda char: system_fonts_with(char))
        self._font_of: dict[str, Family | None] = {}
        self.missing: set[str] = set()
        self.named: set[str] = set()  # emoji no font has, printed as their names
        self.fallbacks_used: set[str] = set()

    # ---- which font draws a character ----------------------------------------------------

    def _bundled(self, font: BundledFont) -> Family | None:
        bold = self._folder / font.bold if font.bold else None
        try:
            return _register(font.name, self._folder / font.regular, bold)
        except (TTFError, OSError):
            return None

    def _system(self, char: str) -> Family | None:
        for path in self._find(char):
            try:
                family = _register(f"SafetyFallback-{path.stem}", path, None)
            except (TTFError, OSError, KeyError):
                continue
            if ord(char) in family.covers:
                return family
        return None

    def _lookup(self, char: str) -> Family | None:
        code = ord(char)
        for font in BUNDLED:  # the script's own font first
            if _in(code, font.ranges):
                family = self._bundled(font)
                if family is not None and code in family.covers:
                    return family
        if code in self._covered:
            return self._base
        for font in BUNDLED:
            family = self._bundled(font)
            if family is not None and code in family.covers:
                return family
        return self._system(char)

    def _font_for(self, char: str) -> Family | None:
        try:
            return self._font_of[char]
        except KeyError:
            family = self._font_of[char] = self._lookup(char)
            if family is not None and family is not self._base:
                _route(char, family)
                self.fallbacks_used.add(family.name)
            return family

    # ---- markup ----------------------------------------------------------------------------

    def markup(self, text: str) -> str:
        """Paragraph markup for user text: escaped, line breaks kept, every character printed.

        Each line of the text is laid out on its own, in visual order: right-to-left runs
        reversed, Arabic joined, marks placed (shaping.py). ReportLab wraps a long line after
        that, left to right: a wrapped right-to-left line reads right within each printed line,
        but its printed lines run from the end of the text to its start.
        """
        return "<br/>".join(escape(line) for line in self.lines(text))

    def paragraph(
        self, text: str, style: ParagraphStyle, prefix: str = "", bullet: str | None = None
    ) -> Paragraph:
        """A Paragraph of user text (after `prefix`, markup of our own such as "<b>Note:</b> ").

        Text with no right-to-left line is `Paragraph(prefix + markup(text))`. Otherwise the
        right-to-left lines are broken to the paragraph's width first and each printed line is
        laid out on its own, so they read from the top down; text that is right to left
        throughout, with no prefix, is set flush right."""
        if not RTL.search(text):
            return Paragraph(prefix + self.markup(text), style, bulletText=bullet)
        logical = [self._clean(line) for line in self._split(text)]
        right_to_left = all(bidi_algorithm.get_base_level(line) == 1 for line in logical)
        if not prefix and right_to_left and style.alignment == TA_LEFT:
            style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)

        def layout(width: float) -> str:
            font, size = style.fontName, style.fontSize
            taken = 0.0  # what the prefix takes of the first line
            if prefix:
                label = Paragraph(prefix, style)
                label.wrap(width, 10_000)
                taken = max(label.getActualLineWidths0(), default=0.0)
            lines = []
            for line in logical:
                if bidi_algorithm.get_base_level(line) == 0:
                    lines.append(escape(self._line(line)))
                else:
                    parts = self._broken(
                        line, width, width - taken if not lines else width, font, size
                    )
                    lines += [escape(self._line(part)) for part in parts]
            return prefix + "<br/>".join(lines)

        return LaidOutParagraph(prefix + self.markup(text), style, bullet, layout=layout)

    def _broken(self, line: str, width: float, first: float, font: str, size: float) -> list[str]:
        """A right-to-left line cut into pieces (logical order) that each fit `width` (the first
        one `first`)."""
        space = pdfmetrics.stringWidth(" ", font, size)
        parts: list[str] = []
        current: list[str] = []
        used = 0.0
        for word in line.split(" "):
            wide = pdfmetrics.stringWidth(self._line(word), font, size)
            room = first if not parts else width
            if current and used + space + wide > room - 0.5:
                parts.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0.0) + wide
            current.append(word)
        parts.append(" ".join(current))
        return parts

    def plain(self, text: str) -> str:
        """One line of user text laid out for canvas.drawString or a graphics String in
        SafetySans: visual order, shaped; line breaks become spaces."""
        return " ".join(self.lines(text))

    def lines(self, text: str) -> list[str]:
        """Each line of `text`, laid out (visual order, shaped), to draw in SafetySans."""
        return [self._line(line) for line in self._split(text)]

    @staticmethod
    def _split(text: str) -> list[str]:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.replace("\u2028", "\n").replace("\u2029", "\n").split("\n")

    def _clean(self, line: str) -> str:
        if line.isprintable():
            return line
        out = []
        for char in line:
            code = ord(char)
            if char == "\t":
                out.append(" ")
            elif 0xD800 <= code <= 0xDFFF:
                self.missing.add(f"a broken character (U+{code:04X}, half of a pair)")
                out.append(PLACEHOLDER)
            elif code < 32 or 0x7F <= code <= 0x9F:
                self.missing.add(f"a control character (U+{code:04X})")
                out.append(PLACEHOLDER)
            elif code >= 0xF0000:  # private use: the codes shaped glyphs are printed with
                self.missing.add(f"a private-use character (U+{code:04X})")
                out.append(PLACEHOLDER)
            else:
                out.append(char)
        return "".join(out)

    def _substitute(self, char: str) -> str:
        """What prints for a character no font has: an emoji's name, otherwise ⬚."""
        if unicodedata.category(char) == "So" and ord(char) >= 0x1F000:
            name = unicodedata.name(char, "")
            if name:
                self.named.add(char)
                return f"[{name.lower()}]"
        self.missing.add(char)
        return PLACEHOLDER

    def _line(self, line: str) -> str:
        line = self._clean(line)
        if RTL.search(line) or COMPLEX.search(line):
            return self._laid_out(line)
        font_for = self._font_for
        if all(font_for(char) is not None for char in line):
            return line  # the fast path: every character has a font, nothing to shape
        out = []
        for char in line:
            if font_for(char) is not None:
                out.append(char)
            elif not IGNORABLE.match(char):
                out.append(self._substitute(char))
        return "".join(out)

    def _fonts_of(self, line: str) -> tuple[str, list[Family]]:
        """The characters to draw and each one's font: a mark or joiner stays with its letter,
        and a space between two letters of one font takes that font (one run, one shaping)."""
        chars: list[str] = []
        fonts: list[Family] = []
        for char in line:
            font: Family | None
            if (
                fonts
                and _is_mark(char)
                and (ord(char) in fonts[-1].covers or IGNORABLE.match(char))
            ):
                font = fonts[-1]
            else:
                font = self._font_for(char)
            if font is None:
                if IGNORABLE.match(char):
                    continue
                char, font = self._substitute(char), self._base
            chars.append(char)
            fonts.append(font)
        for k in range(1, len(chars) - 1):
            if chars[k] == " " and fonts[k - 1] is fonts[k + 1] and 32 in fonts[k - 1].covers:
                fonts[k] = fonts[k - 1]
        return "".join(chars), fonts

    def _laid_out(self, line: str) -> str:
        """A line with right-to-left or complex text: direction runs, shaping, visual order."""
        text, fonts = self._fonts_of(line)
        levels = embedding_levels(text)[1] if RTL.search(text) else [0] * len(text)
        runs: list[tuple[int, int, int]] = []  # (start, end, level)
        start = 0
        for k in range(1, len(text) + 1):
            if k == len(text) or levels[k] != levels[start] or fonts[k] is not fonts[start]:
                runs.append((start, k, levels[start]))
                start = k
        pieces: list[str] = []
        for k in visual_order([level for _, _, level in runs]):
            begin, end, level = runs[k]
            piece = text[begin:end]
            if level % 2 or COMPLEX.search(piece):
                piece = fonts[begin].shape(piece, rtl=bool(level % 2))
            pieces.append(piece)
        return "".join(pieces)

    def warnings(self) -> list[str]:
        found = []
        chars = sorted(c for c in self.missing if len(c) == 1)
        if chars:
            shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)
            found.append(
                f"no font on this computer can print {shown}; printed as {PLACEHOLDER} instead"
            )
        if self.named:
            shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(self.named))
            found.append(f"no font on this computer can print {shown}; printed as its name instead")
        found += [
            f"the text has {what}; printed as {PLACEHOLDER} instead"
            for what in sorted(c for c in self.missing if len(c) > 1)
        ]
        return found
