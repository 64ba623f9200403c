"""Use cases for a walkthrough: start, rooms, answer (autosave), photos, resume, finish, list,
actions, and the comparison with the last visit.

Each use case is one unit of work: a visit is read as one snapshot, evaluated once, and any
change is written in the same transaction. `record_answer` commits one short transaction; when it
returns, the answer is on disk.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from safetycheck.domain.assessment import (
    ActionState,
    Answer,
    AnswerValueError,
    Assessment,
    Assessor,
    Person,
    Photo,
    PrintCopy,
    RoomInstance,
    VisitStatus,
    check_answer,
)
from safetycheck.domain.checklist import Checklist, Item, Mode, Priority, Who
from safetycheck.domain.evaluation import Evaluation, evaluate
from safetycheck.domain.scoring import RiskResult
from safetycheck.domain.signoff import SignOff, SignOffValueError, check_signoff, tidied
from safetycheck.domain.visits import (
    ActionView,
    AssessmentInfo,
    PersonView,
    PhotoInfo,
    RoomSpec,
    StoredRoom,
    VisitSnapshot,
    action_changes,
    default_rooms,
)
from safetycheck.imaging import NotAnImageError, prepare_photo, print_copy
from safetycheck.services.errors import ConflictError, InvalidInputError, NotFoundError
from safetycheck.services.pages import MAX_PAGE, Page, bad_cursor, check_paging, search_text
from safetycheck.services.ports import UnitOfWork
from safetycheck.services.workspace import Workspace
from safetycheck.store.errors import ConcurrentEditError

__all__ = [
    "ActionView",
    "AnswerReceipt",
    "AssessmentInfo",
    "Comparison",
    "HazardChange",
    "PhotoInfo",
    "RoomSpec",
    "VisitSnapshot",
]

MAX_NOTE = 20_000
MAX_ROOM_NAME = 200
MAX_ACTION_TEXT = 2_000
MIN_PREFIX = 4


@dataclass(frozen=True, slots=True)
class AnswerReceipt:
    """What the caller keeps after an answer is saved: the answer exactly as stored, and the
    version to send with the next change of that slot."""

    answer: Answer
    version: int

    @property
    def item(self) -> str:
        return self.answer.item

    @property
    def room(self) -> str | None:
        return self.answer.room

    @property
    def answered_at(self) -> datetime | None:
        return self.answer.answered_at


def read_snapshot(uow: UnitOfWork, assessment_id: str, with_photos: bool = False) -> VisitSnapshot:
    """A visit read in the caller's unit of work; NotFoundError when there is none."""
    snapshot = uow.visits.snapshot(assessment_id, with_photos)
    if snapshot is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return snapshot


def _info(uow: UnitOfWork, assessment_id: str) -> AssessmentInfo:
    info = uow.visits.info(assessment_id)
    if info is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return info


def _locked(uow: UnitOfWork, assessment_id: str) -> AssessmentInfo:
    """The visit, locked for this unit of work: a use case that changes it and may score it."""
    info = uow.visits.lock(assessment_id)
    if info is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return info


def _rescore_if_finished(
    uow: UnitOfWork, ws: Workspace, info: AssessmentInfo, now: datetime
) -> None:
    """A finished visit changed (an answer, a room): its stored result and actions follow, in
    the same transaction. The snapshot is read after the change, so it includes it."""
    if info.status is not VisitStatus.COMPLETED:
        return
    snapshot = read_snapshot(uow, info.id)
    evaluation = _follow_plan(uow, ws, snapshot, snapshot.assessment, now)
    uow.visits.set_result(
        info.id,
        evaluation.result.level_range.key,
        evaluation.result.score,
        evaluation.result.model_version,
    )


def resolve_ref(ws: Workspace, ref: str) -> str:
    """An assessment id, or a unique beginning of one (at least 4 characters)."""
    ref = ref.strip().lower()
    with ws.unit_of_work(read_only=True) as uow:
        if uow.visits.info(ref) is not None:
            return ref
        if len(ref) < MIN_PREFIX:
            raise NotFoundError(f"no assessment with id '{ref}'")
        matches = uow.visits.ids_starting(ref)
    if not matches:
        raise NotFoundError(f"no assessment with id '{ref}'")
    if len(matches) > 1:
        raise InvalidInputError(f"'{ref}' matches more than one assessment; give more of the id")
    return matches[0]


def get_info(ws: Workspace, assessment_id: str) -> AssessmentInfo:
    with ws.unit_of_work(read_only=True) as uow:
        return _info(uow, assessment_id)


# ---- starting and rooms ------------------------------------------------------------------------


def start_assessment(
    ws: Workspace,
    person_id: str,
    assessor_name: str,
    role: Mode,
    mode: Mode,
    visit_date: date | None = None,
    rooms: Sequence[RoomSpec] | None = None,
    *,
    details: SignOff | None = None,
) -> AssessmentInfo:
    """Start a visit. Without `rooms`, the home's rooms are copied from the last visit
    (or the usual rooms for a first visit).

    `details` are the assessor's credentials, organisation and contact for the plan's sign-off
    (its next review is not used: a visit starts without one). Without them the visit starts
    with those the same assessor (name and role) gave at their newest visit, so an OT types
    them once."""
    assessor = _assessor(assessor_name)
    with ws.unit_of_work() as uow:
        person = uow.people.get(person_id)
        if person is None:
            raise NotFoundError(f"no person with id '{person_id}'")
        info = _start(uow, ws, person, assessor, role, mode, visit_date, rooms, details)
        uow.commit()
    return info


def start_assessment_for_new_person(
    ws: Workspace,
    name: str,
    birth_year: int | None,
    assessor_name: str,
    role: Mode,
    mode: Mode,
    visit_date: date | None = None,
    *,
    details: SignOff | None = None,
) -> AssessmentInfo:
    """Add a person and start their first visit, in one transaction: if the visit cannot be
    started, the person is not left behind (so trying again makes no duplicate). `details` as
    for start_assessment."""
    from safetycheck.services.people import checked_details

    clean = checked_details(ws, name, birth_year, "")
    assessor = _assessor(assessor_name)
    with ws.unit_of_work() as uow:
        person = uow.people.add(clean, birth_year, "", ws.now())
        info = _start(uow, ws, person, assessor, role, mode, visit_date, None, details)
        uow.commit()
    return info


def _assessor(name: str) -> str:
    assessor = " ".join(name.split())[:200]
    if not assessor:
        raise InvalidInputError("The assessor needs a name.")
    return assessor


def _start(
    uow: UnitOfWork,
    ws: Workspace,
    person: PersonView,
    assessor: str,
    role: Mode,
    mode: Mode,
    visit_date: date | None,
    rooms: Sequence[RoomSpec] | None,
    details: SignOff | None = None,
) -> AssessmentInfo:
    now = ws.now()
    checklist = ws.content.checklist
    when = visit_date or ws.today()
    signoff = _start_details(uow, assessor, role, details, when)
    if rooms is None:
        previous = uow.visits.latest(person.id)
        if previous is not None:
            rooms = [
                RoomSpec(r.kind, r.name, r.night_route, r.stairs_daily, r.room_key)
                for r in uow.visits.rooms(previous.id)
            ]
        else:
            rooms = default_rooms(checklist)
    instances: list[RoomInstance] = []
    keys: dict[str, str] = {}
    for position, spec in enumerate(rooms):
        name = _room_name(checklist, spec.kind, spec.name, [r.name for r in instances])
        instances.append(
            RoomInstance(str(position), spec.kind, name, spec.night_route, spec.stairs_daily)
        )
        if spec.room_key:
            keys[str(position)] = spec.room_key
    assessment = Assessment(
        id="",
        person=Person(person.id, person.name, person.birth_year, person.notes),
        assessor=Assessor(
            assessor, role, signoff.credentials, signoff.organisation, signoff.contact
        ),
        mode=mode,
        date=when,
        checklist_version=checklist.version,
        model_version=ws.content.model.version,
        rooms=tuple(instances),
        status=VisitStatus.IN_PROGRESS,
    )
    visit_id = uow.visits.add(assessment, room_keys=keys, now=now)
    return AssessmentInfo(
        id=visit_id,
        person_id=person.id,
        person_name=person.name,
        date=when,
        assessor_name=assessor,
        assessor_role=role,
        mode=mode,
        status=VisitStatus.IN_PROGRESS,
        version=1,
        level=None,
        score=None,
        resume_at="",
        checklist_version=checklist.version,
        model_version=ws.content.model.version,
    )


def _start_details(
    uow: UnitOfWork, assessor: str, role: Mode, details: SignOff | None, when: date
) -> SignOff:
    """The assessor's sign-off details a new visit starts with: as given (spaces tidied,
    checked), or else those of the same assessor's newest visit that has any."""
    if details is None:
        return uow.visits.latest_signoff(assessor, role) or SignOff()
    try:
        return check_signoff(replace(tidied(details), next_review=None), when)
    except SignOffValueError as exc:
        raise InvalidInputError(str(exc)) from None


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
            raise InvalidInputError(f"There is already a room called '{clean}'.")
        return clean
    if kind_name.casefold() not in folded:
        return kind_name
    number = 2
    while f"{kind_name} {number}".casefold() in folded:
        number += 1
    return f"{kind_name} {number}"


def _instance(room: StoredRoom) -> RoomInstance:
    return RoomInstance(room.id, room.kind, room.name, room.night_route, room.stairs_daily)


def add_room(
    ws: Workspace,
    assessment_id: str,
    kind: str,
    name: str = "",
    night_route: bool | None = None,
    stairs_daily: bool = False,
) -> RoomInstance:
    checklist = ws.content.checklist
    now = ws.now()
    with ws.unit_of_work() as uow:
        info = _locked(uow, assessment_id)
        existing = uow.visits.rooms(assessment_id)
        final = _room_name(checklist, kind, name, [r.name for r in existing])
        if night_route is None:
            night_route = checklist.room_kind(kind).night_route_default
        room = uow.visits.add_room(
            assessment_id,
            RoomSpec(kind, final, night_route, stairs_daily),
            position=max((r.position for r in existing), default=-1) + 1,
        )
        uow.visits.touch(assessment_id, now)
        _rescore_if_finished(uow, ws, info, now)
        uow.commit()
    return _instance(room)


def _room(uow: UnitOfWork, room_id: str) -> StoredRoom:
    room = uow.visits.room(room_id)
    if room is None:
        raise NotFoundError(f"no room with id '{room_id}'")
    return room


def update_room(
    ws: Workspace,
    room_id: str,
    *,
    name: str | None = None,
    night_route: bool | None = None,
    stairs_daily: bool | None = None,
) -> RoomInstance:
    with ws.unit_of_work() as uow:
        room = _room(uow, room_id)
        info = _locked(uow, room.visit_id)
        if name is not None:
            others = [r.name for r in uow.visits.rooms(room.visit_id) if r.id != room_id]
            room = replace(room, name=_room_name(ws.content.checklist, room.kind, name, others))
        if night_route is not None:
            room = replace(room, night_route=night_route)
        if stairs_daily is not None:
            room = replace(room, stairs_daily=stairs_daily)
        uow.visits.update_room(room)
        _rescore_if_finished(uow, ws, info, ws.now())  # a room's name and tags are in the plan
        uow.commit()
    return _instance(room)


def move_room(ws: Workspace, room_id: str, offset: int) -> tuple[RoomInstance, ...]:
    """Move a room earlier (offset -1) or later (+1) in the home's order, which is the order of
    the route through the house that the walkthrough follows; at either end it stays put.
    Returns the rooms in their new order."""
    with ws.unit_of_work() as uow:
        info = _locked(uow, _room(uow, room_id).visit_id)
        rooms = uow.visits.rooms(info.id)
        index = next(n for n, room in enumerate(rooms) if room.id == room_id)
        target = index + offset
        if offset and 0 <= target < len(rooms):
            rooms.insert(target, rooms.pop(index))
            for position, room in enumerate(rooms):  # renumbered: removals leave gaps
                if room.position != position:
                    uow.visits.update_room(replace(room, position=position))
            _rescore_if_finished(uow, ws, info, ws.now())  # the plan lists rooms in order
        uow.commit()
        ordered = uow.visits.rooms(info.id)
    return tuple(_instance(room) for room in ordered)


def remove_room(ws: Workspace, room_id: str) -> None:
    """Remove a room and its answers and photos (the UI asks before calling this)."""
    with ws.unit_of_work() as uow:
        info = _locked(uow, _room(uow, room_id).visit_id)
        uow.visits.remove_room(room_id)
        _rescore_if_finished(uow, ws, info, ws.now())
        uow.commit()


# ---- answering ---------------------------------------------------------------------------------


def _check_slot(
    checklist: Checklist, room_kinds: Mapping[str, str], item_id: str, room_id: str | None
) -> Item:
    """The item asked in that slot; `room_kinds` maps this visit's room ids to their kinds."""
    if not checklist.has_item(item_id):
        raise InvalidInputError(f"unknown item id '{item_id}'")
    item = checklist.item(item_id)
    if item.person_level:
        if room_id is not None:
            raise InvalidInputError(f"'{item_id}' is about the person and has no room")
    else:
        kind = room_kinds.get(room_id) if room_id is not None else None
        if kind is None:
            raise InvalidInputError(f"'{item_id}' is a room check and needs a room of this visit")
        if not item.applies_to_room(kind):
            raise InvalidInputError(f"'{item_id}' is not asked in a room of kind '{kind}'")
    return item


def checked_answer(
    checklist: Checklist,
    room_kinds: Mapping[str, str],
    item_id: str,
    room_id: str | None,
    value: object,
    *,
    note: str = "",
    unit: str = "",
    answered_at: datetime | None = None,
) -> Answer:
    """An answer as it will be stored, or InvalidInputError saying what is wrong with it."""
    if len(note) > MAX_NOTE:
        raise InvalidInputError(f"A note can be at most {MAX_NOTE} characters.")
    item = _check_slot(checklist, room_kinds, item_id, room_id)
    try:
        stored, stored_unit = check_answer(item, value, unit)
    except AnswerValueError as exc:
        raise InvalidInputError(str(exc)) from None
    return Answer(item_id, room_id, stored, note, stored_unit, answered_at)


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
    resume_at: str | None = None,
) -> AnswerReceipt:
    """Save one answer in its own transaction; it is durable when this returns.

    `resume_at`, when given, is where the walkthrough is (the question answered), stored in
    the same transaction: the place needs no write of its own after every answer.

    `expected_version` is the version from the last receipt for this slot, or None when the
    caller has not seen an answer there. If someone else answered or changed it meanwhile,
    ConflictError is raised and nothing is written. A finished visit is re-scored, and its
    stored result and actions follow, in the same transaction.
    """
    checklist = ws.content.checklist
    now = ws.now()
    with ws.unit_of_work() as uow:
        info = _locked(uow, assessment_id)
        answer = checked_answer(
            checklist,
            {room.id: room.kind for room in uow.visits.rooms(assessment_id)},
            item_id,
            room_id,
            value,
            note=note,
            unit=unit,
            answered_at=now,
        )
        conflict = ConflictError(
            f'This answer ("{checklist.item(item_id).text}") was changed by someone else '
            "since it was shown. Open the visit again to see it."
        )
        if uow.visits.answer_version(assessment_id, item_id, room_id) != expected_version:
            raise conflict
        try:
            version = uow.visits.save_answer(assessment_id, answer, expected_version)
            # Bookkeeping, not the versioned row: two people answering different questions of
            # one visit at the same time must not be told the other "changed" it.
            uow.visits.touch(
                assessment_id, now, resume_at=resume_at[:200] if resume_at is not None else None
            )
            _rescore_if_finished(uow, ws, info, now)
            uow.commit()
        except ConcurrentEditError:
            raise conflict from None
    return AnswerReceipt(answer, version)


def _follow_plan(
    uow: UnitOfWork, ws: Workspace, snapshot: VisitSnapshot, assessment: Assessment, now: datetime
) -> Evaluation:
    """Evaluate a finished visit and make its stored actions match the plan."""
    evaluation = evaluate(ws.content, in_walkthrough_order(ws.content.checklist, assessment))
    changes = action_changes(
        snapshot.actions, [(a.kind, a.item, a.room) for a in evaluation.plan.actions]
    )
    uow.visits.change_actions(snapshot.info.id, changes.remove, changes.add, now)
    return evaluation


def set_resume_point(ws: Workspace, assessment_id: str, where: str) -> None:
    """Remember where the walkthrough is (a step key), so it resumes exactly there."""
    with ws.unit_of_work() as uow:
        _info(uow, assessment_id)
        uow.visits.touch(assessment_id, ws.now(), resume_at=where[:200])
        uow.commit()


# ---- photos ------------------------------------------------------------------------------------


def attach_photo(
    ws: Workspace, assessment_id: str, item_id: str, room_id: str | None, path: Path
) -> PhotoInfo:
    """Store a downscaled copy of the photo at `path`; refuses anything that is not an image."""
    try:
        original = path.read_bytes()
    except IsADirectoryError:
        raise InvalidInputError(f"{path} is a folder, not a photo.") from None
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        prepared = prepare_photo(original)
    except NotAnImageError as exc:
        raise InvalidInputError(f"{path.name} is not a photo: {exc}.") from None
    with ws.unit_of_work() as uow:
        _info(uow, assessment_id)
        kinds = {room.id: room.kind for room in uow.visits.rooms(assessment_id)}
        _check_slot(ws.content.checklist, kinds, item_id, room_id)
        photo = Photo(
            id="",
            item=item_id,
            room=room_id,
            filename=path.name,
            media_type=prepared.media_type,
            width=prepared.width,
            height=prepared.height,
            data=prepared.data,
            original_sha256=prepared.original_sha256,
            original_bytes=prepared.original_bytes,
            for_print=PrintCopy(prepared.print_data, prepared.print_width, prepared.print_height),
        )
        info = uow.visits.add_photo(assessment_id, photo, ws.now())
        uow.commit()
    return info


def with_print_copies(assessment: Assessment) -> Assessment:
    """The assessment with a print copy made for every photo that has none (one from a file of
    format 3 or older), so it is made once, when the visit is stored, and not by every report.
    A photo that cannot be decoded is left without one (its report says it is left out)."""
    if all(photo.for_print is not None for photo in assessment.photos):
        return assessment

    def copied(photo: Photo) -> Photo:
        if photo.for_print is not None:
            return photo
        try:
            return replace(photo, for_print=PrintCopy(*print_copy(photo.data)))
        except NotAnImageError:
            return photo

    return replace(assessment, photos=tuple(copied(photo) for photo in assessment.photos))


def remove_photo(ws: Workspace, photo_id: str) -> None:
    with ws.unit_of_work() as uow:
        if not uow.visits.remove_photo(photo_id):
            raise NotFoundError(f"no photo with id '{photo_id}'")
        uow.commit()


def list_photos(ws: Workspace, assessment_id: str) -> list[PhotoInfo]:
    with ws.unit_of_work(read_only=True) as uow:
        _info(uow, assessment_id)
        return uow.visits.photos(assessment_id)


# ---- loading, resuming, evaluating, finishing --------------------------------------------------


def load_visit(ws: Workspace, assessment_id: str, with_photos: bool = False) -> VisitSnapshot:
    """The whole visit as one snapshot (answers in walkthrough order, their versions, photos,
    room keys and actions), for a walkthrough that opens or resumes it."""
    with ws.unit_of_work(read_only=True) as uow:
        snapshot = read_snapshot(uow, assessment_id, with_photos)
    return _ordered(ws.content.checklist, snapshot)


def _ordered(checklist: Checklist, snapshot: VisitSnapshot) -> VisitSnapshot:
    return replace(snapshot, assessment=in_walkthrough_order(checklist, snapshot.assessment))


def load_assessment(ws: Workspace, assessment_id: str, with_photos: bool = False) -> Assessment:
    """The whole visit as domain values, answers in walkthrough order."""
    return load_visit(ws, assessment_id, with_photos).assessment


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
    )


def newest_in_progress(ws: Workspace, person_id: str | None = None) -> AssessmentInfo | None:
    """The visit to offer for resuming: the most recently touched one still in progress."""
    with ws.unit_of_work(read_only=True) as uow:
        return uow.visits.newest_in_progress(person_id)


def evaluate_visit(ws: Workspace, assessment_id: str) -> Evaluation:
    """The visit's result, plan and summary, from one snapshot."""
    assessment = load_assessment(ws, assessment_id)
    return evaluate(ws.content, assessment)


def finish_assessment(
    ws: Workspace, assessment_id: str, expected_version: int | None = None
) -> Evaluation:
    """Mark a visit completed, store its level and score, and record its actions as open.

    Scored inside the same transaction as the write (SQLite: under the write lock), so an answer
    saved meanwhile cannot leave a stale level. Ticked actions keep their status.
    """
    now = ws.now()
    conflict = ConflictError("This visit was changed by someone else. Open it again first.")
    with ws.unit_of_work() as uow:
        _locked(uow, assessment_id)  # no answer can be saved between reading and finishing
        snapshot = read_snapshot(uow, assessment_id)
        if expected_version is not None and snapshot.info.version != expected_version:
            raise conflict
        try:
            evaluation = _follow_plan(uow, ws, snapshot, snapshot.assessment, now)
            uow.visits.complete(
                assessment_id,
                level=evaluation.result.level_range.key,
                score=evaluation.result.score,
                model_version=evaluation.result.model_version,
                now=now,
                expected_version=snapshot.info.version,
            )
            uow.commit()
        except ConcurrentEditError:
            raise conflict from None
    return evaluation


def list_assessments(
    ws: Workspace,
    person_id: str | None = None,
    search: str = "",
    after: str | None = None,
    limit: int = 50,
) -> Page[AssessmentInfo]:
    """Visits, newest first; `search` matches the person's name (any part, ignoring case and
    accents). A page at a time: `after` is the `Page.after` of the page before (None: the
    first page)."""
    check_paging(limit)
    with ws.unit_of_work(read_only=True) as uow:
        try:
            rows, last, more = uow.visits.page(person_id, search_text(search), after, limit)
        except ValueError:
            raise bad_cursor() from None
    return Page(tuple(rows), last, more)


STREAM_PAGE = MAX_PAGE  # visits read per statement by each_assessment


def each_assessment(
    ws: Workspace, search: str = "", person_id: str | None = None, page_size: int | None = None
) -> Iterator[list[AssessmentInfo]]:
    """Every visit, newest first, a page at a time, as one moment saw them (one read-only
    unit of work, so nothing is listed twice or left out because of a change meanwhile; it
    never blocks a writer). Each page is one keyset seek, so the whole list costs in
    proportion to its length. The first page is read before the first is handed out; close
    the iterator (or read it to the end) to end the unit of work."""
    size = STREAM_PAGE if page_size is None else page_size
    check_paging(size)
    with ws.unit_of_work(read_only=True) as uow:
        after: str | None = None
        while True:
            rows, after, more = uow.visits.page(person_id, search_text(search), after, size)
            if rows:
                yield rows
            if not more:
                return


# ---- actions -----------------------------------------------------------------------------------


def list_actions(ws: Workspace, assessment_id: str) -> list[ActionView]:
    with ws.unit_of_work(read_only=True) as uow:
        _info(uow, assessment_id)
        return uow.visits.actions(assessment_id)


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
    try:
        state = ActionState(status)
    except ValueError:
        raise InvalidInputError(f"'{status}' is not open, done or not_needed") from None
    conflict = ConflictError("This action was changed by someone else. Open the plan again.")
    with ws.unit_of_work() as uow:
        action = uow.visits.action(action_id)
        if action is None:
            raise NotFoundError(f"no action with id '{action_id}'")
        if expected_version is not None and action.version != expected_version:
            raise conflict
        try:
            changed = uow.visits.set_action(
                action,
                status=state,
                done_on=(done_on or ws.today()) if state is ActionState.DONE else None,
                note=note[:MAX_NOTE] if note is not None else action.note,
                now=ws.now(),
            )
            uow.commit()
        except ConcurrentEditError:
            raise conflict from None
    return changed


def edit_action(
    ws: Workspace,
    action_id: str,
    *,
    text: str | None,
    priority: str | None,
    who: str | None,
    expected_version: int,
) -> ActionView:
    """Word one action of a finished visit's plan the assessor's way: its text, priority and who
    does it, for this visit only (None, or blank text: the plan's own). The plan on screen and
    the printed plan say the edited words, and an edited priority moves the action to its place
    among that priority's actions. Refused (ConflictError, nothing written) if the action
    changed since it was shown at `expected_version`."""
    clean_text = _action_text(text)
    clean_priority = _choice("priority", priority, [p.value for p in Priority])
    clean_who = _choice("who does it", who, [w.value for w in Who])
    conflict = ConflictError("This action was changed by someone else. Open the plan again.")
    with ws.unit_of_work() as uow:
        action = uow.visits.action(action_id)
        if action is None:
            raise NotFoundError(f"no action with id '{action_id}'")
        visit = uow.visits.action_visit(action_id)
        info = _locked(uow, visit) if visit is not None else None
        if info is None or info.status is not VisitStatus.COMPLETED:
            raise InvalidInputError("Only the plan of a finished visit can be edited.")
        if action.version != expected_version:
            raise conflict
        try:
            changed = uow.visits.edit_action(
                action, text=clean_text, priority=clean_priority, who=clean_who, now=ws.now()
            )
            uow.visits.touch(info.id, ws.now())
            uow.commit()
        except ConcurrentEditError:
            raise conflict from None
    return changed


def _action_text(text: str | None) -> str | None:
    """An action's own wording as stored: ends trimmed, blank meaning the plan's own (None)."""
    if text is None or not text.strip():
        return None
    clean = text.strip()
    if len(clean) > MAX_ACTION_TEXT:
        raise InvalidInputError(f"What to do can be at most {MAX_ACTION_TEXT} characters.")
    if "\x00" in clean:
        raise InvalidInputError("What to do contains a character that is not text (NUL).")
    return clean


def _choice(what: str, value: str | None, allowed: Sequence[str]) -> str | None:
    if value is None or value in allowed:
        return value
    choices = ", ".join(allowed[:-1]) + " or " + allowed[-1]
    raise InvalidInputError(f"'{value}' is not a choice for {what}: use {choices}.")


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
    level_then: str  # "moderate", or "between low and moderate"
    level_now: str

    @property
    def score_change(self) -> int:
        return self.score_now - self.score_then


def compare_with_previous(ws: Workspace, assessment_id: str) -> Comparison | None:
    """None when this is the person's first visit."""
    with ws.unit_of_work(read_only=True) as uow:
        current = read_snapshot(uow, assessment_id)
        return comparison(uow, ws, current, evaluate(ws.content, current.assessment).result)


def comparison(
    uow: UnitOfWork, ws: Workspace, current: VisitSnapshot, result_now: RiskResult
) -> Comparison | None:
    """Compare a visit (already read and scored) with the person's newest earlier finished
    one, read in the same unit of work; None when there is none (a visit started and never
    finished is not a "last visit": its unanswered checks would all look fixed or unchecked)."""
    previous_info = uow.visits.latest(current.info.person_id, before=current.info)
    while previous_info is not None and previous_info.status is not VisitStatus.COMPLETED:
        previous_info = uow.visits.latest(current.info.person_id, before=previous_info)
    if previous_info is None:
        return None
    previous = read_snapshot(uow, previous_info.id)
    result_then = evaluate(ws.content, previous.assessment).result

    def hazards(
        result: RiskResult, keys: Mapping[str, str]
    ) -> dict[tuple[str, str | None], HazardChange]:
        found = {}
        for h in result.hazards:
            key = keys[h.room.id] if h.room else None
            found[(h.item.id, key)] = HazardChange(
                h.item.id, key, h.room.name if h.room else "", h.item.finding
            )
        return found

    now = hazards(result_now, current.room_keys)
    then = hazards(result_then, previous.room_keys)
    answered_now = {
        (a.item, current.room_keys[a.room] if a.room else None) for a in current.assessment.answers
    }
    return Comparison(
        previous_id=previous_info.id,
        previous_date=previous_info.date,
        fixed=tuple(c for k, c in then.items() if k not in now and k in answered_now),
        still_open=tuple(c for k, c in now.items() if k in then),
        new=tuple(c for k, c in now.items() if k not in then),
        not_checked=tuple(c for k, c in then.items() if k not in now and k not in answered_now),
        done_actions=sum(1 for a in previous.actions if a.status is ActionState.DONE),
        score_then=result_then.score,
        score_now=result_now.score,
        level_then=result_then.level_range.words,
        level_now=result_now.level_range.words,
    )
