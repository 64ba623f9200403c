"""The finished, frozen content of a printed action plan: everything the renderer lays out.

Built by a pure function from the checklist, the result and the plan; the renderer only places
these values on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from safetycheck.domain.assessment import (
    ActionKind,
    ActionState,
    Assessment,
    Photo,
    RoomInstance,
    VisitStatus,
)
from safetycheck.domain.checklist import (
    LENGTH_UNITS,
    AnswerType,
    Checklist,
    Item,
    Mode,
    Page,
    Urgency,
)
from safetycheck.domain.dates import long_date
from safetycheck.domain.plan import FIRST_STEPS_RULE, ActionPlan, PlanAction
from safetycheck.domain.scoring import RedFlagFound
from safetycheck.domain.steps import StepKind, applicable_slots, steps
from safetycheck.domain.stratification import GaitTest

if TYPE_CHECKING:
    from safetycheck.domain.evaluation import Evaluation, ResultSummary
    from safetycheck.domain.exercises import ExerciseSheet


@dataclass(frozen=True, slots=True)
class ReportText:
    """The fixed wording of the report (from data/report/text.toml). The warning signs and what
    to do about each are the checklist's urgency tiers; `seek_help` is what comes after them."""

    seek_help_title: str
    seek_help: tuple[str, ...]
    skin_routine_title: str
    skin_routine: tuple[str, ...]
    disclaimer: str
    attribution: str


@dataclass(frozen=True, slots=True)
class PhotoImage:
    """A photo to print, with its size in pixels."""

    data: bytes = field(repr=False)
    width: int
    height: int
    caption: str


@dataclass(frozen=True, slots=True)
class Measurement:
    """A measurement, with the reference range it is judged against."""

    label: str  # "Toilet seat height"
    value: str  # "457.5 mm"
    reference: str  # "recommended 430–485 mm"; "" when the item has no range
    verdict: str  # "within the recommended range", "too low", "too high"
    outside: bool

    @property
    def line(self) -> str:
        """ "Toilet seat height 400 mm — too low; recommended 430–485 mm." """
        if not self.reference:
            return f"{self.label}: {self.value}."
        return f"{self.label}: {self.value} — {self.verdict}; {self.reference}."


@dataclass(frozen=True, slots=True)
class ActionLine:
    """One thing found and what to do about it, with a box to tick."""

    finding: str
    what_to_do: str
    priority: str
    who: str
    note: str
    done: bool
    photos: tuple[PhotoImage, ...] = ()
    room: str = ""  # the room's name; "" when not in a room
    effort: str = ""  # "Easy", "Some work", "A big job"
    done_on: date | None = None
    done_note: str = ""  # what was written when it was ticked done
    measurement: Measurement | None = None
    edited: bool = False  # the assessor's own words, not the checklist's
    not_needed: bool = False  # marked not needed (then `done_note` is why)

    @property
    def closed(self) -> bool:
        """Nothing left to do: done, or not needed."""
        return self.done or self.not_needed


@dataclass(frozen=True, slots=True)
class FirstLine:
    """One line of "what to do first"."""

    where: str  # "The person", "Hallway", "Hallway, Kitchen and 3 more rooms"
    text: str
    priority: str
    who: str


@dataclass(frozen=True, slots=True)
class Job:
    """One job on the list of jobs by who does them."""

    where: str
    finding: str
    what_to_do: str
    priority: str
    effort: str


@dataclass(frozen=True, slots=True)
class JobGroup:
    who: str  # "Handyperson"
    jobs: tuple[Job, ...]


@dataclass(frozen=True, slots=True)
class RoomCount:
    """A room (or page) on the overview chart: its problems still open and those done."""

    name: str
    open: int
    done: int


@dataclass(frozen=True, slots=True)
class SignOff:
    """Who signs the plan, and when it is looked at again."""

    name: str
    role: str
    credentials: str
    organisation: str
    contact: str
    signed_on: date
    next_review: date | None
    written_by_ot: bool = False

    @property
    def intro(self) -> str:
        return (
            "I carried out this home visit and wrote this plan."
            if self.written_by_ot
            else "I walked through the home and answered the questions in this plan."
        )

    def rows(self) -> tuple[tuple[str, str], ...]:
        """What the sign-off prints, label and value, in order (details not given are left
        out; the next review says when it is not set)."""
        rows = [("Name", self.name), ("Role", self.role)]
        for label, value in (
            ("Credentials", self.credentials),
            ("Organisation", self.organisation),
            ("Contact", self.contact),
        ):
            if value:
                rows.append((label, value))
        rows.append(("Date of the visit", long_date(self.signed_on)))
        review = long_date(self.next_review) if self.next_review else ""
        rows.append(("Next review", review or "not set — agree a date to look at this plan again"))
        return tuple(rows)


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A note recorded on a check that found nothing wrong: the reader may need it too."""

    question: str
    answer: str
    note: str


@dataclass(frozen=True, slots=True)
class Section:
    """A room (or footwear, brace and skin, the person): actions, then the other notes."""

    title: str
    subtitle: str
    actions: tuple[ActionLine, ...]
    notes: tuple[NoteLine, ...]
    photos: tuple[PhotoImage, ...] = ()
    unanswered: tuple[str, ...] = ()  # the questions here that have no answer yet
    # Measurements here that found nothing wrong (one that did is on its action).
    measurements: tuple[Measurement, ...] = ()
    is_room: bool = False  # a room of the home, not a page asked once (footwear, the person)


@dataclass(frozen=True, slots=True)
class FlagGroup:
    """The red flags raised at one urgency, under that tier's words."""

    urgency: Urgency
    title: str  # "Call the emergency number now"
    advice: str
    signs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WarningTier:
    """One urgency tier for the "when to get help" page: its words and every warning sign of the
    checklist that calls for it."""

    urgency: Urgency
    title: str
    advice: str
    signs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """What changed since the last visit."""

    previous_date: date
    score_then: int
    score_now: int
    level_then: str
    level_now: str
    fixed: tuple[str, ...]
    still_open: tuple[str, ...]
    new: tuple[str, ...]
    level_rank_then: int = -1  # 0 low … 2 high; -1 when not known (for the picture)
    level_rank_now: int = -1
    done_now: tuple[str, ...] = ()  # seen both times, and ticked done at this visit
    not_needed_now: tuple[str, ...] = ()  # seen both times, and marked not needed at this visit


@dataclass(frozen=True, slots=True)
class PlanReport:
    """Everything printed on the action plan, in order."""

    title: str
    person_name: str
    birth_year: int | None
    visit_date: date
    assessor: str
    assessor_role: str
    mode: str
    level_label: str  # "Moderate risk", or "Low to moderate risk" while undecided
    level_known: bool
    score: int
    score_line: str
    level_reasons: tuple[str, ...]
    missing: tuple[str, ...]  # what would settle the level
    stay_independent: str
    red_flags: tuple[RedFlagFound, ...]  # most urgent first
    red_flag_groups: tuple[FlagGroup, ...]  # the same, under their tier's words
    red_flag_status: str  # when none was raised: asked and none found, or what is not asked
    unanswered_red_flags: tuple[str, ...]
    certainty: str  # what is not yet known, "" when nothing is
    finished_with_unanswered: bool  # the visit was marked finished with questions unanswered
    nothing_to_fix_line: str  # "" when there is something to do
    first_actions: tuple[FirstLine, ...]
    first_rule: str  # how "what to do first" was chosen
    top_reasons: tuple[tuple[str, int], ...]
    other_points: int  # the points of the smaller reasons not listed, so the table adds up
    disclaimer: str
    sections: tuple[Section, ...]
    brace_worn: bool
    change: Change | None
    sources: tuple[str, ...]
    text: ReportText
    urgency_tiers: tuple[WarningTier, ...]
    checklist_version: str  # the checklist the visit was recorded with
    model_version: str  # the model that scored it for this plan
    version_note: str  # said when the visit was recorded with an earlier checklist
    unanswered: int
    score_meaning: str = ""
    level_lowest: int = 0  # the level range, 0 low … 2 high (for the gauge)
    level_highest: int = 0
    jobs: tuple[JobGroup, ...] = ()
    room_counts: tuple[RoomCount, ...] = ()
    sign_off: SignOff | None = None
    written_by_ot: bool = False
    exercises: ExerciseSheet | None = None  # printed after the plan when the therapist chose
    person_notes: str = ""
    warnings: tuple[str, ...] = ()  # what could not be printed (said on stderr or in the program)


ROLE_LABELS = {"caregiver": "Caregiver", "ot": "Occupational therapist"}


def _number(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _places(value: float, bounds: tuple[float | None, ...], places: int) -> int:
    """Decimals enough that `value` never prints equal to a bound it is not equal to (19.13 in
    is not "19.1 in — too high; recommended 16.9–19.1 in"); value and range use them both."""
    for more in range(places, places + 4):
        text = _number(value, more)
        if not any(
            bound is not None and bound != value and _number(bound, more) == text
            for bound in bounds
        ):
            return more
    return places + 3


def gait_measurement(test: GaitTest, label: str, value: float, unit: str) -> Measurement:
    """A walking test against the cut-off the level is worked out with ("over 15 s counts as
    impaired in the World Falls Guidelines 2022"; the source's name, not its notes)."""
    bound = test.impaired_above if test.impaired_above is not None else test.impaired_below
    assert bound is not None
    places = _places(value, (bound,), 2)  # 15.004 s is not printed as "15 s"
    shown = f"{_number(value, places)} {unit}"
    side = "over" if test.impaired_above is not None else "under"
    cut = f"{side} {_number(bound, places)} {unit} counts as impaired"
    verdict = "impaired" if test.impaired(value) else "not impaired"
    by = test.source.split(":")[0].strip()
    return Measurement(label, shown, f"{cut} in the {by}", verdict, test.impaired(value))


def measurement(item: Item, value: float, unit: str) -> Measurement:
    """A measurement with its reference range, in the unit it was taken in (a length taken in
    inches is judged against the range in inches, to two decimals)."""
    unit = unit or item.unit
    low, high = item.hazard_below, item.hazard_above
    factor = 1.0  # the item's unit in the unit taken (1 mm = 1/25.4 in)
    to_item = 1.0  # and back, as scoring converts (value × 25.4)
    if unit in LENGTH_UNITS and item.unit in LENGTH_UNITS:
        factor = LENGTH_UNITS[item.unit] / LENGTH_UNITS[unit]
        to_item = LENGTH_UNITS[unit] / LENGTH_UNITS[item.unit]
    places = 2 if unit == "in" else 1
    label = item.label or item.finding or item.text
    if low is None and high is None:
        return Measurement(label, f"{_number(value, places)} {unit}", "", "", False)
    in_item_unit = value * to_item
    places = _places(
        value, tuple(b * factor if b is not None else None for b in (low, high)), places
    )
    shown = f"{_number(value, places)} {unit}"
    if low is not None and high is not None:
        reference = (
            f"recommended {_number(low * factor, places)}–{_number(high * factor, places)} {unit}"
        )
    elif high is not None:
        reference = f"recommended at most {_number(high * factor, places)} {unit}"
    else:
        assert low is not None
        reference = f"recommended at least {_number(low * factor, places)} {unit}"
    if low is not None and in_item_unit < low:
        return Measurement(label, shown, reference, "too low", True)
    if high is not None and in_item_unit > high:
        return Measurement(label, shown, reference, "too high", True)
    return Measurement(label, shown, reference, "within the recommended range", False)


def answer_label(item: Item, value: str | float, unit: str) -> str:
    if item.type is AnswerType.MEASURE:
        return f"{value:g} {unit or item.unit}"
    if item.type is AnswerType.CHOICE:
        return item.option_label(str(value))
    return {"yes": "Yes", "no": "No", "na": "Not applicable"}.get(str(value), str(value))


class _Sections:
    """Builds the report's sections from one assessment and its plan."""

    def __init__(
        self,
        checklist: Checklist,
        assessment: Assessment,
        plan: ActionPlan,
        gait: tuple[GaitTest, ...] = (),
    ) -> None:
        self.gait = {test.item: test for test in gait}
        self.checklist = checklist
        self.assessment = assessment
        self.plan = plan
        self.hazard_slots = {(a.item, a.room) for a in plan.actions if a.kind is ActionKind.HAZARD}
        self.statuses = {  # done, or marked not needed
            (a.kind, a.item, a.room): a
            for a in assessment.actions
            if a.status in (ActionState.DONE, ActionState.NOT_NEEDED)
        }
        self.photos: dict[tuple[str, str | None], list[PhotoImage]] = {}
        for photo in assessment.photos:
            self.photos.setdefault((photo.item, photo.room), []).append(
                PhotoImage(photo.data, photo.width, photo.height, self._caption(photo))
            )
        # The questions still without an answer, by room (None: not a room) and page. The gait
        # tests are alternatives the level's "still to find out" speaks of, so they are not
        # listed with the person's questions.
        self.open_questions: dict[tuple[str | None, Page], list[str]] = {}
        for item, slot_room in applicable_slots(checklist, assessment):
            room_id = slot_room.id if slot_room else None
            if assessment.answer(item.id, room_id) is not None:
                continue
            if item.page is Page.PERSON and item.type is AnswerType.MEASURE:
                continue
            self.open_questions.setdefault((room_id, item.page), []).append(item.text)

    def _caption(self, photo: Photo) -> str:
        """ "Photo: Loose rug or mat — Hallway" (the finding, else the question)."""
        what = photo.filename
        if self.checklist.has_item(photo.item):
            item = self.checklist.item(photo.item)
            answer = self.assessment.answer(photo.item, photo.room)
            hazard = answer is not None and (photo.item, photo.room) in self.hazard_slots
            what = item.finding if hazard and item.finding else item.text
        where = ""
        if photo.room is not None:
            try:
                where = f" — {self.assessment.room(photo.room).name}"
            except KeyError:
                where = ""
        return f"Photo: {what}{where}"

    def measured(self, item_id: str, room: str | None) -> Measurement | None:
        answer = self.assessment.answer(item_id, room)
        if answer is None or not self.checklist.has_item(item_id):
            return None
        item = self.checklist.item(item_id)
        if item.type is not AnswerType.MEASURE or isinstance(answer.value, str):
            return None
        test = self.gait.get(item_id)
        if test is not None:
            label = item.label or test.name
            return gait_measurement(test, label, float(answer.value), answer.unit or item.unit)
        return measurement(item, float(answer.value), answer.unit)

    def line(self, action: PlanAction) -> ActionLine:
        status = self.statuses.get((action.kind, action.item, action.room))
        return ActionLine(
            finding=action.finding,
            what_to_do=action.text,
            priority=action.priority.label,
            who=action.who.label,
            note=action.note,
            done=status is not None and status.status is ActionState.DONE,
            photos=tuple(self.photos.get((action.item, action.room), ())),
            room=action.room_name,
            effort=action.effort.label,
            done_on=status.done_on if status else None,
            done_note=status.note if status else "",
            not_needed=status is not None and status.status is ActionState.NOT_NEEDED,
            measurement=self.measured(action.item, action.room),
            edited=action.edited,
        )

    def measurements(self, room: str | None, page: Page) -> tuple[Measurement, ...]:
        """The measurements here that found nothing wrong (in the checklist's order)."""
        found = []
        for item in self.checklist.items:
            if item.type is not AnswerType.MEASURE or item.page is not page:
                continue
            if (item.id, room) in self.hazard_slots:
                continue
            shown = self.measured(item.id, room)
            if shown is not None:
                found.append(shown)
        return tuple(found)

    def _on_page(self, item_id: str, page: Page) -> bool:
        return self.checklist.has_item(item_id) and self.checklist.item(item_id).page is page

    def notes(self, room: str | None, page: Page) -> tuple[NoteLine, ...]:
        """Notes on answers that found nothing wrong (a hazard's note is on its action)."""
        lines = []
        for answer in self.assessment.answers:
            if answer.room != room or not answer.note or (answer.item, room) in self.hazard_slots:
                continue
            if self._on_page(answer.item, page):
                item = self.checklist.item(answer.item)
                label = answer_label(item, answer.value, answer.unit)
                lines.append(NoteLine(item.text, label, answer.note))
        return tuple(lines)

    def loose_photos(self, room: str | None, page: Page) -> tuple[PhotoImage, ...]:
        """Photos of answers that found nothing wrong."""
        found: list[PhotoImage] = []
        for (item_id, photo_room), images in self.photos.items():
            loose = photo_room == room and (item_id, room) not in self.hazard_slots
            if loose and self._on_page(item_id, page):
                found.extend(images)
        return tuple(found)

    def room(self, room: RoomInstance) -> Section:
        actions = tuple(
            self.line(a)
            for a in self.plan.actions
            if a.room == room.id and a.kind is ActionKind.HAZARD
        )
        tags = [
            t
            for t, on in (
                ("on the night route", room.night_route),
                ("stairs used every day", room.stairs_daily),
            )
            if on
        ]
        return Section(
            room.name,
            ", ".join(tags).capitalize(),
            actions,
            self.notes(room.id, Page.ROOM),
            self.loose_photos(room.id, Page.ROOM),
            tuple(self.open_questions.get((room.id, Page.ROOM), ())),
            self.measurements(room.id, Page.ROOM),
            is_room=True,
        )

    def _hazards_on(self, page: Page) -> tuple[ActionLine, ...]:
        return tuple(
            self.line(a)
            for a in self.plan.actions
            if a.kind is ActionKind.HAZARD and a.room is None and self._on_page(a.item, page)
        )

    def page(self, title: str, page: Page) -> Section:
        actions = self._hazards_on(page)
        if page is Page.PERSON:
            person = tuple(self.line(a) for a in self.plan.actions if a.kind is ActionKind.PERSON)
            actions = person + actions
        return Section(
            title,
            "",
            actions,
            self.notes(None, page),
            self.loose_photos(None, page),
            tuple(self.open_questions.get((None, page), ())),
            self.measurements(None, page),
        )


def flag_groups(flags: tuple[RedFlagFound, ...]) -> tuple[FlagGroup, ...]:
    """The raised red flags under their tier, most urgent tier first (the flags come sorted)."""
    groups: list[FlagGroup] = []
    for flag in sorted(flags, key=lambda f: f.urgency.rank):
        if groups and groups[-1].urgency is flag.urgency:
            last = groups[-1]
            groups[-1] = FlagGroup(last.urgency, last.title, last.advice, (*last.signs, flag.text))
        else:
            groups.append(FlagGroup(flag.urgency, flag.title, flag.advice, (flag.text,)))
    return tuple(groups)


def warning_tiers(checklist: Checklist) -> tuple[WarningTier, ...]:
    """Each urgency tier with every warning sign of the checklist that calls for it."""
    return tuple(
        WarningTier(
            tier.urgency,
            tier.title,
            tier.advice,
            tuple(
                item.red_flag.text
                for item in checklist.items
                if item.red_flag is not None and item.red_flag.urgency is tier.urgency
            ),
        )
        for tier in sorted(checklist.urgencies, key=lambda t: t.urgency.rank)
    )


FIRST_LINES = 5
PERSON_TITLE = "The person: health and habits"


def score_meaning(top_reasons: tuple[tuple[str, int], ...]) -> str:
    """What the score is and is not, with this plan's own biggest reason as the example."""
    if not top_reasons:
        return ""
    label, points = top_reasons[0]
    return (
        "The score adds up points for each thing found; the biggest here, "
        f"\u201c{label}\u201d, adds {points}. It shows what adds most and what fixing would "
        "change. It is not a chance of falling, and it does not set the level: the level comes "
        "from the falls guidelines."
    )


def all_closed_line(unanswered: int) -> str:
    """When every action found is done or not needed (never "nothing to do" while questions
    are open: they may find more)."""
    line = "Everything found so far is done or marked not needed"
    if unanswered:
        count = f"{unanswered} question{'' if unanswered == 1 else 's'}"
        return f"{line}, but {count} are not answered yet and may find more."
    return f"{line}."


def _where(rooms: tuple[str, ...]) -> str:
    """ "Hallway", "Hallway and Kitchen", "Hallway, Kitchen and 3 more rooms"; "" for none."""
    if not rooms:
        return ""
    if len(rooms) <= 2:
        return " and ".join(rooms)
    if len(rooms) == 3:
        return f"{rooms[0]}, {rooms[1]} and {rooms[2]}"
    return f"{rooms[0]}, {rooms[1]} and {len(rooms) - 2} more rooms"


def job_groups(sections: list[Section]) -> tuple[JobGroup, ...]:
    """The jobs still to do, grouped by who does them (groups in the order they first come up,
    jobs in the plan's order within each section)."""
    groups: dict[str, list[Job]] = {}
    for section in sections:
        where = "The person" if section.title == PERSON_TITLE else section.title
        for line in section.actions:
            if line.closed:
                continue
            groups.setdefault(line.who, []).append(
                Job(where, line.finding, line.what_to_do, line.priority, line.effort)
            )
    return tuple(JobGroup(who, tuple(jobs)) for who, jobs in groups.items())


FINISHED_PREFIX = "Not finished: "


def visit_certainty(summary: ResultSummary, finished: bool) -> str:
    """The summary's certainty line; for a visit marked finished with questions unanswered it
    says so, in the same words after the opening ("This visit was finished with 12 questions
    unanswered — the risk is between low and moderate.")."""
    line = summary.certainty
    if not finished or summary.unanswered == 0:
        return line
    if line.startswith(FINISHED_PREFIX):
        return "This visit was finished with " + line.removeprefix(FINISHED_PREFIX)
    count = f"{summary.unanswered} question{'' if summary.unanswered == 1 else 's'}"
    return f"This visit was finished with {count} unanswered. {line}".strip()


def version_note(
    assessment: Assessment, checklist: Checklist, model_version: str, unanswered: int
) -> str:
    """Said when the visit was recorded with an earlier checklist than the one scoring it."""
    recorded = assessment.checklist_version
    if recorded == checklist.version:
        return ""
    note = f"Recorded with checklist {recorded}; scored now with model {model_version}"
    if unanswered:
        return f"{note}; questions added since checklist {recorded} are unanswered."
    return f"{note}."


def build_plan_report(
    checklist: Checklist,
    assessment: Assessment,
    evaluation: Evaluation,
    text: ReportText,
    change: Change | None = None,
    gait: tuple[GaitTest, ...] = (),
) -> PlanReport:
    """Gather what the printed plan shows: the rooms in the home's order, what was asked once
    for the whole home, then the person, footwear, and brace and skin when the walkthrough has
    that step."""
    result, summary = evaluation.result, evaluation.summary
    build = _Sections(checklist, assessment, evaluation.plan, gait)
    walkthrough = steps(checklist, assessment)
    sections = [build.room(step.room) for step in walkthrough if step.room is not None]
    if any(step.kind is StepKind.HOME_CHECKS for step in walkthrough):  # after the rooms
        sections.append(build.page("Around the home", Page.HOME))
    sections.append(build.page(PERSON_TITLE, Page.PERSON))
    sections.append(build.page("Footwear", Page.FOOTWEAR))
    brace_worn = any(step.kind is StepKind.BRACE for step in walkthrough)
    if brace_worn:
        sections.append(build.page("Brace and skin", Page.BRACE))

    first = tuple(
        FirstLine(
            _where(step.rooms), step.action.text, step.action.priority.label, step.action.who.label
        )
        for step in evaluation.plan.first_steps(len(summary.first_actions) or FIRST_LINES)
    )
    finished_with_unanswered = assessment.status is VisitStatus.COMPLETED and summary.unanswered > 0
    cited = []
    for source in checklist.sources:  # their titles; how each was checked is in the docs
        cited.append(f"{source.title}.")
    person = assessment.person
    return PlanReport(
        title=f"Home safety action plan for {person.name}",
        person_name=person.name,
        birth_year=person.birth_year,
        visit_date=assessment.date,
        assessor=assessment.assessor.name,
        assessor_role=ROLE_LABELS.get(assessment.assessor.role.value, ""),
        mode="Occupational therapist (full checklist)"
        if assessment.mode.value == "ot"
        else "Caregiver",
        level_label=summary.level_label,
        level_known=summary.level_known,
        score=summary.score,
        score_line=summary.score_line,
        level_reasons=summary.level_reasons,
        missing=summary.missing,
        stay_independent=summary.stay_independent,
        red_flags=summary.red_flags,
        red_flag_groups=flag_groups(summary.red_flags),
        red_flag_status=summary.red_flag_status,
        unanswered_red_flags=summary.unanswered_red_flags,
        certainty=visit_certainty(summary, finished_with_unanswered),
        finished_with_unanswered=finished_with_unanswered,
        nothing_to_fix_line=summary.nothing_to_fix_line
        or ("" if first else all_closed_line(summary.unanswered)),
        first_actions=first,
        first_rule=FIRST_STEPS_RULE if first else "",
        top_reasons=summary.top_reasons,
        other_points=summary.score - sum(points for _, points in summary.top_reasons),
        disclaimer=summary.disclaimer,
        sections=tuple(sections),
        brace_worn=brace_worn,
        change=change,
        sources=tuple(cited),
        text=text,
        urgency_tiers=warning_tiers(checklist),
        checklist_version=assessment.checklist_version,
        model_version=result.model_version,
        version_note=version_note(assessment, checklist, result.model_version, summary.unanswered),
        unanswered=summary.unanswered,
        score_meaning=score_meaning(summary.top_reasons),
        level_lowest=result.level_range.lowest.rank,
        level_highest=result.level_range.highest.rank,
        jobs=job_groups(sections),
        room_counts=tuple(
            RoomCount(
                section.title,
                sum(1 for line in section.actions if not line.closed),
                sum(1 for line in section.actions if line.done),
            )
            for section in sections
            if section.is_room or (section.actions and section.title != PERSON_TITLE)
        ),
        sign_off=SignOff(
            assessment.assessor.name,
            ROLE_LABELS.get(assessment.assessor.role.value, ""),
            assessment.assessor.credentials,
            assessment.assessor.organisation,
            assessment.assessor.contact,
            assessment.date,
            assessment.next_review,
            written_by_ot=assessment.assessor.role is Mode.OT,
        ),
        written_by_ot=assessment.assessor.role is Mode.OT,
        person_notes=person.notes,
    )
