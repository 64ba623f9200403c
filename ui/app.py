"""Composition root of the desktop program: application, settings, fonts, translations, logging,
the workspace, and the main window."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from safetycheck import __version__
from safetycheck.content import ContentError
from safetycheck.resources import data_dir
from safetycheck.services.errors import ServiceError, StoreError

APP_NAME = "safetycheck"
log = logging.getLogger("safetycheck")

FONT_SCALE_KEY = "ui/font_scale"
FONT_SCALES = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)


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

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        frames = "".join(traceback.format_tb(tb))
        log.error("unexpected %s.%s\n%s", kind.__module__, kind.__qualname__, frames)
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
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


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Text size follows the system font, times the size chosen in the View menu.

    Headings, questions and answer buttons are sized by role (ui/style.py), so they grow too.
    """
    base = app.property("base_point_size")
    if base is None:
        base = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0
        app.setProperty("base_point_size", base)
    size = float(base) * scale
    font = QFont(app.font())
    font.setPointSizeF(size)
    app.setFont(font)
    from .style import restyle_all

    restyle_all()


def font_scale() -> float:
    value = QSettings().value(FONT_SCALE_KEY, 1.0)
    try:
        scale = float(str(value))
    except ValueError:
        return 1.0
    return scale if scale in FONT_SCALES else 1.0


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
    apply_font_scale(app, font_scale())
    return app


class _FirstPaint(QObject):
    """Notices the main window's first paint (for `gui --smoke` and the startup benchmark)."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.elapsed_ms: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.elapsed_ms is None:
            self.elapsed_ms = (time.perf_counter() - self.started) * 1000
        return False


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
    from .main_window import MainWindow

    window = MainWindow()
    painted = _FirstPaint(started)
    window.installEventFilter(painted)
    window.show()
    outcome: dict[str, Any] = {"code": 0, "ws": None, "ready_ms": None}

    def opened(ws: Any) -> None:
        outcome["ws"] = ws
        window.attach(ws)
        outcome["ready_ms"] = (time.perf_counter() - started) * 1000
        if smoke:
            QTimer.singleShot(0, app.quit)
        else:
            QTimer.singleShot(0, window.offer_resume)

    def failed(error: BaseException) -> None:
        if not isinstance(error, StoreError | ContentError | ServiceError):
            raise error
        outcome["code"] = 2
        if smoke:
            print(f"error: {error}", file=sys.stderr)
        else:
            QMessageBox.critical(
                window, QCoreApplication.translate("app", "Cannot open the data"), str(error)
            )
        app.quit()

    def open_data() -> Any:
        from safetycheck.services.workspace import open_workspace

        return open_workspace(db_url)

    QTimer.singleShot(0, lambda: window.background.run(open_data, opened, failed))
    code = int(app.exec())
    window.background.wait()
    if outcome["ws"] is not None:
        outcome["ws"].close()
    if outcome["code"]:
        return int(outcome["code"])
    if smoke:
        print(
            json.dumps(
                {
                    "startup_ms": round(painted.elapsed_ms or -1.0, 1),
                    "ready_ms": round(outcome["ready_ms"] or -1.0, 1),
                    "people": window.people_model.total,
                }
            )
        )
        return 0 if painted.elapsed_ms is not None else 1
    return code


def main() -> int:
    return run(sys.argv[1:])
