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
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from safetycheck.store.errors import (
    DatabaseMissingError,
    DatabaseNewerError,
    DatabaseUnreachableError,
    DatabaseUnusableError,
    StoreError,
)
from safetycheck.store.location import DB_ENV, database_files, database_url, sqlite_file
from safetycheck.store.schema import HEAD_REVISION, KNOWN_REVISIONS

__all__ = [
    "DB_ENV",
    "Database",
    "DatabaseMissingError",
    "DatabaseNewerError",
    "DatabaseUnreachableError",
    "DatabaseUnusableError",
    "StoreError",
    "database_files",
    "database_url",
    "open_database",
    "sqlite_file",
]

# How long a writer waits for another (a large import holds the lock for its one transaction):
# long enough that a person answering meanwhile never sees "database is locked".
BUSY_TIMEOUT_MS = 30_000


@dataclass
class Database:
    """An open, migrated database: the engine and a session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]  # writing units of work
    read_sessions: sessionmaker[Session]  # read-only units of work (one snapshot, no write lock)
    sqlite_path: Path | None
    backup_path: Path | None = None  # the copy taken before a migration, if one ran
    read_only: bool = False  # opened only to read: units of work that write are refused
    # Set when a unit of work met an error that may be damage: the next write checks first.
    suspect: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    def check_before_writing(self) -> None:
        """After an error that may be damage, run the full check once before the next write;
        a damaged SQLite file is never written to."""
        if not self.suspect:
            return
        if self.sqlite_path is not None:
            check_file(self.sqlite_path)
        self.suspect = False

    def close(self) -> None:
        self.engine.dispose()


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseUnreachableError(f"'{url}' is not a database URL") from None


def open_database(
    url: str,
    *,
    now: Callable[[], datetime] | None = None,
    create: bool = True,
    read_only: bool = False,
) -> Database:
    """Open (creating or upgrading as needed) the database at `url`.

    With create=False a missing SQLite file raises DatabaseMissingError instead of being made,
    so a command that only reads never leaves a new file behind. With read_only=True an existing
    SQLite file is opened read-only (it works in a read-only folder or on a read-only disk, and
    leaves no -wal or -shm file behind); it is never created, upgraded or written.
    """
    parsed = _parse(url)
    sqlite_path = sqlite_file(url)  # the file the command line keeps outputs off
    if sqlite_path is not None:
        if (read_only or not create) and not sqlite_path.exists():
            raise DatabaseMissingError(f"there is no database at {sqlite_path} yet")
        _prepare_sqlite_file(sqlite_path, read_only)
        engine = _sqlite_engine(sqlite_path, read_only)
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
        read_only=read_only,
    )
    try:
        current = _current_revision(engine)
        if current is not None and current not in KNOWN_REVISIONS:
            raise DatabaseNewerError(
                f"the database was written by a newer safetycheck (schema '{current}'); "
                "update safetycheck to open it"
            )
        if current != HEAD_REVISION and read_only:
            raise DatabaseUnusableError(
                "the database needs an upgrade first, which a command that only reads does not "
                "do; open the program or run a command that writes"
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


def _prepare_sqlite_file(path: Path, read_only: bool = False) -> None:
    """Check an existing file read-only; create a new one private to the user (0600 in 0700).

    Before a file is opened for writing, its folder and the file must be writable: SQLite would
    otherwise fail half-way, or leave a -shm file as read-only as the database beside it.
    """
    if path.exists():
        if path.is_dir():
            raise DatabaseUnusableError(f"{path} is a folder, not a database file")
        if read_only and path.stat().st_size == 0:
            raise DatabaseUnusableError(f"{path} is an empty file, not a safetycheck database")
        _check_sqlite_readonly(path)
        if not read_only:
            _check_writable(path)
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


def _check_writable(path: Path) -> None:
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseUnusableError(
            f"the folder {folder} is read-only, and this command writes to the database in it "
            "(commands that only read, such as list, score, export and report, still work)"
        )
    if not os.access(path, os.W_OK):
        raise DatabaseUnusableError(
            f"{path} is read-only, and this command writes to it (commands that only read, "
            "such as list, score, export and report, still work)"
        )


# Files up to this size get SQLite's full `quick_check` when they are opened (about 150 MB/s
# here: 0.1 s); larger ones get the header, size and root-page checks at open, and the full
# check before the first write that follows an error (`Database.check_before_writing`).
QUICK_CHECK_LIMIT = 16 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"


class DamagedDatabaseError(DatabaseUnusableError):
    """The file is a SQLite database, but damaged; nothing is written to it."""


def damage_message(path: Path, problem: str) -> str:
    """What is wrong, that nothing was written, and the way back."""
    backups = sorted(path.parent.glob(f"{path.name}.before-*.bak"), key=lambda p: p.name)
    way_back = (
        f"the last copy taken before an upgrade is {backups[-1]}"
        if backups
        else "restore it from your own backup"
    )
    return (
        f"the database {path} is damaged ({problem}); nothing was written to it. "
        f"To recover: {way_back}, or save what can still be read with 'safetycheck export'"
    )


def _check_header(path: Path, size: int) -> None:
    """The cheap part: the header is SQLite's and the file is as long as the header says."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise DatabaseUnusableError(f"{path} is not a usable database (not a SQLite file)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedDatabaseError(damage_message(path, "its header is wrong"))
    if size % page_size:
        raise DamagedDatabaseError(damage_message(path, "the file is cut short"))
    pages = int.from_bytes(header[28:32], "big")
    header_count_valid = header[92:96] == header[24:28]
    if header_count_valid and pages * page_size > size:
        raise DamagedDatabaseError(damage_message(path, "the file is cut short"))


def _check_sqlite_readonly(path: Path) -> None:
    """Open read-only: a damaged file or a file that is not a database is refused untouched.

    Checked: the header and the file's length; that the schema can be read and is one this
    program knows; and SQLite's `quick_check` for files up to QUICK_CHECK_LIMIT, the first page
    of every table for larger ones. Opened so that no -wal or -shm file is created beside a
    file that is refused.
    """
    size = path.stat().st_size
    if size == 0:
        return  # a file we created and never filled: fine to initialise
    _check_header(path, size)
    try:
        connection = sqlite3.connect(_check_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseUnreachableError(f"cannot open {path}: {exc}") from None
    try:
        connection.execute("PRAGMA schema_version").fetchone()
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        if tables and "alembic_version" not in tables:
            raise DatabaseUnusableError(f"{path} is a SQLite database, but not a safetycheck one")
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None and len(tables) > 1:
                raise DatabaseUnusableError(
                    f"{path} has lost the record of its schema version (the alembic_version "
                    "table is empty), so it cannot be opened safely; restore it from a backup"
                )
            if row is not None and row[0] not in KNOWN_REVISIONS:
                raise DatabaseNewerError(
                    f"{path} was written by a newer safetycheck (schema '{row[0]}'); "
                    "update safetycheck to open it"
                )
        _check_pages(connection, path, size, tables)
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(damage_message(path, str(exc))) from None
    finally:
        connection.close()


def _check_pages(connection: sqlite3.Connection, path: Path, size: int, tables: list[str]) -> None:
    if size <= QUICK_CHECK_LIMIT:
        problems = quick_check(connection)
        if problems:
            raise DamagedDatabaseError(damage_message(path, problems[0]))
        return
    for table in tables:
        quoted = table.replace('"', '""')
        connection.execute(f'SELECT 1 FROM "{quoted}" LIMIT 1').fetchall()


def quick_check(connection: sqlite3.Connection) -> list[str]:
    """SQLite's `quick_check`: the problems it finds (none for a sound file)."""
    rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def check_file(path: Path) -> None:
    """The full check of an existing database file (however large); DamagedDatabaseError if
    it fails."""
    try:
        connection = sqlite3.connect(_readonly_uri(path), uri=True)
        try:
            problems = quick_check(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(damage_message(path, str(exc))) from None
    if problems:
        raise DamagedDatabaseError(damage_message(path, problems[0]))


def _readonly_uri(path: Path) -> str:
    """A read-only SQLite URI; `as_uri` percent-encodes '#', '?' and '%' in the path, which
    would otherwise make SQLite open a different file.

    `immutable` (no locks, no -wal or -shm made) only where nobody can write: the file or its
    folder is read-only and no -wal exists, so everything is in the main file. Elsewhere another
    program may be writing, and SQLite's locks must keep the reads whole.

    A command that only reads a database it could write opens it normally instead, with
    `query_only` on (see _sqlite_engine): then SQLite locks as usual and the last connection
    removes the -wal and -shm files when it closes, which a read-only connection cannot.
    """
    wal = path.with_name(path.name + "-wal")
    mode = "?mode=ro" if _writable(path) or wal.exists() else "?mode=ro&immutable=1"
    return path.resolve().as_uri() + mode


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _check_uri(path: Path) -> str:
    """For the brief check before opening: `immutable` when no -wal exists, so a file that is
    refused gets no new -wal or -shm beside it. (A writer that starts during the check could
    make it see a torn page and refuse wrongly; nothing is written either way.)"""
    wal = path.with_name(path.name + "-wal")
    mode = "?mode=ro" if wal.exists() else "?mode=ro&immutable=1"
    return path.resolve().as_uri() + mode


def _sqlite_engine(path: Path, read_only: bool = False) -> Engine:
    # The pool hands a connection to one thread at a time; the desktop program's background
    # helper may be that thread, so sqlite3's same-thread check is switched off.
    if read_only and not _writable(path):
        # A read-only folder, file or disk: SQLite's read-only mode (see _readonly_uri).
        uri = _readonly_uri(path)
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            ),
        )
    else:
        # The path as a URL object, never as text: text is parsed again, and a '%xx' or '?'
        # in a folder's name would make SQLite open another file than the one checked.
        engine = create_engine(
            URL.create("sqlite", database=str(path)),
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = 1")  # opened to read: SQLite refuses writes
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk when it returns, even across a power cut, in WAL too.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock at the start, so two writers wait for each other
        # (busy_timeout) instead of failing half-way through a unit of work. A read-only unit
        # of work begins deferred: it takes no write lock and never blocks a writer.
        # query_only: a unit of work that only reads cannot write by mistake either.
        if read_only or connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("PRAGMA query_only = 1")
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("PRAGMA query_only = 0")
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
