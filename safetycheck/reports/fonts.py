"""Fonts for the PDFs: bundled DejaVu Sans, a system fallback for characters it lacks, and
user text turned into safe Paragraph markup that prints exactly what was typed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from safetycheck.resources import data_dir

REGULAR = "SafetySans"
BOLD = "SafetySans-Bold"
PLACEHOLDER = "\u2b1a"  # ⬚ dotted square: visible, and in DejaVu Sans


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


class FontSet:
    """The registered fonts, and what text needed a fallback or could not be printed."""

    def __init__(self, find_fallbacks: Callable[[str], list[Path]] = system_fonts_with) -> None:
        folder = data_dir() / "fonts"
        if REGULAR not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
            addMapping(REGULAR, 0, 0, REGULAR)
            addMapping(REGULAR, 1, 0, BOLD)
            addMapping(REGULAR, 0, 1, REGULAR)
            addMapping(REGULAR, 1, 1, BOLD)
        self._covered = pdfmetrics.getFont(REGULAR).face.charToGlyph
        self._find = find_fallbacks
        self._fallback_for: dict[str, str | None] = {}
        self.missing: set[str] = set()
        self.fallbacks_used: set[str] = set()

    def _fallback(self, char: str) -> str | None:
        if char in self._fallback_for:
            return self._fallback_for[char]
        chosen = None
        for path in self._find(char):
            name = f"SafetyFallback-{path.stem}"
            try:
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                face = pdfmetrics.getFont(name).face
                if ord(char) in face.charToGlyph:
                    chosen = name
                    break
            except (TTFError, OSError, KeyError):
                continue
        self._fallback_for[char] = chosen
        return chosen

    def markup(self, text: str) -> str:
        """Paragraph markup for user text: escaped, line breaks kept, every character printed."""
        out: list[str] = []
        run_font: str | None = None
        run: list[str] = []

        def flush() -> None:
            if not run:
                return
            chunk = escape("".join(run))
            out.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
            run.clear()

        for char in text.replace("\r\n", "\n").replace("\r", "\n"):
            if char == "\n":
                flush()
                out.append("<br/>")
                continue
            font: str | None = None
            if ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF:
                char = " " if char == "\t" else PLACEHOLDER
                if char == PLACEHOLDER:
                    self.missing.add("control character")
            elif ord(char) not in self._covered and not char.isspace():
                font = self._fallback(char)
                if font is None:
                    self.missing.add(char)
                    char = PLACEHOLDER
                else:
                    self.fallbacks_used.add(font)
            if font != run_font:
                flush()
                run_font = font
            run.append(char)
        flush()
        return "".join(out)

    def warnings(self) -> list[str]:
        if not self.missing:
            return []
        shown = ", ".join(
            sorted(f"{c} (U+{ord(c):04X})" if len(c) == 1 else c for c in self.missing)
        )
        return [f"no font on this computer can print {shown}; printed as {PLACEHOLDER} instead"]
