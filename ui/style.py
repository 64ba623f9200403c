"""Text roles (title, heading, question, help, answer, tile, red flag and its advice) styled from
the application font and the theme's colours (ui/theme.py), so they grow with the text size the
user chose and follow light or dark; and labels that show text as written.

Set in code rather than with a style sheet: an application-wide style sheet cost about 15 MB
and slower painting across the hundreds of widgets of a walkthrough (docs/performance.md).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QFrame, QLabel, QWidget

from .theme import (
    LIGHT,
    TILE_ROLES,
    TYPE_SCALE,
    checked_tile_palette,
    colors,
    on_theme_change,
    set_font_scale,
)

SCALE = TYPE_SCALE
BOLD = {"title", "heading", "question", "redflag"}
# The light theme's alert colours, for code that needs a fixed colour (the summary's HTML). A
# box drawn with them must set its text colour too (RED_TEXT, AMBER_TEXT): then it reads the same
# on a light or a dark window. Widgets take the current theme's colours through apply_role.
RED = QColor(LIGHT.red_line)
RED_TEXT = QColor(LIGHT.red_text)
RED_TINT = QColor(LIGHT.red_tint)
AMBER = QColor(LIGHT.amber_line)
AMBER_TEXT = QColor(LIGHT.amber_text)
AMBER_TINT = QColor(LIGHT.amber_tint)


def alert_colors(kind: str) -> tuple[str, str, str]:
    """(tint, line, text) as #rrggbb for a "red" or "amber" box in the current theme: dark tints
    with light text in the dark theme. For HTML made when the page is shown."""
    theme = colors()
    if kind == "red":
        return theme.red_tint, theme.red_line, theme.red_text
    return theme.amber_tint, theme.amber_line, theme.amber_text


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text exactly as written, never as HTML: every label of the
    program is made here. A QLabel's default (AutoText) renders anything that looks like
    markup, and labels show names, rooms, notes and file names that someone typed or imported
    (`<img src="/local/file.png">` would show a local image, `<h1>` a fake heading)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _base_font() -> QFont:
    app = QApplication.instance()
    return QFont(app.font()) if isinstance(app, QApplication) else QFont()


def _base_font_metrics_height() -> int:
    return QFontMetrics(_base_font()).height()


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget its role's look now, and remember the role for later text-size changes."""
    widget.setProperty("role", role)
    if (
        role in TILE_ROLES
        and isinstance(widget, QAbstractButton)
        and not widget.property("role_follows_check")
    ):
        # Checking a tile changes its colour and weight (its tick is its owner's: tile_text).
        widget.setProperty("role_follows_check", True)
        widget.toggled.connect(lambda _on, button=widget: apply_role(button))
    apply_role(widget)


def apply_role(widget: QWidget) -> None:
    """Style a widget for its role (set_role's second half; again after a text-size or theme
    change, and when a tile or answer button is checked or unchecked)."""
    role = str(widget.property("role") or "")
    theme = colors()
    if role == "boxes":
        # Radio buttons and tick boxes as large as the text: the style
        # draws them at a fixed size otherwise, tiny at the largest text size. A style sheet
        # on these few widgets only (on the whole program it cost memory and paint time).
        side = max(13, int(_base_font_metrics_height() * 0.9))
        widget.setStyleSheet(
            f"QRadioButton::indicator, QCheckBox::indicator"
            f" {{ width: {side}px; height: {side}px; }}"
        )
        return
    if role == "redflags" and isinstance(widget, QFrame):
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.red_tint))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.red_line))
        widget.setPalette(palette)
        widget.setAutoFillBackground(True)
        widget.setFrameShape(QFrame.Shape.Box)
        widget.setLineWidth(3)
        return
    if role not in SCALE:
        return
    font = _base_font()
    font.setPointSizeF(font.pointSizeF() * SCALE[role])
    font.setBold(role in BOLD or (isinstance(widget, QAbstractButton) and widget.isChecked()))
    widget.setFont(font)
    if role == "help":
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.help_text))
        widget.setPalette(palette)
    elif role in ("redflag", "redflag_advice"):
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.red_text))
        widget.setPalette(palette)
    elif role in TILE_ROLES and isinstance(widget, QAbstractButton):
        # Chosen: the chosen colour and bold here, the tick in the text (theme.tile_text).
        widget.setPalette(checked_tile_palette(widget))
        # Tall enough to hit easily; a Tile grows further when its words wrap.
        lines = 2.0
        widget.setMinimumHeight(int(widget.fontMetrics().height() * lines))


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Text size follows the system font (raised to the theme's base size by apply_theme),
    times the size chosen in the View menu; headings, questions and answer buttons are sized
    by role, so they grow too."""
    set_font_scale(app, scale)
    restyle_all()


def restyle_all() -> None:
    """After the text size or the theme changed: every widget with a role takes its new look."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        for widget in app.allWidgets():
            if widget.property("role"):
                apply_role(widget)


on_theme_change(restyle_all)
