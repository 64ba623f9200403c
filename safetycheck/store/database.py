"""Opening the database: where it lives, SQLite settings, checks before any write, migrations.

The order matters for "never modify a file we cannot use": a SQLite file is first opened
read-only to check that it is a database and that its schema is one this program knows; only then
is it opened for writing, backed up (when a migration is due) and migrated.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from safetycheck.store.errors import (
    DatabaseMissingError,
    DatabaseNewerError,
    DatabaseUnreachableError,
    DatabaseUnusableError,
    StoreError,
)
from safetycheck.store.schema import HEAD_REVISION, KNOWN_REVISIONS

__all__ = [
    "DB_ENV",
    "Database",
    "DatabaseMissingError",
    "DatabaseNewerError",
    "DatabaseUnreachableError",
    "DatabaseUnusableError",
    "StoreError",
    "database_url",
    "open_database",
]

DB_ENV = "SAFETYCHECK_DB"
APP_NAME = "safetycheck"
BUSY_TIMEOUT_MS = 5000


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "safetycheck.sqlite3"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: --db, else $SAFETYCHECK_DB, else the SQLite file in the data folder."""
    if explicit:
        return explicit
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return from_env
    return f"sqlite:///{default_database_path()}"


@dataclass
class Database:
    """An open, migrated database: the engine and a session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]  # writing units of work
    read_sessions: sessionmaker[Session]  # read-only units of work (one snapshot, no write lock)
    sqlite_path: Path | None
    backup_path: Path | None = None  # the copy taken before a migration, if one ran

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    url: str, *, now: Callable[[], datetime] | None = None, create: bool = True
) -> Database:
    """Open (creating or upgrading as needed) the database at `url`.

    With create=False a missing SQLite file raises DatabaseMissingError instead of being made,
    so a command that only reads never leaves a new file behind.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnreachableError(f"'{url}' is not a database URL") from None
    sqlite_path: Path | None = None
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseUnreachableError("use a SQLite file, not an in-memory database")
        sqlite_path = Path(parsed.database).expanduser()
        if not create and not sqlite_path.exists():
            raise DatabaseMissingError(f"there is no database at {sqlite_path} yet")
        _prepare_sqlite_file(sqlite_path)
        engine = _sqlite_engine(sqlite_path)
    else:
        try:
            engine = create_engine(parsed, pool_pre_ping=True)
        except (NoSuchModuleError, ImportError) as exc:
            raise DatabaseUnreachableError(
                f"no database driver for '{parsed.drivername}' ({exc})"
            ) from None
    database = Database(
        str(url),
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(_read_only(engine, sqlite_path is not None), expire_on_commit=False),
        sqlite_path,
    )
    try:
        current = _current_revision(engine)
        if current is not None and current not in KNOWN_REVISIONS:
            raise DatabaseNewerError(
                f"the database was written by a newer safetycheck (schema '{current}'); "
                "update safetycheck to open it"
            )
        if current != HEAD_REVISION:
            if current is not None and sqlite_path is not None:
                database.backup_path = backup_sqlite(sqlite_path, current, now)
            _upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnreachableError(f"cannot open the database: {_first_line(exc)}") from None
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseUnusableError(f"cannot use the database: {_first_line(exc)}") from None
    except StoreError:
        engine.dispose()
        raise
    return database


READ_ONLY = "safetycheck_read_only"


def _read_only(engine: Engine, sqlite: bool) -> Engine:
    """The same engine and pool, for transactions that only read.

    SQLite: a deferred BEGIN (see `_sqlite_engine`); WAL gives the transaction one snapshot from
    its first read. PostgreSQL: REPEATABLE READ, READ ONLY, so all statements of a use case see
    the same moment (READ COMMITTED would let each statement see newer commits).
    """
    if sqlite:
        return engine.execution_options(**{READ_ONLY: True})
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]


def _prepare_sqlite_file(path: Path) -> None:
    """Check an existing file read-only; create a new one private to the user (0600 in 0700)."""
    if path.exists():
        if path.is_dir():
            raise DatabaseUnusableError(f"{path} is a folder, not a database file")
        _check_sqlite_readonly(path)
        return
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            folder.chmod(0o700)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(descriptor)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DatabaseUnreachableError(f"cannot create {path}: {exc.strerror}") from None


def _check_sqlite_readonly(path: Path) -> None:
    """Open read-only: a damaged file or a file that is not a database is refused untouched.

    Reading the schema catches a wrecked header or first pages. A full `quick_check` is not run
    at every start (it reads the whole file: over a second on a large practice database);
    damage found later is reported by the unit of work as DatabaseUnusableError.
    """
    if path.stat().st_size == 0:
        return  # a file we created and never filled: fine to initialise
    try:
        connection = sqlite3.connect(_readonly_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseUnreachableError(f"cannot open {path}: {exc}") from None
    try:
        connection.execute("PRAGMA schema_version").fetchone()
        names = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if names and "alembic_version" not in names:
            raise DatabaseUnusableError(f"{path} is a SQLite database, but not a safetycheck one")
        if "alembic_version" in names:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is not None and row[0] not in KNOWN_REVISIONS:
                raise DatabaseNewerError(
                    f"{path} was written by a newer safetycheck (schema '{row[0]}'); "
                    "update safetycheck to open it"
                )
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnusableError(f"{path} is not a usable database ({exc})") from None
    finally:
        connection.close()


def _readonly_uri(path: Path) -> str:
    """A read-only SQLite URI; `as_uri` percent-encodes '#', '?' and '%' in the path, which
    would otherwise make SQLite open a different file."""
    return path.resolve().as_uri() + "?mode=ro"


def _sqlite_engine(path: Path) -> Engine:
    # The pool hands a connection to one thread at a time; the desktop program's background
    # helper may be that thread, so sqlite3's same-thread check is switched off.
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk when it returns, even across a power cut, in WAL mode too.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers wait for each other
        # (busy_timeout) instead of failing half-way through a unit of work. A read-only unit
        # of work begins deferred: it takes no write lock and never blocks a writer.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        connection.rollback()
    return None if row is None else str(row[0])


def _upgrade(engine: Engine) -> None:
    from safetycheck.store.migrate import upgrade_to_head

    upgrade_to_head(engine)


def backup_sqlite(path: Path, revision: str, now: Callable[[], datetime] | None = None) -> Path:
    """Copy the database (consistently, WAL included) before migrating it; returns the copy."""
    stamp = (now or (lambda: datetime.now(UTC)))().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    temporary = target.with_name(target.name + ".tmp")
    source = sqlite3.connect(_readonly_uri(path), uri=True)
    try:
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    temporary.chmod(stat.S_IRUSR | stat.S_IWUSR)
    temporary.replace(target)
    return target
