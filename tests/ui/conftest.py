"""GUI test set-up: private settings, a fresh database per test, modal dialogs answered by
recorders (message boxes, file dialogs, input dialogs), and no background work left running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from recorders import FileDialogs, InputDialogs, MessageBoxes
from support import TickingClock

from safetycheck.content import Content
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck_ui.operations import Operations

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from safetycheck_ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QCoreApplication.setOrganizationName("safetycheck-tests")
    QCoreApplication.setApplicationName("safetycheck-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QSettings().clear()


def finish_background_work() -> None:
    """Wait for every window's use cases (a test's database closes after this)."""
    for widget in QApplication.topLevelWidgets():
        for ops in widget.findChildren(Operations):
            ops.wait()


@pytest.fixture
def gui_ws(tmp_path: Path, content: Content) -> Iterator[Workspace]:
    workspace = open_workspace(
        f"sqlite:///{tmp_path / 'gui.sqlite3'}", content, clock=TickingClock()
    )
    yield workspace
    finish_background_work()
    workspace.close()


@pytest.fixture
def window(qtbot: QtBot, gui_ws: Workspace) -> MainWindow:
    """The main window on a fresh database, shown, its first lists in."""
    from drive import wait_idle

    from safetycheck_ui.main_window import MainWindow

    main = MainWindow(gui_ws)
    qtbot.addWidget(main)
    main.show()
    wait_idle(qtbot, main.ops)
    return main


@pytest.fixture
def ops(qapp: QApplication) -> Iterator[Operations]:
    """An Operations of its own, for a widget tested without the main window."""
    helper = Operations(qapp)
    yield helper
    helper.wait()
    helper.deleteLater()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    recorder = MessageBoxes()
    recorder.install(monkeypatch)
    return recorder


@pytest.fixture
def file_dialogs(monkeypatch: pytest.MonkeyPatch) -> FileDialogs:
    recorder = FileDialogs()
    recorder.install(monkeypatch)
    return recorder


@pytest.fixture
def input_dialogs(monkeypatch: pytest.MonkeyPatch) -> InputDialogs:
    recorder = InputDialogs()
    recorder.install(monkeypatch)
    return recorder
