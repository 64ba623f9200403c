"""Unit of work: one session, one transaction; commit explicitly, roll back by default.

Repositories live here too: each maps records to domain values and back, so nothing above the
store sees a SQLAlchemy object.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from types import TracebackType

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from safetycheck.domain.assessment import (
    ActionStatus,
    Answer,
    Assessment,
    Assessor,
    Person,
    Photo,
    RoomInstance,
)
from safetycheck.domain.checklist import Mode
from safetycheck.store.database import Database
from safetycheck.store.errors import DatabaseUnusableError
from safetycheck.store.records import (
    ActionItemRecord,
    AnswerRecord,
    AssessmentRecord,
    HomeRecord,
    PersonRecord,
    PhotoRecord,
    RoomRecord,
)


class ConcurrentEditError(Exception):
    """Someone else changed the same row since it was read."""


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def fold(text: str) -> str:
    """Case- and accent-insensitive enough for name search ("Álvarez" finds "alvarez")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


class UnitOfWork:
    """`with UnitOfWork(db) as uow: ...; uow.commit()` — anything not committed is rolled back."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._database.sessions()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except DBAPIError:
            pass
        if isinstance(exc, DBAPIError):
            # A damaged file or a lost server: one plain message, nothing half-written.
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            raise DatabaseUnusableError(f"the database could not be read or written ({detail})")

    def commit(self) -> None:
        try:
            self.session.commit()
        except (StaleDataError, IntegrityError) as exc:
            self.session.rollback()
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None

    def flush(self) -> None:
        try:
            self.session.flush()
        except (StaleDataError, IntegrityError) as exc:
            self.session.rollback()
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None

    # ---- people ---------------------------------------------------------------------------

    def person(self, person_id: str) -> PersonRecord | None:
        return self.session.get(PersonRecord, person_id)

    def add_person(
        self,
        name: str,
        birth_year: int | None,
        notes: str,
        now: datetime,
        person_id: str | None = None,
    ) -> PersonRecord:
        record = PersonRecord(
            id=person_id or new_id(),
            name=name,
            name_folded=fold(name),
            birth_year=birth_year,
            notes=notes,
            created_at=now,
            updated_at=now,
        )
        self.session.add(record)
        self.session.add(HomeRecord(id=new_id(), person_id=record.id, label="Home"))
        return record

    def home_of(self, person_id: str) -> HomeRecord:
        home = self.session.scalars(
            select(HomeRecord).where(HomeRecord.person_id == person_id).order_by(HomeRecord.id)
        ).first()
        if home is None:
            home = HomeRecord(id=new_id(), person_id=person_id, label="Home")
            self.session.add(home)
        return home

    def people_page(self, search: str, offset: int, limit: int) -> tuple[int, list[PersonRecord]]:
        query = select(PersonRecord)
        if search:
            query = query.where(PersonRecord.name_folded.contains(fold(search), autoescape=True))
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(
            query.order_by(PersonRecord.name_folded, PersonRecord.id).offset(offset).limit(limit)
        ).all()
        return total, list(rows)

    def visit_counts(self, person_ids: Sequence[str]) -> dict[str, tuple[int, date | None]]:
        rows = self.session.execute(
            select(AssessmentRecord.person_id, func.count(), func.max(AssessmentRecord.visit_date))
            .where(AssessmentRecord.person_id.in_(person_ids))
            .group_by(AssessmentRecord.person_id)
        ).all()
        return {row[0]: (int(row[1]), row[2]) for row in rows}

    # ---- assessments ----------------------------------------------------------------------

    def assessment(self, assessment_id: str) -> AssessmentRecord | None:
        return self.session.get(AssessmentRecord, assessment_id)

    def update_assessment(self, assessment_id: str, **values: object) -> None:
        """Set columns of a visit without its version check (bookkeeping such as the time of
        the last answer, which must not make two people's answers conflict)."""
        self.session.execute(
            update(AssessmentRecord).where(AssessmentRecord.id == assessment_id).values(**values)
        )

    def assessment_ids_starting(self, prefix: str, limit: int = 3) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return list(
            self.session.scalars(
                select(AssessmentRecord.id)
                .where(AssessmentRecord.id.like(f"{escaped}%", escape="\\"))
                .limit(limit)
            )
        )

    def latest_assessment(
        self, person_id: str, before: AssessmentRecord | None = None, status: str | None = None
    ) -> AssessmentRecord | None:
        query = select(AssessmentRecord).where(AssessmentRecord.person_id == person_id)
        if before is not None:
            query = query.where(
                or_(
                    AssessmentRecord.visit_date < before.visit_date,
                    (AssessmentRecord.visit_date == before.visit_date)
                    & (AssessmentRecord.created_at < before.created_at),
                )
            )
        if status is not None:
            query = query.where(AssessmentRecord.status == status)
        return self.session.scalars(
            query.order_by(
                AssessmentRecord.visit_date.desc(), AssessmentRecord.created_at.desc()
            ).limit(1)
        ).first()

    def newest_in_progress(self, person_id: str | None) -> AssessmentRecord | None:
        query = select(AssessmentRecord).where(AssessmentRecord.status == "in_progress")
        if person_id is not None:
            query = query.where(AssessmentRecord.person_id == person_id)
        return self.session.scalars(
            query.order_by(AssessmentRecord.updated_at.desc(), AssessmentRecord.id).limit(1)
        ).first()

    def assessments_page(
        self, person_id: str | None, search: str, offset: int, limit: int
    ) -> tuple[int, list[tuple[AssessmentRecord, PersonRecord]]]:
        query = select(AssessmentRecord, PersonRecord).join(
            PersonRecord, PersonRecord.id == AssessmentRecord.person_id
        )
        if person_id is not None:
            query = query.where(AssessmentRecord.person_id == person_id)
        if search:
            query = query.where(PersonRecord.name_folded.contains(fold(search), autoescape=True))
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.execute(
            query.order_by(
                AssessmentRecord.visit_date.desc(),
                AssessmentRecord.created_at.desc(),
                AssessmentRecord.id,
            )
            .offset(offset)
            .limit(limit)
        ).all()
        return total, [(row[0], row[1]) for row in rows]

    def rooms(self, assessment_id: str) -> list[RoomRecord]:
        return list(
            self.session.scalars(
                select(RoomRecord)
                .where(RoomRecord.assessment_id == assessment_id)
                .order_by(RoomRecord.position)
            )
        )

    def room(self, room_id: str) -> RoomRecord | None:
        return self.session.get(RoomRecord, room_id)

    def answer_record(
        self, assessment_id: str, item_id: str, room_id: str | None
    ) -> AnswerRecord | None:
        query = select(AnswerRecord).where(
            AnswerRecord.assessment_id == assessment_id, AnswerRecord.item_id == item_id
        )
        query = query.where(
            AnswerRecord.room_id.is_(None) if room_id is None else AnswerRecord.room_id == room_id
        )
        return self.session.scalars(query).first()

    def answer_records(self, assessment_id: str) -> list[AnswerRecord]:
        return list(
            self.session.scalars(
                select(AnswerRecord)
                .where(AnswerRecord.assessment_id == assessment_id)
                .order_by(AnswerRecord.answered_at, AnswerRecord.id)
            )
        )

    def photo_records(self, assessment_id: str) -> list[PhotoRecord]:
        return list(
            self.session.scalars(
                select(PhotoRecord)
                .where(PhotoRecord.assessment_id == assessment_id)
                .order_by(PhotoRecord.created_at, PhotoRecord.id)
            )
        )

    def photo(self, photo_id: str) -> PhotoRecord | None:
        return self.session.get(PhotoRecord, photo_id)

    def action_records(self, assessment_id: str) -> list[ActionItemRecord]:
        return list(
            self.session.scalars(
                select(ActionItemRecord)
                .where(ActionItemRecord.assessment_id == assessment_id)
                .order_by(ActionItemRecord.kind, ActionItemRecord.item_id, ActionItemRecord.id)
            )
        )

    def action(self, action_id: str) -> ActionItemRecord | None:
        return self.session.get(ActionItemRecord, action_id)

    def delete_actions(self, assessment_id: str) -> None:
        self.session.execute(
            delete(ActionItemRecord).where(ActionItemRecord.assessment_id == assessment_id)
        )

    # ---- mapping to the domain ------------------------------------------------------------

    def load(self, record: AssessmentRecord, with_photos: bool = False) -> Assessment:
        person = self.session.get(PersonRecord, record.person_id)
        assert person is not None
        rooms = tuple(
            RoomInstance(r.id, r.kind, r.name, r.night_route, r.stairs_daily)
            for r in self.rooms(record.id)
        )
        answers = tuple(
            Answer(
                item=a.item_id,
                room=a.room_id,
                value=a.value_number if a.value_number is not None else (a.value_text or ""),
                note=a.note,
                unit=a.unit,
                answered_at=as_utc(a.answered_at),
            )
            for a in self.answer_records(record.id)
        )
        photos = (
            tuple(
                Photo(
                    p.id,
                    p.item_id,
                    p.room_id,
                    p.filename,
                    p.media_type,
                    p.width,
                    p.height,
                    p.data,
                    p.original_sha256,
                    p.original_bytes,
                )
                for p in self.photo_records(record.id)
            )
            if with_photos
            else ()
        )
        actions = tuple(
            ActionStatus(a.kind, a.item_id, a.room_id, a.status, a.done_on, a.note)
            for a in self.action_records(record.id)
        )
        return Assessment(
            id=record.id,
            person=Person(person.id, person.name, person.birth_year, person.notes),
            assessor=Assessor(record.assessor_name, Mode(record.assessor_role)),
            mode=Mode(record.mode),
            date=record.visit_date,
            checklist_version=record.checklist_version,
            model_version=record.model_version,
            rooms=rooms,
            answers=answers,
            status=record.status,
            photos=photos,
            actions=actions,
        )
