"""Migration 0004 (falls since the last visit; actions' own wording, priority and who): a
database at schema 0003 opens, is copied first (SQLite), and keeps every visit exactly; then
falls and edits can be recorded. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import create_engine, inspect
from support import EXAMPLES, TickingClock, downgrade_to, without_signoff

from safetycheck.content import Content
from safetycheck.domain.falls import Fall, FallPlace, Seen
from safetycheck.services import assessments as visits
from safetycheck.services import falls as falls_service
from safetycheck.services.demo import create_demo
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck.store.database import sqlite_file
from safetycheck.store.schema import HEAD_REVISION

NEW_TABLES = {"falls", "falls_reports"}
NEW_COLUMNS = {"text_override", "priority_override", "who_override"}


def schema(url: str) -> tuple[set[str], set[str], str]:
    """The tables, the action_items columns and the revision of the database at `url`."""
    engine = create_engine(url)
    try:
        found = inspect(engine)
        tables = set(found.get_table_names())
        columns = {column["name"] for column in found.get_columns("action_items")}
        with engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return tables, columns, str(revision.scalar_one())
    finally:
        engine.dispose()


def every_visit(ws: Workspace) -> list[dict[str, Any]]:
    found = visits.list_assessments(ws, limit=100)
    documents = []
    for info in found.items:
        document = export_document(ws, info.id)
        del document["exported_at"]
        documents.append(document)
    return documents


def test_a_0003_database_migrates_with_every_visit_intact(db_url: str, content: Content) -> None:
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        current = create_demo(ws)
        import_document(ws, json.loads((EXAMPLES / "recent-faller.json").read_text()))
        action = visits.list_actions(ws, current)[0]
        visits.mark_action(ws, action.id, "done", done_on=date(2026, 11, 2), note="fitted")
        # A 0003 database cannot hold the demo's sign-off and exercises (0005).
        before = [without_signoff(document) for document in every_visit(ws)]
    finally:
        ws.close()
    downgrade_to(db_url, "0003")
    tables, columns, revision = schema(db_url)
    assert revision == "0003"
    assert not tables & NEW_TABLES
    assert not columns & NEW_COLUMNS

    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        path = sqlite_file(db_url)
        if path is not None:  # SQLite: copied before it was migrated
            assert ws.database is not None
            assert ws.database.backup_path is not None
            assert ".before-0003-" in ws.database.backup_path.name
        tables, columns, revision = schema(db_url)
        # (to the newest revision: 0004, and those after it)
        assert (revision, tables >= NEW_TABLES, columns >= NEW_COLUMNS) == (
            HEAD_REVISION,
            True,
            True,
        )
        assert every_visit(ws) == before
        assert len(before) == 3
        assert all(document["falls_since_last_visit"] is None for document in before)
        assert all(a.text is None and a.who is None for a in visits.list_actions(ws, current))
        # The new parts work on the old data.
        fall = Fall("", "yes", FallPlace.ELSEWHERE, None, "", "At the shops.", Seen.HOSPITAL)
        recorded = falls_service.record_falls(ws, current, 1, [fall])
        assert visits.load_assessment(ws, current).falls == recorded
        edited = visits.edit_action(
            ws, action.id, text="Fit the AFO.", priority=None, who=None, expected_version=2
        )
        assert edited.text == "Fit the AFO."
    finally:
        ws.close()
