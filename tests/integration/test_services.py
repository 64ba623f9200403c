"""Use cases against a real database: SQLite, and PostgreSQL when a server is available."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from PIL import Image
from strategies import assessments
from support import EXAMPLES, TickingClock

from safetycheck.content import Content, load_content
from safetycheck.domain.assessment import Answer, Assessment
from safetycheck.domain.checklist import Mode
from safetycheck.exchange.assessment_json import assessment_from_document
from safetycheck.exchange.errors import ExchangeError
from safetycheck.services import assessments as visits
from safetycheck.services.assessments import RoomSpec
from safetycheck.services.errors import ConflictError, InvalidInputError, NotFoundError
from safetycheck.services.people import create_person, edit_person, get_person, list_people
from safetycheck.services.transfer import export_document, import_assessment, import_document
from safetycheck.services.workspace import Workspace, open_workspace


def start(
    ws: Workspace,
    name: str = "Ada Byrne",
    rooms: list[RoomSpec] | None = None,
    when: date | None = None,
    mode: Mode = Mode.CAREGIVER,
) -> tuple[str, visits.AssessmentInfo]:
    person = create_person(ws, name, 1946)
    info = visits.start_assessment(ws, person.id, "Carol", mode, mode, visit_date=when, rooms=rooms)
    return person.id, info


def room_id(ws: Workspace, assessment_id: str, kind: str) -> str:
    loaded = visits.load_assessment(ws, assessment_id)
    return next(room.id for room in loaded.rooms if room.kind == kind)


# ---- people -------------------------------------------------------------------------------------


def test_people_are_created_found_and_paged(ws: Workspace) -> None:
    for name in ["Zoë Adams", "José Álvarez", "Mary O'Neil", "Bob 100% Smith", "al_vin"]:
        create_person(ws, name)
    page = list_people(ws, limit=2)
    assert [p.name for p in page.items] == ["al_vin", "Bob 100% Smith"]
    assert page.has_more
    page = list_people(ws, after=page.after, limit=2)
    assert [p.name for p in page.items] == ["José Álvarez", "Mary O'Neil"]
    assert page.has_more
    page = list_people(ws, after=page.after, limit=2)
    assert ([p.name for p in page.items], page.has_more) == (["Zoë Adams"], False)
    page = list_people(ws, after=page.after, limit=2)
    assert (page.items, page.after, page.has_more) == ((), None, False)
    assert [p.name for p in list_people(ws, search="ALVAREZ").items] == ["José Álvarez"]
    assert [p.name for p in list_people(ws, search="zoe").items] == ["Zoë Adams"]
    assert [p.name for p in list_people(ws, search="100%").items] == ["Bob 100% Smith"]
    assert [p.name for p in list_people(ws, search="l_v").items] == ["al_vin"]  # _ is literal


def test_person_edit_refuses_a_stale_version(ws: Workspace) -> None:
    person = create_person(ws, "Ada Byrne", 1946, "likes tea")
    edited = edit_person(
        ws,
        person.id,
        name="Ada  Byrne-Lee",
        birth_year=1946,
        notes="",
        expected_version=person.version,
    )
    assert edited.name == "Ada Byrne-Lee"
    assert edited.version == person.version + 1
    with pytest.raises(ConflictError, match="changed by someone else"):
        edit_person(
            ws, person.id, name="Ada B", birth_year=1946, notes="", expected_version=person.version
        )
    assert get_person(ws, person.id).name == "Ada Byrne-Lee"


def test_person_input_is_checked(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="needs a name"):
        create_person(ws, "   ")
    with pytest.raises(InvalidInputError, match="plausible year"):
        create_person(ws, "Ada", 1700)
    assert len(list_people(ws).items) == 0
    with pytest.raises(NotFoundError):
        get_person(ws, "0" * 32)


# ---- visits and answers ----------------------------------------------------------------------


def test_first_visit_gets_the_usual_rooms_and_the_next_copies_them(
    ws: Workspace, content: Content
) -> None:
    person_id, first = start(ws, when=date(2026, 6, 1))
    usual = [kind.id for kind in content.checklist.room_kinds if kind.default_present]
    loaded = visits.load_assessment(ws, first.id)
    assert [room.kind for room in loaded.rooms] == usual
    extra = visits.add_room(ws, first.id, "bedroom")
    assert extra.name == "Bedroom 2"
    visits.update_room(ws, extra.id, name="Grandson's room", night_route=True)
    second = visits.start_assessment(
        ws, person_id, "Carol", Mode.CAREGIVER, Mode.CAREGIVER, visit_date=date(2026, 9, 1)
    )
    copied = visits.load_assessment(ws, second.id).rooms
    assert [(r.kind, r.name, r.night_route) for r in copied] == [
        (r.kind, r.name, r.night_route) for r in visits.load_assessment(ws, first.id).rooms
    ]
    assert copied[-1].name == "Grandson's room"
    assert copied[-1].night_route
    with pytest.raises(InvalidInputError, match="already a room called"):
        visits.add_room(ws, second.id, "other", "grandson's ROOM")


def test_an_answer_is_saved_and_read_back(ws: Workspace) -> None:
    _, info = start(ws)
    hall = room_id(ws, info.id, "hallway")
    receipt = visits.record_answer(
        ws, info.id, "room.floors.rugs", hall, "no", note="Runner curls <up> & slides"
    )
    visits.record_answer(ws, info.id, "steadi.si.01", None, "yes")
    loaded = visits.load_assessment(ws, info.id)
    rug = loaded.answer("room.floors.rugs", hall)
    assert rug is not None
    assert rug.value == "no"
    assert rug.note == "Runner curls <up> & slides"
    assert rug.answered_at == receipt.answered_at
    assert loaded.answer("steadi.si.01") is not None


def test_changing_an_answer_needs_the_version_last_seen(ws: Workspace) -> None:
    _, info = start(ws)
    first = visits.record_answer(ws, info.id, "steadi.si.01", None, "no")
    second = visits.record_answer(
        ws, info.id, "steadi.si.01", None, "yes", expected_version=first.version
    )
    assert second.version == first.version + 1
    with pytest.raises(ConflictError, match="changed by someone else"):
        visits.record_answer(
            ws, info.id, "steadi.si.01", None, "no", expected_version=first.version
        )
    with pytest.raises(ConflictError):
        visits.record_answer(ws, info.id, "steadi.si.01", None, "no")  # "never seen one"
    answer = visits.load_assessment(ws, info.id).answer("steadi.si.01")
    assert answer is not None
    assert answer.value == "yes"


def test_two_users_on_one_visit_do_not_overwrite_each_other(db_url: str, content: Content) -> None:
    alice = open_workspace(db_url, content, clock=TickingClock())
    bob = open_workspace(db_url, content, clock=TickingClock())
    try:
        _, info = start(alice)
        hall = room_id(alice, info.id, "hallway")
        seen_by_both = visits.record_answer(alice, info.id, "room.floors.rugs", hall, "yes")
        visits.record_answer(
            alice,
            info.id,
            "room.floors.rugs",
            hall,
            "no",
            note="Alice saw it",
            expected_version=seen_by_both.version,
        )
        with pytest.raises(ConflictError):
            visits.record_answer(
                bob, info.id, "room.floors.rugs", hall, "yes", expected_version=seen_by_both.version
            )
        final = visits.load_assessment(bob, info.id).answer("room.floors.rugs", hall)
        assert final is not None
        assert (final.value, final.note) == ("no", "Alice saw it")
        # Bob answering different items at the same time is fine.
        visits.record_answer(bob, info.id, "steadi.si.02", None, "no")
    finally:
        alice.close()
        bob.close()


@pytest.mark.parametrize(
    ("item", "room_kind", "value", "unit", "message"),
    [
        ("room.floors.lava", "hallway", "no", "", "unknown item id"),
        ("room.floors.rugs", "hallway", "maybe", "", "is not an answer"),
        ("room.floors.rugs", None, "no", "", "needs a room"),
        ("steadi.si.01", "hallway", "yes", "", "has no room"),
        ("room.bath.mat", "hallway", "no", "", "not asked in a room of kind"),
        ("room.stairs.ot.riser", "stairs", "tall", "", "needs a number"),
        ("room.stairs.ot.riser", "stairs", 180.0, "cubits", "is not one of mm, in"),
        ("room.stairs.ot.riser", "stairs", -3.0, "mm", "is not a measurement"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(
    ws: Workspace, item: str, room_kind: str | None, value: str | float, unit: str, message: str
) -> None:
    _, info = start(ws, rooms=[RoomSpec("hallway"), RoomSpec("stairs", stairs_daily=True)])
    room = room_id(ws, info.id, room_kind) if room_kind else None
    with pytest.raises(InvalidInputError, match=message):
        visits.record_answer(ws, info.id, item, room, value, unit=unit)
    assert visits.load_assessment(ws, info.id).answers == ()


def test_measurements_keep_their_unit(ws: Workspace) -> None:
    _, info = start(ws, rooms=[RoomSpec("stairs", stairs_daily=True)], mode=Mode.OT)
    stairs = room_id(ws, info.id, "stairs")
    visits.record_answer(ws, info.id, "room.stairs.ot.riser", stairs, 8.25, unit="in")
    answer = visits.load_assessment(ws, info.id).answer("room.stairs.ot.riser", stairs)
    assert answer is not None
    assert (answer.value, answer.unit) == (8.25, "in")
    result = visits.evaluate_visit(ws, info.id).result
    assert [h.item.id for h in result.hazards] == ["room.stairs.ot.riser"]  # 209.6 mm > 197


def test_resume_offers_the_newest_visit_in_progress(ws: Workspace) -> None:
    assert visits.newest_in_progress(ws) is None
    _, older = start(ws, "Ada")
    _, newer = start(ws, "Ben")
    visits.set_resume_point(ws, older.id, "room:3")
    resumed = visits.newest_in_progress(ws)
    assert resumed is not None
    assert resumed.id == older.id
    assert resumed.resume_at == "room:3"
    visits.finish_assessment(ws, older.id)
    resumed = visits.newest_in_progress(ws)
    assert resumed is not None
    assert resumed.id == newer.id


def test_finishing_records_the_plan_and_keeps_ticks(ws: Workspace) -> None:
    _, info = start(ws)
    hall = room_id(ws, info.id, "hallway")
    visits.record_answer(ws, info.id, "room.floors.rugs", hall, "no")
    visits.record_answer(ws, info.id, "room.clutter.cords", hall, "no")
    finished = visits.finish_assessment(ws, info.id)
    result, plan = finished.result, finished.plan
    listed = visits.get_info(ws, info.id)
    assert (listed.status, listed.level, listed.score) == (
        "completed",
        result.level_range.key,
        result.score,
    )
    actions = visits.list_actions(ws, info.id)
    assert {(a.item, a.room) for a in actions} == {(a.item, a.room) for a in plan.actions}
    rug = next(a for a in actions if a.item == "room.floors.rugs")
    done = visits.mark_action(ws, rug.id, "done", done_on=date(2026, 12, 1))
    assert (done.status, done.done_on) == ("done", date(2026, 12, 1))
    with pytest.raises(ConflictError):
        visits.mark_action(ws, rug.id, "open", expected_version=rug.version)
    visits.finish_assessment(ws, info.id)  # finishing again keeps the tick
    again = next(a for a in visits.list_actions(ws, info.id) if a.item == "room.floors.rugs")
    assert again.status == "done"


def test_compare_with_the_previous_visit(ws: Workspace) -> None:
    person_id, first = start(ws, when=date(2026, 6, 1))
    hall = room_id(ws, first.id, "hallway")
    bath = room_id(ws, first.id, "bathroom")
    visits.record_answer(ws, first.id, "room.floors.rugs", hall, "no")
    visits.record_answer(ws, first.id, "room.bath.mat", bath, "no")
    visits.record_answer(ws, first.id, "room.clutter.cords", hall, "no")
    visits.finish_assessment(ws, first.id)
    assert visits.compare_with_previous(ws, first.id) is None
    second = visits.start_assessment(
        ws, person_id, "Carol", Mode.CAREGIVER, Mode.CAREGIVER, visit_date=date(2026, 9, 1)
    )
    hall2 = room_id(ws, second.id, "hallway")
    bath2 = room_id(ws, second.id, "bathroom")
    visits.record_answer(ws, second.id, "room.floors.rugs", hall2, "yes")  # fixed
    visits.record_answer(ws, second.id, "room.bath.mat", bath2, "no")  # still open
    visits.record_answer(ws, second.id, "room.light.bright", hall2, "no")  # new
    comparison = visits.compare_with_previous(ws, second.id)
    assert comparison is not None
    assert comparison.previous_id == first.id
    assert [c.item for c in comparison.fixed] == ["room.floors.rugs"]
    assert [c.item for c in comparison.still_open] == ["room.bath.mat"]
    assert [c.item for c in comparison.new] == ["room.light.bright"]
    assert [c.item for c in comparison.not_checked] == ["room.clutter.cords"]
    assert comparison.score_change == comparison.score_now - comparison.score_then


def test_visits_are_listed_newest_first_and_searchable(ws: Workspace) -> None:
    start(ws, "Ada", when=date(2026, 1, 5))
    start(ws, "Ben", when=date(2026, 3, 5))
    page = visits.list_assessments(ws)
    assert [i.person_name for i in page.items] == ["Ben", "Ada"]
    assert [i.person_name for i in visits.list_assessments(ws, search="ad").items] == ["Ada"]


def test_assessment_refs_accept_a_unique_prefix(ws: Workspace) -> None:
    _, info = start(ws)
    assert visits.resolve_ref(ws, info.id[:6]) == info.id
    assert visits.resolve_ref(ws, info.id.upper()) == info.id
    with pytest.raises(NotFoundError):
        visits.resolve_ref(ws, "zzzzzz")
    with pytest.raises(NotFoundError):
        visits.resolve_ref(ws, info.id[:2])  # too short to guess from


# ---- photos -------------------------------------------------------------------------------------


def jpeg_with_location(path: Path, size: tuple[int, int]) -> Path:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    image.save(path, format="JPEG", exif=exif.tobytes())
    return path


def test_photos_are_downscaled_stripped_and_hashed(ws: Workspace, tmp_path: Path) -> None:
    _, info = start(ws)
    hall = room_id(ws, info.id, "hallway")
    original = jpeg_with_location(tmp_path / "rug.jpg", (4000, 3000))
    photo = visits.attach_photo(ws, info.id, "room.floors.rugs", hall, original)
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.original_sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
    stored = visits.load_assessment(ws, info.id, with_photos=True).photos[0]
    with Image.open(io.BytesIO(stored.data)) as image:
        assert image.size == (1600, 1200)
        assert not image.getexif()
    visits.remove_photo(ws, photo.id)
    assert visits.list_photos(ws, info.id) == []


def test_a_file_that_is_not_a_photo_is_refused(ws: Workspace, tmp_path: Path) -> None:
    _, info = start(ws)
    hall = room_id(ws, info.id, "hallway")
    fake = tmp_path / "holiday.jpg"
    fake.write_text("this is not a picture")
    with pytest.raises(InvalidInputError, match="is not a photo"):
        visits.attach_photo(ws, info.id, "room.floors.rugs", hall, fake)
    with pytest.raises(InvalidInputError, match="is a folder"):
        visits.attach_photo(ws, info.id, "room.floors.rugs", hall, tmp_path)
    assert visits.list_photos(ws, info.id) == []


# ---- export and import --------------------------------------------------------------------------


def normalised(document: dict[str, Any], ids: dict[str, int] | None = None) -> dict[str, Any]:
    """The document with every id replaced by its order of first appearance, no export time."""
    ids = {} if ids is None else ids
    text = json.dumps({k: v for k, v in document.items() if k != "exported_at"}, sort_keys=True)
    return json.loads(
        re.sub(r'"[0-9a-f]{32}"', lambda m: f'"id{ids.setdefault(m.group(0), len(ids))}"', text)
    )


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_examples_import_and_export_losslessly(ws: Workspace, path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    first = import_document(ws, document)
    exported = export_document(ws, first)
    second = import_document(ws, exported)
    again = export_document(ws, second)
    assert normalised(exported) == normalised(again)
    for key in ("person", "rooms"):
        assert len(exported[key]) == len(document[key])
    assert len(exported["answers"]) == len(document["answers"])


def test_import_with_photos_and_ticks_round_trips(ws: Workspace, tmp_path: Path) -> None:
    _, info = start(ws)
    hall = room_id(ws, info.id, "hallway")
    visits.record_answer(ws, info.id, "room.floors.rugs", hall, "no", note="Ω ünïcode <b>")
    visits.attach_photo(
        ws, info.id, "room.floors.rugs", hall, jpeg_with_location(tmp_path / "a.jpg", (300, 200))
    )
    visits.finish_assessment(ws, info.id)
    rug = next(a for a in visits.list_actions(ws, info.id) if a.item == "room.floors.rugs")
    visits.mark_action(ws, rug.id, "done", done_on=date(2026, 12, 2), note="taped down")
    exported = export_document(ws, info.id)
    copy = import_document(ws, exported)
    assert normalised(export_document(ws, copy)) == normalised(exported)
    copied = visits.load_assessment(ws, copy, with_photos=True)
    assert len(copied.photos) == 1
    assert copied.photos[0].width == 300
    assert any(a.status == "done" and a.note == "taped down" for a in copied.actions)


def test_import_is_all_or_nothing(ws: Workspace) -> None:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    document["answers"][-1]["value"] = "perhaps"
    with pytest.raises(Exception, match=r"answers\[\d+\]\.value"):
        import_document(ws, document)
    assert len(list_people(ws).items) == 0
    assert len(visits.list_assessments(ws).items) == 0


def pixel_photo() -> dict[str, Any]:
    """A valid photo entry of the interchange file: a one-pixel PNG."""
    pixel = io.BytesIO()
    Image.new("RGB", (1, 1)).save(pixel, format="PNG")
    return {
        "id": "x",
        "item": "steadi.si.01",
        "room": None,
        "filename": "f.png",
        "media_type": "image/png",
        "width": 1,
        "height": 1,
        "data": base64.b64encode(pixel.getvalue()).decode(),
        "original_sha256": "",
        "original_bytes": 0,
    }


def test_import_rolls_back_when_the_database_refuses_part_of_it(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetycheck.store.errors import ConcurrentEditError
    from safetycheck.store.repositories import SqlVisitRepository

    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    # A real one-pixel photo, so the file is valid until the database refuses it.
    document["photos"] = [pixel_photo()]
    real_add = SqlVisitRepository.add

    def refused_half_way(self: SqlVisitRepository, *args: Any, **kwargs: Any) -> str:
        real_add(self, *args, **kwargs)  # the person, visit, rooms, answers and photo are in
        raise ConcurrentEditError("UNIQUE constraint failed")  # then the database says no

    monkeypatch.setattr(SqlVisitRepository, "add", refused_half_way)
    with pytest.raises(InvalidInputError, match="could not be imported"):
        import_document(ws, document)
    monkeypatch.undo()
    assert len(list_people(ws).items) == 0
    assert len(visits.list_assessments(ws).items) == 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(assessment=assessments(load_content()))
def test_generated_assessments_survive_import_and_export(
    ws: Workspace, assessment: Assessment
) -> None:
    assume(assessment.person.name.strip())
    new_id = import_assessment(ws, assessment)
    back = assessment_from_document(export_document(ws, new_id), ws.content.checklist)
    rooms = {old.id: new.id for old, new in zip(assessment.rooms, back.rooms, strict=True)}
    assert [(r.kind, r.name, r.night_route, r.stairs_daily) for r in back.rooms] == [
        (r.kind, r.name, r.night_route, r.stairs_daily) for r in assessment.rooms
    ]

    def key(answer: Answer) -> tuple[str, str]:
        return (answer.item, answer.room or "")

    expected = sorted(
        (replace(a, room=rooms[a.room] if a.room else None) for a in assessment.answers), key=key
    )
    assert sorted(back.answers, key=key) == expected
    assert (back.person.id, back.assessor, back.mode, back.date, back.status) == (
        assessment.person.id,
        assessment.assessor,
        assessment.mode,
        assessment.date,
        assessment.status,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"data": "bm90IGEgcGljdHVyZQ=="}, "is not a picture"),
        ({"width": 10**20}, "must be a whole number from 1 to 20000"),
        ({"media_type": "image/jpeg"}, "says image/jpeg but the data is image/png"),
        ({"width": 2}, "says 2 x 1 but the picture is 1 x 1"),
    ],
)
def test_import_refuses_photos_that_are_not_what_they_claim(
    ws: Workspace, change: dict[str, Any], message: str
) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    photo = pixel_photo()
    photo.update(change)
    document["photos"] = [photo]
    with pytest.raises(ExchangeError, match=re.escape(message)):
        import_document(ws, document)
    assert len(list_people(ws).items) == 0


def test_import_keeps_the_moment_of_each_answer(ws: Workspace) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document["answers"][0]["answered_at"] = "2026-11-26T10:15:00+05:00"
    exported = export_document(ws, import_document(ws, document))
    moment = datetime.fromisoformat(exported["answers"][0]["answered_at"])
    assert moment == datetime.fromisoformat("2026-11-26T10:15:00+05:00")


def test_a_finished_visit_always_has_its_actions_to_tick(ws: Workspace) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())  # no "actions" in it
    imported = import_document(ws, document)
    plan = visits.evaluate_visit(ws, imported).plan
    stored = visits.list_actions(ws, imported)
    assert {(a.kind, a.item, a.room) for a in stored} == {
        (a.kind, a.item, a.room) for a in plan.actions
    }
    # A change to the finished visit brings its new hazard into the actions too.
    loaded = visits.load_assessment(ws, imported)
    hall = next(r.id for r in loaded.rooms if r.kind == "hallway")
    version = visits.load_visit(ws, imported).versions[("room.floors.rugs", hall)]
    visits.record_answer(ws, imported, "room.floors.rugs", hall, "no", expected_version=version)
    assert any(a.item == "room.floors.rugs" for a in visits.list_actions(ws, imported))
