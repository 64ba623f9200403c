"""The use cases' rules against the in-memory unit of work (tests/fakes.py): no database.

The same use cases run against SQLite and PostgreSQL in tests/integration/test_services.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from fakes import FakeStore, fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.assessment import ActionState, Answer, VisitStatus
from safetycheck.domain.checklist import Mode
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.errors import ConflictError, InvalidInputError
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace


@pytest.fixture
def fake(content: Content) -> tuple[Workspace, FakeStore]:
    return fake_workspace(content, TickingClock())


def started(ws: Workspace) -> visits.AssessmentInfo:
    person = create_person(ws, "Ada Byrne", 1946)
    return visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT)


def room_of(ws: Workspace, visit_id: str, kind: str) -> str:
    return next(r.id for r in visits.load_assessment(ws, visit_id).rooms if r.kind == kind)


def test_a_receipt_holds_the_answer_exactly_as_stored(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    info = visits.start_assessment(
        ws,
        create_person(ws, "Ada").id,
        "Carol",
        Mode.OT,
        Mode.OT,
        rooms=[visits.RoomSpec("stairs")],
    )
    stairs = room_of(ws, info.id, "stairs")
    before = store.commits
    receipt = visits.record_answer(ws, info.id, "room.stairs.ot.riser", stairs, 180)
    assert store.commits == before + 1
    assert receipt.version == 1
    # An int becomes a float, the unit the item's own: what a reload shows, not what was sent.
    assert receipt.answer == Answer(
        "room.stairs.ot.riser", stairs, 180.0, "", "mm", receipt.answer.answered_at
    )
    assert isinstance(receipt.answer.value, float)
    assert visits.load_assessment(ws, info.id).answer("room.stairs.ot.riser", stairs) == (
        receipt.answer
    )


def test_a_stale_version_or_a_bad_value_writes_nothing(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    info = started(ws)
    first = visits.record_answer(ws, info.id, "steadi.si.01", None, "no")
    visits.record_answer(ws, info.id, "steadi.si.01", None, "yes", expected_version=first.version)
    commits = store.commits
    with pytest.raises(ConflictError):
        visits.record_answer(
            ws, info.id, "steadi.si.01", None, "no", expected_version=first.version
        )
    with pytest.raises(InvalidInputError, match="is not an answer"):
        visits.record_answer(ws, info.id, "steadi.si.02", None, "maybe")
    assert store.commits == commits
    kept = visits.load_assessment(ws, info.id).answer("steadi.si.01")
    assert kept is not None
    assert kept.value == "yes"
    assert visits.load_assessment(ws, info.id).answer("steadi.si.02") is None


def test_an_answer_to_a_finished_visit_moves_its_result_in_the_same_commit(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, store = fake
    info = started(ws)
    hall = room_of(ws, info.id, "hallway")
    receipt = visits.record_answer(ws, info.id, "room.floors.rugs", hall, "yes")
    visits.finish_assessment(ws, info.id)
    before = visits.get_info(ws, info.id)
    assert not any(a.item == "room.floors.rugs" for a in visits.list_actions(ws, info.id))
    commits = store.commits
    visits.record_answer(
        ws, info.id, "room.floors.rugs", hall, "no", expected_version=receipt.version
    )
    assert store.commits == commits + 1  # answer, level, score and actions: one transaction
    after = visits.get_info(ws, info.id)
    assert after.status is VisitStatus.COMPLETED
    assert after.score is not None
    assert before.score is not None
    assert after.score > before.score
    rug = [a for a in visits.list_actions(ws, info.id) if a.item == "room.floors.rugs"]
    assert [(a.room, a.status) for a in rug] == [(hall, ActionState.OPEN)]


def test_ticks_survive_finishing_again_and_fixed_hazards_drop_open_actions(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    info = started(ws)
    hall = room_of(ws, info.id, "hallway")
    rugs = visits.record_answer(ws, info.id, "room.floors.rugs", hall, "no")
    cords = visits.record_answer(ws, info.id, "room.clutter.cords", hall, "no")
    visits.finish_assessment(ws, info.id)
    rug = next(a for a in visits.list_actions(ws, info.id) if a.item == "room.floors.rugs")
    visits.mark_action(ws, rug.id, "done", done_on=date(2026, 12, 1))
    # Both hazards fixed: the ticked action stays (with its date), the open one goes.
    visits.record_answer(
        ws, info.id, "room.floors.rugs", hall, "yes", expected_version=rugs.version
    )
    visits.record_answer(
        ws, info.id, "room.clutter.cords", hall, "yes", expected_version=cords.version
    )
    visits.finish_assessment(ws, info.id)
    left = {(a.item, a.status, a.done_on) for a in visits.list_actions(ws, info.id)}
    assert ("room.floors.rugs", ActionState.DONE, date(2026, 12, 1)) in left
    assert not any(item == "room.clutter.cords" for item, _, _ in left)


def test_comparison_follows_rooms_by_key_not_by_name(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    first = started(ws)
    hall = room_of(ws, first.id, "hallway")
    visits.record_answer(ws, first.id, "room.floors.rugs", hall, "no")
    visits.record_answer(ws, first.id, "room.clutter.cords", hall, "no")
    visits.finish_assessment(ws, first.id)
    assert visits.compare_with_previous(ws, first.id) is None
    second = visits.start_assessment(
        ws, first.person_id, "Carol", Mode.OT, Mode.OT, visit_date=date(2026, 12, 24)
    )
    hall2 = room_of(ws, second.id, "hallway")
    visits.update_room(ws, hall2, name="Long corridor")  # renamed: still the same room
    visits.record_answer(ws, second.id, "room.floors.rugs", hall2, "yes")
    visits.record_answer(ws, second.id, "room.light.bright", hall2, "no")
    found = visits.compare_with_previous(ws, second.id)
    assert found is not None
    assert found.previous_id == first.id
    assert [c.item for c in found.fixed] == ["room.floors.rugs"]
    assert [c.item for c in found.new] == ["room.light.bright"]
    assert [c.item for c in found.not_checked] == ["room.clutter.cords"]


def test_the_demo_is_one_transaction(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    newest = create_demo(ws)
    assert store.commits == 1
    found = visits.compare_with_previous(ws, newest)
    assert found is not None
    assert found.fixed
    assert found.done_actions == 6


def test_a_new_person_and_their_first_visit_are_one_transaction(
    fake: tuple[Workspace, FakeStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import FakeVisitRepository

    from safetycheck.services.people import list_people

    ws, store = fake
    with pytest.raises(InvalidInputError, match="assessor needs a name"):
        visits.start_assessment_for_new_person(ws, "Ada", 1946, "  ", Mode.OT, Mode.OT)

    def refused(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(FakeVisitRepository, "add", refused)
    with pytest.raises(RuntimeError):
        visits.start_assessment_for_new_person(ws, "Ada", 1946, "Carol", Mode.OT, Mode.OT)
    assert len(list_people(ws).items) == 0
    assert store.commits == 0
    monkeypatch.undo()
    info = visits.start_assessment_for_new_person(ws, "Ada", 1946, "Carol", Mode.OT, Mode.OT)
    assert (info.person_name, store.commits) == ("Ada", 1)
