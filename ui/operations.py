"""The one way the program runs a use case: off the GUI thread and back on it with the result;
the errors a person can cause shown in one place; what changed announced to every screen.

Modelled on Anki's CollectionOp and QueryOp: a *query* reads; a *change* writes and says what it
changed (a `Change`), and every screen listening to `Operations.changes` redraws what it shows
of that, instead of being told to refresh. The worker never touches a widget: the callbacks run
on the GUI thread (a queued signal). An error that is not the user's goes to sys.excepthook,
the crash dialog of app.py.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Flag, auto
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from safetycheck.content import ContentError
from safetycheck.files import OutputPathError
from safetycheck.services.errors import ServiceError, StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")


class Change(Flag):
    """What a use case changed, so that each screen can tell whether to redraw."""

    NONE = 0
    PEOPLE = auto()
    VISITS = auto()
    ANSWERS = auto()  # answers, rooms and photos of a visit
    ACTIONS = auto()


# What a person can cause or fix (a name missing, a conflict, a full disk, a folder that cannot
# be written): shown as a message with the error's own text. Anything else is a bug.
USER_ERRORS: tuple[type[Exception], ...] = (
    ServiceError,
    StoreError,
    ContentError,
    OutputPathError,
    OSError,
)

ErrorDisplay = Callable[[QWidget | None, str, Exception], None]


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox.StandardButton:
    """Every message box of the program: its text shown exactly as written, never as HTML.

    QMessageBox's own static functions guess the format (AutoText), so a person's name, a room
    name, a note or a file name that looks like markup (`<img src=…>`, `<h1>`) would be rendered:
    a local image shown, a heading faked. With NoIcon the program's own icon is shown (About).
    """
    box = QMessageBox(icon, title, text, buttons, parent if alive(parent) else None)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if icon is QMessageBox.Icon.NoIcon:
        box.setIconPixmap(QApplication.windowIcon().pixmap(64, 64))
    try:
        return QMessageBox.StandardButton(box.exec())
    finally:
        box.deleteLater()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question (plain text); True for Yes."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    reply = message(parent, QMessageBox.Icon.Question, title, text, buttons)
    return reply == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A message that needs no answer (plain text)."""
    message(parent, QMessageBox.Icon.Information, title, text)


def show_warning(parent: QWidget | None, title: str, error: Exception) -> None:
    """The usual display: a warning with a plain title and the error's text (plain text: an
    error may quote a name or a file name)."""
    message(parent, QMessageBox.Icon.Warning, title, str(error))


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """A use case that returned."""

    value: T


@dataclass(frozen=True, slots=True)
class Failed:
    """A use case that raised one of the USER_ERRORS (already shown to the user)."""

    error: Exception


def alive(widget: QObject | None) -> bool:
    """Whether the widget a result is for still exists (a dialog may close while it works)."""
    return widget is None or shiboken6.isValid(widget)


class _Relay(QObject):
    """Carries one job's outcome from the worker to the GUI thread (it lives there).

    Signals:
        arrived(object): the outcome, Done or an exception.
    """

    arrived = Signal(object)

    def __init__(self, deliver: Callable[[_Relay, object], None]) -> None:
        super().__init__()
        self._deliver = deliver
        self.arrived.connect(self._on_arrived)

    @Slot(object)
    def _on_arrived(self, outcome: object) -> None:
        self._deliver(self, outcome)


class _Job(QRunnable):
    """Runs the work on a pool thread; touches nothing but the work and the relay's signal."""

    def __init__(self, work: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        outcome: object
        try:
            outcome = Done(self._work())
        except Exception as exc:  # delivered to the GUI thread, which decides what it is
            outcome = exc
        self._relay.arrived.emit(outcome)


class Operations(QObject):
    """Runs the use cases of one program: in the background (`query`, `change`) or at once
    (`now`), with one error display.

    Jobs started `in_order` run one after another, in the order they were started, on a
    thread of their own: the walkthrough's answers, so that a second answer to a question is
    written after the first (never before it, never lost), and a summary read after them sees
    them all. Other jobs run beside them on the pool.

    Signals:
        changes(object): a Change: what use cases changed since the event loop last ran
            (announcements in one burst are merged).
        busy(bool): True while at least one use case runs in the background.
    """

    changes = Signal(object)
    busy = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        display: ErrorDisplay = show_warning,
        threads: int = 2,
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._in_order = QThreadPool(self)
        self._in_order.setMaxThreadCount(1)  # one thread: jobs run in the order started
        self._display = display
        self._running: set[_Relay] = set()
        self._pending = Change.NONE

    # ---- running ----------------------------------------------------------------------------

    def query(
        self,
        parent: QWidget | None,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        title: str,
        failed: Callable[[Exception], None] | None = None,
        in_order: bool = False,
    ) -> None:
        """Read in the background; `done(result)` on the GUI thread. On an error the user can
        fix, a warning titled `title` is shown and then `failed(error)` is called. The
        callbacks are dropped if `parent` has been deleted meanwhile. `in_order`: after every
        job started in order before it (see the class)."""
        self._start(parent, work, done, failed, title, Change.NONE, in_order, parent)

    def change(
        self,
        parent: QWidget | None,
        work: Callable[[], T],
        changes: Change,
        *,
        title: str,
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        in_order: bool = False,
        owner: QObject | None = None,
    ) -> None:
        """Write in the background, then announce `changes`; otherwise as `query`. With an
        `owner` (an object that is not a widget, such as a walkthrough's session) the callbacks
        run while the owner exists, whatever became of `parent`, over which errors are shown."""
        keeper = owner if owner is not None else parent
        self._start(parent, work, done, failed, title, changes, in_order, keeper)

    def now(
        self,
        parent: QWidget | None,
        work: Callable[[], T],
        *,
        title: str,
        changes: Change = Change.NONE,
    ) -> Done[T] | Failed:
        """Run at once on the GUI thread (the window waits: only for what the next step needs
        at once, such as starting a visit). A user's error is shown and returned as Failed."""
        try:
            value = work()
        except USER_ERRORS as exc:
            self.show_error(parent, title, exc)
            return Failed(exc)
        self.announce(changes)
        return Done(value)

    def show_error(self, parent: QWidget | None, title: str, error: Exception) -> None:
        """The one place a user's error is shown. What the user typed stays where it was: the
        caller keeps its dialog or page open."""
        log.info("not done (%s): %s", title, type(error).__name__)  # the text may hold a name
        self._display(parent if alive(parent) else None, title, error)

    def announce(self, changes: Change) -> None:
        """Tell every screen, once the event loop is back, what changed."""
        if changes == Change.NONE:
            return
        if self._pending == Change.NONE:
            QTimer.singleShot(0, self, self._flush)
        self._pending |= changes

    def _flush(self) -> None:
        changes, self._pending = self._pending, Change.NONE
        if changes != Change.NONE:
            self.changes.emit(changes)

    def _start(
        self,
        parent: QWidget | None,
        work: Callable[[], T],
        done: Callable[[T], None] | None,
        failed: Callable[[Exception], None] | None,
        title: str,
        changes: Change,
        in_order: bool,
        owner: QObject | None,
    ) -> None:
        def deliver(relay: _Relay, outcome: object) -> None:
            relay.deleteLater()
            if not alive(self):
                # The helper went with its window (a window used on its own, in a test or a
                # script) before the outcome arrived: there is no one to tell, but a bug is
                # still a bug.
                if isinstance(outcome, Exception) and not isinstance(outcome, USER_ERRORS):
                    sys.excepthook(type(outcome), outcome, outcome.__traceback__)
                return
            # Not busy any more before the callbacks run: one may open a dialog and wait there
            # (a job it starts makes the helper busy again at once).
            self._running.discard(relay)
            if not self._running:
                self.busy.emit(False)
            self._finish(parent, owner, outcome, done, failed, title, changes)

        relay = _Relay(deliver)
        self._running.add(relay)
        if len(self._running) == 1:
            self.busy.emit(True)
        (self._in_order if in_order else self._pool).start(_Job(work, relay))

    def _finish(
        self,
        parent: QWidget | None,
        owner: QObject | None,
        outcome: object,
        done: Callable[[T], None] | None,
        failed: Callable[[Exception], None] | None,
        title: str,
        changes: Change,
    ) -> None:
        if isinstance(outcome, Done):
            self.announce(changes)  # it happened, whether or not the asking widget is still there
            if done is not None and alive(owner):
                done(outcome.value)
            return
        assert isinstance(outcome, Exception)
        if isinstance(outcome, USER_ERRORS):
            self.show_error(parent, title, outcome)
        else:
            sys.excepthook(type(outcome), outcome, outcome.__traceback__)
        if failed is not None and alive(owner):
            failed(outcome)

    # ---- state ------------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """No use case running and no change waiting to be announced (for tests and closing)."""
        return not self._running and self._pending == Change.NONE

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every background use case started so far has returned, in order or not
        (their callbacks run later, on the event loop)."""
        deadline = time.monotonic() + msecs / 1000
        in_order = self._in_order.waitForDone(msecs)
        left = max(0, int((deadline - time.monotonic()) * 1000))
        return self._pool.waitForDone(left) and in_order
