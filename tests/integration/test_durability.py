"""Kill -9 in the middle of answering: every acknowledged answer is still there afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import LineReader

from safetycheck.services import assessments as visits
from safetycheck.services.workspace import open_workspace

CHILD = textwrap.dedent(
    """
    import json, sys
    from safetycheck.domain.checklist import Mode, Page
    from safetycheck.services import assessments as visits
    from safetycheck.services.people import create_person
    from safetycheck.services.workspace import open_workspace

    ws = open_workspace(sys.argv[1])
    person = create_person(ws, "Kill Test")
    info = visits.start_assessment(ws, person.id, "Tester", Mode.OT, Mode.OT)
    print(json.dumps({"assessment": info.id}), flush=True)
    loaded = visits.load_assessment(ws, info.id)
    slots = [(item.id, None) for item in ws.content.checklist.items_on(Page.PERSON)
             if item.type.value == "yesno"]
    for room in loaded.rooms:
        slots += [(item.id, room.id) for item in ws.content.checklist.items_on(Page.ROOM)
                  if item.applies_to_room(room.kind) and item.type.value == "check"]
    round_ = 0
    versions = {}
    while True:  # answer everything again and again until killed
        for item, room in slots:
            value = "no" if round_ % 2 else ("yes" if item.startswith("room.") else "no")
            receipt = visits.record_answer(ws, info.id, item, room, value, note=f"round {round_}",
                                           expected_version=versions.get((item, room)))
            versions[(item, room)] = receipt.version
            print(json.dumps({"item": item, "room": room, "value": value,
                              "note": f"round {round_}"}), flush=True)
        round_ += 1
    """
)


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    try:
        output = LineReader(child.stdout, timeout=60)  # a hung child fails the test, not CI
        assessment_id = json.loads(output.readline())["assessment"]
        acknowledged: dict[tuple[str, str | None], tuple[str, str]] = {}
        for _ in range(150):  # more than one full round, so some answers were changed too
            line = json.loads(output.readline())
            acknowledged[(line["item"], line["room"])] = (line["value"], line["note"])
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()  # whatever happened above, no child is left running
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    ws = open_workspace(url)
    try:
        loaded = visits.load_assessment(ws, assessment_id)
    finally:
        ws.close()
    for (item, room), (value, note) in acknowledged.items():
        answer = loaded.answer(item, room)
        assert answer is not None, (item, room)
        # The answer may be newer than the last acknowledgement we read, never older.
        rounds = int(answer.note.split()[-1]), int(note.split()[-1])
        assert rounds[0] >= rounds[1], (item, room)
        if rounds[0] == rounds[1]:
            assert answer.value == value
    assert len(acknowledged) >= 50
