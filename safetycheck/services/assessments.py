"""Use cases for a walkthrough: start, rooms, answer (autosave), photos, resume, finish, list.

Each use case is one unit of work. `record_answer` commits one short transaction; when it returns,
the answer is on disk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from safetycheck.domain.assessment import Assessment, RoomInstance
from safetycheck.domain.checklist import LENGTH_UNITS, AnswerType, Checklist, Item, Mode
from safetycheck.domain.plan import ActionPlan, build_plan
from safetycheck.domain.scoring import RiskResult, assess
from safetycheck.imaging import NotAnImageError, prepare_photo
from safetycheck.services.errors import ConflictError, InvalidInputError, NotFoundError
from safetycheck.services.pages import Page, check_paging
from safetycheck.services.workspace import Workspace
from safetycheck.store.records import (
    ActionItemRecord,
    AnswerRecord,
    AssessmentRecord,
    PersonRecord,
    PhotoRecord,
    RoomRecord,
)
from safetycheck.store.unit_of_work import ConcurrentEditError, UnitOfWork, new_id

MAX_NOTE = 20_000
MAX_ROOM_NAME = 200
MIN_PREFIX = 4


@dataclass(frozen=True, slots=True)
class RoomSpec:
    """A room to create: its kind and name, and whether it is on the night route or daily stairs."""

    kind: str
    name: str = ""
    night_route: bool = False
    stairs_daily: bool = False
    room_key: str | None = None


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
    status: str
    version: int
    level: str | None
    score: int | None
    resume_at: str
    checklist_version: str
    model_version: str


@dataclass(frozen=True, slots=True)
class AnswerReceipt:
    """What the caller keeps after an answer is saved: the version to send with the next change."""

    item: str
    room: str | None
    version: int
    answered_at: datetime


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
    kind: str
    item: str
    room: str | None
    status: str
    done_on: date | None
    note: str
    version: int


def _info(record: AssessmentRecord, person: PersonRecord) -> AssessmentInfo:
    return AssessmentInfo(
        id=record.id,
        person_id=record.person_id,
        person_name=person.name,
        date=record.visit_date,
        assessor_name=record.assessor_name,
        assessor_role=Mode(record.assessor_role),
        mode=Mode(record.mode),
        status=record.status,
        version=record.version,
        level=record.result_level,
        score=record.result_score,
        resume_at=record.resume_at,
        checklist_version=record.checklist_version,
        model_version=record.model_version,
    )


def _require(uow: UnitOfWork, assessment_id: str) -> AssessmentRecord:
    record = uow.assessment(assessment_id)
    if record is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return record


def resolve_ref(ws: Workspace, ref: str) -> str:
    """An assessment id, or a unique beginning of one (at least 4 characters)."""
    ref = ref.strip().lower()
    with UnitOfWork(ws.database) as uow:
        if uow.assessment(ref) is not None:
            return ref
        if len(ref) < MIN_PREFIX:
            raise NotFoundError(f"no assessment with id '{ref}'")
        matches = uow.assessment_ids_starting(ref)
    if not matches:
        raise NotFoundError(f"no assessment with id '{ref}'")
    if len(matches) > 1:
        raise InvalidInputError(f"'{ref}' matches more than one assessment; give more of the id")
    return matches[0]


def get_info(ws: Workspace, assessment_id: str) -> AssessmentInfo:
    with UnitOfWork(ws.database) as uow:
        record = _require(uow, assessment_id)
        person = uow.person(record.person_id)
        assert person is not None
        return _info(record, person)


# ---- starting and rooms ------------------------------------------------------------------------


def default_rooms(checklist: Checklist) -> list[RoomSpec]:
    return [
        RoomSpec(kind.id, kind.name, kind.night_route_default, False)
        for kind in checklist.room_kinds
        if kind.default_present
    ]


def start_assessment(
    ws: Workspace,
    person_id: str,
    assessor_name: str,
    role: Mode,
    mode: Mode,
    visit_date: date | None = None,
    rooms: Sequence[RoomSpec] | None = None,
) -> AssessmentInfo:
    """Start a visit. Without `rooms`, the home's rooms are copied from the last visit
    (or the usual rooms for a first visit)."""
    assessor = " ".join(assessor_name.split())
    if not assessor:
        raise InvalidInputError("the assessor needs a name")
    now = ws.now()
    checklist = ws.content.checklist
    with UnitOfWork(ws.database) as uow:
        person = uow.person(person_id)
        if person is None:
            raise NotFoundError(f"no person with id '{person_id}'")
        home = uow.home_of(person_id)
        if rooms is None:
            previous = uow.latest_assessment(person_id)
            if previous is not None:
                rooms = [
                    RoomSpec(r.kind, r.name, r.night_route, r.stairs_daily, r.room_key)
                    for r in uow.rooms(previous.id)
                ]
            else:
                rooms = default_rooms(checklist)
        record = AssessmentRecord(
            id=new_id(),
            person_id=person_id,
            home_id=home.id,
            visit_date=visit_date or ws.today(),
            assessor_name=assessor[:200],
            assessor_role=role.value,
            mode=mode.value,
            status="in_progress",
            checklist_version=checklist.version,
            model_version=ws.content.model.version,
            resume_at="",
            created_at=now,
            updated_at=now,
        )
        uow.session.add(record)
        names: list[str] = []
        for position, spec in enumerate(rooms):
            name = _room_name(checklist, spec.kind, spec.name, names)
            names.append(name)
            uow.session.add(
                RoomRecord(
                    id=new_id(),
                    assessment_id=record.id,
                    room_key=spec.room_key or new_id(),
                    kind=spec.kind,
                    name=name,
                    position=position,
                    night_route=spec.night_route,
                    stairs_daily=spec.stairs_daily,
                )
            )
        uow.commit()
        return _info(record, person)


def _room_name(checklist: Checklist, kind: str, wanted: str, taken: Sequence[str]) -> str:
    """The name as given, or the kind's name numbered after any already taken ("Bedroom 2")."""
    try:
        kind_name = checklist.room_kind(kind).name
    except KeyError:
        raise InvalidInputError(f"unknown room kind '{kind}'") from None
    clean = " ".join(wanted.split())[:MAX_ROOM_NAME]
    folded = {name.casefold() for name in taken}
    if clean:
        if clean.casefold() in folded:
            raise InvalidInputError(f"there is already a room called '{clean}'")
        return clean
    if kind_name.casefold() not in folded:
        return kind_name
    number = 2
    while f"{kind_name} {number}".casefold() in folded:
        number += 1
    return f"{kind_name} {number}"


def add_room(
    ws: Workspace,
    assessment_id: str,
    kind: str,
    name: str = "",
    night_route: bool | None = None,
    stairs_daily: bool = False,
) -> RoomInstance:
    checklist = ws.content.checklist
    with UnitOfWork(ws.database) as uow:
        record = _require(uow, assessment_id)
        existing = uow.rooms(assessment_id)
        final = _room_name(checklist, kind, name, [r.name for r in existing])
        if night_route is None:
            night_route = checklist.room_kind(kind).night_route_default
        room = RoomRecord(
            id=new_id(),
            assessment_id=assessment_id,
            room_key=new_id(),
            kind=kind,
            name=final,
            position=max((r.position for r in existing), default=-1) + 1,
            night_route=night_route,
            stairs_daily=stairs_daily,
        )
        uow.session.add(room)
        record.updated_at = ws.now()
        uow.commit()
        return RoomInstance(room.id, kind, final, night_route, stairs_daily)


def update_room(
    ws: Workspace,
    room_id: str,
    *,
    name: str | None = None,
    night_route: bool | None = None,
    stairs_daily: bool | None = None,
) -> RoomInstance:
    with UnitOfWork(ws.database) as uow:
        room = uow.room(room_id)
        if room is None:
            raise NotFoundError(f"no room with id '{room_id}'")
        if name is not None:
            others = [r.name for r in uow.rooms(room.assessment_id) if r.id != room_id]
            room.name = _room_name(ws.content.checklist, room.kind, name, others)
        if night_route is not None:
            room.night_route = night_route
        if stairs_daily is not None:
            room.stairs_daily = stairs_daily
        uow.commit()
        return RoomInstance(room.id, room.kind, room.name, room.night_route, room.stairs_daily)


def remove_room(ws: Workspace, room_id: str) -> None:
    """Remove a room and its answers and photos (the UI asks before calling this)."""
    with UnitOfWork(ws.database) as uow:
        room = uow.room(room_id)
        if room is None:
            raise NotFoundError(f"no room with id '{room_id}'")
        uow.session.delete(room)
        uow.commit()


# ---- answering ---------------------------------------------------------------------------------


def _check_value(item: Item, value: str | float, unit: str) -> tuple[str | None, float | None, str]:
    if item.type is AnswerType.MEASURE:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInputError(f"'{item.text}' needs a number")
        if not math.isfinite(value) or value < 0:
            raise InvalidInputError(f"'{value}' is not a measurement")
        allowed = tuple(LENGTH_UNITS) if item.unit == "mm" else (item.unit,)
        unit = unit or item.unit
        if unit not in allowed:
            raise InvalidInputError(f"'{unit}' is not one of {', '.join(allowed)}")
        return None, float(value), unit
    if not isinstance(value, str) or value not in item.allowed_values():
        raise InvalidInputError(
            f"'{value}' is not an answer of '{item.id}' ({', '.join(item.allowed_values())})"
        )
    if unit:
        raise InvalidInputError(f"'{item.id}' is not a measurement")
    return value, None, ""


def _check_slot(
    uow: UnitOfWork, checklist: Checklist, assessment_id: str, item_id: str, room_id: str | None
) -> Item:
    if not checklist.has_item(item_id):
        raise InvalidInputError(f"unknown item id '{item_id}'")
    item = checklist.item(item_id)
    if item.person_level:
        if room_id is not None:
            raise InvalidInputError(f"'{item_id}' is about the person and has no room")
    else:
        room = uow.room(room_id) if room_id is not None else None
        if room is None or room.assessment_id != assessment_id:
            raise InvalidInputError(f"'{item_id}' is a room check and needs a room of this visit")
        if not item.applies_to_room(room.kind):
            raise InvalidInputError(f"'{item_id}' is not asked in a room of kind '{room.kind}'")
    return item


def record_answer(
    ws: Workspace,
    assessment_id: str,
    item_id: str,
    room_id: str | None,
    value: str | float,
    *,
    note: str = "",
    unit: str = "",
    expected_version: int | None = None,
) -> AnswerReceipt:
    """Save one answer in its own transaction; it is durable when this returns.

    `expected_version` is the version from the last receipt for this slot, or None when the
    caller has not seen an answer there. If someone else answered or changed it meanwhile,
    ConflictError is raised and nothing is written.
    """
    if len(note) > MAX_NOTE:
        raise InvalidInputError(f"a note can be at most {MAX_NOTE} characters")
    checklist = ws.content.checklist
    now = ws.now()
    with UnitOfWork(ws.database) as uow:
        assessment = _require(uow, assessment_id)
        item = _check_slot(uow, checklist, assessment_id, item_id, room_id)
        text, number, unit = _check_value(item, value, unit)
        record = uow.answer_record(assessment_id, item_id, room_id)
        conflict = ConflictError(
            f"this answer ('{item.text}') was changed by someone else since it was shown; "
            "reload the visit to see it"
        )
        if record is None:
            if expected_version is not None:
                raise conflict
            record = AnswerRecord(
                id=new_id(), assessment_id=assessment_id, item_id=item_id, room_id=room_id
            )
            uow.session.add(record)
        elif record.version != expected_version:
            raise conflict
        record.value_text = text
        record.value_number = number
        record.unit = unit
        record.note = note
        record.answered_at = now
        # A plain UPDATE, not the versioned record: two people answering different questions
        # of one visit at the same time must not be told the other "changed" it.
        uow.update_assessment(assessment_id, updated_at=now)
        try:
            uow.commit()
        except ConcurrentEditError:
            raise conflict from None
        if assessment.status == "completed":
            refresh_result(ws, assessment_id)
        return AnswerReceipt(item_id, room_id, record.version, now)


def answer_versions(ws: Workspace, assessment_id: str) -> dict[tuple[str, str | None], int]:
    """The current version of every answer, for a UI that resumes a visit."""
    with UnitOfWork(ws.database) as uow:
        _require(uow, assessment_id)
        return {(a.item_id, a.room_id): a.version for a in uow.answer_records(assessment_id)}


def set_resume_point(ws: Workspace, assessment_id: str, where: str) -> None:
    """Remember where the walkthrough is (a page key), so it resumes exactly there."""
    with UnitOfWork(ws.database) as uow:
        _require(uow, assessment_id)
        uow.update_assessment(assessment_id, resume_at=where[:200], updated_at=ws.now())
        uow.commit()


# ---- photos ------------------------------------------------------------------------------------


def attach_photo(
    ws: Workspace, assessment_id: str, item_id: str, room_id: str | None, path: Path
) -> PhotoInfo:
    """Store a downscaled copy of the photo at `path`; refuses anything that is not an image."""
    try:
        original = path.read_bytes()
    except IsADirectoryError:
        raise InvalidInputError(f"{path} is a folder, not a photo") from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        prepared = prepare_photo(original)
    except NotAnImageError as exc:
        raise InvalidInputError(f"{path.name} is not a photo: {exc}") from None
    with UnitOfWork(ws.database) as uow:
        _require(uow, assessment_id)
        _check_slot(uow, ws.content.checklist, assessment_id, item_id, room_id)
        record = PhotoRecord(
            id=new_id(),
            assessment_id=assessment_id,
            item_id=item_id,
            room_id=room_id,
            filename=path.name[:255],
            media_type=prepared.media_type,
            width=prepared.width,
            height=prepared.height,
            data=prepared.data,
            original_sha256=prepared.original_sha256,
            original_bytes=prepared.original_bytes,
            created_at=ws.now(),
        )
        uow.session.add(record)
        uow.commit()
        return PhotoInfo(
            record.id,
            item_id,
            room_id,
            record.filename,
            record.width,
            record.height,
            record.original_sha256,
        )


def remove_photo(ws: Workspace, photo_id: str) -> None:
    with UnitOfWork(ws.database) as uow:
        record = uow.photo(photo_id)
        if record is None:
            raise NotFoundError(f"no photo with id '{photo_id}'")
        uow.session.delete(record)
        uow.commit()


def list_photos(ws: Workspace, assessment_id: str) -> list[PhotoInfo]:
    with UnitOfWork(ws.database) as uow:
        _require(uow, assessment_id)
        return [
            PhotoInfo(p.id, p.item_id, p.room_id, p.filename, p.width, p.height, p.original_sha256)
            for p in uow.photo_records(assessment_id)
        ]


# ---- loading, resuming, scoring, finishing -----------------------------------------------------


def load_assessment(ws: Workspace, assessment_id: str, with_photos: bool = False) -> Assessment:
    """The whole visit as domain values, answers in walkthrough order."""
    with UnitOfWork(ws.database) as uow:
        record = _require(uow, assessment_id)
        assessment = uow.load(record, with_photos=with_photos)
    return in_walkthrough_order(ws.content.checklist, assessment)


def in_walkthrough_order(checklist: Checklist, assessment: Assessment) -> Assessment:
    """Answers, photos and actions sorted as the walkthrough asks them (stable for export)."""
    item_order = {item.id: n for n, item in enumerate(checklist.items)}
    room_order = {room.id: n for n, room in enumerate(assessment.rooms)}

    def slot(item: str, room: str | None) -> tuple[int, int]:
        return (room_order.get(room, -1) if room else -1, item_order.get(item, len(item_order)))

    return replace(
        assessment,
        answers=tuple(sorted(assessment.answers, key=lambda a: slot(a.item, a.room))),
        photos=tuple(
            sorted(
                assessment.photos,
                key=lambda p: (*slot(p.item, p.room), p.filename, p.original_sha256),
            )
        ),
        actions=tuple(
            sorted(assessment.actions, key=lambda a: (a.kind, *slot(a.item, a.room), a.item))
        ),
        _index={},
    )


def newest_in_progress(ws: Workspace, person_id: str | None = None) -> AssessmentInfo | None:
    """The visit to offer for resuming: the most recently touched one still in progress."""
    with UnitOfWork(ws.database) as uow:
        record = uow.newest_in_progress(person_id)
        if record is None:
            return None
        person = uow.person(record.person_id)
        assert person is not None
        return _info(record, person)


def score_assessment(ws: Workspace, assessment_id: str) -> tuple[RiskResult, ActionPlan]:
    assessment = load_assessment(ws, assessment_id)
    return score(ws, assessment)


def score(ws: Workspace, assessment: Assessment) -> tuple[RiskResult, ActionPlan]:
    content = ws.content
    result = assess(content.checklist, content.model, assessment)
    return result, build_plan(content.checklist, content.model, result)


def refresh_result(ws: Workspace, assessment_id: str) -> None:
    """A finished visit changed: its stored level, score and actions follow."""
    now = ws.now()
    with UnitOfWork(ws.database) as uow:
        record = _require(uow, assessment_id)
        assessment = in_walkthrough_order(ws.content.checklist, uow.load(record))
        result, plan = score(ws, assessment)
        sync_actions(uow, assessment_id, plan, now)
        uow.update_assessment(
            assessment_id, result_level=result.level.value, result_score=result.score
        )
        uow.commit()


def sync_actions(uow: UnitOfWork, assessment_id: str, plan: ActionPlan, now: datetime) -> None:
    """Make the stored actions match the plan: new ones open, ticked ones kept as they are,
    open ones that no longer apply removed."""
    existing = {(a.kind, a.item_id, a.room_id): a for a in uow.action_records(assessment_id)}
    wanted = {(a.kind, a.item, a.room) for a in plan.actions}
    for key, action in existing.items():
        if key not in wanted and action.status == "open":
            uow.session.delete(action)
    for kind, item, room in sorted(wanted, key=lambda k: (k[0], k[1], k[2] or "")):
        if (kind, item, room) not in existing:
            uow.session.add(
                ActionItemRecord(
                    id=new_id(),
                    assessment_id=assessment_id,
                    kind=kind,
                    item_id=item,
                    room_id=room,
                    status="open",
                    updated_at=now,
                )
            )


def finish_assessment(
    ws: Workspace, assessment_id: str, expected_version: int | None = None
) -> tuple[RiskResult, ActionPlan]:
    """Mark a visit completed, store its level and score, and record its actions as open.

    Scored inside the same transaction as the write (SQLite: under the write lock), so an answer
    saved meanwhile cannot leave a stale level. Ticked actions keep their status.
    """
    now = ws.now()
    with UnitOfWork(ws.database) as uow:
        record = _require(uow, assessment_id)
        if expected_version is not None and record.version != expected_version:
            raise ConflictError("this visit was changed by someone else; reload it first")
        assessment = in_walkthrough_order(ws.content.checklist, uow.load(record))
        result, plan = score(ws, assessment)
        sync_actions(uow, assessment_id, plan, now)
        record.status = "completed"
        record.completed_at = record.completed_at or now
        record.updated_at = now
        record.result_level = result.level.value
        record.result_score = result.score
        try:
            uow.commit()
        except ConcurrentEditError:
            raise ConflictError("this visit was changed by someone else; reload it first") from None
    return result, plan


def list_assessments(
    ws: Workspace, person_id: str | None = None, search: str = "", offset: int = 0, limit: int = 50
) -> Page[AssessmentInfo]:
    """Visits, newest first; `search` matches the person's name."""
    check_paging(offset, limit)
    with UnitOfWork(ws.database) as uow:
        total, rows = uow.assessments_page(person_id, search.strip(), offset, limit)
        items = tuple(_info(record, person) for record, person in rows)
    return Page(items, total, offset, limit)


# ---- actions -----------------------------------------------------------------------------------


def list_actions(ws: Workspace, assessment_id: str) -> list[ActionView]:
    with UnitOfWork(ws.database) as uow:
        _require(uow, assessment_id)
        return [
            ActionView(a.id, a.kind, a.item_id, a.room_id, a.status, a.done_on, a.note, a.version)
            for a in uow.action_records(assessment_id)
        ]


def mark_action(
    ws: Workspace,
    action_id: str,
    status: str,
    *,
    done_on: date | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> ActionView:
    """Tick an action done (or not needed, or open again)."""
    if status not in ("open", "done", "not_needed"):
        raise InvalidInputError(f"'{status}' is not open, done or not_needed")
    with UnitOfWork(ws.database) as uow:
        action = uow.action(action_id)
        if action is None:
            raise NotFoundError(f"no action with id '{action_id}'")
        if expected_version is not None and action.version != expected_version:
            raise ConflictError("this action was changed by someone else; reload the plan")
        action.status = status
        action.done_on = (done_on or ws.today()) if status == "done" else None
        if note is not None:
            action.note = note[:MAX_NOTE]
        action.updated_at = ws.now()
        try:
            uow.commit()
        except ConcurrentEditError:
            raise ConflictError(
                "this action was changed by someone else; reload the plan"
            ) from None
        return ActionView(
            action.id,
            action.kind,
            action.item_id,
            action.room_id,
            action.status,
            action.done_on,
            action.note,
            action.version,
        )


# ---- comparing with the previous visit ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HazardChange:
    """A hazard (item in a room) seen at one or both visits."""

    item: str
    room_key: str | None
    room_name: str
    finding: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed since the previous visit of the same person."""

    previous_id: str
    previous_date: date
    fixed: tuple[HazardChange, ...]
    still_open: tuple[HazardChange, ...]
    new: tuple[HazardChange, ...]
    not_checked: tuple[HazardChange, ...]  # found last time, not answered this time
    done_actions: int  # actions ticked done on the previous visit's plan
    score_then: int
    score_now: int
    level_then: str
    level_now: str

    @property
    def score_change(self) -> int:
        return self.score_now - self.score_then


def compare_with_previous(ws: Workspace, assessment_id: str) -> Comparison | None:
    """None when this is the person's first visit."""
    with UnitOfWork(ws.database) as uow:
        record = _require(uow, assessment_id)
        previous = uow.latest_assessment(record.person_id, before=record)
        if previous is None:
            return None
        keys_now = {r.id: r.room_key for r in uow.rooms(record.id)}
        keys_then = {r.id: r.room_key for r in uow.rooms(previous.id)}
        done = sum(1 for a in uow.action_records(previous.id) if a.status == "done")
        previous_id, previous_date = previous.id, previous.visit_date
    now_result, _ = score_assessment(ws, assessment_id)
    then_result, _ = score_assessment(ws, previous_id)
    current = load_assessment(ws, assessment_id)

    def hazards(
        result: RiskResult, keys: dict[str, str]
    ) -> dict[tuple[str, str | None], HazardChange]:
        found = {}
        for h in result.hazards:
            key = keys[h.room.id] if h.room else None
            found[(h.item.id, key)] = HazardChange(
                h.item.id, key, h.room.name if h.room else "", h.item.finding
            )
        return found

    now = hazards(now_result, keys_now)
    then = hazards(then_result, keys_then)
    answered_now = {(a.item, keys_now[a.room] if a.room else None) for a in current.answers}
    fixed = tuple(c for k, c in then.items() if k not in now and k in answered_now)
    unchecked = tuple(c for k, c in then.items() if k not in now and k not in answered_now)
    return Comparison(
        previous_id=previous_id,
        previous_date=previous_date,
        fixed=fixed,
        still_open=tuple(c for k, c in now.items() if k in then),
        new=tuple(c for k, c in now.items() if k not in then),
        not_checked=unchecked,
        done_actions=done,
        score_then=then_result.score,
        score_now=now_result.score,
        level_then=then_result.level.value,
        level_now=now_result.level.value,
    )
