"""Text roles (title, heading, question, help, answer, red flag and its advice) styled from the
application font, so they grow with the text size the user chose; and labels that show text as
written.

Set in code rather than with a style sheet: an application-wide style sheet cost about 15 MB
and slower painting across the hundreds of widgets of a walkthrough (docs/performance.md).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QFrame, QLabel, QWidget

SCALE = {
    "title": 1.6,
    "heading": 1.25,
    "question": 1.1,
    "answer": 1.0,
    "help": 1.0,
    "redflag": 1.05,
    "redflag_advice": 1.0,
}
BOLD = {"title", "heading", "question", "redflag"}
RED = QColor("#b00020")
RED_TEXT = QColor("#7a0016")
RED_TINT = QColor("#fdecee")


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


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget its role's look now, and remember the role for later text-size changes."""
    widget.setProperty("role", role)
    apply_role(widget)


def apply_role(widget: QWidget) -> None:
    role = str(widget.property("role") or "")
    if role == "redflags" and isinstance(widget, QFrame):
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.Window, RED_TINT)
        palette.setColor(QPalette.ColorRole.WindowText, RED)
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
        palette.setColor(
            QPalette.ColorRole.WindowText,
            palette.color(QPalette.ColorRole.PlaceholderText).darker(130),
        )
        widget.setPalette(palette)
    elif role in ("redflag", "redflag_advice"):
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.WindowText, RED_TEXT)
        widget.setPalette(palette)
    elif role == "answer" and isinstance(widget, QAbstractButton):
        widget.setMinimumHeight(int(widget.fontMetrics().height() * 2.4))


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Text size follows the system font, times the size chosen in the View menu; headings,
    questions and answer buttons are sized by role, so they grow too."""
    base = app.property("base_point_size")
    if not isinstance(base, float):
        size = app.font().pointSizeF()
        base = size if size > 0 else 10.0
        app.setProperty("base_point_size", base)
    font = QFont(app.font())
    font.setPointSizeF(base * scale)
    app.setFont(font)
    restyle_all()


def restyle_all() -> None:
    """After the text size changed: every widget with a role takes the new size."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        for widget in app.allWidgets():
            if widget.property("role"):
                apply_role(widget)
