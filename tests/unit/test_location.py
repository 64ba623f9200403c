"""store/location.py reads a database URL without SQLAlchemy, exactly as SQLAlchemy reads it:
the file a command keeps its outputs off is the file the program opens."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from safetycheck.store.errors import DatabaseUnreachableError
from safetycheck.store.location import database_files, sqlite_file


def as_sqlalchemy_reads_it(url: str) -> Path | type[Exception] | None:
    """The SQLite file of `url` as read by SQLAlchemy's make_url (what store/database.py did
    before location.py): a path, None for a server, or the error."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return DatabaseUnreachableError
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return DatabaseUnreachableError
    path = Path(parsed.database)
    with contextlib.suppress(
        RuntimeError
    ):  # '~name' for no such user: sqlite3 opens the name as written
        path = path.expanduser()
    return path.resolve()


def as_location_reads_it(url: str) -> Path | type[Exception] | None:
    try:
        return sqlite_file(url)
    except DatabaseUnreachableError:
        return DatabaseUnreachableError


SPELLINGS = [
    "sqlite:////tmp/x/db.sqlite3",
    "sqlite+pysqlite:////tmp/x/db.sqlite3",
    "sqlite:///relative/db.sqlite3",
    "sqlite:///~/db.sqlite3",
    "sqlite:////tmp/with%20space/db%2Esqlite3",
    "sqlite:////tmp/x/db.sqlite3?mode=ro&uri=true",
    "sqlite://",
    "sqlite:///",
    "sqlite:///:memory:",
    "sqlite+aiosqlite:////tmp/a.db",
    "SQLITE:////tmp/upper.db",
    "postgresql+psycopg://user:pw@host:5432/name",
    "postgresql://user@[::1]/name?sslmode=require",
    "mysql://host/db",
    "not a url",
    "",
    "sqlite:/tmp/one-slash.db",
    "sqlite://host/tmp/with-host.db",
    "sqlite://user:p%40ss@/tmp/with-user.db",
]


@pytest.mark.parametrize("url", SPELLINGS)
def test_each_spelling_names_the_file_sqlalchemy_would_open(url: str) -> None:
    assert as_location_reads_it(url) == as_sqlalchemy_reads_it(url)


URL_TEXT = st.text(
    alphabet=st.sampled_from("abz09/:@?&=%+._-~ [] Éé"), max_size=30
)  # the characters URLs are made of, and a few that are not


@given(
    scheme=st.sampled_from(["sqlite", "sqlite+pysqlite", "postgresql+psycopg", "sqlite3", "s"]),
    rest=URL_TEXT,
)
@example(scheme="sqlite", rest="/~0")  # a '~user' for no such user (found on CI)
def test_any_url_is_read_as_sqlalchemy_reads_it(scheme: str, rest: str) -> None:
    url = f"{scheme}://{rest}"
    try:
        expected = as_sqlalchemy_reads_it(url)
    except ValueError:  # a port that is not a number: SQLAlchemy refuses it before any file
        return
    assert as_location_reads_it(url) == expected


def test_a_database_has_three_files() -> None:
    path = Path("/tmp/x/db.sqlite3")
    assert [p.name for p in database_files(path)] == [
        "db.sqlite3",
        "db.sqlite3-wal",
        "db.sqlite3-shm",
    ]
