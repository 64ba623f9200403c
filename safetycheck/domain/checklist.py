"""The checklist: rooms, categories, items and their actions, as frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from safetycheck.domain.conditions import Condition


class Page(StrEnum):
    """Where the walkthrough asks an item."""

    PERSON = "person"
    ROOM = "room"
    FOOTWEAR = "footwear"
    BRACE = "brace"


class AnswerType(StrEnum):
    """How an item is answered."""

    CHECK = "check"  # yes (safe) / no (hazard) / na
    YESNO = "yesno"  # a fact about the person: yes / no
    CHOICE = "choice"  # one of the listed options
    MEASURE = "measure"  # a number with a unit


class Severity(StrEnum):
    """How much a hazard can contribute before exposure and interaction."""

    MINOR = "minor"
    MODERATE = "moderate"
    MAJOR = "major"


class Priority(StrEnum):
    """How soon an action should be done; the order is the order of urgency."""

    URGENT = "urgent"
    SOON = "soon"
    WHEN_POSSIBLE = "when_possible"

    @property
    def rank(self) -> int:
        return list(Priority).index(self)

    @property
    def label(self) -> str:
        return {"urgent": "Urgent", "soon": "Soon", "when_possible": "When possible"}[self.value]


class Who(StrEnum):
    """Who carries out an action."""

    PERSON = "person"
    CAREGIVER = "caregiver"
    OT = "ot"
    HANDYPERSON = "handyperson"
    ORTHOTIST = "orthotist"
    DOCTOR = "doctor"

    @property
    def label(self) -> str:
        return {
            "person": "The person",
            "caregiver": "Caregiver",
            "ot": "Occupational therapist",
            "handyperson": "Handyperson",
            "orthotist": "Orthotist",
            "doctor": "Doctor or nurse",
        }[self.value]


class Effort(StrEnum):
    """How hard a fix is; used to rank actions by expected benefit per effort."""

    EASY = "easy"
    MODERATE = "moderate"
    MAJOR = "major"


class Mode(StrEnum):
    """Caregiver mode asks the plain-language items; OT mode adds measurements and more items."""

    CAREGIVER = "caregiver"
    OT = "ot"


EXPOSURES = ("night_route", "stairs_daily")
INTERACTION_TAGS = ("trip", "slip", "lighting", "footwear", "skin", "transfer", "reach")
UNITS = ("mm", "lux", "count")
LENGTH_UNITS = {"mm": 1.0, "in": 25.4}


@dataclass(frozen=True, slots=True)
class Source:
    """A published source that items and weights cite."""

    id: str
    title: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """One item's reference into a source (a topic, an item number)."""

    source: str
    ref: str


@dataclass(frozen=True, slots=True)
class Category:
    """A group of hazards for subtotals and reports."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class RoomKind:
    """A kind of room; a home has any number of instances of each."""

    id: str
    name: str
    help: str
    default_present: bool = False
    night_route_default: bool = False
    stairs: bool = False


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a choice item."""

    value: str
    label: str


def answer_values(answer_type: AnswerType, options: tuple[Option, ...]) -> tuple[str, ...]:
    """The accepted answers of an item of this type (empty for measures)."""
    if answer_type is AnswerType.CHECK:
        return ("yes", "no", "na")
    if answer_type is AnswerType.YESNO:
        return ("yes", "no")
    if answer_type is AnswerType.CHOICE:
        return tuple(option.value for option in options)
    return ()


@dataclass(frozen=True, slots=True)
class Action:
    """What to do when an item's hazard is found."""

    text: str
    priority: Priority
    who: Who
    effort: Effort


@dataclass(frozen=True, slots=True)
class RedFlag:
    """An answer that means: seek medical attention now."""

    values: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question of the checklist, with everything needed to ask it, score it and act on it."""

    id: str
    page: Page
    category: str
    type: AnswerType
    text: str
    help: str
    sources: tuple[Citation, ...]
    rooms: tuple[str, ...] = ()
    mode: str = "all"
    applies_if: tuple[Condition, ...] = ()
    finding: str = ""
    severity: Severity | None = None
    exposure: tuple[str, ...] = ()
    interacts: tuple[str, ...] = ()
    hazard_if: tuple[str, ...] = ()
    hazard_below: float | None = None
    hazard_above: float | None = None
    unit: str = ""
    options: tuple[Option, ...] = ()
    red_flag: RedFlag | None = None
    loinc: str = ""
    action: Action | None = None

    @property
    def is_hazard_item(self) -> bool:
        return self.severity is not None

    @property
    def person_level(self) -> bool:
        return self.page is not Page.ROOM

    def allowed_values(self) -> tuple[str, ...]:
        """The accepted answers of a check, yes/no or choice item (empty for measures)."""
        return answer_values(self.type, self.options)

    def applies_to_room(self, kind: str) -> bool:
        return "*" in self.rooms or kind in self.rooms

    def asked_in(self, mode: Mode) -> bool:
        return self.mode == "all" or self.mode == mode.value

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True, slots=True)
class Checklist:
    """The whole checklist, in walkthrough order, with its version."""

    version: str
    sources: tuple[Source, ...]
    categories: tuple[Category, ...]
    room_kinds: tuple[RoomKind, ...]
    items: tuple[Item, ...]
    _by_id: dict[str, Item] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {item.id: item for item in self.items})

    def item(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id

    def room_kind(self, kind_id: str) -> RoomKind:
        for kind in self.room_kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def items_on(self, page: Page) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.page is page)
