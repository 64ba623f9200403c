"""The blank paper checklist read back page by page, as a caregiver or an OT would use it:
warning signs with what to do, the answer that points to a problem marked on every question,
a line with room to write each note on, room sheets that can be copied, measurements with their
ranges, readable sizes, and the code on every page that says which page it is."""

from __future__ import annotations

import functools
import math
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from safetycheck.content import Content
from safetycheck.domain.checklist import AnswerType, Item, Mode, Page
from safetycheck.domain.steps import StepKind, blank_steps
from safetycheck.reports.checklist_pdf import (
    BOX_COLUMN,
    CELL_PADDING,
    CODE_FROM_TOP,
    CODE_SIZE,
    QUESTION_WIDTH,
    BlankChecklistRenderer,
    PageCode,
    qr_codewords,
    qr_modules,
    read_page_code,
    reference_range,
)
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.layout import MARGIN, PAGE_WIDTH
from safetycheck.services.reports import write_checklist_pdf

MM = 72 / 25.4  # points
FOOTER_TOP = 13 * MM  # the footer rule, in points from the bottom
FEWEST_WORDS = 40  # a page with less is a stranded line, not a sheet to fill in
WRITING_ROOM = 7 * MM  # clear paper above a note's line: handwriting needs about 7 mm
WARNING = "\u26a0"


@dataclass(frozen=True)
class Word:
    """One word as pdftotext finds it, in points from the page's top left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(eq=False)
class Blank:
    mode: Mode
    pdf: Path
    codes: list[PageCode]
    pages: list[str]  # each page's text, whitespace flattened

    def page_of(self, number: int) -> str:
        return self.pages[number - 1]

    @functools.cached_property
    def words(self) -> list[list[Word]]:
        """Each page's words, in reading order."""
        xml = subprocess.run(
            ["pdftotext", "-bbox", str(self.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        namespace = {"x": "http://www.w3.org/1999/xhtml"}
        return [
            [
                Word(
                    word.text or "",
                    *(float(word.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax")),
                )
                for word in page.iterfind("x:word", namespace)
            ]
            for page in ElementTree.fromstring(xml).iterfind(".//x:page", namespace)
        ]


def flat(text: str) -> str:
    return " ".join(text.split())


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [flat(page) for page in text.split("\f")[:-1]]  # the last "page" follows the last \f


@pytest.fixture(scope="module", params=[Mode.CAREGIVER, Mode.OT], ids=lambda m: m.value)
def blank(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, content: Content
) -> Blank:
    mode: Mode = request.param
    pdf = tmp_path_factory.mktemp("blank") / f"{mode.value}.pdf"
    renderer = BlankChecklistRenderer(FontSet())
    with pdf.open("wb") as target:
        renderer.render(content.checklist, mode, target, content.model.stratification.gait)
    return Blank(mode, pdf, renderer.page_codes, page_texts(pdf))


def asked(content: Content, mode: Mode) -> list[Item]:
    return [item for step in blank_steps(content.checklist, mode) for item in step.items]


def own_text(blank: Blank, item: Item) -> str:
    """What the paper says for one question: from the note line before it to its code."""
    text = " ".join(blank.pages)
    end = text.index(f"Code {item.id} ")
    start = max(text.rfind("Note:", 0, end), text.rfind("N/A", 0, end))  # N/A: the table head
    return text[start:end]


def test_a_page_for_every_page_and_a_code_for_every_page(blank: Blank) -> None:
    assert len(blank.codes) == len(blank.pages)
    assert [code.page for code in blank.codes] == list(range(1, len(blank.pages) + 1))
    assert {code.mode for code in blank.codes} == {blank.mode}
    for number, page in enumerate(blank.pages, start=1):
        assert f"Page {number} of {len(blank.pages)}" in page


def test_no_page_is_blank_or_a_stranded_line(blank: Blank) -> None:
    for number, page in enumerate(blank.pages, start=1):
        words = len(page.split())
        assert words >= FEWEST_WORDS, f"page {number} holds only {words} words: {page[:200]}"
        if number > 1:  # after the first page, every page asks at least two questions
            assert len(re.findall(r"Code [a-z0-9_.]+ Note:", page)) >= 2, f"page {number}"


def test_headings_stay_with_their_questions(blank: Blank, content: Content) -> None:
    titles = {
        step.title
        for step in blank_steps(content.checklist, blank.mode)
        if step.kind in (StepKind.PERSON, StepKind.HOME_CHECKS, StepKind.FOOTWEAR, StepKind.BRACE)
    }
    for number, page in enumerate(blank.pages, start=1):
        for title in titles:
            at = page.find(f"{title} Question")  # the heading, not "(continued)"
            if at >= 0:
                assert "Code " in page[at:], f"{title!r} is stranded at the foot of page {number}"


def test_every_warning_sign_says_what_to_do_if_yes(blank: Blank, content: Content) -> None:
    flagged = 0
    for item in asked(content, blank.mode):
        own = own_text(blank, item)
        if item.red_flag is None:
            assert "Warning sign" not in own, item.id
            continue
        flagged += 1
        tier = content.checklist.urgency(item.red_flag.urgency)
        assert f"\u26a0 Warning sign. If Yes: {tier.title}." in own, item.id
        assert flat(tier.advice) in own, item.id
    assert flagged >= 6
    first = blank.page_of(1)
    assert "Warning signs: what to do if the answer is Yes" in first
    for tier in content.checklist.urgencies:
        assert f"{tier.title}: {flat(tier.advice)}" in first


def problem_head(item: Item) -> str | None:
    """The box of a yes/no question whose answer points to a problem, from the content rules
    (docs/content-format.md): a check's No finds its hazard, a warning sign's Yes is the sign,
    and a fact's answers that mean no problem are its `safe` ones (by default No)."""
    if item.type is AnswerType.CHECK:
        return "No"
    if item.red_flag is not None:
        return "Yes"
    other: dict[tuple[str, ...], str] = {("no",): "Yes", ("yes",): "No"}
    return other.get(item.safe_values)


def test_every_yes_no_question_marks_the_answer_that_is_a_problem(
    blank: Blank, content: Content
) -> None:
    """Under the boxes of each question answered Yes or No: "⚠ if No" (or Yes), under that
    answer's own column and above the question's code, and on no other question."""
    centres = {
        head: MARGIN + QUESTION_WIDTH + (n + 0.5) * BOX_COLUMN
        for n, head in enumerate(("Yes", "No", "N/A"))
    }
    marked: list[tuple[str, str]] = []
    for number, words in enumerate(blank.words[1:], start=2):  # page 1 explains the marks
        codes = [
            (word.y0, words[n + 1].text)
            for n, word in enumerate(words[:-1])
            if word.text == "Code" and word.x0 < MARGIN + 5 * MM
        ]
        for n, word in enumerate(words[:-2]):
            if word.text != WARNING or words[n + 1].text != "if":
                continue
            answer = words[n + 2]
            centre = (word.x0 + answer.x1) / 2
            where = f"page {number}, {word.y0:.0f} pt"
            assert abs(centre - centres[answer.text]) < BOX_COLUMN / 2, where
            _, code = min((y, code) for y, code in codes if y > word.y0)  # its own code line
            marked.append((code, answer.text))
    expected = [
        (item.id, head)
        for item in asked(content, blank.mode)
        if item.type in (AnswerType.CHECK, AnswerType.YESNO)
        and (head := problem_head(item)) is not None
    ]
    assert Counter(marked) == Counter(expected)
    assert len(expected) == len(
        [i for i in asked(content, blank.mode) if i.type in (AnswerType.CHECK, AnswerType.YESNO)]
    )
    marks = dict(marked)
    for item_id, head in (
        ("brace.skin.damage", "Yes"),  # a warning sign
        ("brace.skin.fade20", "No"),  # on the same page, the other way round
        ("steadi.si.01", "Yes"),  # a fact that adds to the falls score
        ("person.fd.seen", "No"),  # a fact whose `safe` answer is Yes
        ("room.floors.rugs", "No"),
    ):
        assert marks[item_id] == head, item_id
    # Page 1 says how to read the marks, and what it says of the room sheets holds.
    first = blank.page_of(1)
    assert (
        f"{WARNING} if No or {WARNING} if Yes under the boxes shows which answer points to a "
        "problem" in first
    )
    assert "On the room sheets No is always the problem." in first
    assert "always means safe" not in first
    room = [i for i in asked(content, blank.mode) if i.page is Page.ROOM]
    assert room
    assert all(problem_head(i) == "No" for i in room if i.type is not AnswerType.MEASURE)
    assert {i.type for i in room} <= {AnswerType.CHECK, AnswerType.MEASURE}


def test_every_answer_in_a_list_that_is_a_problem_is_marked(blank: Blank, content: Content) -> None:
    choices = [i for i in asked(content, blank.mode) if i.type is AnswerType.CHOICE]
    assert len(choices) >= 5
    marked = 0
    for item in choices:
        own = own_text(blank, item)
        safe = item.safe_values
        for option in item.options:
            problem = option.value in item.hazard_if or bool(safe and option.value not in safe)
            mark = re.search(f"{re.escape(option.label)} {WARNING}(?! if)", own)
            assert (mark is not None) is problem, (item.id, option.value)
            marked += problem
    assert marked >= 5
    indoor = own_text(blank, next(i for i in choices if i.id == "footwear.indoor"))
    assert f"Bare feet {WARNING}" in indoor
    assert f"non-slip sole {WARNING}" not in indoor
    falls = own_text(blank, next(i for i in choices if i.id == "person.falls.count"))
    assert WARNING not in falls  # a fact: no answer of it is a problem


def darkest_and_lightest(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """The darkest and the lightest pixel in a part (left, top, right, bottom) of a gray image."""
    darkest, lightest = image.crop(box).getextrema()
    assert isinstance(darkest, int)
    assert isinstance(lightest, int)
    return darkest, lightest


def test_every_note_has_a_line_with_room_to_write_on(
    blank: Blank, content: Content, tmp_path: Path
) -> None:
    """On the printed page: after each "Note:", a dark line at its foot, at least 5 cm long to
    where the question's words end, with 7 mm of clear paper above it."""
    dpi = 150
    scale = dpi / 72
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", str(blank.pdf), str(tmp_path / "page")],
        check=True,
    )  # plain PGM images: encoding PNGs would take most of the test's time
    images = sorted(tmp_path.glob("page-*.pgm"))
    assert len(images) == len(blank.words)
    right = math.floor((MARGIN + QUESTION_WIDTH - CELL_PADDING - 1 * MM) * scale)
    notes = 0
    for number, (path, words) in enumerate(zip(images, blank.words, strict=True), start=1):
        with Image.open(path) as image:
            gray = image.convert("L")
        for word in (word for word in words if word.text == "Note:"):
            notes += 1
            where = f"page {number}, note at {word.y0:.0f} pt"
            left = math.ceil((word.x1 + 2 * MM) * scale)
            assert right - left > 50 * MM * scale, where
            rows = range(math.floor((word.y1 - 2) * scale), math.ceil(word.y1 * scale) + 8)
            line = next(
                (y for y in rows if darkest_and_lightest(gray, (left, y, right, y + 1))[1] < 110),
                None,
            )  # the first row under the word that is dark all the way along (the rules: 154)
            assert line is not None, f"{where}: no line to write on"
            room = (left, line - math.ceil(WRITING_ROOM * scale), right, line - 2)
            assert darkest_and_lightest(gray, room)[0] > 235, f"{where}: under 7 mm to write in"
    assert notes == len(asked(content, blank.mode))


def test_every_room_sheet_has_its_name_line_and_ticks(blank: Blank, content: Content) -> None:
    rooms = [
        step for step in blank_steps(content.checklist, blank.mode) if step.kind is StepKind.ROOM
    ]
    sheets = [code for code in blank.codes if code.sheet is not None]
    assert {code.kinds for code in sheets if code.sheet == 1} == {
        (f"room:{step.room_id}",) for step in rooms
    }
    titles = {f"room:{step.room_id}": step.title for step in rooms}
    for code in sheets:
        page = blank.page_of(code.page)
        (kind,) = code.kinds  # one room to a sheet: it is copied for each room of its kind
        continued = code.sheet is not None and code.sheet > 1
        title = f"Room: {titles[kind]}" + (" (continued)" if continued else "")
        assert page.startswith(f"{title} Name of this room:"), page[:120]
        assert "on the night route" in page
        assert "stairs used every day" in page
    # Rooms on the home page are listed one a line (the ticks are on each room's sheet).
    home = next(page for page in blank.pages if page.startswith("The home "))
    assert "Name of the room" in home
    assert "Kind of room" in home


def test_steps_carried_over_say_continued(blank: Blank) -> None:
    for code in blank.codes[1:]:
        page = blank.page_of(code.page)
        previous = blank.codes[code.page - 2]
        if code.sheet is None and code.kinds[0] == previous.kinds[-1]:
            assert re.match(r"[A-Z][a-z ]+ \(continued\) Question", page), page[:80]


def test_person_details_and_the_title_in_words(blank: Blank) -> None:
    first = blank.page_of(1)
    for line in ("Person\u2019s name", "Year of birth", "Date of the visit", "Filled in by"):
        assert line in first
    expected = (
        "For the occupational therapist: every question, with the measurements."
        if blank.mode is Mode.OT
        else "For a caregiver or family member."
    )
    assert expected in first
    everything = " ".join(blank.pages)
    assert "version)" not in everything
    assert "ot version" not in everything.lower()
    # Conditions are written with the question's own words, never its id.
    assert not re.search(r"Only if [a-z]+\.[a-z_.]+", everything)
    assert (
        "Only if the answer to \u201cHave you fallen in the past year?\u201d is \u201cYes\u201d."
        in (everything)
    )
    info = subprocess.run(["pdfinfo", str(blank.pdf)], capture_output=True, text=True).stdout
    title = "for the occupational therapist" if blank.mode is Mode.OT else "for a caregiver"
    assert f"Title: Home safety checklist {title}" in flat(info)


def test_measurements_have_units_ranges_and_not_measured(blank: Blank, content: Content) -> None:
    gait = {test.item: test for test in content.model.stratification.gait}
    measures = [i for i in asked(content, blank.mode) if i.type is AnswerType.MEASURE]
    if blank.mode is Mode.CAREGIVER:
        assert measures == []
        return
    assert len(measures) >= 7
    for item in measures:
        own = own_text(blank, item)
        assert f"{item.label}:" in own, item.id
        assert "Not measured" in own, item.id
        assert ("mm inches" in own) is (item.unit == "mm"), item.id
        reference = reference_range(item, gait)
        assert reference, item.id
        assert flat(reference) in own, item.id
    everything = " ".join(blank.pages)
    assert (
        "Reference range: 840\u2013915 mm (about 33.1\u201336.0 in); a reading outside it "
        "needs attention." in everything
    )
    assert "Reference range: 430\u2013485 mm (about 16.9\u201319.1 in)" in everything
    assert "Reference: 15 seconds or less." in everything
    assert "Reference: 0.8 metres per second or more." in everything


def test_the_command_prints_the_gait_references(tmp_path: Path, content: Content) -> None:
    target = tmp_path / "ot.pdf"
    write_checklist_pdf(content, Mode.OT, target)
    assert "Reference: 15 seconds or less." in " ".join(page_texts(target))


def test_nothing_a_reader_needs_is_small(blank: Blank, content: Content) -> None:
    """Word heights (pdftotext's boxes are one font size tall): codes, conditions and notes
    10 pt and up above the footer, and every question and warning in 11 pt or larger."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(blank.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(xml)
    texts = {item.id: item.text for item in asked(content, blank.mode)}
    for tier in content.checklist.urgencies:
        texts[f"advice {tier.urgency}"] = flat(tier.advice)
    found = set()
    for number, page in enumerate(root.iterfind(".//x:page", namespace), start=1):
        height = float(page.attrib["height"])
        words: list[tuple[str, float]] = []
        for word in page.iterfind("x:word", namespace):
            if height - float(word.attrib["yMax"]) < FOOTER_TOP:
                continue  # the footer, drawn by the shared page layout
            size = float(word.attrib["yMax"]) - float(word.attrib["yMin"])
            assert size >= 9.9, f"page {number}: {word.text!r} is {size:.1f} pt"
            words.append((word.text or "", size))
        # A problem mark under the boxes ("⚠ if No") may come between a question's lines.
        texts_in_order = [text for text, _ in words]
        for n in range(len(words) - 2, -1, -1):
            if texts_in_order[n : n + 2] == [WARNING, "if"] and n + 2 < len(words):
                del words[n : n + 3]
        joined = " ".join(text for text, _ in words)
        starts = [0]
        for text, _ in words:
            starts.append(starts[-1] + len(text) + 1)
        for key, text in texts.items():
            at = joined.find(text)
            while at >= 0:
                if joined[at - 1 : at] != "\u201c":  # not a condition quoting the question
                    found.add(key)
                    covered = [
                        size
                        for (_, size), s in zip(words, starts[:-1], strict=True)
                        if at <= s < at + len(text)
                    ]
                    assert min(covered) > 10.9, f"page {number}: {text[:40]!r} under 11 pt"
                at = joined.find(text, at + 1)
    assert found == set(texts), sorted(set(texts) - found)


# ---- the page codes -----------------------------------------------------------------------------


def test_page_code_payload_and_reading_it_back() -> None:
    code = PageCode("2.2", Mode.OT, 15, ("room:bathroom",), 2)
    assert code.payload == "sc-checklist/1;v=2.2;m=ot;p=15;k=room:bathroom;s=2"
    assert read_page_code(code.payload) == code
    two = PageCode("2.2", Mode.CAREGIVER, 7, ("home", "home_checks"))
    assert two.payload == "sc-checklist/1;v=2.2;m=caregiver;p=7;k=home+home_checks"
    assert read_page_code(two.payload) == two
    for bad in ("", "hello", "sc-checklist/2;v=2.2", "sc-checklist/1;v=2.2;m=ot;p=x;k=home"):
        with pytest.raises(ValueError, match="checklist page code"):
            read_page_code(bad)


def test_page_codes_name_what_is_on_the_page(blank: Blank, content: Content) -> None:
    assert blank.codes[0].kinds == ("cover",)
    version = content.checklist.version
    for code in blank.codes:
        assert code.version == version
        assert read_page_code(code.payload) == code
        assert len(code.payload.encode()) <= 62  # a version 4 code at level M: 33 modules
        page = blank.page_of(code.page)
        if "home_checks" in code.kinds:
            assert "Around the home" in page
        if code.kinds == ("person",):
            assert "Code steadi." in page or "Code person." in page


def test_qr_codewords_match_reportlabs_encoder() -> None:
    """The table-driven error correction gives ReportLab's own codewords, at every level and
    for one and several blocks."""
    from reportlab.graphics.barcode import qrencoder

    for length in (1, 17, 46, 62, 84, 150):
        payload = ("sc-checklist/1;v=2.2;m=caregiver;p=12;k=room:garage_yard;s=3" * 3)[:length]
        for level in (0, 1, 2, 3):  # M, L, H, Q
            code = qrencoder.QRCode(None, level)
            code.addData(qrencoder.QR8bitByte(payload))
            version = code.calculate_version()
            expected = qrencoder.QRCode.createData(version, level, [qrencoder.QR8bitByte(payload)])
            assert qr_codewords(payload, version, level) == expected, (length, level)


def test_every_page_carries_its_own_code(blank: Blank, tmp_path: Path) -> None:
    """Read each code back from the printed page: the module at every cell centre of the
    corner, rendered at 200 dpi, is dark exactly where the code of that page's payload is."""
    dpi = 200
    scale = dpi / 72
    left = PAGE_WIDTH - MARGIN - CODE_SIZE
    x0, y0 = math.floor(left * scale) - 2, math.floor(CODE_FROM_TOP * scale) - 2
    side = math.ceil(CODE_SIZE * scale) + 4
    stem = tmp_path / "corner"
    crop = ["-x", str(x0), "-y", str(y0), "-W", str(side), "-H", str(side)]
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), *crop, "-gray", "-png", str(blank.pdf), str(stem)],
        check=True,
    )
    corners = sorted(tmp_path.glob("corner-*.png"))
    assert len(corners) == len(blank.codes)
    for corner, code in zip(corners, blank.codes, strict=True):
        modules = qr_modules(code.payload)
        cell = CODE_SIZE / len(modules)
        with Image.open(corner) as image:
            gray = image.convert("L")

        def dark_at(x: float, y: float, gray: Image.Image = gray) -> bool:
            value = gray.getpixel((int(x * scale) - x0, int(y * scale) - y0))
            assert isinstance(value, int)
            return value < 128

        wrong = [
            (r, c)
            for r, row in enumerate(modules)
            for c, dark in enumerate(row)
            if dark_at(left + (c + 0.5) * cell, CODE_FROM_TOP + (r + 0.5) * cell) is not dark
        ]
        assert wrong == [], f"page {code.page}: {len(wrong)} modules differ"
