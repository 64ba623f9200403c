"""`safetycheck delete-visit REF` and `delete-person ID`: each says what went; a bad reference is
one `error:` line and exit code 2, and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from support import assert_bad_input, cli


def listed(db: str) -> list[dict[str, object]]:
    result = cli("list", "--json", db=db)
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_a_visit_and_then_its_person_are_deleted(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    newest = cli("demo", db=db).stdout.strip()
    person = str(listed(db)[0]["person_id"])
    deleted = cli("delete-visit", newest[:8], db=db)
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.startswith("Deleted the visit of ")
    assert deleted.stdout.endswith(" 2026.\n")  # the demo has no photos: none are named
    assert len(listed(db)) == 1
    assert newest not in [row["id"] for row in listed(db)]
    assert_bad_input(cli("delete-visit", newest, db=db), f"no assessment with id '{newest}'")
    assert_bad_input(cli("delete-person", "nobody", db=db), "no person with id 'nobody'")
    assert len(listed(db)) == 1
    gone = cli("delete-person", person, db=db)
    assert gone.returncode == 0, gone.stderr
    assert gone.stdout == "Deleted José Álvarez (demo) with 1 visit and no photos.\n"
    assert listed(db) == []


def test_there_is_nothing_to_delete_without_a_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    assert_bad_input(cli("delete-visit", "abcdef12", db=db), "no database")
    assert_bad_input(cli("delete-person", "abcdef12", db=db), "no database")
    assert list(tmp_path.iterdir()) == []
