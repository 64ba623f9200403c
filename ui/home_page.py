"""The home: which rooms it has, in the order of the route through the house, which lie on the
night route, which stairs are used daily."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from safetycheck.domain.assessment import RoomInstance
from safetycheck.domain.steps import Step

from .flow_layout import FlowLayout
from .operations import Change, Done, ask
from .session import WalkthroughSession
from .step_page import StepPage, Walkthrough
from .style import plain_label


class HomePage(StepPage):
    """The rooms of the home, in the walkthrough's order; each change is saved at once, and the
    room steps follow (the wizard listens to the session)."""

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        intro = plain_label(
            self.tr(
                "Tick the rooms on the way from the bed to the toilet at night, and the stairs "
                "used every day. Add a room for every bedroom or bathroom there is, and add "
                "Stairs if the home has any. Put the rooms in the order you walk through them: "
                "the walkthrough visits them in this order."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        # (Its tick boxes keep the style's size: a larger one ran over its "yes" or "no",
        # and the words, which grow with the text, say the state too.)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Room"),
                self.tr("Kind"),
                self.tr("On the\nnight route"),  # two lines: narrow columns for the ticks
                self.tr("Stairs used\ndaily"),
            ]
        )
        self.table.setAccessibleName(self.tr("Rooms of the home"))
        # One Tab stop: the arrows move between the cells, Tab and Shift+Tab leave the table
        # (cell by cell, Shift+Tab then Space ticked the room before without a word).
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        # The room's name takes the room left; the ticks keep theirs (see _fit_columns).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("&Add a room…"))
        self.rename_button = QPushButton(self.tr("&Rename…"))
        self.remove_button = QPushButton(self.tr("Re&move"))
        self.up_button = QPushButton(self.tr("Move &up"))
        self.down_button = QPushButton(self.tr("Move do&wn"))
        self.up_button.setAccessibleDescription(
            self.tr("Moves the chosen room one place earlier on the route")
        )
        self.down_button.setAccessibleDescription(
            self.tr("Moves the chosen room one place later on the route")
        )
        buttons_in_order = (
            self.add_button,
            self.rename_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        )
        for button in buttons_in_order:
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_room)
        self.rename_button.clicked.connect(self.rename_room)
        self.remove_button.clicked.connect(self.remove_room)
        self.up_button.clicked.connect(lambda: self.move_room(-1))
        self.down_button.clicked.connect(lambda: self.move_room(+1))
        # The buttons wrap onto more lines when narrow (a small screen, large text).
        button_row = QWidget()
        buttons = FlowLayout(button_row)
        for button in buttons_in_order:
            buttons.addWidget(button)
        self.body.addWidget(intro)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(button_row)
        self._filling = False
        self._listening: WalkthroughSession | None = None

    def session(self) -> WalkthroughSession:
        session = self.walkthrough().session
        assert session is not None, "the home comes after the visit has started"
        return session

    def initializePage(self) -> None:  # noqa: N802
        session = self.session()
        if self._listening is not session:
            session.rooms_changed.connect(self.fill)  # whichever view changed them
            self._listening = session
        self.fill()
        super().initializePage()

    def collected(self) -> tuple[RoomInstance, ...]:
        """The rooms of the home, as saved."""
        return self.session().rooms()

    def fill(self) -> None:
        """Show the rooms as saved, changing the cells in place: the table is never rebuilt, so
        the keyboard stays on its cell across a tick or a rename, follows its room when the
        rooms are moved, and goes to the room that takes its place when its room is removed."""
        rooms = self.session().rooms()
        table = self.table
        current_room = self.selected_room()
        row, column = table.currentRow(), max(table.currentColumn(), 0)
        self._filling = True
        try:
            table.setRowCount(len(rooms))  # keeps the cells of the rows that stay
            for position, room in enumerate(rooms):
                self._show_room(position, room, len(rooms))
        finally:
            self._filling = False
        self._fit_columns()
        rows = {room.id: position for position, room in enumerate(rooms)}
        if current_room in rows:
            target = rows[current_room]  # the same room, wherever it is now
        elif rooms and row >= 0:
            target = min(row, len(rooms) - 1)  # its room removed: the one after it
        else:
            target = -1
        if target >= 0 and (table.currentRow(), table.currentColumn()) != (target, column):
            table.setCurrentCell(target, column)
        self._update_buttons()

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """The table's cell here, made the first time (a tick box in the last two columns)."""
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column in (2, 3):
                item.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, column, item)
        return item

    def _show_room(self, row: int, room: RoomInstance, count: int) -> None:
        """One row: the room's name, kind and ticks, each cell saying whose it is (a screen
        reader reads one cell at a time). Only what differs is set."""
        headers = [self.table.horizontalHeaderItem(c) for c in range(self.table.columnCount())]
        titles = [header.text().replace("\n", " ").lower() if header else "" for header in headers]
        kind_name = self.session().checklist.room_kind(room.kind).name
        spoken_name = self.tr("{room}: room {n} of {count} on the route").format(
            room=room.name, n=row + 1, count=count
        )
        cells: list[tuple[int, str, str, Qt.CheckState | None]] = [
            (0, room.name, spoken_name, None),
            (1, kind_name, f"{room.name}: {titles[1]}: {kind_name}", None),
        ]
        for column, on in ((2, room.night_route), (3, room.stairs_daily)):
            state = self.tr("yes") if on else self.tr("no")
            tick = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            cells.append((column, state, f"{room.name}: {titles[column]}: {state}", tick))
        for column, text, spoken, check in cells:
            item = self._cell(row, column)
            if item.text() != text:
                item.setText(text)
            if item.data(Qt.ItemDataRole.AccessibleTextRole) != spoken:
                item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            # (A new cell has no check state at all: a tick box only once it is set.)
            shown = item.data(Qt.ItemDataRole.CheckStateRole)
            if check is not None and (shown is None or item.checkState() != check):
                item.setCheckState(check)
        name = self._cell(row, 0)
        if name.data(Qt.ItemDataRole.UserRole) != room.id:
            name.setData(Qt.ItemDataRole.UserRole, room.id)

    def _fit_columns(self) -> None:
        """Too narrow for every column (a small screen, large text): the kind of room goes
        first (a room's name mostly says it), never the ticks."""
        names = self.table.fontMetrics().averageCharWidth() * 14
        ticks = sum(self.table.sizeHintForColumn(c) for c in (2, 3))
        kinds = self.table.sizeHintForColumn(1)
        room = self.table.viewport().width()
        self.table.setColumnHidden(1, room < names + ticks + kinds)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def _update_buttons(self) -> None:
        row = self.table.currentRow()
        chosen = 0 <= row < self.table.rowCount()
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and row < self.table.rowCount() - 1)

    def selected_room(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        room_id = item.data(Qt.ItemDataRole.UserRole)
        return str(room_id) if room_id is not None else None

    def _change_rooms(self, title: str, change: Callable[[], object]) -> bool:
        """Save a change of rooms now (the table and the room steps follow the session's
        rooms_changed); when it fails, show why and show what is saved."""
        outcome = self.walkthrough().ops.now(self, change, title=title, changes=Change.ANSWERS)
        if not isinstance(outcome, Done):
            self.fill()
        return isinstance(outcome, Done)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in (2, 3):
            return
        name_cell = self.table.item(item.row(), 0)
        if name_cell is None:
            return
        room_id = str(name_cell.data(Qt.ItemDataRole.UserRole))
        on = item.checkState() == Qt.CheckState.Checked
        session = self.session()
        if item.column() == 2:
            self._change_rooms(
                self.tr("Not saved"), lambda: session.update_room(room_id, night_route=on)
            )
        else:
            self._change_rooms(
                self.tr("Not saved"), lambda: session.update_room(room_id, stairs_daily=on)
            )

    def add_room(self) -> None:
        session = self.session()
        kinds = list(session.checklist.room_kinds)
        names = [kind.name for kind in kinds]
        chosen, ok = QInputDialog.getItem(
            self, self.tr("Add a room"), self.tr("What kind of room?"), names, 0, False
        )
        if not ok or chosen not in names:
            return
        kind = kinds[names.index(chosen)]
        name, ok = QInputDialog.getText(
            self,
            self.tr("Add a room"),
            self.tr("Its name (leave empty for '{kind}'):").format(kind=kind.name),
        )
        if not ok:
            return
        before = {room.id for room in session.rooms()}
        if self._change_rooms(
            self.tr("The room was not added"), lambda: session.add_room(kind.id, name)
        ):
            self.focus_room(next((r.id for r in session.rooms() if r.id not in before), None))

    def focus_room(self, room_id: str | None) -> None:
        """Put the keyboard on this room's name (a room just added): its name can be read at
        once, Rename or a tick is a key away, and Shift+Tab goes back to the page's title,
        never round to the walkthrough's Close button."""
        rooms = [room.id for room in self.session().rooms()]
        if room_id not in rooms:
            return
        row = rooms.index(room_id)
        self.table.setCurrentCell(row, 0)
        item = self.table.item(row, 0)
        if item is not None:
            self.table.scrollToItem(item)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rename_room(self) -> None:
        room_id = self.selected_room()
        if room_id is None:
            return
        session = self.session()
        current = session.assessment.room(room_id).name
        name, ok = QInputDialog.getText(
            self, self.tr("Rename the room"), self.tr("New name:"), text=current
        )
        if ok and name.strip():
            self._change_rooms(
                self.tr("Not renamed"), lambda: session.update_room(room_id, name=name)
            )

    def move_room(self, offset: int) -> None:
        """Move the chosen room one place earlier (-1) or later (+1) on the route; it stays the
        chosen room, so the same key moves it again."""
        room_id = self.selected_room()
        if room_id is None:
            return
        session = self.session()
        pressed = self.up_button if offset < 0 else self.down_button
        other = self.down_button if offset < 0 else self.up_button
        had_focus = pressed.hasFocus()
        self._change_rooms(
            self.tr("The room was not moved"), lambda: session.move_room(room_id, offset)
        )
        # At either end the button pressed is disabled, and Qt would send the keyboard on to
        # whatever comes next: keep it on the other button instead.
        if had_focus and not pressed.isEnabled() and other.isEnabled():
            other.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_room(self) -> None:
        room_id = self.selected_room()
        if room_id is None:
            return
        session = self.session()
        room = session.assessment.room(room_id)
        answered = sum(1 for a in session.assessment.answers if a.room == room_id)
        question = self.tr("Remove {name}?").format(name=room.name)
        if answered:
            question += " " + self.tr("Its {count} answers will be deleted too.").format(
                count=answered
            )
        if not ask(self, self.tr("Remove a room"), question):
            return
        self._change_rooms(
            self.tr("The room was not removed"), lambda: session.remove_room(room_id)
        )
