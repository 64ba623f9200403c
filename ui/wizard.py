"""The room-by-room walkthrough: a QWizard whose pages are built from the checklist content.

who and how → the person → the home → one page per room → footwear → brace and skin (only with a
brace) → summary. Each page loads in initializePage and never clears anything on Back; every
answer is saved the moment it is given, so closing the window loses nothing.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from safetycheck.domain.assessment import item_applies
from safetycheck.domain.checklist import Item, Mode, Page, RoomKind
from safetycheck.services import assessments as visits
from safetycheck.services.errors import ServiceError, StoreError
from safetycheck.services.people import create_person, get_person, list_people
from safetycheck.services.workspace import Workspace

from .background import Background
from .item_row import ItemRow
from .session import WalkthroughSession
from .style import set_role
from .summary import SummaryView

WHO, PERSON, HOME, FOOTWEAR, BRACE, SUMMARY = 1, 2, 3, 900, 901, 999
FIRST_ROOM = 100
LAST_MODE_KEY = "walkthrough/last_mode"
LAST_ASSESSOR_KEY = "walkthrough/last_assessor"


class RedFlagBanner(QFrame):
    """Red flags as soon as they are answered, in words, on every page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "redflags")
        self.label = QLabel()
        self.label.setWordWrap(True)
        set_role(self.label, "redflag")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.setVisible(False)

    def show_flags(self, flags: list[str]) -> None:
        if flags:
            lines = [self.tr("⚠ RED FLAG — seek medical attention now:")]
            lines += [f"• {flag}" for flag in flags]
            self.label.setText("\n".join(lines))
            self.setAccessibleName(self.label.text())
        self.setVisible(bool(flags))


class WalkthroughPage(QWizardPage):
    """Base page: a focusable heading (focus moves there on each page), red flags, content."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.heading = QLabel(title)
        set_role(self.heading, "title")
        self.heading.setWordWrap(True)
        self.heading.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.heading.setAccessibleName(title)
        self.progress = QLabel(subtitle)
        self.progress.setWordWrap(True)
        self.flags = RedFlagBanner()
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.flags)
        layout.addLayout(self.body, 1)

    def walkthrough(self) -> WalkthroughWizard:
        wizard = self.wizard()
        assert isinstance(wizard, WalkthroughWizard)
        return wizard

    def page_key(self) -> str:
        """Where the walkthrough is, saved so it resumes exactly here."""
        return self.objectName()

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.walkthrough()
        if wizard.session is not None:
            self.flags.show_flags(wizard.session.red_flags())
            wizard.session.set_resume_point(self.page_key())
        self.progress.setText(wizard.progress_text(self))
        # After QWizard has finished switching pages (it moves focus itself), so a screen reader
        # starts each page at its title.
        QTimer.singleShot(0, self._focus_heading)

    def _focus_heading(self) -> None:
        if self.isVisible():
            self.heading.setFocus(Qt.FocusReason.OtherFocusReason)

    def cleanupPage(self) -> None:  # noqa: N802
        """Back never clears answers (QWizard would reset registered fields here)."""


class WhoPage(WalkthroughPage):
    """Who is assessed, by whom, when, and in which mode; starts the visit on Next."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__(self.tr("Who and how"))
        self.ws = ws
        self.setObjectName("who")
        form = QFormLayout()
        self.person = QComboBox()
        self.person.setAccessibleName(self.tr("Person"))
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName(self.tr("Name of the new person"))
        self.new_name.setPlaceholderText(self.tr("Full name"))
        self.birth_year = QSpinBox()
        self.birth_year.setRange(0, date.today().year)
        self.birth_year.setSpecialValueText(self.tr("Not given"))
        self.birth_year.setAccessibleName(self.tr("Year of birth"))
        self.assessor = QLineEdit(str(QSettings().value(LAST_ASSESSOR_KEY, "")))
        self.assessor.setAccessibleName(self.tr("Your name"))
        self.role_caregiver = QRadioButton(self.tr("&Caregiver or family"))
        self.role_ot = QRadioButton(self.tr("&Occupational therapist"))
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.role_caregiver)
        self.roles.addButton(self.role_ot)
        last_mode = str(QSettings().value(LAST_MODE_KEY, "caregiver"))
        (self.role_ot if last_mode == "ot" else self.role_caregiver).setChecked(True)
        self.visit_date = QDateEdit(QDate.currentDate())
        self.visit_date.setCalendarPopup(True)
        self.visit_date.setAccessibleName(self.tr("Date of the visit"))
        roles = QHBoxLayout()
        roles.addWidget(self.role_caregiver)
        roles.addWidget(self.role_ot)
        form.addRow(self.tr("&Person:"), self.person)
        form.addRow(self.tr("New person's &name:"), self.new_name)
        form.addRow(self.tr("&Year of birth:"), self.birth_year)
        form.addRow(self.tr("&Your name:"), self.assessor)
        form.addRow(self.tr("You are:"), roles)
        form.addRow(self.tr("&Date:"), self.visit_date)
        explain = QLabel(
            self.tr(
                "Caregiver mode asks the plain questions only. Occupational therapist mode adds "
                "measurements and a few more checks."
            )
        )
        explain.setWordWrap(True)
        self.started_text = QLabel()
        self.started_text.setWordWrap(True)
        self.body.addLayout(form)
        self.body.addWidget(explain)
        self.body.addWidget(self.started_text)
        self.body.addStretch(1)
        self.person.currentIndexChanged.connect(self._person_changed)

    def page_key(self) -> str:
        return "who"

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.walkthrough()
        started = wizard.session is not None
        if not started and self.person.count() == 0:
            self.person.addItem(self.tr("— A new person —"), None)
            for person in list_people(self.ws, limit=500).items:
                self.person.addItem(person.name, person.id)
            chosen = wizard.preselected_person
            if chosen and self.person.findData(chosen) < 0:
                # Beyond the first 500 names: add the person the main window had selected.
                try:
                    self.person.addItem(get_person(self.ws, chosen).name, chosen)
                except (ServiceError, StoreError):
                    chosen = None
            if chosen:
                self.person.setCurrentIndex(self.person.findData(chosen))
        for widget in (
            self.person,
            self.new_name,
            self.birth_year,
            self.assessor,
            self.role_caregiver,
            self.role_ot,
            self.visit_date,
        ):
            widget.setEnabled(not started)
        if started:
            assert wizard.session is not None
            a = wizard.session.assessment
            self.started_text.setText(
                self.tr(
                    "This walkthrough for {name} was started on {date} by {assessor}. "
                    "Press Next to carry on."
                ).format(name=a.person.name, date=a.date.isoformat(), assessor=a.assessor.name)
            )
        self._person_changed()
        super().initializePage()

    def _person_changed(self) -> None:
        new = self.person.currentData() is None and self.walkthrough_started() is False
        self.new_name.setEnabled(new)
        self.birth_year.setEnabled(new)

    def walkthrough_started(self) -> bool:
        wizard = self.wizard()
        return isinstance(wizard, WalkthroughWizard) and wizard.session is not None

    def validatePage(self) -> bool:  # noqa: N802
        wizard = self.walkthrough()
        if wizard.session is not None:
            return True
        mode = Mode.OT if self.role_ot.isChecked() else Mode.CAREGIVER
        assessor = self.assessor.text().strip()
        if not assessor:
            QMessageBox.information(
                self,
                self.tr("Your name is needed"),
                self.tr("Please type your name, so the plan says who made it."),
            )
            self.assessor.setFocus()
            return False
        try:
            person_id = self.person.currentData()
            if person_id is None:
                year = self.birth_year.value() or None
                person_id = create_person(self.ws, self.new_name.text(), year).id
            info = visits.start_assessment(
                self.ws,
                person_id,
                assessor,
                mode,
                mode,
                visit_date=date.fromisoformat(
                    self.visit_date.date().toString(Qt.DateFormat.ISODate)
                ),
            )
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("Cannot start"), str(exc))
            return False
        settings = QSettings()
        settings.setValue(LAST_MODE_KEY, mode.value)
        settings.setValue(LAST_ASSESSOR_KEY, assessor)
        wizard.start(info.id)
        return True


class ItemsPage(WalkthroughPage):
    """Questions from the checklist: only those that apply are shown, re-checked after each
    answer (so "brace worn?" reveals the brace questions at once)."""

    def __init__(
        self,
        title: str,
        subtitle: str,
        page: Page,
        room_id: str | None = None,
        room_kind: str | None = None,
    ) -> None:
        super().__init__(title, subtitle)
        self.page_kind = page
        self.room_id = room_id
        self.room_kind = room_kind
        self.rows: list[ItemRow] = []
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.inner_layout = QVBoxLayout(self.inner)
        self.empty = QLabel(self.tr("No questions apply here. Press Next."))
        self.inner_layout.addWidget(self.empty)
        self.scroller.setWidget(self.inner)
        self.body.addWidget(self.scroller)

    def candidate_items(self) -> list[Item]:
        checklist = self.walkthrough().ws.content.checklist
        items = checklist.items_on(self.page_kind)
        if self.room_kind is not None:
            items = tuple(i for i in items if i.applies_to_room(self.room_kind))
        return list(items)

    def page_key(self) -> str:
        return f"room:{self.room_id}" if self.room_id else self.page_kind.value

    def build(self, session: WalkthroughSession) -> None:
        """Create the question rows once (the wizard does it ahead, while the page before is
        being read, so Next only has to refresh them)."""
        if self.rows:
            return
        for item in self.candidate_items():
            # Created inside the page, never as a window of its own (which would steal focus).
            row = ItemRow(session, item, self.room_id, self.inner)
            row.changed.connect(self.update_visible)
            self.rows.append(row)
            self.inner_layout.addWidget(row)
        self.inner_layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.walkthrough()
        session = wizard.session
        assert session is not None
        self.build(session)
        for row in self.rows:
            row.refresh()
        self.update_visible()
        super().initializePage()

    def update_visible(self) -> None:
        session = self.walkthrough().session
        assert session is not None
        facts = session.facts()
        mode = session.assessment.mode
        shown = 0
        for row in self.rows:
            applies = item_applies(row.item, facts, mode)
            row.setVisible(applies)
            shown += applies
        self.empty.setVisible(shown == 0)
        self.flags.show_flags(session.red_flags())

    def visible_rows(self) -> list[ItemRow]:
        return [row for row in self.rows if not row.isHidden()]


class HomePage(WalkthroughPage):
    """Which rooms the home has; which lie on the night route; which stairs are used daily."""

    def __init__(self) -> None:
        super().__init__(self.tr("The home"))
        intro = QLabel(
            self.tr(
                "Tick the rooms on the way from the bed to the toilet at night, and the stairs "
                "used every day. Add a room for every bedroom or bathroom there is, and add "
                "Stairs if the home has any."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Room"),
                self.tr("Kind"),
                self.tr("On the night route"),
                self.tr("Stairs used daily"),
            ]
        )
        self.table.setAccessibleName(self.tr("Rooms of the home"))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton(self.tr("&Add a room…"))
        self.rename_button = QPushButton(self.tr("&Rename…"))
        self.remove_button = QPushButton(self.tr("Re&move"))
        for button in (self.add_button, self.rename_button, self.remove_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_room)
        self.rename_button.clicked.connect(self.rename_room)
        self.remove_button.clicked.connect(self.remove_room)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.body.addWidget(intro)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self._filling = False

    def page_key(self) -> str:
        return "home"

    def session(self) -> WalkthroughSession:
        session = self.walkthrough().session
        assert session is not None
        return session

    def initializePage(self) -> None:  # noqa: N802
        self.fill()
        super().initializePage()

    def fill(self) -> None:
        session = self.session()
        checklist = session.checklist
        self._filling = True
        self.table.setRowCount(0)
        for room in session.rooms():
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem(room.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, room.id)
            kind = QTableWidgetItem(checklist.room_kind(room.kind).name)
            kind.setFlags(kind.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, kind)
            for column, on in ((2, room.night_route), (3, room.stairs_daily)):
                box = QTableWidgetItem()
                box.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                box.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                box.setText(self.tr("yes") if on else self.tr("no"))
                self.table.setItem(row, column, box)
        self.table.resizeColumnsToContents()
        self._filling = False

    def selected_room(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in (2, 3):
            return
        name_cell = self.table.item(item.row(), 0)
        if name_cell is None:
            return
        room_id = name_cell.data(Qt.ItemDataRole.UserRole)
        on = item.checkState() == Qt.CheckState.Checked
        try:
            if item.column() == 2:
                self.session().update_room(room_id, night_route=on)
            else:
                self.session().update_room(room_id, stairs_daily=on)
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
        self.fill()

    def add_room(self) -> None:
        kinds: list[RoomKind] = list(self.session().checklist.room_kinds)
        names = [kind.name for kind in kinds]
        chosen, ok = QInputDialog.getItem(
            self, self.tr("Add a room"), self.tr("What kind of room?"), names, 0, False
        )
        if not ok:
            return
        kind = kinds[names.index(chosen)]
        name, ok = QInputDialog.getText(
            self,
            self.tr("Add a room"),
            self.tr("Its name (leave empty for '{kind}'):").format(kind=kind.name),
        )
        if not ok:
            return
        try:
            self.session().add_room(kind.id, name)
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("The room was not added"), str(exc))
        self.fill()

    def rename_room(self) -> None:
        room_id = self.selected_room()
        if room_id is None:
            return
        current = self.session().assessment.room(room_id).name
        name, ok = QInputDialog.getText(
            self, self.tr("Rename the room"), self.tr("New name:"), text=current
        )
        if ok and name.strip():
            try:
                self.session().update_room(room_id, name=name)
            except (ServiceError, StoreError) as exc:
                QMessageBox.warning(self, self.tr("Not renamed"), str(exc))
            self.fill()

    def remove_room(self) -> None:
        room_id = self.selected_room()
        if room_id is None:
            return
        room = self.session().assessment.room(room_id)
        answered = sum(1 for a in self.session().assessment.answers if a.room == room_id)
        question = self.tr("Remove {name}?").format(name=room.name)
        if answered:
            question += " " + self.tr("Its {count} answers will be deleted too.").format(
                count=answered
            )
        if (
            QMessageBox.question(self, self.tr("Remove a room"), question)
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            self.session().remove_room(room_id)
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("The room was not removed"), str(exc))
        self.fill()


class SummaryPage(WalkthroughPage):
    """Red flags, level, reasons and the plan; save the PDF; Finish marks the visit completed."""

    def __init__(self, ws: Workspace, background: Background) -> None:
        super().__init__(self.tr("Summary"))
        self.view = SummaryView(ws, background)
        self.body.addWidget(self.view)
        self.setFinalPage(True)

    def page_key(self) -> str:
        return "summary"

    def initializePage(self) -> None:  # noqa: N802
        session = self.walkthrough().session
        assert session is not None
        self.view.show_visit(session.assessment_id)
        super().initializePage()
        self.flags.setVisible(False)  # the summary shows the red flags itself, first


class WalkthroughWizard(QWizard):
    """The walkthrough. `session` exists once the visit has started (after the first page).

    Signals:
        finished_visit(str): the visit was completed (its id).
    """

    finished_visit = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        background: Background,
        assessment_id: str | None = None,
        person_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.background = background
        self.session: WalkthroughSession | None = None
        self.preselected_person = person_id
        self.setWindowTitle(self.tr("Home safety walkthrough"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish the visit"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Close (answers are saved)"))
        self.room_pages: list[int] = []
        self.currentIdChanged.connect(self._build_next_page_soon)
        self.setPage(WHO, WhoPage(ws))
        self.setPage(SUMMARY, SummaryPage(ws, background))
        self.setStartId(WHO)
        self.resize(900, 760)
        if assessment_id is not None:
            self.start(assessment_id)

    # ---- pages ------------------------------------------------------------------------------

    def start(self, assessment_id: str) -> None:
        self.session = WalkthroughSession(self.ws, assessment_id, self)
        self.session.rooms_changed.connect(self.rebuild_room_pages)
        mode = self.session.assessment.mode.value
        self.setPage(PERSON, ItemsPage(self.tr("The person"), "", Page.PERSON))
        self.setPage(HOME, HomePage())
        self.setPage(FOOTWEAR, ItemsPage(self.tr("Footwear"), "", Page.FOOTWEAR))
        self.setPage(BRACE, ItemsPage(self.tr("Brace and skin"), "", Page.BRACE))
        self.rebuild_room_pages()
        self.setProperty("mode", mode)

    def rebuild_room_pages(self) -> None:
        """One page per room, in the home's order (rooms change only on the home page)."""
        assert self.session is not None
        for page_id in self.room_pages:
            self.removePage(page_id)
        self.room_pages = []
        checklist = self.session.checklist
        next_id = max([FIRST_ROOM - 1, *[i for i in self.pageIds() if i < FOOTWEAR]]) + 1
        for room in self.session.rooms():
            kind = checklist.room_kind(room.kind)
            self.setPage(next_id, ItemsPage(room.name, kind.help, Page.ROOM, room.id, room.kind))
            self.room_pages.append(next_id)
            next_id += 1

    def _build_next_page_soon(self, _page_id: int) -> None:
        QTimer.singleShot(0, self._build_next_page)

    def _build_next_page(self) -> None:
        following = self.nextId()
        page = self.page(following) if following != -1 else None
        if isinstance(page, ItemsPage) and self.session is not None:
            page.build(self.session)

    def sequence(self) -> list[int]:
        if self.session is None:
            return [WHO, SUMMARY]
        order = [WHO, PERSON, HOME, *self.room_pages, FOOTWEAR]
        if self.session.facts().get("person.fd.brace") in ("afo", "other_brace"):
            order.append(BRACE)
        order.append(SUMMARY)
        return order

    def nextId(self) -> int:  # noqa: N802
        order = self.sequence()
        current = self.currentId()
        if current not in order:
            return -1
        position = order.index(current)
        return order[position + 1] if position + 1 < len(order) else -1

    def progress_text(self, page: QWizardPage) -> str:
        order = self.sequence()
        page_id = next((i for i in self.pageIds() if self.page(i) is page), -1)
        step = order.index(page_id) + 1 if page_id in order else 0
        text = self.tr("Step {step} of {total}").format(step=step, total=len(order))
        if page_id in self.room_pages:
            rooms = len(self.room_pages)
            number = self.room_pages.index(page_id) + 1
            text = self.tr("Room {number} of {rooms} · {step}").format(
                number=number, rooms=rooms, step=text
            )
            if isinstance(page, ItemsPage) and page.room_id and self.session is not None:
                room = self.session.assessment.room(page.room_id)
                tags = [
                    t
                    for t, on in (
                        (self.tr("on the night route"), room.night_route),
                        (self.tr("stairs used daily"), room.stairs_daily),
                    )
                    if on
                ]
                if tags:
                    text += " · " + ", ".join(tags)
        return text

    def page_for_key(self, key: str) -> int | None:
        for page_id in self.pageIds():
            page = self.page(page_id)
            if isinstance(page, WalkthroughPage) and page.page_key() == key:
                return page_id
        return None

    def resume_to(self, key: str) -> None:
        """Walk forward to where the visit stopped, so Back still works from there."""
        target = self.page_for_key(key)
        if target is None:
            return
        for _ in range(len(self.pageIds()) + 1):
            if self.currentId() == target or self.currentId() == -1:
                return
            if self.nextId() == -1:
                return
            self.next()

    def accept(self) -> None:
        if self.session is not None:
            try:
                visits.finish_assessment(self.ws, self.session.assessment_id)
            except (ServiceError, StoreError) as exc:
                QMessageBox.warning(self, self.tr("The visit was not finished"), str(exc))
                return
            self.finished_visit.emit(self.session.assessment_id)
        super().accept()
