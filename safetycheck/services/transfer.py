"""Use cases: export a visit to the JSON interchange file, and import one (all or nothing)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from safetycheck.domain.assessment import ActionStatus, Assessment, VisitStatus
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.falls import FallsSinceLastVisit
from safetycheck.domain.visits import AssessmentInfo
from safetycheck.exchange.assessment_json import assessment_from_document, assessment_to_document
from safetycheck.services.assessments import load_visit, with_print_copies
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.ports import UnitOfWork
from safetycheck.services.signoff import exercise_choices
from safetycheck.services.workspace import Workspace
from safetycheck.store.errors import ConcurrentEditError


def export_document(ws: Workspace, assessment_id: str) -> dict[str, Any]:
    """The visit as an interchange document, photos, action statuses and falls included."""
    snapshot = load_visit(ws, assessment_id, with_photos=True)
    return assessment_to_document(
        snapshot.assessment,
        exported_at=ws.now().isoformat(timespec="seconds"),
        room_keys=snapshot.room_keys,
    )


def import_document(ws: Workspace, document: Any) -> str:
    """Check the whole document first, then write it in one transaction; returns the new id.

    The person is matched by id: an existing person gets the visit (their details are left
    alone); otherwise the person is created with the id from the file.
    """
    known = [choice.id for choice in exercise_choices(ws)]
    assessment = assessment_from_document(document, ws.content.checklist, known)
    return import_assessment(ws, assessment)


def import_assessment(ws: Workspace, assessment: Assessment) -> str:
    # Photos from an older file get their print copies now (before the write starts), once.
    assessment = with_print_copies(assessment)
    with ws.unit_of_work() as uow:
        try:
            new = store_assessment(uow, ws, assessment)
            uow.commit()
        except ConcurrentEditError as exc:
            raise InvalidInputError(f"the file could not be imported: {exc}") from None
    return new


def store_assessment(uow: UnitOfWork, ws: Workspace, assessment: Assessment) -> str:
    """Add a checked assessment as a new visit inside the caller's unit of work.

    The person is created if they are not stored yet. Rooms that match the person's last visit
    (same kind and name) keep its room keys, so visits can be compared. A finished visit gets
    its stored result, its ticks, and an open action for every other action of its plan.
    """
    now = ws.now()
    assessment = with_print_copies(assessment)  # nothing to do when the caller made them
    person = assessment.person
    if not uow.people.exists(person.id):
        uow.people.add(person.name, person.birth_year, person.notes, now, person_id=person.id)
    keys: dict[str, str] = {}
    previous = uow.visits.latest(person.id)
    if previous is not None:
        earlier = {(r.kind, r.name.casefold()): r.room_key for r in uow.visits.rooms(previous.id)}
        keys = {
            room.id: earlier[(room.kind, room.name.casefold())]
            for room in assessment.rooms
            if (room.kind, room.name.casefold()) in earlier
        }
    if assessment.falls is not None:
        assessment = replace(assessment, falls=_falls_here(uow, assessment, previous))
    if assessment.status is not VisitStatus.COMPLETED:
        return uow.visits.add(assessment, room_keys=keys, now=now)
    evaluation = evaluate(ws.content, assessment)
    # The file's ticks as they are, and an open action for every other one of the plan.
    ticked = {(a.kind, a.item, a.room) for a in assessment.actions}
    missing = tuple(
        ActionStatus(a.kind, a.item, a.room)
        for a in evaluation.plan.actions
        if (a.kind, a.item, a.room) not in ticked
    )
    assessment = replace(assessment, actions=(*assessment.actions, *missing))
    return uow.visits.add(
        assessment,
        room_keys=keys,
        now=now,
        completed_at=now,
        result=(evaluation.result.level_range.key, evaluation.result.score),
    )


def _falls_here(
    uow: UnitOfWork, assessment: Assessment, newest: AssessmentInfo | None
) -> FallsSinceLastVisit | None:
    """The file's falls report, linked to the visit it counts from as this database has it.

    The file's `since_visit_id` is an id of the database it came from (every imported visit
    gets a new id). The visit just before the imported one here is the one counted from when
    its date is the file's `since_date`; otherwise that visit is not in this database and only
    the date is kept.
    """
    falls = assessment.falls
    assert falls is not None
    before = newest
    while before is not None and before.date > assessment.date:
        before = uow.visits.latest(assessment.person.id, before=before)
    linked = before is not None and falls.since_date is not None and before.date == falls.since_date
    return replace(falls, since_visit_id=before.id if linked and before is not None else None)
