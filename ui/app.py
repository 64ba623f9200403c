"""Composition root of the desktop program: application, settings, fonts, translations, logging,
the workspace, and the main window."""

from __future__ import annotations

import importlib
import json
import logging
import logging.handlers
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from safetycheck import __version__
from safetycheck.resources import data_dir

from .main_window import MainWindow
from .operations import Operations, message
from .settings import Settings
from .style import apply_font_scale
from .theme import apply_theme

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace

APP_NAME = "safetycheck"
log = logging.getLogger("safetycheck")

# The core modules the window needs as soon as the data is open (the lists, the record under
# them, the welcome's estimate), imported by the background helper while it opens the data:
# the window is drawn without them, and does not wait for them afterwards. Only the core (no
# Qt): a module's import is the same on any thread.
BEHIND_THE_WINDOW = (
    "safetycheck.services.people",
    "safetycheck.services.assessments",
    "safetycheck.services.carry",
    "safetycheck.services.falls",
    "safetycheck.domain.evaluation",
    "safetycheck.domain.steps",
)


def log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False) / "safetycheck.log"


def setup_logging() -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def install_exception_dialog(path: Path) -> None:
    """Log an unexpected error (its type and where, never its message: it may hold a name or a
    note) and tell the user where the log is. The program keeps running."""

    def hook(kind: type[BaseException], _error: BaseException, tb: TracebackType | None) -> None:
        frames = "".join(traceback.format_tb(tb))
        log.error("unexpected %s.%s\n%s", kind.__module__, kind.__qualname__, frames)
        if QApplication.instance() is not None:
            message(
                None,
                QMessageBox.Icon.Critical,
                QCoreApplication.translate("app", "Something went wrong"),
                QCoreApplication.translate(
                    "app",
                    "An unexpected error happened. Your answers so far are saved.\n\n"
                    "Details were written to the log file:\n{path}\n\n"
                    "Please send that file to whoever supports this program. It contains no "
                    "names, notes or answers.",
                ).format(path=path),
            )

    sys.excepthook = hook


def load_translations(app: QApplication) -> None:
    """Qt's own strings (QWizard's Back/Next/Cancel…) and ours, for the system language."""
    locale = QLocale.system()
    qt_translator = QTranslator(app)
    if qt_translator.load(
        locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_translator)
    ours = QTranslator(app)
    if ours.load(locale, "safetycheck", "_", str(data_dir() / "translations")):
        app.installTranslator(ours)


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    for font_file in sorted((data_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font_file))
    app.setWindowIcon(QIcon(str(data_dir() / "icons" / "safetycheck.svg")))
    app.setApplicationVersion(__version__)
    load_translations(app)
    apply_theme(app)  # palette, style and base text size first: the chosen size builds on them
    apply_font_scale(app, Settings().font_scale)
    return app


class _FirstPaint(QObject):
    """Notices the main window's first paint (for `gui --smoke` and the startup benchmark)."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.elapsed_ms: float | None = None

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.elapsed_ms is None:
            self.elapsed_ms = (time.perf_counter() - self.started) * 1000
        return False


@dataclass
class _Outcome:
    """How the run went: the exit code, the workspace once open, when it was ready."""

    code: int = 0
    ws: Workspace | None = None
    ready_ms: float | None = None


def _print_error(_parent: QWidget | None, _title: str, error: Exception) -> None:
    print(f"error: {error}", file=sys.stderr)


def _finish_writes(ops: Operations, made: list[Workspace]) -> None:
    """Every answer being written when the window closed is finished before the process ends
    (cli.run ends it at once; a write gives up on a locked database after BUSY_TIMEOUT_MS, so
    this ends), then the data is closed: the one handed to the window, or one opened too late
    to be handed over."""
    while not ops.wait():
        pass
    for ws in made:
        ws.close()


def run(
    argv: list[str], db_url: str | None = None, smoke: bool = False, started: float | None = None
) -> int:
    """Show the main window at once, open the database behind it, run until closed.

    With smoke=True: quit as soon as the window has painted and the people list is in, and
    print one JSON line with both times (milliseconds since the program began importing).
    """
    started = started if started is not None else time.perf_counter()
    app = create_application(argv)
    path = setup_logging()
    install_exception_dialog(path)
    # The program's one Operations; with --smoke its messages go to stderr, not to a window.
    ops = Operations(app, display=_print_error) if smoke else Operations(app)
    window = MainWindow(ops=ops)
    painted = _FirstPaint(started)
    window.installEventFilter(painted)
    window.show()
    outcome = _Outcome()

    def opened(ws: Workspace) -> None:
        outcome.ws = ws
        window.attach(ws)
        if smoke:
            window.people_model.loaded.connect(ready)
        else:
            QTimer.singleShot(0, window.offer_resume)

    def ready() -> None:
        if outcome.ready_ms is None:
            outcome.ready_ms = (time.perf_counter() - started) * 1000
            QTimer.singleShot(0, app.quit)

    def failed(_error: Exception) -> None:
        outcome.code = 2
        app.quit()

    made: list[Workspace] = []

    def open_data() -> Workspace:  # on the background helper, after the first paint
        from safetycheck.services.workspace import open_workspace

        ws = open_workspace(db_url)
        try:
            for name in BEHIND_THE_WINDOW:
                importlib.import_module(name)
        except BaseException:
            ws.close()
            raise
        made.append(ws)  # closed below even if the window is closed before it is handed over
        return ws

    QTimer.singleShot(
        0,
        lambda: ops.query(
            window,
            open_data,
            opened,
            title=QCoreApplication.translate("app", "Cannot open the data"),
            failed=failed,
        ),
    )
    code = int(app.exec())
    _finish_writes(ops, made)
    if outcome.code:
        return outcome.code
    if smoke:
        print(
            json.dumps(
                {
                    "startup_ms": round(painted.elapsed_ms or -1.0, 1),
                    "ready_ms": round(outcome.ready_ms or -1.0, 1),
                    "people": window.people_model.rowCount(),
                }
            )
        )
        return 0 if painted.elapsed_ms is not None else 1
    return code


def main() -> int:
    return run(sys.argv[1:])
