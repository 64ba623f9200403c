"""The workspace a use case runs in: units of work on the open database, the content, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from safetycheck.content import Content, load_content
from safetycheck.services.ports import UnitOfWork

if TYPE_CHECKING:
    from safetycheck.store.database import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


UnitsOfWork = Callable[[bool], UnitOfWork]  # read_only -> a new unit of work


@dataclass
class Workspace:
    """Everything use cases need; the clock is passed in so tests can fix the time.

    `units` makes units of work (the store's, or a fake one in the use-case tests); `database`
    is the open database behind them, if any.
    """

    units: UnitsOfWork
    content: Content
    clock: Callable[[], datetime] = field(default=utc_now)
    database: Database | None = None

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        return self.units(read_only)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone().date()

    def files_in_use(self) -> tuple[Path, ...]:
        """The files an export must never replace: the SQLite database and its -wal and -shm."""
        if self.database is None or self.database.sqlite_path is None:
            return ()
        from safetycheck.store.location import database_files

        return database_files(self.database.sqlite_path)

    def close(self) -> None:
        if self.database is not None:
            self.database.close()


def open_workspace(
    url: str | None = None,
    content: Content | None = None,
    clock: Callable[[], datetime] = utc_now,
    create: bool = True,
    read_only: bool = False,
) -> Workspace:
    """Open the database named by --db, $SAFETYCHECK_DB or the default file, and the content.

    `read_only` for a command that only reads: the file is opened read-only and never created.
    """
    from safetycheck.store.database import database_url, open_database
    from safetycheck.store.unit_of_work import UnitOfWork as SqlUnitOfWork

    loaded = content if content is not None else load_content()
    database = open_database(database_url(url), now=clock, create=create, read_only=read_only)

    def units(read_only: bool) -> UnitOfWork:
        return SqlUnitOfWork(database, read_only=read_only)

    return Workspace(units, loaded, clock, database)
