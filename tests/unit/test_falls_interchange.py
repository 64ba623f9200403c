"""The assessment file, format version 2 (read as part of version 3): the falls since the last
visit and the actions' own wording, priority and who; version 1 files still read (with
neither); newer ones refused."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import assessments
from support import EXAMPLES

from safetycheck.content import load_content
from safetycheck.domain.assessment import ActionKind, ActionState, ActionStatus, Assessment
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.exchange.assessment_json import (
    FORMAT_VERSION,
    assessment_from_document,
    assessment_to_document,
)
from safetycheck.exchange.errors import ExchangeError

CONTENT = load_content()
CHECKLIST = CONTENT.checklist


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / "recent-faller.json").read_text())
    assert document["format_version"] == FORMAT_VERSION == 4
    return document


FALLS: dict[str, Any] = {
    "count": 3,
    "since_visit_id": "a-1987",
    "since_date": "2026-05-14",
    "falls": [
        {
            "month": "2026-09",
            "hurt": "yes",
            "place": "room",
            "room": "r2",
            "room_name": "Hallway",
            "what_happened": "Tripped on the runner rug at night.\nGot up alone.",
            "seen": "doctor",
        },
        {
            "month": "",
            "hurt": "unknown",
            "place": "outside",
            "room": None,
            "room_name": "",
            "what_happened": "",
            "seen": "unknown",
        },
    ],
}
ACTION = {
    "kind": "hazard",
    "item": "room.floors.rugs",
    "room": "r2",
    "status": "open",
    "done_on": None,
    "note": "",
}


def with_falls(falls: Any = None, **changes: Any) -> dict[str, Any]:
    document = example()
    document["falls_since_last_visit"] = copy.deepcopy(FALLS) if falls is None else falls
    document.update(changes)
    return document


def refused(document: dict[str, Any]) -> str:
    with pytest.raises(ExchangeError) as caught:
        assessment_from_document(json.loads(json.dumps(document)), CHECKLIST)
    return str(caught.value)


def test_falls_are_read_exactly_and_written_back_the_same() -> None:
    document = with_falls()
    assessment = assessment_from_document(document, CHECKLIST)
    assert assessment.falls == FallsSinceLastVisit(
        3,
        (
            Fall(
                "2026-09",
                "yes",
                FallPlace.ROOM,
                "r2",  # a file's own room id (the store gives the room its key)
                "Hallway",
                "Tripped on the runner rug at night.\nGot up alone.",
                Seen.DOCTOR,
            ),
            Fall("", "unknown", FallPlace.OUTSIDE, None, "", "", Seen.UNKNOWN),
        ),
        "a-1987",
        date(2026, 5, 14),
    )
    assert assessment_to_document(assessment) == document


def test_no_falls_recorded_is_null_never_zero() -> None:
    assessment = assessment_from_document(example(), CHECKLIST)
    assert assessment.falls is None
    assert assessment_to_document(assessment)["falls_since_last_visit"] is None
    none = assessment_from_document(with_falls({"count": 0, "falls": []}), CHECKLIST)
    assert none.falls == FallsSinceLastVisit(0)
    written = assessment_to_document(none)["falls_since_last_visit"]
    assert written == {"count": 0, "since_visit_id": None, "since_date": None, "falls": []}


def test_a_fall_in_a_room_without_a_name_takes_the_rooms_name() -> None:
    falls = copy.deepcopy(FALLS)
    del falls["falls"][0]["room_name"]
    assessment = assessment_from_document(with_falls(falls), CHECKLIST)
    assert assessment.falls is not None
    assert assessment.falls.falls[0].room_name == "Hallway"


def test_a_room_removed_since_the_fall_keeps_its_name() -> None:
    falls = copy.deepcopy(FALLS)
    falls["falls"][0].update(room=None, room_name="Old bathroom")
    assessment = assessment_from_document(with_falls(falls), CHECKLIST)
    assert assessment.falls is not None
    assert assessment.falls.falls[0].room_name == "Old bathroom"
    assert assessment_to_document(assessment)["falls_since_last_visit"] == falls


def test_a_stored_rooms_key_is_written_as_its_room_id_in_the_file() -> None:
    assessment = assessment_from_document(with_falls(), CHECKLIST)
    assert assessment.falls is not None
    keyed = replace(
        assessment,
        falls=replace(
            assessment.falls,
            falls=(replace(assessment.falls.falls[0], room_key="key-of-hall"),),
            count=1,
        ),
    )
    keys = {room.id: f"key-of-{room.id}" for room in assessment.rooms} | {"r2": "key-of-hall"}
    written = assessment_to_document(keyed, room_keys=keys)["falls_since_last_visit"]
    assert written["falls"][0]["room"] == "r2"
    # A key no room of the visit has any more (the room was removed): only the name is kept.
    gone = assessment_to_document(keyed, room_keys={})["falls_since_last_visit"]
    assert gone["falls"][0]["room"] is None
    assert gone["falls"][0]["room_name"] == "Hallway"


def fall_changed(**changes: Any) -> dict[str, Any]:
    falls = copy.deepcopy(FALLS)
    falls["falls"][0].update(changes)
    return with_falls(falls)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (with_falls({"count": 101, "falls": []}), "falls_since_last_visit.count: the number"),
        (with_falls({"count": -1, "falls": []}), "from 0 to 100"),
        (with_falls({"count": True, "falls": []}), "falls_since_last_visit.count: wrong type"),
        (with_falls({"count": None, "falls": []}), "falls_since_last_visit.count"),
        (with_falls({"falls": []}), "falls_since_last_visit.count: missing"),
        (with_falls({"count": 0}), "falls_since_last_visit.falls: missing"),
        (with_falls({**FALLS, "count": 1}), "2 falls are described but the number of falls is 1"),
        (with_falls({**FALLS, "hurt": "yes"}), "unknown key 'hurt'"),
        (with_falls([]), "falls_since_last_visit: wrong type"),
        (with_falls({**FALLS, "since_date": "2026-11-27"}), "since_date: '2026-11-27' is not a"),
        (with_falls({**FALLS, "since_date": "14/05/2026"}), "since_date: '14/05/2026' is not a"),
        (with_falls({**FALLS, "since_visit_id": 7}), "since_visit_id: wrong type"),
        (fall_changed(month="2026-12"), "falls[0].month: '2026-12' is after the month"),
        (fall_changed(month="1899-12"), "falls[0].month: '1899-12' is before 1900"),
        (fall_changed(month="2026-9"), "falls[0].month: '2026-9' is not a month"),
        (fall_changed(hurt="badly"), "falls[0].hurt: 'badly' is not an answer"),
        (fall_changed(place="garden"), "falls[0].place: 'garden' is not one of"),
        (fall_changed(seen="nurse"), "falls[0].seen: 'nurse' is not one of"),
        (fall_changed(room="r99"), "falls[0].room: no room with id 'r99'"),
        (fall_changed(room=None, room_name=""), "falls[0].room: a fall in a room"),
        (fall_changed(place="outside"), "falls[0].room: only a fall in a room"),
        (fall_changed(what_happened="x" * 2001), "falls[0].what_happened: longer than 2000"),
        (fall_changed(what_happened="a\tb"), "falls[0].what_happened: what happened contains"),
        (fall_changed(what_happened="a\x00b"), "falls[0].what_happened: contains a NUL"),
        (fall_changed(when="2026-09"), "falls[0]: unknown key 'when'"),
    ],
)
def test_a_falls_field_that_cannot_be_is_refused_with_its_place(
    document: dict[str, Any], problem: str
) -> None:
    assert problem in refused(document)


def test_action_edits_are_read_and_written_back() -> None:
    edited = {**ACTION, "text": "Take up the runner rug.", "priority": "urgent", "who": "ot"}
    plain = {**ACTION, "item": "room.clutter.cords"}
    document = example()
    document["actions"] = [edited, plain]
    assessment = assessment_from_document(document, CHECKLIST)
    assert assessment.actions == (
        ActionStatus(
            ActionKind.HAZARD,
            "room.floors.rugs",
            "r2",
            ActionState.OPEN,
            None,
            "",
            "Take up the runner rug.",
            "urgent",
            "ot",
        ),
        ActionStatus(ActionKind.HAZARD, "room.clutter.cords", "r2"),
    )
    written = assessment_to_document(assessment)
    assert written["actions"] == [edited, plain]  # an action not edited has no edit keys
    nulls = {**ACTION, "text": None, "priority": None, "who": None}
    document["actions"] = [nulls]
    assert assessment_from_document(document, CHECKLIST).actions == (
        ActionStatus(ActionKind.HAZARD, "room.floors.rugs", "r2"),
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"text": "  "}, "actions[0].text: is blank"),
        ({"text": "x" * 2001}, "actions[0].text: longer than 2000"),
        ({"text": 3}, "actions[0].text: wrong type"),
        ({"priority": "asap"}, "actions[0].priority: 'asap' is not one of urgent, soon"),
        ({"who": "neighbour"}, "actions[0].who: 'neighbour' is not one of person"),
    ],
)
def test_an_action_edit_that_cannot_be_is_refused(change: dict[str, Any], problem: str) -> None:
    document = example()
    document["actions"] = [{**ACTION, **change}]
    assert problem in refused(document)


def version_1(document: dict[str, Any]) -> dict[str, Any]:
    old = copy.deepcopy(document)
    old["format_version"] = 1
    old.pop("falls_since_last_visit", None)
    # What version 3 added (test_signoff_interchange.py looks at it).
    old.pop("exercises", None)
    old["assessment"].pop("next_review", None)
    for key in ("credentials", "organisation", "contact"):
        old["assessment"]["assessor"].pop(key, None)
    return old


def test_a_version_1_file_reads_with_no_falls_and_no_edits() -> None:
    document = version_1(example())
    document["actions"] = [ACTION]
    assessment = assessment_from_document(document, CHECKLIST)
    assert assessment.falls is None
    assert assessment.actions == (ActionStatus(ActionKind.HAZARD, "room.floors.rugs", "r2"),)
    written = assessment_to_document(assessment)
    assert written["format_version"] == FORMAT_VERSION
    assert written["falls_since_last_visit"] is None
    assert version_1(written) == document  # nothing else changed on the way


def test_a_version_1_file_cannot_hold_what_version_2_added() -> None:
    document = version_1(example())
    document["falls_since_last_visit"] = None
    assert "falls_since_last_visit: not part of format version 1" in refused(document)
    document = version_1(example())
    document["actions"] = [{**ACTION, "who": "ot"}]
    assert "actions[0].who: not part of format version 1" in refused(document)


def test_a_version_5_file_is_refused() -> None:
    problem = refused({**example(), "format_version": 5})
    assert problem == ("format_version: 5 is newer than this program reads (4); update safetycheck")


# ---- generated: any falls in any home, through the file and back --------------------------------


@st.composite
def with_generated_falls(draw: st.DrawFn) -> Assessment:
    assessment = draw(assessments(CONTENT))
    count = draw(st.integers(0, 100))
    room_ids = [room.id for room in assessment.rooms]
    names = {room.id: room.name for room in assessment.rooms}
    months = st.one_of(
        st.just(""),
        st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2025), st.integers(1, 12)),
    )
    texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=40)

    @st.composite
    def one_fall(inner: st.DrawFn) -> Fall:
        place = inner(st.sampled_from(list(FallPlace)))
        if place is FallPlace.ROOM and not room_ids:
            place = FallPlace.ELSEWHERE
        room = inner(st.sampled_from(room_ids)) if place is FallPlace.ROOM else None
        return Fall(
            inner(months),
            inner(st.sampled_from(["yes", "no", "unknown"])),
            place,
            room,
            names[room] if room is not None else "",
            inner(texts),
            inner(st.sampled_from(list(Seen))),
        )

    falls = draw(st.lists(one_fall(), max_size=min(count, 4)))
    since = draw(st.one_of(st.none(), st.dates(date(1900, 1, 1), assessment.date)))
    visit_id = draw(st.one_of(st.none(), st.text("abcdef0123456789", min_size=1, max_size=32)))
    return replace(assessment, falls=FallsSinceLastVisit(count, tuple(falls), visit_id, since))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(with_generated_falls())
def test_any_falls_come_back_as_they_went(assessment: Assessment) -> None:
    text = json.dumps(assessment_to_document(assessment), ensure_ascii=False)
    assert assessment_from_document(json.loads(text), CHECKLIST) == assessment
