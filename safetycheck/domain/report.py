"""The finished, frozen content of a printed action plan: everything the renderer lays out.

Built by a pure function from the checklist, the result and the plan; the renderer only places
these values on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from safetycheck.domain.assessment import ActionKind, ActionState, Assessment, RoomInstance
from safetycheck.domain.checklist import AnswerType, Checklist, Item, Page
from safetycheck.domain.plan import ActionPlan, PlanAction
from safetycheck.domain.steps import StepKind, steps

if TYPE_CHECKING:
    from safetycheck.domain.evaluation import Evaluation


@dataclass(frozen=True, slots=True)
class ReportText:
    """The fixed wording of the report (from data/report/text.toml)."""

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
    level_label: str
    score: int
    level_reasons: tuple[str, ...]
    stay_independent: str
    red_flags: tuple[str, ...]
    first_actions: tuple[tuple[str, str, str], ...]  # (where, what to do, priority)
    top_reasons: tuple[tuple[str, int], ...]
    disclaimer: str
    sections: tuple[Section, ...]
    brace_worn: bool
    change: Change | None
    sources: tuple[str, ...]
    text: ReportText
    checklist_version: str
    model_version: str
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
        return Section(title, "", actions, self.notes(None, page), self.loose_photos(None, page))


def build_plan_report(
    checklist: Checklist,
    assessment: Assessment,
    evaluation: Evaluation,
    text: ReportText,
    change: Change | None = None,
) -> PlanReport:
    """Gather what the printed plan shows: the rooms in the home's order, then the person,
    footwear, and brace and skin when the walkthrough has that step."""
    result, summary = evaluation.result, evaluation.summary
    build = _Sections(checklist, assessment, evaluation.plan)
    walkthrough = steps(checklist, assessment)
    sections = [build.room(step.room) for step in walkthrough if step.room is not None]
    sections.append(build.page("The person: health and habits", Page.PERSON))
    sections.append(build.page("Footwear", Page.FOOTWEAR))
    brace_worn = any(step.kind is StepKind.BRACE for step in walkthrough)
    if brace_worn:
        sections.append(build.page("Brace and skin", Page.BRACE))

    first = tuple(
        (a.room_name or "The person", a.text, a.priority.label) for a in summary.first_actions
    )
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
        score=summary.score,
        level_reasons=summary.level_reasons,
        stay_independent=summary.stay_independent,
        red_flags=summary.red_flags,
        first_actions=first,
        top_reasons=summary.top_reasons,
        disclaimer=summary.disclaimer,
        sections=tuple(sections),
        brace_worn=brace_worn,
        change=change,
        sources=tuple(cited),
        text=text,
        checklist_version=result.checklist_version,
        model_version=result.model_version,
        unanswered=summary.unanswered,
        person_notes=person.notes,
    )
