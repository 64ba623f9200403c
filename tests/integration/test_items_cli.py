"""`safetycheck items --json`: the checklist as data for other programs (docs/items.md)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from support import assert_bad_input, cli

from safetycheck.content import Content
from safetycheck.domain.assessment import Answer, is_hazard
from safetycheck.domain.checklist import AnswerType, Checklist, Mode
from safetycheck.domain.conditions import Condition
from safetycheck.exchange.items_json import items_document

MODES = ("caregiver", "ot")
DOCUMENT_KEYS = [
    "format",
    "format_version",
    "checklist_version",
    "mode",
    "room_kinds",
    "categories",
    "urgencies",
    "sources",
    "items",
]
ITEM_KEYS = [
    "id",
    "page",
    "rooms",
    "type",
    "text",
    "help",
    "category",
    "mode",
    "choices",
    "unit",
    "units",
    "applies_when",
    "applies_if",
    "red_flag",
    "red_flag_label",
    "safe",
    "loinc",
    "sources",
]


def items_json(mode: str | None = None) -> dict[str, Any]:
    process = cli("items", "--json", *(["--mode", mode] if mode else []))
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    document: dict[str, Any] = json.loads(process.stdout)
    return document


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in document["items"]}


@pytest.fixture(scope="module", params=MODES)
def mode_document(request: pytest.FixtureRequest) -> dict[str, Any]:
    return items_json(str(request.param))


def test_the_document_and_every_item_have_their_keys_in_order(
    mode_document: dict[str, Any], content: Content
) -> None:
    assert list(mode_document) == DOCUMENT_KEYS
    assert mode_document["format"] == "safetycheck.items"
    assert mode_document["format_version"] == 1
    assert mode_document["checklist_version"] == content.checklist.version == "2.2"
    for item in mode_document["items"]:
        assert list(item) == ITEM_KEYS, item["id"]
        assert item["page"] in ("person", "home", "room", "footwear", "brace")
        assert item["type"] in ("yesno", "check", "choice", "measure")
        assert item["text"]
        assert item["help"]
        assert item["category"] in {c["id"] for c in mode_document["categories"]}
        sources = {s["id"] for s in mode_document["sources"]}
        assert item["sources"]
        assert all(s["source"] in sources for s in item["sources"])


def test_the_mode_is_caregiver_unless_asked_and_the_output_is_stable() -> None:
    default = cli("items", "--json")
    assert default.stdout == cli("items", "--json", "--mode", "caregiver").stdout
    assert default.stdout == cli("items", "--json").stdout
    assert json.loads(default.stdout)["mode"] == "caregiver"
    assert items_json("ot")["mode"] == "ot"


@pytest.mark.parametrize("mode", MODES)
def test_every_item_asked_in_the_mode_appears_once_in_order(mode: str, content: Content) -> None:
    ids = [item["id"] for item in items_json(mode)["items"]]
    assert len(ids) == len(set(ids))
    asked = [item.id for item in content.checklist.items if item.asked_in(Mode(mode))]
    assert ids == asked


def test_ot_mode_has_every_caregiver_item_and_more(content: Content) -> None:
    caregiver = [item["id"] for item in items_json("caregiver")["items"]]
    ot = [item["id"] for item in items_json("ot")["items"]]
    assert set(caregiver) < set(ot)
    assert len(ot) == len(content.checklist.items)
    only_ot = set(ot) - set(caregiver)
    assert {"person.gait.tug", "person.gait.speed", "room.stairs.ot.riser"} <= only_ot
    assert all(by_id(items_json("ot"))[i]["mode"] == "ot" for i in only_ot)


def test_stay_independent_items_are_safe_on_no_and_carry_their_loinc_codes(
    content: Content,
) -> None:
    items = [item for item in items_json()["items"] if item["id"].startswith("steadi.si.")]
    assert len(items) == 12
    for item in items:
        assert item["type"] == "yesno"
        assert item["safe"] == ["no"]
        assert item["choices"] == [
            {"value": "yes", "label": "Yes"},
            {"value": "no", "label": "No"},
        ]
        assert item["loinc"] == content.checklist.item(item["id"]).loinc
        assert item["loinc"]
        assert item["loinc"][-2] == "-"
    assert by_id(items_json())["steadi.si.01"]["loinc"] == "52552-7"


def test_a_check_is_safe_on_yes_and_not_applicable(mode_document: dict[str, Any]) -> None:
    checks = [item for item in mode_document["items"] if item["type"] == "check"]
    assert len(checks) > 50
    for item in checks:
        assert item["safe"] == ["yes", "na"], item["id"]
        assert item["choices"] == [
            {"value": "yes", "label": "Yes"},
            {"value": "no", "label": "No"},
            {"value": "na", "label": "Not applicable"},
        ]
        assert item["unit"] is None
        assert item["units"] is None


def test_safe_answers_are_answers_of_the_item(mode_document: dict[str, Any]) -> None:
    for item in mode_document["items"]:
        if item["type"] == "measure":
            assert item["choices"] is None
            continue
        values = [choice["value"] for choice in item["choices"]]
        assert set(item["safe"]) <= set(values), item["id"]
        assert len(values) == len(set(values))
        assert all(choice["label"] for choice in item["choices"])


def test_a_question_that_records_a_fact_has_no_safe_answer() -> None:
    items = by_id(items_json())
    assert items["person.fd.side"]["safe"] == []
    assert items["person.falls.count"]["safe"] == []
    assert items["person.fd.seen"]["safe"] == ["yes"]  # declared in the content
    assert items["footwear.indoor"]["safe"] == ["shoes", "slippers_closed"]


def test_red_flags_are_yes_no_questions_with_an_urgency(
    mode_document: dict[str, Any], content: Content
) -> None:
    flagged = [item for item in mode_document["items"] if item["red_flag"] is not None]
    assert {item["red_flag"] for item in flagged} == {"emergency", "today", "soon"}
    assert {tier["urgency"] for tier in mode_document["urgencies"]} == {
        "emergency",
        "today",
        "soon",
    }
    for item in flagged:
        red_flag = content.checklist.item(item["id"]).red_flag
        assert red_flag is not None
        assert item["red_flag"] == red_flag.urgency.value
        assert item["red_flag_label"] == red_flag.text
        assert item["type"] == "yesno"
        assert item["safe"] == ["no"]  # Yes is the warning sign, and there is no "na"
    unflagged = [item for item in mode_document["items"] if item["red_flag"] is None]
    assert all(item["red_flag_label"] is None for item in unflagged)
    assert by_id(mode_document)["person.rf.bladder_bowel"]["red_flag"] == "emergency"
    assert by_id(mode_document)["brace.skin.red30"]["red_flag"] == "soon"


def test_rooms_are_room_kinds_and_every_room_is_spelled_out(
    mode_document: dict[str, Any], content: Content
) -> None:
    kinds = [kind.id for kind in content.checklist.room_kinds]
    assert [kind["id"] for kind in mode_document["room_kinds"]] == kinds
    everywhere = 0
    for item in mode_document["items"]:
        rooms = content.checklist.item(item["id"]).rooms
        if item["page"] != "room":
            assert item["rooms"] is None
        elif "*" in rooms:
            everywhere += 1
            assert item["rooms"] == kinds, item["id"]
        else:
            assert item["rooms"] == list(rooms)
            assert set(item["rooms"]) <= set(kinds)
    # Checks asked in every room would be asked over and over: they belong to the whole home
    # (pets and bulbs moved to "Around the home" in checklist 2.1).
    assert everywhere == 0
    assert "*" not in json.dumps([item["rooms"] for item in mode_document["items"]])


def test_measures_have_a_safe_range_and_gait_tests_the_models_cut_offs(content: Content) -> None:
    items = by_id(items_json("ot"))
    measures = [item for item in items.values() if item["type"] == "measure"]
    assert len(measures) >= 7
    for item in measures:
        assert set(item["safe"]) == {"min", "max"}
        assert item["unit"] in ("mm", "s", "m/s", "lux", "count")
        assert item["units"] == (["mm", "in"] if item["unit"] == "mm" else [item["unit"]])
    assert items["person.gait.tug"]["safe"] == {"min": None, "max": 15}
    assert items["person.gait.speed"]["safe"] == {"min": 0.8, "max": None}
    gait = {test.item: test for test in content.model.stratification.gait}
    assert items["person.gait.tug"]["safe"]["max"] == gait["person.gait.tug"].impaired_above
    assert items["person.gait.speed"]["safe"]["min"] == gait["person.gait.speed"].impaired_below
    assert items["room.bath.ot.toilet_height"]["safe"] == {"min": 430, "max": 485}
    assert items["room.stairs.ot.riser"]["safe"] == {"min": None, "max": 197}
    assert items["room.stairs.ot.riser"]["unit"] == "mm"


def test_a_safe_range_agrees_with_what_scores_a_hazard(content: Content) -> None:
    """Both ends are safe, just outside is a hazard: the range is in the unit is_hazard uses."""
    items = by_id(items_json("ot"))
    checked = 0
    for item_id, entry in items.items():
        item = content.checklist.item(item_id)
        if item.type is not AnswerType.MEASURE or not item.is_hazard_item:
            continue
        for end, outside in (("min", -0.5), ("max", 0.5)):
            limit = entry["safe"][end]
            if limit is None:
                continue
            checked += 1
            assert not is_hazard(item, Answer(item_id, "r1", float(limit), unit=item.unit))
            assert is_hazard(item, Answer(item_id, "r1", limit + outside, unit=item.unit))
    assert checked >= 5


def test_applies_when_words_the_conditions() -> None:
    items = by_id(items_json())
    assert items["person.fd.side"]["applies_when"] == (
        "Only if 'Does the person have foot drop (toes catch or drag, or the foot slaps "
        "down)?' is Yes"
    )
    assert items["person.fd.side"]["applies_if"] == [
        {"subject": "person.fd.present", "operator": "==", "values": ["yes"]}
    ]
    assert items["footwear.afo_room"]["applies_when"] == (
        "Only if 'Does the person wear a brace or device for the foot drop?' is "
        "Ankle-foot brace (AFO) or Another brace or splint"
    )
    two = items["brace.night"]["applies_when"]
    assert two is not None
    assert two.count("Only if") == 1
    assert ", and 'Does the person get up" in two
    for item in items.values():
        assert (item["applies_when"] is None) == (item["applies_if"] == []), item["id"]
        assert item["applies_when"] is None or item["applies_when"].startswith("Only ")


def test_mode_conditions_are_worded_and_an_item_never_asked_in_the_mode_is_left_out(
    content: Content,
) -> None:
    """Built from the real checklist with three items changed: one asked only in OT mode by a
    condition, one that hangs on an OT-only question, one asked only in caregiver mode."""
    checklist = content.checklist
    changed = {
        "person.diabetes": dataclasses.replace(
            checklist.item("person.diabetes"),
            applies_if=(Condition.parse("mode == ot"), Condition.parse("steadi.si.01 == yes")),
        ),
        "person.vision": dataclasses.replace(
            checklist.item("person.vision"),
            applies_if=(Condition.parse("person.walking_aid in walker|wheelchair"),),
        ),
        "person.medicines": dataclasses.replace(
            checklist.item("person.medicines"), applies_if=(Condition.parse("mode != ot"),)
        ),
    }
    items = tuple(changed.get(item.id, item) for item in checklist.items)
    gait = content.model.stratification.gait
    built: Checklist = dataclasses.replace(checklist, items=items)
    caregiver = by_id(items_document(built, gait, Mode.CAREGIVER))
    ot = by_id(items_document(built, gait, Mode.OT))
    assert "person.diabetes" not in caregiver
    assert "person.vision" not in caregiver
    assert "person.medicines" not in ot
    assert ot["person.diabetes"]["applies_when"] == (
        "Only in OT mode, and only if 'Have you fallen in the past year?' is Yes"
    )
    assert caregiver["person.medicines"]["applies_when"] == "Only not in OT mode"
    assert ot["person.vision"]["applies_when"].startswith(
        "Only if 'What does the person use to walk around at home?' is "
    )
    # What hangs on a question left out is left out too: the blood-sugar habit asks diabetics.
    assert "person.habit.blood_sugar" not in caregiver
    assert "person.habit.blood_sugar" in ot


def test_without_json_a_short_table_lists_every_item(content: Content) -> None:
    process = cli("items", "--mode", "ot")
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert lines[0].startswith(f"Checklist 2.2, ot mode: {len(content.checklist.items)} questions")
    assert lines[1].split() == ["ID", "TYPE", "SAFE", "RED", "FLAG", "QUESTION"]
    assert [line.split()[0] for line in lines[2:]] == [i["id"] for i in items_json("ot")["items"]]
    tug = next(line for line in lines if line.startswith("person.gait.tug "))
    assert "<= 15 s" in tug
    toilet = next(line for line in lines if line.startswith("room.bath.ot.toilet_height "))
    assert "430-485 mm" in toilet


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("items", "--json", "--mode", "nurse"), "invalid choice: 'nurse'"),
        (("items", "--mode"), "expected one argument"),
        (("items", "--json", "extra"), "unrecognized arguments: extra"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_code_2(args: tuple[str, ...], fragment: str) -> None:
    assert_bad_input(cli(*args), fragment)


def test_the_command_needs_no_database_code() -> None:
    """A real process: neither SQLAlchemy nor ReportLab is imported to print the items."""
    code = textwrap.dedent(
        """
        import contextlib, io, json, sys
        from safetycheck.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(["--db", "sqlite:////nonexistent/folder/x.db", "items", "--json"])
        loaded = [name for name in ("sqlalchemy", "alembic", "reportlab") if name in sys.modules]
        items = json.loads(out.getvalue())["items"]
        print(json.dumps({"code": code, "loaded": loaded, "items": len(items)}))
        """
    )
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert process.returncode == 0, process.stderr
    found = json.loads(process.stdout)
    assert found["code"] == 0
    assert found["loaded"] == []
    assert found["items"] > 100
