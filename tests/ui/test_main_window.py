"""The placeholder main window: it opens, scores a file, and a bad file gets a message box."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from safetycheck.content import Content
from safetycheck_ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, content: Content) -> MainWindow:
    widget = MainWindow(content)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_scores_an_example_file(window: MainWindow) -> None:
    assert window.show_file(EXAMPLES / "foot-drop-afo-night.json")
    text = window.summary.toPlainText()
    assert "Fall risk: HIGH RISK" in text and "Foot drop" in text


def test_bad_file_shows_a_message_and_keeps_the_last_result(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_file(EXAMPLES / "recent-faller.json")
    before = window.summary.toPlainText()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert not window.show_file(broken)
    assert len(shown) == 1 and "not valid JSON" in shown[0]
    assert window.summary.toPlainText() == before


def test_controls_have_accessible_names(window: MainWindow) -> None:
    assert window.summary.accessibleName()
    assert window.open_button.accessibleDescription()
    assert "&" in window.open_button.text()  # a mnemonic for keyboard users
