"""Where the database is: the URL to use and the SQLite file it names, without loading SQLAlchemy.

A command that writes a file but needs no database (the blank checklist, a plan from an
assessment file) must still never replace the database: it asks here which file that is, and
stays fast. `open_database` finds its SQLite file with the same function, so the file an output
is kept off is the file the program opens.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from urllib.parse import unquote

from safetycheck.store.errors import DatabaseUnreachableError

DB_ENV = "SAFETYCHECK_DB"
APP_NAME = "safetycheck"

# SQLAlchemy's own URL pattern (sqlalchemy.engine.url._parse_url, 2.x), so that a URL is read
# here exactly as make_url reads it; tests/unit/test_location.py compares the two.
_URL = re.compile(
    r"""
        (?P<name>[\w\+]+)://
        (?:
            (?P<username>[^:/]*)
            (?::(?P<password>[^@]*))?
        @)?
        (?:
            (?:
                \[(?P<ipv6host>[^/\?]+)\] |
                (?P<ipv4host>[^/:\?]+)
            )?
            (?::(?P<port>[^/\?]*))?
        )?
        (?:/(?P<database>[^\?]*))?
        (?:\?(?P<query>.*))?
        """,
    re.X,
)


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
    return sqlite_url(default_database_path())


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file, read back as that very file: a URL's database part has '%xx'
    escapes and ends at '?', so those two are escaped in the path."""
    return "sqlite:///" + str(path).replace("%", "%25").replace("?", "%3F")


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL opens, however the URL spells it (`sqlite+pysqlite:`, a
    percent-encoded path…). None for a server URL."""
    match = _URL.match(url)
    if match is None:
        raise DatabaseUnreachableError(f"'{url}' is not a database URL")
    if match["name"].split("+")[0] != "sqlite":
        return None
    database = unquote(match["database"]) if match["database"] is not None else None
    if not database or database == ":memory:":
        raise DatabaseUnreachableError("use a SQLite file, not an in-memory database")
    # Resolved: SQLite keeps the -wal and -shm beside the real file, not beside a link to it.
    path = Path(database)
    with contextlib.suppress(RuntimeError):  # '~name' for no such user: SQLite opens it as written
        path = path.expanduser()
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link that loops: named as given, refused when opened
        return path.absolute()


def database_files(path: Path) -> tuple[Path, ...]:
    """A SQLite database's files: the file, its write-ahead log and its shared-memory index."""
    return (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
