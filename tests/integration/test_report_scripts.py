"""Every script prints right: a name and a note in each, through the real plan renderer, read
back from the PDF (fonts, text, pixels) — with the bundled fonts alone, no system font.

What the tools allow: pdftotext (poppler) gives right-to-left words back in logical order, with
U+202B/U+202C (embedding marks) of its own around them, which the checks remove; where a number
stands next to right-to-left words, poppler's order of the number and the words can differ from
the order typed (the printed order follows the Unicode bidirectional rules), so no check below
puts a number beside Arabic or Hebrew.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate
from support import EXAMPLES

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode
from safetycheck.reports import fonts as fonts_module
from safetycheck.reports.fonts import BOLD, PLACEHOLDER, REGULAR, FontSet
from safetycheck.services.reports import plan_report_for_file, write_checklist_pdf, write_plan_pdf

# (room name, note) in each script the plan must print.
SCRIPTS = {
    "Latin with accents": ("Zoë Ångström-Núñez", "Çà et là, le tapis glisse"),
    "Greek": ("Ελένη Παπαδοπούλου", "Το χαλί γλιστράει"),
    "Cyrillic": ("Наталья Иванова", "Ковёр скользит"),
    "Arabic": ("محمد الزهراء", "السجادة تنزلق عند المشي"),
    "Hebrew": ("שרה כהן", "השטיח מחליק במסדרון"),
    "Devanagari": ("प्रिया शर्मा", "कालीन फिसलता है"),
    "Thai": ("สมศรี ใจดี", "พรมลื่นมาก"),
    "Chinese": ("王小明", "地毯很滑"),
    "Japanese": ("さくら 田中", "カーペットが滑ります"),
    "Korean": ("김민준", "카펫이 미끄럽습니다"),
    "emoji": ("Joy 😀", "Rug 👍 🏠 ❤"),
}
EMBEDDING_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return " ".join(EMBEDDING_MARKS.sub("", text).split())


def no_system_fonts(char: str) -> list[Path]:
    raise AssertionError(f"asked the system for a font for {char!r}: the bundled ones must do")


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory, content: Content) -> tuple[Path, list[str]]:
    """The foot-drop example with 11 rooms, one named in each script, each with a note."""
    folder = tmp_path_factory.mktemp("scripts")
    document: dict[str, Any] = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    bedroom = next(r for r in document["rooms"] if r["kind"] == "bedroom")
    for n in range(len(SCRIPTS) - len(document["rooms"])):
        copy = dict(bedroom, id=f"extra{n}")
        document["rooms"].append(copy)
        document["answers"] += [
            dict(a, room=copy["id"]) for a in document["answers"] if a["room"] == bedroom["id"]
        ]
    for room, (name, note) in zip(document["rooms"], SCRIPTS.values(), strict=True):
        room["name"] = name
        first = next(a for a in document["answers"] if a["room"] == room["id"])
        first["note"] = note
    document["person"]["name"] = "Fatima فاطمة"
    source = folder / "scripts.json"
    source.write_text(json.dumps(document, ensure_ascii=False))
    report = plan_report_for_file(content, source)
    target = folder / "scripts.pdf"
    with pytest.MonkeyPatch.context() as patch:  # as in a frozen build without fontconfig
        patch.setattr(fonts_module, "system_fonts_with", no_system_fonts)
        warnings = write_plan_pdf(report, target)
    return target, warnings


def test_every_font_is_embedded_and_none_is_helvetica(plan: tuple[Path, list[str]]) -> None:
    target, _ = plan
    rows = run("pdffonts", target).splitlines()[2:]
    assert rows, "pdffonts listed no font"
    names = [row.split()[0] for row in rows]
    assert not [n for n in names if "Helvetica" in n], names
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    for font in ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansThai"):
        assert any(font in n for n in names), (font, names)
    assert any("WenQuanYiMicroHei" in n for n in names), names
    assert any("Symbola" in n for n in names), names


def test_blank_checklist_names_only_embedded_fonts(tmp_path: Path, content: Content) -> None:
    target = tmp_path / "blank.pdf"
    write_checklist_pdf(content, Mode.CAREGIVER, target)
    rows = run("pdffonts", target).splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), rows
    assert not [row for row in rows if "Helvetica" in row]


def test_every_name_and_note_reads_back_in_logical_order(plan: tuple[Path, list[str]]) -> None:
    target, warnings = plan
    assert warnings == []  # nothing printed as a placeholder, no font missing
    text = flat(run("pdftotext", target, "-"))
    assert PLACEHOLDER not in text
    for script, (name, note) in SCRIPTS.items():
        assert name in text, (script, name)
        assert note in text, (script, note)
    assert "Fatima فاطمة" in text  # the person's name, mixed directions
    # In the footer the name is laid out on its own, so the date after it is printed after it
    # (to its right). pdftotext's reading order of such a mixed line is its own; the boxes say
    # where the words are.
    footer = [(found, box) for page, found, box in word_boxes(target) if page == 1 and box[1] > 780]
    name_box = next(box for found, box in footer if "فاطمة" in (found, found[::-1]))
    date_box = next(box for found, box in footer if re.fullmatch(r"[\d./-]{8,}", found))
    assert date_box[0] > name_box[2], footer


def word_boxes(pdf: Path) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page, word, box in points) for every word pdftotext finds."""
    out = run("pdftotext", "-bbox", pdf, "-")
    found = []
    for page, body in enumerate(re.split(r"<page [^>]*>", out)[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            body,
        ):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            found.append((page, EMBEDDING_MARKS.sub("", m.group(5)), (x0, y0, x1, y1)))
    return found


def ink(pdf: Path, page: int, box: tuple[float, float, float, float], where: Path) -> float:
    """The share of dark pixels in `box` of `page`, rendered at 144 dpi."""
    x0, y0, x1, y1 = (round(v * 2) for v in box)
    stem = where / f"crop-{page}-{x0}-{y0}"
    run(
        "pdftoppm",
        "-r",
        "144",
        "-f",
        str(page),
        "-l",
        str(page),
        "-x",
        str(x0),
        "-y",
        str(y0),
        "-W",
        str(max(x1 - x0, 1)),
        "-H",
        str(max(y1 - y0, 1)),
        "-png",
        "-singlefile",
        pdf,
        stem,
    )
    with Image.open(f"{stem}.png") as image:
        grey = image.convert("L")
        pixels = list(grey.tobytes())
    return sum(1 for p in pixels if p < 128) / len(pixels)


def test_each_script_draws_ink_where_its_words_are(
    plan: tuple[Path, list[str]], tmp_path: Path
) -> None:
    target, _ = plan
    boxes = word_boxes(target)
    for script, (name, _) in SCRIPTS.items():
        word = next(w for w in name.split() if not w.isascii())
        # pdftotext -bbox lists a right-to-left word's letters in visual order.
        where = [(page, box) for page, found, box in boxes if word in (found, found[::-1])]
        assert where, (script, word)
        page, box = where[0]
        assert ink(target, page, box, tmp_path) > 0.04, (script, word)


def to_unicode_texts(pdf: Path, font_part: str) -> list[str]:
    """The text of each code in the ToUnicode maps of the fonts whose name has `font_part`."""
    found: list[str] = []
    seen: set[str] = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in page.obj.Resources.Font.values():
                name = str(font.BaseFont)
                if font_part not in name or name in seen:
                    continue
                seen.add(name)
                cmap = font.ToUnicode.read_bytes().decode("latin-1")
                for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                    for _code, target in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]*)>", block):
                        found.append(bytes.fromhex(target).decode("utf-16-be"))
    return found


def test_arabic_letters_are_joined(plan: tuple[Path, list[str]]) -> None:
    """محمد has meem twice, once at the start of the word and once inside it: shaped, they are
    two different glyphs (two codes whose text is م); drawn unjoined they would be one."""
    target, _ = plan
    texts = to_unicode_texts(target, "NotoSansArabic-Regular")
    assert texts, "no Arabic font in the plan"
    assert texts.count("م") >= 2, texts


def test_text_that_needs_no_shaping_takes_the_fast_path() -> None:
    fonts = FontSet()
    assert fonts.markup("Zoë & <Søn>\nline 2") == "Zoë &amp; &lt;Søn&gt;<br/>line 2"


def test_right_to_left_text_is_in_visual_order_and_shaped() -> None:
    fonts = FontSet()
    laid = fonts.plain("שלום")  # right to left: the last letter is drawn first
    assert (len(laid), laid[0], laid[-1]) == (4, "ם", "ש")
    arabic = fonts.plain("محمد")
    assert len(arabic) == 4
    assert all(ord(c) >= 0xF0000 for c in arabic)  # joined forms: glyphs of their own
    assert fonts.plain("abc אבג def") == "abc גבא def"


def test_a_broken_character_prints_a_placeholder_with_a_clear_warning() -> None:
    fonts = FontSet()
    assert fonts.markup("Ann\ud800e") == f"Ann{PLACEHOLDER}e"
    assert fonts.warnings() == [
        f"the text has a broken character (U+D800, half of a pair); printed as {PLACEHOLDER}"
        " instead"
    ]
    fonts = FontSet()
    fonts.markup("bell\x07")
    assert fonts.warnings() == [
        f"the text has a control character (U+0007); printed as {PLACEHOLDER} instead"
    ]


def test_an_emoji_no_font_has_prints_its_name() -> None:
    fonts = FontSet(find_fallbacks=lambda _char: [])
    assert fonts.markup("🩺 check") == "[stethoscope] check"
    assert fonts.warnings() == [
        "no font on this computer can print 🩺 (U+1FA7A); printed as its name instead"
    ]


def test_a_wrapped_right_to_left_note_reads_from_the_top(tmp_path: Path) -> None:
    fonts = FontSet()
    words = [f"מילה{n}" for n in range(1, 41)]  # Hebrew "word" and its number
    note = " ".join(words)
    style = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15)
    target = tmp_path / "wrapped.pdf"
    SimpleDocTemplate(str(target)).build([fonts.paragraph(note, style)])
    boxes = [(box, found) for _, found, box in word_boxes(target)]
    lines: dict[float, list[tuple[float, str]]] = {}
    for (x0, y0, _, _), found in boxes:
        lines.setdefault(round(y0), []).append((x0, found))
    assert len(lines) > 1, "the note should wrap"
    order: list[str] = []
    for top in sorted(lines):  # top line first; within a line, right to left
        order += [w for _, w in sorted(lines[top], reverse=True)]
    numbers = [int(re.sub(r"\D", "", w)) for w in order]
    assert numbers == list(range(1, 41))


def test_bold_text_stays_bold_in_every_script(tmp_path: Path) -> None:
    fonts = FontSet()
    style = ParagraphStyle("head", fontName=BOLD, fontSize=12, leading=15)
    target = tmp_path / "bold.pdf"
    SimpleDocTemplate(str(target)).build([fonts.paragraph("محمد שרה प्रिया สมศรี", style)])
    names = run("pdffonts", target)
    for font in ("NotoSansArabic-Bold", "NotoSansHebrew-Bold", "NotoSansDevanagari-Bold"):
        assert font in names, names
    assert "Regular" not in names


def test_fonts_come_from_the_bundle_in_order() -> None:
    assert [f.name for f in fonts_module.BUNDLED][:4] == [
        "SafetyArabic",
        "SafetyHebrew",
        "SafetyDevanagari",
        "SafetyThai",
    ]
