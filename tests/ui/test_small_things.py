"""The small things of issue 12 that stop people: a main window that fits its screen at every
text size, text size in any window, the people list's columns and its empty text, messages
that read as sentences and never lose what was typed, the first-start screen, and photos
shown as thumbnails that open in the Pictures folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from drive import wait_idle
from PySide6.QtCore import QLocale, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from recorders import FileDialogs, MessageBoxes

from safetycheck.domain.checklist import Mode
from safetycheck.domain.steps import StepKind
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.people import list_people
from safetycheck.services.workspace import Workspace
from safetycheck_ui.dialogs import PersonDialog
from safetycheck_ui.main_window import (
    LISTS,
    WELCOME,
    MainWindow,
    minutes_for,
    usual_walkthrough,
)
from safetycheck_ui.operations import Operations
from safetycheck_ui.photos import PhotoStrip, choose_photo_file
from safetycheck_ui.session import SECONDS_PER_QUESTION, WalkthroughSession
from safetycheck_ui.settings import FONT_SCALES, Settings
from safetycheck_ui.style import apply_font_scale, set_role
from safetycheck_ui.text_size import MIN_SHARE, text_size_actions

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def normal_text(qapp: QApplication) -> Iterator[None]:
    """Every test starts and ends at the normal text size (the application font is shared)."""
    apply_font_scale(qapp, 1.0)
    yield
    apply_font_scale(qapp, 1.0)


def available() -> QRect:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def open_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, window.ops)
    return window


def inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


# ---- the main window fits its screen ----------------------------------------------------------


def saved_geometry(qtbot: QtBot, rect: QRect) -> None:
    """What a window of that size and place would have saved on closing."""
    other = QWidget()
    qtbot.addWidget(other)
    other.setGeometry(rect)
    Settings().geometry = other.saveGeometry()


@pytest.mark.parametrize(
    "case", ["huge", "off the screen", "a thin strip", "fits"], ids=lambda case: case
)
def test_a_remembered_geometry_is_clamped_to_the_screen(
    qtbot: QtBot, gui_ws: Workspace, case: str
) -> None:
    screen = available()
    w, h = screen.width(), screen.height()
    rect = {
        "huge": QRect(screen.x(), screen.y(), w * 3, h * 2),
        "off the screen": QRect(screen.right() + 400, screen.bottom() + 300, w // 2, h // 2),
        # What the issue saw after a small screen: 1017x285, a strip.
        "a thin strip": QRect(screen.x() + 10, screen.y() + 10, int(w * 0.9), int(h * 0.25)),
        "fits": QRect(screen.x() + 20, screen.y() + 30, int(w * 0.7), int(h * 0.6)),
    }[case]
    saved_geometry(qtbot, rect)
    window = open_window(qtbot, gui_ws)
    qtbot.waitUntil(lambda: inside(screen, window.frameGeometry()))
    assert window.width() <= w
    assert window.height() <= h
    assert window.width() >= w * MIN_SHARE
    assert window.height() >= h * MIN_SHARE
    if case == "fits":  # a geometry that fits comes back as it was
        assert window.geometry().size() == rect.size()


def test_the_first_size_is_a_share_of_the_screen(qtbot: QtBot, gui_ws: Workspace) -> None:
    assert QSettings().value("window/geometry") is None
    window = open_window(qtbot, gui_ws)
    screen = available()
    assert inside(screen, window.frameGeometry())
    assert window.width() < screen.width()
    assert window.height() < screen.height()
    assert window.width() >= screen.width() * 0.6  # and not a small fixed size either


def press_text_size(qtbot: QtBot, window: QWidget, key: Qt.Key) -> None:
    """The keyboard shortcut (Ctrl++, Ctrl+-, Ctrl+0), as a person presses it."""
    window.activateWindow()
    qtbot.waitActive(window)
    scale = Settings().font_scale
    qtbot.keyClick(window, key, CTRL)
    qtbot.waitUntil(lambda: Settings().font_scale != scale or key == Qt.Key.Key_0)
    QApplication.processEvents()  # the windows are fitted once the layouts took the new size


def test_the_largest_text_never_makes_the_main_window_wider_than_the_screen(
    qtbot: QtBot, gui_ws: Workspace
) -> None:
    create_demo(gui_ws)
    window = open_window(qtbot, gui_ws)
    assert window.stack.currentIndex() == LISTS
    screen = available()
    before = window.size()
    for _ in FONT_SCALES[1:]:
        press_text_size(qtbot, window, Qt.Key.Key_Plus)
    assert Settings().font_scale == FONT_SCALES[-1] == 2.0
    qtbot.waitUntil(lambda: inside(screen, window.frameGeometry()))
    assert window.minimumSizeHint().width() <= screen.width()
    # Every button of the row is on the screen, inside the window: the row wrapped.
    for button in window.actions_row.findChildren(QPushButton):
        assert inside(window.geometry(), on_screen(button)), button.text()
    assert window.actions_row.height() > window.new_button.height() * 1.5  # two rows or more
    press_text_size(qtbot, window, Qt.Key.Key_0)
    assert Settings().font_scale == 1.0
    qtbot.waitUntil(lambda: window.size() == before)  # no stale width from the large text


def test_the_first_start_screen_fits_at_the_largest_text(qtbot: QtBot, gui_ws: Workspace) -> None:
    window = open_window(qtbot, gui_ws)
    assert window.stack.currentIndex() == WELCOME
    press_text_size(qtbot, window, Qt.Key.Key_0)
    for _ in FONT_SCALES[1:]:
        press_text_size(qtbot, window, Qt.Key.Key_Plus)
    screen = available()
    qtbot.waitUntil(lambda: inside(screen, window.frameGeometry()))
    welcome = window.welcome
    assert welcome.horizontalScrollBar().maximum() == 0  # never sideways
    column = welcome.widget()
    assert column is not None
    assert column.width() <= welcome.viewport().width()
    welcome.ensureWidgetVisible(window.start_button)
    qtbot.waitUntil(lambda: inside(welcome.viewport().rect(), start_in_viewport(window)))


def start_in_viewport(window: MainWindow) -> QRect:
    viewport = window.welcome.viewport()
    button = window.start_button
    return QRect(button.mapTo(viewport, button.rect().topLeft()), button.size())


# ---- text size in any window ------------------------------------------------------------------


def test_text_size_works_in_any_window_and_restyles_the_others(
    qtbot: QtBot, qapp: QApplication, gui_ws: Workspace
) -> None:
    main = open_window(qtbot, gui_ws)
    heading = main.welcome.findChildren(QLabel)[0]
    heading_size = heading.font().pointSizeF()
    other = QWidget()  # any top-level window, like the walkthrough's
    qtbot.addWidget(other)
    label = QLabel("Does Rosa hold on to furniture?")
    set_role(label, "question")
    QVBoxLayout(other).addWidget(label)
    larger, smaller, normal = text_size_actions(other)
    assert [a.text() for a in (larger, smaller, normal)] == [
        "&Larger text",
        "&Smaller text",
        "&Normal text size",
    ]
    assert larger in other.actions()
    other.resize(10, 10)  # as small as its text allows
    other.show()
    qtbot.waitExposed(other)
    first = other.size()
    base = qapp.font().pointSizeF()
    question = label.font().pointSizeF()
    press_text_size(qtbot, other, Qt.Key.Key_Plus)
    assert Settings().font_scale == FONT_SCALES[1]  # remembered
    assert qapp.font().pointSizeF() > base
    assert label.font().pointSizeF() > question
    assert heading.font().pointSizeF() > heading_size  # the main window too
    qtbot.keyClick(other, Qt.Key.Key_Equal, CTRL)  # Ctrl+= is "larger" too (no Shift needed)
    qtbot.waitUntil(lambda: Settings().font_scale == FONT_SCALES[2])
    qtbot.keyClick(other, Qt.Key.Key_Minus, CTRL)
    qtbot.waitUntil(lambda: Settings().font_scale == FONT_SCALES[1])
    qtbot.waitUntil(lambda: other.width() > first.width())  # the longer text pushed it wider
    press_text_size(qtbot, other, Qt.Key.Key_0)
    assert Settings().font_scale == 1.0
    assert abs(qapp.font().pointSizeF() - base) < 0.01
    qtbot.waitUntil(lambda: other.size() == first)  # and it is not left wider than it was


# ---- the people list --------------------------------------------------------------------------


def test_every_column_of_the_people_list_is_visible(qtbot: QtBot, gui_ws: Workspace) -> None:
    create_demo(gui_ws)
    window = open_window(qtbot, gui_ws)
    table = window.people
    header = table.horizontalHeader()
    model = window.people_model
    qtbot.waitUntil(lambda: header.count() == 4 and model.rowCount() > 0)

    def all_shown() -> None:  # the header sizes its columns once the rows are in
        assert table.horizontalScrollBar().maximum() == 0
        for column in range(4):
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            assert not header.isSectionHidden(column)
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            assert right <= table.viewport().width(), title
            assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title)
        born = model.data(model.index(0, 1))
        assert header.sectionSize(1) >= table.fontMetrics().horizontalAdvance(str(born))

    qtbot.waitUntil(all_shown)


@pytest.mark.parametrize("language", ["en_GB", "C"])
def test_lists_show_dates_in_the_short_local_format(
    qtbot: QtBot, gui_ws: Workspace, language: str
) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(language))
    try:
        newest = visits.get_info(gui_ws, create_demo(gui_ws))
        window = open_window(qtbot, gui_ws)
        window.select(newest.person_id, newest.id)
        wait_idle(qtbot, window.ops)
        day = newest.date
        # The language's short format; with none set (C), the ISO date, not C's "1 12 2026".
        short = f"{day:%d/%m/%Y}" if language == "en_GB" else day.isoformat()
        visits_model, people_model = window.visits_model, window.people_model
        assert visits_model.data(visits_model.index(0, 0)) == short
        row = people_model.row_of(newest.person_id)
        assert row is not None
        assert people_model.data(people_model.index(row, 3)) == short
    finally:
        QLocale.setDefault(before)


def test_at_the_largest_text_the_lists_leave_out_columns_rather_than_scroll(
    qtbot: QtBot, gui_ws: Workspace
) -> None:
    create_demo(gui_ws)
    window = open_window(qtbot, gui_ws)
    for _ in FONT_SCALES[1:]:
        press_text_size(qtbot, window, Qt.Key.Key_Plus)
    header = window.people.horizontalHeader()
    qtbot.waitUntil(lambda: header.isSectionHidden(2))  # Visits goes first
    letters = window.people.fontMetrics().averageCharWidth() * 10
    assert header.sectionSize(0) >= letters  # a name is still readable
    assert not header.isSectionHidden(0)
    press_text_size(qtbot, window, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(4)))


def test_an_empty_search_says_no_one_found(qtbot: QtBot, gui_ws: Workspace) -> None:
    create_demo(gui_ws)
    window = open_window(qtbot, gui_ws)
    assert not window.people_empty.isVisible()
    qtbot.keyClicks(window.search, "zzz nobody")
    qtbot.waitUntil(lambda: window.people_empty.isVisible())
    assert window.people_model.rowCount() == 0
    assert window.people_empty.text().startswith("No one found.")
    window.search.clear()
    qtbot.waitUntil(lambda: not window.people_empty.isVisible())
    assert window.people_model.rowCount() > 0


# ---- messages never lose what was typed -------------------------------------------------------


def test_a_person_refused_keeps_the_dialog_open_with_what_was_typed(
    qtbot: QtBot, gui_ws: Workspace, boxes: MessageBoxes
) -> None:
    create_demo(gui_ws)
    window = open_window(qtbot, gui_ws)
    qtbot.mouseClick(window.add_person_button, LEFT)
    dialog = window.person_dialog
    assert isinstance(dialog, PersonDialog)
    qtbot.waitExposed(dialog)
    dialog.birth_year.lineEdit().selectAll()
    qtbot.keyClicks(dialog.birth_year, "1944")
    qtbot.keyClicks(dialog.notes, "Left foot drop since the stroke; uses a frame at night")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, LEFT)  # no name
    wait_idle(qtbot, window.ops)
    assert boxes.last("warning") == ("The person was not saved", "A person needs a name.")
    assert dialog.isVisible()
    assert ok.isEnabled()
    assert dialog.birth_year.value() == 1944
    assert dialog.notes.toPlainText() == "Left foot drop since the stroke; uses a frame at night"
    qtbot.keyClicks(dialog.name, "Rosa Martinez")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(ok, LEFT)
    wait_idle(qtbot, window.ops)
    saved = next(p for p in list_people(gui_ws).items if p.name == "Rosa Martinez")
    assert (saved.birth_year, saved.notes) == (
        1944,
        "Left foot drop since the stroke; uses a frame at night",
    )


# ---- the first-start screen -------------------------------------------------------------------


def test_the_first_start_screen_says_what_it_is_and_how_long_it_takes(
    qtbot: QtBot, gui_ws: Workspace
) -> None:
    window = open_window(qtbot, gui_ws)
    assert window.stack.currentIndex() == WELCOME
    rooms, questions = usual_walkthrough(gui_ws.content.checklist)
    assert rooms >= 5
    assert 40 <= questions <= 200
    minutes = minutes_for(questions)
    assert abs(minutes - questions * SECONDS_PER_QUESTION / 60) <= 2.5
    shown = " ".join(label.text() for label in window.welcome.findChildren(QLabel))
    assert f"About {minutes} minutes" in shown
    assert f"{questions} questions" in shown
    assert "estimate" in shown
    assert "foot drop" in shown
    assert "room" in shown
    assert "saved the moment you give it" in shown
    assert "carry on later" in shown
    assert "does not replace medical advice" in shown
    start = window.start_button
    assert start.isVisible()
    assert start.height() > window.demo_button.height()  # the large way in
    with qtbot.waitSignal(start.clicked):
        qtbot.mouseClick(start, LEFT)
    assert window.wizard is not None
    window.wizard.close()


# ---- photos -----------------------------------------------------------------------------------


def a_photo(path: Path, color: str) -> Path:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))
    return path


@pytest.fixture
def session(gui_ws: Workspace) -> WalkthroughSession:
    info = visits.start_assessment_for_new_person(
        gui_ws, "Rosa", 1944, "Luis", Mode.CAREGIVER, Mode.CAREGIVER
    )
    return WalkthroughSession(gui_ws, visits.load_visit(gui_ws, info.id))


def test_photos_show_as_thumbnails_that_open_and_can_be_removed(
    qtbot: QtBot,
    session: WalkthroughSession,
    ops: Operations,
    tmp_path: Path,
    gui_ws: Workspace,
    boxes: MessageBoxes,
) -> None:
    step = next(s for s in session.steps() if s.kind is StepKind.ROOM and s.items)
    item, room = step.items[0], step.room_id
    question = item.text
    for n, color in enumerate(("red", "blue")):
        session.attach_photo(item.id, room, a_photo(tmp_path / f"rug {n}.png", color))
    host = QWidget()  # the strip sits in a question's row
    qtbot.addWidget(host)
    strip = PhotoStrip(session, ops, item.id, room, question, host)
    host.show()
    assert [b.accessibleName() for b in strip.buttons] == [
        f"Photo 1 of 2: {question}",
        f"Photo 2 of 2: {question}",
    ]
    qtbot.waitUntil(lambda: all(not b.icon().isNull() for b in strip.buttons))
    assert all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in strip.buttons)
    assert strip.buttons[0].iconSize().height() >= strip.fontMetrics().height() * 3

    qtbot.mouseClick(strip.buttons[0], LEFT)
    qtbot.waitUntil(lambda: strip.viewer is not None and strip.viewer.isVisible())
    viewer = strip.viewer
    assert viewer is not None
    pixmap = viewer.picture.pixmap()
    assert not pixmap.isNull()
    shown = pixmap.toImage().pixelColor(10, 10)  # the first photo (red), stored as a JPEG
    assert shown.red() > 240
    assert shown.blue() < 20
    boxes.reply = boxes.reply.No
    qtbot.mouseClick(viewer.remove_button, LEFT)
    assert boxes.last("question")[0] == "Remove this photo?"
    assert len(visits.list_photos(gui_ws, session.assessment_id)) == 2  # not confirmed
    boxes.reply = boxes.reply.Yes
    with qtbot.waitSignal(strip.removed):
        qtbot.mouseClick(viewer.remove_button, LEFT)
    qtbot.waitUntil(lambda: strip.viewer is None)
    stored = visits.list_photos(gui_ws, session.assessment_id)
    assert [p.filename for p in stored] == ["rug 1.png"]
    assert [p.filename for p in session.photos_for(item.id, room)] == ["rug 1.png"]
    assert [b.accessibleName() for b in strip.buttons] == [f"Photo 1 of 1: {question}"]
    qtbot.waitUntil(lambda: not strip.buttons[0].icon().isNull())
    assert strip.isVisible()


def test_a_slot_without_photos_shows_no_strip(
    qtbot: QtBot, session: WalkthroughSession, ops: Operations
) -> None:
    step = next(s for s in session.steps() if s.kind is StepKind.ROOM and s.items)
    host = QWidget()
    qtbot.addWidget(host)
    strip = PhotoStrip(session, ops, step.items[0].id, step.room_id, step.items[0].text, host)
    host.show()
    assert strip.buttons == []
    assert not strip.isVisible()


def test_choosing_a_photo_starts_in_the_pictures_folder(
    qtbot: QtBot, tmp_path: Path, file_dialogs: FileDialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    pictures = home / "Pictures"
    pictures.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user-dirs.dirs
    monkeypatch.chdir(tmp_path)  # the working folder, never offered
    parent = QWidget()
    qtbot.addWidget(parent)
    assert choose_photo_file(parent) is None  # cancelled
    kind, caption, folder = file_dialogs.asked[-1]
    assert (kind, caption) == ("getOpenFileName", "Choose a photo")
    assert Path(folder) == pictures
    # The next photo is looked for beside the last one.
    (home / "phone").mkdir()
    chosen = a_photo(home / "phone" / "rug.png", "red")
    file_dialogs.answers.append(chosen)
    assert choose_photo_file(parent) == chosen
    assert choose_photo_file(parent) is None
    assert Path(file_dialogs.asked[-1][2]) == home / "phone"
    # Without a Pictures folder (and nothing remembered): the home folder.
    QSettings().clear()
    pictures.rmdir()
    choose_photo_file(parent)
    assert Path(file_dialogs.asked[-1][2]) == home
    assert all(Path(asked[2]) != tmp_path for asked in file_dialogs.asked)
