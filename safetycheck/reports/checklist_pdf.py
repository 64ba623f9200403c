"""The blank printable checklist: the same items, codes and order as the walkthrough."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from safetycheck.domain.checklist import AnswerType, Checklist, Item, Mode
from safetycheck.domain.steps import Step, StepKind, blank_steps
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.layout import (
    FRAME_WIDTH,
    MARGIN,
    RED,
    RED_TINT,
    RULE,
    TickBox,
    WriteLine,
    numbered_canvas,
    styles,
)

BOX_COLUMN = 13 * mm
QUESTION_WIDTH = FRAME_WIDTH - 3 * BOX_COLUMN
UNIT_WORDS = {
    "mm": "mm or inches (circle one)",
    "s": "seconds",
    "m/s": "metres per second",
}
MM_PER_INCH = 25.4


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


def _inches(value: float) -> str:
    return f"{round(value / MM_PER_INCH, 1):g}"


def safe_range(item: Item) -> str:
    """The range a measurement should lie in, when the checklist gives one."""
    low, high = item.hazard_below, item.hazard_above
    if low is None and high is None:
        return ""
    unit = item.unit
    if low is not None and high is not None:
        text = f"Safe: {low:g} to {high:g} {unit}"
        inches = f"{_inches(low)} to {_inches(high)} in"
    elif high is not None:
        text = f"Safe: {high:g} {unit} or less"
        inches = f"{_inches(high)} in or less"
    else:
        assert low is not None
        text = f"Safe: {low:g} {unit} or more"
        inches = f"{_inches(low)} in or more"
    return f"{text} (about {inches})." if unit == "mm" else f"{text}."


class BlankChecklistRenderer:
    """Lays out every item of one mode, page by page, in walkthrough order."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.s = styles()

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(self.fonts.markup(text), self.s[style])

    def question(self, item: Item, checklist: Checklist) -> list[Flowable]:
        parts = [self.p(item.text, "cell"), self.p(f"Code {item.id}", "code")]
        words = condition_words(item, checklist)
        if words:
            parts.append(self.p(words, "condition"))
        if item.red_flag is not None:
            tier = checklist.urgency(item.red_flag.urgency)
            parts.append(self.p(f"Warning sign. If Yes: {tier.title.lower()}.", "flag_mark"))
        return parts

    def header_row(self, labels: tuple[str, str, str]) -> list[Flowable | str]:
        return [self.p("Question", "cell_bold"), *[self.p(lbl, "cell_bold") for lbl in labels]]

    def items_table(self, items: list[Item], checklist: Checklist) -> list[Flowable]:
        """Yes/No/N/A rows; choices and measurements get their own lines below the row."""
        story: list[Flowable] = []
        rows: list[list[Flowable | str]] = [self.header_row(("Yes", "No", "N/A"))]
        for item in items:
            question = self.question(item, checklist)
            if item.type is AnswerType.CHECK:
                rows.append([question, TickBox(), TickBox(), TickBox()])
            elif item.type is AnswerType.YESNO:
                rows.append([question, TickBox(), TickBox(), ""])
            elif item.type is AnswerType.CHOICE:
                choices = [[TickBox(), self.p(option.label, "cell")] for option in item.options]
                options = Table(choices, colWidths=[7 * mm, QUESTION_WIDTH - 12 * mm])
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
                rows.append([[*question, Spacer(1, 1 * mm), options], "", "", ""])
            else:
                unit = UNIT_WORDS.get(item.unit, item.unit)
                measured = [self.p(f"Measured: ____________ {unit}", "cell")]
                safe = safe_range(item)
                if safe:
                    measured.append(self.p(safe, "code"))
                rows.append([[*question, *measured], "", "", ""])
            rows.append([self.p("Note:", "code"), "", "", ""])
        table = Table(
            rows, colWidths=[QUESTION_WIDTH, BOX_COLUMN, BOX_COLUMN, BOX_COLUMN], repeatRows=1
        )
        commands: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ]
        for row in range(2, len(rows), 2):  # the note line under each item
            commands.append(("LINEBELOW", (0, row), (-1, row), 0.4, RULE))
            commands.append(("SPAN", (0, row), (-1, row)))
            commands.append(("BOTTOMPADDING", (0, row), (-1, row), 7))
        table.setStyle(TableStyle(commands))
        story.append(table)
        return story

    def first_page(self, checklist: Checklist, mode: Mode) -> list[Flowable]:
        version = (
            "occupational therapist (full set with measurements)"
            if mode is Mode.OT
            else "caregiver"
        )
        story: list[Flowable] = [
            self.p("Home safety checklist", "title"),
            self.p(f"Paper version for the {version}. Checklist {checklist.version}.", "body"),
            Spacer(1, 3 * mm),
            self.p("How to fill it in", "h2"),
            Paragraph(  # our own fixed wording, so markup is allowed here
                "• For every room check, <b>Yes always means safe</b>. Tick No when the "
                "problem is there, and N/A when the thing does not exist in that room.",
                self.s["body"],
            ),
            self.p(
                "• The code under each question is the same code the program uses, so the "
                "answers can be typed in quickly afterwards, in the same order.",
                "body",
            ),
            self.p(
                "• For the questions about the person, tick the true answer. "
                "\u201cOnly if\u201d under a question says when to ask it.",
                "body",
            ),
            self.p(
                "• A question marked \u201cWarning sign\u201d asks about a sign that needs "
                "help: if the answer is Yes, do what the mark says straight away, before "
                "going on with the checklist.",
                "body",
            ),
            self.p("• Write anything worth remembering on the note line.", "body"),
            Spacer(1, 2 * mm),
            *self.warning_tiers(checklist),
            Spacer(1, 3 * mm),
        ]
        for label in ("Person", "Date", "Assessed by"):
            story += [self.p(label, "small"), WriteLine()]
        role = Table(
            [
                [
                    TickBox(),
                    self.p("Caregiver", "cell"),
                    TickBox(),
                    self.p("Occupational therapist", "cell"),
                ]
            ],
            colWidths=[7 * mm, 40 * mm, 7 * mm, 60 * mm],
            hAlign="LEFT",
        )
        story += [Spacer(1, 2 * mm), role]
        return story

    def warning_tiers(self, checklist: Checklist) -> list[Flowable]:
        """What each warning-sign mark means, in the words of the plan and the program."""
        rows = [[self.p("If a warning sign is there", "flag_tier")]]
        for tier in sorted(checklist.urgencies, key=lambda t: t.urgency.rank):
            title, advice = self.fonts.markup(tier.title), self.fonts.markup(tier.advice)
            rows.append([Paragraph(f"<b>{title}:</b> {advice}", self.s["cell"])])
        box = Table(rows, colWidths=[FRAME_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.5, RED),
                    ("BACKGROUND", (0, 0), (-1, -1), RED_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return [box]

    def home_page(self, checklist: Checklist) -> list[Flowable]:
        story: list[Flowable] = [
            self.p("The home", "h1"),
            self.p(
                "Which rooms does the home have? Give each room its own name (for example "
                "'Bedroom 2'). Tick if it lies on the way from the bed to the toilet at night, "
                "and if stairs are used every day.",
                "body",
            ),
            Spacer(1, 2 * mm),
        ]
        rows: list[list[Flowable | str]] = [
            [
                self.p("Kind of room", "cell_bold"),
                self.p("Names of the rooms", "cell_bold"),
                self.p("Night route", "cell_bold"),
                self.p("Used daily", "cell_bold"),
            ]
        ]
        for kind in checklist.room_kinds:
            rows.append(
                [
                    self.p(kind.name, "cell"),
                    "",
                    TickBox(),
                    TickBox() if kind.stairs or kind.id == "entrance" else "",
                ]
            )
        table = Table(
            rows,
            colWidths=[45 * mm, FRAME_WIDTH - 45 * mm - 44 * mm, 22 * mm, 22 * mm],
            rowHeights=[None] + [10 * mm] * len(checklist.room_kinds),
        )
        table.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            )
        )
        story.append(table)
        return story

    def step(self, step: Step, checklist: Checklist) -> list[Flowable]:
        """One step of the walkthrough on paper (who and how is on the first page)."""
        heading: list[Flowable]
        if step.kind is StepKind.PERSON:
            heading = [
                self.p(step.title, "h1"),
                self.p(
                    "Ask the person; answer as they would. The first twelve questions are "
                    "the CDC Stay Independent check.",
                    "small",
                ),
            ]
        elif step.kind is StepKind.HOME:
            return [PageBreak(), *self.home_page(checklist)]
        elif step.kind is StepKind.HOME_CHECKS:
            heading = [  # after the rooms table, on its page when there is room
                CondPageBreak(70 * mm),
                Spacer(1, 6 * mm),
                self.p(step.title, "h1"),
                self.p("Asked once for the whole home: think of every room.", "small"),
            ]
        elif step.kind is StepKind.ROOM:
            heading = [
                PageBreak(),
                self.p(f"Room: {step.title}", "h1"),
                self.p(step.help, "small"),
                self.p(
                    "Name of this room: ______________________   (copy this page for "
                    "each room of this kind)",
                    "body",
                ),
                Spacer(1, 2 * mm),
            ]
        elif step.kind is StepKind.FOOTWEAR:
            heading = [
                PageBreak(),
                self.p(step.title, "h1"),
                self.p("The shoes actually worn, indoors and outdoors.", "small"),
            ]
        elif step.kind is StepKind.BRACE:
            heading = [
                CondPageBreak(60 * mm),
                PageBreak(),
                self.p(step.title, "h1"),
                self.p(
                    "For everyone with foot drop. Questions marked \u201cOnly if\u201d are for "
                    "a brace or an electrical stimulation device (FES).",
                    "body",
                ),
            ]
        else:
            return []
        return heading + self.items_table(list(step.items), checklist)

    def render(self, checklist: Checklist, mode: Mode, target: BinaryIO) -> None:
        story = self.first_page(checklist, mode)
        for step in blank_steps(checklist, mode):
            story += self.step(step, checklist)

        title = f"Home safety checklist ({mode.value} version)"
        document = SimpleDocTemplate(
            target,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=20 * mm,
            title=title,
            author="safetycheck",
            subject=f"Blank printable checklist, checklist version {checklist.version}",
            creator="safetycheck",
            lang="en",
        )
        document.build(
            story,
            canvasmaker=numbered_canvas(
                self.fonts.markup(f"{title} · checklist {checklist.version}")
            ),
        )
