"""The first step: who is assessed, by whom, when, and in which mode; Next starts the visit.

An occupational therapist also gives the details the plan's sign-off prints (credentials or
registration number, organisation, telephone or e-mail): filled in from their last visit, kept
with this one when it starts, and saved as they are changed afterwards."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QHideEvent
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
from safetycheck.domain.signoff import MAX_DETAIL, SignOff
from safetycheck.domain.steps import Step
from safetycheck.domain.visits import PersonView

from .dates import date_display_format, format_date
from .operations import Change, inform
from .session import StartRequest
from .settings import Settings
from .step_page import StepPage, Walkthrough
from .style import plain_label, set_role

PEOPLE_LISTED = 500
SAVE_PAUSE_MS = 300  # after the last key press, a sign-off detail changed is written


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
        # The plan's sign-off (an occupational therapist's; a caregiver is not asked).
        self.credentials = QLineEdit()
        self.credentials.setAccessibleName(self.tr("Credentials or registration number"))
        self.organisation = QLineEdit()
        self.organisation.setAccessibleName(self.tr("Organisation"))
        self.contact = QLineEdit()
        self.contact.setAccessibleName(self.tr("Telephone or e-mail"))
        self.details = (self.credentials, self.organisation, self.contact)
        for field in self.details:
            field.setMaxLength(MAX_DETAIL)
            field.setPlaceholderText(self.tr("Optional"))
            field.setAccessibleDescription(self.tr("Optional. Printed with your name on the plan"))
        self.details_status = plain_label()  # "Saving…", "✓ Saved" once the visit has started
        self.details_status.setWordWrap(True)
        set_role(self.details_status, "help")
        self.form = form
        form.addRow(self.tr("&Person:"), self.person)
        # Mnemonics unique on the page: Alt+N is Next, Alt+B is Back.
        form.addRow(self.tr("New person's na&me:"), self.new_name)
        form.addRow(self.tr("Year of b&irth:"), self.birth_year)
        form.addRow(self.tr("&Your name:"), self.assessor)
        form.addRow(self.tr("You are:"), roles)
        form.addRow(self.tr("C&redentials or registration number:"), self.credentials)
        form.addRow(self.tr("Or&ganisation:"), self.organisation)
        form.addRow(self.tr("&Telephone or e-mail:"), self.contact)
        form.addRow(self.details_status)
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
        # The sign-off details: typed by the assessor (then never replaced by a look-up), and
        # once the visit has started, written after a pause in the typing (in order).
        self._details_typed = False
        self._details_shown: SignOff | None = None  # filled in from the assessor's last visit
        self._writing = 0
        self._refused = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_PAUSE_MS)
        self._save_timer.timeout.connect(self.save_details)
        for field in self.details:
            field.textEdited.connect(self._detail_typed)
            field.editingFinished.connect(self._detail_finished)
        self.role_ot.toggled.connect(self._role_changed)
        self.assessor.editingFinished.connect(self._look_up_details)

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
            if not self._writing and not self._save_timer.isActive():
                self._show_details(SignOff.of(a))
        self._person_changed()
        self._role_changed()  # (an OT's details are looked up before the visit starts)
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
        """Next waits until the list of people is in (so the person chosen is the one shown),
        and for the sign-off details being written."""
        saving = self._writing > 0 or self._save_timer.isActive()
        return not self._listing and not saving and super().isComplete()

    def _person_changed(self) -> None:
        new = self.person.currentData() is None and self.walkthrough().session is None
        self.new_name.setEnabled(new)
        self.birth_year.setEnabled(new)

    # ---- the sign-off details -------------------------------------------------------------------

    def _ot(self) -> bool:
        session = self.walkthrough().session
        if session is not None:
            return session.assessment.assessor.role is Mode.OT
        return self.role_ot.isChecked()

    def _role_changed(self) -> None:
        """The details are asked of an occupational therapist only: a caregiver's page stays
        as simple as it was."""
        shown = self._ot()
        for field in self.details:
            self.form.setRowVisible(field, shown)
        self.form.setRowVisible(self.details_status, shown and bool(self.details_status.text()))
        if shown and self.walkthrough().session is None:
            self._look_up_details()

    def typed_details(self) -> SignOff:
        """The details as they are in the fields now."""
        credentials, organisation, contact = (field.text() for field in self.details)
        return SignOff(credentials, organisation, contact)

    def _show_details(self, details: SignOff) -> None:
        for field, text in zip(
            self.details, (details.credentials, details.organisation, details.contact), strict=True
        ):
            if field.text() != text:
                field.setText(text)

    def _look_up_details(self) -> None:
        """Before the visit starts: fill in the details this assessor gave at their last visit
        (in the background), unless they have typed some already."""
        if self.walkthrough().session is not None or self._details_typed or not self._ot():
            return
        from safetycheck.services.signoff import assessor_details

        ws = self.walkthrough().ws
        name = self.assessor.text()

        def found(details: SignOff) -> None:
            if self._details_typed or self.walkthrough().session is not None:
                return
            if " ".join(self.assessor.text().split()) != " ".join(name.split()):
                return  # the name changed meanwhile: its own look-up fills them in
            self._details_shown = details
            self._show_details(details)

        self.walkthrough().ops.query(
            self,
            lambda: assessor_details(ws, name, Mode.OT),
            found,
            title=self.tr("Your details from your last visit could not be read"),
        )

    def _detail_typed(self) -> None:
        self._details_typed = True
        if self.walkthrough().session is not None:
            self._say(self.tr("Saving…"))
            self._save_timer.start()
            self.completeChanged.emit()

    def _detail_finished(self) -> None:
        if self._save_timer.isActive():
            self.save_details()

    def _say(self, text: str) -> None:
        self.details_status.setText(text)
        self.details_status.setAccessibleName(text)
        self.form.setRowVisible(self.details_status, self._ot() and bool(text))

    def save_details(self) -> None:
        """Once the visit has started: write the details as they are in the fields (in the
        background, in order; the next review stays as it is)."""
        self._save_timer.stop()
        session = self.walkthrough().session
        if session is None:
            return
        from safetycheck.services.signoff import set_assessor_details

        ws, visit = session.ws, session.assessment_id
        wanted = self.typed_details()
        self._writing += 1
        self.completeChanged.emit()

        def done(stored: SignOff) -> None:
            self._writing -= 1
            self._refused = False
            session.hold_signoff(stored)
            if not self._writing and not self._save_timer.isActive():
                self._say(self.tr("✓ Saved."))
            self.completeChanged.emit()

        def failed(_error: Exception) -> None:
            self._writing -= 1
            self._refused = True  # the reason has been shown; Next waits until it is saved
            self._say(self.tr("Not saved: change what is wrong and it is saved again."))
            self.completeChanged.emit()

        self.walkthrough().ops.change(
            self,
            lambda: set_assessor_details(
                ws, visit, wanted.credentials, wanted.organisation, wanted.contact
            ),
            Change.VISITS,
            title=self.tr("Your details were not saved"),
            done=done,
            failed=failed,
            in_order=True,
            owner=self,
        )

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """The walkthrough closing on this page: details typed are written now, not lost."""
        if self._save_timer.isActive():
            self.save_details()
        super().hideEvent(event)

    def details_for_start(self) -> SignOff | None:
        """What the visit starts with: the details shown or typed; None when an OT has seen
        none yet (their last ones are looked up as the visit starts); none for a caregiver."""
        if not self.role_ot.isChecked():
            return SignOff()
        if not self._details_typed and self._details_shown is None:
            return None
        return self.typed_details()

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
            details=self.details_for_start(),
        )

    def validatePage(self) -> bool:  # noqa: N802
        walkthrough = self.walkthrough()
        if walkthrough.session is not None:
            # What was typed is written first; the page is left once it is on disk.
            if self._save_timer.isActive():
                self.save_details()
            if self._writing:
                walkthrough.ops.wait()
                from PySide6.QtWidgets import QApplication

                QApplication.processEvents()
            return self._writing == 0 and not self._refused
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
