"""Every view of the program fits a 1024x600 and a 1366x768 screen at the normal and the largest
text size: nothing off the screen, nothing cut off, no sideways scrolling (tests/ui/fit_check.py,
run in a child process with a screen of that size)."""

from __future__ import annotations

import pytest
from fit_check import SCALES, SCREENS, check_window, run_child
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

COMBINATIONS = [
    pytest.param(screen, scale, id=f"{screen[0]}x{screen[1]}-{name}")
    for screen in SCREENS
    for scale, name in SCALES.items()
]


# About half a minute to two minutes each (a full caregiver walkthrough, every question checked).
@pytest.mark.slow  # real child processes: ./tasks.sh test runs it, ./tasks.sh check does not
@pytest.mark.parametrize(("screen", "scale"), COMBINATIONS)
def test_every_view_fits(screen: tuple[int, int], scale: float) -> None:
    result = run_child(screen, scale)
    assert not result.error, result.error
    assert len(result.views) > 50, result.views  # every question of the walkthrough was seen
    assert not result.violations, (
        f"{len(result.violations)} violations in {len(result.views)} views "
        f"({result.seconds:.0f} s):\n" + "\n".join(result.violations)
    )


def test_the_checker_finds_what_does_not_fit(qtbot: QtBot) -> None:
    """A window built to break each rule: the checker names every break (so a pass means
    something), and says nothing about the same window built properly."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    clipped = QLabel("A sentence much too long for the narrow label it is in")
    clipped.setFixedWidth(60)
    wrapped = QLabel("A long sentence that wraps onto several lines in a short label " * 3)
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(120, 20)
    narrow = QPushButton("&Save the action plan as PDF")
    narrow.setFixedWidth(50)
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    wide = QWidget()
    wide.setMinimumWidth(900)
    scroller.setWidget(wide)
    for widget in (clipped, wrapped, narrow, scroller):
        layout.addWidget(widget)
    outside = QPushButton("Off the edge", window)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    outside.move(380, 10)

    found = "\n".join(check_window(window))

    assert "QLabel 'A sentence much too long" in found
    assert "QLabel 'A long sentence that wraps" in found
    assert "QPushButton 'Save the action plan as PDF' is cut off" in found
    assert "QPushButton 'Off the edge'" in found
    assert "sticks out of the window" in found
    assert "scrolls sideways" in found

    for widget in (clipped, narrow):
        widget.setMinimumWidth(0)
        widget.setMaximumWidth(16777215)
    wrapped.setMinimumSize(0, 0)
    wrapped.setMaximumSize(16777215, 16777215)
    wide.setMinimumWidth(0)
    outside.move(10, 10)
    window.resize(700, 500)  # the offscreen screen of a test session is 800x800
    qtbot.waitUntil(lambda: window.width() == 700)
    assert check_window(window) == []


def test_a_window_larger_than_its_screen_is_found(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    window.resize(available.width() + 100, 200)
    window.show()
    qtbot.waitExposed(window)
    assert any("is not inside the screen" in line for line in check_window(window))
