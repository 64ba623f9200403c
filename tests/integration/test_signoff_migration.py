"""Migration 0005 (the plan's sign-off: the assessor's credentials, organisation and contact and
the next review; the home exercises prescribed): a database at schema 0004 opens, is copied
first (SQLite), and keeps every visit exactly; then the new parts can be recorded and read back.
On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from sqlalchemy import create_engine, inspect, text
from support import EXAMPLES, TickingClock, downgrade_to, without_signoff

from safetycheck.content import Content
from safetycheck.domain.assessment import Prescription
from safetycheck.domain.falls import Fall, FallPlace, Seen
from safetycheck.domain.signoff import SignOff
from safetycheck.services import assessments as visits
from safetycheck.services import falls as falls_service
from safetycheck.services import signoff
from safetycheck.services.demo import create_demo
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck.store.database import sqlite_file
from safetycheck.store.schema import HEAD_REVISION

NEW_COLUMNS = {"assessor_credentials", "assessor_organisation", "assessor_contact", "next_review"}
NEW_TABLE = "prescribed_exercises"


def schema(url: str) -> tuple[set[str], set[str], str]:
    """The tables, the assessments columns and the revision of the database at `url`."""
    engine = create_engine(url)
    try:
        found = inspect(engine)
        tables = set(found.get_table_names())
        columns = {column["name"] for column in found.get_columns("assessments")}
        with engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return tables, columns, str(revision.scalar_one())
    finally:
        engine.dispose()


def every_visit(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every stored visit as its interchange document (no export time), by id."""
    found = visits.list_assessments(ws, limit=100)
    documents = {}
    for info in found.items:
        document = export_document(ws, info.id)
        del document["exported_at"]
        documents[info.id] = document
    return documents


def a_0004_database(url: str, content: Content) -> tuple[str, dict[str, dict[str, Any]]]:
    """Visits of every kind (the demo's two, an imported one with falls, ticked and edited
    actions), made at today's schema and taken back to 0004; the current demo visit's id and
    every visit as it was."""
    ws = open_workspace(url, content, clock=TickingClock())
    try:
        current = create_demo(ws)
        import_document(ws, json.loads((EXAMPLES / "recent-faller.json").read_text()))
        action = visits.list_actions(ws, current)[0]
        visits.mark_action(ws, action.id, "done", done_on=date(2026, 11, 2), note="fitted")
        visits.edit_action(
            ws, action.id, text="Fit it.", priority=None, who="ot", expected_version=2
        )
        fall = Fall("", "yes", FallPlace.ELSEWHERE, None, "", "At the shops.", Seen.HOSPITAL)
        falls_service.record_falls(ws, current, 1, [fall])
        # What 0004 holds: the demo's sign-off and exercises go with the downgrade.
        before = {key: without_signoff(value) for key, value in every_visit(ws).items()}
    finally:
        ws.close()
    downgrade_to(url, "0004")
    return current, before


def test_a_0004_database_migrates_with_every_visit_intact(db_url: str, content: Content) -> None:
    current, before = a_0004_database(db_url, content)
    tables, columns, revision = schema(db_url)
    assert revision == "0004"
    assert NEW_TABLE not in tables
    assert not columns & NEW_COLUMNS

    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        path = sqlite_file(db_url)
        if path is not None:  # SQLite: copied, exactly as it was, before it was migrated
            assert ws.database is not None
            backup = ws.database.backup_path
            assert backup is not None
            assert ".before-0004-" in backup.name
            copy = sqlite3.connect(backup)
            try:
                assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
                    "0004",
                )
                copied = {row[1] for row in copy.execute("PRAGMA table_info(assessments)")}
                assert not copied & NEW_COLUMNS
                assert copy.execute("SELECT count(*) FROM assessments").fetchone() == (3,)
            finally:
                copy.close()
        tables, columns, revision = schema(db_url)
        assert (revision, NEW_TABLE in tables, columns >= NEW_COLUMNS) == (
            HEAD_REVISION,
            True,
            True,
        )
        after = every_visit(ws)
        assert after == before
        assert len(before) == 3
        # Nothing given, nothing set, nothing prescribed: never a guess.
        for visit_id in before:
            assessment = visits.load_assessment(ws, visit_id)
            assessor = assessment.assessor
            assert (assessor.credentials, assessor.organisation, assessor.contact) == ("", "", "")
            assert (assessment.next_review, assessment.exercises) == (None, ())
        assert ws.database is not None
        with ws.database.engine.connect() as connection:
            assert connection.execute(text(f"SELECT count(*) FROM {NEW_TABLE}")).scalar() == 0

        # The new parts work on the old data.
        info = visits.get_info(ws, current)
        stored = signoff.set_signoff(
            ws, current, "HCPC OT12345", "Northside Community OT", "020 7946 0000", info.date
        )
        assert stored == SignOff(
            "HCPC OT12345", "Northside Community OT", "020 7946 0000", info.date
        )
        prescribed = (Prescription("toe_lifts", "10, twice a day"), Prescription("calf_stretch"))
        assert signoff.set_exercises(ws, current, prescribed) == prescribed
        assessment = visits.load_assessment(ws, current)
        assert assessment.assessor.credentials == "HCPC OT12345"
        assert (assessment.next_review, assessment.exercises) == (info.date, prescribed)
        exported = export_document(ws, current)
        assert exported["assessment"]["assessor"]["organisation"] == "Northside Community OT"
        assert exported["exercises"] == [
            {"exercise": "toe_lifts", "dose": "10, twice a day"},
            {"exercise": "calf_stretch", "dose": ""},
        ]
        # Every other visit is as it was.
        assert {k: v for k, v in every_visit(ws).items() if k != current} == {
            k: v for k, v in before.items() if k != current
        }
    finally:
        ws.close()


def test_the_migration_goes_back_and_forth(db_url: str, content: Content) -> None:
    """Downgrading 0005 takes its columns and table away and keeps the rest (so an older
    program's backup story holds); upgrading again brings them back empty."""
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        current = create_demo(ws)
        info = visits.get_info(ws, current)
        signoff.set_signoff(ws, current, "Reg 1", "", "", info.date)
        signoff.set_exercises(ws, current, [Prescription("toe_lifts")])
        kept = every_visit(ws)
    finally:
        ws.close()
    downgrade_to(db_url, "0004")
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        again = every_visit(ws)
        lost = again[current]
        assert lost["assessment"]["assessor"]["credentials"] == ""
        assert "exercises" not in lost
        # Apart from what 0005 held, nothing changed.
        for document in (kept[current], lost):
            document["assessment"]["assessor"]["credentials"] = ""
            document["assessment"]["next_review"] = None
            document.pop("exercises", None)
        assert again == kept
    finally:
        ws.close()
