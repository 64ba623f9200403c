"""Repositories: the only code that builds, changes or deletes records.

Each maps records to domain values and back, so nothing above the store sees a SQLAlchemy
object. A visit is read as one snapshot (five statements, one transaction); changes guarded by
a version are single UPDATEs that check the version they were given.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    column,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from safetycheck.domain.assessment import (
    ActionKind,
    ActionState,
    Answer,
    Assessment,
    Assessor,
    Person,
    Photo,
    Prescription,
    PrintCopy,
    RoomInstance,
    VisitStatus,
)
from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
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
from safetycheck.store.errors import ConcurrentEditError
from safetycheck.store.records import (
    SQLITE_SEARCH_TABLE,
    ActionItemRecord,
    AnswerRecord,
    AssessmentRecord,
    Base,
    FallRecord,
    FallsReportRecord,
    HomeRecord,
    PersonRecord,
    PhotoRecord,
    PrescribedExerciseRecord,
    RoomRecord,
)


def new_id() -> str:
    return uuid.uuid4().hex


def fold(text: str) -> str:
    """Case- and accent-insensitive enough for name search ("Álvarez" finds "alvarez").

    Casefolded again after the decomposition: NFKD can make capitals ("™" is "TM", "℃" is
    "°C"), and every search path must ignore their case alike. Migration 0007 refolded the
    names stored before; a change here needs a migration that does the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().strip()


# ---- lists: keyset pages and name search ----------------------------------------------------

# What a page of people reads: no ORM objects (a list may be read a thousand rows at a time).
_PERSON_COLUMNS = (
    PersonRecord.id,
    PersonRecord.name,
    PersonRecord.name_folded,
    PersonRecord.birth_year,
    PersonRecord.notes,
    PersonRecord.version,
)
# Searches this long or longer can use trigrams (FTS5 trigram, pg_trgm); shorter ones scan
# the name index in order and stop at the page's end.
TRIGRAM = 3
# A search the trigram index finds this many names for (or more) reads the names in order
# instead: the page fills within about limit × people / CANDIDATES rows.
CANDIDATES = 2000
_SEARCH_TABLE = table(SQLITE_SEARCH_TABLE, column("rowid"), column("name_folded"))
_HAS_SEARCH_TABLE = "safetycheck_people_fts"  # cached per connection (Connection.info)


def fts_phrase(text: str) -> str:
    """`text` as one FTS5 string (a phrase): within double quotes, a double quote doubled.
    Nothing in it is read as FTS5 syntax (AND, NEAR(, *, ^, :, column names…)."""
    return '"' + text.replace('"', '""') + '"'


def _sqlite_search_table(session: Session) -> bool:
    """Whether this SQLite database has the names' full-text table (migration 0007 made it
    where this SQLite has FTS5 trigrams), looked up once per connection."""
    connection = session.connection()
    found = connection.info.get(_HAS_SEARCH_TABLE)
    if found is None:
        found = (
            connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (SQLITE_SEARCH_TABLE,),
            ).first()
            is not None
        )
        connection.info[_HAS_SEARCH_TABLE] = found
    return bool(found)


def name_contains(session: Session, folded: str) -> list[ColumnElement[bool]]:
    """The conditions on `people` for "the folded name contains `folded`" (already folded).

    The LIKE is the meaning (the one search there has always been: `%` and `_` literal) and
    is always there. PostgreSQL's GIN trigram index serves it itself. On SQLite a search of
    3 characters or more asks the FTS5 trigram index for the rows worth checking (a superset:
    a name containing the text has its trigrams in a row) when they are few; when they are
    many (a common substring), reading the names in order and stopping at the page's end is
    quicker than fetching and sorting them all, so the LIKE alone is used."""
    exact = PersonRecord.name_folded.contains(folded, autoescape=True)
    if (
        len(folded) < TRIGRAM
        or session.get_bind().dialect.name != "sqlite"
        or not _sqlite_search_table(session)
    ):
        return [exact]
    match = _SEARCH_TABLE.c.name_folded.match(fts_phrase(folded))
    probe = select(_SEARCH_TABLE.c.rowid).where(match).limit(CANDIDATES).subquery()
    if session.scalar(select(func.count()).select_from(probe)) == CANDIDATES:
        return [exact]
    return [literal_column("people.rowid").in_(select(_SEARCH_TABLE.c.rowid).where(match)), exact]


def encode_cursor(*key: object) -> str:
    """A row's sort key as an opaque cursor (what a caller hands back to get the next page)."""
    return json.dumps([str(part) for part in key], ensure_ascii=False)


def _cursor(cursor: str, parts: int) -> list[str]:
    try:
        key = json.loads(cursor)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(p, str) for p in key):
        raise ValueError("not a cursor of this list")
    return key


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _same_room(column: Any, room_id: str | None) -> ColumnElement[bool]:
    return column.is_(None) if room_id is None else column == room_id  # type: ignore[no-any-return]


def _table(record: type[Base]) -> Table:
    """A record's table, for Core INSERTs that write the version column as given."""
    return Base.metadata.tables[record.__tablename__]


def _checked_update(session: Session, statement: Any) -> None:
    """Run a version-guarded UPDATE; no row changed means someone else changed it first."""
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentEditError("the row was changed or removed since it was read")


class SqlPeopleRepository:
    """People and their homes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _view(self, record: PersonRecord, visits: int = 0, last: date | None = None) -> PersonView:
        return PersonView(
            record.id, record.name, record.birth_year, record.notes, record.version, visits, last
        )

    def get(self, person_id: str) -> PersonView | None:
        record = self.session.get(PersonRecord, person_id)
        if record is None:
            return None
        visits, last = self._visit_counts([person_id]).get(person_id, (0, None))
        return self._view(record, visits, last)

    def exists(self, person_id: str) -> bool:
        found = self.session.scalar(select(PersonRecord.id).where(PersonRecord.id == person_id))
        return found is not None

    def add(
        self,
        name: str,
        birth_year: int | None,
        notes: str,
        now: datetime,
        person_id: str | None = None,
    ) -> PersonView:
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
        self._flush()
        return self._view(record)

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
        _checked_update(
            self.session,
            update(PersonRecord)
            .where(PersonRecord.id == person_id, PersonRecord.version == expected_version)
            .values(
                name=name,
                name_folded=fold(name),
                birth_year=birth_year,
                notes=notes,
                updated_at=now,
                version=expected_version + 1,
            ),
        )

    def page(
        self, search: str, after: str | None, limit: int
    ) -> tuple[list[PersonView], str | None, bool]:
        """People by folded name (then id) whose name contains `search` (folded), from just
        after the cursor `after` (None: from the start): up to `limit` of them, the cursor of
        the last, and whether more follow. One seek in the name index, however far down the
        page is; no count. Raises ValueError for a cursor this method did not hand out."""
        query = select(*_PERSON_COLUMNS)
        folded = fold(search)
        if folded:
            query = query.where(*name_contains(self.session, folded))
        if after is not None:
            name_key, id_key = _cursor(after, 2)
            query = query.where(
                tuple_(PersonRecord.name_folded, PersonRecord.id) > tuple_(name_key, id_key)
            )
        # The page first, then its people's visits (counted for those rows only): one statement.
        found = query.order_by(PersonRecord.name_folded, PersonRecord.id).limit(limit + 1)
        page = found.subquery()
        rows = self.session.execute(
            select(page, func.count(AssessmentRecord.id), func.max(AssessmentRecord.visit_date))
            .outerjoin(AssessmentRecord, AssessmentRecord.person_id == page.c.id)
            .group_by(*page.c)
            .order_by(page.c.name_folded, page.c.id)
        ).all()
        more, rows = len(rows) > limit, rows[:limit]
        people = [
            PersonView(row[0], row.name, row.birth_year, row.notes, row.version, row[-2], row[-1])
            for row in rows
        ]
        last = encode_cursor(rows[-1].name_folded, rows[-1].id) if rows else None
        return people, last, more

    def delete(self, person_id: str) -> bool:
        """Delete a person; their home, visits and everything of the visits go with them (the
        foreign keys cascade). False when there was no such person."""
        result = self.session.execute(delete(PersonRecord).where(PersonRecord.id == person_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def put_back(self, person: PersonView, now: datetime) -> None:
        """Store a deleted person again under the same id and version (their visits are put
        back one by one). Raises ConcurrentEditError when the id is taken."""
        try:  # Core: the ORM would give the person version 1
            self.session.execute(
                insert(_table(PersonRecord)).values(
                    id=person.id,
                    name=person.name,
                    name_folded=fold(person.name),
                    birth_year=person.birth_year,
                    notes=person.notes,
                    created_at=now,
                    updated_at=now,
                    version=person.version,
                )
            )
        except IntegrityError as exc:
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None
        self.session.add(HomeRecord(id=new_id(), person_id=person.id, label="Home"))
        self._flush()

    def _visit_counts(self, person_ids: Sequence[str]) -> dict[str, tuple[int, date | None]]:
        rows = self.session.execute(
            select(AssessmentRecord.person_id, func.count(), func.max(AssessmentRecord.visit_date))
            .where(AssessmentRecord.person_id.in_(person_ids))
            .group_by(AssessmentRecord.person_id)
        ).all()
        return {row[0]: (int(row[1]), row[2]) for row in rows}

    def _flush(self) -> None:
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None


def _info(record: AssessmentRecord, person_name: str) -> AssessmentInfo:
    return AssessmentInfo(
        id=record.id,
        person_id=record.person_id,
        person_name=person_name,
        date=record.visit_date,
        assessor_name=record.assessor_name,
        assessor_role=Mode(record.assessor_role),
        mode=Mode(record.mode),
        status=VisitStatus(record.status),
        version=record.version,
        level=record.result_level,
        score=record.result_score,
        resume_at=record.resume_at,
        checklist_version=record.checklist_version,
        model_version=record.model_version,
    )


# What a page of visits reads (columns, not ORM objects: `list --json` reads every visit).
_VISIT_COLUMNS = (
    AssessmentRecord.id,
    AssessmentRecord.person_id,
    PersonRecord.name.label("person_name"),
    AssessmentRecord.visit_date,
    AssessmentRecord.assessor_name,
    AssessmentRecord.assessor_role,
    AssessmentRecord.mode,
    AssessmentRecord.status,
    AssessmentRecord.version,
    AssessmentRecord.result_level,
    AssessmentRecord.result_score,
    AssessmentRecord.resume_at,
    AssessmentRecord.checklist_version,
    AssessmentRecord.model_version,
    AssessmentRecord.created_at,
)


_MODES = {mode.value: mode for mode in Mode}  # a dict: a tenth of Mode(value)'s time
_STATUSES = {status.value: status for status in VisitStatus}


def _listed_info(row: Any) -> AssessmentInfo:
    """A row of _VISIT_COLUMNS as a list shows it (positional: `list --json` makes 100,000)."""
    return AssessmentInfo(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        _MODES.get(row[5]) or Mode(row[5]),
        _MODES.get(row[6]) or Mode(row[6]),
        _STATUSES.get(row[7]) or VisitStatus(row[7]),
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        row[13],
    )


def _assessor(record: AssessmentRecord) -> Assessor:
    return Assessor(
        record.assessor_name,
        Mode(record.assessor_role),
        record.assessor_credentials,
        record.assessor_organisation,
        record.assessor_contact,
    )


def _signoff(record: AssessmentRecord) -> SignOff:
    return SignOff(
        record.assessor_credentials,
        record.assessor_organisation,
        record.assessor_contact,
        record.next_review,
    )


def _exercise_rows(visit_id: str, prescriptions: Iterable[Prescription]) -> list[dict[str, Any]]:
    return [
        {"assessment_id": visit_id, "position": n, "exercise_id": p.exercise, "dose": p.dose}
        for n, p in enumerate(prescriptions)
    ]


def _stored_room(record: RoomRecord) -> StoredRoom:
    return StoredRoom(
        record.id,
        record.assessment_id,
        record.room_key,
        record.kind,
        record.name,
        record.position,
        record.night_route,
        record.stairs_daily,
    )


def _action_view(record: ActionItemRecord) -> ActionView:
    return ActionView(
        record.id,
        ActionKind(record.kind),
        record.item_id,
        record.room_id,
        ActionState(record.status),
        record.done_on,
        record.note,
        record.version,
        record.text_override,
        record.priority_override,
        record.who_override,
    )


def _fall(record: FallRecord) -> Fall:
    return Fall(
        record.month,
        record.hurt,
        FallPlace(record.place),
        record.room_key,
        record.room_name,
        record.what_happened,
        Seen(record.seen),
    )


def _falls_report(record: FallsReportRecord, falls: Iterable[FallRecord]) -> FallsSinceLastVisit:
    return FallsSinceLastVisit(
        record.fall_count,
        tuple(_fall(f) for f in sorted(falls, key=lambda f: f.position)),
        record.since_visit_id,
        record.since_date,
    )


def _falls_in_rooms(report: FallsSinceLastVisit, keys: dict[str, str]) -> FallsSinceLastVisit:
    """A report whose falls name rooms by the assessment's room ids (as a file does), with
    those rooms' keys instead; a fall that already names a room key keeps it."""
    return replace(
        report,
        falls=tuple(
            replace(fall, room_key=keys[fall.room_key]) if fall.room_key in keys else fall
            for fall in report.falls
        ),
    )


# A photo's details without its bytes (the stored copy and the print copy).
_WITHOUT_PHOTO_BYTES = (
    defer(PhotoRecord.data, raiseload=True),
    defer(PhotoRecord.print_data, raiseload=True),
)


def _print_copy(record: PhotoRecord) -> PrintCopy | None:
    if record.print_data is None or record.print_width is None or record.print_height is None:
        return None  # stored before migration 0006
    return PrintCopy(record.print_data, record.print_width, record.print_height)


def _print_columns(photo: Photo) -> dict[str, Any]:
    printed = photo.for_print
    return {
        "print_data": printed.data if printed is not None else None,
        "print_width": printed.width if printed is not None else None,
        "print_height": printed.height if printed is not None else None,
    }


def _photo_info(record: PhotoRecord) -> PhotoInfo:
    return PhotoInfo(
        record.id,
        record.item_id,
        record.room_id,
        record.filename,
        record.width,
        record.height,
        record.original_sha256,
    )


class SqlVisitRepository:
    """Visits with their rooms, answers, photos and actions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reading --------------------------------------------------------------------------

    def _with_person(self, query: Any) -> list[AssessmentInfo]:
        rows = self.session.execute(query).all()
        return [_info(record, name) for record, name in rows]

    def _infos(self) -> Any:
        return select(AssessmentRecord, PersonRecord.name).join(
            PersonRecord, PersonRecord.id == AssessmentRecord.person_id
        )

    def lock(self, visit_id: str) -> AssessmentInfo | None:
        """The visit, locked until the transaction ends, for a use case that will change it
        and then score it (PostgreSQL: SELECT … FOR UPDATE, so an answer and finishing the
        visit cannot interleave; SQLite's BEGIN IMMEDIATE already lets one writer in at once)."""
        found = self._with_person(
            self._infos()
            .where(AssessmentRecord.id == visit_id)
            .with_for_update(of=AssessmentRecord)
        )
        return found[0] if found else None

    def info(self, visit_id: str) -> AssessmentInfo | None:
        found = self._with_person(self._infos().where(AssessmentRecord.id == visit_id))
        return found[0] if found else None

    def ids_starting(self, prefix: str, limit: int = 3) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return list(
            self.session.scalars(
                select(AssessmentRecord.id)
                .where(AssessmentRecord.id.like(f"{escaped}%", escape="\\"))
                .limit(limit)
            )
        )

    def latest(self, person_id: str, before: AssessmentInfo | None = None) -> AssessmentInfo | None:
        """The person's newest visit (before the given one, when given)."""
        query = self._infos().where(AssessmentRecord.person_id == person_id)
        if before is not None:
            created = (
                select(AssessmentRecord.created_at)
                .where(AssessmentRecord.id == before.id)
                .scalar_subquery()
            )
            query = query.where(
                or_(
                    AssessmentRecord.visit_date < before.date,
                    (AssessmentRecord.visit_date == before.date)
                    & (AssessmentRecord.created_at < created),
                )
            )
        found = self._with_person(
            query.order_by(
                AssessmentRecord.visit_date.desc(), AssessmentRecord.created_at.desc()
            ).limit(1)
        )
        return found[0] if found else None

    def newest_in_progress(self, person_id: str | None) -> AssessmentInfo | None:
        query = self._infos().where(AssessmentRecord.status == VisitStatus.IN_PROGRESS.value)
        if person_id is not None:
            query = query.where(AssessmentRecord.person_id == person_id)
        found = self._with_person(
            query.order_by(AssessmentRecord.updated_at.desc(), AssessmentRecord.id).limit(1)
        )
        return found[0] if found else None

    def page(
        self, person_id: str | None, search: str, after: str | None, limit: int
    ) -> tuple[list[AssessmentInfo], str | None, bool]:
        """Visits newest first (visit date, then when they were made, then id, all
        descending) — one person's, or everyone's whose folded name contains `search` — from
        just after the cursor `after` (None: from the newest): up to `limit` of them, the
        cursor of the last, and whether more follow. One seek in an index in that order (read
        backwards); no count. Raises ValueError for a cursor this method did not hand out."""
        query = select(*_VISIT_COLUMNS).join(
            PersonRecord, PersonRecord.id == AssessmentRecord.person_id
        )
        if person_id is not None:
            query = query.where(AssessmentRecord.person_id == person_id)
        folded = fold(search)
        if folded:
            query = query.where(*name_contains(self.session, folded))
        if after is not None:
            day, made, id_key = _cursor(after, 3)
            try:
                key = (date.fromisoformat(day), datetime.fromisoformat(made), id_key)
            except ValueError:
                raise ValueError("not a cursor of this list") from None
            query = query.where(
                tuple_(
                    AssessmentRecord.visit_date, AssessmentRecord.created_at, AssessmentRecord.id
                )
                < tuple_(*key)
            )
        rows = (
            self.session.connection()  # Core: rows, not ORM objects
            .execute(
                query.order_by(
                    AssessmentRecord.visit_date.desc(),
                    AssessmentRecord.created_at.desc(),
                    AssessmentRecord.id.desc(),
                ).limit(limit + 1)
            )
            .all()
        )
        more, rows = len(rows) > limit, rows[:limit]
        last = rows[-1] if rows else None
        cursor = (
            encode_cursor(last.visit_date.isoformat(), as_utc(last.created_at).isoformat(), last.id)
            if last is not None
            else None
        )
        return [_listed_info(row) for row in rows], cursor, more

    def snapshot(self, visit_id: str, with_photos: bool = False) -> VisitSnapshot | None:
        """The whole visit in five statements (the caller's transaction makes them one moment),
        six when falls were described (the falls report itself comes with the visit's row, and
        so do the prescribed exercises: one row each, at most six).

        Without `with_photos` the photos' bytes are not read, only their details.
        """
        found = self.session.execute(
            select(
                AssessmentRecord,
                PersonRecord,
                FallsReportRecord,
                PrescribedExerciseRecord.exercise_id,
                PrescribedExerciseRecord.dose,
            )
            .join(PersonRecord, PersonRecord.id == AssessmentRecord.person_id)
            .outerjoin(FallsReportRecord, FallsReportRecord.assessment_id == AssessmentRecord.id)
            .outerjoin(
                PrescribedExerciseRecord,
                PrescribedExerciseRecord.assessment_id == AssessmentRecord.id,
            )
            .where(AssessmentRecord.id == visit_id)
            .order_by(PrescribedExerciseRecord.position)
        ).all()
        if not found:
            return None
        record, person, falls_report = found[0][:3]
        exercises = tuple(
            Prescription(row.exercise_id, row.dose) for row in found if row.exercise_id is not None
        )
        rooms = self.rooms(visit_id)
        answers = list(
            self.session.scalars(
                select(AnswerRecord)
                .where(AnswerRecord.assessment_id == visit_id)
                .order_by(AnswerRecord.answered_at, AnswerRecord.id)
            )
        )
        photo_query = (
            select(PhotoRecord)
            .where(PhotoRecord.assessment_id == visit_id)
            .order_by(PhotoRecord.created_at, PhotoRecord.id)
        )
        if not with_photos:
            photo_query = photo_query.options(*_WITHOUT_PHOTO_BYTES)
        photos = list(self.session.scalars(photo_query))
        actions = self.actions(visit_id)
        assessment = Assessment(
            id=record.id,
            person=Person(person.id, person.name, person.birth_year, person.notes),
            assessor=_assessor(record),
            mode=Mode(record.mode),
            date=record.visit_date,
            checklist_version=record.checklist_version,
            model_version=record.model_version,
            rooms=tuple(
                RoomInstance(r.id, r.kind, r.name, r.night_route, r.stairs_daily) for r in rooms
            ),
            answers=tuple(
                Answer(
                    item=a.item_id,
                    room=a.room_id,
                    value=a.value_number if a.value_number is not None else (a.value_text or ""),
                    note=a.note,
                    unit=a.unit,
                    answered_at=as_utc(a.answered_at),
                )
                for a in answers
            ),
            status=VisitStatus(record.status),
            photos=tuple(
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
                    _print_copy(p),
                )
                for p in photos
            )
            if with_photos
            else (),
            actions=tuple(a.status_value() for a in actions),
            falls=self._report_with_falls(falls_report),
            next_review=record.next_review,
            exercises=exercises,
        )
        versions: dict[Slot, int] = {(a.item_id, a.room_id): a.version for a in answers}
        return VisitSnapshot(
            info=_info(record, person.name),
            assessment=assessment,
            versions=versions,
            photos=tuple(_photo_info(p) for p in photos),
            room_keys={r.id: r.room_key for r in rooms},
            actions=tuple(actions),
        )

    def rooms(self, visit_id: str) -> list[StoredRoom]:
        return [
            _stored_room(r)
            for r in self.session.scalars(
                select(RoomRecord)
                .where(RoomRecord.assessment_id == visit_id)
                .order_by(RoomRecord.position)
            )
        ]

    def room(self, room_id: str) -> StoredRoom | None:
        record = self.session.get(RoomRecord, room_id)
        return _stored_room(record) if record is not None else None

    def photos(self, visit_id: str) -> list[PhotoInfo]:
        query = (
            select(PhotoRecord)
            .where(PhotoRecord.assessment_id == visit_id)
            .order_by(PhotoRecord.created_at, PhotoRecord.id)
            .options(*_WITHOUT_PHOTO_BYTES)
        )
        return [_photo_info(p) for p in self.session.scalars(query)]

    def actions(self, visit_id: str) -> list[ActionView]:
        return [
            _action_view(a)
            for a in self.session.scalars(
                select(ActionItemRecord)
                .where(ActionItemRecord.assessment_id == visit_id)
                .order_by(ActionItemRecord.kind, ActionItemRecord.item_id, ActionItemRecord.id)
            )
        ]

    def action(self, action_id: str) -> ActionView | None:
        record = self.session.get(ActionItemRecord, action_id)
        return _action_view(record) if record is not None else None

    def action_visit(self, action_id: str) -> str | None:
        """The id of the visit an action belongs to."""
        return self.session.scalar(
            select(ActionItemRecord.assessment_id).where(ActionItemRecord.id == action_id)
        )

    def _report_with_falls(self, report: FallsReportRecord | None) -> FallsSinceLastVisit | None:
        """A visit's falls report with its falls (read only when some were described)."""
        if report is None:
            return None
        falls: Sequence[FallRecord] = ()
        if report.fall_count:
            falls = self.session.scalars(
                select(FallRecord).where(FallRecord.assessment_id == report.assessment_id)
            ).all()
        return _falls_report(report, falls)

    def falls(self, visit_id: str) -> FallsSinceLastVisit | None:
        """The falls recorded at a visit (None: not recorded)."""
        return self._report_with_falls(self.session.get(FallsReportRecord, visit_id))

    def falls_of_person(self, person_id: str) -> list[tuple[AssessmentInfo, FallsSinceLastVisit]]:
        """Every visit of the person that recorded falls, newest first, in two statements."""
        rows = self.session.execute(
            select(AssessmentRecord, PersonRecord.name, FallsReportRecord)
            .join(PersonRecord, PersonRecord.id == AssessmentRecord.person_id)
            .join(FallsReportRecord, FallsReportRecord.assessment_id == AssessmentRecord.id)
            .where(AssessmentRecord.person_id == person_id)
            .order_by(AssessmentRecord.visit_date.desc(), AssessmentRecord.created_at.desc())
        ).all()
        described = [report.assessment_id for _, _, report in rows if report.fall_count]
        falls: dict[str, list[FallRecord]] = {visit: [] for visit in described}
        if described:
            for fall in self.session.scalars(
                select(FallRecord).where(FallRecord.assessment_id.in_(described))
            ):
                falls[fall.assessment_id].append(fall)
        return [
            (_info(record, name), _falls_report(report, falls.get(record.id, ())))
            for record, name, report in rows
        ]

    # ---- writing --------------------------------------------------------------------------

    def _home_of(self, person_id: str) -> str:
        home = self.session.scalar(
            select(HomeRecord.id)
            .where(HomeRecord.person_id == person_id)
            .order_by(HomeRecord.id)
            .limit(1)
        )
        if home is None:
            home = new_id()
            self.session.add(HomeRecord(id=home, person_id=person_id, label="Home"))
        return home

    def add(
        self,
        assessment: Assessment,
        *,
        room_keys: dict[str, str],
        now: datetime,
        completed_at: datetime | None = None,
        result: tuple[str, int] | None = None,
    ) -> str:
        """Store a new visit of an existing person, with its rooms, answers, photos and action
        ticks; every row gets a new id (the assessment's own ids only link its parts).

        `room_keys` maps the assessment's room ids to the keys that name the same rooms at the
        person's other visits (a room without one gets a new key). Returns the new visit's id.
        """
        visit_id = new_id()
        self.session.add(
            AssessmentRecord(
                id=visit_id,
                person_id=assessment.person.id,
                home_id=self._home_of(assessment.person.id),
                visit_date=assessment.date,
                assessor_name=assessment.assessor.name,
                assessor_role=assessment.assessor.role.value,
                assessor_credentials=assessment.assessor.credentials,
                assessor_organisation=assessment.assessor.organisation,
                assessor_contact=assessment.assessor.contact,
                next_review=assessment.next_review,
                mode=assessment.mode.value,
                status=assessment.status.value,
                checklist_version=assessment.checklist_version,
                model_version=assessment.model_version,
                resume_at="",
                created_at=now,
                updated_at=now,
                completed_at=completed_at,
                result_level=result[0] if result else None,
                result_score=result[1] if result else None,
            )
        )
        room_ids = {room.id: new_id() for room in assessment.rooms}
        keys = {room.id: room_keys.get(room.id) or new_id() for room in assessment.rooms}
        self.session.add_all(
            RoomRecord(
                id=room_ids[room.id],
                assessment_id=visit_id,
                room_key=keys[room.id],
                kind=room.kind,
                name=room.name,
                position=position,
                night_route=room.night_route,
                stairs_daily=room.stairs_daily,
            )
            for position, room in enumerate(assessment.rooms)
        )
        self._flush()  # rooms before the rows that point at them

        def new_room(old: str | None) -> str | None:
            return room_ids[old] if old is not None else None

        self.session.add_all(
            AnswerRecord(
                id=new_id(),
                assessment_id=visit_id,
                item_id=answer.item,
                room_id=new_room(answer.room),
                value_text=answer.value if isinstance(answer.value, str) else None,
                value_number=answer.value if isinstance(answer.value, float) else None,
                unit=answer.unit,
                note=answer.note,
                answered_at=(answer.answered_at or now).astimezone(UTC),
            )
            for answer in assessment.answers
        )
        self.session.add_all(
            self._photo_record(visit_id, photo, new_room(photo.room), now)
            for photo in assessment.photos
        )
        self.session.add_all(
            ActionItemRecord(
                id=new_id(),
                assessment_id=visit_id,
                kind=action.kind.value,
                item_id=action.item,
                room_id=new_room(action.room),
                status=action.status.value,
                done_on=action.done_on,
                note=action.note,
                text_override=action.text,
                priority_override=action.priority,
                who_override=action.who,
                updated_at=now,
            )
            for action in assessment.actions
        )
        if assessment.falls is not None:
            self._add_falls(visit_id, _falls_in_rooms(assessment.falls, keys), now)
        self._insert(PrescribedExerciseRecord, _exercise_rows(visit_id, assessment.exercises))
        self._flush()
        return visit_id

    def add_room(self, visit_id: str, spec: RoomSpec, position: int) -> StoredRoom:
        record = RoomRecord(
            id=new_id(),
            assessment_id=visit_id,
            room_key=spec.room_key or new_id(),
            kind=spec.kind,
            name=spec.name,
            position=position,
            night_route=spec.night_route,
            stairs_daily=spec.stairs_daily,
        )
        self.session.add(record)
        self._flush()
        return _stored_room(record)

    def update_room(self, room: StoredRoom) -> None:
        self.session.execute(
            update(RoomRecord)
            .where(RoomRecord.id == room.id)
            .values(
                name=room.name,
                position=room.position,
                night_route=room.night_route,
                stairs_daily=room.stairs_daily,
            )
        )

    def remove_room(self, room_id: str) -> None:
        """The room's answers, photos and actions go with it (foreign keys cascade)."""
        self.session.execute(delete(RoomRecord).where(RoomRecord.id == room_id))

    def answer_version(self, visit_id: str, item: str, room: str | None) -> int | None:
        """The stored version of one answer slot (None: not answered)."""
        return self.session.scalar(
            select(AnswerRecord.version).where(
                AnswerRecord.assessment_id == visit_id,
                AnswerRecord.item_id == item,
                _same_room(AnswerRecord.room_id, room),
            )
        )

    def save_answer(self, visit_id: str, answer: Answer, expected_version: int | None) -> int:
        """Insert (expected_version None) or change an answer; returns its new version.

        Raises ConcurrentEditError when the slot was answered, changed or removed meanwhile.
        """
        values = {
            "value_text": answer.value if isinstance(answer.value, str) else None,
            "value_number": answer.value if isinstance(answer.value, float) else None,
            "unit": answer.unit,
            "note": answer.note,
            "answered_at": answer.answered_at,
        }
        if expected_version is None:
            try:
                self.session.execute(
                    insert(AnswerRecord).values(
                        id=new_id(),
                        assessment_id=visit_id,
                        item_id=answer.item,
                        room_id=answer.room,
                        version=1,
                        **values,
                    )
                )
            except IntegrityError:  # another writer answered the slot first (PostgreSQL)
                raise ConcurrentEditError("the slot was answered meanwhile") from None
            return 1
        _checked_update(
            self.session,
            update(AnswerRecord)
            .where(
                AnswerRecord.assessment_id == visit_id,
                AnswerRecord.item_id == answer.item,
                _same_room(AnswerRecord.room_id, answer.room),
                AnswerRecord.version == expected_version,
            )
            .values(version=expected_version + 1, **values),
        )
        return expected_version + 1

    def touch(self, visit_id: str, now: datetime, resume_at: str | None = None) -> None:
        """Bookkeeping without the version check (the time of the last answer, where the
        walkthrough stopped), so two people answering one visit never conflict over it."""
        values: dict[str, object] = {"updated_at": now}
        if resume_at is not None:
            values["resume_at"] = resume_at
        self.session.execute(
            update(AssessmentRecord).where(AssessmentRecord.id == visit_id).values(**values)
        )

    def set_result(self, visit_id: str, level: str, score: int, model_version: str) -> None:
        """The stored level and score of a finished visit, kept for fast lists, with the
        version of the model that gave them."""
        self.session.execute(
            update(AssessmentRecord)
            .where(AssessmentRecord.id == visit_id)
            .values(result_level=level, result_score=score, model_version=model_version)
        )

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
        """Mark the visit completed with its result; refused if its version moved on."""
        record = self.session.get(AssessmentRecord, visit_id)
        completed_at = record.completed_at if record is not None else None
        _checked_update(
            self.session,
            update(AssessmentRecord)
            .where(AssessmentRecord.id == visit_id, AssessmentRecord.version == expected_version)
            .values(
                status=VisitStatus.COMPLETED.value,
                completed_at=completed_at or now,
                updated_at=now,
                result_level=level,
                result_score=score,
                model_version=model_version,
                version=expected_version + 1,
            ),
        )

    def _photo_record(
        self, visit_id: str, photo: Photo, room_id: str | None, now: datetime
    ) -> PhotoRecord:
        return PhotoRecord(
            id=new_id(),
            assessment_id=visit_id,
            item_id=photo.item,
            room_id=room_id,
            filename=photo.filename[:255],
            media_type=photo.media_type,
            width=photo.width,
            height=photo.height,
            data=photo.data,
            original_sha256=photo.original_sha256,
            original_bytes=photo.original_bytes,
            created_at=now,
            **_print_columns(photo),
        )

    def add_photo(self, visit_id: str, photo: Photo, now: datetime) -> PhotoInfo:
        record = self._photo_record(visit_id, photo, photo.room, now)
        self.session.add(record)
        self._flush()
        return _photo_info(record)

    def remove_photo(self, photo_id: str) -> bool:
        result = self.session.execute(delete(PhotoRecord).where(PhotoRecord.id == photo_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def change_actions(
        self, visit_id: str, remove: Iterable[str], add: Iterable[ActionKey], now: datetime
    ) -> None:
        removed = list(remove)
        if removed:
            self.session.execute(delete(ActionItemRecord).where(ActionItemRecord.id.in_(removed)))
        self.session.add_all(
            ActionItemRecord(
                id=new_id(),
                assessment_id=visit_id,
                kind=kind.value,
                item_id=item,
                room_id=room,
                status=ActionState.OPEN.value,
                updated_at=now,
            )
            for kind, item, room in add
        )
        self._flush()

    def set_action(
        self,
        action: ActionView,
        *,
        status: ActionState,
        done_on: date | None,
        note: str,
        now: datetime,
    ) -> ActionView:
        """Change an action's status; refused if it changed since `action` was read."""
        _checked_update(
            self.session,
            update(ActionItemRecord)
            .where(ActionItemRecord.id == action.id, ActionItemRecord.version == action.version)
            .values(
                status=status.value,
                done_on=done_on,
                note=note,
                updated_at=now,
                version=action.version + 1,
            ),
        )
        return replace(
            action, status=status, done_on=done_on, note=note, version=action.version + 1
        )

    def edit_action(
        self,
        action: ActionView,
        *,
        text: str | None,
        priority: str | None,
        who: str | None,
        now: datetime,
    ) -> ActionView:
        """Set an action's own wording, priority and who does it for this visit (None: the
        plan's own); refused if it changed since `action` was read."""
        _checked_update(
            self.session,
            update(ActionItemRecord)
            .where(ActionItemRecord.id == action.id, ActionItemRecord.version == action.version)
            .values(
                text_override=text,
                priority_override=priority,
                who_override=who,
                updated_at=now,
                version=action.version + 1,
            ),
        )
        return replace(action, text=text, priority=priority, who=who, version=action.version + 1)

    # ---- deleting, and putting back what was deleted --------------------------------------

    def kept(self, visit_id: str) -> KeptVisit | None:
        """The visit exactly as stored (photo bytes included), to put back if its deletion is
        undone."""
        snapshot = self.snapshot(visit_id, with_photos=True)
        if snapshot is None:
            return None
        times = self.session.execute(
            select(
                AssessmentRecord.created_at,
                AssessmentRecord.updated_at,
                AssessmentRecord.completed_at,
            ).where(AssessmentRecord.id == visit_id)
        ).one()
        photo_times = {
            row.id: row.created_at
            for row in self.session.execute(
                select(PhotoRecord.id, PhotoRecord.created_at).where(
                    PhotoRecord.assessment_id == visit_id
                )
            )
        }
        return KeptVisit(
            snapshot=snapshot,
            rooms=tuple(self.rooms(visit_id)),
            created_at=as_utc(times.created_at),
            updated_at=as_utc(times.updated_at),
            completed_at=as_utc(times.completed_at) if times.completed_at else None,
            photo_times={key: as_utc(value) for key, value in photo_times.items()},
            falls=self.falls(visit_id),
        )

    def delete(self, visit_id: str) -> bool:
        """Delete a visit; its rooms, answers, photos, actions and falls go with it (the
        foreign keys cascade). False when there was no such visit."""
        result = self.session.execute(
            delete(AssessmentRecord).where(AssessmentRecord.id == visit_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def put_back(self, kept: KeptVisit, now: datetime) -> None:
        """Store a deleted visit again exactly as it was: the same ids, room keys, versions and
        times. Its person must be stored. Raises ConcurrentEditError when one of its ids is
        taken (nothing is written that the caller's rollback does not undo).

        Written with Core INSERTs: the ORM would give the versioned rows version 1."""
        snapshot, info = kept.snapshot, kept.snapshot.info
        assessment = snapshot.assessment
        self._insert(
            AssessmentRecord,
            [
                {
                    "id": info.id,
                    "person_id": info.person_id,
                    "home_id": self._home_of(info.person_id),
                    "visit_date": info.date,
                    "assessor_name": info.assessor_name,
                    "assessor_role": info.assessor_role.value,
                    "assessor_credentials": assessment.assessor.credentials,
                    "assessor_organisation": assessment.assessor.organisation,
                    "assessor_contact": assessment.assessor.contact,
                    "next_review": assessment.next_review,
                    "mode": info.mode.value,
                    "status": info.status.value,
                    "checklist_version": info.checklist_version,
                    "model_version": info.model_version,
                    "resume_at": info.resume_at,
                    "created_at": kept.created_at,
                    "updated_at": kept.updated_at,
                    "completed_at": kept.completed_at,
                    "result_level": info.level,
                    "result_score": info.score,
                    "version": info.version,
                }
            ],
        )
        self._insert(
            RoomRecord,
            [
                {
                    "id": room.id,
                    "assessment_id": info.id,
                    "room_key": room.room_key,
                    "kind": room.kind,
                    "name": room.name,
                    "position": room.position,
                    "night_route": room.night_route,
                    "stairs_daily": room.stairs_daily,
                }
                for room in kept.rooms
            ],
        )
        self._insert(
            AnswerRecord,
            [
                {
                    "id": new_id(),  # an answer's row id is never shown or referred to
                    "assessment_id": info.id,
                    "item_id": answer.item,
                    "room_id": answer.room,
                    "value_text": answer.value if isinstance(answer.value, str) else None,
                    "value_number": answer.value if isinstance(answer.value, float) else None,
                    "unit": answer.unit,
                    "note": answer.note,
                    "answered_at": (answer.answered_at or now).astimezone(UTC),
                    "version": snapshot.versions.get((answer.item, answer.room), 1),
                }
                for answer in assessment.answers
            ],
        )
        self._insert(
            PhotoRecord,
            [
                {
                    "id": photo.id,
                    "assessment_id": info.id,
                    "item_id": photo.item,
                    "room_id": photo.room,
                    "filename": photo.filename,
                    "media_type": photo.media_type,
                    "width": photo.width,
                    "height": photo.height,
                    "data": photo.data,
                    "original_sha256": photo.original_sha256,
                    "original_bytes": photo.original_bytes,
                    "created_at": kept.photo_times.get(photo.id, now),
                    **_print_columns(photo),
                }
                for photo in assessment.photos
            ],
        )
        self._insert(
            ActionItemRecord,
            [
                {
                    "id": action.id,
                    "assessment_id": info.id,
                    "kind": action.kind.value,
                    "item_id": action.item,
                    "room_id": action.room,
                    "status": action.status.value,
                    "done_on": action.done_on,
                    "note": action.note,
                    "text_override": action.text,
                    "priority_override": action.priority,
                    "who_override": action.who,
                    "updated_at": kept.updated_at,
                    "version": action.version,
                }
                for action in snapshot.actions
            ],
        )
        self._insert(PrescribedExerciseRecord, _exercise_rows(info.id, assessment.exercises))
        if kept.falls is not None and kept.falls.count is not None:
            self.save_falls(info.id, kept.falls, now)

    # ---- the plan's sign-off and the home exercises ----------------------------------------

    def signoff(self, visit_id: str) -> SignOff | None:
        """The visit's sign-off details and next review (None: no such visit)."""
        record = self.session.get(AssessmentRecord, visit_id)
        return _signoff(record) if record is not None else None

    def set_signoff(self, visit_id: str, signoff: SignOff) -> None:
        """The assessor's details and the next review, as given. Bookkeeping like `touch`: not
        guarded by the visit's version (they change neither answers nor result)."""
        self.session.execute(
            update(AssessmentRecord)
            .where(AssessmentRecord.id == visit_id)
            .values(
                assessor_credentials=signoff.credentials,
                assessor_organisation=signoff.organisation,
                assessor_contact=signoff.contact,
                next_review=signoff.next_review,
            )
        )

    def latest_signoff(self, assessor_name: str, role: Mode) -> SignOff | None:
        """The details the same assessor (name and role as stored) gave at their newest visit
        that has any (None: none has); its next review is not carried (it is that visit's)."""
        record = self.session.scalars(
            select(AssessmentRecord)
            .where(
                AssessmentRecord.assessor_name == assessor_name,
                AssessmentRecord.assessor_role == role.value,
                or_(
                    AssessmentRecord.assessor_credentials != "",
                    AssessmentRecord.assessor_organisation != "",
                    AssessmentRecord.assessor_contact != "",
                ),
            )
            .order_by(AssessmentRecord.visit_date.desc(), AssessmentRecord.created_at.desc())
            .limit(1)
        ).first()
        return replace(_signoff(record), next_review=None) if record is not None else None

    def exercises(self, visit_id: str) -> tuple[Prescription, ...]:
        rows = self.session.execute(
            select(PrescribedExerciseRecord.exercise_id, PrescribedExerciseRecord.dose)
            .where(PrescribedExerciseRecord.assessment_id == visit_id)
            .order_by(PrescribedExerciseRecord.position)
        )
        return tuple(Prescription(row.exercise_id, row.dose) for row in rows)

    def set_exercises(self, visit_id: str, prescriptions: Sequence[Prescription]) -> None:
        """Replace the visit's prescribed exercises with these, in this order."""
        self.session.execute(
            delete(PrescribedExerciseRecord).where(
                PrescribedExerciseRecord.assessment_id == visit_id
            )
        )
        self._insert(PrescribedExerciseRecord, _exercise_rows(visit_id, prescriptions))

    def save_falls(self, visit_id: str, report: FallsSinceLastVisit, now: datetime) -> None:
        """Replace the visit's falls report and its falls with `report` (a count of None
        removes them: not asked)."""
        self.session.execute(delete(FallRecord).where(FallRecord.assessment_id == visit_id))
        self.session.execute(
            delete(FallsReportRecord).where(FallsReportRecord.assessment_id == visit_id)
        )
        self._add_falls(visit_id, report, now)
        self._flush()

    def _add_falls(self, visit_id: str, report: FallsSinceLastVisit, now: datetime) -> None:
        if report.count is None:
            return  # not asked: nothing is stored
        self.session.add(
            FallsReportRecord(
                assessment_id=visit_id,
                fall_count=report.count,
                since_visit_id=report.since_visit_id,
                since_date=report.since_date,
                recorded_at=now,
            )
        )
        self.session.add_all(
            FallRecord(
                id=new_id(),
                assessment_id=visit_id,
                position=position,
                month=fall.month,
                hurt=fall.hurt,
                place=fall.place.value,
                room_key=fall.room_key,
                room_name=fall.room_name,
                what_happened=fall.what_happened,
                seen=fall.seen.value,
            )
            for position, fall in enumerate(report.falls)
        )

    def _insert(self, record: type[Base], rows: list[dict[str, Any]]) -> None:
        """Insert rows as given (Core: the ORM would set the version column itself)."""
        if not rows:
            return
        self._flush()  # pending rows first, so the order of inserts is the order of writing
        try:
            self.session.execute(insert(_table(record)), rows)
        except IntegrityError as exc:
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None

    def _flush(self) -> None:
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None
