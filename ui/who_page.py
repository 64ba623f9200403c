"""The first step: who is assessed, by whom, when, and in which mode; Next starts the visit."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from safetycheck.domain.checklist import Mode
from safetycheck.domain.steps import Step
from safetycheck.domain.visits import PersonView

from .dates import date_display_format, format_date
from .operations import inform
from .session import StartRequest
from .settings import Settings
from .step_page import StepPage, Walkthrough
from .style import plain_label, set_role

PEOPLE_LISTED = 500


class WhoPage(StepPage):
    """Who and how. Once the visit has started it only says whose walkthrough this is."""

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        settings = Settings()
        form = QFormLayout()
        # Narrow (a small screen, large text): each label above its field, never clipped.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.person = QComboBox()
        self.person.setAccessibleName(self.tr("Person"))
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName(self.tr("Name of the new person"))
        self.new_name.setPlaceholderText(self.tr("Full name"))
        self.birth_year = QSpinBox()
        self.birth_year.setRange(0, date.today().year)
        self.birth_year.setSpecialValueText(self.tr("Not given"))
        self.birth_year.setAccessibleName(self.tr("Year of birth"))
        self.assessor = QLineEdit(settings.last_assessor)
        self.assessor.setAccessibleName(self.tr("Your name"))
        self.role_caregiver = QRadioButton(self.tr("&Caregiver or family"))
        self.role_ot = QRadioButton(self.tr("&Occupational therapist"))
        for radio in (self.role_caregiver, self.role_ot):
            set_role(radio, "boxes")  # round buttons as large as the text
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.role_caregiver)
        self.roles.addButton(self.role_ot)
        (self.role_ot if settings.last_mode is Mode.OT else self.role_caregiver).setChecked(True)
        self.visit_date = QDateEdit(QDate.currentDate())
        self.visit_date.setCalendarPopup(True)
        # The program's one date format (the locale's, four-digit year), as in every list.
        self.visit_date.setDisplayFormat(date_display_format())
        self.visit_date.setAccessibleName(self.tr("Date of the visit"))
        roles = QVBoxLayout()  # one under the other: never hidden behind the next row
        roles.addWidget(self.role_caregiver)
        roles.addWidget(self.role_ot)
        form.addRow(self.tr("&Person:"), self.person)
        # Mnemonics unique on the page: Alt+N is Next, Alt+B is Back.
        form.addRow(self.tr("New person's na&me:"), self.new_name)
        form.addRow(self.tr("Year of b&irth:"), self.birth_year)
        form.addRow(self.tr("&Your name:"), self.assessor)
        form.addRow(self.tr("You are:"), roles)
        form.addRow(self.tr("&Date:"), self.visit_date)
        explain = plain_label(
            self.tr(
                "Caregiver mode asks the plain questions only. Occupational therapist mode adds "
                "measurements and a few more checks."
            )
        )
        explain.setWordWrap(True)
        self.started_text = plain_label()
        self.started_text.setWordWrap(True)
        self.body.addLayout(form)
        self.body.addWidget(explain)
        self.body.addWidget(self.started_text)
        self.body.addStretch(1)
        self.person.currentIndexChanged.connect(self._person_changed)
        self._listing = False

    def initializePage(self) -> None:  # noqa: N802
        walkthrough = self.walkthrough()
        session = walkthrough.session
        if session is None and self.person.count() == 0:
            self._list_people(walkthrough.preselected_person)
        for widget in (
            self.person,
            self.new_name,
            self.birth_year,
            self.assessor,
            self.role_caregiver,
            self.role_ot,
            self.visit_date,
        ):
            widget.setEnabled(session is None)
        if session is not None:
            a = session.assessment
            self.started_text.setText(
                self.tr(
                    "This walkthrough for {name} was started on {date} by {assessor}. "
                    "Press Next to carry on."
                ).format(name=a.person.name, date=format_date(a.date), assessor=a.assessor.name)
            )
        self._person_changed()
        super().initializePage()

    def _list_people(self, chosen: str | None) -> None:
        """Fill the list of people in the background; Next waits for it (isComplete)."""
        from safetycheck.services.errors import NotFoundError
        from safetycheck.services.people import get_person, list_people

        ws = self.walkthrough().ws

        def people() -> list[PersonView]:
            listed = list(list_people(ws, limit=PEOPLE_LISTED).items)
            if chosen and all(p.id != chosen for p in listed):
                # Beyond the first names: add the person the main window had selected.
                with suppress(NotFoundError):  # removed meanwhile: nobody to choose
                    listed.append(get_person(ws, chosen))
            return listed

        def listed(found: list[PersonView]) -> None:
            for person in found:
                self.person.addItem(person.name, person.id)
            if chosen and self.person.findData(chosen) >= 0:
                self.person.setCurrentIndex(self.person.findData(chosen))
            self._listed()

        self.person.addItem(self.tr("— A new person —"), None)
        self._listing = True
        self.walkthrough().ops.query(
            self,
            people,
            listed,
            title=self.tr("The list of people could not be read"),
            failed=lambda _error: self._listed(),  # a new person can still be added
        )

    def _listed(self) -> None:
        self._listing = False
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        """Next waits until the list of people is in (so the person chosen is the one shown)."""
        return not self._listing and super().isComplete()

    def _person_changed(self) -> None:
        new = self.person.currentData() is None and self.walkthrough().session is None
        self.new_name.setEnabled(new)
        self.birth_year.setEnabled(new)

    def collected(self) -> StartRequest:
        """Who and how, as typed."""
        person_id = self.person.currentData()
        return StartRequest(
            person_id=str(person_id) if person_id is not None else None,
            new_name=self.new_name.text(),
            birth_year=self.birth_year.value() or None,
            assessor=self.assessor.text().strip(),
            mode=Mode.OT if self.role_ot.isChecked() else Mode.CAREGIVER,
            visit_date=date.fromisoformat(self.visit_date.date().toString(Qt.DateFormat.ISODate)),
        )

    def validatePage(self) -> bool:  # noqa: N802
        walkthrough = self.walkthrough()
        if walkthrough.session is not None:
            return True
        request = self.collected()
        if not request.assessor:
            inform(
                self,
                self.tr("Your name is needed"),
                self.tr("Please type your name, so the plan says who made it."),
            )
            self.assessor.setFocus()
            return False
        if not walkthrough.start_visit(request):
            return False  # the reason was shown; everything typed is still here
        settings = Settings()
        settings.last_mode = request.mode
        settings.last_assessor = request.assessor
        return True
