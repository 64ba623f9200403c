"""The theme: every text colour it ships against its background at WCAG AA in light and dark,
the chosen tile shown by colour, weight and tick, the thick focus ring, the base text size, and
an icon for every room kind, step and topic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QProxyStyle,
    QPushButton,
    QStyleFactory,
    QWidget,
)
from pytestqt.qtbot import QtBot

from safetycheck.content import Content
from safetycheck.domain.steps import StepKind
from safetycheck_ui import theme
from safetycheck_ui.icons import STEP_ICONS, icon, icon_path_names, room_icon
from safetycheck_ui.style import (
    AMBER,
    AMBER_TEXT,
    AMBER_TINT,
    RED,
    RED_TEXT,
    RED_TINT,
    apply_font_scale,
    plain_label,
    set_role,
)
from safetycheck_ui.theme import (
    DARK,
    LIGHT,
    NON_TEXT_PAIRS,
    TEXT_PAIRS,
    Colors,
    apply_theme,
    contrast_ratio,
    tile_text,
)

AA_TEXT = 4.5
AA_LARGE_TEXT = 3.0
AA_NON_TEXT = 3.0
Role = QPalette.ColorRole


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The theme applied to the test application, and everything it changed put back after."""
    style = qapp.style().name()
    palette = QPalette(qapp.palette())
    font = qapp.font()
    properties = {name: qapp.property(name) for name in ("base_point_size", "font_scale")}
    was_dark = theme.colors() is DARK
    yield qapp
    apply_theme(qapp, dark=was_dark)  # the module's current colours, as they were
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)
    qapp.setFont(font)
    for name, value in properties.items():
        qapp.setProperty(name, value)


def ratio(a: str | QColor, b: str | QColor) -> float:
    return contrast_ratio(QColor(a), QColor(b))


def test_contrast_ratio_follows_wcag() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert ratio("#5a5a5a", "#5a5a5a") == pytest.approx(1.0)
    # Published reference values: #777777 on white just fails AA, #767676 just passes.
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def failures(colors: Colors) -> list[str]:
    bad = []
    for what, fore, back, large in TEXT_PAIRS:
        needed = AA_LARGE_TEXT if large else AA_TEXT
        found = ratio(getattr(colors, fore), getattr(colors, back))
        if found < needed:
            bad.append(f"{what}: {found:.2f} < {needed}")
    for what, fore, back in NON_TEXT_PAIRS:
        found = ratio(getattr(colors, fore), getattr(colors, back))
        if found < AA_NON_TEXT:
            bad.append(f"{what}: {found:.2f} < {AA_NON_TEXT}")
    return bad


@pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])
def test_every_pair_of_the_palettes_meets_aa(colors: Colors) -> None:
    assert failures(colors) == []


def test_the_check_catches_a_bad_colour() -> None:
    from dataclasses import replace

    # The help text as it was: the placeholder grey darkened, about 3.9:1 on the window.
    old_help = replace(LIGHT, help_text="#767f8a")
    assert failures(old_help) == [
        "help text on window: 3.79 < 4.5",
        "help text on base: 4.06 < 4.5",
    ]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_applied_palette_is_the_checked_one(themed: QApplication, dark: bool) -> None:
    apply_theme(themed, dark=dark)
    colors = DARK if dark else LIGHT
    palette = themed.palette()
    style = themed.style()
    assert isinstance(style, QProxyStyle)
    assert style.baseStyle().name().lower() == "fusion"
    for fore, back in (
        (Role.WindowText, Role.Window),
        (Role.Text, Role.Base),
        (Role.ButtonText, Role.Button),
        (Role.HighlightedText, Role.Highlight),
        (Role.PlaceholderText, Role.Base),
        (Role.Link, Role.Base),
        (Role.ToolTipText, Role.ToolTipBase),
    ):
        assert ratio(palette.color(fore), palette.color(back)) >= AA_TEXT, (fore, back)
    disabled = QPalette.ColorGroup.Disabled
    assert (
        ratio(palette.color(disabled, Role.WindowText), palette.color(disabled, Role.Window))
        >= AA_TEXT
    )
    assert palette.color(Role.Window) == QColor(colors.window)
    assert (palette.color(Role.Window).lightness() < 128) is dark


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_roles_take_the_theme_colours(themed: QApplication, qtbot: QtBot, dark: bool) -> None:
    apply_theme(themed, dark=dark)
    colors = DARK if dark else LIGHT
    page = QWidget()
    qtbot.addWidget(page)
    help_label = plain_label("Loose rugs slide.")
    set_role(help_label, "help")
    flag = plain_label("Call now.")
    set_role(flag, "redflag")
    window = page.palette().color(Role.Window)
    help_colour = help_label.palette().color(Role.WindowText)
    assert help_colour == QColor(colors.help_text)
    assert ratio(help_colour, window) >= AA_TEXT
    assert ratio(flag.palette().color(Role.WindowText), QColor(colors.red_tint)) >= AA_TEXT


def tiles(qtbot: QtBot, role: str = "tile") -> tuple[QWidget, list[QPushButton]]:
    page = QWidget()
    qtbot.addWidget(page)
    row = QHBoxLayout(page)
    group = QButtonGroup(page)  # as the item rows have it
    buttons = []
    for label in ("Yes", "No", "Not sure"):
        button = QPushButton(label)
        button.setCheckable(True)
        group.addButton(button)
        set_role(button, role)
        row.addWidget(button)
        buttons.append(button)
    row.addWidget(QLineEdit())  # a note, as in an item row: somewhere else to Tab from
    with qtbot.waitExposed(page):
        page.show()
    return page, buttons


@pytest.mark.parametrize("role", ["tile", "answer"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_chosen_tile_shows_by_colour_and_weight(
    themed: QApplication, qtbot: QtBot, role: str, dark: bool
) -> None:
    apply_theme(themed, dark=dark)
    colors = DARK if dark else LIGHT
    _page, (yes, no, _unsure) = tiles(qtbot, role)
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert no.isChecked()
    assert no.palette().color(Role.Button) == QColor(colors.chosen)
    assert no.palette().color(Role.ButtonText) == QColor(colors.chosen_text)
    assert no.font().bold()
    assert yes.palette().color(Role.Button) == QColor(colors.button)
    assert not yes.font().bold()
    # The chosen fill is what the tile shows: sample its middle, away from the text.
    image = no.grab().toImage()
    assert image.pixelColor(QPoint(4 + 2, image.height() // 2)) == QColor(colors.chosen)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert not no.font().bold()
    assert no.palette().color(Role.Button) == QColor(colors.button)


def test_tile_text_carries_the_tick() -> None:
    assert tile_text("Yes", True) == "✓ Yes"
    assert tile_text("Yes", False) == "Yes"


def test_tiles_grow_with_the_text_size(themed: QApplication, qtbot: QtBot) -> None:
    apply_theme(themed, dark=False)
    apply_font_scale(themed, 1.0)
    _page, (yes, _no, _unsure) = tiles(qtbot)
    normal = yes.minimumHeight()
    assert normal >= 2 * yes.fontMetrics().height()  # easy to hit, yet two fit a small screen
    apply_font_scale(themed, 2.0)
    assert yes.minimumHeight() >= 1.8 * normal
    assert yes.height() >= yes.minimumHeight()
    apply_font_scale(themed, 1.0)


def test_the_keyboard_focus_ring_is_thick_and_in_the_focus_colour(
    themed: QApplication, qtbot: QtBot
) -> None:
    apply_theme(themed, dark=False)
    page, (yes, no, _unsure) = tiles(qtbot)
    with qtbot.waitActive(page):
        page.activateWindow()
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert no.hasFocus()
    # A click alone shows no ring (Fusion's rule); the keyboard does.
    assert QColor(LIGHT.focus) not in row_colours(no)
    # Tab from the note into the answers lands on the chosen one, and shows its ring.
    note = page.findChild(QLineEdit)
    assert note is not None
    qtbot.mouseClick(note, Qt.MouseButton.LeftButton)
    assert note.hasFocus()
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    assert no.hasFocus()
    focus = QColor(LIGHT.focus)
    # Across the left edge of the chosen tile: 3 px of the focus colour, then the inner ring
    # (light on the chosen fill), then the fill.
    run = row_colours(no)
    assert sum(colour == focus for colour in run) >= 3, [c.name() for c in run]
    assert QColor(LIGHT.focus_inner) in run
    assert run[-1] == QColor(LIGHT.chosen)
    assert focus not in row_colours(yes)  # only the focused tile has the ring


def row_colours(button: QPushButton) -> list[QColor]:
    """The first 10 pixels of a button's middle row, from its left edge inwards."""
    image = button.grab().toImage()
    return [image.pixelColor(QPoint(x, image.height() // 2)) for x in range(10)]


def test_base_text_size_is_at_least_11_points(themed: QApplication) -> None:
    small = themed.font()
    small.setPointSizeF(9.0)
    themed.setFont(small)
    themed.setProperty("base_point_size", None)
    apply_theme(themed, dark=False)
    assert themed.font().pointSizeF() == pytest.approx(11.0)
    apply_font_scale(themed, 2.0)
    assert themed.font().pointSizeF() == pytest.approx(22.0)
    apply_font_scale(themed, 1.0)


def test_theme_applied_after_the_text_size_keeps_the_size(themed: QApplication) -> None:
    small = themed.font()
    small.setPointSizeF(9.0)
    themed.setFont(small)
    themed.setProperty("base_point_size", None)
    apply_font_scale(themed, 1.5)
    apply_theme(themed, dark=False)
    assert themed.font().pointSizeF() == pytest.approx(16.5)
    apply_font_scale(themed, 1.0)


def test_summary_box_colours_meet_aa() -> None:
    # The summary's HTML boxes: line colour and text colour on their tint.
    for fore, back in ((RED, RED_TINT), (RED_TEXT, RED_TINT), (AMBER, AMBER_TINT)):
        assert contrast_ratio(fore, back) >= AA_TEXT
    assert contrast_ratio(AMBER_TEXT, AMBER_TINT) >= AA_TEXT


def test_every_room_kind_step_and_topic_has_an_icon(themed: QApplication, content: Content) -> None:
    apply_theme(themed, dark=True)
    names = set(icon_path_names())
    kinds = {kind.id for kind in content.checklist.room_kinds}
    steps = {kind.value for kind in StepKind if kind is not StepKind.ROOM}
    topics = {"redflag", "floors", "lighting", "rails", "photo", "note"}
    assert steps <= set(STEP_ICONS)
    wanted = kinds | {STEP_ICONS[step] for step in steps} | topics
    assert wanted <= names, wanted - names
    for name in sorted(wanted):
        drawn = icon(name)
        assert not drawn.isNull(), name
        image = drawn.pixmap(48, 48).toImage()
        inked = [image.pixelColor(QPoint(x, y)) for x in range(48) for y in range(48)]
        # Drawn in the dark theme's text colour, so it shows on the dark window.
        solid = [c for c in inked if c.alpha() == 255]
        assert solid, name
        text = QColor(DARK.window_text)
        assert all(
            max(
                abs(c.red() - text.red()),
                abs(c.green() - text.green()),
                abs(c.blue() - text.blue()),
            )
            <= 2
            for c in solid
        ), name
    assert not room_icon("shed").isNull()  # a kind without a drawing gets the generic room
    assert icon("no-such-icon").isNull()


def test_a_dark_system_palette_gives_the_dark_theme(themed: QApplication) -> None:
    # The tests run offscreen, where the platform says no colour scheme: the palette decides.
    assert themed.styleHints().colorScheme() == Qt.ColorScheme.Unknown
    themed.setProperty("theme_dark", None)
    system = QPalette(themed.palette())
    system.setColor(Role.Window, QColor("#202020"))
    themed.setPalette(system)
    apply_theme(themed)
    assert theme.colors() is DARK
    assert themed.palette().color(Role.Window) == QColor(DARK.window)
    apply_theme(themed)  # again (as when the system switches): the palette is ours now
    assert theme.colors() is DARK
