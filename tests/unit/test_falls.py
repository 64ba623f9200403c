"""Falls since the last visit: the checks of their values, and the use cases against the
in-memory unit of work (tests/fakes.py). The same use cases on SQLite and PostgreSQL:
tests/integration/test_falls_store.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from fakes import FakeStore, fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.assessment import VisitStatus
from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import (
    MAX_TEXT,
    Fall,
    FallPlace,
    FallsSinceLastVisit,
    FallValueError,
    Seen,
    check_count,
    check_fall,
    check_month,
    check_text,
)
from safetycheck.services import assessments as visits
from safetycheck.services import falls as falls_service
from safetycheck.services.errors import InvalidInputError, NotFoundError
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace

VISIT = date(2026, 11, 20)
OUTSIDE = Fall("2026-09", "yes", FallPlace.OUTSIDE, None, "", "Slipped on wet leaves.", Seen.DOCTOR)


def in_room(key: str, **changes: object) -> Fall:
    fall = Fall("2026-10", "no", FallPlace.ROOM, key, "", "", Seen.NO)
    return replace(fall, **changes)  # type: ignore[arg-type]


# ---- the checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["", "1900-01", "2026-11", "2026-01"])
def test_a_month_from_1900_to_the_visits_month_or_unknown_is_kept(month: str) -> None:
    assert check_month(month, VISIT) == month


@pytest.mark.parametrize(
    ("month", "problem"),
    [
        ("2026-12", "after the month of the visit"),
        ("2027-01", "after the month of the visit"),
        ("1899-12", "before 1900"),
        ("2026-13", "is not a month"),
        ("2026-00", "is not a month"),
        ("2026-9", "is not a month"),
        ("2026-09-01", "is not a month"),
        ("\u0662\u0660\u0662\u0666-09", "is not a month"),  # Arabic-Indic digits: not YYYY-MM
        (" 2026-09", "is not a month"),
    ],
)
def test_a_month_that_cannot_be_is_refused(month: str, problem: str) -> None:
    with pytest.raises(FallValueError, match=problem):
        check_month(month, VISIT)


def test_a_month_must_be_text() -> None:
    with pytest.raises(FallValueError, match="must be text"):
        check_month(202609, VISIT)


@pytest.mark.parametrize("count", [0, 1, 100])
def test_a_count_from_0_to_100_is_kept(count: int) -> None:
    assert check_count(count, 0) == count


@pytest.mark.parametrize(
    ("count", "details", "problem"),
    [
        (-1, 0, "from 0 to 100"),
        (101, 0, "from 0 to 100"),
        (True, 0, "whole number"),  # JSON true is not a number of falls
        (2.0, 0, "whole number"),
        ("2", 0, "whole number"),
        (None, 0, "whole number"),
        (1, 2, "2 falls are described but the number of falls is 1"),
        (0, 1, "1 falls are described but the number of falls is 0"),
    ],
)
def test_a_count_that_cannot_be_is_refused(count: object, details: int, problem: str) -> None:
    with pytest.raises(FallValueError, match=problem):
        check_count(count, details)


def test_free_text_keeps_line_breaks_and_refuses_other_control_characters() -> None:
    assert check_text("Fell at night.\nGot up alone.", "what happened") == (
        "Fell at night.\nGot up alone."
    )
    assert check_text("x" * MAX_TEXT, "what happened") == "x" * MAX_TEXT
    for bad in ("tab\there", "\x00", "bell\x07", "esc\x1b[2J", "cr\r\n", "c1\x85"):
        with pytest.raises(FallValueError, match="control character"):
            check_text(bad, "what happened")
    with pytest.raises(FallValueError, match="longer than 2,000 characters"):
        check_text("x" * (MAX_TEXT + 1), "what happened")


def test_a_fall_in_a_room_takes_the_rooms_name_as_the_visit_has_it() -> None:
    checked = check_fall(in_room("k1", room_name="typed"), VISIT, {"k1": "Hallway"})
    assert checked == in_room("k1", room_name="Hallway")


def test_a_fall_in_a_room_needs_one_of_the_visits_rooms() -> None:
    with pytest.raises(FallValueError, match="needs the room"):
        check_fall(in_room(""), VISIT, {"k1": "Hallway"})
    with pytest.raises(FallValueError, match="not one of this visit's rooms"):
        check_fall(in_room("k9"), VISIT, {"k1": "Hallway"})


def test_only_a_fall_in_a_room_names_a_room() -> None:
    with pytest.raises(FallValueError, match="only a fall in a room"):
        check_fall(replace(OUTSIDE, room_key="k1"), VISIT, {"k1": "Hallway"})
    with pytest.raises(FallValueError, match="only a fall in a room"):
        check_fall(replace(OUTSIDE, room_name="Hallway"), VISIT, {"k1": "Hallway"})


def test_hurt_place_and_seen_take_only_their_values() -> None:
    with pytest.raises(FallValueError, match="'maybe' is not an answer to 'hurt'"):
        check_fall(replace(OUTSIDE, hurt="maybe"), VISIT, {})
    with pytest.raises(FallValueError, match="'garden' is not an answer to 'place'"):
        check_fall(replace(OUTSIDE, place="garden"), VISIT, {})  # type: ignore[arg-type]
    with pytest.raises(FallValueError, match="'nurse' is not an answer to 'seen'"):
        check_fall(replace(OUTSIDE, seen="nurse"), VISIT, {})  # type: ignore[arg-type]
    # The values themselves are taken for their members (a caller holding plain strings).
    plain = replace(OUTSIDE, place="outside", seen="doctor")  # type: ignore[arg-type]
    checked = check_fall(plain, VISIT, {})
    assert checked.place is FallPlace.OUTSIDE
    assert checked.seen is Seen.DOCTOR


# ---- the use cases, against the fake unit of work ----------------------------------------------


@pytest.fixture
def fake(content: Content) -> tuple[Workspace, FakeStore]:
    return fake_workspace(content, TickingClock())


def two_visits(ws: Workspace) -> tuple[visits.AssessmentInfo, visits.AssessmentInfo]:
    person = create_person(ws, "Ada Byrne", 1946)
    first = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT, date(2026, 5, 14))
    second = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT, VISIT)
    return first, second


def hallway_key(ws: Workspace, visit_id: str) -> str:
    with ws.unit_of_work(read_only=True) as uow:
        return next(r.room_key for r in uow.visits.rooms(visit_id) if r.kind == "hallway")


def test_a_first_visit_has_no_previous_visit_and_records_no_falls(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, store = fake
    first, _ = two_visits(ws)
    assert falls_service.previous_visit(ws, first.id) is None
    assert falls_service.falls_since_last_visit(ws, first.id) == FallsSinceLastVisit(None)
    commits = store.commits
    with pytest.raises(InvalidInputError, match="only be recorded at a follow-up visit"):
        falls_service.record_falls(ws, first.id, 0, [])
    assert store.commits == commits


def test_before_they_are_recorded_the_falls_are_not_known_never_none(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    first, second = two_visits(ws)
    assert falls_service.previous_visit(ws, second.id) == visits.get_info(ws, first.id)
    unknown = falls_service.falls_since_last_visit(ws, second.id)
    assert unknown == FallsSinceLastVisit(None, (), first.id, first.date)
    assert visits.load_assessment(ws, second.id).falls is None


def test_recorded_falls_are_stored_whole_and_come_with_the_visit(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, store = fake
    first, second = two_visits(ws)
    key = hallway_key(ws, second.id)
    commits = store.commits
    stored = falls_service.record_falls(ws, second.id, 3, [OUTSIDE, in_room(key)])
    assert store.commits == commits + 1  # one unit of work
    assert stored == FallsSinceLastVisit(
        3, (OUTSIDE, in_room(key, room_name="Hallway")), first.id, first.date
    )
    assert falls_service.falls_since_last_visit(ws, second.id) == stored
    assert visits.load_assessment(ws, second.id).falls == stored


def test_recording_again_replaces_the_whole_report(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    _, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 2, [OUTSIDE, OUTSIDE])
    again = falls_service.record_falls(ws, second.id, 0, [])
    assert again.count == 0
    assert again.falls == ()
    assert falls_service.falls_since_last_visit(ws, second.id) == again


@pytest.mark.parametrize(
    ("count", "falls", "problem"),
    [
        (101, [], "from 0 to 100"),
        (-1, [], "from 0 to 100"),
        (True, [], "whole number"),
        (1, [OUTSIDE, OUTSIDE], "2 falls are described but the number of falls is 1"),
        (1, [replace(OUTSIDE, month="2026-12")], "fall 1: '2026-12' is after the month"),
        (2, [OUTSIDE, replace(OUTSIDE, month="1899-01")], "fall 2: '1899-01' is before 1900"),
        (1, [replace(OUTSIDE, hurt="a bit")], "fall 1: 'a bit' is not an answer to 'hurt'"),
        (1, [in_room("not-a-room-key")], "fall 1: the room is not one of this visit's rooms"),
        (1, [replace(OUTSIDE, what_happened="x" * 2001)], "longer than 2,000 characters"),
        (1, [replace(OUTSIDE, what_happened="a\x00b")], "control character"),
        (1, ["outside"], "fall 1 is not a fall"),
    ],
)
def test_a_value_that_cannot_be_recorded_writes_nothing(
    fake: tuple[Workspace, FakeStore], count: object, falls: list[object], problem: str
) -> None:
    ws, store = fake
    _, second = two_visits(ws)
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    commits = store.commits
    with pytest.raises(InvalidInputError, match=problem):
        falls_service.record_falls(ws, second.id, count, falls)  # type: ignore[arg-type]
    assert store.commits == commits
    assert falls_service.falls_since_last_visit(ws, second.id).falls == (OUTSIDE,)


def test_a_room_of_the_last_visit_that_this_visit_lacks_is_refused(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    first, second = two_visits(ws)
    extra = visits.add_room(ws, first.id, "stairs", "Back stairs")
    with ws.unit_of_work(read_only=True) as uow:
        stairs = next(r.room_key for r in uow.visits.rooms(first.id) if r.id == extra.id)
    with pytest.raises(InvalidInputError, match="not one of this visit's rooms"):
        falls_service.record_falls(ws, second.id, 1, [in_room(stairs)])


def test_falls_are_recorded_on_a_finished_visit_and_leave_its_result_alone(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    _, second = two_visits(ws)
    visits.finish_assessment(ws, second.id)
    before = visits.get_info(ws, second.id)
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    info = visits.get_info(ws, second.id)
    assert info.status is VisitStatus.COMPLETED
    assert (info.level, info.score, info.version) == (before.level, before.score, before.version)
    assert falls_service.falls_since_last_visit(ws, second.id).count == 1


def test_a_persons_falls_newest_visit_first_only_where_recorded(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    first, second = two_visits(ws)
    third = visits.start_assessment(
        ws, first.person_id, "Carol", Mode.OT, Mode.OT, date(2027, 2, 1)
    )
    fourth = visits.start_assessment(
        ws, first.person_id, "Carol", Mode.OT, Mode.OT, date(2027, 6, 1)
    )
    falls_service.record_falls(ws, second.id, 1, [OUTSIDE])
    falls_service.record_falls(ws, fourth.id, 0, [])
    records = falls_service.falls_for_person(ws, first.person_id)
    assert [r.visit.id for r in records] == [fourth.id, second.id]
    assert records[0].report == FallsSinceLastVisit(0, (), third.id, third.date)
    assert records[1].report.falls == (OUTSIDE,)
    assert falls_service.falls_for_person(ws, create_person(ws, "Ben").id) == []


def test_unknown_ids_are_not_found(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    for call in (
        lambda: falls_service.previous_visit(ws, "nope"),
        lambda: falls_service.falls_since_last_visit(ws, "nope"),
        lambda: falls_service.record_falls(ws, "nope", 0, []),
        lambda: falls_service.falls_for_person(ws, "nope"),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_a_fall_before_the_last_visit_is_refused(fake: tuple[Workspace, FakeStore]) -> None:
    """The falls are counted from the last visit (14 May): a fall in April belongs to it."""
    ws, store = fake
    _, second = two_visits(ws)
    commits = store.commits
    with pytest.raises(InvalidInputError, match="before the last visit"):
        falls_service.record_falls(ws, second.id, 1, [replace(OUTSIDE, month="2026-04")])
    assert store.commits == commits
    kept = falls_service.record_falls(ws, second.id, 1, [replace(OUTSIDE, month="2026-05")])
    assert kept.falls[0].month == "2026-05"  # the last visit's own month: it may be after it


def test_what_the_falls_say_of_fallen_in_the_past_year() -> None:
    from safetycheck.domain.falls import fell_in_the_past_year

    recent = date(2026, 9, 1)  # the last visit, three months before VISIT
    old = date(2025, 6, 1)  # more than a year before
    unknown_month = replace(OUTSIDE, month="")
    assert fell_in_the_past_year(None, VISIT) is None  # not asked: not known
    assert fell_in_the_past_year(FallsSinceLastVisit(None), VISIT) is None
    assert fell_in_the_past_year(FallsSinceLastVisit(0, (), "v", recent), VISIT) is False
    assert fell_in_the_past_year(FallsSinceLastVisit(0, (), "v", old), VISIT) is None
    assert fell_in_the_past_year(FallsSinceLastVisit(1, (), "v", recent), VISIT) is True
    assert fell_in_the_past_year(FallsSinceLastVisit(1, (unknown_month,), "v", old), VISIT) is None
    this_year = replace(OUTSIDE, month="2026-02")
    assert fell_in_the_past_year(FallsSinceLastVisit(1, (this_year,), "v", old), VISIT) is True
