"""The command line: its output and exit code. Most tests call `safetycheck.cli.main` in this
process (`cli`); the last few start the real entry point, `python -m safetycheck` (`run_cli`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import EXAMPLES, assert_bad_input, cli, run_cli

from safetycheck.content import Content
from safetycheck.resources import data_dir

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))
LEVELS = ["low", "moderate", "high"]
OLD_VISIT = Path(__file__).parent.parent / "files" / "checklist-1.0-visit.json"


def test_examples_are_shipped() -> None:
    assert len(EXAMPLE_FILES) >= 3


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_score_json_on_every_example(path: Path) -> None:
    process = cli("score", path, "--json")
    assert process.returncode == 0, process.stderr
    result = json.loads(process.stdout)
    assert (result["checklist_version"], result["model_version"]) == (
        "2.1",
        "2.0",
    )  # as the example was recorded
    assert result["complete"] is True
    assert result["unanswered"] == 0
    assert result["unanswered_red_flags"] == []
    lowest, highest = result["level_range"]
    assert LEVELS.index(lowest) <= LEVELS.index(highest)
    # The level is given exactly when the range has closed.
    assert result["level"] == (lowest if lowest == highest else None)
    assert sum(c["points"] for c in result["contributors"]) == result["score"]
    assert sum(r["points"] for r in result["rooms"]) == result["score"]
    assert 0 <= result["score_if_home_fixed"] <= result["score"]
    assert set(result["stay_independent"]) >= {"score", "missing", "at_risk"}
    assert isinstance(result["red_flags"], list)
    for contributor in result["contributors"]:
        assert set(contributor) >= {"label", "room", "points"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_score_text_on_every_example(path: Path) -> None:
    process = cli("score", path)
    assert process.returncode == 0, process.stderr
    assert "Fall risk:" in process.stdout
    assert "Stay Independent:" in process.stdout
    assert "does not replace" in process.stdout


def scored(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(cli("score", EXAMPLES / f"{name}.json", "--json").stdout)
    return result


def test_worked_examples_give_the_levels_in_the_docs() -> None:
    """docs/risk-model.md section 9 explains these three results step by step."""
    robust = scored("robust-cluttered-home")
    assert robust["level"] == "low"
    assert robust["level_range"] == ["low", "low"]
    assert robust["stay_independent"]["at_risk"] is False  # not case-found: low
    assert robust["score"] > 0  # the cluttered home shows in the score, not in the level
    assert robust["score_if_home_fixed"] == 0  # nothing about the person adds points
    assert {c["kind"] for c in robust["contributors"]} == {"hazard"}

    foot_drop = scored("foot-drop-afo-night")  # caregiver mode: no gait test is asked
    assert foot_drop["level"] is None
    assert foot_drop["level_range"] == ["low", "moderate"]
    assert foot_drop["complete"] is True
    assert foot_drop["stratification"]["missing"] == [
        "a gait and balance test (Timed Up and Go or gait speed)"
    ]
    assert foot_drop["actions"][0]["item"] == "stratification.gait_test"
    top = foot_drop["contributors"][0]
    assert top["label"] == "Foot drop"
    rug = next(c for c in foot_drop["contributors"] if c["item"] == "room.floors.rugs")
    assert "night route" in rug["label"]
    assert "foot drop" in rug["label"]
    assert foot_drop["score_if_home_fixed"] < foot_drop["score"]

    faller = scored("recent-faller")
    assert faller["level"] == "high"
    assert faller["level_range"] == ["high", "high"]
    assert faller["stratification"]["level"] == "high"
    assert any("an injury from a fall" in r for r in faller["level_reasons"])
    assert faller["actions"][0]["item"] == "stratification"


def test_the_demo_visits_are_complete_and_moderate() -> None:
    """The demo's person (docs/risk-model.md): a Timed Up and Go over 15 s in OT mode gives the
    guidelines' intermediate level; the second visit's fixes lower the score, not the level."""
    first, second = (
        json.loads(cli("score", data_dir() / "demo" / f"demo-visit-{n}.json", "--json").stdout)
        for n in (1, 2)
    )
    for result in (first, second):
        assert result["complete"] is True
        assert result["level"] == "moderate"
        assert result["stratification"]["level"] == "intermediate"
        assert any("Timed Up and Go" in reason for reason in result["level_reasons"])
    assert second["score"] < first["score"]
    assert second["score_if_home_fixed"] == first["score_if_home_fixed"]


def robust_variant(
    tmp_path: Path, person: dict[str, str], rooms: str = "yes", name: str = "case"
) -> dict[str, Any]:
    """The robust example with a safe home (or every room check answered `rooms`) and some of
    the person's answers changed: the odd cases of model 1.0 (docs/risk-model.md 8.1)."""
    document = json.loads((EXAMPLES / "robust-cluttered-home.json").read_text())
    for answer in document["answers"]:
        answer.pop("note", None)
        if answer["room"] is not None:
            answer["value"] = rooms
        elif answer["item"] in person:
            answer["value"] = person.pop(answer["item"])
    document["answers"] += [{"item": k, "room": None, "value": v} for k, v in person.items()]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    result: dict[str, Any] = json.loads(cli("score", path, "--json").stdout)
    assert result["complete"] is True
    return result


ONE_FALL = {
    "steadi.si.01": "yes",
    "person.falls.count": "one",
    "person.fall.injured": "no",
    "person.fall.long_lie": "no",
    "person.fall.blackout": "no",
}


@pytest.mark.parametrize(
    ("person", "level_range"),
    [
        ({"steadi.si.06": "yes", "steadi.si.07": "yes", "steadi.si.08": "yes"}, ["low", "low"]),
        ({"steadi.si.02": "yes"}, ["low", "low"]),
        ({"person.vision": "multifocal"}, ["low", "low"]),
        (ONE_FALL, ["low", "moderate"]),
        ({**ONE_FALL, "person.fall.injured": "yes"}, ["high", "high"]),
    ],
    ids=["si-6-7-8", "walker", "multifocal", "one-fall", "one-fall-injured"],
)
def test_the_odd_cases_of_model_1_follow_the_guideline(
    tmp_path: Path, person: dict[str, str], level_range: list[str]
) -> None:
    assert robust_variant(tmp_path, dict(person))["level_range"] == level_range


def test_socks_are_a_footwear_hazard_not_a_person_factor(tmp_path: Path) -> None:
    """Model 1.0: a robust person in a hazardous home scored 19, and 78 HIGH in socks."""
    shoes = robust_variant(tmp_path, {}, rooms="no", name="shoes")
    socks = robust_variant(tmp_path, {"footwear.indoor": "socks"}, rooms="no", name="socks")
    for result in (shoes, socks):
        assert result["level"] == "low"
        assert result["score_if_home_fixed"] == 0
        assert result["vulnerability"] == 0
    assert socks["score"] == shoes["score"]  # the home is at its cap either way
    footwear = next(c for c in socks["contributors"] if c["item"] == "footwear.indoor")
    assert footwear["kind"] == "hazard"


def test_a_visit_with_no_answers_is_never_read_as_safe(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    document["answers"] = []
    document["assessment"]["status"] = "in_progress"
    path = tmp_path / "empty.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    result = json.loads(cli("score", path, "--json").stdout)
    assert result["level"] is None
    assert result["level_range"] == ["low", "high"]
    assert result["complete"] is False
    assert result["unanswered"] > 0
    assert result["red_flags"] == []
    assert result["unanswered_red_flags"]
    assert result["stratification"]["level"] is None
    text = cli("score", path).stdout
    assert "No red flags" not in text
    assert "Nothing needs fixing" not in text
    assert "Not finished" in text


def test_red_flags_come_first_in_text_and_json(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    raised = {"brace.skin.red30", "person.rf.leg_new", "person.rf.bladder_bowel"}
    for answer in document["answers"]:
        if answer["item"] in raised:
            answer["value"] = "yes"
    path = tmp_path / "flag.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    text = cli("score", path).stdout
    assert text.startswith("RED FLAGS - act on these first:")
    assert text.index("RED FLAGS") < text.index("Fall risk:")
    result = json.loads(cli("score", path, "--json").stdout)
    flags = result["red_flags"]
    assert len(flags) == 3
    for flag in flags:
        assert set(flag) == {"label", "urgency", "advice"}
        assert flag["urgency"] in ("emergency", "today", "soon")
        assert flag["label"]
        assert flag["advice"]
    # Most urgent first: the possible cauda equina, then the leg, then the skin under the brace.
    assert [flag["urgency"] for flag in flags] == ["emergency", "today", "soon"]
    assert "bladder or bowel" in flags[0]["label"]
    assert flags[0]["label"] in text
    assert flags[0]["advice"] in text
    # Red flags add no points.
    plain = json.loads(cli("score", EXAMPLES / "foot-drop-afo-night.json", "--json").stdout)
    assert result["score"] == plain["score"]
    assert result["actions"][0]["kind"] == "red_flag"
    assert result["actions"][0]["action"].startswith("Call the emergency number now")


def test_a_checklist_1_file_scores_with_model_2(tmp_path: Path, content: Content) -> None:
    """A file made with checklist 1.0 says so, is scored with model 2.0, and its "yes" to the
    retired "foot drop started suddenly" (no time window) is still shown as a warning sign
    reported at that visit (never hidden); the question that replaced it is not yet asked."""
    document = json.loads(OLD_VISIT.read_text(encoding="utf-8"))
    assert document["checklist_version"] == "1.0"
    for answer in document["answers"]:
        if answer["item"] == "person.fd.sudden":
            answer["value"] = "yes"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    process = cli("score", path, "--json")
    assert process.returncode == 0, process.stderr
    result = json.loads(process.stdout)
    assert result["checklist_version"] == "1.0"
    assert result["model_version"] == "2.0"
    assert result["complete"] is False
    new_weakness = content.checklist.item("person.rf.new_weakness").red_flag
    assert new_weakness is not None
    assert all(flag["label"] != new_weakness.text for flag in result["red_flags"])
    assert new_weakness.text in result["unanswered_red_flags"]
    reported = [flag for flag in result["red_flags"] if "checklist 1.0" in flag["label"]]
    assert [flag["urgency"] for flag in reported] == ["today"]
    assert cli("score", path).returncode == 0


# ---- bad input: one error line, exit code 2, no traceback --------------------------------------


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert_bad_input(cli("score", tmp_path), "is a folder")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert_bad_input(cli("score", path), "not UTF-8")


def test_malformed_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "safetycheck.assessment", ')
    assert_bad_input(cli("score", path), "not valid JSON", "line 1")


def write_variant(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads((EXAMPLES / "robust-cluttered-home.json").read_text())
    change(document)
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(document))
    return path


def test_unknown_item_id(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["answers"][3]["item"] = "room.floors.lava"

    assert_bad_input(
        cli("score", write_variant(tmp_path, change)),
        "answers[3].item",
        "unknown item id 'room.floors.lava'",
    )


def test_wrong_value_type(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["answers"][0]["value"] = 1

    assert_bad_input(
        cli("score", write_variant(tmp_path, change)), "answers[0].value", "wrong type"
    )


def test_value_not_an_answer(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["answers"][0]["value"] = "maybe"

    assert_bad_input(
        cli("score", write_variant(tmp_path, change)),
        "'maybe' is not an answer of 'steadi.si.01'",
    )


def test_future_format_version(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["format_version"] = 99

    assert_bad_input(
        cli("score", write_variant(tmp_path, change)),
        "format_version",
        "newer than this program",
    )


def test_not_an_assessment_file(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text("[1, 2, 3]")
    assert_bad_input(cli("score", path), "expected an object")


def test_room_item_without_a_room(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        for answer in d["answers"]:
            if answer["item"] == "room.floors.rugs":
                answer["room"] = None
                break

    assert_bad_input(cli("score", write_variant(tmp_path, change)), "needs a room")


def test_unknown_command() -> None:
    assert_bad_input(cli("frobnicate"), "invalid choice")


def test_missing_argument() -> None:
    assert_bad_input(cli("score"), "required")


# ---- the real entry point: `python -m safetycheck` in a process of its own ---------------------


def test_version() -> None:
    process = run_cli("--version")
    assert process.returncode == 0
    assert process.stdout.startswith("safetycheck ")
    assert process.stdout.strip() == cli("--version").stdout.strip()


def test_missing_file(tmp_path: Path) -> None:
    assert_bad_input(run_cli("score", tmp_path / "nope.json"), "no such file")


def test_broken_content_is_one_error_line(tmp_path: Path) -> None:
    broken = tmp_path / "data"
    shutil.copytree(data_dir(), broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "model" / "model.toml").write_text("version = \n")
    process = run_cli("score", EXAMPLE_FILES[0], env={"SAFETYCHECK_DATA_DIR": str(broken)})
    assert_bad_input(process, "model.toml", "not valid TOML")


@pytest.mark.slow
def test_a_report_from_a_real_process(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    demo = run_cli("demo", db=db)
    assert demo.returncode == 0, demo.stderr
    assert demo.stderr == ""
    target = tmp_path / "plan.pdf"
    report = run_cli("report", demo.stdout.strip(), "-o", target, db=db)
    assert report.returncode == 0, report.stderr
    assert report.stderr == ""
    assert report.stdout == ""
    assert target.read_bytes().startswith(b"%PDF")
