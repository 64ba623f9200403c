"""An in-memory unit of work and repositories (cosmicpython's FakeUnitOfWork shape): the use
cases run against them with no database, so their rules are tested in microseconds. They follow
the Protocols in safetycheck/services/ports.py; the SQL adapter is tested against real
databases in tests/integration.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Self

from safetycheck.content import Content
from safetycheck.domain.assessment import (
    ActionState,
    Answer,
    Assessment,
    Assessor,
    Person,
    Photo,
    Prescription,
    RoomInstance,
    VisitStatus,
)
from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import FallsSinceLastVisit
from safetycheck.domain.signoff import SignOff
from safetycheck.domain.visits import (
    ActionKey,
    ActionView,
    AssessmentInfo,
    KeptVisit,
    PersonView,
    PhotoInfo,
    RoomSpec,
    Slot,
    StoredRoom,
    VisitSnapshot,
)
from safetycheck.services.workspace import Workspace
from safetycheck.store.errors import ConcurrentEditError

_ids = itertools.count(1)
_ORDER_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _new_id() -> str:
    return f"fake{next(_ids):08d}"


@dataclass
class _Visit:
    info: AssessmentInfo
    created: int
    person: Person
    rooms: dict[str, StoredRoom] = field(default_factory=dict)
    answers: dict[Slot, tuple[Answer, int]] = field(default_factory=dict)
    photos: dict[str, Photo] = field(default_factory=dict)
    actions: dict[str, ActionView] = field(default_factory=dict)
    falls: FallsSinceLastVisit | None = None
    signoff: SignOff = field(default_factory=SignOff)
    exercises: tuple[Prescription, ...] = ()


@dataclass
class FakeStore:
    """What is committed."""

    people: dict[str, PersonView] = field(default_factory=dict)
    visits: dict[str, _Visit] = field(default_factory=dict)
    commits: int = 0


class FakePeopleRepository:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def _counted(self, person: PersonView) -> PersonView:
        dates = [v.info.date for v in self.store.visits.values() if v.info.person_id == person.id]
        return replace(person, visits=len(dates), last_visit=max(dates, default=None))

    def get(self, person_id: str) -> PersonView | None:
        person = self.store.people.get(person_id)
        return self._counted(person) if person is not None else None

    def exists(self, person_id: str) -> bool:
        return person_id in self.store.people

    def add(
        self,
        name: str,
        birth_year: int | None,
        notes: str,
        now: datetime,
        person_id: str | None = None,
    ) -> PersonView:
        person = PersonView(person_id or _new_id(), name, birth_year, notes, 1)
        if person.id in self.store.people:
            raise ConcurrentEditError("a person with this id exists")
        self.store.people[person.id] = person
        return person

    def update(
        self,
        person_id: str,
        *,
        name: str,
        birth_year: int | None,
        notes: str,
        now: datetime,
        expected_version: int,
    ) -> None:
        person = self.store.people.get(person_id)
        if person is None or person.version != expected_version:
            raise ConcurrentEditError("changed meanwhile")
        self.store.people[person_id] = replace(
            person, name=name, birth_year=birth_year, notes=notes, version=person.version + 1
        )

    def delete(self, person_id: str) -> bool:
        if self.store.people.pop(person_id, None) is None:
            return False
        self.store.visits = {
            key: visit
            for key, visit in self.store.visits.items()
            if visit.info.person_id != person_id
        }
        return True

    def put_back(self, person: PersonView, now: datetime) -> None:
        if person.id in self.store.people:
            raise ConcurrentEditError("a person with this id exists")
        self.store.people[person.id] = replace(person, visits=0, last_visit=None)

    def page(
        self, search: str, after: str | None, limit: int
    ) -> tuple[list[PersonView], str | None, bool]:
        found = sorted(
            (p for p in self.store.people.values() if search.casefold() in p.name.casefold()),
            key=lambda p: (p.name.casefold(), p.id),
        )
        if after is not None:
            start = _cursor(after, 2)
            found = [p for p in found if [p.name.casefold(), p.id] > start]
        shown = found[:limit]
        last = json.dumps([shown[-1].name.casefold(), shown[-1].id]) if shown else None
        return [self._counted(p) for p in shown], last, len(found) > limit


def _cursor(cursor: str, parts: int) -> list[str]:
    """A cursor handed out by a fake page, read back (ValueError for anything else)."""
    try:
        key = json.loads(cursor)
    except ValueError:
        raise ValueError("not a cursor of this list") from None
    if not isinstance(key, list) or len(key) != parts:
        raise ValueError("not a cursor of this list")
    return [str(part) for part in key]


class FakeVisitRepository:
    def __init__(self, store: FakeStore, clock: Callable[[], int]) -> None:
        self.store = store
        self._order = clock

    def _visit(self, visit_id: str) -> _Visit | None:
        return self.store.visits.get(visit_id)

    def info(self, visit_id: str) -> AssessmentInfo | None:
        visit = self._visit(visit_id)
        return visit.info if visit is not None else None

    def lock(self, visit_id: str) -> AssessmentInfo | None:
        return self.info(visit_id)  # one fake unit of work runs at a time

    def ids_starting(self, prefix: str, limit: int = 3) -> list[str]:
        return [v for v in self.store.visits if v.startswith(prefix)][:limit]

    def _newest_first(self, visits: Iterable[_Visit]) -> list[_Visit]:
        return sorted(visits, key=lambda v: (v.info.date, v.created), reverse=True)

    def latest(self, person_id: str, before: AssessmentInfo | None = None) -> AssessmentInfo | None:
        mine = [v for v in self.store.visits.values() if v.info.person_id == person_id]
        if before is not None:
            pivot = self.store.visits[before.id]
            mine = [v for v in mine if (v.info.date, v.created) < (pivot.info.date, pivot.created)]
        ordered = self._newest_first(mine)
        return ordered[0].info if ordered else None

    def newest_in_progress(self, person_id: str | None) -> AssessmentInfo | None:
        pending = [
            v
            for v in self.store.visits.values()
            if v.info.status is VisitStatus.IN_PROGRESS
            and (person_id is None or v.info.person_id == person_id)
        ]
        return max(pending, key=lambda v: v.created).info if pending else None

    def page(
        self, person_id: str | None, search: str, after: str | None, limit: int
    ) -> tuple[list[AssessmentInfo], str | None, bool]:
        def key(visit: _Visit) -> list[str]:  # the store's order: date, then made, then id
            return [visit.info.date.isoformat(), f"{visit.created:020d}", visit.info.id]

        found = [
            v
            for v in sorted(self.store.visits.values(), key=key, reverse=True)
            if (person_id is None or v.info.person_id == person_id)
            and search.casefold() in v.info.person_name.casefold()
        ]
        if after is not None:
            start = _cursor(after, 3)
            found = [v for v in found if key(v) < start]
        shown = found[:limit]
        last = json.dumps(key(shown[-1])) if shown else None
        return [v.info for v in shown], last, len(found) > limit

    def snapshot(self, visit_id: str, with_photos: bool = False) -> VisitSnapshot | None:
        visit = self._visit(visit_id)
        if visit is None:
            return None
        rooms = sorted(visit.rooms.values(), key=lambda r: r.position)
        actions = tuple(visit.actions.values())
        assessment = Assessment(
            id=visit_id,
            person=visit.person,
            assessor=Assessor(
                visit.info.assessor_name,
                visit.info.assessor_role,
                visit.signoff.credentials,
                visit.signoff.organisation,
                visit.signoff.contact,
            ),
            mode=visit.info.mode,
            date=visit.info.date,
            checklist_version=visit.info.checklist_version,
            model_version=visit.info.model_version,
            rooms=tuple(
                RoomInstance(r.id, r.kind, r.name, r.night_route, r.stairs_daily) for r in rooms
            ),
            answers=tuple(answer for answer, _ in visit.answers.values()),
            status=visit.info.status,
            photos=tuple(visit.photos.values()) if with_photos else (),
            actions=tuple(a.status_value() for a in actions),
            falls=visit.falls,
            next_review=visit.signoff.next_review,
            exercises=visit.exercises,
        )
        return VisitSnapshot(
            info=visit.info,
            assessment=assessment,
            versions={slot: version for slot, (_, version) in visit.answers.items()},
            photos=tuple(self._photo_info(p) for p in visit.photos.values()),
            room_keys={r.id: r.room_key for r in rooms},
            actions=actions,
        )

    def rooms(self, visit_id: str) -> list[StoredRoom]:
        return sorted(self.store.visits[visit_id].rooms.values(), key=lambda r: r.position)

    def room(self, room_id: str) -> StoredRoom | None:
        for visit in self.store.visits.values():
            if room_id in visit.rooms:
                return visit.rooms[room_id]
        return None

    @staticmethod
    def _photo_info(photo: Photo) -> PhotoInfo:
        return PhotoInfo(
            photo.id,
            photo.item,
            photo.room,
            photo.filename,
            photo.width,
            photo.height,
            photo.original_sha256,
        )

    def photos(self, visit_id: str) -> list[PhotoInfo]:
        return [self._photo_info(p) for p in self.store.visits[visit_id].photos.values()]

    def actions(self, visit_id: str) -> list[ActionView]:
        return list(self.store.visits[visit_id].actions.values())

    def action(self, action_id: str) -> ActionView | None:
        for visit in self.store.visits.values():
            if action_id in visit.actions:
                return visit.actions[action_id]
        return None

    def falls(self, visit_id: str) -> FallsSinceLastVisit | None:
        return self.store.visits[visit_id].falls

    def falls_of_person(self, person_id: str) -> list[tuple[AssessmentInfo, FallsSinceLastVisit]]:
        return [
            (v.info, v.falls)
            for v in self._newest_first(self.store.visits.values())
            if v.info.person_id == person_id and v.falls is not None
        ]

    def save_falls(self, visit_id: str, report: FallsSinceLastVisit, now: datetime) -> None:
        self.store.visits[visit_id].falls = report if report.count is not None else None

    def signoff(self, visit_id: str) -> SignOff | None:
        visit = self._visit(visit_id)
        return visit.signoff if visit is not None else None

    def set_signoff(self, visit_id: str, signoff: SignOff) -> None:
        self.store.visits[visit_id].signoff = signoff

    def latest_signoff(self, assessor_name: str, role: Mode) -> SignOff | None:
        for visit in self._newest_first(self.store.visits.values()):
            given = visit.signoff
            if (visit.info.assessor_name, visit.info.assessor_role) == (assessor_name, role) and (
                given.credentials or given.organisation or given.contact
            ):
                return replace(given, next_review=None)
        return None

    def exercises(self, visit_id: str) -> tuple[Prescription, ...]:
        return self.store.visits[visit_id].exercises

    def set_exercises(self, visit_id: str, prescriptions: Sequence[Prescription]) -> None:
        self.store.visits[visit_id].exercises = tuple(prescriptions)

    def action_visit(self, action_id: str) -> str | None:
        for visit_id, visit in self.store.visits.items():
            if action_id in visit.actions:
                return visit_id
        return None

    def kept(self, visit_id: str) -> KeptVisit | None:
        snapshot = self.snapshot(visit_id, with_photos=True)
        if snapshot is None:
            return None
        visit = self.store.visits[visit_id]
        # The fake orders visits by a counter, not a time: kept as a time so it comes back.
        created = _ORDER_EPOCH + timedelta(microseconds=visit.created)
        return KeptVisit(
            snapshot=snapshot,
            rooms=tuple(self.rooms(visit_id)),
            created_at=created,
            updated_at=created,
            completed_at=None,
            falls=visit.falls,
        )

    def delete(self, visit_id: str) -> bool:
        return self.store.visits.pop(visit_id, None) is not None

    def put_back(self, kept: KeptVisit, now: datetime) -> None:
        snapshot, info = kept.snapshot, kept.snapshot.info
        ids = [info.id, *(r.id for r in kept.rooms), *(p.id for p in snapshot.assessment.photos)]
        ids += [a.id for a in snapshot.actions]
        taken = {info.id} & set(self.store.visits)
        for visit in self.store.visits.values():
            taken |= set(ids) & {*visit.rooms, *visit.photos, *visit.actions}
        if taken or info.person_id not in self.store.people:
            raise ConcurrentEditError("an id is taken, or the person is not stored")
        person = self.store.people[info.person_id]
        visit = _Visit(
            info,
            (kept.created_at - _ORDER_EPOCH) // timedelta(microseconds=1),
            Person(person.id, person.name, person.birth_year, person.notes),
            rooms={room.id: room for room in kept.rooms},
            answers={
                (a.item, a.room): (a, snapshot.versions[(a.item, a.room)])
                for a in snapshot.assessment.answers
            },
            photos={photo.id: photo for photo in snapshot.assessment.photos},
            actions={action.id: action for action in snapshot.actions},
            falls=kept.falls,
            signoff=SignOff.of(snapshot.assessment),
            exercises=snapshot.assessment.exercises,
        )
        self.store.visits[info.id] = visit

    def add(
        self,
        assessment: Assessment,
        *,
        room_keys: dict[str, str],
        now: datetime,
        completed_at: datetime | None = None,
        result: tuple[str, int] | None = None,
    ) -> str:
        person = self.store.people[assessment.person.id]
        visit_id = _new_id()
        info = AssessmentInfo(
            id=visit_id,
            person_id=person.id,
            person_name=person.name,
            date=assessment.date,
            assessor_name=assessment.assessor.name,
            assessor_role=assessment.assessor.role,
            mode=assessment.mode,
            status=assessment.status,
            version=1,
            level=result[0] if result else None,
            score=result[1] if result else None,
            resume_at="",
            checklist_version=assessment.checklist_version,
            model_version=assessment.model_version,
        )
        visit = _Visit(
            info,
            self._order(),
            Person(person.id, person.name, person.birth_year, person.notes),
            signoff=SignOff.of(assessment),
            exercises=assessment.exercises,
        )
        ids = {room.id: _new_id() for room in assessment.rooms}
        for position, room in enumerate(assessment.rooms):
            visit.rooms[ids[room.id]] = StoredRoom(
                ids[room.id],
                visit_id,
                room_keys.get(room.id) or _new_id(),
                room.kind,
                room.name,
                position,
                room.night_route,
                room.stairs_daily,
            )

        def moved(room: str | None) -> str | None:
            return ids[room] if room is not None else None

        for answer in assessment.answers:
            visit.answers[(answer.item, moved(answer.room))] = (
                replace(answer, room=moved(answer.room)),
                1,
            )
        for photo in assessment.photos:
            new = replace(photo, id=_new_id(), room=moved(photo.room))
            visit.photos[new.id] = new
        for action in assessment.actions:
            view = ActionView(
                _new_id(),
                action.kind,
                action.item,
                moved(action.room),
                action.status,
                action.done_on,
                action.note,
                1,
                action.text,
                action.priority,
                action.who,
            )
            visit.actions[view.id] = view
        if assessment.falls is not None and assessment.falls.count is not None:
            keys = {room.id: room.room_key for room in visit.rooms.values()}
            by_id = {old: keys[new] for old, new in ids.items()}
            visit.falls = replace(
                assessment.falls,
                falls=tuple(
                    replace(f, room_key=by_id[f.room_key]) if f.room_key in by_id else f
                    for f in assessment.falls.falls
                ),
            )
        self.store.visits[visit_id] = visit
        return visit_id

    def add_room(self, visit_id: str, spec: RoomSpec, position: int) -> StoredRoom:
        room = StoredRoom(
            _new_id(),
            visit_id,
            spec.room_key or _new_id(),
            spec.kind,
            spec.name,
            position,
            spec.night_route,
            spec.stairs_daily,
        )
        self.store.visits[visit_id].rooms[room.id] = room
        return room

    def update_room(self, room: StoredRoom) -> None:
        self.store.visits[room.visit_id].rooms[room.id] = room

    def remove_room(self, room_id: str) -> None:
        room = self.room(room_id)
        assert room is not None
        visit = self.store.visits[room.visit_id]
        del visit.rooms[room_id]
        visit.answers = {k: v for k, v in visit.answers.items() if k[1] != room_id}
        visit.photos = {k: p for k, p in visit.photos.items() if p.room != room_id}
        visit.actions = {k: a for k, a in visit.actions.items() if a.room != room_id}

    def answer_version(self, visit_id: str, item: str, room: str | None) -> int | None:
        stored = self.store.visits[visit_id].answers.get((item, room))
        return stored[1] if stored is not None else None

    def save_answer(self, visit_id: str, answer: Answer, expected_version: int | None) -> int:
        visit = self.store.visits[visit_id]
        slot = (answer.item, answer.room)
        stored = visit.answers.get(slot)
        if (stored[1] if stored else None) != expected_version:
            raise ConcurrentEditError("changed meanwhile")
        version = (expected_version or 0) + 1
        visit.answers[slot] = (answer, version)
        return version

    def touch(self, visit_id: str, now: datetime, resume_at: str | None = None) -> None:
        visit = self.store.visits[visit_id]
        if resume_at is not None:
            visit.info = replace(visit.info, resume_at=resume_at)

    def set_result(self, visit_id: str, level: str, score: int, model_version: str) -> None:
        visit = self.store.visits[visit_id]
        visit.info = replace(visit.info, level=level, score=score, model_version=model_version)

    def complete(
        self,
        visit_id: str,
        *,
        level: str,
        score: int,
        model_version: str,
        now: datetime,
        expected_version: int,
    ) -> None:
        visit = self.store.visits[visit_id]
        if visit.info.version != expected_version:
            raise ConcurrentEditError("changed meanwhile")
        visit.info = replace(
            visit.info,
            status=VisitStatus.COMPLETED,
            level=level,
            score=score,
            model_version=model_version,
            version=expected_version + 1,
        )

    def add_photo(self, visit_id: str, photo: Photo, now: datetime) -> PhotoInfo:
        stored = replace(photo, id=_new_id())
        self.store.visits[visit_id].photos[stored.id] = stored
        return self._photo_info(stored)

    def remove_photo(self, photo_id: str) -> bool:
        for visit in self.store.visits.values():
            if visit.photos.pop(photo_id, None) is not None:
                return True
        return False

    def change_actions(
        self, visit_id: str, remove: Iterable[str], add: Iterable[ActionKey], now: datetime
    ) -> None:
        visit = self.store.visits[visit_id]
        for action_id in remove:
            del visit.actions[action_id]
        for kind, item, room in add:
            view = ActionView(_new_id(), kind, item, room, ActionState.OPEN, None, "", 1)
            visit.actions[view.id] = view

    def set_action(
        self,
        action: ActionView,
        *,
        status: ActionState,
        done_on: date | None,
        note: str,
        now: datetime,
    ) -> ActionView:
        visit = next(v for v in self.store.visits.values() if action.id in v.actions)
        if visit.actions[action.id].version != action.version:
            raise ConcurrentEditError("changed meanwhile")
        changed = replace(
            action, status=status, done_on=done_on, note=note, version=action.version + 1
        )
        visit.actions[action.id] = changed
        return changed

    def edit_action(
        self,
        action: ActionView,
        *,
        text: str | None,
        priority: str | None,
        who: str | None,
        now: datetime,
    ) -> ActionView:
        visit = next(v for v in self.store.visits.values() if action.id in v.actions)
        if visit.actions[action.id].version != action.version:
            raise ConcurrentEditError("changed meanwhile")
        changed = replace(action, text=text, priority=priority, who=who, version=action.version + 1)
        visit.actions[action.id] = changed
        return changed


class FakeUnitOfWork:
    """Works on a copy of the committed store; commit() publishes it, leaving rolls back."""

    def __init__(self, store: FakeStore, read_only: bool, order: Callable[[], int]) -> None:
        self._committed = store
        self._read_only = read_only
        self._order = order
        self.committed = False

    def __enter__(self) -> Self:
        self._working = copy.deepcopy(self._committed)
        self.people = FakePeopleRepository(self._working)
        self.visits = FakeVisitRepository(self._working, self._order)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        del self._working  # anything not committed is gone

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._committed.people = self._working.people
        self._committed.visits = self._working.visits
        self._committed.commits += 1
        self._working = copy.deepcopy(self._committed)
        self.people = FakePeopleRepository(self._working)
        self.visits = FakeVisitRepository(self._working, self._order)
        self.committed = True


def fake_workspace(content: Content, clock: Callable[[], datetime]) -> tuple[Workspace, FakeStore]:
    """A workspace whose units of work are fakes over one in-memory store (returned too)."""
    store = FakeStore()
    order = itertools.count()

    def units(read_only: bool) -> FakeUnitOfWork:
        return FakeUnitOfWork(store, read_only, lambda: next(order))

    return Workspace(units, content, clock), store
