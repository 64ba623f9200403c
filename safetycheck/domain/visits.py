"""What the use cases read and write through the repositories: people and visits as lists show
them (with the versions that guard against lost updates), one visit's snapshot, and the
bookkeeping rules for a finished visit's actions.

Values only: the store maps its records to these, the services pass them on, the UI shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from safetycheck.domain.assessment import (
    ActionKind,
    ActionState,
    ActionStatus,
    Assessment,
    VisitStatus,
)
from safetycheck.domain.checklist import Checklist, Mode
from safetycheck.domain.falls import FallsSinceLastVisit

Slot = tuple[str, str | None]  # (item id, room id or None)
ActionKey = tuple[ActionKind, str, str | None]  # (kind, item id, room id or None)


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person as the lists and forms show them."""

    id: str
    name: str
    birth_year: int | None
    notes: str
    version: int
    visits: int = 0
    last_visit: date | None = None


@dataclass(frozen=True, slots=True)
class AssessmentInfo:
    """A visit as lists show it."""

    id: str
    person_id: str
    person_name: str
    date: date
    assessor_name: str
    assessor_role: Mode
    mode: Mode
    status: VisitStatus
    version: int
    level: str | None
    score: int | None
    resume_at: str
    checklist_version: str
    model_version: str


@dataclass(frozen=True, slots=True)
class RoomSpec:
    """A room to create: its kind and name, and whether it is on the night route or daily stairs.

    `room_key` names the same room across visits (copied forward from the last visit).
    """

    kind: str
    name: str = ""
    night_route: bool = False
    stairs_daily: bool = False
    room_key: str | None = None


def default_rooms(checklist: Checklist) -> list[RoomSpec]:
    """The rooms a first visit starts with: the kinds most homes have."""
    return [
        RoomSpec(kind.id, kind.name, kind.night_route_default, False)
        for kind in checklist.room_kinds
        if kind.default_present
    ]


@dataclass(frozen=True, slots=True)
class StoredRoom:
    """A room as stored: which visit it belongs to, its key across visits, its place."""

    id: str
    visit_id: str
    room_key: str
    kind: str
    name: str
    position: int
    night_route: bool
    stairs_daily: bool


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    """A stored photo, without its bytes."""

    id: str
    item: str
    room: str | None
    filename: str
    width: int
    height: int
    original_sha256: str


@dataclass(frozen=True, slots=True)
class ActionView:
    """One action of a finished visit's plan, with its status."""

    id: str
    kind: ActionKind
    item: str
    room: str | None
    status: ActionState
    done_on: date | None
    note: str
    version: int
    # The visit's own wording, priority and who does it, where edited (None: the plan's own).
    text: str | None = None
    priority: str | None = None
    who: str | None = None

    @property
    def key(self) -> ActionKey:
        return (self.kind, self.item, self.room)

    @property
    def edited(self) -> bool:
        return self.text is not None or self.priority is not None or self.who is not None

    def status_value(self) -> ActionStatus:
        """The action as the assessment carries it (what evaluating and exporting see)."""
        return ActionStatus(
            self.kind,
            self.item,
            self.room,
            self.status,
            self.done_on,
            self.note,
            self.text,
            self.priority,
            self.who,
        )


@dataclass(frozen=True, slots=True)
class VisitSnapshot:
    """One visit read in one transaction: the assessment (answers, rooms, ticks and, when
    asked for, photo bytes), each answer's version, the photos' details and the room keys."""

    info: AssessmentInfo
    assessment: Assessment
    versions: Mapping[Slot, int] = field(default_factory=dict)
    photos: tuple[PhotoInfo, ...] = ()
    room_keys: Mapping[str, str] = field(default_factory=dict)  # room id -> room key
    actions: tuple[ActionView, ...] = ()


@dataclass(frozen=True, slots=True)
class KeptVisit:
    """A visit exactly as stored, kept in memory while its deletion can still be undone: the
    snapshot with photo bytes (ids, versions, room keys, actions with their edits) and what the
    snapshot does not carry (the rooms' places, the times, the falls report as stored). The
    interchange file cannot serve here: by design it holds no versions, room keys or action
    ids, and an import gives every row a new id."""

    snapshot: VisitSnapshot
    rooms: tuple[StoredRoom, ...]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    photo_times: Mapping[str, datetime] = field(default_factory=dict)  # photo id -> added at
    falls: FallsSinceLastVisit | None = None

    @property
    def id(self) -> str:
        return self.snapshot.info.id


@dataclass(frozen=True, slots=True)
class ActionChanges:
    """How a finished visit's stored actions must change to match its plan."""

    remove: tuple[str, ...]  # ids of open actions the plan no longer has
    add: tuple[ActionKey, ...]  # plan actions not stored yet (stored as open)


def action_changes(stored: Iterable[ActionView], wanted: Iterable[ActionKey]) -> ActionChanges:
    """New actions open, ticked ones kept as they are, open ones that no longer apply removed."""
    existing = {action.key: action for action in stored}
    wanted_keys = set(wanted)
    remove = tuple(
        action.id
        for key, action in existing.items()
        if key not in wanted_keys and action.status is ActionState.OPEN
    )
    add = tuple(
        sorted(
            (key for key in wanted_keys if key not in existing),
            key=lambda k: (k[0].value, k[1], k[2] or ""),
        )
    )
    return ActionChanges(remove, add)
