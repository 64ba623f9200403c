"""GUI test set-up: private settings, a fresh database per test, modal dialogs answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMessageBox
from support import TickingClock

from safetycheck.content import Content
from safetycheck.services.workspace import Workspace, open_workspace


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[None]:
    QCoreApplication.setOrganizationName("safetycheck-tests")
    QCoreApplication.setApplicationName("safetycheck-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QSettings().clear()
    yield


@pytest.fixture
def gui_ws(tmp_path: Path, content: Content) -> Iterator[Workspace]:
    workspace = open_workspace(
        f"sqlite:///{tmp_path / 'gui.sqlite3'}", content, clock=TickingClock()
    )
    yield workspace
    workspace.close()


class MessageBoxes:
    """Records modal message boxes instead of showing them; answers questions with `reply`."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.reply = QMessageBox.StandardButton.Yes

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for kind in ("warning", "information", "critical"):
            monkeypatch.setattr(
                QMessageBox,
                kind,
                lambda parent, title, text, *a, _k=kind, **k: self._record(_k, title, text),
            )
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _question(
        self, parent: object, title: str, text: str, *args: object, **kwargs: object
    ) -> QMessageBox.StandardButton:
        self.shown.append(("question", title, text))
        return self.reply

    def _record(self, kind: str, title: str, text: str) -> QMessageBox.StandardButton:
        self.shown.append((kind, title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    recorder = MessageBoxes()
    recorder.install(monkeypatch)
    return recorder
