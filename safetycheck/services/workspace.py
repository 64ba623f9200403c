"""The workspace a use case runs in: the open database, the content, and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from safetycheck.content import Content, load_content
from safetycheck.store.database import Database, database_url, open_database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workspace:
    """Everything use cases need; the clock is passed in so tests can fix the time."""

    database: Database
    content: Content
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone().date()

    def close(self) -> None:
        self.database.close()


def open_workspace(
    url: str | None = None,
    content: Content | None = None,
    clock: Callable[[], datetime] = utc_now,
    create: bool = True,
) -> Workspace:
    """Open the database named by --db, $SAFETYCHECK_DB or the default file, and the content."""
    loaded = content if content is not None else load_content()
    return Workspace(open_database(database_url(url), now=clock, create=create), loaded, clock)
