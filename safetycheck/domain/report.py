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
    RoomInstance,
    VisitStatus,
)
from safetycheck.domain.checklist import AnswerType, Checklist, Item, Page, Urgency
from safetycheck.domain.plan import ActionPlan, PlanAction
from safetycheck.domain.scoring import RedFlagFound
from safetycheck.domain.steps import StepKind, applicable_slots, steps

if TYPE_CHECKING:
    from safetycheck.domain.evaluation import Evaluation, ResultSummary


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
class ActionLine:
    """One thing found and what to do about it, with a box to tick."""

    finding: str
    what_to_do: str
    priority: str
    who: str
    note: str
    done: bool
    photos: tuple[PhotoImage, ...] = ()


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
    first_actions: tuple[tuple[str, str, str], ...]  # (where, what to do, priority)
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
    person_notes: str = ""
    warnings: tuple[str, ...] = ()  # what could not be printed (said on stderr or in the program)


ROLE_LABELS = {"caregiver": "Caregiver", "ot": "Occupational therapist"}


def answer_label(item: Item, value: str | float, unit: str) -> str:
    if item.type is AnswerType.MEASURE:
        return f"{value:g} {unit or item.unit}"
    if item.type is AnswerType.CHOICE:
        return item.option_label(str(value))
    return {"yes": "Yes", "no": "No", "na": "Not applicable"}.get(str(value), str(value))


class _Sections:
    """Builds the report's sections from one assessment and its plan."""

    def __init__(self, checklist: Checklist, assessment: Assessment, plan: ActionPlan) -> None:
        self.checklist = checklist
        self.assessment = assessment
        self.plan = plan
        self.done = {
            (a.kind, a.item, a.room) for a in assessment.actions if a.status is ActionState.DONE
        }
        self.photos: dict[tuple[str, str | None], list[PhotoImage]] = {}
        for photo in assessment.photos:
            self.photos.setdefault((photo.item, photo.room), []).append(
                PhotoImage(photo.data, photo.width, photo.height, photo.filename)
            )
        self.hazard_slots = {(a.item, a.room) for a in plan.actions if a.kind is ActionKind.HAZARD}
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

    def line(self, action: PlanAction) -> ActionLine:
        return ActionLine(
            finding=action.finding,
            what_to_do=action.text,
            priority=action.priority.label,
            who=action.who.label,
            note=action.note,
            done=(action.kind, action.item, action.room) in self.done,
            photos=tuple(self.photos.get((action.item, action.room), ())),
        )

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
) -> PlanReport:
    """Gather what the printed plan shows: the rooms in the home's order, what was asked once
    for the whole home, then the person, footwear, and brace and skin when the walkthrough has
    that step."""
    result, summary = evaluation.result, evaluation.summary
    build = _Sections(checklist, assessment, evaluation.plan)
    walkthrough = steps(checklist, assessment)
    sections = [build.room(step.room) for step in walkthrough if step.room is not None]
    if any(step.kind is StepKind.HOME_CHECKS for step in walkthrough):  # after the rooms
        sections.append(build.page("Around the home", Page.HOME))
    sections.append(build.page("The person: health and habits", Page.PERSON))
    sections.append(build.page("Footwear", Page.FOOTWEAR))
    brace_worn = any(step.kind is StepKind.BRACE for step in walkthrough)
    if brace_worn:
        sections.append(build.page("Brace and skin", Page.BRACE))

    first = tuple(
        (a.room_name or "The person", a.text, a.priority.label) for a in summary.first_actions
    )
    finished_with_unanswered = assessment.status is VisitStatus.COMPLETED and summary.unanswered > 0
    cited = []
    for source in checklist.sources:
        cited.append(f"{source.title}." + (f" {source.note}" if source.note else ""))
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
        nothing_to_fix_line=summary.nothing_to_fix_line,
        first_actions=first,
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
        person_notes=person.notes,
    )
