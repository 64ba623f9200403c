"""The program killed with SIGKILL in the middle of a walkthrough loses no acknowledged answer,
and the next start resumes exactly there."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from pytestqt.qtbot import QtBot
from support import ROOT

from safetycheck.services import assessments as visits
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck_ui.main_window import MainWindow

# The real program's widgets, driven in a child process: each answer is clicked, and only when
# the click has returned (the answer saved) is it acknowledged on stdout.
CHILD = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[2])
    from safetycheck_ui.app import create_application
    from safetycheck.services.workspace import open_workspace
    from safetycheck_ui.main_window import MainWindow
    from safetycheck_ui.wizard import ItemsPage
    from drive import fill_who, safe_value, answer_row

    app = create_application([])
    ws = open_workspace(sys.argv[1])
    window = MainWindow(ws)
    window.show()
    wizard = window.new_walkthrough(None)
    fill_who(wizard)
    wizard.next()
    print(json.dumps({"assessment": wizard.session.assessment_id}), flush=True)
    while True:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            for row in page.visible_rows():
                value = safe_value(row)
                answer_row(None, row, value)
                print(json.dumps({"item": row.item.id, "room": row.room, "value": value,
                                  "page": page.page_key()}), flush=True)
        if wizard.nextId() == -1:
            break
        wizard.next()
    print("finished", flush=True)
    """
)


def test_sigkill_mid_walkthrough_then_resume(qtbot: QtBot, tmp_path: Path, boxes: object) -> None:
    url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(ROOT / "tests" / "ui")],
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONUNBUFFERED": "1",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    assert child.stdout is not None
    assessment_id = json.loads(child.stdout.readline())["assessment"]
    acknowledged = []
    for _ in range(60):  # the person page, the home, and into the first rooms
        line = child.stdout.readline()
        assert line and line != "finished\n", "the walkthrough ended before the kill"
        acknowledged.append(json.loads(line))
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    ws: Workspace = open_workspace(url)
    try:
        saved = visits.load_assessment(ws, assessment_id)
        for ack in acknowledged:
            answer = saved.answer(ack["item"], ack["room"])
            assert answer is not None, ack
            assert answer.value == ack["value"]
        info = visits.newest_in_progress(ws)
        assert info is not None and info.id == assessment_id
        # The next start offers to resume, and lands on the page that was being answered.
        window = MainWindow(ws)
        qtbot.addWidget(window)
        window.offer_resume()
        assert window.wizard is not None
        assert window.wizard.currentPage().page_key() == info.resume_at
        assert info.resume_at == acknowledged[-1]["page"]
    finally:
        ws.close()
