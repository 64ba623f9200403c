"""The summary window's "Letter for the doctor…": it asks where, writes the letter in the
background as the plan is written, and says where it went; cancelled, nothing is written."""

from __future__ import annotations

import subprocess
from pathlib import Path

from drive import wait_idle
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from recorders import FileDialogs

from safetycheck.services.demo import create_demo
from safetycheck.services.workspace import Workspace
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.summary_window import SummaryWindow

LEFT = Qt.MouseButton.LeftButton


def summary_of_the_demo(qtbot: QtBot, gui_ws: Workspace) -> SummaryWindow:
    create_demo(gui_ws)
    window = MainWindow(gui_ws)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window.ops)
    window.people.selectRow(0)
    wait_idle(qtbot, window.ops)
    window.visits.selectRow(0)
    wait_idle(qtbot, window.ops)
    info = window.current_visit()
    assert info is not None
    summary = SummaryWindow(window.ws, window.ops, info, window)
    qtbot.addWidget(summary)
    summary.show()
    qtbot.waitUntil(lambda: summary.view.evaluation is not None, timeout=30_000)
    return summary


def test_the_letter_is_saved_from_the_summary(
    qtbot: QtBot, gui_ws: Workspace, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    summary = summary_of_the_demo(qtbot, gui_ws)
    button = summary.letter_button
    assert button.text() == "Letter for the &doctor…"
    target = tmp_path / "letter.pdf"
    file_dialogs.answers.append(target)
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: summary.view.saved_pdf == target, timeout=30_000)
    kind, title, suggested = file_dialogs.asked[-1]
    assert (kind, title) == ("getSaveFileName", "Save the letter for the doctor")
    assert Path(suggested).name.startswith("letter-for-the-doctor-José Álvarez (demo)-")
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "To the person's doctor" in text
    assert "José Álvarez (demo)" in text
    assert str(target) in summary.view.message.text()
    assert summary.view.open_button.isEnabled()  # "Open the PDF" opens the letter
    assert button.isEnabled()
    assert not list(tmp_path.glob("*.tmp*"))


def test_cancelling_writes_nothing(
    qtbot: QtBot, gui_ws: Workspace, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    summary = summary_of_the_demo(qtbot, gui_ws)
    qtbot.mouseClick(summary.letter_button, LEFT)  # no answer: the dialog is cancelled
    wait_idle(qtbot, summary.view.ops)
    assert file_dialogs.asked
    assert summary.letter_button.isEnabled()
    assert summary.view.saved_pdf is None
    assert list(tmp_path.glob("*.pdf")) == []
