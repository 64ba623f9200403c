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

from safetycheck.resources import data_dir

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def test_examples_are_shipped() -> None:
    assert len(EXAMPLE_FILES) >= 3


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_score_json_on_every_example(path: Path) -> None:
    process = cli("score", path, "--json")
    assert process.returncode == 0, process.stderr
    result = json.loads(process.stdout)
    assert result["level"] in ("low", "moderate", "high")
    assert sum(c["points"] for c in result["contributors"]) == result["score"]
    assert sum(r["points"] for r in result["rooms"]) == result["score"]
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


def test_worked_examples_give_the_levels_in_the_docs() -> None:
    levels = {}
    for name in ("robust-cluttered-home", "foot-drop-afo-night", "recent-faller"):
        levels[name] = json.loads(cli("score", EXAMPLES / f"{name}.json", "--json").stdout)
    assert levels["robust-cluttered-home"]["level"] == "low"
    assert levels["foot-drop-afo-night"]["level"] == "high"
    assert levels["recent-faller"]["level"] == "high"
    assert any("hurt in a fall" in r for r in levels["recent-faller"]["level_reasons"])
    top = levels["foot-drop-afo-night"]["contributors"][0]
    assert top["label"] == "Foot drop"
    rug = next(
        c for c in levels["foot-drop-afo-night"]["contributors"] if c["item"] == "room.floors.rugs"
    )
    assert "night route" in rug["label"]
    assert "foot drop" in rug["label"]


def test_red_flags_come_first_in_text_and_json(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    for answer in document["answers"]:
        if answer["item"] == "person.fd.sudden":
            answer["value"] = "yes"
    path = tmp_path / "flag.json"
    path.write_text(json.dumps(document))
    text = cli("score", path).stdout
    assert text.startswith("RED FLAGS - seek medical attention now:")
    result = json.loads(cli("score", path, "--json").stdout)
    assert len(result["red_flags"]) == 1
    assert "suddenly" in result["red_flags"][0]
    assert result["actions"][0]["kind"] == "red_flag"
    assert result["actions"][0]["action"].startswith("Seek medical attention now")


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
