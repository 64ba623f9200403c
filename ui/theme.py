"""The program's one theme: a light and a dark palette (following the system's), the Fusion
style drawn with large answer tiles and a thick focus ring, the base text size, spacing and the
type scale; and the WCAG contrast ratio the palettes are checked with (tests/ui/test_theme.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache, lru_cache

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

# Normal text size in points before the user's own text size: 9 pt (a common system default)
# is too small for a caregiver in their seventies; the system's size is kept when larger.
BASE_POINT_SIZE = 11.0

# Spacing in pixels at the normal text size (layouts multiply by the text size if they grow).
SPACE_XS = 4
SPACE_S = 8
SPACE_M = 12
SPACE_L = 16
SPACE_XL = 24

# Type scale: a role's size relative to the text size the user chose.
TYPE_SCALE = {
    "title": 1.6,
    "heading": 1.25,
    "question": 1.1,
    "tile": 1.2,
    "answer": 1.0,
    "help": 1.0,
    "redflag": 1.05,
    "redflag_advice": 1.0,
}

# Roles whose buttons this theme draws itself: a filled tile, a clear border, the chosen state.
TILE_ROLES = frozenset({"tile", "answer"})
FOCUS_WIDTH = 3  # px: WCAG 2.2 (2.4.13, focus appearance) asks for at least 2 px


@dataclass(frozen=True, slots=True)
class Colors:
    """Every colour the program shows, as #rrggbb; text colours are paired with their backgrounds
    in TEXT_PAIRS and checked for contrast."""

    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    border: str  # the outline of tiles and answer buttons
    chosen: str  # the fill of a chosen tile
    chosen_text: str
    help_text: str
    highlight: str
    highlighted_text: str
    placeholder: str
    disabled_text: str
    link: str
    link_visited: str
    tooltip_base: str
    tooltip_text: str
    focus: str  # the outer focus ring
    focus_inner: str  # the inner ring, so the focus shows on a chosen (filled) tile too
    red_line: str
    red_text: str
    red_tint: str
    amber_line: str
    amber_text: str
    amber_tint: str


LIGHT = Colors(
    window="#f6f7f9",
    window_text="#1a1a1a",
    base="#ffffff",
    alternate_base="#eef1f4",
    text="#1a1a1a",
    button="#ffffff",
    button_text="#1a1a1a",
    border="#5f6872",
    chosen="#1f5f8b",
    chosen_text="#ffffff",
    help_text="#4a535c",
    highlight="#1f5f8b",
    highlighted_text="#ffffff",
    placeholder="#5f6872",
    disabled_text="#6b7178",
    link="#0b57a4",
    link_visited="#5b2d8e",
    tooltip_base="#ffffff",
    tooltip_text="#1a1a1a",
    focus="#c2410c",
    focus_inner="#ffffff",
    red_line="#b00020",
    red_text="#7a0016",
    red_tint="#fdecee",
    amber_line="#8a5a00",
    amber_text="#5c3c00",
    amber_tint="#fff4d6",
)

DARK = Colors(
    window="#1e2124",
    window_text="#e8eaed",
    base="#15171a",
    alternate_base="#23272b",
    text="#e8eaed",
    button="#2a2e33",
    button_text="#e8eaed",
    border="#9aa3ad",
    chosen="#9ccbff",
    chosen_text="#0d1b2a",
    help_text="#b8bfc6",
    highlight="#9ccbff",
    highlighted_text="#0d1b2a",
    placeholder="#9aa3ad",
    disabled_text="#9299a1",
    link="#8ab4f8",
    link_visited="#c8a2f0",
    tooltip_base="#2a2e33",
    tooltip_text="#e8eaed",
    focus="#ffb366",
    focus_inner="#15171a",
    red_line="#ff6b7d",
    red_text="#ffd0d5",
    red_tint="#3d1016",
    amber_line="#e0a030",
    amber_text="#ffe2a8",
    amber_tint="#3a2c0a",
)

# (what, text colour, background colour, large text only): every text the palettes put on a
# background. Large text (18 pt, or 14 pt bold) needs 3:1, all other text 4.5:1.
TEXT_PAIRS: tuple[tuple[str, str, str, bool], ...] = (
    ("window text on window", "window_text", "window", False),
    ("text on base", "text", "base", False),
    ("text on alternate rows", "text", "alternate_base", False),
    ("button text on button", "button_text", "button", False),
    ("chosen text on chosen tile", "chosen_text", "chosen", False),
    ("help text on window", "help_text", "window", False),
    ("help text on base", "help_text", "base", False),
    ("highlighted text on highlight", "highlighted_text", "highlight", False),
    ("placeholder on base", "placeholder", "base", False),
    ("disabled text on window", "disabled_text", "window", False),
    ("link on base", "link", "base", False),
    ("link on window", "link", "window", False),
    ("visited link on base", "link_visited", "base", False),
    ("tooltip text on tooltip", "tooltip_text", "tooltip_base", False),
    ("red flag text on red tint", "red_text", "red_tint", False),
    ("red flag line colour on red tint", "red_line", "red_tint", False),
    ("amber text on amber tint", "amber_text", "amber_tint", False),
    ("amber line colour on amber tint", "amber_line", "amber_tint", False),
)
# Parts of controls that are not text (WCAG 1.4.11): 3:1 against what they sit on.
NON_TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("tile border on window", "border", "window"),
    ("tile border on button", "border", "button"),
    ("chosen tile on window", "chosen", "window"),
    ("chosen tile on button", "chosen", "button"),
    ("focus ring on window", "focus", "window"),
    ("focus ring on button", "focus", "button"),
    ("inner focus ring on chosen tile", "focus_inner", "chosen"),
    ("red flag frame on window", "red_line", "window"),
)


def relative_luminance(color: QColor) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0 black … 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2.1 contrast ratio of two colours, 1.0 (none) to 21.0 (black on white)."""
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


_current: Colors = LIGHT


def colors() -> Colors:
    """The colours of the theme in use (light until apply_theme chose)."""
    return _current


def system_is_dark(app: QApplication) -> bool:
    """Whether the system asks for a dark look: the colour scheme hint (Qt 6.5+), else the
    lightness of the system's window colour (desktops that give no hint), read before this
    theme replaced the palette."""
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    chosen = app.property("theme_dark")
    if isinstance(chosen, bool):  # the palette is ours now: keep what the system's said
        return chosen
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def palette_for(theme: Colors) -> QPalette:
    """The QPalette of a theme, with the disabled group dimmed but still readable."""
    role = QPalette.ColorRole
    palette = QPalette()
    for name, value in (
        (role.Window, theme.window),
        (role.WindowText, theme.window_text),
        (role.Base, theme.base),
        (role.AlternateBase, theme.alternate_base),
        (role.Text, theme.text),
        (role.Button, theme.button),
        (role.ButtonText, theme.button_text),
        (role.BrightText, theme.red_line),
        (role.Highlight, theme.highlight),
        (role.HighlightedText, theme.highlighted_text),
        (role.PlaceholderText, theme.placeholder),
        (role.Link, theme.link),
        (role.LinkVisited, theme.link_visited),
        (role.ToolTipBase, theme.tooltip_base),
        (role.ToolTipText, theme.tooltip_text),
        (role.Accent, theme.highlight),
    ):
        palette.setColor(name, QColor(value))
    # Fusion draws bevels and frames from these; the tile border is drawn by _ThemeStyle.
    window = QColor(theme.window)
    palette.setColor(role.Light, window.lighter(120))
    palette.setColor(role.Midlight, window.lighter(110))
    palette.setColor(role.Mid, QColor(theme.border))
    palette.setColor(role.Dark, QColor(theme.border).darker(130))
    palette.setColor(role.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, name, QColor(theme.disabled_text))
    palette.setColor(disabled, role.Button, window)
    palette.setColor(disabled, role.Base, window)
    return palette


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Use the theme for the whole program: the palette (dark when the system is, unless `dark`
    says), the style, and a base text size of at least BASE_POINT_SIZE, times the text size
    chosen so far. Call it before the first window; it follows the system when that switches
    between light and dark."""
    global _current
    if dark is None:
        dark = system_is_dark(app)
    _current = DARK if dark else LIGHT
    if not isinstance(app.style(), _ThemeStyle):
        app.setStyle(_ThemeStyle())
    app.setPalette(palette_for(_current))
    app.setProperty("theme_dark", dark)
    base = app.property("base_point_size")
    if not isinstance(base, float):
        base = app.font().pointSizeF()
    app.setProperty("base_point_size", max(base, BASE_POINT_SIZE))
    scale = app.property("font_scale")
    set_font_scale(app, scale if isinstance(scale, float) else 1.0)
    for listener in _listeners:  # ui.style: roles take the new colours
        listener()
    if not app.property("theme_follows_system"):
        app.setProperty("theme_follows_system", True)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow_system(app))


def _follow_system(app: QApplication) -> None:
    apply_theme(app)


def set_font_scale(app: QApplication, scale: float) -> None:
    """The application font: the base size (the system's, found once and kept in the app
    property "base_point_size"; apply_theme raises it to BASE_POINT_SIZE) times `scale`, the
    text size the user chose (kept in "font_scale"). ui.style.apply_font_scale calls this and
    restyles the roles."""
    base = app.property("base_point_size")
    if not isinstance(base, float):
        size = app.font().pointSizeF()
        base = size if size > 0 else BASE_POINT_SIZE
        app.setProperty("base_point_size", base)
    app.setProperty("font_scale", float(scale))
    font = QFont(app.font())
    font.setPointSizeF(base * scale)
    app.setFont(font)


_listeners: list[Callable[[], None]] = []


def on_theme_change(listener: Callable[[], None]) -> None:
    """Call `listener` after every apply_theme (ui.style registers its restyling here, so this
    module, below it, never imports it)."""
    if listener not in _listeners:
        _listeners.append(listener)


def tile_text(label: str, chosen: bool) -> str:
    """A tile's text: the chosen one carries a tick, so the choice shows without colour."""
    return f"✓ {label}" if chosen else label


class _ThemeStyle(QProxyStyle):
    """Fusion (it honours the palette on every platform), with answer tiles drawn as filled,
    bordered panels, a thick two-colour focus ring that shows on any tile, and control edges
    that can be seen.

    Only drawPrimitive is overridden: every override is a call into Python (about 25 µs each,
    measured), and a primitive is the smallest set that does all of this (a push button's
    panel and focus ring are primitives; its label stays Fusion's). Sizes stay Fusion's: the
    answer tiles (ui/tile.py) size themselves from their words."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(  # noqa: N802
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == _PANEL and isinstance(widget, QPushButton):
            # Fusion shows a push button's focus in its panel (a 1 px line), never through
            # PE_FrameFocusRect: the thick ring goes here, around the whole button.
            if widget.property("role") in TILE_ROLES:
                _draw_tile(option, painter)
            else:
                super().drawPrimitive(element, option, painter, widget)
            if _keyboard_focus(option):
                _draw_focus_ring(painter, option.rect)
            return
        if element == _FOCUS:
            if _keyboard_focus(option):  # once the keyboard moved the focus, as Fusion does
                _draw_focus_ring(painter, option.rect, inner=False)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in _OUTLINED:
            # Fusion outlines tick boxes, radio buttons and text fields in the window colour
            # darkened: about 2:1 in the light theme, invisible in the dark one; WCAG 1.4.11
            # wants a control's edge at 3:1.
            _draw_outline(painter, option, round_=element == _RADIO)


def _draw_tile(option: QStyleOption, painter: QPainter) -> None:
    theme = colors()
    state = option.state.value
    checked = state & _ON
    enabled = state & _ENABLED
    fill = option.palette.color(QPalette.ColorRole.Button)
    if enabled and not checked and state & _HOVER:
        fill = _qcolor(theme.alternate_base)
    if not enabled:
        line = _qcolor(theme.disabled_text)
    else:
        line = _qcolor(theme.chosen if checked else theme.border)
    ratio = painter.device().devicePixelRatioF()
    rect = option.rect
    painter.drawPixmap(
        rect.topLeft(), _tile_panel(rect.width(), rect.height(), fill.rgba(), line.rgba(), ratio)
    )


@lru_cache(maxsize=32)  # a page's few sizes and states; a window being resized makes many
def _tile_panel(width: int, height: int, fill: int, line: int, ratio: float) -> QPixmap:
    # Drawn once per size and state, as Fusion caches its own buttons: an antialiased rounded
    # rectangle costs more than copying a pixmap, and a page can hold a hundred tiles.
    pixmap = QPixmap(round(width * ratio), round(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor.fromRgba(line), 2))
    painter.setBrush(QColor.fromRgba(fill))
    painter.drawRoundedRect(QRectF(0, 0, width, height).adjusted(1, 1, -1, -1), 6, 6)
    painter.end()
    return pixmap


def _draw_outline(painter: QPainter, option: QStyleOption, round_: bool) -> None:
    theme = colors()
    painter.save()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    enabled = option.state.value & _ENABLED
    painter.setPen(_qcolor(theme.border if enabled else theme.disabled_text))
    if round_:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawEllipse(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5))
    else:
        painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
    painter.restore()


def _keyboard_focus(option: QStyleOption) -> bool:
    # Shown once the keyboard moved the focus, not after a click (as Fusion does).
    return option.state.value & _KEYBOARD_FOCUS == _KEYBOARD_FOCUS


@cache
def _qcolor(name: str) -> QColor:
    return QColor(name)


_FOCUS = QStyle.PrimitiveElement.PE_FrameFocusRect
_PANEL = QStyle.PrimitiveElement.PE_PanelButtonCommand
_RADIO = QStyle.PrimitiveElement.PE_IndicatorRadioButton
_OUTLINED = frozenset(
    {
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        _RADIO,
        QStyle.PrimitiveElement.PE_FrameLineEdit,
    }
)
# State flags as integers: testing a Python enum flag costs more than the drawing it decides.
_ON = QStyle.StateFlag.State_On.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_HOVER = QStyle.StateFlag.State_MouseOver.value
_KEYBOARD_FOCUS = (
    QStyle.StateFlag.State_HasFocus.value | QStyle.StateFlag.State_KeyboardFocusChange.value
)


def draw_focus_ring(painter: QPainter, rect: QRect) -> None:
    """The focus ring round a widget that draws its own focus (the grid's question row)."""
    _draw_focus_ring(painter, rect, inner=False)


def _draw_focus_ring(painter: QPainter, rect: QRect, inner: bool = True) -> None:
    # Pens centred on half pixels, so the rings are exactly FOCUS_WIDTH and 2 px wide.
    theme = colors()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    outer = FOCUS_WIDTH / 2
    painter.setPen(QPen(_qcolor(theme.focus), FOCUS_WIDTH))
    painter.drawRoundedRect(QRectF(rect).adjusted(outer, outer, -outer, -outer), 6, 6)
    if inner:
        step = FOCUS_WIDTH + 1
        painter.setPen(QPen(_qcolor(theme.focus_inner), 2))
        painter.drawRoundedRect(QRectF(rect).adjusted(step, step, -step, -step), 4, 4)
    painter.restore()


def checked_tile_palette(widget: QAbstractButton) -> QPalette:
    """The palette a tile or answer button needs for its state: the chosen colour when checked."""
    theme = colors()
    palette = QPalette(widget.palette())
    chosen = widget.isChecked()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(
            group, QPalette.ColorRole.Button, QColor(theme.chosen if chosen else theme.button)
        )
        palette.setColor(
            group,
            QPalette.ColorRole.ButtonText,
            QColor(theme.chosen_text if chosen else theme.button_text),
        )
    return palette


def color_names() -> tuple[str, ...]:
    """The names of the theme's colours (for tests and the contrast table)."""
    return tuple(field.name for field in fields(Colors))
