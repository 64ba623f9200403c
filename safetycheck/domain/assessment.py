"""An assessment as values: who, which home and rooms, and the answers given."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from safetycheck.domain.checklist import LENGTH_UNITS, AnswerType, Checklist, Item, Mode
from safetycheck.domain.conditions import MODE_SUBJECT, all_hold
from safetycheck.domain.falls import FallsSinceLastVisit

# `date` is also a field name of Assessment; the annotation of another field needs the type.
Day = date


class VisitStatus(StrEnum):
    """Whether a visit is still being walked through or has been finished."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return {"in_progress": "In progress", "completed": "Completed"}[self.value]


class ActionKind(StrEnum):
    """Where an action of the plan comes from."""

    RED_FLAG = "red_flag"
    HAZARD = "hazard"
    PERSON = "person"


class ActionState(StrEnum):
    """What became of an action: still to do, done, or not needed after all."""

    OPEN = "open"
    DONE = "done"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True, slots=True)
class Person:
    """The person whose fall risk is assessed."""

    id: str
    name: str
    birth_year: int | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Assessor:
    """Who carried out the walkthrough, and what the plan's sign-off prints about them (each
    may be empty: a caregiver has no registration number)."""

    name: str
    role: Mode
    credentials: str = ""  # "OT Reg. OT12345", "MSc OT"
    organisation: str = ""
    contact: str = ""  # a telephone number or an e-mail address, as the assessor wrote it


@dataclass(frozen=True, slots=True)
class Prescription:
    """A home exercise the therapist prescribed for this person, with the dose as prescribed
    ("10 lifts, twice a day"). `exercise` is an exercise id of data/report/exercises.toml."""

    exercise: str
    dose: str = ""


@dataclass(frozen=True, slots=True)
class RoomInstance:
    """One room of the home: "Bedroom 2" is its own room with its own answers."""

    id: str
    kind: str
    name: str
    night_route: bool = False
    stairs_daily: bool = False

    def exposures(self) -> frozenset[str]:
        present = set()
        if self.night_route:
            present.add("night_route")
        if self.stairs_daily:
            present.add("stairs_daily")
        return frozenset(present)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: a value for an item, in a room (None for the person's own items)."""

    item: str
    room: str | None
    value: str | float
    note: str = ""
    unit: str = ""
    answered_at: datetime | None = None

    def value_in_mm(self) -> float:
        """A length measurement in millimetres, whatever unit it was taken in."""
        assert isinstance(self.value, float)
        return self.value * LENGTH_UNITS.get(self.unit or "mm", 1.0)


@dataclass(frozen=True, slots=True)
class PrintCopy:
    """A photo's print-size JPEG (imaging.PRINT_MAX_SIDE on its long side at most), made once
    when the photo is attached or imported, so a report does not make it again."""

    data: bytes = field(repr=False)
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo attached to one answer slot, already downscaled; the original's hash is kept.

    `for_print` is None for a photo kept before print copies were (a database from before
    migration 0006, a file of format 3 or older): a report makes the copy then."""

    id: str
    item: str
    room: str | None
    filename: str
    media_type: str
    width: int
    height: int
    data: bytes = field(repr=False)
    original_sha256: str = ""
    original_bytes: int = 0
    for_print: PrintCopy | None = None


ACTION_STATUSES = tuple(state.value for state in ActionState)


@dataclass(frozen=True, slots=True)
class ActionStatus:
    """Whether one action of the plan was done, so a later visit can see what was fixed."""

    kind: ActionKind
    item: str
    room: str | None
    status: ActionState = ActionState.OPEN
    done_on: date | None = None
    note: str = ""
    # This visit's own wording, priority (a Priority value) and who does it (a Who value), where
    # the assessor edited them; None: the plan's own.
    text: str | None = None
    priority: str | None = None
    who: str | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """A walkthrough: metadata, the home's rooms and the answers given so far."""

    id: str
    person: Person
    assessor: Assessor
    mode: Mode
    date: date
    checklist_version: str
    model_version: str
    rooms: tuple[RoomInstance, ...] = ()
    answers: tuple[Answer, ...] = ()
    status: VisitStatus = VisitStatus.COMPLETED
    photos: tuple[Photo, ...] = ()
    actions: tuple[ActionStatus, ...] = ()
    # Falls since the last visit: None on a first visit, and when not recorded.
    falls: FallsSinceLastVisit | None = None
    # When the plan should be looked at again (the sign-off prints it); None: not set.
    next_review: Day | None = None
    # The home exercises the therapist chose for this person; empty: no exercise page.
    exercises: tuple[Prescription, ...] = ()
    # Built from `answers` by every constructor, `dataclasses.replace` included (it is not an
    # init field, so a copy can never carry the old answers' index).
    _index: dict[tuple[str, str | None], Answer] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        index = {(answer.item, answer.room): answer for answer in self.answers}
        object.__setattr__(self, "_index", index)

    def answer(self, item_id: str, room_id: str | None = None) -> Answer | None:
        return self._index.get((item_id, room_id))

    def room(self, room_id: str) -> RoomInstance:
        for room in self.rooms:
            if room.id == room_id:
                return room
        raise KeyError(room_id)


def effective_facts(checklist: Checklist, assessment: Assessment) -> dict[str, str]:
    """The person's answers that count: only those to questions that are asked.

    An answer kept from before ("hurt in a fall: yes" after "fallen in the past year" was
    changed to no) must not raise a factor or a trait. (A red flag is the exception: a "yes"
    someone gave to a warning-sign question always shows; see scoring.find_red_flags.)
    Conditions may only name earlier items (the loader checks), so one pass in checklist order
    settles it.
    """
    facts = {MODE_SUBJECT: assessment.mode.value}
    for item in checklist.items:
        if not item.person_level or not item_applies(item, facts, assessment.mode):
            continue
        answer = assessment.answer(item.id)
        if answer is not None:
            facts[item.id] = str(answer.value)
    # A room's answers that a later question of the same room follows ("grab bar height" only
    # where there is a grab bar), as "<item>@<room id>": see in_room().
    named = {
        c.subject for item in checklist.items if not item.person_level for c in item.applies_if
    }
    subjects = [item for item in checklist.items if item.id in named and not item.person_level]
    for room in assessment.rooms if subjects else ():
        local = in_room(facts, room.id)
        for item in subjects:  # in checklist order: one may follow another
            if not item.applies_to_room(room.kind) or not item_applies(
                item, local, assessment.mode
            ):
                continue
            answer = assessment.answer(item.id, room.id)
            if answer is not None:
                facts[f"{item.id}@{room.id}"] = local[item.id] = str(answer.value)
    return facts


def in_room(facts: Mapping[str, str], room_id: str | None) -> dict[str, str]:
    """The facts as a question asked in this room sees them: the person's and the whole
    home's, and this room's own answers under their item ids."""
    local = {key: value for key, value in facts.items() if "@" not in key}
    if room_id is None:
        return local
    suffix = f"@{room_id}"
    for key, value in facts.items():
        if key.endswith(suffix):
            local[key.removesuffix(suffix)] = value
    return local


def item_applies(item: Item, facts: Mapping[str, str], mode: Mode) -> bool:
    """Whether the walkthrough asks this item, given the mode and the answers so far."""
    return item.asked_in(mode) and all_hold(item.applies_if, facts)


MAX_MEASUREMENT = 100_000  # 100 m, or 100,000 lux: anything above is a typing mistake


class AnswerValueError(ValueError):
    """A value that is not an answer of its item; `field` says which part ("value" or "unit")."""

    def __init__(self, problem: str, field: str = "value") -> None:
        super().__init__(problem)
        self.field = field


def check_answer(item: Item, value: object, unit: str = "") -> tuple[str | float, str]:
    """The one check of an answer's value: returns the value and unit as stored.

    A measurement is a finite number of zero or more, in the item's unit (lengths in mm or
    inches; no unit means the item's); every other answer is one of the item's values and has
    no unit. Raises AnswerValueError in plain words; callers add where the value came from.
    """
    if item.type is AnswerType.MEASURE:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerValueError(f"'{item.id}' is a measurement and needs a number")
        try:
            number = float(value)
        except OverflowError:  # an integer like 10**400
            number = math.inf
        if not math.isfinite(number) or not 0 <= number <= MAX_MEASUREMENT:
            shown = f"{number:g}" if math.isfinite(number) else "a number that large"
            raise AnswerValueError(
                f"{shown} is not a measurement (a number from 0 to {MAX_MEASUREMENT:,})"
            )
        allowed = tuple(LENGTH_UNITS) if item.unit == "mm" else (item.unit,)
        unit = unit or item.unit
        if unit not in allowed:
            raise AnswerValueError(f"'{unit}' is not one of {', '.join(allowed)}", "unit")
        if item.plausible is not None and not item.plausible[0] <= number <= item.plausible[1]:
            low, high = item.plausible
            raise AnswerValueError(
                f"{number:g} {unit} is not a plausible result (from {low:g} to {high:g} {unit}); "
                "if the person could not do the test, choose that answer instead"
            )
        return number, unit
    choices = ", ".join(item.allowed_values())
    if not isinstance(value, str):
        raise AnswerValueError(
            f"wrong type ({type(value).__name__}); '{item.id}' takes one of {choices}"
        )
    if value not in item.allowed_values():
        raise AnswerValueError(f"'{value}' is not an answer of '{item.id}' ({choices})")
    if unit:
        raise AnswerValueError(f"'{item.id}' is not a measurement", "unit")
    return value, ""


def raises_red_flag(item: Item, answer: Answer) -> bool:
    """Whether an answer is one of its item's red-flag answers."""
    return (
        item.red_flag is not None
        and isinstance(answer.value, str)
        and answer.value in item.red_flag.values
    )


def is_hazard(item: Item, answer: Answer) -> bool:
    """Whether an answer to a hazard item means the hazard is present."""
    if not item.is_hazard_item:
        return False
    if item.type is AnswerType.MEASURE:
        if not isinstance(answer.value, float):
            return False
        reading = answer.value_in_mm() if item.unit == "mm" else answer.value
        below = item.hazard_below is not None and reading < item.hazard_below
        above = item.hazard_above is not None and reading > item.hazard_above
        return below or above
    return isinstance(answer.value, str) and answer.value in item.hazard_if
