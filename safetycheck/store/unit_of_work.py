"""Unit of work: one session, one transaction; commit explicitly, roll back by default.

A writing unit of work takes SQLite's write lock at its start (`BEGIN IMMEDIATE`), so two
writers wait for each other instead of failing half-way; a read-only one starts a deferred
`BEGIN` (SQLite) or a read-only REPEATABLE READ transaction (PostgreSQL), so readers never block
writers and every statement of the use case reads the same snapshot.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from safetycheck.store.database import Database, damage_message
from safetycheck.store.errors import ConcurrentEditError, DatabaseUnusableError
from safetycheck.store.repositories import SqlPeopleRepository, SqlVisitRepository, fold, new_id

__all__ = ["ConcurrentEditError", "UnitOfWork", "fold", "new_id"]


class UnitOfWork:
    """`with UnitOfWork(db) as uow: ...; uow.commit()` — anything not committed is rolled back.

    Attributes:
        people, visits: the repositories, bound to this unit of work's session.
        session: the SQLAlchemy session (for the store's own tests and benchmarks only).
    """

    def __init__(self, database: Database, *, read_only: bool = False) -> None:
        self._database = database
        self.read_only = read_only
        self.session: Session
        self.people: SqlPeopleRepository
        self.visits: SqlVisitRepository

    def __enter__(self) -> UnitOfWork:
        if not self.read_only:
            if self._database.read_only:
                raise RuntimeError("the database was opened read-only; this use case writes")
            self._database.check_before_writing()
        factory = self._database.read_sessions if self.read_only else self._database.sessions
        self.session = factory()
        self.people = SqlPeopleRepository(self.session)
        self.visits = SqlVisitRepository(self.session)
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
        if isinstance(exc, DBAPIError | ValueError) and not isinstance(exc, OperationalError):
            # Not a lock or a lost connection: it may be damage (SQLite reports a wrecked page
            # as DatabaseError; a cut-short value can surface as a ValueError while a row is
            # read). The next write checks the whole file first.
            self._database.suspect = True
        if isinstance(exc, DBAPIError):
            # One plain message, nothing half-written.
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            path = self._database.sqlite_path
            if path is not None and not isinstance(exc, OperationalError):
                raise DatabaseUnusableError(damage_message(path, detail))
            raise DatabaseUnusableError(f"the database could not be read or written ({detail})")

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        try:
            self.session.commit()
        except (StaleDataError, IntegrityError) as exc:
            self.session.rollback()
            raise ConcurrentEditError(str(exc).splitlines()[0]) from None
