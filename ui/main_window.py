"""The main window: people and their visits, and everything one does with them.

An empty database greets a first-time user with one clear way in ("Start a walkthrough") and
the demo.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safetycheck import __version__
from safetycheck.domain.checklist import Mode
from safetycheck.files import OutputPathError
from safetycheck.services.errors import ServiceError, StoreError

from .background import Background
from .style import set_role

# The window paints before SQLAlchemy, Alembic and ReportLab are loaded: the modules that need
# them are imported where they are first used (docs/performance.md, startup).
if TYPE_CHECKING:
    from safetycheck.services import assessments as visits
    from safetycheck.services.people import PersonView
    from safetycheck.services.workspace import Workspace

    from .models import PeopleTableModel, VisitsTableModel
    from .wizard import WalkthroughWizard

LAST_FOLDER_KEY = "export/last_folder"

GEOMETRY_KEY = "window/geometry"


class PersonDialog(QDialog):
    """Add or edit a person: name, year of birth, notes."""

    def __init__(self, person: PersonView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit person") if person else self.tr("Add a person"))
        self.name = QLineEdit(person.name if person else "")
        self.name.setAccessibleName(self.tr("Name"))
        self.birth_year = QSpinBox()
        self.birth_year.setRange(0, 2100)
        self.birth_year.setSpecialValueText(self.tr("Not given"))
        self.birth_year.setValue(person.birth_year or 0 if person else 0)
        self.birth_year.setAccessibleName(self.tr("Year of birth"))
        self.notes = QPlainTextEdit(person.notes if person else "")
        self.notes.setAccessibleName(self.tr("Notes"))
        form = QFormLayout(self)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Year of birth:"), self.birth_year)
        form.addRow(self.tr("N&otes:"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ActionsDialog(QDialog):
    """Tick the actions of a finished visit that have been done."""

    def __init__(self, ws: Workspace, assessment_id: str, parent: QWidget | None = None) -> None:
        from safetycheck.services import assessments as visits

        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(self.tr("Mark actions done"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Actions of the plan"))
        plan = visits.evaluate_visit(ws, assessment_id).plan
        texts = {(a.kind, a.item, a.room): a for a in plan.actions}
        self.action_views = visits.list_actions(ws, assessment_id)
        for action in self.action_views:
            planned = texts.get((action.kind, action.item, action.room))
            label = planned.finding if planned else action.item
            where = planned.room_name if planned and planned.room_name else self.tr("The person")
            entry = QListWidgetItem(f"{label} — {where}")
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked if action.status == "done" else Qt.CheckState.Unchecked
            )
            self.list.addItem(entry)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tick what has been done:")))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 480)

    def save(self) -> None:
        from safetycheck.services import assessments as visits

        try:
            for row, action in enumerate(self.action_views):
                done = self.list.item(row).checkState() == Qt.CheckState.Checked
                if done != (action.status == "done"):
                    visits.mark_action(
                        self.ws,
                        action.id,
                        "done" if done else "open",
                        expected_version=action.version,
                    )
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        self.accept()


class MainWindow(QMainWindow):
    """People on the left, the selected person's visits and actions on the right."""

    def __init__(self, ws: Workspace | None = None) -> None:
        """Without a workspace the window shows "Opening your data…" until `attach` is called
        (the program opens the database after the first paint)."""
        super().__init__()
        self.ws: Workspace
        self.background = Background(self)
        self.setWindowTitle(self.tr("safetycheck — home safety and fall risk"))
        self.people_model: PeopleTableModel
        self.visits_model: VisitsTableModel
        self.wizard: WalkthroughWizard | None = None
        self._build_menus()

        # -- welcome (empty database)
        welcome = QWidget()
        title = QLabel(self.tr("Welcome"))
        set_role(title, "title")
        text = QLabel(
            self.tr(
                "This program walks you through a home, room by room, to find what could make "
                "someone fall, and prints a plan of what to fix. Your answers are saved as you go."
            )
        )
        text.setWordWrap(True)
        self.start_button = QPushButton(self.tr("&Start a walkthrough"))
        set_role(self.start_button, "answer")
        self.start_button.clicked.connect(lambda: self.new_walkthrough(None))
        self.demo_button = QPushButton(self.tr("Load the &demo (a sample person)"))
        self.demo_button.clicked.connect(self.load_demo)
        welcome_layout = QVBoxLayout(welcome)
        welcome_layout.addStretch(1)
        welcome_layout.addWidget(title)
        welcome_layout.addWidget(text)
        welcome_layout.addWidget(self.start_button)
        welcome_layout.addWidget(self.demo_button)
        welcome_layout.addStretch(2)

        # -- people and visits
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name"))
        self.search.setAccessibleName(self.tr("Search people by name"))
        self.search.textChanged.connect(self._search_changed)
        self.people = QTableView()
        self.people.setAccessibleName(self.tr("People"))
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.verticalHeader().setVisible(False)
        add_person = QPushButton(self.tr("&Add a person…"))
        add_person.clicked.connect(self.add_person)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.people, 1)
        left_layout.addWidget(add_person)

        self.person_title = QLabel(self.tr("Choose a person"))
        set_role(self.person_title, "heading")
        self.visits = QTableView()
        self.visits.setAccessibleName(self.tr("Visits"))
        self.visits.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.visits.horizontalHeader().setStretchLastSection(True)
        self.visits.verticalHeader().setVisible(False)
        self.visits.doubleClicked.connect(lambda _index: self.open_visit())
        self.new_button = QPushButton(self.tr("&New walkthrough"))
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.summary_button = QPushButton(self.tr("Open s&ummary"))
        self.compare_button = QPushButton(self.tr("&Compare with the last visit"))
        self.pdf_button = QPushButton(self.tr("Action &plan PDF…"))
        self.actions_button = QPushButton(self.tr("&Mark actions done…"))
        self.edit_button = QPushButton(self.tr("&Edit person…"))
        self.new_button.clicked.connect(lambda: self.new_walkthrough(self.current_person_id()))
        self.resume_button.clicked.connect(self.open_visit)
        self.summary_button.clicked.connect(self.open_visit)
        self.compare_button.clicked.connect(self.compare)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.actions_button.clicked.connect(self.mark_actions)
        self.edit_button.clicked.connect(self.edit_person)
        actions = QHBoxLayout()
        for button in (
            self.new_button,
            self.resume_button,
            self.summary_button,
            self.compare_button,
            self.pdf_button,
            self.actions_button,
            self.edit_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setAccessibleName(self.tr("Working"))
        self.background.busy.connect(self.busy.setVisible)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.person_title)
        right_layout.addWidget(self.visits, 1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.busy)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 720])

        loading = QWidget()
        loading_text = QLabel(self.tr("Opening your data…"))
        set_role(loading_text, "heading")
        loading_bar = QProgressBar()
        loading_bar.setRange(0, 0)
        loading_bar.setAccessibleName(self.tr("Opening your data"))
        loading_layout = QVBoxLayout(loading)
        loading_layout.addStretch(1)
        loading_layout.addWidget(loading_text, alignment=Qt.AlignmentFlag.AlignCenter)
        loading_layout.addWidget(loading_bar)
        loading_layout.addStretch(1)

        self.stack = QStackedWidget()
        self.stack.addWidget(welcome)
        self.stack.addWidget(splitter)
        self.stack.addWidget(loading)
        self.stack.setCurrentIndex(2)
        self.setCentralWidget(self.stack)
        self.menuBar().setEnabled(False)
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 700)
        if ws is not None:
            self.attach(ws)

    def attach(self, ws: Workspace) -> None:
        """The database is open: show people and visits."""
        from .models import PeopleTableModel, VisitsTableModel

        self.ws = ws
        self.people_model = PeopleTableModel(ws, self)
        self.visits_model = VisitsTableModel(ws, self)
        self.people.setModel(self.people_model)
        self.visits.setModel(self.visits_model)
        self.people.selectionModel().currentRowChanged.connect(self._person_selected)
        self.visits.selectionModel().currentRowChanged.connect(self._visit_selected)
        self.people.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.menuBar().setEnabled(True)
        self.refresh()

    def _search_changed(self, text: str) -> None:
        if hasattr(self, "people_model"):
            self.people_model.set_search(text)

    # ---- menus and text size --------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        new = QAction(self.tr("&New walkthrough"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(lambda: self.new_walkthrough(self.current_person_id()))
        blank = QAction(self.tr("Save the &blank checklist…"), self)
        blank.triggered.connect(self.save_blank_checklist)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (new, blank, quit_action):
            file_menu.addAction(action)
        view = self.menuBar().addMenu(self.tr("&View"))
        bigger = QAction(self.tr("&Larger text"), self)
        bigger.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        bigger.triggered.connect(lambda: self.change_text_size(+1))
        smaller = QAction(self.tr("&Smaller text"), self)
        smaller.setShortcut(QKeySequence.StandardKey.ZoomOut)
        smaller.triggered.connect(lambda: self.change_text_size(-1))
        normal = QAction(self.tr("&Normal text size"), self)
        normal.setShortcut(QKeySequence("Ctrl+0"))
        normal.triggered.connect(lambda: self.change_text_size(0))
        for action in (bigger, smaller, normal):
            view.addAction(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About safetycheck"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def change_text_size(self, step: int) -> None:
        from .app import FONT_SCALE_KEY, FONT_SCALES, apply_font_scale, font_scale

        current = FONT_SCALES.index(font_scale())
        index = 0 if step == 0 else min(max(current + step, 0), len(FONT_SCALES) - 1)
        QSettings().setValue(FONT_SCALE_KEY, FONT_SCALES[index])
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_font_scale(app, FONT_SCALES[index])

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About safetycheck"),
            self.tr(
                "safetycheck {version}\n\nChecklist {checklist}, risk model {model}.\n\n"
                "It supports, and does not replace, advice from a doctor, nurse or therapist."
            ).format(
                version=__version__,
                checklist=self.ws.content.checklist.version,
                model=self.ws.content.model.version,
            ),
        )

    # ---- state ------------------------------------------------------------------------------

    def refresh(self, select_person: str | None = None) -> None:
        keep = select_person or self.current_person_id()
        self.people_model.reload()
        empty = self.people_model.total == 0 and not self.search.text()
        self.stack.setCurrentIndex(0 if empty else 1)
        if keep is not None:
            row = self.people_model.row_of(keep)
            if row is not None:
                self.people.selectRow(row)
        self._person_selected(self.people.currentIndex(), QModelIndex())

    def current_person_id(self) -> str | None:
        index = self.people.currentIndex()
        if not index.isValid():
            return None
        return self.people_model.person(index.row()).id

    def current_visit(self) -> visits.AssessmentInfo | None:
        index = self.visits.currentIndex()
        if not index.isValid():
            return None
        return self.visits_model.visit(index.row())

    def _person_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            person = self.people_model.person(current.row())
            born = (
                self.tr(", born {year}").format(year=person.birth_year) if person.birth_year else ""
            )
            self.person_title.setText(f"{person.name}{born}")
            self.visits_model.show_person(person.id)
            if self.visits_model.rowCount() > 0:
                self.visits.selectRow(0)
        else:
            self.person_title.setText(self.tr("Choose a person"))
            self.visits_model.show_person(None)
        self._visit_selected(self.visits.currentIndex(), QModelIndex())

    def _visit_selected(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        visit = self.current_visit() if self.visits_model.rowCount() else None
        person = self.current_person_id() is not None
        self.new_button.setEnabled(True)
        self.edit_button.setEnabled(person)
        in_progress = visit is not None and visit.status == "in_progress"
        completed = visit is not None and visit.status == "completed"
        self.resume_button.setEnabled(in_progress)
        self.summary_button.setEnabled(completed)
        self.compare_button.setEnabled(visit is not None)
        self.pdf_button.setEnabled(visit is not None)
        self.actions_button.setEnabled(completed)

    # ---- people -----------------------------------------------------------------------------

    def add_person(self) -> None:
        from safetycheck.services.people import create_person

        dialog = PersonDialog(None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            person = create_person(
                self.ws,
                dialog.name.text(),
                dialog.birth_year.value() or None,
                dialog.notes.toPlainText(),
            )
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        self.refresh(person.id)

    def edit_person(self) -> None:
        from safetycheck.services.people import edit_person

        index = self.people.currentIndex()
        if not index.isValid():
            return
        person = self.people_model.person(index.row())
        dialog = PersonDialog(person, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            edit_person(
                self.ws,
                person.id,
                name=dialog.name.text(),
                birth_year=dialog.birth_year.value() or None,
                notes=dialog.notes.toPlainText(),
                expected_version=person.version,
            )
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
        self.refresh(person.id)

    def load_demo(self) -> None:
        from safetycheck.services import assessments as visits
        from safetycheck.services.demo import create_demo

        try:
            newest = create_demo(self.ws)
        except (ServiceError, StoreError) as exc:
            QMessageBox.warning(self, self.tr("The demo was not loaded"), str(exc))
            return
        self.refresh(visits.get_info(self.ws, newest).person_id)

    # ---- visits -----------------------------------------------------------------------------

    def new_walkthrough(self, person_id: str | None) -> WalkthroughWizard:
        return self._open_wizard(None, person_id)

    def open_visit(self) -> WalkthroughWizard | None:
        visit = self.current_visit()
        if visit is None:
            return None
        wizard = self._open_wizard(visit.id, visit.person_id)
        wizard.resume_to(visit.resume_at if visit.status == "in_progress" else "summary")
        return wizard

    def _open_wizard(self, assessment_id: str | None, person_id: str | None) -> WalkthroughWizard:
        from .wizard import WalkthroughWizard

        wizard = WalkthroughWizard(self.ws, self.background, assessment_id, person_id, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(
            lambda _result: self.refresh(
                wizard.session.assessment.person.id if wizard.session else None
            )
        )
        self.wizard = wizard
        wizard.show()
        return wizard

    def offer_resume(self) -> None:
        """At start, offer the walkthrough that was left half-way (it resumes where it was)."""
        from safetycheck.services import assessments as visits

        pending = visits.newest_in_progress(self.ws)
        if pending is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Carry on?"),
            self.tr(
                "The walkthrough for {name} from {date} is not finished. Carry on where it stopped?"
            ).format(name=pending.person_name, date=pending.date.isoformat()),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        wizard = self._open_wizard(pending.id, pending.person_id)
        wizard.resume_to(pending.resume_at)

    def compare(self) -> None:
        from safetycheck.services import assessments as visits

        visit = self.current_visit()
        if visit is None:
            return
        comparison = visits.compare_with_previous(self.ws, visit.id)
        if comparison is None:
            QMessageBox.information(
                self,
                self.tr("Compare"),
                self.tr("This is the first visit: nothing to compare with."),
            )
            return

        def names(changes: tuple[visits.HazardChange, ...]) -> str:
            return (
                "\n".join(
                    f"  • {c.finding}" + (f" ({c.room_name})" if c.room_name else "")
                    for c in changes
                )
                or "  —"
            )

        text = self.tr(
            "Last visit {then}: {level_then} risk, score {score_then}.\n"
            "This visit: {level_now} risk, score {score_now}.\n\n"
            "Fixed since then:\n{fixed}\n\nStill to do:\n{open}\n\nNew:\n{new}"
        ).format(
            then=comparison.previous_date.isoformat(),
            level_then=comparison.level_then,
            score_then=comparison.score_then,
            level_now=comparison.level_now,
            score_now=comparison.score_now,
            fixed=names(comparison.fixed),
            open=names(comparison.still_open),
            new=names(comparison.new),
        )
        QMessageBox.information(self, self.tr("Compared with the last visit"), text)

    def export_pdf(self) -> None:
        from .summary import SummaryView

        visit = self.current_visit()
        if visit is None:
            return
        view = SummaryView(self.ws, self.background, self)
        view.setVisible(False)
        view.show_visit(visit.id)
        view.choose_pdf()

    def mark_actions(self) -> None:
        visit = self.current_visit()
        if visit is None:
            return
        ActionsDialog(self.ws, visit.id, self).exec()
        self.refresh()

    def save_blank_checklist(self) -> None:
        from safetycheck.services import reports

        settings = QSettings()
        folder = str(settings.value(LAST_FOLDER_KEY, str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the blank checklist"),
            str(Path(folder) / "checklist.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if not name:
            return
        settings.setValue(LAST_FOLDER_KEY, str(Path(name).parent))
        mode = Mode(str(settings.value("walkthrough/last_mode", "caregiver")))
        content = self.ws.content

        def done(_warnings: list[str]) -> None:
            self.statusBar().showMessage(self.tr("Saved {path}").format(path=name), 8000)

        def failed(error: BaseException) -> None:
            if isinstance(error, OutputPathError | OSError):
                QMessageBox.warning(self, self.tr("The checklist was not saved"), str(error))
                return
            raise error

        self.background.run(
            lambda: reports.write_checklist_pdf(content, mode, Path(name)), done, failed
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing asks nothing: every answer is already saved."""
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        self.background.wait()
        super().closeEvent(event)
