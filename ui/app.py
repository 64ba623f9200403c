"""Composition root of the desktop program: builds the application and its main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from safetycheck.content import load_content

from .main_window import MainWindow


def run(argv: list[str]) -> int:
    """Open the main window and run until it is closed."""
    QCoreApplication.setOrganizationName("safetycheck")
    QCoreApplication.setApplicationName("safetycheck")
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    content = load_content()
    window = MainWindow(content)
    window.show()
    return int(app.exec())


def main() -> int:
    return run(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(run([Path(sys.argv[0]).name, *sys.argv[1:]]))
