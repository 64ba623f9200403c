"""What the use cases need from storage, as Protocols (cosmicpython's abstract repository and
unit of work): the store's SQL classes satisfy them, and so does the in-memory fake the use-case
tests run against (tests/fakes.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from safetycheck.domain.assessment import ActionState, Answer, Assessment, Photo, Prescription
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
    StoredRoom,
    VisitSnapshot,
)


class PeopleRepository(Protocol):
    """People (each with a home)."""

    def get(self, person_id: str) -> PersonView | None: ...

    def exists(self, person_id: str) -> bool: ...

    def add(
        self,
        name: str,
        birth_year: int | None,
        notes: str,
        now: datetime,
        person_id: str | None = None,
    ) -> PersonView: ...

    def update(
        self,
        person_id: str,
        *,
        name: str,
        birth_year: int | None,
        notes: str,
        now: datetime,
        expected_version: int,
    ) -> None: ...

    def page(
        self, search: str, after: str | None, limit: int
    ) -> tuple[list[PersonView], str | None, bool]:
        """Up to `limit` people by folded name from just after the cursor `after`, the cursor
        of the last, and whether more follow (ValueError: not a cursor of this list)."""
        ...

    def delete(self, person_id: str) -> bool: ...

    def put_back(self, person: PersonView, now: datetime) -> None: ...


class VisitRepository(Protocol):
    """Visits with their rooms, answers, photos and actions."""

    def info(self, visit_id: str) -> AssessmentInfo | None: ...

    def lock(self, visit_id: str) -> AssessmentInfo | None: ...

    def ids_starting(self, prefix: str, limit: int = 3) -> list[str]: ...

    def latest(
        self, person_id: str, before: AssessmentInfo | None = None
    ) -> AssessmentInfo | None: ...

    def newest_in_progress(self, person_id: str | None) -> AssessmentInfo | None: ...

    def page(
        self, person_id: str | None, search: str, after: str | None, limit: int
    ) -> tuple[list[AssessmentInfo], str | None, bool]:
        """Up to `limit` visits newest first from just after the cursor `after`, the cursor of
        the last, and whether more follow (ValueError: not a cursor of this list)."""
        ...

    def snapshot(self, visit_id: str, with_photos: bool = False) -> VisitSnapshot | None: ...

    def rooms(self, visit_id: str) -> list[StoredRoom]: ...

    def room(self, room_id: str) -> StoredRoom | None: ...

    def photos(self, visit_id: str) -> list[PhotoInfo]: ...

    def actions(self, visit_id: str) -> list[ActionView]: ...

    def action(self, action_id: str) -> ActionView | None: ...

    def falls(self, visit_id: str) -> FallsSinceLastVisit | None: ...

    def falls_of_person(
        self, person_id: str
    ) -> list[tuple[AssessmentInfo, FallsSinceLastVisit]]: ...

    def save_falls(self, visit_id: str, report: FallsSinceLastVisit, now: datetime) -> None: ...

    def action_visit(self, action_id: str) -> str | None: ...

    def signoff(self, visit_id: str) -> SignOff | None: ...

    def set_signoff(self, visit_id: str, signoff: SignOff) -> None: ...

    def latest_signoff(self, assessor_name: str, role: Mode) -> SignOff | None: ...

    def exercises(self, visit_id: str) -> tuple[Prescription, ...]: ...

    def set_exercises(self, visit_id: str, prescriptions: Sequence[Prescription]) -> None: ...

    def kept(self, visit_id: str) -> KeptVisit | None: ...

    def delete(self, visit_id: str) -> bool: ...

    def put_back(self, kept: KeptVisit, now: datetime) -> None: ...

    def add(
        self,
        assessment: Assessment,
        *,
        room_keys: dict[str, str],
        now: datetime,
        completed_at: datetime | None = None,
        result: tuple[str, int] | None = None,
    ) -> str: ...

    def add_room(self, visit_id: str, spec: RoomSpec, position: int) -> StoredRoom: ...

    def update_room(self, room: StoredRoom) -> None: ...

    def remove_room(self, room_id: str) -> None: ...

    def answer_version(self, visit_id: str, item: str, room: str | None) -> int | None: ...

    def save_answer(self, visit_id: str, answer: Answer, expected_version: int | None) -> int: ...

    def touch(self, visit_id: str, now: datetime, resume_at: str | None = None) -> None: ...

    def set_result(self, visit_id: str, level: str, score: int, model_version: str) -> None: ...

    def complete(
        self,
        visit_id: str,
        *,
        level: str,
        score: int,
        model_version: str,
        now: datetime,
        expected_version: int,
    ) -> None: ...

    def add_photo(self, visit_id: str, photo: Photo, now: datetime) -> PhotoInfo: ...

    def remove_photo(self, photo_id: str) -> bool: ...

    def change_actions(
        self, visit_id: str, remove: Iterable[str], add: Iterable[ActionKey], now: datetime
    ) -> None: ...

    def set_action(
        self,
        action: ActionView,
        *,
        status: ActionState,
        done_on: date | None,
        note: str,
        now: datetime,
    ) -> ActionView: ...

    def edit_action(
        self,
        action: ActionView,
        *,
        text: str | None,
        priority: str | None,
        who: str | None,
        now: datetime,
    ) -> ActionView: ...


class UnitOfWork(Protocol):
    """One transaction: `with ws.unit_of_work() as uow: ...; uow.commit()`; anything not
    committed is rolled back. A read-only one reads one snapshot and cannot commit."""

    @property
    def people(self) -> PeopleRepository: ...

    @property
    def visits(self) -> VisitRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...
