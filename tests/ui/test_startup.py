"""Start-up: the window paints before storage and the walkthrough's rules are loaded, says that
it is opening the data while the data opens, and answers meanwhile (no timings here: those are
in benchmarks/startup_bench.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from drive import wait_idle
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget
from pytestqt.qtbot import QtBot
from recorders import MessageBoxes

from safetycheck.services.demo import create_demo
from safetycheck.services.workspace import Workspace
from safetycheck.store.errors import DatabaseUnusableError
from safetycheck_ui.main_window import LISTS, LOADING, WELCOME, MainWindow

# Loaded behind the painted window, never before it: storage, PDFs, the walkthrough's rules.
NOT_BEFORE_THE_FIRST_PAINT = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "safetycheck.store.database",
    "safetycheck.services.assessments",
    "safetycheck.domain.scoring",
    "safetycheck.domain.evaluation",
)


def test_the_first_paint_needs_no_storage_and_no_walkthrough_rules(tmp_path: Path) -> None:
    """A real process, as the program starts: application, window, first paint."""
    code = textwrap.dedent(
        f"""
        import builtins, json, linecache, os, sys
        from safetycheck_ui.app import create_application
        from safetycheck_ui.main_window import MainWindow
        from safetycheck_ui.operations import Operations
        app = create_application([])
        window = MainWindow(ops=Operations(app))
        window.show()
        app.processEvents()
        window.repaint()
        import safetycheck_ui.main_window as module
        print(json.dumps({{
            "loaded": [m for m in {NOT_BEFORE_THE_FIRST_PAINT!r} if m in sys.modules],
            "page": window.stack.currentIndex(),
            "source cached": module.__file__ in linecache.cache,
            "pyside import": "feature" in repr(builtins.__import__),
        }}))
        """
    )
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert process.returncode == 0, process.stderr
    found = json.loads(process.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["page"] == LOADING
    # PySide6's import hook is gone: it kept the source of every module imported after it.
    assert found["source cached"] is False
    assert found["pyside import"] is False


def loading_page(window: MainWindow) -> QWidget:
    page = window.stack.widget(LOADING)
    assert page is not None
    return page


def loading_words(window: MainWindow) -> list[str]:
    page = loading_page(window)
    return [label.text() for label in page.findChildren(QLabel) if label.isVisible()]


@pytest.mark.parametrize("people", [0, 1], ids=["empty", "one person"])
def test_while_the_data_opens_the_window_says_so_and_answers(
    qtbot: QtBot, gui_ws: Workspace, people: int
) -> None:
    if people:
        create_demo(gui_ws)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.stack.currentIndex() == LOADING
    assert loading_words(window) == ["Opening your data…"]
    bar = loading_page(window).findChild(QProgressBar)
    assert bar is not None
    assert bar.isVisible()
    assert bar.maximum() == 0  # moving: busy
    assert not window.menuBar().isEnabled()  # nothing to act on yet

    release = threading.Event()

    def slow_open() -> Workspace:  # the background helper, held until the test lets it go
        release.wait(30)
        return gui_ws

    window.ops.query(window, slow_open, window.attach, title="Cannot open the data")
    try:
        # Meanwhile the window answers: its events run, it repaints and takes a new size.
        ran: list[bool] = []
        QTimer.singleShot(0, lambda: ran.append(True))
        qtbot.waitUntil(lambda: ran == [True])
        page = loading_page(window)
        width = page.width()
        window.resize(window.width() - 40, window.height() - 30)
        qtbot.waitUntil(lambda: page.width() == width - 40)  # laid out again
        window.repaint()
        assert window.stack.currentIndex() == LOADING
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.stack.currentIndex() != LOADING)
    wait_idle(qtbot, window.ops)
    # The data is in: the loading line has gone, the list (or the welcome) is there.
    assert window.stack.currentIndex() == (LISTS if people else WELCOME)
    assert not loading_page(window).isVisible()
    assert window.menuBar().isEnabled()
    assert window.people_model.rowCount() == people


def test_data_that_cannot_be_opened_is_the_usual_message(qtbot: QtBot, boxes: MessageBoxes) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    failed: list[Exception] = []

    def refused() -> Workspace:
        raise DatabaseUnusableError("the file is not a safetycheck database")

    window.ops.query(
        window, refused, window.attach, title="Cannot open the data", failed=failed.append
    )
    qtbot.waitUntil(lambda: bool(failed))
    assert boxes.shown == [
        ("warning", "Cannot open the data", "the file is not a safetycheck database")
    ]
    assert window.stack.currentIndex() == LOADING
    assert not window.attached()


def test_no_module_asks_for_a_pyside6_feature() -> None:
    """ui/__init__.py takes out PySide6's import hook (it read and kept the source of every
    module imported after it); with it out, `from __feature__ import …` would be ignored
    without a word, so no module of the program may use it, and the hook is out."""
    import re

    import safetycheck_ui

    asks = re.compile(r"^\s*(from|import)\s+__feature__\b", re.MULTILINE)
    root = Path(__file__).resolve().parents[2]
    users = [
        str(path.relative_to(root))
        for folder in ("ui", "safetycheck")
        for path in (root / folder).rglob("*.py")
        if asks.search(path.read_text(encoding="utf-8"))
    ]
    assert users == []
    assert safetycheck_ui.WITHOUT_SOURCE_SCAN
