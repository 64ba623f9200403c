"""Files in and out: a visit's action plan, its letter for the doctor and the blank checklist
(PDFs), a visit exported to and imported from the interchange file (JSON). Each is written or
read in the background (ReportLab loads on the first export only), in the folder used last
time; a file is written atomically (never half a file, never over the database), and a file
that cannot be imported changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from safetycheck.domain.checklist import Mode
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


def letter_file_name(info: AssessmentInfo) -> str:
    """The name offered for a visit's letter for the doctor."""
    return _NOT_IN_FILE_NAMES.sub("-", f"letter-for-the-doctor-{info.person_name}-{info.date}.pdf")


def visit_file_name(info: AssessmentInfo) -> str:
    """The name offered for a visit's interchange file: whose visit, and of which day."""
    return _NOT_IN_FILE_NAMES.sub("-", f"visit-{info.person_name}-{info.date}.json")


def _ask_pdf_name(parent: QWidget, title: str, suggested: str) -> Path | None:
    return _ask_save_name(parent, title, suggested, parent.tr("PDF files (*.pdf)"))


def _ask_save_name(parent: QWidget, title: str, suggested: str, kinds: str) -> Path | None:
    settings = Settings()
    name, _filter = QFileDialog.getSaveFileName(
        parent, title, str(settings.last_folder / suggested), kinds
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
        large_print = Settings().large_print  # read here: QSettings belongs to this thread

        def work() -> list[str]:
            from safetycheck.services import reports

            report = reports.plan_report_for_visit(ws, assessment_id)
            return reports.write_plan_pdf(
                report, path, protected=protected, large_print=large_print
            )

        self.started.emit()
        self._ops.change(
            self._widget,
            work,
            Change.NONE,  # a file, not the data
            title=self.tr("The PDF was not saved"),
            done=lambda warnings: self.saved.emit(path, warnings),
            failed=lambda _error: self.failed.emit(),
        )


def save_letter(
    parent: QWidget,
    ws: Workspace,
    ops: Operations,
    info: AssessmentInfo,
    saved: Callable[[Path, list[str]], None],
    failed: Callable[[], None],
) -> bool:
    """Ask for a file name, then write the visit's letter for the doctor there in the background,
    as the action plan is written (atomically, never over the database). False: no file chosen."""
    path = _ask_pdf_name(
        parent, parent.tr("Save the letter for the doctor"), letter_file_name(info)
    )
    if path is None:
        return False
    protected, visit_id = ws.files_in_use(), info.id

    def work() -> list[str]:
        from safetycheck.services import letters

        letter = letters.letter_for_visit(ws, visit_id)
        return letters.write_letter_pdf(letter, path, protected=protected)

    ops.change(
        parent,
        work,
        Change.NONE,
        title=parent.tr("The letter was not saved"),
        done=lambda warnings: saved(path, warnings),
        failed=lambda _error: failed(),
    )
    return True


def save_blank_checklist(
    parent: QWidget,
    ws: Workspace,
    ops: Operations,
    saved: Callable[[Path], None],
    mode: Mode | None = None,
) -> None:
    """Ask for a file name, then write the blank checklist there: a caregiver's or an OT's
    (`mode`; None: the mode used last)."""
    mode = mode if mode is not None else Settings().last_mode
    suggested = "checklist-ot.pdf" if mode is Mode.OT else "checklist.pdf"
    title = (
        parent.tr("Save the blank checklist for an OT")
        if mode is Mode.OT
        else parent.tr("Save the blank checklist for a caregiver")
    )
    path = _ask_pdf_name(parent, title, suggested)
    if path is None:
        return
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


def export_visit(
    parent: QWidget,
    ws: Workspace,
    ops: Operations,
    info: AssessmentInfo,
    saved: Callable[[Path], None],
) -> None:
    """Ask for a file name, then write the visit there as an interchange file (photos and the
    plan's ticks and wordings included), atomically."""
    path = _ask_save_name(
        parent,
        parent.tr("Export the visit"),
        visit_file_name(info),
        parent.tr("Visit files (*.json)"),
    )
    if path is None:
        return
    protected, visit_id = ws.files_in_use(), info.id

    def work() -> None:
        import json

        from safetycheck.files import check_output_path, write_atomically
        from safetycheck.services.transfer import export_document

        check_output_path(path, protected)  # before the visit is read: a clear refusal first
        document = export_document(ws, visit_id)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_atomically(path, text.encode("utf-8"), protected)

    ops.change(
        parent,
        work,
        Change.NONE,
        title=parent.tr("The visit was not exported"),
        done=lambda _none: saved(path),
    )


def import_visit(
    parent: QWidget, ws: Workspace, ops: Operations, imported: Callable[[AssessmentInfo], None]
) -> None:
    """Ask for an interchange file, check all of it, then add its visit (and its person, when
    new) in one unit of work. A file that cannot be read or checked is refused in plain words
    and nothing changes."""
    settings = Settings()
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Import a visit"),
        str(settings.last_folder),
        parent.tr("Visit files (*.json);;All files (*)"),
    )
    if not name:
        return
    path = Path(name)
    settings.last_folder = path.parent

    def work() -> AssessmentInfo:
        from safetycheck.exchange.assessment_json import read_document
        from safetycheck.exchange.errors import ExchangeError
        from safetycheck.services.assessments import get_info
        from safetycheck.services.errors import InvalidInputError
        from safetycheck.services.transfer import import_document

        try:
            document = read_document(path)
            new = import_document(ws, document)
        except ExchangeError as exc:
            # The reader names the file already; else say which file the problem is in.
            said = str(exc)
            raise InvalidInputError(
                said if said.startswith(str(path)) else f"{path}: {said}"
            ) from None
        return get_info(ws, new)

    ops.change(
        parent,
        work,
        Change.PEOPLE | Change.VISITS | Change.ACTIONS,
        title=parent.tr("The visit was not imported"),
        done=imported,
    )
