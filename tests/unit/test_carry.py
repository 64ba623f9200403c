"""What a follow-up visit offers from the last one (services/carry.py), against the fake store."""

from __future__ import annotations

from datetime import date

import pytest
from fakes import fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode, Page
from safetycheck.services import assessments as visits
from safetycheck.services.carry import carried_answers, kept_together, offered
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace


@pytest.fixture
def ws(content: Content) -> Workspace:
    workspace, _store = fake_workspace(content, TickingClock())
    return workspace


def room_of(ws: Workspace, visit_id: str, kind: str) -> str:
    return next(r.id for r in visits.load_assessment(ws, visit_id).rooms if r.kind == kind)


def follow_up(ws: Workspace, person_id: str, day: int = 24) -> visits.AssessmentInfo:
    return visits.start_assessment(
        ws, person_id, "Carol", Mode.OT, Mode.OT, visit_date=date(2026, 12, day)
    )


def test_a_first_visit_is_offered_nothing(ws: Workspace) -> None:
    person = create_person(ws, "Ada Byrne", 1946)
    first = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT)
    carried = carried_answers(ws, first.id)
    assert carried.since is None
    assert not carried.answers


def test_room_answers_follow_the_room_and_stable_facts_carry(ws: Workspace) -> None:
    person = create_person(ws, "Ada Byrne", 1946)
    first = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT)
    hall = room_of(ws, first.id, "hallway")
    visits.record_answer(ws, first.id, "room.floors.rugs", hall, "yes", note="by the door")
    visits.record_answer(ws, first.id, "person.fd.present", None, "yes")
    visits.record_answer(ws, first.id, "person.fd.side", None, "left")
    visits.record_answer(ws, first.id, "steadi.si.01", None, "yes")  # changes: asked afresh
    visits.record_answer(ws, first.id, "person.rf.stroke", None, "no")  # a red flag: afresh
    visits.finish_assessment(ws, first.id)

    second = follow_up(ws, person.id)
    hall2 = room_of(ws, second.id, "hallway")
    assert hall2 != hall
    visits.update_room(ws, hall2, name="Long corridor")  # renamed: still the same room
    carried = carried_answers(ws, second.id)
    assert carried.since is not None
    assert carried.since.id == first.id
    rugs = carried.get("room.floors.rugs", hall2)
    assert rugs is not None
    assert rugs.value == "yes"
    assert rugs.note == ""  # the note was about that visit's rug, not a suggestion
    fd_side = carried.get("person.fd.side", None)
    assert fd_side is not None
    assert fd_side.value == "left"
    screen = carried.get("steadi.si.01", None)  # shown, to be asked again (not kept with C)
    assert screen is not None
    assert screen.value == "yes"
    assert carried.get("person.rf.stroke", None) is None
    assert carried.get("room.floors.rugs", hall) is None  # keyed by this visit's rooms only
    # Nothing is answered by being offered.
    assert visits.load_assessment(ws, second.id).answers == ()


def test_offered_from_the_last_finished_visit(ws: Workspace) -> None:
    person = create_person(ws, "Ada Byrne", 1946)
    first = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT)
    visits.record_answer(ws, first.id, "person.walking_aid", None, "cane")
    visits.finish_assessment(ws, first.id)
    abandoned = follow_up(ws, person.id, 10)  # started, never finished, nothing answered
    third = follow_up(ws, person.id, 24)
    carried = carried_answers(ws, third.id)
    assert carried.since is not None
    assert carried.since.id == first.id
    assert abandoned.id != first.id
    aid = carried.get("person.walking_aid", None)
    assert aid is not None
    assert aid.value == "cane"


def test_which_questions_are_offered(content: Content) -> None:
    items = content.checklist.items
    person = [item for item in items if item.page is Page.PERSON]
    stable = {item.id for item in person if kept_together(item)}
    assert {"person.fd.side", "person.fd.cause", "person.fd.brace", "person.medicines"} <= stable
    assert "steadi.si.01" not in stable
    assert all(offered(item) for item in person if item.red_flag is None)
    assert not any(offered(item) for item in items if item.red_flag is not None)
    assert all(kept_together(item) for item in items if item.page is Page.ROOM)
