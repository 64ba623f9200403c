"""Text size, and windows that fit their screen at every size: the Larger / Smaller / Normal
actions any window can carry, a first size that is a share of the screen, and windows kept on
their screen when the text size changes or a remembered geometry is restored.

A window whose layout asks for more than the screen grows past its edge and keeps that width
after the text is smaller again: so layouts wrap (flow_layout.FlowLayout) and every change of
text size puts the windows back at the size they were given, within their screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMargins, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from .settings import Settings, next_font_scale
from .style import apply_font_scale

# A first window takes this share of the screen's free area (never more than all of it, nor more
# than LARGEST_FIRST), and a remembered size smaller than MIN_SHARE of it (a strip left by a
# small screen) is replaced.
DEFAULT_SHARE = 0.9
MIN_SHARE = 0.4
LARGEST_FIRST = QSize(1280, 860)  # on a large screen a first window need not fill it
# Window properties kept across text-size changes (see change_text_size).
_SIZE_CHOSEN, _SIZE_SET, _REFIT_PENDING = "text_size_chosen", "text_size_set", "text_refit_pending"


def _tr(text: str) -> str:
    return QCoreApplication.translate("text_size", text)


def text_size_actions(window: QWidget) -> tuple[QAction, QAction, QAction]:
    """Larger (Ctrl++ or Ctrl+=), Smaller (Ctrl+-) and Normal (Ctrl+0) text, added to `window`
    so their shortcuts work while it is the active window; put them in a menu too if it has
    one. Each remembers the size chosen (Settings().font_scale) and applies it to every open
    window at once."""
    larger = QAction(_tr("&Larger text"), window)
    larger.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
    smaller = QAction(_tr("&Smaller text"), window)
    smaller.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
    normal = QAction(_tr("&Normal text size"), window)
    normal.setShortcut(QKeySequence("Ctrl+0"))
    for action, step in ((larger, +1), (smaller, -1), (normal, 0)):
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, step=step: change_text_size(step))
        window.addAction(action)
    return larger, smaller, normal


def change_text_size(step: int) -> None:
    """One size larger (+1), smaller (-1) or back to normal (0): remembered, and applied to
    every window; each open window is then put back within its screen."""
    settings = Settings()
    settings.font_scale = next_font_scale(settings.font_scale, step)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    windows = [w for w in app.topLevelWidgets() if w.isWindow() and w.isVisible()]
    for window in windows:
        # The size the person gave the window, kept across text sizes: a window the larger
        # text pushed wider goes back to it when the text is smaller again (no stale width).
        # A size other than the one set after the last change is the person's own.
        if window.property(_REFIT_PENDING):
            continue  # changed again before the last change was fitted
        if window.size() != window.property(_SIZE_SET):
            window.setProperty(_SIZE_CHOSEN, window.size())
        window.setProperty(_REFIT_PENDING, True)
    apply_font_scale(app, settings.font_scale)
    # The layouts take the new fonts on the next turn of the event loop: fit after that.
    QTimer.singleShot(0, lambda: _refit(windows))


def _refit(windows: list[QWidget]) -> None:
    for window in windows:
        if not _alive(window):
            continue
        window.setProperty(_REFIT_PENDING, False)
        if not window.isVisible() or window.isMaximized() or window.isFullScreen():
            continue  # the window manager sizes maximised windows
        wanted = window.property(_SIZE_CHOSEN)
        if not isinstance(wanted, QSize):
            continue
        layout = window.layout()
        if layout is not None:
            layout.activate()
        least = window.minimumSizeHint()
        window.resize(wanted.expandedTo(least))
        fit_on_screen(window)
        window.setProperty(_SIZE_SET, window.size())


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def screen_of(widget: QWidget, where: QRect | None = None) -> QScreen:
    """The screen a window is (or will be) on: the one under the middle of `where` (a
    geometry about to be restored), else the widget's own, else the primary screen."""
    if where is not None:
        screen = QGuiApplication.screenAt(where.center())
        if screen is not None:
            return screen
    screen = widget.screen()
    return screen if screen is not None else QGuiApplication.primaryScreen()


def _frame_margins(widget: QWidget) -> QMargins:
    """The window manager's frame around the window (none known before it is shown)."""
    if not widget.isVisible():
        return QMargins()
    frame, inner = widget.frameGeometry(), widget.geometry()
    return QMargins(
        inner.left() - frame.left(),
        inner.top() - frame.top(),
        frame.right() - inner.right(),
        frame.bottom() - inner.bottom(),
    )


def first_size(widget: QWidget, preferred: QSize | None = None) -> QSize:
    """A first size: `preferred` (what a dialog would like) or DEFAULT_SHARE of the screen's
    free area (at most LARGEST_FIRST), and never larger than that free area."""
    available = screen_of(widget).availableGeometry()
    share = QSize(int(available.width() * DEFAULT_SHARE), int(available.height() * DEFAULT_SHARE))
    wanted = preferred if preferred is not None else share.boundedTo(LARGEST_FIRST)
    return wanted.boundedTo(available.size())


def fit_on_screen(window: QWidget, least_share: float = 0.0) -> None:
    """Put the window inside the free area of the screen it is on: no larger than it, no part
    outside it. A size narrower or lower than `least_share` of that area (a strip left by a
    small screen) is replaced by a first size."""
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return  # the window manager sizes these
    frame = _frame_margins(window)
    placed = window.frameGeometry() if window.isVisible() else window.geometry()
    available = screen_of(window, placed).availableGeometry()
    room = available.marginsRemoved(frame).size()
    size = window.size()
    if (
        size.width() < available.width() * least_share
        or size.height() < available.height() * least_share
    ):
        size = first_size(window)
    size = size.boundedTo(room)
    window.resize(size)
    outer = QSize(
        size.width() + frame.left() + frame.right(), size.height() + frame.top() + frame.bottom()
    )
    if window.isVisible() or window.testAttribute(Qt.WidgetAttribute.WA_Moved):
        x = min(max(placed.left(), available.left()), available.right() + 1 - outer.width())
        y = min(max(placed.top(), available.top()), available.bottom() + 1 - outer.height())
    else:  # never placed: in the middle of the screen
        x = available.left() + (available.width() - outer.width()) // 2
        y = available.top() + (available.height() - outer.height()) // 2
    window.move(QPoint(max(x, available.left()), max(y, available.top())))
