"""Mutated interchange files through the real commands (tests/mutations.py makes them).

For every case: `score` exits 0, or 2 with exactly one `error:` line and nothing on stdout; a
file `score` refuses is refused by `import` too, which then leaves an existing database
unchanged and creates none; a file it accepts is imported, exported back unchanged (ids aside)
and still gives a report. A bounded number of seeds runs in the fast tier, thousands in the
slow one (FUZZ_CASES sets how many).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mutations import mutate, picture
from support import cli

from safetycheck.content import Content
from safetycheck.domain.assessment import Assessment
from safetycheck.domain.falls import Fall, FallPlace, Seen
from safetycheck.exchange.assessment_json import assessment_from_document
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.falls import record_falls
from safetycheck.services.transfer import export_document
from safetycheck.services.workspace import open_workspace

FAST_CASES = 60
SLOW_CASES = int(os.environ.get("FUZZ_CASES", "2000"))
REPORT_EVERY = 10  # a report for every tenth accepted file (a report takes a few tenths of a s)


def base_document(folder: Path, content: Content) -> dict[str, Any]:
    """A finished demo visit as exported, with ticks, falls since the last visit, an edited
    action and one real photo."""
    ws = open_workspace(f"sqlite:///{folder / 'base.sqlite3'}", content)
    try:
        visit = create_demo(ws)
        hall = next(r for r in visits.load_visit(ws, visit).assessment.rooms if r.kind == "hallway")
        key = visits.load_visit(ws, visit).room_keys[hall.id]
        record_falls(
            ws,
            visit,
            3,
            [
                Fall("", "yes", FallPlace.ROOM, key, "", "Tripped on the rug.\nAt night.", Seen.NO),
                Fall("", "unknown", FallPlace.OUTSIDE, None, "", "", Seen.HOSPITAL),
            ],
        )
        action = visits.list_actions(ws, visit)[0]
        visits.edit_action(
            ws,
            action.id,
            text="Done my way.",
            priority="soon",
            who="ot",
            expected_version=action.version,
        )
        document = export_document(ws, visit)
    finally:
        ws.close()
    jpeg = picture("JPEG", (64, 48))
    document["photos"] = [
        {
            "id": "photo-1",
            "item": "steadi.si.01",
            "room": None,
            "filename": "hall.jpg",
            "media_type": "image/jpeg",
            "width": 64,
            "height": 48,
            "data": base64.b64encode(jpeg).decode("ascii"),
            "original_sha256": hashlib.sha256(jpeg).hexdigest(),
            "original_bytes": len(jpeg),
        }
    ]
    return document


def files_of(database: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(database.parent.glob(database.name + "*"))
    }


def comparable(assessment: Assessment, timed: set[tuple[str, int | None]] | None = None) -> Any:
    """What a round trip keeps: everything but the ids it gives anew (rooms by position).

    An answer the file gave no time is stamped with the time of the import: `timed` names the
    answers whose times are compared (all, when not given).
    """
    position = {room.id: n for n, room in enumerate(assessment.rooms)}

    def room(room_id: str | None) -> int | None:
        return position[room_id] if room_id is not None else None

    return {
        "person": assessment.person,
        "meta": (assessment.date, assessment.assessor, assessment.mode, assessment.status),
        "versions": (assessment.checklist_version, assessment.model_version),
        "rooms": [(r.kind, r.name, r.night_route, r.stairs_daily) for r in assessment.rooms],
        "answers": sorted(
            (
                a.item,
                room(a.room),
                repr(a.value),
                a.note,
                a.unit,
                a.answered_at if timed is None or (a.item, room(a.room)) in timed else None,
            )
            for a in assessment.answers
        ),
        "photos": sorted(
            (p.item, room(p.room), p.filename, p.media_type, p.width, p.height, p.data)
            for p in assessment.photos
        ),
        # Falls name their room by a file's room id or a stored room's key: compared by name.
        "falls": None
        if assessment.falls is None
        else (
            assessment.falls.count,
            assessment.falls.since_date,
            [
                (f.month, f.hurt, f.place, f.room_key is None, f.room_name, f.what_happened, f.seen)
                for f in assessment.falls.falls
            ],
        ),
        # Import adds an open action for each of the plan's that the file lacks: edited ones only.
        "edits": sorted(
            (
                a.kind,
                a.item,
                room(a.room) if a.room else -1,
                a.text or "",
                a.priority or "",
                a.who or "",
            )
            for a in assessment.actions
            if (a.text, a.priority, a.who) != (None, None, None)
        ),
    }


@dataclass
class Campaign:
    """The cases tried and how each ended."""

    outcomes: Counter[str]
    problems: list[str]


def run_campaign(seeds: range, folder: Path, content: Content) -> Campaign:
    base = base_document(folder, content)
    shared = folder / "shared.sqlite3"
    open_workspace(f"sqlite:///{shared}", content).close()
    campaign = Campaign(Counter(), [])
    for seed in seeds:
        data, what = mutate(base, seed)
        file = folder / "case.json"
        file.write_bytes(data)
        problems: list[str] = []
        scored = cli("score", file)
        if scored.returncode == 2:
            problems += _refused_everywhere(scored, file, shared, folder)
            campaign.outcomes["refused"] += 1
        elif scored.returncode == 0:
            campaign.outcomes["accepted"] += 1
            report = campaign.outcomes["accepted"] % REPORT_EVERY == 1
            problems += _round_trip(data, file, folder, content, report)
            campaign.outcomes["reports"] += report
        else:
            problems.append(f"score exited {scored.returncode}: {scored.stderr[-300:]}")
        campaign.problems += [f"seed {seed} ({what}): {text}" for text in problems]
    return campaign


def _one_error_line(process: Any) -> bool:
    lines = process.stderr.splitlines()
    return (
        process.returncode == 2
        and len(lines) == 1
        and lines[0].startswith("error: ")
        and not process.stdout
    )


def _refused_everywhere(scored: Any, file: Path, shared: Path, folder: Path) -> list[str]:
    """A file `score` refuses: one error line, and `import` refuses it too, changing nothing."""
    problems = [] if _one_error_line(scored) else [f"score: {scored.stderr[-300:]!r}"]
    before = files_of(shared)
    fresh = folder / "never.sqlite3"
    for database in (shared, fresh):
        refused = cli("import", file, db=f"sqlite:///{database}")
        if not _one_error_line(refused):
            problems.append(f"import of a refused file: {refused.returncode} {refused.stderr!r}")
    if files_of(shared) != before:
        problems.append("a refused import changed the database")
    if list(folder.glob("never.sqlite3*")):
        problems.append("a refused import created a database")
    return problems


def _round_trip(data: bytes, file: Path, folder: Path, content: Content, report: bool) -> list[str]:
    """A file `score` accepts: imported, read and exported back unchanged, and reported."""
    target = folder / "accepted.sqlite3"
    imported = cli("import", file, db=f"sqlite:///{target}")
    if imported.returncode != 0:
        return [f"score accepted it, import did not: {imported.stderr!r}"]
    problems = []
    new = imported.stdout.strip()
    check = open_workspace(f"sqlite:///{target}", content)
    try:
        parsed = assessment_from_document(json.loads(data), content.checklist)
        rooms = {room.id: n for n, room in enumerate(parsed.rooms)}
        timed = {
            (a.item, rooms[a.room] if a.room is not None else None)
            for a in parsed.answers
            if a.answered_at is not None
        }
        original = comparable(parsed, timed)
        if comparable(visits.load_assessment(check, new, with_photos=True), timed) != original:
            problems.append("the visit did not come back as it went in")
        exported = export_document(check, new)
        if comparable(assessment_from_document(exported, content.checklist), timed) != original:
            problems.append("the export of the imported visit differs from the file")
    finally:
        check.close()
    if report:
        pdf = folder / "plan.pdf"
        printed = cli("report", new, "-o", pdf, db=f"sqlite:///{target}")
        if printed.returncode != 0 or not pdf.read_bytes().startswith(b"%PDF"):
            problems.append(f"no report for an accepted file: {printed.stderr!r}")
        pdf.unlink(missing_ok=True)
    for leftover in folder.glob("accepted.sqlite3*"):
        leftover.unlink()
    return problems


def test_mutated_files_in_the_fast_tier(tmp_path: Path, content: Content) -> None:
    campaign = run_campaign(range(FAST_CASES), tmp_path, content)
    assert campaign.problems == []
    assert campaign.outcomes["accepted"] >= 1  # seed 0 is the valid file itself
    assert campaign.outcomes["refused"] >= FAST_CASES // 3


@pytest.mark.slow
def test_thousands_of_mutated_files(tmp_path: Path, content: Content) -> None:
    campaign = run_campaign(range(FAST_CASES, FAST_CASES + SLOW_CASES), tmp_path, content)
    print(f"\nfuzz campaign: {SLOW_CASES} cases, {dict(campaign.outcomes)}")
    assert campaign.problems == []
