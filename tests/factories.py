"""Builds assessments for tests: every applicable item answered safely, then the given changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from safetycheck.content import Content
from safetycheck.domain.assessment import (
    Answer,
    Assessment,
    Assessor,
    Person,
    RoomInstance,
)
from safetycheck.domain.checklist import AnswerType, Item, Mode
from safetycheck.domain.steps import applicable_slots

DEFAULT_ROOMS: tuple[tuple[str, str, bool, bool], ...] = (
    ("entrance", "Entrance", False, False),
    ("hallway", "Hallway", True, False),
    ("living", "Living room", False, False),
    ("kitchen", "Kitchen", False, False),
    ("bedroom", "Bedroom", True, False),
    ("bathroom", "Bathroom", True, False),
)


# Gait tests have no hazard threshold; these results are in the normal range (TUG at most 15 s,
# gait speed at least 0.8 m/s: data/model/model.toml [stratification]).
NORMAL_GAIT = {"person.gait.tug": 10.0, "person.gait.speed": 1.2}


def safe_value(item: Item) -> str | float:
    """The answer that finds no hazard for this item."""
    if item.id in NORMAL_GAIT:
        return NORMAL_GAIT[item.id]
    if item.type is not AnswerType.MEASURE:
        # The content's own idea of "no problem"; a question that only records a fact (which
        # foot, what cause) takes its first option.
        if item.safe_values:
            return item.safe_values[0]
        assert item.options, f"{item.id} has no safe answer"
        return item.options[0].value
    low = item.hazard_below if item.hazard_below is not None else 0.0
    high = item.hazard_above if item.hazard_above is not None else low + 100.0
    return (low + high) / 2


def rooms_from(spec: tuple[tuple[str, str, bool, bool], ...]) -> tuple[RoomInstance, ...]:
    return tuple(
        RoomInstance(f"r{n}", kind, name, night, stairs)
        for n, (kind, name, night, stairs) in enumerate(spec, start=1)
    )


def make_assessment(
    content: Content,
    person: Mapping[str, str | float] | None = None,
    rooms: tuple[tuple[str, str, bool, bool], ...] = DEFAULT_ROOMS,
    changes: Mapping[tuple[str, str | None], str | float] | None = None,
    mode: Mode = Mode.CAREGIVER,
    complete: bool = True,
    notes: Mapping[tuple[str, str | None], str] | None = None,
) -> Assessment:
    """An assessment where person answers and changes are given and everything else is safe.

    `person` maps person-level item ids to answers; `changes` maps (item id, room id) to answers
    (room ids are r1, r2, … in the order of `rooms`). With complete=False only the given answers
    are recorded.
    """
    checklist = content.checklist
    person = dict(person or {})
    changes = dict(changes or {})
    notes = dict(notes or {})
    given: dict[tuple[str, str | None], str | float] = {(k, None): v for k, v in person.items()}
    given.update(changes)
    base = Assessment(
        id="a-test",
        person=Person("p-test", "Test Person", 1944),
        assessor=Assessor("Test Assessor", mode),
        mode=mode,
        date=date(2026, 11, 26),
        checklist_version=checklist.version,
        model_version=content.model.version,
        rooms=rooms_from(rooms),
    )
    answers: dict[tuple[str, str | None], str | float] = {}
    if not complete:
        answers = dict(given)
    else:
        # Applicability depends on earlier answers, so settle it by answering until stable.
        for _ in range(5):
            current = _with_answers(base, answers)
            slots = applicable_slots(checklist, current)
            wanted = {(item.id, room.id if room else None): item for item, room in slots}
            updated = {
                key: given.get(key, answers.get(key, safe_value(item)))
                for key, item in wanted.items()
            }
            if updated == answers:
                break
            answers = updated
    units = {item.id: item.unit for item in checklist.items if item.unit}
    return _with_answers(base, answers, notes, units)


def _with_answers(
    base: Assessment,
    answers: Mapping[tuple[str, str | None], str | float],
    notes: Mapping[tuple[str, str | None], str] | None = None,
    units: Mapping[str, str] | None = None,
) -> Assessment:
    notes = notes or {}
    units = units or {}
    return replace(
        base,
        answers=tuple(
            Answer(
                item,
                room,
                float(value) if isinstance(value, int) else value,
                note=notes.get((item, room), ""),
                unit=units.get(item, "mm") if isinstance(value, int | float) else "",
            )
            for (item, room), value in answers.items()
        ),
    )
