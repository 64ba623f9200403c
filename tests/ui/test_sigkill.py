"""The program killed with SIGKILL in the middle of a walkthrough loses no acknowledged answer,
and the next start resumes exactly there."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import IO, Any

import pytest
from drive import wait_idle
from pytestqt.qtbot import QtBot
from recorders import MessageBoxes
from support import ROOT

from safetycheck.services import assessments as visits
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.main_window import MainWindow

READ_TIMEOUT = 60  # seconds for one line from the child; a hung child fails the test instead

# The real program's widgets, driven in a child process: each answer is clicked, and only when
# the row no longer says "Saving…" (answer_row waits: the write has returned) is it
# acknowledged on stdout.
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
            while (row := page.current_row()) is not None:  # guided: question by question
                value = safe_value(row)
                at = page.page_key()
                answer_row(None, row, value)
                if page.current == row.item.id:  # a measurement: Next moves on
                    wizard.next()
                print(json.dumps({"item": row.item.id, "room": row.room, "value": value,
                                  "at": at, "next": page.page_key()}), flush=True)
        if wizard.nextId() == -1:
            break
        wizard.next()
    print("finished", flush=True)
    """
)


class LineReader:
    """Reads a pipe's lines on a thread of its own, so that every read has a deadline (a child
    that hangs without writing, or without closing its end, cannot hang the test run)."""

    def __init__(self, pipe: IO[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(pipe,), daemon=True)
        self._thread.start()

    def _pump(self, pipe: IO[str]) -> None:
        for line in pipe:
            self._lines.put(line)
        self._lines.put("")  # end of the stream

    def line(self, timeout: float = READ_TIMEOUT) -> str:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the child wrote no line for {timeout} s") from None

    def close(self, timeout: float = READ_TIMEOUT) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the child's output did not end"


@pytest.mark.slow  # end to end: ./tasks.sh test runs it, ./tasks.sh check does not
def test_sigkill_mid_walkthrough_then_resume(
    qtbot: QtBot, tmp_path: Path, boxes: MessageBoxes
) -> None:
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
    try:
        assert child.stdout is not None
        reader = LineReader(child.stdout)
        assessment_id = json.loads(reader.line())["assessment"]
        acknowledged: list[dict[str, Any]] = []
        for _ in range(60):  # the person page, the home, and into the first rooms
            line = reader.line()
            assert line, "the child's output ended before the kill"
            assert line != "finished\n", "the walkthrough ended before the kill"
            acknowledged.append(json.loads(line))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        reader.close()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        if child.stdout is not None:
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
        assert info is not None
        assert info.id == assessment_id
        # The next start offers to resume, and lands on the page that was being answered.
        window = MainWindow(ws)
        qtbot.addWidget(window)
        window.offer_resume()
        qtbot.waitUntil(lambda: window.wizard is not None)
        assert window.wizard is not None
        # The question last acknowledged, or the one after it (the place is written after
        # the answer, in order: it may not have been written when the power went).
        # (The answer carries its question's place marked "answered": ">".)
        last = acknowledged[-1]
        assert info.resume_at in (last["at"], f"{last['at']}>", last["next"])
        step, _, question = info.resume_at.partition("#")
        page = window.wizard.currentPage()
        assert page.objectName() == step
        if question:
            assert isinstance(page, ItemsPage)
            # Stopped just after an answer: on at the question after it, not the answered one.
            expected = last["next"].partition("#")[2] if question.endswith(">") else question
            assert page.current == expected
        assert boxes.last("question")[0] == "Carry on?"
        window.close()
        wait_idle(qtbot, window.ops)
    finally:
        ws.close()
