"""Use cases for the falls since the last visit: read them, record them, and list a person's.

Falls are asked at every follow-up visit and kept as outcome records: later they are what the
program's own risk estimates are measured against, so they are stored exactly as given and
never guessed ("not asked" stays "not asked", never "no falls").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from safetycheck.domain.falls import (
    Fall,
    FallsSinceLastVisit,
    FallValueError,
    check_count,
    check_fall,
)
from safetycheck.domain.visits import AssessmentInfo
from safetycheck.services.errors import InvalidInputError, NotFoundError
from safetycheck.services.ports import UnitOfWork
from safetycheck.services.workspace import Workspace

__all__ = [
    "FallsRecord",
    "falls_for_person",
    "falls_since_last_visit",
    "previous_visit",
    "record_falls",
]


@dataclass(frozen=True, slots=True)
class FallsRecord:
    """The falls one visit recorded, with that visit."""

    visit: AssessmentInfo
    report: FallsSinceLastVisit


def _visit(uow: UnitOfWork, assessment_id: str, *, lock: bool = False) -> AssessmentInfo:
    info = uow.visits.lock(assessment_id) if lock else uow.visits.info(assessment_id)
    if info is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return info


def _previous(uow: UnitOfWork, info: AssessmentInfo) -> AssessmentInfo | None:
    return uow.visits.latest(info.person_id, before=info)


def previous_visit(ws: Workspace, assessment_id: str) -> AssessmentInfo | None:
    """The person's newest visit before this one, finished or not (None: a first visit).

    Any earlier visit counts, not only finished ones: the falls are counted from the last time
    someone was there to ask.
    """
    with ws.unit_of_work(read_only=True) as uow:
        return _previous(uow, _visit(uow, assessment_id))


def falls_since_last_visit(ws: Workspace, assessment_id: str) -> FallsSinceLastVisit:
    """The falls recorded at this visit; when none were recorded, count None (not asked) and
    the earlier visit they would be counted from (none on a first visit)."""
    with ws.unit_of_work(read_only=True) as uow:
        info = _visit(uow, assessment_id)
        stored = uow.visits.falls(info.id)
        if stored is not None:
            return stored
        previous = _previous(uow, info)
    if previous is None:
        return FallsSinceLastVisit(None)
    return FallsSinceLastVisit(None, since_visit_id=previous.id, since_date=previous.date)


def record_falls(
    ws: Workspace, assessment_id: str, count: int, falls: Sequence[Fall]
) -> FallsSinceLastVisit:
    """Record how many falls there were since the last visit and what is known of each,
    replacing whatever this visit recorded before (all of it, in one unit of work).

    Only at a follow-up visit (a first visit has no "last visit" to count from). Allowed on a
    finished visit too: the falls are a record of what happened, not an answer of the
    walkthrough, so they neither change the visit's result nor need it reopened. Returns the
    report as stored: a room's name as it is at this visit, and the earlier visit counted from.
    Raises InvalidInputError in plain words for a value that cannot be recorded.
    """
    with ws.unit_of_work() as uow:
        info = _visit(uow, assessment_id, lock=True)
        previous = _previous(uow, info)
        if previous is None:
            raise InvalidInputError(
                "falls since the last visit can only be recorded at a follow-up visit; "
                "this is the person's first visit"
            )
        rooms = {room.room_key: room.name for room in uow.visits.rooms(info.id)}
        report = FallsSinceLastVisit(
            _checked_count(count, falls),
            tuple(_checked_fall(n, fall, info, rooms) for n, fall in enumerate(falls, 1)),
            previous.id,
            previous.date,
        )
        since = f"{previous.date.year:04d}-{previous.date.month:02d}"
        for n, fall in enumerate(report.falls, 1):
            if fall.month and fall.month < since:
                raise InvalidInputError(
                    f"fall {n}: {fall.month} is before the last visit ({previous.date}); "
                    "a fall before it belongs to that visit"
                )
        now = ws.now()
        uow.visits.save_falls(info.id, report, now)
        uow.visits.touch(info.id, now)
        uow.commit()
    return report


def _checked_count(count: object, falls: Sequence[object]) -> int:
    if isinstance(falls, str | bytes) or not isinstance(falls, Sequence):
        raise InvalidInputError("the falls must be a list of falls")
    try:
        return check_count(count, len(falls))
    except FallValueError as exc:
        raise InvalidInputError(str(exc)) from None


def _checked_fall(n: int, fall: object, info: AssessmentInfo, rooms: dict[str, str]) -> Fall:
    if not isinstance(fall, Fall):
        raise InvalidInputError(f"fall {n} is not a fall")
    try:
        return check_fall(fall, info.date, rooms)
    except FallValueError as exc:
        raise InvalidInputError(f"fall {n}: {exc}") from None


def falls_for_person(ws: Workspace, person_id: str) -> list[FallsRecord]:
    """Every visit of the person that recorded falls, newest first, with what it recorded."""
    with ws.unit_of_work(read_only=True) as uow:
        if not uow.people.exists(person_id):
            raise NotFoundError(f"no person with id '{person_id}'")
        return [FallsRecord(info, report) for info, report in uow.visits.falls_of_person(person_id)]
