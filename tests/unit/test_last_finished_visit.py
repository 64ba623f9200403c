"""The comparison with the last visit is with the newest earlier *finished* visit: a visit
started and left unfinished between them is passed over (its unanswered checks would make
every hazard found before look fixed or not checked). Against the in-memory unit of work."""

from __future__ import annotations

from datetime import date

import pytest
from fakes import FakeStore, fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode
from safetycheck.services import assessments as visits
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace


@pytest.fixture
def fake(content: Content) -> tuple[Workspace, FakeStore]:
    return fake_workspace(content, TickingClock())


def hallway(ws: Workspace, visit_id: str) -> str:
    return next(r.id for r in visits.load_assessment(ws, visit_id).rooms if r.kind == "hallway")


def test_an_unfinished_visit_between_is_passed_over(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    person = create_person(ws, "Ada Byrne", 1946)

    def visit(day: date) -> visits.AssessmentInfo:
        return visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT, visit_date=day)

    finished = visit(date(2026, 3, 1))
    visits.record_answer(ws, finished.id, "room.floors.rugs", hallway(ws, finished.id), "no")
    visits.finish_assessment(ws, finished.id)
    left = visit(date(2026, 6, 1))  # started, never finished
    latest = visit(date(2026, 9, 1))
    visits.record_answer(ws, latest.id, "room.floors.rugs", hallway(ws, latest.id), "no")

    found = visits.compare_with_previous(ws, latest.id)
    assert found is not None
    assert found.previous_id == finished.id
    assert found.previous_date == date(2026, 3, 1)
    assert [c.item for c in found.still_open] == ["room.floors.rugs"]  # not "new"
    # The unfinished visit itself has the finished one to compare with; the first has none.
    between = visits.compare_with_previous(ws, left.id)
    assert between is not None
    assert between.previous_id == finished.id
    assert visits.compare_with_previous(ws, finished.id) is None


def test_no_finished_visit_before_means_nothing_to_compare(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    person = create_person(ws, "Ada Byrne", 1946)
    visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT, visit_date=date(2026, 3, 1))
    latest = visits.start_assessment(
        ws, person.id, "Carol", Mode.OT, Mode.OT, visit_date=date(2026, 9, 1)
    )
    assert visits.compare_with_previous(ws, latest.id) is None
