"""Saves a screenshot of the main window and of every walkthrough page into this folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

It drives the real program through a caregiver's walkthrough of a sample home (foot drop with a
brace, up at night) on a throwaway database, clicking the same buttons a person would.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from safetycheck_ui.items_page import ItemsPage
from safetycheck_ui.step_page import StepPage

HERE = Path(__file__).resolve().parent
# The same helpers the GUI tests drive the walkthrough with.
sys.path.insert(0, str(HERE.parent.parent / "tests" / "ui"))

from drive import FOOT_DROP_AFO, answer_page, settle  # noqa: E402


def grab(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(HERE / f"{name}.png"))
    print(HERE / f"{name}.png")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        from safetycheck_ui.app import create_application

        app = create_application([])
        from safetycheck.services.workspace import open_workspace
        from safetycheck_ui.main_window import MainWindow
        from safetycheck_ui.who_page import WhoPage

        ws = open_workspace(f"sqlite:///{folder}/shots.sqlite3")
        window = MainWindow(ws)
        window.resize(1100, 700)
        window.show()
        settle(window.ops)
        grab(window, "00-main-window-first-start")
        wizard = window.new_walkthrough(None)
        wizard.resize(900, 820)
        settle(window.ops)  # the list of people
        who = wizard.currentPage()
        assert isinstance(who, WhoPage)
        who.new_name.setText("Rosa Martínez")
        who.birth_year.setValue(1947)
        who.assessor.setText("Luis Martínez")
        grab(wizard, "01-who-and-how")
        wizard.next()
        answers = FOOT_DROP_AFO
        step = 2
        while True:
            page = wizard.currentPage()
            assert isinstance(page, StepPage)
            name = page.page_key()
            if isinstance(page, ItemsPage):
                answer_page(None, page, answers)
                if page.room_id and wizard.session is not None:
                    room = wizard.session.assessment.room(page.room_id)
                    name = "room-" + room.name.lower().replace(" ", "-")
            settle(window.ops)  # the summary is read in the background
            grab(wizard, f"{step:02d}-{name}")
            if wizard.nextId() == -1:
                break
            wizard.next()
            step += 1
        wizard.accept()  # finishes the visit in the background, then closes
        settle(window.ops)
        grab(window, f"{step + 1:02d}-main-window-after-visit")
        ws.close()
        app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
