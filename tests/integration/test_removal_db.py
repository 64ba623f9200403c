"""Deleting a visit or a person, and undoing it, on a real database (SQLite, and PostgreSQL when
a server is given): nothing left behind, everything back with the same ids, or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import Fall, FallPlace, Seen
from safetycheck.domain.visits import VisitSnapshot
from safetycheck.services import assessments as visits
from safetycheck.services import removal
from safetycheck.services.demo import create_demo
from safetycheck.services.errors import ConflictError
from safetycheck.services.falls import record_falls
from safetycheck.services.people import create_person, get_person, list_people
from safetycheck.services.transfer import import_document
from safetycheck.services.workspace import Workspace

TABLES = (
    "people",
    "homes",
    "assessments",
    "rooms",
    "answers",
    "photos",
    "action_items",
    "falls_reports",
    "falls",
)


def counts(ws: Workspace) -> dict[str, int]:
    assert ws.database is not None
    with ws.database.engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES
        }


def full_demo(ws: Workspace, tmp_path: Path) -> str:
    """The demo's newest visit with a photo, a tick, an edit and falls recorded."""
    newest = create_demo(ws)
    hall = next(r.id for r in visits.load_assessment(ws, newest).rooms if r.kind == "hallway")
    picture = tmp_path / "cord.png"
    Image.new("RGB", (64, 48), (30, 90, 160)).save(picture)
    visits.attach_photo(ws, newest, "room.clutter.cords", hall, picture)
    actions = visits.list_actions(ws, newest)
    visits.mark_action(ws, actions[0].id, "done", done_on=date(2026, 11, 30), note="fitted")
    visits.edit_action(
        ws, actions[1].id, text="Ours", priority="urgent", who="ot", expected_version=1
    )
    key = visits.load_visit(ws, newest).room_keys[hall]
    fall = Fall("", "yes", FallPlace.ROOM, key, "Hallway", "Caught a foot on a cable.", Seen.DOCTOR)
    record_falls(ws, newest, 1, [fall])
    return newest


def everything(ws: Workspace, person_id: str) -> dict[str, VisitSnapshot]:
    return {
        info.id: visits.load_visit(ws, info.id, with_photos=True)
        for info in visits.list_assessments(ws, person_id).items
    }


def test_a_visit_goes_and_comes_back_the_same(ws: Workspace, tmp_path: Path) -> None:
    newest = full_demo(ws, tmp_path)
    person_id = visits.get_info(ws, newest).person_id
    before, listed, rows = (
        everything(ws, person_id),
        visits.list_assessments(ws, person_id),
        counts(ws),
    )
    assert removal.removal_summary_visit(ws, newest).endswith(
        ", with its answers, 1 photo and the falls record (1 fall since the visit before)."
    )
    gone = removal.delete_visit(ws, newest)
    assert gone.what.endswith(" with 1 photo")
    after_delete = counts(ws)
    assert after_delete["assessments"] == rows["assessments"] - 1
    assert (after_delete["photos"], after_delete["falls_reports"], after_delete["falls"]) == (
        0,
        0,
        0,
    )
    removal.restore(ws, gone)
    assert everything(ws, person_id) == before
    assert visits.list_assessments(ws, person_id) == listed
    assert counts(ws) == rows


def test_a_person_goes_with_everything_and_comes_back(ws: Workspace, tmp_path: Path) -> None:
    newest = full_demo(ws, tmp_path)
    person_id = visits.get_info(ws, newest).person_id
    person, before = get_person(ws, person_id), everything(ws, person_id)
    other = create_person(ws, "Ada Byrne", 1946)
    visits.start_assessment(ws, other.id, "Carol", Mode.OT, Mode.OT)
    alone = counts(ws)
    gone = removal.delete_person(ws, person_id)
    # Only Ada and her one visit are left: no orphaned rows of the deleted person.
    left = counts(ws)
    assert (left["people"], left["homes"], left["assessments"]) == (1, 1, 1)
    assert (left["photos"], left["action_items"], left["falls_reports"], left["falls"]) == (
        0,
        0,
        0,
        0,
    )
    (ada_visit,) = visits.list_assessments(ws, other.id).items
    assert left["rooms"] == len(visits.load_assessment(ws, ada_visit.id).rooms)
    assert left["answers"] == 0
    assert [p.id for p in list_people(ws).items] == [other.id]
    removal.restore(ws, gone)
    assert get_person(ws, person_id) == person
    assert everything(ws, person_id) == before
    assert counts(ws) == alone


def test_an_undo_after_the_ids_came_back_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    newest = full_demo(ws, tmp_path)
    person_id = visits.get_info(ws, newest).person_id
    gone = removal.delete_person(ws, person_id)
    import_document(ws, gone.documents[-1])  # the same person, from the file
    rows, people = counts(ws), list_people(ws).items
    with pytest.raises(ConflictError, match=r"cannot be put back: .* Nothing was changed\.$"):
        removal.restore(ws, gone)
    assert counts(ws) == rows
    assert list_people(ws).items == people


def test_an_undo_that_meets_a_taken_id_part_way_changes_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    """The person is put back first; a room whose id is taken then refuses the whole undo, and
    the person is not left behind half restored."""
    newest = full_demo(ws, tmp_path)
    person_id = visits.get_info(ws, newest).person_id
    gone = removal.delete_person(ws, person_id)
    stranger = create_person(ws, "Someone Else")
    # Another visit holding the rooms, photo and actions of the newest one under their ids
    # (only a forged undo could do this).
    kept = gone.kept[-1]
    info = replace(kept.snapshot.info, id="f" * 32, person_id=stranger.id)
    removal.restore(
        ws,
        removal.Removal(
            "a copy", (), None, (replace(kept, snapshot=replace(kept.snapshot, info=info)),)
        ),
    )
    rows = counts(ws)
    with pytest.raises(ConflictError, match=r"has been stored again since\. Nothing was changed\."):
        removal.restore(ws, gone)
    assert counts(ws) == rows
    assert [p.id for p in list_people(ws).items] == [stranger.id]
