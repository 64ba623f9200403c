"""Falls since the last visit on real databases (SQLite and PostgreSQL): stored whole, read with
the visit, replaced in one transaction, gone with their visit, and carried by export and import
(version 2 of the file) exactly."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, text

from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.services import assessments as visits
from safetycheck.services import falls as falls_service
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.people import create_person, list_people
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace

FIRST, SECOND = date(2026, 5, 14), date(2026, 11, 20)
OUTSIDE = Fall("2026-09", "yes", FallPlace.OUTSIDE, None, "", "Slipped on wet leaves.", Seen.DOCTOR)


def two_visits(ws: Workspace) -> tuple[visits.AssessmentInfo, visits.AssessmentInfo]:
    person = create_person(ws, "Ada Byrne", 1946)
    first = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT, FIRST)
    second = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT, SECOND)
    return first, second


def hallway_key(ws: Workspace, visit_id: str) -> str:
    with ws.unit_of_work(read_only=True) as uow:
        return next(r.room_key for r in uow.visits.rooms(visit_id) if r.kind == "hallway")


def in_hallway(ws: Workspace, visit_id: str) -> Fall:
    return Fall(
        "", "unknown", FallPlace.ROOM, hallway_key(ws, visit_id), "", "Ω <b>\nat night", Seen.NO
    )


@contextmanager
def statements(ws: Workspace) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    assert ws.database is not None
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(ws.database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ws.database.engine, "before_cursor_execute", record)


def rows(ws: Workspace, table: str, visit_id: str) -> int:
    assert ws.database is not None
    with ws.database.engine.connect() as connection:
        found = connection.execute(
            text(f"SELECT count(*) FROM {table} WHERE assessment_id = :id"),
            {"id": visit_id},
        )
        return int(found.scalar_one())


def test_falls_are_stored_whole_read_with_the_visit_and_replaced(ws: Workspace) -> None:
    first, second = two_visits(ws)
    hall = in_hallway(ws, second.id)
    stored = falls_service.record_falls(ws, second.id, 3, [hall, OUTSIDE])
    named = Fall(
        "", "unknown", FallPlace.ROOM, hall.room_key, "Hallway", hall.what_happened, Seen.NO
    )
    expected = FallsSinceLastVisit(3, (named, OUTSIDE), first.id, FIRST)
    assert stored == expected
    assert visits.load_assessment(ws, second.id).falls == expected
    assert falls_service.falls_since_last_visit(ws, second.id) == expected
    assert (rows(ws, "falls_reports", second.id), rows(ws, "falls", second.id)) == (1, 2)

    again = falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    assert visits.load_assessment(ws, second.id).falls == again
    assert (rows(ws, "falls_reports", second.id), rows(ws, "falls", second.id)) == (1, 1)
    assert falls_service.record_falls(ws, second.id, 0, []).count == 0
    assert rows(ws, "falls", second.id) == 0


def test_a_refused_report_leaves_the_stored_one_whole(ws: Workspace) -> None:
    first, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 2, [OUTSIDE, OUTSIDE])
    late = Fall("2027-01", "no", FallPlace.ELSEWHERE, None, "", "", Seen.NO)
    with pytest.raises(InvalidInputError, match="fall 2: '2027-01' is after the month"):
        falls_service.record_falls(ws, second.id, 2, [OUTSIDE, late])
    assert visits.load_assessment(ws, second.id).falls == FallsSinceLastVisit(
        2, (OUTSIDE, OUTSIDE), first.id, FIRST
    )


def test_the_falls_go_with_their_visit_and_outlive_the_one_counted_from(ws: Workspace) -> None:
    first, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    assert ws.database is not None
    with ws.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM assessments WHERE id = :id"), {"id": first.id})
    # Kept exactly as recorded: the earlier visit's id and date (an undo restores that id).
    report = falls_service.falls_since_last_visit(ws, second.id)
    assert (report.count, report.since_visit_id, report.since_date) == (1, first.id, FIRST)
    with ws.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM assessments WHERE id = :id"), {"id": second.id})
    assert (rows(ws, "falls_reports", second.id), rows(ws, "falls", second.id)) == (0, 0)


def test_reading_the_visit_costs_a_statement_only_when_falls_are_described(
    ws: Workspace,
) -> None:
    _, second = two_visits(ws)

    def snapshot_statements() -> int:
        with ws.unit_of_work(read_only=True) as uow, statements(ws) as seen:
            assert uow.visits.snapshot(second.id) is not None
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    plain = snapshot_statements()
    falls_service.record_falls(ws, second.id, 0, [])
    assert snapshot_statements() == plain  # the report comes with the visit's own row
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    assert snapshot_statements() == plain + 1


def test_a_persons_falls_are_read_in_two_statements(ws: Workspace) -> None:
    first, second = two_visits(ws)
    third = visits.start_assessment(ws, first.person_id, "Carol", Mode.OT, Mode.OT)
    falls_service.record_falls(ws, second.id, 2, [OUTSIDE])
    # (since the second visit, 20 November: a fall of that month or later)
    falls_service.record_falls(ws, third.id, 1, [replace(OUTSIDE, month="2026-11")])
    with ws.unit_of_work(read_only=True) as uow, statements(ws) as seen:
        found = uow.visits.falls_of_person(first.person_id)
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 2
    assert [(info.id, report.count) for info, report in found] == [(third.id, 1), (second.id, 2)]
    records = falls_service.falls_for_person(ws, first.person_id)
    assert [(r.visit.id, r.report) for r in records] == [(i.id, r) for i, r in found]


# ---- export and import ---------------------------------------------------------------------------


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by its order of first appearance, no export time."""
    ids: dict[str, int] = {}
    text_ = json.dumps({k: v for k, v in document.items() if k != "exported_at"}, sort_keys=True)
    return json.loads(
        re.sub(r'"[0-9a-f]{32}"', lambda m: f'"id{ids.setdefault(m.group(0), len(ids))}"', text_)
    )


def test_export_import_export_keeps_the_falls_and_the_action_edits(ws: Workspace) -> None:
    first, second = two_visits(ws)
    hall = in_hallway(ws, second.id)
    stored = falls_service.record_falls(ws, second.id, 4, [hall, OUTSIDE])
    loaded = visits.load_assessment(ws, second.id)
    hall_room = next(r.id for r in loaded.rooms if r.kind == "hallway")
    visits.record_answer(ws, second.id, "room.floors.rugs", hall_room, "no")
    visits.finish_assessment(ws, second.id)
    rug = next(a for a in visits.list_actions(ws, second.id) if a.item == "room.floors.rugs")
    visits.edit_action(
        ws,
        rug.id,
        text="Take up the runner rug.",
        priority="urgent",
        who="ot",
        expected_version=rug.version,
    )
    before = [export_document(ws, first.id), export_document(ws, second.id)]
    falls_doc = before[1]["falls_since_last_visit"]
    assert falls_doc["count"] == 4
    assert falls_doc["since_visit_id"] == first.id
    assert falls_doc["falls"][0]["room"] == hall_room  # the room's id in this file
    assert falls_doc["falls"][0]["room_name"] == "Hallway"
    exported_rug = next(a for a in before[1]["actions"] if a["item"] == "room.floors.rugs")
    assert (exported_rug["text"], exported_rug["priority"], exported_rug["who"]) == (
        "Take up the runner rug.",
        "urgent",
        "ot",
    )

    # The same visits for another person (a person is matched by id), imported oldest first.
    copies = []
    for document in before:
        document = json.loads(json.dumps(document))
        document["person"]["id"] = "p-copy"
        copies.append(import_document(ws, document))
    after = [export_document(ws, copy) for copy in copies]
    for then, now in zip(before, after, strict=True):
        now["person"]["id"] = then["person"]["id"]
        assert normalised(now) == normalised(then)
    # Linked to the copy of the earlier visit, and to the copy's own hallway.
    copied = visits.load_assessment(ws, copies[1])
    assert copied.falls is not None
    assert copied.falls.since_visit_id == copies[0]
    assert copied.falls.since_date == FIRST
    assert copied.falls.falls[0].room_key == hallway_key(ws, copies[1])
    assert copied.falls.falls[0].room_key != stored.falls[0].room_key
    assert falls_service.falls_for_person(ws, "p-copy")[0].report == copied.falls


def test_an_import_whose_earlier_visit_is_elsewhere_keeps_only_its_date(ws: Workspace) -> None:
    first, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    document = export_document(ws, second.id)
    document["person"]["id"] = "p-alone"
    imported = visits.load_assessment(ws, import_document(ws, document))
    assert imported.falls == FallsSinceLastVisit(1, (OUTSIDE,), None, FIRST)
    assert first.id != imported.id


def test_an_import_with_a_bad_fall_writes_nothing(ws: Workspace) -> None:
    _, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    document = export_document(ws, second.id)
    document["person"]["id"] = "p-new"
    document["falls_since_last_visit"]["falls"][0]["month"] = "2026-12"
    people = len(list_people(ws).items)
    with pytest.raises(Exception, match=r"falls_since_last_visit\.falls\[0\]\.month"):
        import_document(ws, document)
    assert len(list_people(ws).items) == people


def test_a_report_read_earlier_in_the_same_unit_of_work_can_be_replaced(ws: Workspace) -> None:
    """The snapshot loads the stored report; replacing it afterwards, in the same transaction,
    must neither clash with that copy nor read it back (H2's restore and any later use case
    that reads the visit before writing its falls)."""
    first, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    replacement = FallsSinceLastVisit(2, (OUTSIDE, OUTSIDE), first.id, FIRST)
    with ws.unit_of_work() as uow:
        snapshot = uow.visits.snapshot(second.id)
        assert snapshot is not None
        assert snapshot.assessment.falls is not None
        uow.visits.save_falls(second.id, replacement, ws.now())
        assert uow.visits.falls(second.id) == replacement
        again = uow.visits.snapshot(second.id)
        assert again is not None
        assert again.assessment.falls == replacement
        uow.commit()
    assert visits.load_assessment(ws, second.id).falls == replacement
