"""Opening databases: new ones at the newest schema, old ones backed up, bad ones left untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from support import postgres_url_or_fail, reset_postgres

from safetycheck.store import database as database_module
from safetycheck.store.database import (
    DatabaseNewerError,
    DatabaseUnreachableError,
    DatabaseUnusableError,
    backup_sqlite,
    database_url,
    open_database,
)
from safetycheck.store.migrate import script_revisions
from safetycheck.store.records import Base, schema_filter
from safetycheck.store.schema import HEAD_REVISION, KNOWN_REVISIONS


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_known_revisions_match_the_migration_scripts() -> None:
    assert list(KNOWN_REVISIONS) == script_revisions()
    assert script_revisions()[-1] == HEAD_REVISION


def test_new_sqlite_database_is_private_and_at_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "db.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert revision.scalar() == HEAD_REVISION
    finally:
        database.close()


@pytest.mark.parametrize(
    ("folder", "spelled"),
    [("p%41", "p%2541"), ("a?b", "a%3Fb"), ("x%3Fy", "x%253Fy"), ("plain", "plain")],
)
def test_the_file_opened_is_the_file_the_url_names(
    folder: str, spelled: str, tmp_path: Path
) -> None:
    """What keeps an output off the database (location.sqlite_file) and what SQLite opens are
    one file, however the URL escapes the path: the engine was once given the path as text,
    parsed again, so 'p%2541' opened 'pA' while 'p%41' was checked (and could be overwritten)."""
    from safetycheck.store.location import sqlite_file, sqlite_url

    url = f"sqlite:///{tmp_path}/{spelled}/db.sqlite3"
    named = sqlite_file(url)
    assert named == tmp_path / folder / "db.sqlite3"
    assert sqlite_file(sqlite_url(named)) == named  # and the path written back as a URL
    for address in (url, sqlite_url(named)):
        database = open_database(address)
        try:
            with database.engine.connect() as connection:
                rows = connection.exec_driver_sql("PRAGMA database_list").all()
            assert Path(rows[0][2]) == named.resolve()
        finally:
            database.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # no other file made


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_build_exactly_the_models(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        url = postgres_url_or_fail()
        reset_postgres(url)
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": schema_filter(backend)},
            )
            differences = compare_metadata(context, Base.metadata)
        # Expression indexes cannot be reflected on SQLite; Alembic warns and skips them there.
        assert differences == []
    finally:
        database.close()


def test_reopening_is_not_a_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    open_database(url).close()
    again = open_database(url)
    assert again.backup_path is None
    again.close()
    assert not list(tmp_path.glob("*.bak"))


def test_an_older_database_is_copied_before_it_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(f"sqlite:///{path}").close()
    before = digest(path)
    # Pretend this program knows a newer revision, and watch the order of events.
    events: list[str] = []
    monkeypatch.setattr(database_module, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "9999"))
    monkeypatch.setattr(database_module, "HEAD_REVISION", "9999")
    original_backup = database_module.backup_sqlite

    def recording_backup(*args, **kwargs):
        events.append("backup")
        return original_backup(*args, **kwargs)

    monkeypatch.setattr(database_module, "backup_sqlite", recording_backup)
    monkeypatch.setattr(database_module, "_upgrade", lambda _engine: events.append("upgrade"))
    database = open_database(f"sqlite:///{path}")
    database.close()
    assert events == ["backup", "upgrade"]
    assert database.backup_path is not None
    assert database.backup_path.exists()
    assert f".before-{HEAD_REVISION}-" in database.backup_path.name
    assert stat.S_IMODE(database.backup_path.stat().st_mode) == 0o600
    copy = sqlite3.connect(database.backup_path)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    copy.close()
    assert digest(path) == before  # the stub upgrade changed nothing


def test_backup_includes_what_is_still_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (x)")
    writer.execute("INSERT INTO t VALUES (42)")
    writer.commit()
    assert (tmp_path / "db.sqlite3-wal").stat().st_size > 0
    copy_path = backup_sqlite(path, "0001")
    writer.close()
    copy = sqlite3.connect(copy_path)
    assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]
    copy.close()


def test_a_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(f"sqlite:///{path}").close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseNewerError, match="newer safetycheck"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before
    # The read-only check may leave SQLite's empty side files; it never writes into them.
    wal = tmp_path / "db.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_damaged_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(f"sqlite:///{path}").close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\x00\xff" * ((4096 - 100) // 2)  # wreck the first page's b-tree
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DatabaseUnusableError):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before


def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list: milk, bread\n" * 100)
    before = digest(path)
    with pytest.raises(DatabaseUnusableError, match="not a usable database"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseUnusableError, match="not a safetycheck one"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnusableError, match="is a folder"):
        open_database(f"sqlite:///{tmp_path}")


def test_an_unreachable_server_is_reported() -> None:
    with pytest.raises(DatabaseUnreachableError, match="cannot open the database"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/nothing")


@pytest.mark.parametrize(
    "url", ["not a url at all", "postgresql+psycopg://host:x/db", "sqlite://:x/tmp/db"]
)
def test_a_nonsense_url_is_reported(url: str) -> None:
    with pytest.raises(DatabaseUnreachableError, match="not a database URL"):
        open_database(url)


def test_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETYCHECK_DB", "sqlite:////tmp/from-env.sqlite3")
    assert database_url("sqlite:////tmp/flag.sqlite3") == "sqlite:////tmp/flag.sqlite3"
    assert database_url(None) == "sqlite:////tmp/from-env.sqlite3"
    monkeypatch.delenv("SAFETYCHECK_DB")
    assert database_url(None).startswith("sqlite:///")
    assert "safetycheck" in database_url(None)


def test_damage_found_after_opening_is_one_plain_error(tmp_path: Path) -> None:
    from safetycheck.services.people import create_person, list_people
    from safetycheck.services.workspace import open_workspace

    path = tmp_path / "db.sqlite3"
    ws = open_workspace(f"sqlite:///{path}")
    create_person(ws, "Ada")
    assert ws.database is not None
    ws.database.engine.dispose()
    path.write_bytes(b"\x00" * path.stat().st_size)  # the disk goes bad under a running program
    with pytest.raises(DatabaseUnusableError, match=r"is damaged .*nothing was written"):
        list_people(ws)
    ws.close()
