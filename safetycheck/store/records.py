"""The database tables as SQLAlchemy 2.0 typed records. Only the store package sees these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID = String(32)

# Stable constraint names, so Alembic's batch mode can alter SQLite tables later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# SQLite's full-text index of people's folded names (FTS5, trigram tokenizer; external content:
# the `people` table, by rowid), kept in step by triggers. Made by migration 0007 where this
# SQLite has FTS5 with the trigram tokenizer; the search works without it, by scanning.
SQLITE_SEARCH_TABLE = "people_fts"
# PostgreSQL's pg_trgm GIN index of people's folded names, made by migration 0007 where the
# extension can be had (the search works without it, by scanning).
POSTGRESQL_SEARCH_INDEX = "ix_people_name_trigram"


def schema_filter(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Alembic's `include_object` for comparing these records with a database of `dialect`:
    an index declared for one dialect only is compared there only, and the search indexes
    (SQLite's full-text table with its shadow tables, PostgreSQL's trigram index) are the
    migration's, not the records'."""

    def include(item: Any, name: str | None, kind: str, reflected: bool, _other: Any) -> bool:
        if kind == "table" and name is not None and name.startswith(SQLITE_SEARCH_TABLE):
            return False
        if kind == "index" and name == POSTGRESQL_SEARCH_INDEX:
            return False
        only = getattr(item, "info", {}).get("dialect") if not reflected else None
        return only is None or only == dialect

    return include


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class PersonRecord(Base):
    """A person whose home is assessed."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))  # fold(name): sorted and searched
    birth_year: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    homes: Mapped[list[HomeRecord]] = relationship(back_populates="person")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # The list's order, so a page is a seek from the last row of the page before.
        Index("ix_people_name_order", "name_folded", "id"),
        # Substring search of names is served by indexes the migration makes and the records
        # do not declare (SQLITE_SEARCH_TABLE, POSTGRESQL_SEARCH_INDEX): declaring the GIN
        # index here would load SQLAlchemy's PostgreSQL dialect on every start, SQLite's too
        # (55-76 ms, 2-3 MB).
    )


class HomeRecord(Base):
    """A person's home; its rooms are recorded per visit, linked across visits by room_key."""

    __tablename__ = "homes"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="Home")

    person: Mapped[PersonRecord] = relationship(back_populates="homes")


class AssessmentRecord(Base):
    """One visit: who assessed, when, in which mode, with which checklist and model versions."""

    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    home_id: Mapped[str] = mapped_column(ForeignKey("homes.id", ondelete="CASCADE"))
    visit_date: Mapped[date] = mapped_column(Date)
    assessor_name: Mapped[str] = mapped_column(String(200))
    assessor_role: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # in_progress | completed
    checklist_version: Mapped[str] = mapped_column(String(20))
    model_version: Mapped[str] = mapped_column(String(20))
    resume_at: Mapped[str] = mapped_column(String(200), default="")  # where the wizard stopped
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The result when finished, kept for fast lists; recomputed from the answers on demand.
    result_level: Mapped[str | None] = mapped_column(String(20))
    result_score: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The plan's sign-off: the assessor's details as they were at this visit ("" when not
    # given), and when the plan is to be reviewed (None: not set).
    assessor_credentials: Mapped[str] = mapped_column(String(200), default="", server_default="")
    assessor_organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    assessor_contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    next_review: Mapped[date | None] = mapped_column(Date)

    rooms: Mapped[list[RoomRecord]] = relationship(
        back_populates="assessment", order_by="RoomRecord.position", cascade="all, delete-orphan"
    )
    answers: Mapped[list[AnswerRecord]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # The lists' order, newest first (read backwards): every visit, and one person's.
        Index("ix_assessments_newest", "visit_date", "created_at", "id"),
        Index("ix_assessments_person_newest", "person_id", "visit_date", "created_at", "id"),
        Index("ix_assessments_status", "status"),
    )


class RoomRecord(Base):
    """A room of the home as it was at one visit ("Bedroom 2" is its own room)."""

    __tablename__ = "rooms"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    room_key: Mapped[str] = mapped_column(ID)  # the same room across visits
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    night_route: Mapped[bool] = mapped_column(default=False)
    stairs_daily: Mapped[bool] = mapped_column(default=False)

    assessment: Mapped[AssessmentRecord] = relationship(back_populates="rooms")


class AnswerRecord(Base):
    """One answer; saved in its own short transaction the moment it is given."""

    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    value_text: Mapped[str | None] = mapped_column(String(100))
    value_number: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    assessment: Mapped[AssessmentRecord] = relationship(back_populates="answers")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # One answer per item and room; person-level answers have no room.
        Index(
            "uq_answers_slot",
            "assessment_id",
            "item_id",
            func.coalesce(room_id, ""),
            unique=True,
        ),
    )


class PhotoRecord(Base):
    """A photo attached to one answer slot: a downscaled copy, and the original's hash."""

    __tablename__ = "photos"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(100))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    original_sha256: Mapped[str] = mapped_column(String(64))
    original_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The print-size JPEG, made once when the photo was attached or imported; NULL for a photo
    # stored before migration 0006 (its report makes the copy).
    print_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    print_width: Mapped[int | None] = mapped_column(Integer)
    print_height: Mapped[int | None] = mapped_column(Integer)


class ActionItemRecord(Base):
    """An action of the plan with its status, so a later visit can see what was fixed."""

    __tablename__ = "action_items"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # red_flag | hazard | person
    item_id: Mapped[str] = mapped_column(String(100))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done | not_needed
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # The visit's own wording, priority and who-does-it, where edited (None: the plan's own).
    text_override: Mapped[str | None] = mapped_column(Text)
    priority_override: Mapped[str | None] = mapped_column(String(20))
    who_override: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index(
            "uq_action_items_slot",
            "assessment_id",
            "kind",
            "item_id",
            func.coalesce(room_id, ""),
            unique=True,
        ),
    )


class FallsReportRecord(Base):
    """The falls asked about at a follow-up visit: how many since the earlier visit.

    One row per visit that recorded them (no row: not asked). `since_visit_id` is kept as
    written, without a foreign key, so the record stays exact if that visit is deleted (its
    date is kept beside it) and is whole again when the deletion is undone under the same id.
    """

    __tablename__ = "falls_reports"

    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    fall_count: Mapped[int] = mapped_column(Integer)
    since_visit_id: Mapped[str | None] = mapped_column(ID)
    since_date: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FallRecord(Base):
    """One fall of a visit's falls report, in the order given."""

    __tablename__ = "falls"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    month: Mapped[str] = mapped_column(String(7), default="")  # YYYY-MM, or "" when not known
    hurt: Mapped[str] = mapped_column(String(10))  # yes | no | unknown
    place: Mapped[str] = mapped_column(String(20))  # room | outside | elsewhere | unknown
    room_key: Mapped[str | None] = mapped_column(ID)  # the room across visits (place room)
    room_name: Mapped[str] = mapped_column(String(200), default="")
    what_happened: Mapped[str] = mapped_column(Text, default="")
    seen: Mapped[str] = mapped_column(String(20))  # no | doctor | hospital | unknown

    __table_args__ = (Index("uq_falls_position", "assessment_id", "position", unique=True),)


class PrescribedExerciseRecord(Base):
    """A home exercise the therapist prescribed at a visit, in the order given, with its dose."""

    __tablename__ = "prescribed_exercises"

    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[str] = mapped_column(String(40))  # an id of data/report/exercises.toml
    dose: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        Index("uq_prescribed_exercises_exercise", "assessment_id", "exercise_id", unique=True),
    )
