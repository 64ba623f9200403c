"""The bundled content is valid and complete; broken content fails saying where and why."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from safetycheck.content import Content, ContentError, load_content
from safetycheck.domain.checklist import AnswerType, Page
from safetycheck.resources import data_dir

LOINC_SI = [
    "52552-7",
    "97875-9",
    "97876-7",
    "97877-5",
    "97878-3",
    "97879-1",
    "97880-9",
    "97881-7",
    "97882-5",
    "97883-3",
    "97884-1",
    "48527-6",
]


def test_stay_independent_items_in_brochure_order_with_loinc(content: Content) -> None:
    si = [item for item in content.checklist.items if item.id.startswith("steadi.si.")]
    assert [item.id for item in si] == [f"steadi.si.{n:02d}" for n in range(1, 13)]
    assert [item.loinc for item in si] == LOINC_SI
    assert all(item.type is AnswerType.YESNO and item.page is Page.PERSON for item in si)


def test_every_area_of_the_product_is_covered(content: Content) -> None:
    categories = {item.category for item in content.checklist.items}
    assert {
        "floors",
        "clutter",
        "lighting",
        "stairs",
        "bathroom",
        "kitchen",
        "outside",
        "footwear",
        "brace",
        "person",
        "habits",
    } <= categories
    kinds_with_checks = {
        kind for item in content.checklist.items_on(Page.ROOM) for kind in item.rooms
    }
    for kind in content.checklist.room_kinds:
        assert "*" in kinds_with_checks or kind.id in kinds_with_checks


def test_every_item_cites_a_known_source_and_hazards_have_actions(content: Content) -> None:
    checklist = content.checklist
    for item in checklist.items:
        assert item.sources, item.id
        for citation in item.sources:
            checklist.source(citation.source)
        if item.is_hazard_item:
            assert item.action is not None, item.id
            assert item.finding, item.id


def test_checks_are_questions_answered_yes_when_safe(content: Content) -> None:
    for item in content.checklist.items:
        assert item.text.endswith("?"), item.id
        if item.type is AnswerType.CHECK:
            assert item.hazard_if == ("no",), item.id


def test_ot_measurements_have_units_and_thresholds(content: Content) -> None:
    measures = [i for i in content.checklist.items if i.type is AnswerType.MEASURE]
    assert measures
    gait_tests = {test.item for test in content.model.stratification.gait}
    assert gait_tests == {"person.gait.tug", "person.gait.speed"}
    for item in measures:
        assert item.mode == "ot"
        assert item.unit
        # A measurement finds a hazard past a threshold, or is a gait test the level uses.
        has_threshold = item.hazard_below is not None or item.hazard_above is not None
        assert has_threshold != (item.id in gait_tests), item.id


def test_every_weight_names_its_source(content: Content) -> None:
    model = content.model
    for factor in model.factors:
        assert factor.source
        assert factor.evidence in ("verified", "secondary", "design choice")
    for rule in model.interactions:
        assert rule.source
    for weighted in (
        model.shrinkage,
        model.overlap_decay,
        model.vulnerability_half,
        model.environment_floor,
        model.environment_cap,
        *model.severity.values(),
    ):
        assert weighted.source


def test_data_dir_is_the_package_folder() -> None:
    folder = data_dir()
    assert (folder / "checklist" / "checklist.toml").is_file()
    assert (folder / "model" / "model.toml").is_file()


# ---- broken content ---------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def error_for(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value)


def test_the_copy_loads(data_copy: Path) -> None:
    assert load_content(data_copy).checklist.version


def test_broken_toml_names_the_file_and_line(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "rooms.toml", 'id = "room.floors.rugs"', 'id = "room.floors.rugs'
    )
    message = error_for(data_copy)
    assert "rooms.toml" in message
    assert "not valid TOML" in message
    assert "line" in message


def test_unknown_severity_names_file_item_and_problem(data_copy: Path) -> None:
    path = data_copy / "checklist" / "rooms.toml"
    text = path.read_text()
    start = text.index('id = "room.floors.rugs"')
    sev = text.index('severity = "major"', start)
    path.write_text(text[:sev] + 'severity = "big"' + text[sev + len('severity = "major"') :])
    message = error_for(data_copy)
    assert "rooms.toml" in message
    assert "room.floors.rugs" in message
    assert "severity 'big' is not one of minor, moderate, major" in message


def test_missing_help_is_reported(data_copy: Path) -> None:
    path = data_copy / "checklist" / "footwear.toml"
    text = path.read_text()
    first = re.search(r'^help = ".*"$', text, flags=re.M)
    assert first is not None
    path.write_text(text[: first.start()] + text[first.end() :])
    message = error_for(data_copy)
    assert "footwear.toml" in message
    assert "'help' is missing" in message


def test_unknown_source_is_reported(data_copy: Path) -> None:
    edit(data_copy / "checklist" / "brace.toml", 'src = "afo"', 'src = "hearsay"')
    message = error_for(data_copy)
    assert "brace.toml" in message
    assert "src 'hearsay' is not one of" in message


def test_unknown_room_kind_is_reported(data_copy: Path) -> None:
    edit(data_copy / "checklist" / "rooms.toml", 'rooms = ["bedroom"]', 'rooms = ["attic"]')
    message = error_for(data_copy)
    assert "rooms: 'attic' is not one of" in message


def test_duplicate_id_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "rooms.toml", 'id = "room.floors.even"', 'id = "room.floors.rugs"'
    )
    message = error_for(data_copy)
    assert "item 'room.floors.rugs'" in message
    assert "used by another item" in message


def test_condition_on_unknown_item_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "person.toml",
        '"person.fd.present == yes"',
        '"person.fd.presnet == yes"',
    )
    message = error_for(data_copy)
    assert "person.fd.presnet" in message
    assert "not an earlier item" in message


def test_condition_with_an_impossible_value_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "person.toml",
        '"person.fd.present == yes"',
        '"person.fd.present == maybe"',
    )
    assert "'maybe' is not an answer of 'person.fd.present'" in error_for(data_copy)


def test_condition_syntax_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "person.toml",
        '"person.fd.present == yes"',
        '"person.fd.present is yes"',
    )
    assert "is not of the form" in error_for(data_copy)


def test_check_cannot_turn_yes_into_the_hazard(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "rooms.toml",
        'id = "room.floors.rugs"',
        'id = "room.floors.rugs"\nhazard_if = ["yes"]',
    )
    message = error_for(data_copy)
    assert "room.floors.rugs" in message
    assert "Yes means safe" in message


def test_unknown_key_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "checklist" / "rooms.toml",
        'id = "room.floors.rugs"',
        'id = "room.floors.rugs"\nseverty = "major"',
    )
    message = error_for(data_copy)
    assert "room.floors.rugs" in message
    assert "unknown key severty" in message


def test_missing_stay_independent_item_is_reported(data_copy: Path) -> None:
    edit(data_copy / "checklist" / "person.toml", 'id = "steadi.si.12"', 'id = "steadi.si.99"')
    assert "steadi.si.12 missing" in error_for(data_copy)


def test_unlisted_item_file_is_reported(data_copy: Path) -> None:
    (data_copy / "checklist" / "extra.toml").write_text("items = []\n")
    assert "extra.toml not listed" in error_for(data_copy)


def test_missing_file_is_reported(data_copy: Path) -> None:
    (data_copy / "checklist" / "brace.toml").unlink()
    message = error_for(data_copy)
    assert "brace.toml: file not found" in message


def test_model_factor_on_unknown_item_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "model" / "model.toml",
        '"person.night_toilet == twice"',
        '"person.night_toilets == twice"',
    )
    message = error_for(data_copy)
    assert "model.toml" in message
    assert "factor 'nocturia'" in message
    assert "person.night_toilets" in message


def test_model_weight_without_source_is_reported(data_copy: Path) -> None:
    edit(
        data_copy / "model" / "model.toml",
        'shrinkage = { value = 0.6, source = "design choice: multiply ln(OR) by 0.5-0.7 to allow '
        'for overlap between univariate figures (clinical.md section 4.3)" }',
        "shrinkage = { value = 0.6 }",
    )
    message = error_for(data_copy)
    assert "model.toml" in message
    assert "shrinkage" in message
    assert "'source' is missing" in message


def test_model_protective_odds_ratio_is_rejected(data_copy: Path) -> None:
    edit(data_copy / "model" / "model.toml", "odds_ratio = 2.8", "odds_ratio = 0.8")
    message = error_for(data_copy)
    assert "factor 'fall_history'" in message
    assert "odds_ratio must be above 1" in message


def test_model_severity_order_is_checked(data_copy: Path) -> None:
    edit(data_copy / "model" / "model.toml", "major = { value = 0.07", "major = { value = 0.01")
    assert "must rise from minor to moderate to major" in error_for(data_copy)


def test_every_source_says_how_it_was_checked_and_nothing_reads_as_a_draft(
    content: Content,
) -> None:
    from safetycheck.domain.checklist import SOURCE_CHECKS

    for source in content.checklist.sources:
        assert source.checked in SOURCE_CHECKS, source.id
    drafts = ("to be confirmed", "recalled", "to be checked", "to be reviewed")
    folder = data_dir()
    for path in [*sorted((folder / "checklist").glob("*.toml")), folder / "model" / "model.toml"]:
        text = path.read_text(encoding="utf-8").lower()
        for word in drafts:
            assert word not in text, f"{path.name}: {word!r}"


def test_every_screening_route_leads_to_an_action(content: Content) -> None:
    model = content.model
    advised = {factor.id for factor in model.factors if factor.advice is not None}
    # Fear of falling, furniture-walking, curb trouble and nocturia had no advice in 1.0.
    assert {"fear_of_falling", "furniture_walking", "curb_trouble", "nocturia"} <= advised
    assert advised == {factor.id for factor in model.factors}
    assert set(model.stratification.advice) == {"assessment", "gait_test", "high", "moderate"}
    cause = next(rule for rule in model.screening if rule.id == "foot_drop_cause")
    assert {str(c) for c in cause.when} == {"person.fd.cause == unknown", "person.fd.seen == no"}


def test_the_stratification_names_the_items_the_issue_fixed(content: Content) -> None:
    rule = content.model.stratification
    checklist = content.checklist
    assert rule.faller == "steadi.si.01"
    assert {str(sign.when) for sign in rule.signs} == {
        "person.falls.count == two_or_more",
        "person.fall.injured == yes",
        "person.fall.long_lie == yes",
        "person.fall.blackout == yes",
    }
    for item_id in ("person.falls.count", "person.fall.injured", "person.fall.long_lie"):
        assert [str(c) for c in checklist.item(item_id).applies_if] == ["steadi.si.01 == yes"]
    assert len(rule.frail_items) == 5
    assert rule.frail_from == 3
    assert {(t.item, t.impaired_above, t.impaired_below) for t in rule.gait} == {
        ("person.gait.tug", 15.0, None),
        ("person.gait.speed", None, 0.8),
    }
    assert checklist.item("person.gait.tug").unit == "s"
    assert checklist.item("person.gait.speed").unit == "m/s"


def test_a_gait_result_that_cannot_be_real_is_refused(content: Content) -> None:
    from safetycheck.domain.assessment import AnswerValueError, check_answer

    tug = content.checklist.item("person.gait.tug")
    assert check_answer(tug, 12.5) == (12.5, "s")
    for impossible in (0.0, 1.0, 5000.0):
        with pytest.raises(AnswerValueError, match="not a plausible result"):
            check_answer(tug, impossible)
    speed = content.checklist.item("person.gait.speed")
    with pytest.raises(AnswerValueError, match="not a plausible result"):
        check_answer(speed, 12.0)  # metres per second: a sprinter, or a typing mistake


# ---- questions asked once for the whole home (checklist 2.1) -----------------------------------


def test_the_whole_home_checks_load_with_no_room_and_keep_their_topic(content: Content) -> None:
    checklist = content.checklist
    home = checklist.items_on(Page.HOME)
    assert [item.id for item in home] == ["home.floors.pets", "home.light.bulbs"]
    for item in home:
        assert item.rooms == ()
        assert item.person_level  # asked once: its answer has no room
        assert item.red_flag is None
        assert item.is_hazard_item
        assert item.action is not None
    # No hazard topic was dropped: each question retired for one asked once names the same
    # finding, severity and tags as before.
    assert checklist.item("home.floors.pets").finding == "Pet underfoot"
    assert checklist.item("home.light.bulbs").finding == "Burned-out bulb"
    for old_id in ("room.floors.pets", "room.light.bulbs"):
        retired = checklist.retired_item(old_id)
        assert retired is not None
        assert retired.per_room
        assert retired.rooms == ("*",)
        assert retired.since == "2.1"
        assert checklist.item(retired.replaced_by).page is Page.HOME
    assert checklist.version == "2.2"
    assert checklist.readable_versions == ("1.0", "2.0", "2.1", "2.2")


def test_a_whole_home_check_cannot_be_given_rooms_or_a_red_flag(data_copy: Path) -> None:
    home = data_copy / "checklist" / "home.toml"
    text = home.read_text(encoding="utf-8")
    edit(
        home,
        'page = "home"\ncategory = "floors"',
        'page = "home"\nrooms = ["*"]\ncategory = "floors"',
    )
    assert "'rooms' is only for items on the room page" in error_for(data_copy)
    home.write_text(
        text
        + '\n[[items]]\nid = "home.alarm"\npage = "home"\ncategory = "floors"\ntype = "yesno"\n'
        'text = "x?"\nhelp = "x."\nsources = [{ src = "cdc-cfs", ref = "x" }]\n'
        'red_flag = { if = ["yes"], urgency = "today", text = "x" }\n',
        encoding="utf-8",
    )
    assert "a red-flag question is a yes/no question about the person" in error_for(data_copy)


def test_a_question_retired_per_room_says_where_it_was_asked(data_copy: Path) -> None:
    main = data_copy / "checklist" / "checklist.toml"
    edit(
        main,
        'per_room = true\nrooms = ["*"]\nwhy = "Asked in every room. Replaced by home.floors',
        'per_room = true\nwhy = "Asked in every room. Replaced by home.floors',
    )
    assert "retired item room.floors.pets: 'rooms' must say where it was asked" in error_for(
        data_copy
    )


def test_a_per_room_answer_is_carried_only_to_a_question_asked_once(data_copy: Path) -> None:
    main = data_copy / "checklist" / "checklist.toml"
    edit(main, 'replaced_by = "home.floors.pets"', 'replaced_by = "room.floors.rugs"')
    assert "replaced_by 'room.floors.rugs' is asked per room" in error_for(data_copy)


def test_the_versions_read_are_earlier_and_in_order(data_copy: Path) -> None:
    main = data_copy / "checklist" / "checklist.toml"
    text = main.read_text(encoding="utf-8")
    edit(main, 'reads = ["1.0", "2.0", "2.1"]', 'reads = ["2.0", "1.0", "2.1"]')
    assert "'reads' must list earlier versions" in error_for(data_copy)
    main.write_text(text, encoding="utf-8")
    edit(main, 'reads = ["1.0", "2.0", "2.1"]', 'reads = ["1.0", "2.2"]')
    assert "'reads' must list earlier versions" in error_for(data_copy)
    main.write_text(text, encoding="utf-8")
    edit(main, 'reads = ["1.0", "2.0", "2.1"]', 'reads = ["2.0", "2.1"]')
    assert "retired item person.fd.sudden: since '2.0' is not a version after" in error_for(
        data_copy
    )
