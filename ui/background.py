"""One helper for slow work: run a function off the GUI thread, get the result back on it.

Like Anki's background helper: the worker never touches a widget; the callbacks run on the GUI
thread through a queued signal, and the caller decides what to redraw.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Signals(QObject):
    """Signals:
    done(object): the function's return value.
    failed(object): the exception it raised.
    """

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, function: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.function = function
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as exc:
            log.debug("background job failed: %s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Background(QObject):
    """Runs jobs on a thread pool and tells the GUI thread when each is done.

    Signals:
        busy(bool): True while at least one job is running (show or hide a busy indicator).
    """

    busy = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._running = 0
        self._keep: set[_Signals] = set()

    def run(
        self,
        function: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        signals = _Signals()
        self._keep.add(signals)

        @Slot(object)
        def finished(result: Any) -> None:
            self._finish(signals)
            on_done(result)

        @Slot(object)
        def failed(error: Any) -> None:
            self._finish(signals)
            on_failed(error)

        signals.done.connect(finished)
        signals.failed.connect(failed)
        self._running += 1
        if self._running == 1:
            self.busy.emit(True)
        self._pool.start(_Job(function, signals))

    def _finish(self, signals: _Signals) -> None:
        self._keep.discard(signals)
        self._running -= 1
        if self._running == 0:
            self.busy.emit(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job is done (for closing the program and for tests)."""
        return self._pool.waitForDone(msecs)
