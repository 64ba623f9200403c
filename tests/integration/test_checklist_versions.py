"""A visit made with checklist 1.0 still opens, scores (with model 2.0), prints and travels:
answers to questions 2.0 no longer asks are kept and not scored, and the two brace-skin answers
that 2.0 asks the other way round are carried over, inverted (in files and in databases).
A 2.0 visit answered pets and bulbs in every room; 2.1 asks them once for the whole home, and
the least safe room answer is carried over when every room has one (files and databases)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from support import cli, downgrade_to

from safetycheck.content import Content
from safetycheck.services import assessments as visits
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace, open_workspace

OLD_FILE = Path(__file__).parent.parent / "files" / "checklist-1.0-visit.json"
EXAMPLES_FOLDER = Path(__file__).parent.parent.parent / "docs" / "examples"


def old_document() -> dict[str, Any]:
    document = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    assert document["checklist_version"] == "1.0"
    return document


def old_file_with(tmp_path: Path, item: str, value: str) -> tuple[Path, dict[str, Any]]:
    """The 1.0 visit with one answer changed, written to a file (and the document, to change
    more)."""
    document = old_document()
    for answer in document["answers"]:
        if answer["item"] == item:
            answer["value"] = value
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path, document


def test_a_checklist_1_file_scores_with_model_2(content: Content) -> None:
    scored = json.loads(cli("score", OLD_FILE, "--json").stdout)
    assert scored["checklist_version"] == "1.0"  # how the visit was made
    assert scored["model_version"] == content.model.version == "2.0"  # what scored it now
    flags = {(f["label"], f["urgency"]) for f in scored["red_flags"]}
    # "Skin intact: no" and "fades within 30 minutes: no" were warning signs the other way
    # round; carried over, they still warn.
    damage = content.checklist.item("brace.skin.damage").red_flag
    red30 = content.checklist.item("brace.skin.red30").red_flag
    assert damage is not None
    assert red30 is not None
    assert flags == {(damage.text, "today"), (red30.text, "soon")}
    # Questions new in 2.0 are unanswered, not taken as safe.
    assert scored["complete"] is False
    assert scored["unanswered"] > 0
    assert scored["unanswered_red_flags"]


def test_a_checklist_1_file_imports_and_exports_without_losing_an_answer(ws: Workspace) -> None:
    document = old_document()
    visit_id = import_document(ws, document)
    out = export_document(ws, visit_id)
    assert out["checklist_version"] == "1.0"

    def by_room_name(doc: dict[str, Any]) -> dict[tuple[str, str | None], object]:
        names = {room["id"]: room["name"] for room in doc["rooms"]}
        return {(a["item"], names.get(a["room"])): a["value"] for a in doc["answers"]}

    before = by_room_name(document)
    after = by_room_name(out)
    assert {k: v for k, v in after.items() if k in before} == before  # every old answer kept
    assert after[("brace.skin.damage", None)] == "yes"
    assert after[("brace.skin.red30", None)] == "yes"
    assert ("person.fd.sudden", None) in after  # kept, though 2.0 no longer asks it
    evaluation = visits.evaluate_visit(ws, visit_id)
    assert evaluation.result.model_version == "2.0"


def test_photos_and_ticks_on_a_retired_question_travel_with_the_visit(ws: Workspace) -> None:
    """A 1.0 plan could have ticked the action of "skin intact: no"; the file still imports,
    and the tick comes out again."""
    document = old_document()
    document["actions"] = [
        {
            "kind": "hazard",
            "item": "brace.skin.intact",
            "room": None,
            "status": "done",
            "done_on": "2026-11-20",
            "note": "seen by the nurse",
        }
    ]
    visit_id = import_document(ws, document)
    out = export_document(ws, visit_id)
    ticks = [a for a in out["actions"] if a["item"] == "brace.skin.intact"]
    assert [(a["status"], a["note"]) for a in ticks] == [("done", "seen by the nurse")]
    assert import_document(ws, out)  # and it imports again


def test_a_retired_answer_is_checked_like_any_other(tmp_path: Path) -> None:
    bad, document = old_file_with(tmp_path, "person.fd.sudden", "maybe")
    done = cli("score", bad)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "'maybe' is not an answer of 'person.fd.sudden'" in done.stderr
    document["checklist_version"] = "0.9"
    bad.write_text(json.dumps(document), encoding="utf-8")
    done = cli("score", bad)
    assert done.returncode == 2
    assert "is not a checklist this program reads (1.0 or 2.0 or 2.1 or 2.2)" in done.stderr


def test_a_checklist_1_database_is_copied_then_carried_over(
    tmp_path: Path, content: Content
) -> None:
    """A database from before checklist 2.0 (schema 0001) with a visit that recorded skin
    damage the 1.0 way: opening it copies it, then migration 0002 carries the answer over."""
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    ws = open_workspace(url, content)
    visit_id = import_document(ws, old_document())
    ws.close()
    # Make it what a 1.0 program left: no carried answers, schema revision 0001.
    downgrade_to(url, "0001")
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM answers WHERE item_id IN ('brace.skin.damage', 'brace.skin.red30')")
    raw.commit()
    raw.close()

    ws = open_workspace(url, content)
    try:
        backups = list(tmp_path.glob("old.sqlite3.before-0001-*.bak"))
        assert len(backups) == 1
        copy = sqlite3.connect(backups[0])
        assert copy.execute(
            "SELECT count(*) FROM answers WHERE item_id = 'brace.skin.damage'"
        ).fetchone() == (0,)
        copy.close()
        assessment = visits.load_assessment(ws, visit_id)
        damage = assessment.answer("brace.skin.damage")
        assert damage is not None
        assert damage.value == "yes"
        intact = assessment.answer("brace.skin.intact")
        assert intact is not None
        assert intact.value == "no"  # the old answer is kept
        flags = [f.item for f in visits.evaluate_visit(ws, visit_id).result.red_flags]
        assert "brace.skin.damage" in flags
    finally:
        ws.close()


def test_an_answer_kept_from_before_its_question_stopped_applying_is_not_carried(
    tmp_path: Path,
) -> None:
    # 1.0 asked "fades within 30 minutes" only after "fades within 20: no". Changed to yes
    # later, the kept "30 minutes: no" is stale and must not become a warning sign.
    path, _ = old_file_with(tmp_path, "brace.skin.fade20", "yes")
    scored = json.loads(cli("score", path, "--json").stdout)
    assert [f["urgency"] for f in scored["red_flags"]] == ["today"]  # skin damage only


# ---- checklist 2.0 -> 2.1: pets and bulbs asked once for the whole home ------------------------

EXAMPLE_2_0 = EXAMPLES_FOLDER / "recent-faller.json"


def visit_2_0(pets: dict[str, str | None]) -> dict[str, Any]:
    """A 2.0 visit (the recent-faller example as 2.0 wrote it) with pets answered per room as
    given by room name (None: not answered), bulbs "yes" in every room, and no 2.1 answers."""
    document = json.loads(EXAMPLE_2_0.read_text(encoding="utf-8"))
    document["checklist_version"] = "2.0"
    answers = [a for a in document["answers"] if not a["item"].startswith("home.")]
    ids = {room["name"]: room["id"] for room in document["rooms"]}
    assert set(pets) == set(ids)
    for name, value in pets.items():
        if value is not None:
            answers.append({"item": "room.floors.pets", "room": ids[name], "value": value})
        answers.append({"item": "room.light.bulbs", "room": ids[name], "value": "yes"})
    document["answers"] = answers
    return document


def every_room(document: dict[str, Any], value: str | None) -> dict[str, str | None]:
    return {room["name"]: value for room in document["rooms"]}


def test_a_2_0_visit_with_per_room_pets_answers_opens_scores_and_prints(
    tmp_path: Path, ws: Workspace
) -> None:
    names = every_room(json.loads(EXAMPLE_2_0.read_text(encoding="utf-8")), "na")
    hallway = next(name for name in names if name.startswith("Hallway"))
    names[hallway] = "no"  # the dog sleeps in the hallway
    document = visit_2_0(names)
    path = tmp_path / "visit-2.0.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    scored = json.loads(cli("score", path, "--json").stdout)
    assert scored["checklist_version"] == "2.0"
    pets = [h for h in scored["contributors"] if h["item"].endswith("pets")]
    assert [(h["item"], h["room"]) for h in pets] == [("home.floors.pets", None)]

    target = tmp_path / "plan.pdf"
    done = cli("report", path, "-o", target)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")

    visit_id = import_document(ws, document)
    assessment = visits.load_assessment(ws, visit_id)
    carried = assessment.answer("home.floors.pets")
    assert carried is not None
    assert carried.value == "no"
    bulbs = assessment.answer("home.light.bulbs")
    assert bulbs is not None
    assert bulbs.value == "yes"
    evaluation = visits.evaluate_visit(ws, visit_id)
    assert [h.item.id for h in evaluation.result.hazards if h.item.id.endswith("pets")] == [
        "home.floors.pets"
    ]
    out = export_document(ws, visit_id)
    assert out["checklist_version"] == "2.0"
    kept = {(a["item"], a["room"]) for a in out["answers"]}
    assert sum(1 for item, _ in kept if item == "room.floors.pets") == len(names)  # kept
    assert ("home.floors.pets", None) in kept
    assert import_document(ws, out)  # and it imports again


def test_a_2_0_visit_with_a_room_unanswered_leaves_the_home_question_open(
    tmp_path: Path,
) -> None:
    names = every_room(json.loads(EXAMPLE_2_0.read_text(encoding="utf-8")), "yes")
    names[next(iter(names))] = None
    path = tmp_path / "visit-2.0.json"
    path.write_text(json.dumps(visit_2_0(names)), encoding="utf-8")
    scored = json.loads(cli("score", path, "--json").stdout)
    assert scored["complete"] is False
    assert scored["unanswered"] == 1  # pets, for the whole home: not taken as safe


def test_a_checklist_2_0_database_is_carried_over_by_migration_0003(
    tmp_path: Path, content: Content
) -> None:
    """A database from checklist 2.0 (schema 0002): opening it copies it, then migration 0003
    stores the least safe room answer for the home: a hazard from any room, a safe answer only
    when every room was answered."""
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    ws = open_workspace(url, content)
    base = json.loads(EXAMPLE_2_0.read_text(encoding="utf-8"))
    mixed = every_room(base, "yes")
    mixed[next(iter(mixed))] = "no"
    gap = every_room(base, "na")
    gap[next(iter(gap))] = None
    all_na = every_room(base, "na")
    hazard_and_gap = every_room(base, "yes")
    first, second = list(hazard_and_gap)[:2]
    hazard_and_gap[first], hazard_and_gap[second] = None, "no"
    ids = []
    for n, pets in enumerate((mixed, gap, all_na, hazard_and_gap)):
        document = visit_2_0(pets)
        document["assessment"]["id"] = f"v2-{n}"
        ids.append(import_document(ws, document))
    ws.close()
    # Make it what a 2.0 program left: no whole-home answers, schema revision 0002.
    downgrade_to(url, "0002")
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM answers WHERE item_id LIKE 'home.%'")
    raw.commit()
    raw.close()

    ws = open_workspace(url, content)
    try:
        assert len(list(tmp_path.glob("old.sqlite3.before-0002-*.bak"))) == 1
        found = []
        for visit_id in ids:
            assessment = visits.load_assessment(ws, visit_id)
            answer = assessment.answer("home.floors.pets")
            found.append(answer.value if answer is not None else None)
            assert assessment.answer("room.floors.pets", assessment.rooms[1].id) is not None
        # A hazard carries even with a room unanswered; "safe" or "not applicable" only from
        # every room.
        assert found == ["no", None, "na", "no"]
        bulbs = visits.load_assessment(ws, ids[0]).answer("home.light.bulbs")
        assert bulbs is not None
        assert bulbs.value == "yes"
        evaluation = visits.evaluate_visit(ws, ids[0])
        assert "home.floors.pets" in {h.item.id for h in evaluation.result.hazards}
        assert evaluation.result.unanswered == 0
        assert visits.evaluate_visit(ws, ids[1]).result.unanswered == 1
    finally:
        ws.close()
