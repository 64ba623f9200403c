"""Table models for the main window: people (paged, searchable) and one person's visits.

Thin: each asks a use case for rows, through the operations helper (off the GUI thread), and
shows them cell by cell; no SQL here. A reply to an older request (the search changed since) is
dropped.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from safetycheck.domain.assessment import VisitStatus
from safetycheck.domain.checklist import Mode
from safetycheck.domain.stratification import LevelRange
from safetycheck.domain.visits import AssessmentInfo, PersonView

if TYPE_CHECKING:  # the services load SQLAlchemy: not before the window has painted
    from safetycheck.services.pages import Page
    from safetycheck.services.workspace import Workspace

from .dates import format_date
from .operations import Operations

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
PAGE = 100


def short_date(day: date) -> str:
    """A date as the lists show it: the program's one format (ui/dates.py). Kept under this
    name for the modules that used it before dates.py existed."""
    return format_date(day)


def level_words(stored: str | None) -> str:
    """A stored level ("moderate", or "low-moderate" while undecided) in words."""
    if not stored:
        return ""
    try:
        level_range = LevelRange.from_key(stored)
    except ValueError:
        return stored
    return level_range.label.removesuffix(" risk")


class _RowsModel(QAbstractTableModel, Generic[Row]):
    """What both tables share: a list of rows, fixed columns, translated headers, and a counter
    that tells a current reply from a stale one.

    Signals:
        loaded(): rows from the database are in (after a reload or a further page).
    """

    loaded = Signal()

    def __init__(self, ws: Workspace, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._ops = ops
        self._rows: list[Row] = []
        # Each row's cells, made once when Qt first asks (it asks once a cell, for every role):
        # rows are only ever replaced all at once or appended, so a row's number stays its own.
        self._cells: dict[int, list[str]] = {}
        self._asked = 0  # increases with every request that replaces the rows

    def headers(self) -> list[str]:
        raise NotImplementedError  # each table names its columns

    def cells(self, row: Row) -> list[str]:
        raise NotImplementedError  # each table says what its columns show

    def row_id(self, row: Row) -> str:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers())

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            if 0 <= section < len(headers):
                return headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        number = index.row()
        row = self._rows[number]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            cells = self._cells.get(number)
            if cells is None:
                cells = self._cells[number] = self.cells(row)
            return cells[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self.row_id(row)
        return None

    def row_of(self, row_id: str) -> int | None:
        for number, row in enumerate(self._rows):
            if self.row_id(row) == row_id:
                return number
        return None

    def _replace(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._cells.clear()
        self.endResetModel()
        self.loaded.emit()


class PeopleTableModel(_RowsModel[PersonView]):
    """People ordered by name, fetched a page at a time as the view scrolls: each page starts
    just after the last row shown (a keyset cursor), so the thousandth page is as quick as the
    first. No count of everyone is asked for: the list only needs to know whether more follow.
    """

    def __init__(self, ws: Workspace, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(ws, ops, parent)
        self._search = ""
        self._fetching = False
        self._after: str | None = None  # the cursor of the last row shown
        self._more = False  # whether rows follow the last one shown
        self._ids: set[str] = set()

    def set_search(self, text: str) -> None:
        self._search = text.strip()
        self.reload()

    def reload(self) -> None:
        """Ask for the first page again (the answer arrives later: `loaded`)."""
        from safetycheck.services.people import list_people

        self._asked += 1
        asked, ws, search = self._asked, self._ws, self._search

        def done(page: Page[PersonView]) -> None:
            if asked == self._asked:
                self._fetching = False
                self._after, self._more = page.after, page.has_more
                self._ids = {person.id for person in page.items}
                self._replace(list(page.items))

        self._ops.query(
            None,
            lambda: list_people(ws, search, limit=PAGE),
            done,
            title=self.tr("The list of people could not be read"),
        )

    def person(self, row: int) -> PersonView:
        return self._rows[row]

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Born"), self.tr("Visits"), self.tr("Last visit")]

    def cells(self, row: PersonView) -> list[str]:
        return [
            row.name,
            str(row.birth_year) if row.birth_year else "",
            str(row.visits),
            format_date(row.last_visit) if row.last_visit else "",
        ]

    def row_id(self, row: PersonView) -> str:
        return row.id

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._fetching and self._more

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        """Ask for the next page; its rows are appended when it arrives."""
        from safetycheck.services.people import list_people

        if parent.isValid() or self._fetching or not self._more:
            return
        self._fetching = True
        asked, ws, search, after = self._asked, self._ws, self._search, self._after

        def done(page: Page[PersonView]) -> None:
            if asked != self._asked or after != self._after:
                return  # the list was reloaded meanwhile
            self._fetching = False
            self._more = page.has_more
            self._after = page.after or self._after
            # Someone renamed since the page before may come again: shown once.
            new = [person for person in page.items if person.id not in self._ids]
            if new:
                offset = len(self._rows)
                self.beginInsertRows(QModelIndex(), offset, offset + len(new) - 1)
                self._rows.extend(new)
                self._ids.update(person.id for person in new)
                self.endInsertRows()
            self.loaded.emit()

        def failed(_error: Exception) -> None:
            if asked == self._asked:
                self._fetching = False

        self._ops.query(
            None,
            lambda: list_people(ws, search, after, PAGE),
            done,
            title=self.tr("The list of people could not be read"),
            failed=failed,
        )


class VisitsTableModel(_RowsModel[AssessmentInfo]):
    """One person's visits, newest first: date, assessor, status, level."""

    def __init__(self, ws: Workspace, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(ws, ops, parent)
        self._person: str | None = None

    @property
    def person_id(self) -> str | None:
        """Whose visits are shown (or asked for)."""
        return self._person

    def show_person(self, person_id: str | None) -> None:
        """Ask for this person's visits (None: show none); `loaded` when they are in."""
        self._person = person_id
        self._asked += 1
        asked, ws = self._asked, self._ws
        if person_id is None:
            self._replace([])
            return

        def done(rows: list[AssessmentInfo]) -> None:
            if asked == self._asked:
                self._replace(rows)

        self._ops.query(
            None,
            lambda: _all_visits(ws, person_id),
            done,
            title=self.tr("The visits could not be read"),
        )

    def reload(self) -> None:
        self.show_person(self._person)

    def visit(self, row: int) -> AssessmentInfo:
        return self._rows[row]

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("By"), self.tr("Status"), self.tr("Level")]

    def cells(self, row: AssessmentInfo) -> list[str]:
        # "Moderate (31)"; "Low to moderate (31)" while undecided; a level an older model
        # gave says so: "Moderate (31), model 1.0" (the summary shows the current model's).
        level = level_words(row.level)
        if level and row.score is not None:
            level = f"{level} ({row.score})"
        if level and row.model_version != self._ws.content.model.version:
            level = f"{level}, model {row.model_version}"
        role_word = "OT" if row.assessor_role is Mode.OT else self.tr("caregiver")
        return [
            format_date(row.date),
            f"{row.assessor_name} ({role_word})",
            VisitStatus(row.status).label,
            level or "—",
        ]

    def row_id(self, row: AssessmentInfo) -> str:
        return row.id


def _all_visits(ws: Workspace, person_id: str) -> list[AssessmentInfo]:
    from safetycheck.services.assessments import list_assessments

    rows: list[AssessmentInfo] = []
    after: str | None = None
    while True:  # a page at a time, each starting after the last (keyset)
        page = list_assessments(ws, person_id=person_id, after=after, limit=200)
        rows.extend(page.items)
        after = page.after
        if not page.has_more:
            return rows
