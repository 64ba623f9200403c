"""The blank printable checklist: the same items, codes and order as the walkthrough.

Every page carries a small QR code in its top right corner that says which page it is (the
format is in docs/content-format.md, "Page codes of the paper checklist"), so that filled sheets
can be read back later. Each room has its own sheets: every one of them, continued sheets too,
repeats the room's name line and its night-route and daily-stairs ticks, because a reader copies
them once for each room of that kind. A question marks the answers that point to a problem
("⚠ if No" under its boxes; problem_answers), and every question has a ruled line for a note.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import Flowable, PageBreakIfNotEmpty

from safetycheck.domain.checklist import AnswerType, Checklist, Item, Mode
from safetycheck.domain.steps import Step, StepKind, blank_steps
from safetycheck.domain.stratification import GaitTest
from safetycheck.reports.fonts import BOLD, FontSet
from safetycheck.reports.layout import (
    FRAME_WIDTH,
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RED,
    RED_TINT,
    RULE,
    TickBox,
    numbered_canvas,
    styles,
)

BOX_COLUMN = 11 * mm
QUESTION_WIDTH = FRAME_WIDTH - 3 * BOX_COLUMN
CELL_PADDING = 6  # ReportLab's default cell padding, left and right (points)
TOP_MARGIN = 22 * mm  # the page code sits in it
BOTTOM_MARGIN = 20 * mm  # the footer (layout.NumberedCanvas) sits in it
ROOM_HEADER = 19 * mm  # a room sheet's title, name line and ticks, drawn on every sheet
CODE_SIZE = 14 * mm  # the QR code's dark modules; its quiet zone lies in the margins
CODE_FROM_TOP = 6 * mm  # clear of the edge most printers cannot print on
CODE_MASK = 0  # any of the eight masks reads; choosing the "best" costs 8 encodings a page
MM_PER_INCH = 25.4
NOTE_AT = 62 * mm  # where "Note:" starts, after the code
NOTE_HEIGHT = 7 * mm  # the room above a note's line to write in, by hand
BOX = 4.2 * mm  # a tick box's side, as layout.TickBox draws it
BOX_HEADS = (("yes", "Yes"), ("no", "No"), ("na", "N/A"))  # the box columns, in order
ROOM_ROWS = 12  # lines for rooms on the home page
UNIT_WORDS = {"s": "seconds", "m/s": "metres per second"}
WARNING = "\u26a0"  # ⚠: in DejaVu Sans; the mark is words and a shape, not colour alone


# ---- the page codes -----------------------------------------------------------------------------

CODE_FORMAT = "sc-checklist/1"


@dataclass(frozen=True, slots=True)
class PageCode:
    """What the QR code of one page says.

    kinds: the steps with questions on the page, in order ("cover", "person", "home",
        "home_checks", "room:<room kind>", "footwear", "brace").
    sheet: on a room's sheets, which of them (1 the first, 2 its first continued sheet).
    """

    version: str
    mode: Mode
    page: int
    kinds: tuple[str, ...]
    sheet: int | None = None

    @property
    def payload(self) -> str:
        fields = [
            CODE_FORMAT,
            f"v={self.version}",
            f"m={self.mode.value}",
            f"p={self.page}",
            f"k={'+'.join(self.kinds)}",
        ]
        if self.sheet is not None:
            fields.append(f"s={self.sheet}")
        return ";".join(fields)


def read_page_code(payload: str) -> PageCode:
    """The page a code's text names; ValueError when it is not a page code of this format."""
    head, *fields = payload.split(";")
    if head != CODE_FORMAT:
        raise ValueError(f"not a checklist page code: {payload!r}")
    values = dict(field.split("=", 1) for field in fields if "=" in field)
    try:
        sheet = values.get("s")
        return PageCode(
            values["v"],
            Mode(values["m"]),
            int(values["p"]),
            tuple(values["k"].split("+")),
            int(sheet) if sheet is not None else None,
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"incomplete checklist page code: {payload!r}") from exc


# GF(256) with the QR code's polynomial x^8 + x^4 + x^3 + x^2 + 1, for the error correction.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


@functools.cache
def _generator(degree: int) -> tuple[int, ...]:
    """The Reed-Solomon generator polynomial (x + a^0)...(x + a^(degree-1)): a constant."""
    poly = [1]
    for power in range(degree):
        product = [*poly, 0]
        for j, coefficient in enumerate(poly):
            if coefficient:
                product[j + 1] ^= _EXP[_LOG[coefficient] + power]
        poly = product
    return tuple(poly)


def _error_correction(data: list[int], degree: int) -> list[int]:
    generator = [_LOG[c] for c in _generator(degree)[1:]]
    remainder = [*data, *([0] * degree)]
    for i in range(len(data)):
        coefficient = remainder[i]
        if coefficient:
            shift = _LOG[coefficient]
            for j, logarithm in enumerate(generator, start=i + 1):
                remainder[j] ^= _EXP[shift + logarithm]
    return remainder[len(data) :]


def qr_codewords(payload: str, version: int, level: int) -> list[int]:
    """The codewords of a byte-mode QR code (data, then error correction, interleaved by
    block), as ReportLab's qrencoder.QRCode.createData makes them (a test compares the two),
    with a table-driven Reed-Solomon step: ReportLab's polynomial arithmetic took a third of
    the checklist's render time."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    capacity = sum(block.dataCount for block in blocks)
    data = payload.encode("utf-8")
    bits = "0100" + format(len(data), "08b" if version < 10 else "016b")
    bits += "".join(format(byte, "08b") for byte in data)
    if len(bits) > capacity * 8:
        raise ValueError(f"{len(data)} bytes do not fit a version {version} code")
    bits += "0" * min(4, capacity * 8 - len(bits))
    bits += "0" * (-len(bits) % 8)
    stream = [int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)]
    stream += [(0xEC, 0x11)[n % 2] for n in range(capacity - len(stream))]
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = stream[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(chunk)
        ec_blocks.append(_error_correction(chunk, block.totalCount - block.dataCount))
    words = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            words += [b[i] for b in group if i < len(b)]
    return words


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code's modules, row by row (True: dark), error correction level M (15%)."""
    level = qrencoder.QRErrorCorrectLevel.M
    code = qrencoder.QRCode(None, level)
    code.addData(qrencoder.QR8bitByte(payload))
    code.version = code.calculate_version()
    code.dataCache = qr_codewords(payload, code.version, level)
    code.makeImpl(False, CODE_MASK)
    modules: list[list[bool]] = code.modules
    return modules


def draw_qr(canvas: Any, payload: str, right: float, top: float, size: float) -> None:
    """One filled path of the dark runs, black on white: no font, crisp at any zoom.

    The path is written in module units (one module a unit, rows downwards from the code's top
    left corner): ReportLab's own number formatting of ~400 rectangles was most of a page's
    drawing time."""
    modules = qr_modules(payload)
    runs = []
    for r, row in enumerate(modules):
        column = 0
        for dark, run in itertools.groupby(row):
            count = sum(1 for _ in run)
            if dark:
                runs.append(f"{column} {r} {count} 1 re")
            column += count
    cell = size / len(modules)
    canvas.saveState()
    canvas.setFillColor(black)
    canvas.transform(cell, 0, 0, -cell, right - size, top)
    canvas.addLiteral(" ".join(runs) + " f")
    canvas.restoreState()


# ---- words --------------------------------------------------------------------------------------


def _answer_words(subject: Item, values: tuple[str, ...]) -> str:
    if subject.type is AnswerType.CHOICE:
        labels = [subject.option_label(v) for v in values]
    else:
        labels = [{"yes": "Yes", "no": "No", "na": "Not applicable"}.get(v, v) for v in values]
    return " or ".join(f"\u201c{label}\u201d" for label in labels)


def condition_words(item: Item, checklist: Checklist) -> str:
    """When the question is asked, in words: the question it depends on and the answer."""
    words = []
    for condition in item.applies_if:
        if condition.subject == "mode" or not checklist.has_item(condition.subject):
            continue
        subject = checklist.item(condition.subject)
        answer = _answer_words(subject, condition.values)
        verb = "is not" if condition.operator == "!=" else "is"
        words.append(f"the answer to \u201c{subject.text}\u201d {verb} {answer}")
    return ("Only if " + ", and ".join(words) + ".") if words else ""


def flag_words(item: Item, checklist: Checklist) -> tuple[str, str]:
    """A warning-sign question's mark: what to do on the answer that is the sign, and how."""
    assert item.red_flag is not None
    tier = checklist.urgency(item.red_flag.urgency)
    labels = " or ".join(
        item.option_label(v)
        if item.type is AnswerType.CHOICE
        else {"yes": "Yes", "no": "No"}.get(v, v)
        for v in item.red_flag.values
    )
    return f"{WARNING} Warning sign. If {labels}: {tier.title}.", tier.advice


def problem_answers(item: Item) -> tuple[str, ...]:
    """The answers that point to a problem, in the item's order: those that find its hazard or
    raise its warning sign, and where some answers mean no problem (Item.safe_values), every
    other one. Empty for a question that records a fact, and for a measurement (its reference
    range says it)."""
    found = set(item.hazard_if) | set(item.red_flag.values if item.red_flag else ())
    safe = item.safe_values
    return tuple(v for v in item.allowed_values() if v in found or (safe and v not in safe))


def problem_words(item: Item) -> str:
    """The mark under a yes/no question's boxes: which answer points to a problem ("" none)."""
    heads = dict(BOX_HEADS)
    boxed = [value for value in problem_answers(item) if value in heads]
    return f"{WARNING} if {' or '.join(heads[v] for v in boxed)}" if boxed else ""


def _number(value: float) -> str:
    return f"{value:g}"


def _inches(value: float) -> str:
    return f"{value / MM_PER_INCH:.1f}"


def reference_range(item: Item, gait: Mapping[str, GaitTest]) -> str:
    """The range the program judges a measurement against, in words (empty: none).

    A room measurement is a hazard under `hazard_below` or over `hazard_above`
    (assessment.is_hazard), so its range is inclusive at both ends; a gait test is impaired over
    or under its cut-off (model.toml)."""
    test = gait.get(item.id)
    unit = UNIT_WORDS.get(item.unit, item.unit)
    if test is not None:
        if test.impaired_above is not None:
            limit = _number(test.impaired_above)
            return (
                f"Reference: {limit} {unit} or less. Over {limit} {unit}, walking and balance "
                "count as impaired."
            )
        if test.impaired_below is not None:
            limit = _number(test.impaired_below)
            return (
                f"Reference: {limit} {unit} or more. Under {limit} {unit}, walking and balance "
                "count as impaired."
            )
        return ""
    low, high = item.hazard_below, item.hazard_above
    inches = item.unit == "mm"
    if low is not None and high is not None:
        about = f" (about {_inches(low)}\u2013{_inches(high)} in)" if inches else ""
        return (
            f"Reference range: {_number(low)}\u2013{_number(high)} {unit}{about}; a reading "
            "outside it needs attention."
        )
    if high is not None:
        about = f" (about {_inches(high)} in)" if inches else ""
        return (
            f"Reference range: {_number(high)} {unit} or less{about}; "
            f"a reading over {_number(high)} {unit} needs attention."
        )
    if low is not None:
        about = f" (about {_inches(low)} in)" if inches else ""
        return (
            f"Reference range: {_number(low)} {unit} or more{about}; "
            f"a reading under {_number(low)} {unit} needs attention."
        )
    return ""


def checklist_styles() -> dict[str, ParagraphStyle]:
    """The plan's stylesheet at paper-checklist sizes: questions, warnings and body text 11 pt,
    codes, conditions and notes 10 pt (large enough to read and to type back in)."""
    s = styles()

    def derive(name: str, parent: str = "body", **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(f"checklist_{name}", parent=s[parent], **changes)

    return {
        "title": s["title"],
        "h1": derive("h1", "h1", keepWithNext=1),
        "h2": derive("h2", "h2", keepWithNext=1),
        "subtitle": derive("subtitle", fontSize=13, leading=17),
        "body": derive("body", fontSize=11, leading=14.5),
        "bullet": derive(
            "bullet", fontSize=11, leading=14.5, leftIndent=5 * mm, bulletIndent=1 * mm
        ),
        "help": derive("help", fontSize=10.5, leading=13.5, textColor=MUTED),
        "question": derive("question", fontSize=11, leading=14),
        "head": derive("head", fontName=BOLD, fontSize=11, leading=14),
        "head_box": derive("head_box", fontName=BOLD, fontSize=11, leading=14, alignment=1),
        "code": derive("code", fontSize=10, leading=12.5),
        "mark": derive("mark", fontName=BOLD, fontSize=10, leading=12.5),
        "condition": derive("condition", fontSize=10, leading=12.5),
        "reference": derive("reference", fontSize=10, leading=12.5),
        "label": derive("label", fontSize=10.5, leading=13),
        "flag": derive("flag", fontName=BOLD, fontSize=11, leading=14),
        "flag_advice": derive("flag_advice", fontSize=11, leading=14),
        "flag_tier": derive("flag_tier", "flag_tier"),
        "continued": derive("continued", fontName=BOLD, fontSize=11, leading=14),
    }


def stroke(canvas: Any, colour: Color, width: float, path: str) -> None:
    """Stroke a path written in PDF's own operators, from a flowable's draw: ReportLab wraps
    that in a saved graphics state, so the colour and width set here end with it. Drawn with
    ReportLab's calls, which format each number slowly, the note lines and boxes made the
    render 8% slower."""
    red, green, blue = colour.rgb()
    canvas.addLiteral(f"{red:.3f} {green:.3f} {blue:.3f} RG {width:g} w {path} S")


class CodeAndNote(Flowable):
    """The line under a question: its code, then "Note:" at a fixed place and a ruled line to
    write the note on, as wide as the question's words, with NOTE_HEIGHT of room above it.
    Either side of the note the line is the light rule that parts one question from the next.

    Drawn as two strings, not a paragraph: the codes are ASCII (the content's ids), and a
    hundred paragraphs with markup cost a tenth of the render. It fills its cell, padding and
    all (the cell has none): the lines run from edge to edge."""

    LABEL = "Note:"

    def __init__(self, code: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.code = code
        self.style = style
        self.note_at = CELL_PADDING + max(
            stringWidth(code, style.fontName, style.fontSize) + 8 * mm, NOTE_AT
        )
        self.line_at = self.note_at + stringWidth(self.LABEL, style.fontName, style.fontSize)
        self.line_at += 1.5 * mm

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, NOTE_HEIGHT

    def draw(self) -> None:
        c = self.canv
        baseline = self.style.leading - self.style.fontSize  # clear of the line, descenders too
        c.setFont(self.style.fontName, self.style.fontSize)
        c.setFillColor(self.style.textColor)
        c.drawString(CELL_PADDING, baseline, self.code)
        c.setFillColor(MUTED)
        c.drawString(self.note_at, baseline, self.LABEL)
        start, end = f"{self.line_at:.2f}", f"{self.width - CELL_PADDING:.2f}"  # end: the words'
        stroke(c, RULE, 0.4, f"0 0 m {start} 0 l {end} 0 m {self.width:.2f} 0 l")
        stroke(c, INK, 0.6, f"{start} 0 m {end} 0 l")


class AnswerBoxes(Flowable):
    """A question's tick boxes, one under each of the Yes, No and N/A heads, and under the box
    of the answer that points to a problem, "⚠ if No" (or Yes) with that box drawn heavier:
    words and shapes, so the mark survives a black-and-white copy.

    One flowable for the three columns: three box cells cost more to lay out than to draw."""

    def __init__(self, answers: tuple[str, ...], item: Item, style: ParagraphStyle) -> None:
        super().__init__()
        self.answers = answers
        self.problems = [v for v in problem_answers(item) if v in answers]
        self.words = problem_words(item)
        self.style = style

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = BOX + (self.style.leading if self.words else 0)  # the mark close under
        return self.width, self.height

    def centre(self, value: str) -> float:
        column = [head for head, _ in BOX_HEADS].index(value)
        centre: float = (column + 0.5) * BOX_COLUMN
        return centre

    def draw(self) -> None:
        c = self.canv
        for value in self.answers:
            left, bottom = self.centre(value) - BOX / 2, self.height - BOX
            width = 1.8 if value in self.problems else 0.9
            stroke(c, INK, width, f"{left:.2f} {bottom:.2f} {BOX:.2f} {BOX:.2f} re")
        if not self.words:
            return
        font, size = self.style.fontName, self.style.fontSize
        half = stringWidth(self.words, font, size) / 2
        centre = sum(self.centre(v) for v in self.problems) / len(self.problems)
        # Into the question's cell padding at most, never over its words.
        centre = min(max(centre, half - CELL_PADDING + 1), self.width - half)
        c.setFont(font, size)
        c.setFillColor(INK)
        c.drawCentredString(centre, self.style.leading - size, self.words)


# ---- the document -------------------------------------------------------------------------------


class StepMark(ActionFlowable):
    """Where a step begins in the story; never drawn (the document notes it)."""

    def __init__(self, key: str, title: str, room: bool = False) -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.room = room

    def apply(self, doc: Any) -> None:
        doc.begin_step(self)


class ChecklistDocument(BaseDocTemplate):
    """Two page templates: plain pages, and room sheets with room left for the room's header.

    At the end of each page it draws what depends on the page's content: the room header
    (with "(continued)" on a room's later sheets), "… (continued)" above a step carried over
    from the page before, and the page code."""

    def __init__(self, target: BinaryIO, renderer: BlankChecklistRenderer, **info: Any) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            **info,
        )
        height = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
        padding = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        plain = Frame(MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, height, id="plain", **padding)
        room = Frame(MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, height - ROOM_HEADER, id="room", **padding)
        self.addPageTemplates(
            [
                PageTemplate("plain", [plain], onPage=self.page_begins, onPageEnd=self.page_ends),
                PageTemplate("room", [room], onPage=self.page_begins, onPageEnd=self.page_ends),
            ]
        )
        self.renderer = renderer
        self.codes: list[PageCode] = []
        self.current: StepMark | None = None
        self.kinds: list[str] = []
        self.opened = False  # a step began on this page before anything was drawn
        self.drawn = False  # something was drawn on this page
        self.continues = False  # the page's first content carries on the step before
        self.sheet = 0

    def begin_step(self, mark: StepMark) -> None:
        self.current = mark
        if not self.drawn:
            self.opened = True

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        if self.current is None or not isinstance(flowable, (Paragraph, Table)):
            return
        if not self.drawn:
            self.drawn = True
            self.continues = not self.opened
        if not self.kinds or self.kinds[-1] != self.current.key:
            self.kinds.append(self.current.key)

    def page_begins(self, _canvas: Any, _doc: Any) -> None:
        self.kinds, self.opened, self.drawn, self.continues = [], False, False, False

    def page_ends(self, canvas: Any, _doc: Any) -> None:
        mark = self.current
        assert mark is not None, "the story starts with a step mark"
        sheet = None
        if mark.room:
            self.sheet = 1 if self.opened else self.sheet + 1
            sheet = self.sheet
            self.renderer.draw_room_header(canvas, mark.title, continued=sheet > 1)
        elif self.continues:
            self.renderer.draw_continued(canvas, mark.title)
        code = PageCode(
            self.renderer.version,
            self.renderer.mode,
            self.page,
            tuple(self.kinds) or (mark.key,),
            sheet,
        )
        self.codes.append(code)
        draw_qr(canvas, code.payload, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - CODE_FROM_TOP, CODE_SIZE)


def _draw_flowables(canvas: Any, flowables: Iterable[Flowable], top: float) -> float:
    """Draw flowables one under the other from `top`; returns where the last one ended."""
    y = top
    for flowable in flowables:
        _, height = flowable.wrapOn(canvas, FRAME_WIDTH, PAGE_HEIGHT)
        y -= height
        flowable.drawOn(canvas, MARGIN, y)
    return y


class BlankChecklistRenderer:
    """Lays out every item of one mode, page by page, in walkthrough order."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.s = checklist_styles()
        self.version = ""
        self.mode = Mode.CAREGIVER
        self.gait: dict[str, GaitTest] = {}
        self.page_codes: list[PageCode] = []  # of the last render, one a page

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(self.fonts.markup(text), self.s[style])

    # -- questions --

    def question(self, item: Item, checklist: Checklist) -> list[Flowable]:
        parts: list[Flowable] = [self.p(item.text, "question")]
        words = condition_words(item, checklist)
        if words:
            parts.append(self.p(words, "condition"))
        if item.red_flag is not None:
            parts += [Spacer(1, 1.5 * mm), self.flag_mark(item, checklist), Spacer(1, 1 * mm)]
        return parts

    def flag_mark(self, item: Item, checklist: Checklist) -> Table:
        """A framed mark with a heavy bar and a warning symbol: it reads in black and white."""
        mark, advice = flag_words(item, checklist)
        box = Table(
            [[self.p(mark, "flag")], [self.p(advice, "flag_advice")]],
            colWidths=[QUESTION_WIDTH - 2 * CELL_PADDING],
            hAlign="LEFT",
        )
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, RED),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, RED),
                    ("BACKGROUND", (0, 0), (-1, -1), RED_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 7),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        return box

    def code_and_note(self, item: Item) -> CodeAndNote:
        return CodeAndNote(f"Code {item.id}", self.s["code"])

    def choices(self, item: Item) -> Table:
        """One box an answer; ⚠ after each answer that points to a problem."""
        problems = problem_answers(item)
        rows = [
            [
                TickBox(),
                Paragraph(
                    self.fonts.markup(option.label)
                    + (f" <b>{WARNING}</b>" if option.value in problems else ""),
                    self.s["question"],
                ),
            ]
            for option in item.options
        ]
        options = Table(rows, colWidths=[7 * mm, FRAME_WIDTH - 2 * CELL_PADDING - 7 * mm])
        options.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return options

    def measurement(self, item: Item) -> list[Flowable]:
        """The blank with its unit (mm or inches, ticked), a "not measured" box, the range."""
        label = f"{item.label or 'Measured'}:"
        cells: list[Flowable | str] = [self.p(label, "question"), ""]
        widths = [0.0, 32 * mm]  # the label takes what the rest leaves, at most its width
        if item.unit == "mm":  # the blank takes either; the program converts inches
            cells += [TickBox(), self.p("mm", "question"), TickBox(), self.p("inches", "question")]
            widths += [9 * mm, self.width("mm"), 7 * mm, self.width("inches")]
        else:
            unit = UNIT_WORDS.get(item.unit, item.unit)
            cells.append(self.p(unit, "question"))
            widths.append(self.width(unit) + 4 * mm)
        cells += [TickBox(), self.p("Not measured", "question")]
        widths += [9 * mm, self.width("Not measured")]
        widths[0] = min(self.width(label), FRAME_WIDTH - 2 * CELL_PADDING - sum(widths))
        line = Table([cells], colWidths=widths, hAlign="LEFT")
        line.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ("LEFTPADDING", (2, 0), (2, 0), 2 * mm),
                    ("LINEBELOW", (1, 0), (1, 0), 0.6, black),
                ]
            )
        )
        parts: list[Flowable] = [Spacer(1, 1 * mm), line, Spacer(1, 1.5 * mm)]
        reference = reference_range(item, self.gait)
        if reference:
            parts.append(self.p(reference, "reference"))
        return parts

    def items_table(self, items: list[Item], checklist: Checklist) -> Table:
        """Two rows a question: the question, and under it its code and note line; the boxes
        take the height of both, and the two never part at a page break."""
        rows: list[list[Any]] = [
            [self.p("Question", "head"), *(self.p(head, "head_box") for _, head in BOX_HEADS)]
        ]
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (1, 0), (-1, 0), 1),
            ("RIGHTPADDING", (1, 0), (-1, 0), 1),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ]
        for item in items:
            row = len(rows)
            question = self.question(item, checklist)
            if item.type in (AnswerType.CHECK, AnswerType.YESNO):
                answers = item.allowed_values()
                rows.append([question, AnswerBoxes(answers, item, self.s["mark"]), "", ""])
            else:
                extra = (
                    [Spacer(1, 1 * mm), self.choices(item)]
                    if item.type is AnswerType.CHOICE
                    else self.measurement(item)
                )
                rows.append([[*question, *extra], "", "", ""])
                commands.append(("SPAN", (0, row), (-1, row)))
            rows.append([self.code_and_note(item), "", "", ""])
            boxes = (1, row) if item.type in (AnswerType.CHECK, AnswerType.YESNO) else (1, row + 1)
            commands += [
                ("NOSPLIT", (0, row), (-1, row + 1)),
                ("BOTTOMPADDING", (0, row), (-1, row), 1),
                ("SPAN", boxes, (-1, row + 1)),
                ("LEFTPADDING", boxes, (-1, row + 1), 0),
                ("RIGHTPADDING", boxes, (-1, row + 1), 0),
                ("LEFTPADDING", (0, row + 1), (0, row + 1), 0),
                ("RIGHTPADDING", (0, row + 1), (0, row + 1), 0),
                ("TOPPADDING", (0, row + 1), (0, row + 1), 0),
                ("BOTTOMPADDING", (0, row + 1), (-1, row + 1), 0),
                ("LINEBELOW", (1, row + 1), (-1, row + 1), 0.4, RULE),
            ]
        table = Table(
            rows, colWidths=[QUESTION_WIDTH, BOX_COLUMN, BOX_COLUMN, BOX_COLUMN], repeatRows=1
        )
        table.setStyle(TableStyle(commands))
        return table

    # -- pages --

    def first_page(self, checklist: Checklist, mode: Mode) -> list[Flowable]:
        who = (
            "For the occupational therapist: every question, with the measurements."
            if mode is Mode.OT
            else "For a caregiver or family member."
        )
        story: list[Flowable] = [
            StepMark("cover", "Home safety checklist"),
            self.p("Home safety checklist", "title"),
            self.p(who, "subtitle"),
            self.p(f"Checklist version {checklist.version}.", "help"),
            Spacer(1, 3 * mm),
            self.person_details(),
            Spacer(1, 2 * mm),
            self.p("How to fill it in", "h2"),
        ]
        bullets = [
            # our own fixed wording, so markup is allowed here
            f"Tick one box for each question. <b>{WARNING} if No</b> or <b>{WARNING} if Yes</b> "
            "under the boxes shows which answer points to a problem; in a list of answers, "
            f"<b>{WARNING}</b> follows each answer that does.",
            "On the room sheets <b>No is always the problem</b>. Tick N/A when the thing is "
            "not in that room.",
            "For the questions about the person, tick the true answer. \u201cOnly if\u201d "
            "under a question says when to ask it; otherwise leave it out.",
            f"{WARNING} A question marked <b>Warning sign</b> asks about something that needs "
            "help: if the answer is Yes, do what the mark says straight away, then go on.",
            "Each room has its own sheets. Copy them for each room of that kind (two bedrooms: "
            "two copies) and write the room\u2019s name on every sheet.",
            "The code under each question is the program\u2019s own, so the answers can be "
            "typed in afterwards in the same order. The small square code at the top of each "
            "page tells the program which page it is.",
            "Write anything worth remembering on the note line.",
        ]
        if mode is Mode.OT:
            bullets.insert(  # before the codes
                len(bullets) - 2,
                "For a measurement, write the number and tick its unit; tick "
                "\u201cNot measured\u201d when it could not be measured or does not apply.",
            )
        story += [Paragraph(text, self.s["bullet"], bulletText="\u2022") for text in bullets]
        story += [Spacer(1, 3 * mm), self.warning_tiers(checklist)]
        return story

    def person_details(self) -> Table:
        """Who, when and by whom: written lines, as the program's first step asks."""
        rows = [
            [self.p("Person\u2019s name", "label"), "", self.p("Year of birth", "label"), ""],
            [self.p("Date of the visit", "label"), "", self.p("Filled in by", "label"), ""],
            [self.p("You are", "label"), self.role_ticks(), "", ""],
        ]
        table = Table(
            rows,
            colWidths=[34 * mm, 66 * mm, 30 * mm, FRAME_WIDTH - 130 * mm],
            rowHeights=[10 * mm, 10 * mm, 10 * mm],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (1, 0), (1, 1), 0.6, black),
                    ("LINEBELOW", (3, 0), (3, 1), 0.6, black),
                    ("LEFTPADDING", (2, 0), (2, 1), 4 * mm),
                    ("SPAN", (1, 2), (3, 2)),
                ]
            )
        )
        return table

    def role_ticks(self) -> Table:
        ticks = Table(
            [
                [
                    TickBox(),
                    self.p("Caregiver or family", "question"),
                    TickBox(),
                    self.p("Occupational therapist", "question"),
                ]
            ],
            colWidths=[7 * mm, 45 * mm, 7 * mm, 55 * mm],
            hAlign="LEFT",
        )
        ticks.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return ticks

    def warning_tiers(self, checklist: Checklist) -> Table:
        """What each warning-sign mark means, in the words of the plan and the program."""
        rows = [[self.p(f"{WARNING} Warning signs: what to do if the answer is Yes", "flag_tier")]]
        for tier in sorted(checklist.urgencies, key=lambda t: t.urgency.rank):
            title, advice = self.fonts.markup(tier.title), self.fonts.markup(tier.advice)
            rows.append([Paragraph(f"<b>{title}:</b> {advice}", self.s["body"])])
        box = Table(rows, colWidths=[FRAME_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.5, RED),
                    ("LINEBEFORE", (0, 0), (0, -1), 5, RED),
                    ("BACKGROUND", (0, 0), (-1, -1), RED_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return box

    def home_page(self, checklist: Checklist, step: Step) -> list[Flowable]:
        story: list[Flowable] = [
            StepMark(step.key, step.title),
            self.p(step.title, "h1"),
            self.p(
                "Write down every room the person uses, in the order you walk through them, "
                "and give each its own name (for example \u201cBedroom 2\u201d). Each room then "
                "gets its own sheets: tick on them whether the room is on the way from the bed "
                "to the toilet at night, and whether stairs there are used every day.",
                "body",
            ),
            self.p(
                "Kinds of room: " + ", ".join(kind.name for kind in checklist.room_kinds) + ".",
                "help",
            ),
            Spacer(1, 2 * mm),
        ]
        rows: list[list[Any]] = [
            [self.p(label, "head") for label in ("No.", "Name of the room", "Kind of room")]
        ]
        rows += [[self.p(str(n), "question"), "", ""] for n in range(1, ROOM_ROWS + 1)]
        table = Table(
            rows,
            colWidths=[14 * mm, FRAME_WIDTH - 14 * mm - 65 * mm, 65 * mm],
            rowHeights=[None] + [9 * mm] * ROOM_ROWS,
        )
        table.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            )
        )
        story.append(table)
        return story

    def width(self, text: str, style: str = "question") -> float:
        """How wide our own fixed words print, plus a little air."""
        chosen = self.s[style]
        width: float = stringWidth(text, chosen.fontName, chosen.fontSize) + 2 * mm
        return width

    def room_header(self, title: str, continued: bool) -> list[Flowable]:
        """A room sheet's top: which room, its name line and its two ticks (every sheet)."""
        heading = f"Room: {title}" + (" (continued)" if continued else "")
        labels = ("Name of this room:", "on the night route", "stairs used every day")
        label, night, stairs = (self.width(text) for text in labels)
        line = Table(
            [
                [
                    self.p(labels[0], "question"),
                    "",
                    TickBox(),
                    self.p(labels[1], "question"),
                    TickBox(),
                    self.p(labels[2], "question"),
                ]
            ],
            colWidths=[
                label,
                FRAME_WIDTH - label - night - stairs - 17 * mm,
                10 * mm,
                night,
                7 * mm,
                stairs,
            ],
            hAlign="LEFT",
        )
        line.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (1, 0), (1, 0), 0.6, black),
                    ("LEFTPADDING", (2, 0), (2, 0), 3 * mm),
                ]
            )
        )
        title_style = ParagraphStyle("checklist_room", parent=self.s["h1"], spaceBefore=0)
        return [Paragraph(self.fonts.markup(heading), title_style), line]

    def draw_room_header(self, canvas: Any, title: str, continued: bool) -> None:
        _draw_flowables(canvas, self.room_header(title, continued), PAGE_HEIGHT - TOP_MARGIN)

    def draw_continued(self, canvas: Any, title: str) -> None:
        """Above a step carried over from the page before, in the top margin."""
        label = self.p(f"{title} (continued)", "continued")
        label.wrapOn(canvas, FRAME_WIDTH - CODE_SIZE - 10 * mm, TOP_MARGIN)
        label.drawOn(canvas, MARGIN, PAGE_HEIGHT - TOP_MARGIN + 3 * mm)

    def step(self, step: Step, checklist: Checklist) -> list[Flowable]:
        """One step of the walkthrough on paper (who and how is on the first page)."""
        mark = StepMark(step.key, step.title, room=step.kind is StepKind.ROOM)
        heading: list[Flowable]
        if step.kind is StepKind.PERSON:
            heading = [
                CondPageBreak(70 * mm),
                mark,
                self.p(step.title, "h1"),
                self.p(
                    "Ask the person; answer as they would. The first twelve questions are the "
                    "\u201cStay Independent\u201d falls check.",
                    "help",
                ),
            ]
        elif step.kind is StepKind.HOME:
            return [PageBreakIfNotEmpty(), *self.home_page(checklist, step)]
        elif step.kind is StepKind.HOME_CHECKS:
            heading = [  # after the rooms table, on its page when there is room
                CondPageBreak(70 * mm),
                mark,
                Spacer(1, 6 * mm),
                self.p(step.title, "h1"),
                self.p("Asked once for the whole home: think of every room.", "help"),
            ]
        elif step.kind is StepKind.ROOM:
            heading = [  # the title, name line and ticks are drawn on every sheet
                PageBreakIfNotEmpty(nextTemplate="room"),
                mark,
                self.p(f"{step.help} Copy these sheets for each room of this kind.", "help"),
                Spacer(1, 1.5 * mm),
            ]
        elif step.kind is StepKind.FOOTWEAR:
            heading = [
                PageBreakIfNotEmpty(nextTemplate="plain"),
                mark,
                self.p(step.title, "h1"),
                self.p("The shoes actually worn, indoors and outdoors.", "help"),
            ]
        elif step.kind is StepKind.BRACE:
            heading = [
                PageBreakIfNotEmpty(nextTemplate="plain"),
                mark,
                self.p(step.title, "h1"),
                self.p(
                    "For everyone with foot drop. Questions marked \u201cOnly if\u201d are for "
                    "a brace or an electrical stimulation device (FES).",
                    "body",
                ),
            ]
        else:
            return []
        return [*heading, self.items_table(list(step.items), checklist)]

    def render(
        self,
        checklist: Checklist,
        mode: Mode,
        target: BinaryIO,
        gait_tests: Iterable[GaitTest] = (),
    ) -> None:
        """Write the PDF to `target`. `gait_tests` are the model's (model.toml): their cut-offs
        are the reference of the Timed Up and Go and the gait speed, which have no range of
        their own in the checklist."""
        self.version, self.mode = checklist.version, mode
        self.gait = {test.item: test for test in gait_tests}
        story = self.first_page(checklist, mode)
        for step in blank_steps(checklist, mode):
            story += self.step(step, checklist)

        title = (
            "Home safety checklist for the occupational therapist"
            if mode is Mode.OT
            else "Home safety checklist for a caregiver"
        )
        document = ChecklistDocument(
            target,
            self,
            title=title,
            author="safetycheck",
            subject=f"Blank printable checklist, checklist version {checklist.version}",
            creator="safetycheck",
            lang="en",
        )
        document.build(
            story,
            canvasmaker=numbered_canvas(
                self.fonts.markup(f"{title} \u00b7 checklist {checklist.version}")
            ),
        )
        self.page_codes = document.codes
