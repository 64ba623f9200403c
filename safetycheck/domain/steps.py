"""The walkthrough's steps, declared once: every view (the guided wizard, an OT grid, the blank
checklist, the printed plan) is a view of the same step list and the same items.

who and how → (on a follow-up visit) falls since the last visit → the person → the home (its
rooms) → around the home (the questions asked once for the whole home) → each room → footwear
→ brace and skin (when any of its items applies) → summary. Which steps there are follows the
answers: the brace step appears the moment an answer makes one of its items apply, without
naming any item here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from safetycheck.domain.assessment import (
    Assessment,
    RoomInstance,
    effective_facts,
    in_room,
    item_applies,
)
from safetycheck.domain.checklist import Checklist, Item, Mode, Page
from safetycheck.domain.conditions import MODE_SUBJECT


class StepKind(StrEnum):
    """What a step is about; the order here is the walkthrough's order."""

    WHO = "who"
    FALLS = "falls"  # a follow-up visit: falls since the last visit (outcome records)
    PERSON = "person"
    HOME = "home"  # the rooms table: which rooms, in the order of the route
    HOME_CHECKS = "home_checks"  # "Around the home": questions asked once, not in every room
    ROOM = "room"
    FOOTWEAR = "footwear"
    BRACE = "brace"
    SUMMARY = "summary"

    @property
    def page(self) -> Page | None:
        """The checklist page whose items this step asks (None: the step asks no items)."""
        return _PAGE_OF.get(self)


_PAGE_OF = {
    StepKind.PERSON: Page.PERSON,
    StepKind.HOME_CHECKS: Page.HOME,
    StepKind.ROOM: Page.ROOM,
    StepKind.FOOTWEAR: Page.FOOTWEAR,
    StepKind.BRACE: Page.BRACE,
}
_TITLES = {
    StepKind.WHO: "Who and how",
    StepKind.FALLS: "Falls since the last visit",
    StepKind.PERSON: "The person",
    StepKind.HOME: "The home",
    StepKind.HOME_CHECKS: "Around the home",
    StepKind.FOOTWEAR: "Footwear",
    StepKind.BRACE: "Brace and skin",
    StepKind.SUMMARY: "Summary",
}
_HELP = {
    StepKind.FALLS: "Every fall since the last visit, even one that did no harm: how many, when, "
    "where, what happened, and whether a doctor or a hospital saw the person.",
    StepKind.HOME_CHECKS: "Questions about the whole home, asked once rather than in every room.",
}
# Steps shown even when none of their items applies (the person's and footwear questions are
# always asked; an empty room says so rather than vanishing from the route). "Around the home"
# is shown when it asks something, like brace and skin.
_ALWAYS = frozenset(
    {
        StepKind.WHO,
        StepKind.FALLS,
        StepKind.PERSON,
        StepKind.HOME,
        StepKind.ROOM,
        StepKind.FOOTWEAR,
        StepKind.SUMMARY,
    }
)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the walkthrough.

    Attributes:
        key: stable name of the step, saved as the resume point ("person", "room:<id>", …).
        items: the questions this step can ask in this mode (and room kind); which of them are
            shown depends on the answers so far (`asked`).
    """

    kind: StepKind
    key: str
    title: str
    help: str = ""
    room: RoomInstance | None = None
    items: tuple[Item, ...] = ()

    @property
    def room_id(self) -> str | None:
        return self.room.id if self.room is not None else None

    def asked(self, facts: dict[str, str], mode: Mode) -> tuple[Item, ...]:
        """The items this step asks, given the answers so far (in a room: with that room's
        own answers, which a later question of the room may follow)."""
        if self.room is not None:
            facts = in_room(facts, self.room.id)
        return tuple(item for item in self.items if item_applies(item, facts, mode))


def step_key(kind: StepKind, room_id: str | None = None) -> str:
    return f"room:{room_id}" if kind is StepKind.ROOM else kind.value


def _items(
    checklist: Checklist, kind: StepKind, mode: Mode, room_kind: str | None
) -> tuple[Item, ...]:
    page = kind.page
    if page is None:
        return ()
    return tuple(
        item
        for item in checklist.items_on(page)
        if item.asked_in(mode) and (room_kind is None or item.applies_to_room(room_kind))
    )


def _all_steps(
    checklist: Checklist, mode: Mode, rooms: tuple[RoomInstance, ...], follow_up: bool = False
) -> Iterator[Step]:
    for kind in StepKind:
        if kind is StepKind.FALLS and not follow_up:
            continue
        if kind is StepKind.ROOM:
            for room in rooms:
                yield Step(
                    kind,
                    step_key(kind, room.id),
                    room.name,
                    checklist.room_kind(room.kind).help,
                    room,
                    _items(checklist, kind, mode, room.kind),
                )
        else:
            yield Step(
                kind,
                step_key(kind),
                _TITLES[kind],
                _HELP.get(kind, ""),
                items=_items(checklist, kind, mode, None),
            )


def steps(
    checklist: Checklist,
    assessment: Assessment,
    facts: dict[str, str] | None = None,
    follow_up: bool = False,
) -> tuple[Step, ...]:
    """The steps of this walkthrough now, in order (they change as rooms and answers change).

    `facts` are the assessment's effective facts, when the caller has them already.
    `follow_up`: the person has an earlier visit, so the walkthrough asks about the falls
    since then (a step with no checklist items: it changes no score).
    """
    if facts is None:
        facts = effective_facts(checklist, assessment)
    return tuple(
        step
        for step in _all_steps(checklist, assessment.mode, assessment.rooms, follow_up)
        if step.kind in _ALWAYS or step.asked(facts, assessment.mode)
    )


def steps_before_start(
    checklist: Checklist, mode: Mode, rooms: tuple[RoomInstance, ...]
) -> tuple[Step, ...]:
    """The steps a walkthrough will have before its visit exists: these rooms, no answers yet
    (a step that appears only with some answer, such as brace and skin, is not among them)."""
    facts = {MODE_SUBJECT: mode.value}
    return tuple(
        step
        for step in _all_steps(checklist, mode, rooms)
        if step.kind in _ALWAYS or step.asked(facts, mode)
    )


def blank_steps(checklist: Checklist, mode: Mode) -> tuple[Step, ...]:
    """The steps of a paper checklist: every step, one room step per kind of room (its name left
    blank to fill in), each with every item the mode asks there, whatever the answers."""
    rooms = tuple(RoomInstance(kind.id, kind.id, kind.name) for kind in checklist.room_kinds)
    return tuple(
        step
        for step in _all_steps(checklist, mode, rooms)
        if step.kind is not StepKind.ROOM or step.items
    )


def applicable_slots(
    checklist: Checklist, assessment: Assessment
) -> list[tuple[Item, RoomInstance | None]]:
    """Every (item, room) the walkthrough asks for this assessment, in walkthrough order."""
    facts = effective_facts(checklist, assessment)
    return [
        (item, step.room)
        for step in steps(checklist, assessment, facts)
        for item in step.asked(facts, assessment.mode)
    ]


def brace_step_applies(checklist: Checklist, assessment: Assessment) -> bool:
    """Whether the walkthrough has a brace-and-skin step for this assessment."""
    return any(step.kind is StepKind.BRACE for step in steps(checklist, assessment))


__all__ = [
    "Step",
    "StepKind",
    "applicable_slots",
    "blank_steps",
    "brace_step_applies",
    "step_key",
    "steps",
    "steps_before_start",
]
