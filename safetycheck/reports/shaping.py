"""Right-to-left order and shaping for the PDFs, done before ReportLab sees the text.

ReportLab draws one character after another, left to right. Arabic needs its letters joined,
Devanagari and Thai need their vowel signs and marks placed, and Arabic and Hebrew run right to
left. So each line of user text is split into runs of one direction (the Unicode bidirectional
algorithm, from python-bidi) and one font; a run that needs it is shaped by HarfBuzz
(uharfbuzz); the runs are put in visual order. A glyph HarfBuzz chose that is not simply the
character's own glyph (a joined Arabic letter, a conjunct, a ligature) gets a private character
code in its font (U+F0000 on) mapped to the glyph, and the PDF's ToUnicode map gives that code
the characters it stands for, so the PDF's text still reads and searches as typed.

Limits: a glyph keeps the advance HarfBuzz gave it where it was first used, and HarfBuzz's small
mark offsets are dropped (the fonts' own mark placement is used). The visual order is made for
a whole line of user text; see FontSet.markup for what that means when a line wraps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uharfbuzz as hb
from bidi import algorithm as bidi_algorithm
from reportlab.pdfbase import ttfonts

# Characters of right-to-left scripts, and the explicit right-to-left marks and embeddings.
RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# Characters that need HarfBuzz even left to right: combining marks, Indic scripts, Thai, Lao,
# Tibetan, Myanmar, Khmer, Sinhala, Hangul jamo, and joiners.
COMPLEX = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1100-\u11ff"
    "\u1780-\u18af\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ua8e0-\ua8ff"
    "\ufe20-\ufe2f]"
)
FIRST_PRIVATE = 0xF0000  # Supplementary Private Use Area-A: never a real character
# Invisible format characters: they steer layout and have no glyph of their own.
IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]"
)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be", "surrogatepass").hex().upper()


def to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap that maps code i to texts[i] (several characters, or beyond U+FFFF)."""
    entries = [f"<{i:02X}> <{_utf16_hex(t)}>" for i, t in enumerate(texts) if t]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(texts) - 1:02X}>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries a block (the CMap rules)
        block = entries[start : start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class ShapingFont(ttfonts.TTFont):
    """A TrueType font that can also draw shaped glyphs, through private character codes, and
    whose ToUnicode map is right for them and for characters beyond U+FFFF."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path))
        self.path = path
        self.text_of: dict[int, str] = {}  # private code -> the characters it stands for
        self._hb_font: Any = None
        upem = getattr(self.face, "unitsPerEm", 1000)
        self.scale = 1000 / upem

    @property
    def hb_font(self) -> Any:
        if self._hb_font is None:
            self._hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(self.path))))
        return self._hb_font

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            name = base.decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + name)
            if stream is None:
                continue
            texts = [self.text_of.get(code, chr(code)) if code else "" for code in subset]
            stream.content = to_unicode_cmap(name, texts)


MEMBER_SPAN = 1 << 16  # subset numbers of a composite's member k are k * MEMBER_SPAN + n


class CompositeFont(ShapingFont):
    """The one font the PDFs name (SafetySans, SafetySans-Bold): its own face draws what it
    has, and each other character is routed to the member font that draws it. So markup needs
    no <font> tags, bold text stays bold in every script, and canvas.drawString works too."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, path)
        self.members: list[ShapingFont] = []
        self.route: dict[str, ShapingFont] = {}

    def add_route(self, char: str, member: ShapingFont) -> None:
        if member is self or self.route.get(char) is member:
            return
        if member not in self.members:
            self.members.append(member)
        self.route[char] = member
        widths = member.face.charWidths
        self.face.charWidths[ord(char)] = widths.get(ord(char), member.face.defaultWidth)

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:  # noqa: N802
        route = self.route
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if route.keys().isdisjoint(text):
            return super().splitString(text, doc, encoding)
        results: list[tuple[int, bytes]] = []
        start = 0
        owner = route.get(text[0], self)
        for k in range(1, len(text) + 1):
            here = route.get(text[k], self) if k < len(text) else None
            if here is owner:
                continue
            chunk = text[start:k]
            if owner is self:
                results += super().splitString(chunk, doc, encoding)
            else:
                span = (self.members.index(owner) + 1) * MEMBER_SPAN
                results += [(span + n, t) for n, t in owner.splitString(chunk, doc, encoding)]
            start, owner = k, here or self
        return results

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:  # noqa: N802
        if subset >= MEMBER_SPAN:
            member, n = divmod(subset, MEMBER_SPAN)
            return str(self.members[member - 1].getSubsetInternalName(n, doc))
        return str(super().getSubsetInternalName(subset, doc))


class Family:
    """A regular font and its bold (or None), sharing the private codes of shaped glyphs.

    `route(char, family)` is called for each new private code (fonts.py sends it to the
    composite fonts)."""

    _next = FIRST_PRIVATE  # one sequence for every family: a code names one glyph anywhere

    def __init__(
        self,
        regular: ShapingFont,
        bold: ShapingFont | None,
        route: Callable[[str, Family], None] | None = None,
    ) -> None:
        self.regular = regular
        self.bold = bold
        self.name = regular.fontName
        self._codes: dict[tuple[int, str, int], int] = {}
        self.covers = regular.face.charToGlyph
        self.route = route

    def _code(self, gid: int, text: str, advance: int) -> int:
        key = (gid, text, advance)
        code = self._codes.get(key)
        if code is not None:
            return code
        code = self._codes[key] = Family._next
        Family._next += 1
        regular = self.regular
        regular.face.charToGlyph[code] = gid
        regular.face.charWidths[code] = advance * regular.scale
        regular.text_of[code] = text
        bold = self.bold
        if bold is not None:
            glyph_name = regular.hb_font.glyph_to_string(gid)
            bold_gid = bold.hb_font.glyph_from_string(glyph_name)
            if bold_gid is None:  # not in the bold font: its glyph for the first character
                bold_gid = bold.face.charToGlyph.get(ord(text[0]), 0) if text else 0
            bold.face.charToGlyph[code] = bold_gid
            bold_advance = bold.hb_font.get_glyph_h_advance(bold_gid) if advance else 0
            bold.face.charWidths[code] = bold_advance * bold.scale
            bold.text_of[code] = text
        if self.route is not None:
            self.route(chr(code), self)
        return code

    def _codes_for(self, chars: str, glyphs: list[tuple[Any, Any]], rtl: bool) -> list[str]:
        """Private codes for one cluster's glyphs (left to right), each given a share of the
        cluster's characters for the ToUnicode map: read left to right they spell the cluster,
        so text tools get the word back whole. Poppler reads a right-to-left glyph's characters
        from the right, so there the share is reversed."""
        spelled = chars[::-1] if rtl else chars
        glyphs = [
            (info, pos)
            for info, pos in glyphs
            if not (info.codepoint == 0 and IGNORABLE.fullmatch(chars))
        ]
        wide = [k for k, (_, pos) in enumerate(glyphs) if pos.x_advance > 0] or [0]
        shares = [""] * len(glyphs)
        for n, k in enumerate(wide):
            shares[k] = spelled[n : n + 1] if n < len(wide) - 1 else spelled[n:]
        return [
            chr(self._code(info.codepoint, share, pos.x_advance))
            for (info, pos), share in zip(glyphs, shares, strict=True)
        ]

    def shape(self, text: str, rtl: bool) -> str:
        """`text` (logical order) as characters to draw left to right in this family's fonts."""
        font = self.regular
        buf = hb.Buffer()
        buf.add_str(text)
        buf.direction = "rtl" if rtl else "ltr"
        buf.guess_segment_properties()
        hb.shape(font.hb_font, buf, {})
        infos = buf.glyph_infos
        positions = buf.glyph_positions
        starts = sorted({info.cluster for info in infos})
        end_of = dict(zip(starts, [*starts[1:], len(text)], strict=True))
        nominal = font.face.charToGlyph
        widths = font.face.charWidths
        out: list[str] = []
        i = 0
        while i < len(infos):
            cluster = infos[i].cluster
            j = i
            while j < len(infos) and infos[j].cluster == cluster:
                j += 1
            chars = text[cluster : end_of[cluster]]
            glyphs = list(zip(infos[i:j], positions[i:j], strict=True))
            if (
                len(glyphs) == 1
                and len(chars) == 1
                and nominal.get(ord(chars)) == glyphs[0][0].codepoint
                and abs(glyphs[0][1].x_advance * font.scale - widths.get(ord(chars), -1)) < 0.5
            ):
                out.append(chars)  # the character's own glyph, unchanged: no private code
            else:
                out += self._codes_for(chars, glyphs, rtl)
            i = j
        return "".join(out)


def embedding_levels(text: str) -> tuple[int, list[int]]:
    """The paragraph level and each character's resolved level (Unicode bidi rules up to L1)."""
    storage = bidi_algorithm.get_empty_storage()
    base = bidi_algorithm.get_base_level(text)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi_algorithm.get_embedding_levels(text, storage)
    for index, entry in enumerate(storage["chars"]):
        entry["index"] = index
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    levels = [base] * len(text)
    for entry in storage["chars"]:
        levels[entry["index"]] = entry["level"]
    # L1: whitespace at the end of the line goes back to the paragraph level.
    k = len(text) - 1
    while k >= 0 and (text[k].isspace() or unicodedata.bidirectional(text[k]) in ("WS", "BN")):
        levels[k] = base
        k -= 1
    return base, levels


def visual_order(levels: list[int]) -> list[int]:
    """Rule L2: the order in which runs (given their levels) are shown, left to right."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        k = 0
        while k < len(order):
            if levels[order[k]] >= level:
                end = k
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[k:end] = order[k:end][::-1]
                k = end
            else:
                k += 1
    return order
