"""Migration 0007 (the lists' indexes and the name search's index): a database at schema 0006
opens, is copied first (SQLite), keeps every visit exactly, and lists and searches as before,
now through the new indexes (the full-text table filled from the names already there). It goes
back and forth. On PostgreSQL, a role that may not create pg_trgm still gets the rest."""

from __future__ import annotations

import logging
import os
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from support import TickingClock, downgrade_to, postgres_url_or_fail

from safetycheck.content import Content
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.people import create_person, list_people
from safetycheck.services.transfer import export_document
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck.store.database import sqlite_file
from safetycheck.store.repositories import fold
from safetycheck.store.schema import HEAD_REVISION

NAMES = ["José Álvarez", "Zoë Adams", "Bob 100% Smith", 'Mary "May" O\'Neil', "Straße 0042"]
NEW = {"ix_people_name_order", "ix_assessments_newest", "ix_assessments_person_newest"}
OLD = {"ix_people_name_folded", "ix_assessments_person_date"}


def indexes(url: str) -> tuple[set[str], set[str], str]:
    """The people and assessments indexes, the full-text objects (SQLite) and the revision."""
    engine = create_engine(url)
    try:
        found = inspect(engine)
        names = {
            index["name"]
            for table in ("people", "assessments")
            for index in found.get_indexes(table)
            if index["name"]
        }
        with engine.connect() as connection:
            search: set[str] = set()
            if engine.dialect.name == "sqlite":
                search = {
                    row[0]
                    for row in connection.execute(
                        text("SELECT name FROM sqlite_master WHERE name LIKE 'people_fts%'")
                    )
                }
            revision = connection.execute(text("SELECT version_num FROM alembic_version"))
            return names, search, str(revision.scalar_one())
    finally:
        engine.dispose()


def every_visit(ws: Workspace) -> dict[str, dict[str, Any]]:
    documents = {}
    for info in visits.list_assessments(ws, limit=100).items:
        document = export_document(ws, info.id)
        del document["exported_at"]
        documents[info.id] = document
    return documents


def searched(ws: Workspace) -> dict[str, list[str]]:
    return {
        search: [p.name for p in list_people(ws, search, limit=100).items]
        for search in ("", "alv", "ss", "0042", "100%", '"may"', "o'n", "zz")
    }


def a_0006_database(url: str, content: Content) -> tuple[dict[str, Any], dict[str, Any]]:
    """The demo's visits and people with hostile names, taken back to 0006; every visit and
    what each search found, as they were."""
    ws = open_workspace(url, content, clock=TickingClock())
    try:
        create_demo(ws)
        for name in NAMES:
            create_person(ws, name)
        before = every_visit(ws), searched(ws)
    finally:
        ws.close()
    downgrade_to(url, "0006")
    return before


def test_a_0006_database_migrates_and_searches_the_same(db_url: str, content: Content) -> None:
    visits_before, found_before = a_0006_database(db_url, content)
    names, search, revision = indexes(db_url)
    assert (revision, names & NEW, search) == ("0006", set(), set())
    assert names >= OLD

    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        if sqlite_file(db_url) is not None:
            assert ws.database is not None
            assert ws.database.backup_path is not None
            assert ".before-0006-" in ws.database.backup_path.name
        names, search, revision = indexes(db_url)
        assert revision == HEAD_REVISION
        assert names >= NEW
        assert not names & OLD
        if sqlite_file(db_url) is not None:
            assert {"people_fts", "people_fts_insert", "people_fts_update"} <= search
        else:
            assert "ix_people_name_trigram" in names
        assert every_visit(ws) == visits_before
        assert searched(ws) == found_before
        for name in found_before[""]:  # each name already there was put in the index
            assert [p.name for p in list_people(ws, name, limit=100).items] == [
                n for n in found_before[""] if fold(name) in fold(n)
            ]
    finally:
        ws.close()


def test_the_migration_goes_back_and_forth(db_url: str, content: Content) -> None:
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        for name in NAMES:
            create_person(ws, name)
        found = searched(ws)
    finally:
        ws.close()
    downgrade_to(db_url, "0006")
    names, search, _ = indexes(db_url)
    assert names >= OLD
    assert not names & (NEW | {"ix_people_name_trigram"})
    assert not search
    ws = open_workspace(db_url, content, clock=TickingClock())  # up again
    try:
        assert searched(ws) == found
        create_person(ws, "Ada 0042")  # the triggers are back
        assert [p.name for p in list_people(ws, "0042").items] == ["Ada 0042", "Straße 0042"]
    finally:
        ws.close()


def folded_before(name: str) -> str:
    """What the store kept in `name_folded` before 0007: no casefold after the decomposition
    ("Acme™" was "acmeTM")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def test_names_folded_before_are_folded_again(db_url: str, content: Content) -> None:
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        for name in [*NAMES, "Acme™ Tester", "℃ Heating"]:
            create_person(ws, name)
    finally:
        ws.close()
    downgrade_to(db_url, "0006")
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:  # as a database made before 0007 holds them
            names = [row[0] for row in connection.execute(text("SELECT name FROM people"))]
            for name in names:
                connection.execute(
                    text("UPDATE people SET name_folded = :folded WHERE name = :name"),
                    {"folded": folded_before(name), "name": name},
                )
            stored = set(connection.execute(text("SELECT name_folded FROM people")).scalars())
        assert {"acmeTM tester", "°C heating"} <= stored
    finally:
        engine.dispose()

    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        engine = create_engine(db_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(text("SELECT name, name_folded FROM people")).all()
        finally:
            engine.dispose()
        assert dict(rows) == {name: fold(name) for name in names}
        for search, wanted in (
            ("acmetm", "Acme™ Tester"),
            ("ACME™", "Acme™ Tester"),
            ("tm", "Acme™ Tester"),
            ("°c heat", "℃ Heating"),
        ):
            assert [p.name for p in list_people(ws, search).items] == [wanted], search
    finally:
        ws.close()


# ---- PostgreSQL: a role that may not create the extension -------------------------------------


@pytest.fixture
def limited_role() -> Iterator[str]:
    """A database the migrations run in as a role that may create tables in its schema but not
    extensions (no CREATE on the database); its URL."""
    base = make_url(postgres_url_or_fail())
    # Unique per run (and worker): two runs on one server never drop each other's.
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    role, database = f"safetycheck_limited_{suffix}", f"safetycheck_limited_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))

    drop()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    owner = create_engine(base.set(database=database), isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"'))
    owner.dispose()
    try:
        yield base.set(username=role, database=database).render_as_string(hide_password=False)
    finally:
        drop()
        admin.dispose()


def test_without_pg_trgm_the_rest_is_made_and_search_works(
    limited_role: str, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        ws = open_workspace(limited_role, content, clock=TickingClock())
    try:
        assert any("pg_trgm" in record.getMessage() for record in caplog.records)
        names, _, revision = indexes(limited_role)
        assert revision == HEAD_REVISION
        assert names >= NEW
        assert "ix_people_name_trigram" not in names
        for name in NAMES:
            create_person(ws, name)
        assert [p.name for p in list_people(ws, "0042").items] == ["Straße 0042"]
        assert [p.name for p in list_people(ws, "ALV").items] == ["José Álvarez"]
    finally:
        ws.close()
