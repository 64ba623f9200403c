"""The checklist: rooms, categories, items and their actions, as frozen values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from safetycheck.domain.conditions import Condition


class Page(StrEnum):
    """Where the walkthrough asks an item."""

    PERSON = "person"
    HOME = "home"  # once for the whole home (pets, bulbs): no room, asked before the rooms
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

    @property
    def label(self) -> str:
        return {"easy": "Quick to do", "moderate": "Some work", "major": "A big job"}[self.value]


class Mode(StrEnum):
    """Caregiver mode asks the plain-language items; OT mode adds measurements and more items."""

    CAREGIVER = "caregiver"
    OT = "ot"


EXPOSURES = ("night_route", "stairs_daily")
INTERACTION_TAGS = ("trip", "slip", "lighting", "footwear", "skin", "transfer", "reach")
UNITS = ("mm", "lux", "count", "s", "m/s")
LENGTH_UNITS = {"mm": 1.0, "in": 25.4}


@dataclass(frozen=True, slots=True)
class Source:
    """A published source that items and weights cite."""

    id: str
    title: str
    note: str = ""
    checked: str = ""  # how the figures and wording were checked: see SOURCE_CHECKS


SOURCE_CHECKS = {
    "verified": "checked against a stored copy of the publication or page",
    "partly verified": "some figures checked, others not found in a stored copy (see the note)",
    "secondary": "a summary of guidance, not a single publication",
    "not verified": "not found in a stored copy; used as a design choice",
}


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
    # The words when an occupational therapist wrote the plan, where `text` sends the reader
    # to one ("Ask an occupational therapist about a commode" becomes what the OT advises).
    ot_text: str = ""


class Urgency(StrEnum):
    """How soon a red flag needs help; the order is the order of urgency."""

    EMERGENCY = "emergency"
    TODAY = "today"
    SOON = "soon"

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


@dataclass(frozen=True, slots=True)
class UrgencyTier:
    """What one level of urgency means, in the words every view uses (from the content)."""

    urgency: Urgency
    title: str  # "Call the emergency number now"
    advice: str  # what to do, in a sentence or two
    source: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    """An answer that means: get medical help, as soon as its urgency says.

    A red-flag question is a yes/no question whose "yes" is the warning sign; it adds no points.
    """

    values: tuple[str, ...]
    text: str
    urgency: Urgency = Urgency.TODAY


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
    declared_safe: tuple[str, ...] | None = None  # `safe` in the content, when given
    plausible: tuple[float, float] | None = None  # a measurement outside is a typing mistake
    # A fact about the person that rarely changes (foot drop, its side and cause, the brace,
    # the walking aid, medicines): a follow-up visit offers the last visit's answer to confirm.
    stable: bool = False
    # A measurement's short name on the plan ("Toilet seat height"); required on measure items.
    label: str = ""

    @property
    def safe_values(self) -> tuple[str, ...]:
        """The answers that mean no problem (empty: the question records a fact, and no answer
        is "safe"). Checks: yes (and not applicable); yes/no questions: no, unless the content
        says otherwise; choices: the options that find no hazard, for a hazard item."""
        if self.declared_safe is not None:
            return self.declared_safe
        if self.type is AnswerType.CHECK:
            return ("yes", "na")
        if self.type is AnswerType.YESNO:
            return ("no",)
        if self.type is AnswerType.CHOICE and self.is_hazard_item:
            return tuple(o.value for o in self.options if o.value not in self.hazard_if)
        return ()

    @property
    def is_hazard_item(self) -> bool:
        return self.severity is not None

    @property
    def person_level(self) -> bool:
        """Asked once, with no room: about the person, or about the whole home."""
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
class RetiredItem:
    """A question of an earlier checklist version that this one no longer asks.

    Visits and files made with the earlier version keep their answers to it; nothing scores
    them. `why` says what replaced it, for the people reading an old visit.
    """

    id: str
    since: str  # the checklist version that stopped asking it
    values: tuple[str, ...]  # its answers (empty: a measurement)
    why: str
    replaced_by: str = ""  # a question whose answer follows exactly from this one's
    carried: tuple[tuple[str, str], ...] = ()  # (old answer, the replacement's answer)
    red_flag: RedFlag | None = None  # a warning sign it asked: a "yes" given still shows
    carry_if: tuple[Condition, ...] = ()  # when the earlier checklist asked it (else not carried)
    per_room: bool = False  # asked in each room (its answers have a room)
    rooms: tuple[str, ...] = ()  # per room: the room kinds it was asked in ("*": every room)

    def asked_in_room(self, kind: str) -> bool:
        return "*" in self.rooms or kind in self.rooms


def least_safe(target: Item, values: Iterable[str]) -> str | None:
    """The one answer for the whole home that follows from its rooms' answers to a question
    asked per room: a hazard in any room is a hazard of the home; else a room that has the thing
    and is safe makes the home safe; "not applicable" only when it applied in no room.
    None when there are no answers."""
    given = set(values)
    if not given:
        return None
    for value in target.hazard_if:
        if value in given:
            return value
    for value in target.allowed_values():
        if value in given and value != "na":
            return value
    return "na" if "na" in given else None


@dataclass(frozen=True, slots=True)
class Checklist:
    """The whole checklist, in walkthrough order, with its version."""

    version: str
    sources: tuple[Source, ...]
    categories: tuple[Category, ...]
    room_kinds: tuple[RoomKind, ...]
    items: tuple[Item, ...]
    urgencies: tuple[UrgencyTier, ...] = ()
    retired: tuple[RetiredItem, ...] = ()
    reads: tuple[str, ...] = ()  # earlier checklist versions whose visits and files it opens
    _by_id: dict[str, Item] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {item.id: item for item in self.items})

    def item(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id

    def retired_item(self, item_id: str) -> RetiredItem | None:
        for retired in self.retired:
            if retired.id == item_id:
                return retired
        return None

    @property
    def readable_versions(self) -> tuple[str, ...]:
        """The checklist versions whose visits and files this checklist opens: the earlier ones
        the content names (oldest first), and its own."""
        return (*self.reads, self.version)

    def urgency(self, urgency: Urgency) -> UrgencyTier:
        for tier in self.urgencies:
            if tier.urgency is urgency:
                return tier
        raise KeyError(urgency)

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
