"""The program's icons (data/icons/<name>.svg, one colour on a 24×24 grid), drawn in the theme's
text colour so they read on a light and a dark window alike."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from safetycheck.resources import data_dir

from .theme import colors

# The icons are drawn with this colour; icon() swaps it for the theme's (QtSvg has no CSS
# `color` to inherit from, so currentColor would otherwise be black).
PLACEHOLDER = "currentColor"
# Pixmap sizes in the icon: from a menu's 16 px to a tile's icon at the largest text size.
SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128)

# The icon of each walkthrough step kind (a room step takes its room kind's icon).
STEP_ICONS = {
    "who": "who",
    "falls": "falls",
    "person": "person",
    "home": "home",
    "home_checks": "home_checks",
    "footwear": "footwear",
    "brace": "brace",
    "summary": "summary",
}


def icon_path_names() -> list[str]:
    """Every icon name there is (the file names without .svg), but the program's own logo."""
    folder = data_dir() / "icons"
    return sorted(path.stem for path in folder.glob("*.svg") if path.stem != "safetycheck")


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """The icon called `name`, in `color` (default: the theme's window text colour). An unknown
    name gives a null icon, so a missing drawing never stops a page from opening. Made once per
    name and colour; after the theme switches between light and dark, ask again."""
    wanted = QColor(color) if color is not None else QColor(colors().window_text)
    return QIcon(_icon(name, wanted.name()))


def room_icon(kind: str) -> QIcon:
    """A room kind's icon, or the generic room's when the kind has no drawing of its own."""
    found = icon(kind)
    return found if not found.isNull() else icon("other")


@cache
def _svg(name: str) -> bytes | None:
    path = data_dir() / "icons" / f"{name}.svg"
    try:
        return path.read_bytes()
    except OSError:
        return None


@cache
def _icon(name: str, color: str) -> QIcon:
    source = _svg(name)
    if source is None:
        return QIcon()
    renderer = QSvgRenderer(QByteArray(source.replace(PLACEHOLDER.encode(), color.encode())))
    if not renderer.isValid():
        return QIcon()
    result = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result
