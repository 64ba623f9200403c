"""Saving PDFs: a visit's action plan and the blank checklist, each written in the background
(ReportLab loads on the first export only) into the folder used last time."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from safetycheck.domain.visits import AssessmentInfo

from .operations import Change, Operations
from .settings import Settings

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace


# Characters no file name may hold on one system or another (Windows refuses <>:"\|?* and
# control characters; / separates folders everywhere); a person's name may hold any of them.
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def plan_file_name(info: AssessmentInfo) -> str:
    """The name offered for a visit's action plan: whose, and of which day."""
    return _NOT_IN_FILE_NAMES.sub("-", f"action-plan-{info.person_name}-{info.date}.pdf")


def _ask_pdf_name(parent: QWidget, title: str, suggested: str) -> Path | None:
    settings = Settings()
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        title,
        str(settings.last_folder / suggested),
        parent.tr("PDF files (*.pdf)"),
    )
    if not name:
        return None
    path = Path(name)
    settings.last_folder = path.parent
    return path


class PlanPdfExport(QObject):
    """Asks where to save a visit's action plan, then renders and writes it in the background.

    Signals:
        started(): writing began (a view disables its button and shows that it is busy).
        saved(object, list): written: the file (a Path) and any warnings about characters.
        failed(): not written; the reason has been shown.
    """

    started = Signal()
    saved = Signal(object, list)
    failed = Signal()

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget) -> None:
        super().__init__(parent)
        self._ws = ws
        self._ops = ops
        self._widget = parent

    def choose(self, info: AssessmentInfo) -> None:
        """Ask for a file name (offering one), then save there."""
        path = _ask_pdf_name(self._widget, self.tr("Save the action plan"), plan_file_name(info))
        if path is not None:
            self.save(info.id, path)

    def save(self, assessment_id: str, path: Path) -> None:
        ws = self._ws
        protected = ws.files_in_use()  # the database, its -wal and -shm: never replaced

        def work() -> list[str]:
            from safetycheck.services import reports

            report = reports.plan_report_for_visit(ws, assessment_id)
            return reports.write_plan_pdf(report, path, protected=protected)

        self.started.emit()
        self._ops.change(
            self._widget,
            work,
            Change.NONE,  # a file, not the data
            title=self.tr("The PDF was not saved"),
            done=lambda warnings: self.saved.emit(path, warnings),
            failed=lambda _error: self.failed.emit(),
        )


def save_blank_checklist(
    parent: QWidget, ws: Workspace, ops: Operations, saved: Callable[[Path], None]
) -> None:
    """Ask for a file name, then write the blank checklist of the last mode used there."""
    path = _ask_pdf_name(parent, parent.tr("Save the blank checklist"), "checklist.pdf")
    if path is None:
        return
    mode = Settings().last_mode
    content, protected = ws.content, ws.files_in_use()

    def work() -> list[str]:
        from safetycheck.services import reports

        return reports.write_checklist_pdf(content, mode, path, protected=protected)

    ops.change(
        parent,
        work,
        Change.NONE,
        title=parent.tr("The checklist was not saved"),
        done=lambda _warnings: saved(path),
    )
