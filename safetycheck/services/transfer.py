"""Use cases: export a visit to the JSON interchange file, and import one (all or nothing)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from safetycheck.domain.assessment import Assessment
from safetycheck.exchange.assessment_json import assessment_from_document, assessment_to_document
from safetycheck.services.assessments import load_assessment, refresh_result, score
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.workspace import Workspace
from safetycheck.store.records import (
    ActionItemRecord,
    AnswerRecord,
    AssessmentRecord,
    PhotoRecord,
    RoomRecord,
)
from safetycheck.store.unit_of_work import ConcurrentEditError, UnitOfWork, new_id


def export_document(ws: Workspace, assessment_id: str) -> dict[str, Any]:
    """The visit as an interchange document, photos and action statuses included."""
    assessment = load_assessment(ws, assessment_id, with_photos=True)
    return assessment_to_document(assessment, exported_at=ws.now().isoformat(timespec="seconds"))


def import_document(ws: Workspace, document: Any) -> str:
    """Check the whole document first, then write it in one transaction; returns the new id.

    The person is matched by id: an existing person gets the visit (their details are left
    alone); otherwise the person is created with the id from the file.
    """
    assessment = assessment_from_document(document, ws.content.checklist)
    return import_assessment(ws, assessment)


def import_assessment(ws: Workspace, assessment: Assessment) -> str:
    now = ws.now()
    with UnitOfWork(ws.database) as uow:
        person = uow.person(assessment.person.id)
        if person is None:
            person = uow.add_person(
                assessment.person.name,
                assessment.person.birth_year,
                assessment.person.notes,
                now,
                person_id=assessment.person.id,
            )
        home = uow.home_of(person.id)
        # The same rooms at an earlier visit keep their key, so visits can be compared.
        keys: dict[tuple[str, str], str] = {}
        previous = uow.latest_assessment(person.id)
        if previous is not None:
            keys = {(r.kind, r.name.casefold()): r.room_key for r in uow.rooms(previous.id)}
        record = AssessmentRecord(
            id=new_id(),
            person_id=person.id,
            home_id=home.id,
            visit_date=assessment.date,
            assessor_name=assessment.assessor.name,
            assessor_role=assessment.assessor.role.value,
            mode=assessment.mode.value,
            status=assessment.status,
            checklist_version=assessment.checklist_version,
            model_version=assessment.model_version,
            resume_at="",
            created_at=now,
            updated_at=now,
            completed_at=now if assessment.status == "completed" else None,
        )
        uow.session.add(record)
        room_ids: dict[str, str] = {}
        for position, room in enumerate(assessment.rooms):
            room_ids[room.id] = new_id()
            uow.session.add(
                RoomRecord(
                    id=room_ids[room.id],
                    assessment_id=record.id,
                    room_key=keys.get((room.kind, room.name.casefold()), new_id()),
                    kind=room.kind,
                    name=room.name,
                    position=position,
                    night_route=room.night_route,
                    stairs_daily=room.stairs_daily,
                )
            )
        uow.flush()

        def new_room_id(old: str | None) -> str | None:
            return room_ids[old] if old is not None else None

        for answer in assessment.answers:
            number = answer.value if isinstance(answer.value, float) else None
            uow.session.add(
                AnswerRecord(
                    id=new_id(),
                    assessment_id=record.id,
                    item_id=answer.item,
                    room_id=new_room_id(answer.room),
                    value_text=answer.value if isinstance(answer.value, str) else None,
                    value_number=number,
                    unit=answer.unit,
                    note=answer.note,
                    answered_at=(answer.answered_at or now).astimezone(UTC),
                )
            )
        for photo in assessment.photos:
            uow.session.add(
                PhotoRecord(
                    id=new_id(),
                    assessment_id=record.id,
                    item_id=photo.item,
                    room_id=new_room_id(photo.room),
                    filename=photo.filename,
                    media_type=photo.media_type,
                    width=photo.width,
                    height=photo.height,
                    data=photo.data,
                    original_sha256=photo.original_sha256,
                    original_bytes=photo.original_bytes,
                    created_at=now,
                )
            )
        for action in assessment.actions:
            uow.session.add(
                ActionItemRecord(
                    id=new_id(),
                    assessment_id=record.id,
                    kind=action.kind,
                    item_id=action.item,
                    room_id=new_room_id(action.room),
                    status=action.status,
                    done_on=action.done_on,
                    note=action.note,
                    updated_at=now,
                )
            )
        if assessment.status == "completed":
            result, _ = score(ws, assessment)
            record.result_level = result.level.value
            record.result_score = result.score
        try:
            uow.commit()
        except ConcurrentEditError as exc:
            raise InvalidInputError(f"the file could not be imported: {exc}") from None
        new = record.id
    if assessment.status == "completed" and not assessment.actions:
        # A finished visit from a file without ticks still gets its plan's actions to tick.
        refresh_result(ws, new)
    return new
