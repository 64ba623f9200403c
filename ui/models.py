"""Table models for the main window: people (paged, searchable) and one person's visits.

Thin: each asks a use case for rows and shows them cell by cell; no SQL here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from safetycheck.services.assessments import AssessmentInfo, list_assessments
from safetycheck.services.people import PersonView, list_people
from safetycheck.services.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
PAGE = 100
LEVEL_WORDS = {"low": "Low", "moderate": "Moderate", "high": "High"}
STATUS_WORDS = {"in_progress": "In progress", "completed": "Completed"}


class _RowsModel(QAbstractTableModel):
    """What both tables share: a list of rows, fixed columns, translated headers."""

    _rows: list[Any]

    def headers(self) -> list[str]:
        return []  # each table names its columns

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers())

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            if 0 <= section < len(headers):
                return headers[section]
        return None


class PeopleTableModel(_RowsModel):
    """People ordered by name, fetched a page at a time as the view scrolls."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._rows: list[PersonView] = []
        self._total = 0
        self._search = ""

    def set_search(self, text: str) -> None:
        self._search = text.strip()
        self.reload()

    def reload(self) -> None:
        page = list_people(self._ws, self._search, 0, PAGE)
        self.beginResetModel()
        self._rows = list(page.items)
        self._total = page.total
        self.endResetModel()

    def person(self, row: int) -> PersonView:
        return self._rows[row]

    def row_of(self, person_id: str) -> int | None:
        for row, person in enumerate(self._rows):
            if person.id == person_id:
                return row
        return None

    @property
    def total(self) -> int:
        return self._total

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Born"), self.tr("Visits"), self.tr("Last visit")]

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if parent.isValid():
            return
        page = list_people(self._ws, self._search, len(self._rows), PAGE)
        if not page.items:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
        self._rows.extend(page.items)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return [
                person.name,
                str(person.birth_year) if person.birth_year else "",
                str(person.visits),
                person.last_visit.isoformat() if person.last_visit else "",
            ][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return person.id
        return None


class VisitsTableModel(_RowsModel):
    """One person's visits, newest first: date, assessor, status, level."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._rows: list[AssessmentInfo] = []

    def show_person(self, person_id: str | None) -> None:
        rows: list[AssessmentInfo] = []
        if person_id is not None:
            offset = 0
            while True:
                page = list_assessments(self._ws, person_id=person_id, offset=offset, limit=200)
                rows.extend(page.items)
                offset += len(page.items)
                if not page.items or offset >= page.total:
                    break
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def visit(self, row: int) -> AssessmentInfo:
        return self._rows[row]

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Assessed by"), self.tr("Status"), self.tr("Level")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        visit = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            level = LEVEL_WORDS.get(visit.level or "", "")
            if level and visit.score is not None:
                level = f"{level} ({visit.score})"
            role_word = "OT" if visit.assessor_role.value == "ot" else self.tr("caregiver")
            return [
                visit.date.isoformat(),
                f"{visit.assessor_name} ({role_word})",
                STATUS_WORDS.get(visit.status, visit.status),
                level or "—",
            ][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return visit.id
        return None
