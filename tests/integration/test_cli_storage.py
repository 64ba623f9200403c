"""The storage commands: demo, list, score, export, import, and their errors (in this process,
through `safetycheck.cli.main`; tests/integration/test_cli.py starts the real entry point)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from support import EXAMPLES, assert_bad_input, cli, disk_full


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


def test_demo_list_score_export_import(db: str, tmp_path: Path) -> None:
    demo = cli("demo", db=db)
    assert demo.returncode == 0, demo.stderr
    newest = demo.stdout.strip()
    assert len(newest) == 32
    assert "\n" not in newest

    listed = json.loads(cli("list", "--json", db=db).stdout)
    assert len(listed) == 2
    assert listed[0]["id"] == newest
    assert {row["status"] for row in listed} == {"completed"}
    # Both demo visits are finished and settled: moderate (a Timed Up and Go over 15 s), and
    # the fixes made between them lower the score.
    assert [row["level"] for row in listed] == ["moderate", "moderate"]
    assert listed[0]["score"] < listed[1]["score"]
    text = cli("list", db=db).stdout
    assert "José Álvarez (demo)" in text
    assert newest[:12] in text

    by_id = json.loads(cli("score", newest[:8], "--json", db=db).stdout)
    assert by_id["level"] == listed[0]["level"]
    assert by_id["score"] == listed[0]["score"]
    assert by_id["complete"] is True
    assert (by_id["checklist_version"], by_id["model_version"]) == (
        "2.2",  # the demo is recorded with the current checklist
        "2.0",
    )  # as the demo was recorded

    exported = tmp_path / "visit.json"
    result = cli("export", newest, "-o", exported, db=db)
    assert result.returncode == 0, result.stderr
    by_file = json.loads(cli("score", exported, "--json").stdout)
    assert by_file == by_id

    imported = cli("import", exported, db=db)
    assert imported.returncode == 0, imported.stderr
    copy = imported.stdout.strip()
    assert len(copy) == 32
    assert copy != newest
    assert len(json.loads(cli("list", "--json", db=db).stdout)) == 3
    again = tmp_path / "again.json"
    cli("export", copy, "-o", again, db=db)
    first, second = json.loads(exported.read_text()), json.loads(again.read_text())
    assert first["answers"] != []
    assert len(first["answers"]) == len(second["answers"])
    assert [a["value"] for a in first["answers"]] == [a["value"] for a in second["answers"]]


def test_no_database_lists_nothing(db: str) -> None:
    result = cli("list", db=db)
    assert result.returncode == 0
    assert "No assessments yet" in result.stdout
    assert json.loads(cli("list", "--json", db=db).stdout) == []


def test_reading_commands_create_no_database(tmp_path: Path, db: str) -> None:
    assert_bad_input(cli("score", "abcdef12", db=db), "no database at")
    assert_bad_input(cli("export", "abcdef12", "-o", tmp_path / "x.json", db=db), "no database")
    assert cli("list", db=db).returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_unknown_id(db: str) -> None:
    cli("demo", db=db)
    assert_bad_input(cli("score", "abcdef12", db=db), "no assessment with id 'abcdef12'")
    assert_bad_input(cli("export", "abcdef12", "-o", "/tmp/x.json", db=db), "no assessment")


def test_unreachable_database() -> None:
    assert_bad_input(
        cli("list", db="postgresql+psycopg://nobody@127.0.0.1:1/none"),
        "cannot open the database",
    )


def test_database_newer_than_the_program(tmp_path: Path, db: str) -> None:
    cli("demo", db=db)
    path = tmp_path / "db.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    connection.commit()
    connection.close()
    before = digest(path)
    assert_bad_input(cli("list", db=db), "newer safetycheck")
    assert digest(path) == before


def test_corrupt_database_file_is_never_modified(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    before = digest(path)
    assert_bad_input(cli("list", db=f"sqlite:///{path}"), "broken.sqlite3")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.sqlite3"]


def test_bad_import_changes_nothing(tmp_path: Path, db: str) -> None:
    cli("demo", db=db)
    path = tmp_path / "db.sqlite3"
    before = digest(path)
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document["answers"][5]["item"] = "steadi.si.13"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    assert_bad_input(cli("import", bad, db=db), "answers[5].item", "unknown item id")
    bad.write_text("{ half a file")
    assert_bad_input(cli("import", bad, db=db), "not valid JSON")
    assert_bad_input(cli("import", tmp_path / "missing.json", db=db), "no such file")
    assert digest(path) == before


def test_export_to_a_bad_place(tmp_path: Path, db: str) -> None:
    newest = cli("demo", db=db).stdout.strip()
    assert_bad_input(
        cli("export", newest, "-o", tmp_path / "no" / "x.json", db=db), "does not exist"
    )
    assert_bad_input(cli("export", newest, "-o", tmp_path, db=db), "is a folder")
    # A folder nobody can create files in, even root: sysfs.
    assert_bad_input(
        cli("export", newest, "-o", "/sys/safetycheck-test.json", db=db), "cannot write"
    )


def test_a_failed_export_leaves_the_old_file_whole(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = cli("demo", db=db).stdout.strip()
    target = tmp_path / "keep.json"
    target.write_text("old content")
    with monkeypatch.context() as patch:  # the disk fills up while the export is written
        patch.setattr(os, "fsync", disk_full)
        failed = cli("export", newest, "-o", target, db=db)
    assert_bad_input(failed, "cannot write", str(target), "No space left")
    assert target.read_text() == "old content"
    assert not list(tmp_path.glob(".*.part"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3", "keep.json"]
