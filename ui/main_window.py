"""The main window: people and their visits, and everything one does with them.

An empty database greets a first-time user with one clear way in ("Start a walkthrough") and
the demo. Every use case runs through Operations (off the GUI thread); the window redraws when
`Operations.changes` says that what it shows has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from safetycheck import __version__
from safetycheck.domain.checklist import Mode

from .dates import format_date
from .flow_layout import FlowLayout
from .operations import Change, Operations, alive, ask, inform, message
from .settings import Settings
from .style import plain_label, set_role
from .text_size import MIN_SHARE, change_text_size, first_size, fit_on_screen, text_size_actions

# The window paints before SQLAlchemy, Alembic and ReportLab are loaded, and before the rules
# of the walkthrough (the domain's steps, scoring, plan): the modules that need them are
# imported where they are first used, most of them by the background helper while the data
# opens (docs/performance.md, startup).
if TYPE_CHECKING:
    from safetycheck.domain.checklist import Checklist
    from safetycheck.domain.plan import PlanAction
    from safetycheck.domain.visits import AssessmentInfo, PersonView, VisitSnapshot
    from safetycheck.services.removal import Removal
    from safetycheck.services.workspace import Workspace

    from .dialogs import ActionsDialog, PersonDialog
    from .exports import PlanPdfExport
    from .models import PeopleTableModel, VisitsTableModel
    from .record_view import ComparisonPanel, FallsPanel
    from .session import WalkthroughSession
    from .summary_window import SummaryWindow
    from .wizard import WalkthroughWizard

Index = QModelIndex | QPersistentModelIndex
WELCOME, LISTS, LOADING = 0, 1, 2  # the pages of the window's stack
BUSY_AFTER_MS = 300  # quick reads do not flash the busy bar
# The people list: the Name column keeps room for this many letters; when the list is too
# narrow for everything (large text), Visits is left out first, then Born, then Last visit.
NAME_LETTERS = 12
SPARE_COLUMNS = (2, 1, 3)
VISIT_BY, VISIT_LEVEL = 1, 3  # columns of the visits list
COMPARISON_TAB, FALLS_TAB = 0, 1  # the tabs of the record under the visits
WELCOME_LINE = 70  # the welcome text's longest line, in average letters: easy to read


def fit_columns(table: QTableView, first: int, spare: tuple[int, ...]) -> None:
    """Show the `spare` columns of a table whose other columns fit as they are, leaving them
    out in turn while the table is too narrow for them beside `first` pixels for the column
    that stretches: no sideways scrolling, and nothing cut to a letter or two."""
    header = table.horizontalHeader()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    model = table.model()
    if model is None:
        return

    widths: dict[int, int] = {}

    def needed(column: int) -> int:  # measured once a fit: it asks every row shown
        if column not in widths:
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            widths[column] = max(
                table.sizeHintForColumn(column),  # the widest cell shown
                header.fontMetrics().horizontalAdvance(title) + 3 * margin,
            )
        return widths[column]

    fixed = [
        c
        for c in range(header.count())
        if c not in spare and header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch
    ]
    room = table.viewport().width() - first - sum(needed(c) for c in fixed)
    shown = list(spare)
    for column in spare:
        if sum(needed(c) for c in shown) <= room:
            break
        shown.remove(column)
    for column in spare:
        header.setSectionHidden(column, column not in shown)


def usual_walkthrough(checklist: Checklist) -> tuple[int, int]:
    """The usual caregiver walkthrough before any answer: (number of rooms, of questions).
    Follow-up questions that only some answers open are not counted: it is an estimate."""
    from safetycheck.domain.assessment import RoomInstance
    from safetycheck.domain.conditions import MODE_SUBJECT
    from safetycheck.domain.steps import steps_before_start
    from safetycheck.domain.visits import default_rooms

    rooms = tuple(
        RoomInstance(f"usual:{n}", spec.kind, spec.name, spec.night_route, spec.stairs_daily)
        for n, spec in enumerate(default_rooms(checklist))
    )
    mode = Mode.CAREGIVER
    facts = {MODE_SUBJECT: mode.value}
    steps = steps_before_start(checklist, mode, rooms)
    return len(rooms), sum(len(step.asked(facts, mode)) for step in steps)


def minutes_for(questions: int) -> int:
    """About how many minutes that many questions take (rounded to 5 from 15 minutes up)."""
    from .session import SECONDS_PER_QUESTION

    minutes = max(1, round(questions * SECONDS_PER_QUESTION / 60))
    return minutes if minutes < 15 else 5 * round(minutes / 5)


class WelcomePage(QScrollArea):
    """The first-start screen: what the walkthrough is, how long it takes, that answers are
    kept as you go, and one large way in. It scrolls rather than grow past a small screen at
    the largest text size, and never sideways.

    Attributes:
        start_button: starts a walkthrough.
        demo_button: loads a sample person.
        estimate: the "how long it takes" text (filled in once the checklist is known).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an invisible Tab stop of its own
        self.column = QWidget()
        title = plain_label(self.tr("A home safety check, room by room"))
        set_role(title, "title")
        title.setWordWrap(True)
        what = plain_label(
            self.tr(
                "This program walks you through the home of someone who could fall, "
                "especially someone with foot drop (a foot that does not lift well, so the "
                "toes catch). It asks about the person, then about each room: floors, "
                "lighting, stairs, the bathroom, shoes and more. At the end it shows what "
                "to fix first and prints a plan."
            )
        )
        what.setWordWrap(True)
        how_long_title = plain_label(self.tr("How long it takes"))
        set_role(how_long_title, "heading")
        self.estimate = plain_label()
        self.estimate.setWordWrap(True)
        saved_title = plain_label(self.tr("Nothing is lost"))
        set_role(saved_title, "heading")
        saved = plain_label(
            self.tr(
                "Every answer is saved the moment you give it. You can stop at any time, "
                "close the program, and carry on later where you stopped."
            )
        )
        saved.setWordWrap(True)
        self.start_button = QPushButton(self.tr("&Start a walkthrough"))
        set_role(self.start_button, "tile")  # the large tile of the walkthrough's answers
        self.start_button.setDefault(True)
        self.start_button.setAccessibleDescription(
            self.tr("Starts with who is being checked and who is checking")
        )
        self.demo_button = QPushButton(self.tr("Load the &demo (a sample person)"))
        advice = plain_label(
            self.tr(
                "This check does not replace medical advice: for questions about health, "
                "falls or a brace, ask the person's doctor, nurse or therapist. Warning signs "
                "it finds are shown first, with what to do."
            )
        )
        advice.setWordWrap(True)
        set_role(advice, "help")
        layout = QVBoxLayout(self.column)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(what)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(how_long_title)
        layout.addWidget(self.estimate)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(saved_title)
        layout.addWidget(saved)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(self.start_button)
        layout.addWidget(self.demo_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(advice)
        layout.addStretch(2)
        holder = QWidget()
        # Centred by stretches, not by an alignment: an aligned widget gets its size hint's
        # height, not the height its wrapped words need at the width it is given.
        centred = QHBoxLayout(holder)
        centred.addStretch(1)
        centred.addWidget(self.column, 100)
        centred.addStretch(1)
        self.setWidget(holder)
        self._fit_column()

    def show_estimate(self, checklist: Checklist) -> None:
        from .session import SECONDS_PER_QUESTION

        rooms, questions = usual_walkthrough(checklist)
        self.estimate.setText(
            self.tr(
                "About {minutes} minutes for a home with {rooms} rooms: about {questions} "
                "questions, most answered with one click. This is an estimate (about {seconds} "
                "seconds a question); a larger home takes longer."
            ).format(
                minutes=minutes_for(questions),
                rooms=rooms,
                questions=questions,
                seconds=SECONDS_PER_QUESTION,
            )
        )

    def _fit_column(self) -> None:
        """Lines of readable length, however large the text: the width is set in letters."""
        self.column.setMaximumWidth(self.fontMetrics().averageCharWidth() * WELCOME_LINE)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._fit_column()
        super().changeEvent(event)


class MainWindow(QMainWindow):
    """People on the left, the selected person's visits and actions on the right.

    Attributes:
        ops: the program's one Operations (made here when the window is used on its own).
        wizard: the walkthrough opened last, if any.
    """

    def __init__(self, ws: Workspace | None = None, ops: Operations | None = None) -> None:
        """Without a workspace the window shows "Opening your data…" until `attach` is called
        (the program opens the database after the first paint)."""
        super().__init__()
        self.ws: Workspace
        self.ops = ops if ops is not None else Operations(self)
        self.setWindowTitle(self.tr("safetycheck — home safety and fall risk"))
        self.people_model: PeopleTableModel
        self.visits_model: VisitsTableModel
        self.plan_export: PlanPdfExport
        self.wizard: WalkthroughWizard | None = None
        self.person_dialog: PersonDialog | None = None
        self.actions_dialog: ActionsDialog | None = None
        self.summary_window: SummaryWindow | None = None
        self.comparison: ComparisonPanel
        self.falls: FallsPanel
        # What was deleted this session, newest last: each can be put back (Undo delete).
        self.removals: list[tuple[Removal, str, str | None]] = []  # (removal, person, visit)
        self._want_person: str | None = None  # to select when the people arrive
        self._want_visit: str | None = None  # to select when the visits arrive
        self._shown_visit: str | None = None
        self._fitted = False
        self._build_menus()

        # -- welcome (empty database)
        self.welcome = WelcomePage()
        self.start_button = self.welcome.start_button
        self.demo_button = self.welcome.demo_button
        self.start_button.clicked.connect(lambda: self.new_walkthrough(None))
        self.demo_button.clicked.connect(self.load_demo)

        # -- people and visits
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name"))
        self.search.setAccessibleName(self.tr("Search people by name"))
        self.search.textChanged.connect(self._search_changed)
        self.people = QTableView()
        self.people.setTabKeyNavigation(False)  # Tab goes on to the visits; arrows move
        self.people.setAccessibleName(self.tr("People"))
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.verticalHeader().setVisible(False)
        # Never sideways: the columns that do not fit are left out (_fit_people_columns).
        self.people.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people.viewport().installEventFilter(self)  # its width decides the columns shown
        self.people.installEventFilter(self)  # and so does its text size
        self.people.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.people.customContextMenuRequested.connect(self._people_menu)
        # What an empty list means: no one matches the search, or no one yet.
        self.people_empty = plain_label()
        self.people_empty.setWordWrap(True)
        set_role(self.people_empty, "help")
        self.people_empty.setVisible(False)
        self.add_person_button = QPushButton(self.tr("&Add a person…"))
        self.add_person_button.clicked.connect(self.add_person)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.people_empty)
        left_layout.addWidget(self.people, 1)
        left_layout.addWidget(self.add_person_button)

        self.person_title = plain_label(self.tr("Choose a person"))
        set_role(self.person_title, "heading")
        # A long name (up to 200 characters, one word or many) wraps, and never makes the
        # window wider than the screen.
        self.person_title.setWordWrap(True)
        policy = self.person_title.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.person_title.setSizePolicy(policy)
        self.visits = QTableView()
        self.visits.setTabKeyNavigation(False)
        self.visits.setAccessibleName(self.tr("Visits"))
        self.visits.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Never sideways, as the people list (_fit_visits_columns); a level too long for its
        # column wraps onto a second line.
        self.visits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.visits.setWordWrap(True)
        self.visits.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.visits.viewport().installEventFilter(self)
        self.visits.installEventFilter(self)
        self.visits.verticalHeader().setVisible(False)
        self.visits.doubleClicked.connect(lambda _index: self.open_visit())
        self.visits.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.visits.customContextMenuRequested.connect(self._visits_menu)
        # Alt+E, F, H and V open the menus: no button takes their letters.
        self.new_button = QPushButton(self.tr("&New walkthrough"))
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.summary_button = QPushButton(self.tr("Open the summar&y"))
        self.compare_button = QPushButton(self.tr("&Compare with the last visit"))
        self.pdf_button = QPushButton(self.tr("Action &plan PDF…"))
        self.actions_button = QPushButton(self.tr("&Mark or edit actions…"))
        self.edit_button = QPushButton(self.tr("Ed&it person…"))
        self.delete_visit_button = QPushButton(self.tr("Dele&te the visit…"))
        self.new_button.clicked.connect(lambda: self.new_walkthrough(self.current_person_id()))
        self.resume_button.clicked.connect(self.open_visit)
        self.summary_button.clicked.connect(self.open_summary)
        self.compare_button.clicked.connect(self.compare)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.actions_button.clicked.connect(self.mark_actions)
        self.edit_button.clicked.connect(self.edit_person)
        self.delete_visit_button.clicked.connect(self.delete_visit)
        # The buttons wrap onto a second row rather than make the window wider than the screen
        # (at the largest text size the seven side by side are wider than 1366 pixels).
        self.actions_row = QWidget()
        actions = FlowLayout(self.actions_row)
        actions.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.new_button,
            self.resume_button,
            self.summary_button,
            self.compare_button,
            self.pdf_button,
            self.actions_button,
            self.edit_button,
            self.delete_visit_button,
        ):
            actions.addWidget(button)
        # The record of the selected visit and person, under the visits (filled in attach).
        self.record_tabs = QTabWidget()
        self.record_tabs.setAccessibleName(self.tr("The record"))
        self.record_tabs.tabBar().setAccessibleName(self.tr("Parts of the record"))
        self.record_tabs.setDocumentMode(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setAccessibleName(self.tr("Working"))
        self._busy_later = QTimer(self)
        self._busy_later.setSingleShot(True)
        self._busy_later.setInterval(BUSY_AFTER_MS)
        self._busy_later.timeout.connect(self.busy.show)
        self.ops.busy.connect(self._busy_changed)
        self.ops.changes.connect(self._changed)
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        lists_layout.addWidget(self.person_title)
        lists_layout.addWidget(self.visits, 1)
        lists_layout.addWidget(self.actions_row)
        # The visits and their buttons above, the record below; the line between them moves.
        self.record_splitter = QSplitter(Qt.Orientation.Vertical)
        self.record_splitter.setChildrenCollapsible(False)
        # On a short screen at a large text size the buttons under the visits wrap onto more
        # lines than the half of the height left to them: they scroll, never cut off.
        lists_scroller = QScrollArea()
        lists_scroller.setWidgetResizable(True)
        lists_scroller.setFrameShape(QFrame.Shape.NoFrame)
        lists_scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lists_scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        lists_scroller.setWidget(lists)
        self.record_splitter.addWidget(lists_scroller)
        self.record_splitter.addWidget(self.record_tabs)
        self.record_splitter.setStretchFactor(0, 1)
        self.record_splitter.setStretchFactor(1, 1)
        self.record_splitter.setSizes([1000, 1000])  # half each: shares, scaled to fit
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.record_splitter, 1)
        right_layout.addWidget(self.busy)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([2000, 3000])  # two fifths for the people: shares, scaled to fit

        loading = QWidget()
        loading_text = plain_label(self.tr("Opening your data…"))
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
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(splitter)
        self.stack.addWidget(loading)
        self.stack.setCurrentIndex(LOADING)
        self.setCentralWidget(self.stack)
        self._build_undo_bar()
        self.menuBar().setEnabled(False)
        self.restore_size()
        self._update_buttons()
        if ws is not None:
            self.attach(ws)

    def restore_size(self) -> None:
        """The size and place of last time, if it fits the screen it opens on; else a share of
        that screen. Never larger than the screen, never the thin strip a smaller screen left."""
        geometry = Settings().geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(first_size(self))
        fit_on_screen(self, least_share=MIN_SHARE)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Once shown, the window manager's frame is known: fit the whole frame on the screen."""
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self, lambda: fit_on_screen(self))

    def attach(self, ws: Workspace) -> None:
        """The database is open: show people and visits (they arrive in the background)."""
        from .exports import PlanPdfExport
        from .models import PeopleTableModel, VisitsTableModel
        from .record_view import ComparisonPanel, FallsPanel

        self.ws = ws
        self.people_model = PeopleTableModel(ws, self.ops, self)
        self.visits_model = VisitsTableModel(ws, self.ops, self)
        self.people_model.loaded.connect(self._people_loaded)
        self.visits_model.loaded.connect(self._visits_loaded)
        self.people.setModel(self.people_model)
        self.visits.setModel(self.visits_model)
        self.people.selectionModel().currentRowChanged.connect(self._person_selected)
        self.visits.selectionModel().currentRowChanged.connect(self._visit_selected)
        # Only Name stretches: Born, Visits and Last visit keep the width of what they show, so
        # all four are visible at the default size even on a 1024-pixel screen.
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized to the rows in view, not to every row read (a year, a count, a date: one row is
        # as wide as another), so a longer list costs nothing more to lay out.
        header.setResizeContentsPrecision(0)
        header = self.visits.horizontalHeader()  # the level takes what is left
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VISIT_LEVEL, QHeaderView.ResizeMode.Stretch)
        self.welcome.show_estimate(ws.content.checklist)
        self.plan_export = PlanPdfExport(ws, self.ops, self)
        self.plan_export.saved.connect(lambda path, _warnings: self._saved_message(path))
        self.comparison = ComparisonPanel(ws, self.ops)
        self.falls = FallsPanel(ws, self.ops)
        self.record_tabs.addTab(self.comparison, self.tr("Since the &last visit"))
        self.record_tabs.addTab(self.falls, self.tr("Falls rec&orded"))
        self.menuBar().setEnabled(True)
        self.people_model.reload()

    def attached(self) -> bool:
        return hasattr(self, "people_model")

    # ---- menus, text size, about --------------------------------------------------------------

    def _build_menus(self) -> None:
        """File (walkthrough, files in and out), Edit (delete, undo), View (text size), Help.
        Each menu's letters are unique within it; the menus' own (F, E, V, H) are taken by no
        button of the window."""
        self.file_menu = QMenu(self.tr("&File"), self)
        self.menuBar().addMenu(self.file_menu)
        new = QAction(self.tr("&New walkthrough"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.triggered.connect(lambda: self.new_walkthrough(self.current_person_id()))
        self.import_action = QAction(self.tr("&Import a visit…"), self)
        self.import_action.triggered.connect(self.import_visit)
        self.export_action = QAction(self.tr("E&xport the visit…"), self)
        self.export_action.triggered.connect(self.export_visit)
        self.blank_menu = QMenu(self.tr("&Blank checklist"), self)
        self.blank_caregiver_action = QAction(self.tr("For a &caregiver…"), self)
        self.blank_caregiver_action.triggered.connect(
            lambda: self.save_blank_checklist(Mode.CAREGIVER)
        )
        self.blank_ot_action = QAction(self.tr("For an &OT (with measurements)…"), self)
        self.blank_ot_action.triggered.connect(lambda: self.save_blank_checklist(Mode.OT))
        self.blank_menu.addActions([self.blank_caregiver_action, self.blank_ot_action])
        self.blank_action = self.blank_menu.menuAction()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu.addAction(new)
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.import_action, self.export_action])
        self.file_menu.addMenu(self.blank_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(quit_action)

        self.edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = QAction(self.tr("&Undo delete"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        self.delete_visit_action = QAction(self.tr("Delete the &visit…"), self)
        self.delete_visit_action.triggered.connect(self.delete_visit)
        self.delete_person_action = QAction(self.tr("Delete the &person…"), self)
        self.delete_person_action.triggered.connect(self.delete_person)
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([self.delete_visit_action, self.delete_person_action])

        view = self.menuBar().addMenu(self.tr("&View"))
        view.addActions(list(text_size_actions(self)))
        view.addSeparator()
        self.unit_menu = view.addMenu(self.tr("&Measure lengths in"))
        self.unit_actions = QActionGroup(self)
        for unit, label in (("mm", self.tr("&Millimetres")), ("in", self.tr("&Inches"))):
            action = QAction(label, self, checkable=True)
            action.setData(unit)
            action.setChecked(Settings().length_unit == unit)
            action.triggered.connect(lambda _on, u=unit: self.set_length_unit(u))
            self.unit_actions.addAction(action)
            self.unit_menu.addAction(action)
        self.large_print_action = QAction(self.tr("Large &print in action plans"), self)
        self.large_print_action.setCheckable(True)
        self.large_print_action.setChecked(Settings().large_print)
        self.large_print_action.toggled.connect(self.set_large_print)
        view.addAction(self.large_print_action)
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.keys_action = QAction(self.tr("&Keys…"), self)
        self.keys_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.keys_action.triggered.connect(self.show_keys)
        about = QAction(self.tr("&About safetycheck"), self)
        about.triggered.connect(self.about)
        self.help_menu.addActions([self.keys_action, about])

    def set_length_unit(self, unit: str) -> None:
        """The one unit lengths are typed and shown in, everywhere (walkthroughs opened from
        now on; a measurement keeps the unit it was taken in, and is shown converted)."""
        Settings().length_unit = unit

    def set_large_print(self, on: bool) -> None:
        """Action plans saved from now on print their text at 14 pt (11 pt when off)."""
        Settings().large_print = on

    def _build_undo_bar(self) -> None:
        """The status bar's "Deleted …  [Undo]": there until the next deletion or until it is
        undone (Edit, Undo delete, puts back the older ones too, newest first)."""
        self.undo_bar = QWidget()
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.undo_label = plain_label()
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAutoDefault(False)
        self.undo_button.setAccessibleDescription(self.tr("Puts back what was deleted"))
        self.undo_button.clicked.connect(self.undo_delete)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.undo_bar, 1)
        self.undo_bar.setVisible(False)

    def show_keys(self) -> None:
        """The key reference (Help, Keys…)."""
        from .keys import show_key_reference

        show_key_reference(self)

    def change_text_size(self, step: int) -> None:
        """As the View menu: one size larger (+1), smaller (-1), or normal (0)."""
        change_text_size(step)

    def about(self) -> None:
        content = self.ws.content
        message(
            self,
            QMessageBox.Icon.NoIcon,
            self.tr("About safetycheck"),
            self.tr(
                "safetycheck {version}\n\nChecklist {checklist}, risk model {model}.\n\n"
            ).format(
                version=__version__,
                checklist=content.checklist.version,
                model=content.model.version,
            )
            + content.report_text.disclaimer,
        )

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_later.start()
        else:
            self._busy_later.stop()
            self.busy.hide()

    def _saved_message(self, path: Path) -> None:
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 8000)

    # ---- what is shown ------------------------------------------------------------------------

    def _changed(self, changes: Change) -> None:
        """Some use case changed data: read again what this window shows of it."""
        if not self.attached():
            return
        if changes & (Change.PEOPLE | Change.VISITS):
            self.people_model.reload()  # names, visit counts, last visits
        if changes & (Change.VISITS | Change.ANSWERS | Change.ACTIONS):
            self.visits_model.reload()  # statuses, levels, resume points; then the comparison
        if changes & (Change.VISITS | Change.ANSWERS):
            self.falls.reload()  # falls are recorded in a walkthrough

    def select(self, person_id: str, visit_id: str | None = None) -> None:
        """Show this person (and visit): now if listed, else when the lists next arrive."""
        self._want_person = person_id
        self._want_visit = visit_id
        row = self.people_model.row_of(person_id)
        if row is not None:
            self.people.selectRow(row)
            self._show_person()

    def _search_changed(self, text: str) -> None:
        if self.attached():
            self.people_model.set_search(text)

    def _people_loaded(self) -> None:
        empty = self.people_model.rowCount() == 0 and not self.search.text()
        self.stack.setCurrentIndex(WELCOME if empty else LISTS)
        self._say_if_empty()
        self._fit_people_columns()
        keep = self._want_person or self.visits_model.person_id
        self._want_person = None
        row = self.people_model.row_of(keep) if keep is not None else None
        if row is not None:
            self.people.selectRow(row)
        self._show_person()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            if watched in (self.people, self.people.viewport()):
                self._fit_people_columns()
            elif watched in (self.visits, self.visits.viewport()):
                self._fit_visits_columns()
        return super().eventFilter(watched, event)

    def _fit_people_columns(self) -> None:
        """Every column of the people list beside a readable Name, or its spare columns left
        out in turn (what they show is beside the list too: the title says the year of birth,
        the visits list the visits)."""
        if self.attached():
            name = self.people.fontMetrics().averageCharWidth() * NAME_LETTERS
            fit_columns(self.people, name, SPARE_COLUMNS)

    def _fit_visits_columns(self) -> None:
        """The visits list likewise: the level in full, then who made each visit if it fits
        (the summary and the plan say who)."""
        if self.attached():
            fit_columns(self.visits, self.visits.sizeHintForColumn(VISIT_LEVEL), (VISIT_BY,))

    def _say_if_empty(self) -> None:
        """An empty list says why: no one matches the search, or no one has been added."""
        searched = self.search.text().strip()
        if self.people_model.rowCount() > 0:
            self.people_empty.setVisible(False)
            return
        if searched:
            text = self.tr("No one found. Check the spelling, or search for part of the name.")
        else:
            text = self.tr(
                "No one yet. Add a person, or start a walkthrough: it asks for the name."
            )
        self.people_empty.setText(text)
        self.people_empty.setVisible(True)

    def _person_selected(self, _current: Index, _previous: Index) -> None:
        self._show_person()

    def _show_person(self) -> None:
        person = self.current_person()
        if person is None:
            self.person_title.setText(self.tr("Choose a person"))
        else:
            born = (
                self.tr(", born {year}").format(year=person.birth_year) if person.birth_year else ""
            )
            self.person_title.setText(f"{person.name}{born}")
        person_id = person.id if person is not None else None
        if person_id != self.visits_model.person_id:
            self._shown_visit = None
            self.visits_model.show_person(person_id)
            self.falls.show_person(person)
            self._show_record()
        elif self._want_visit is not None:
            self._visits_loaded()
        self._update_buttons()

    def _visits_loaded(self) -> None:
        self._fit_visits_columns()
        keep = self._want_visit or self._shown_visit
        row = self.visits_model.row_of(keep) if keep is not None else None
        if row is not None:
            self._want_visit = None
        elif self.visits_model.rowCount() > 0:
            row = 0
        if row is not None:
            self.visits.selectRow(row)  # the record is read again (_visit_selected)
        else:
            self._show_record()
        self._update_buttons()

    def _visit_selected(self, current: Index, _previous: Index) -> None:
        if current.isValid():
            self._shown_visit = self.visits_model.visit(current.row()).id
            self._show_record()
        self._update_buttons()

    def _show_record(self) -> None:
        """The comparison of the visit selected (read in the background)."""
        self.comparison.show_visit(self._listed_visits(), self.current_visit())

    def _update_buttons(self) -> None:
        from safetycheck.domain.assessment import VisitStatus

        visit = self.current_visit()
        person = self.current_person_id() is not None
        self.new_button.setEnabled(True)
        self.edit_button.setEnabled(person)
        in_progress = visit is not None and visit.status is VisitStatus.IN_PROGRESS
        completed = visit is not None and visit.status is VisitStatus.COMPLETED
        self.resume_button.setEnabled(in_progress)
        self.summary_button.setEnabled(completed)
        # Only with a finished visit before this one; else the button says why not.
        reason = self.comparison.reason(self._listed_visits(), visit) if self.attached() else ""
        self.compare_button.setEnabled(visit is not None and not reason)
        self.compare_button.setToolTip(reason)
        self.pdf_button.setEnabled(visit is not None)
        self.actions_button.setEnabled(completed)
        self.delete_visit_button.setEnabled(visit is not None)
        self.delete_visit_action.setEnabled(visit is not None)
        self.export_action.setEnabled(visit is not None)
        self.delete_person_action.setEnabled(person)

    def _listed_visits(self) -> list[AssessmentInfo]:
        """The selected person's visits as listed (newest first)."""
        return [self.visits_model.visit(row) for row in range(self.visits_model.rowCount())]

    def current_person(self) -> PersonView | None:
        if not self.attached():
            return None
        index = self.people.currentIndex()
        if not index.isValid() or index.row() >= self.people_model.rowCount():
            return None
        return self.people_model.person(index.row())

    def current_person_id(self) -> str | None:
        person = self.current_person()
        return person.id if person is not None else None

    def current_visit(self) -> AssessmentInfo | None:
        if not self.attached():
            return None
        index = self.visits.currentIndex()
        if not index.isValid() or index.row() >= self.visits_model.rowCount():
            return None
        return self.visits_model.visit(index.row())

    # ---- people -------------------------------------------------------------------------------

    def add_person(self) -> None:
        self._open_person_dialog(None)

    def edit_person(self) -> None:
        person = self.current_person()
        if person is not None:
            self._open_person_dialog(person)

    def _open_person_dialog(self, person: PersonView | None) -> None:
        from .dialogs import PersonDialog

        dialog = PersonDialog(self.ws, self.ops, person, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda saved: self.select(saved.id))
        self.person_dialog = dialog
        dialog.open()

    def load_demo(self) -> None:
        from safetycheck.services import assessments as visits
        from safetycheck.services.demo import create_demo

        ws = self.ws

        def work() -> AssessmentInfo:
            return visits.get_info(ws, create_demo(ws))

        self.ops.change(
            self,
            work,
            Change.PEOPLE | Change.VISITS,
            title=self.tr("The demo was not loaded"),
            done=lambda newest: self.select(newest.person_id, newest.id),
        )

    # ---- visits -------------------------------------------------------------------------------

    def new_walkthrough(self, person_id: str | None) -> WalkthroughWizard:
        return self._open_wizard(None, person_id, None)

    def open_visit(self) -> None:
        """Open the selected visit: a walkthrough where it stopped, a finished visit as its
        summary (read only; "Edit answers" from there)."""
        from safetycheck.domain.assessment import VisitStatus

        visit = self.current_visit()
        if visit is None:
            return
        if visit.status is VisitStatus.COMPLETED:
            self.open_summary()
        else:
            self._open_visit(visit.id)

    def open_summary(self) -> None:
        """The selected finished visit's summary, in a window of its own."""
        from safetycheck.domain.assessment import VisitStatus

        from .summary_window import SummaryWindow

        visit = self.current_visit()
        if visit is None or visit.status is not VisitStatus.COMPLETED:
            return
        window = SummaryWindow(self.ws, self.ops, visit, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.edit_answers.connect(self._open_visit)
        self.summary_window = window
        window.show()

    def _open_visit(self, assessment_id: str) -> None:
        from safetycheck.domain.assessment import VisitStatus
        from safetycheck.services import assessments as visits

        from .session import WalkthroughSession

        ws = self.ws

        def opened(snapshot: VisitSnapshot) -> None:
            info = snapshot.info
            # A finished visit's answers are edited from its first questions (the summary,
            # read only, is where it was opened from).
            where = info.resume_at if info.status is VisitStatus.IN_PROGRESS else "person"
            self._open_wizard(WalkthroughSession(ws, snapshot), info.person_id, where)

        self.ops.query(
            self,
            lambda: visits.load_visit(ws, assessment_id),
            opened,
            title=self.tr("The visit could not be opened"),
        )

    def _open_wizard(
        self, session: WalkthroughSession | None, person_id: str | None, resume_at: str | None
    ) -> WalkthroughWizard:
        from .wizard import WalkthroughWizard

        wizard = WalkthroughWizard(self.ws, self.ops, session, person_id, resume_at, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(lambda _result: self._wizard_closed(wizard))
        self.wizard = wizard
        wizard.show()
        return wizard

    def _wizard_closed(self, wizard: WalkthroughWizard) -> None:
        """Show the visit that was being walked through."""
        if wizard.session is not None:
            self.select(wizard.session.assessment.person.id, wizard.session.assessment_id)

    def offer_resume(self) -> None:
        """At start, offer the walkthrough that was left half-way (it resumes where it was)."""
        from safetycheck.services import assessments as visits

        ws = self.ws

        def found(pending: AssessmentInfo | None) -> None:
            if pending is None:
                return
            if ask(
                self,
                self.tr("Carry on?"),
                self.tr(
                    "The walkthrough for {name} from {date} is not finished. "
                    "Carry on where it stopped?"
                ).format(name=pending.person_name, date=format_date(pending.date)),
            ):
                self._open_visit(pending.id)

        self.ops.query(
            self,
            lambda: visits.newest_in_progress(ws),
            found,
            title=self.tr("The unfinished walkthrough could not be found"),
        )

    def compare(self) -> None:
        """Bring the comparison of the selected visit with the last finished one forward (it
        is read whenever a visit is selected)."""
        self.record_tabs.setCurrentIndex(COMPARISON_TAB)
        self.comparison.setFocus(Qt.FocusReason.OtherFocusReason)

    def export_pdf(self) -> None:
        visit = self.current_visit()
        if visit is not None:
            self.plan_export.choose(visit)

    def mark_actions(self) -> None:
        from safetycheck.domain.evaluation import evaluate
        from safetycheck.services import assessments as visits

        from .dialogs import ActionsDialog

        visit = self.current_visit()
        if visit is None:
            return
        ws, visit_id = self.ws, visit.id

        def work() -> tuple[tuple[PlanAction, ...], VisitSnapshot]:
            snapshot = visits.load_visit(ws, visit_id)  # one read: the answers and the ticks
            return evaluate(ws.content, snapshot.assessment).plan.actions, snapshot

        def loaded(result: tuple[tuple[PlanAction, ...], VisitSnapshot]) -> None:
            planned, snapshot = result
            dialog = ActionsDialog(ws, self.ops, planned, snapshot.actions, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.actions_dialog = dialog
            dialog.open()

        self.ops.query(self, work, loaded, title=self.tr("The plan could not be read"))

    def save_blank_checklist(self, mode: Mode | None = None) -> None:
        """The blank checklist, a caregiver's or an OT's (None: the mode used last)."""
        from .exports import save_blank_checklist

        save_blank_checklist(self, self.ws, self.ops, self._saved_message, mode)

    # ---- files in and out ---------------------------------------------------------------------

    def export_visit(self) -> None:
        """The selected visit as an interchange file (File, Export the visit…)."""
        from .exports import export_visit

        visit = self.current_visit()
        if visit is not None:
            export_visit(self, self.ws, self.ops, visit, self._saved_message)

    def import_visit(self) -> None:
        """A visit from an interchange file (File, Import a visit…); it is shown once in."""
        from .exports import import_visit

        def imported(info: AssessmentInfo) -> None:
            self.statusBar().showMessage(
                self.tr("Imported the visit of {date} for {name}").format(
                    date=format_date(info.date), name=info.person_name
                ),
                8000,
            )
            self.select(info.person_id, info.id)

        import_visit(self, self.ws, self.ops, imported)

    # ---- deleting, and undoing it -------------------------------------------------------------

    def _walkthrough_open_for(self, person_id: str) -> bool:
        """A walkthrough of this person is open: say so (it would save into what is deleted)."""
        wizard = self.wizard
        if wizard is None or not alive(wizard) or not wizard.isVisible():
            return False
        session = wizard.session
        if session is None or session.assessment.person.id != person_id:
            return False
        inform(
            self,
            self.tr("Close the walkthrough first"),
            self.tr("A walkthrough of {name} is open. Close it, then delete.").format(
                name=session.info.person_name
            ),
        )
        return True

    def delete_visit(self) -> None:
        """Delete the selected visit, after saying exactly what goes (undo: Edit menu)."""
        from safetycheck.services import removal

        visit = self.current_visit()
        if visit is None or self._walkthrough_open_for(visit.person_id):
            return
        ws, visit_id, person_id = self.ws, visit.id, visit.person_id
        self._confirm_and_delete(
            lambda: removal.removal_summary_visit(ws, visit_id, format_date),
            lambda: removal.delete_visit(ws, visit_id, format_date),
            self.tr("Delete the visit?"),
            person_id,
            visit_id,
        )

    def delete_person(self) -> None:
        """Delete the selected person and all their visits, after saying exactly what goes."""
        from safetycheck.services import removal

        person = self.current_person()
        if person is None or self._walkthrough_open_for(person.id):
            return
        ws, person_id = self.ws, person.id
        self._confirm_and_delete(
            lambda: removal.removal_summary_person(ws, person_id),
            lambda: removal.delete_person(ws, person_id),
            self.tr("Delete the person?"),
            person_id,
            None,
        )

    def _confirm_and_delete(
        self,
        summary: Callable[[], str],
        delete: Callable[[], Removal],
        title: str,
        person_id: str,
        visit_id: str | None,
    ) -> None:
        from .dialogs import confirm_removal

        def deleted(removal: Removal) -> None:
            self.removals.append((removal, person_id, visit_id))
            self._show_undo()

        def asked(what: str) -> None:
            if confirm_removal(self, title, what):
                self.ops.change(
                    self,
                    delete,
                    Change.PEOPLE | Change.VISITS | Change.ANSWERS | Change.ACTIONS,
                    title=self.tr("Nothing was deleted"),
                    done=deleted,
                )

        self.ops.query(self, summary, asked, title=self.tr("Nothing was deleted"))

    def _show_undo(self) -> None:
        """What can be put back: the newest deletion in the status bar, all in the menu."""
        if not self.removals:
            self.undo_bar.setVisible(False)
            self.undo_action.setEnabled(False)
            self.undo_action.setText(self.tr("&Undo delete"))
            return
        removal = self.removals[-1][0]
        self.undo_label.setText(self.tr("Deleted {what}.").format(what=removal.what))
        self.undo_bar.setVisible(True)
        self.undo_action.setEnabled(True)
        self.undo_action.setText(self.tr("&Undo delete of {what}").format(what=removal.what))

    def undo_delete(self) -> None:
        """Put back what was deleted last, exactly as it was (same ids), and show it."""
        from safetycheck.services import removal as removals

        if not self.removals:
            return
        removal, person_id, visit_id = self.removals[-1]
        ws = self.ws

        def restored(_none: None) -> None:
            if self.removals and self.removals[-1][0] is removal:
                self.removals.pop()
            self._show_undo()
            self.statusBar().showMessage(self.tr("Put back {what}").format(what=removal.what), 8000)
            self.select(person_id, visit_id)

        self.undo_button.setEnabled(False)
        self.undo_action.setEnabled(False)

        def failed(_error: Exception) -> None:
            self.undo_button.setEnabled(True)
            self._show_undo()

        self.ops.change(
            self,
            lambda: removals.restore(ws, removal),
            Change.PEOPLE | Change.VISITS | Change.ANSWERS | Change.ACTIONS,
            title=self.tr("Nothing was put back"),
            done=restored,
            failed=failed,
        )

    # ---- context menus ------------------------------------------------------------------------

    def _people_menu(self, at: QPoint) -> None:
        index = self.people.indexAt(at)
        if not index.isValid():
            return
        self.people.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.tr("Ed&it person…"), self.edit_person)
        menu.addAction(
            self.tr("&New walkthrough"), lambda: self.new_walkthrough(self.current_person_id())
        )
        menu.addSeparator()
        menu.addAction(self.delete_person_action)
        menu.popup(self.people.viewport().mapToGlobal(at))

    def _visits_menu(self, at: QPoint) -> None:
        index = self.visits.indexAt(at)
        if not index.isValid():
            return
        self.visits.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.tr("&Open"), self.open_visit)
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.delete_visit_action)
        menu.popup(self.visits.viewport().mapToGlobal(at))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing asks nothing: every answer is already saved."""
        Settings().geometry = self.saveGeometry()
        self.ops.wait()
        super().closeEvent(event)
