"""Falls since the last visit: the first question of every follow-up visit.

How many falls, and for each what is known: the month, whether the person was hurt, where (a
room of this home, outside, elsewhere), what happened in their words, and whether a doctor or a
hospital saw them. These are outcome records (what the program will one day measure its own
predictions against), so nothing is guessed: a detail not given is "not known", and a number
not given yet is "not asked yet", never "no falls".

Saved as it is given, in the background and in order with the answers (the whole report each
time: the use case replaces the one before). Next waits until it is written; a refusal is shown
and the page keeps what was typed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.falls import MAX_FALLS, MAX_TEXT, Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.domain.steps import Step

from .dates import format_date
from .operations import Change
from .session import WalkthroughSession
from .step_page import StepPage, Walkthrough
from .style import plain_label, set_role

# Falls described one by one, at most (the number itself may be larger: the rest are counted).
SHOWN = 10
SAVE_PAUSE_MS = 300


def months_between(first: date, last: date) -> list[str]:
    """The months from `first` to `last` as "YYYY-MM", newest first."""
    months = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class FallForm(QGroupBox):
    """What is known of one fall."""

    def __init__(self, number: int, months: list[str], rooms: list[tuple[str, str]]) -> None:
        super().__init__(self.tr("Fall {n}").format(n=number))
        form = QFormLayout(self)
        self.month = QComboBox()
        self.month.addItem(self.tr("Not known"), "")
        for month in months:
            self.month.addItem(format_month(month), month)
        self.hurt = QComboBox()
        for value, label in (
            ("unknown", self.tr("Not known")),
            ("yes", self.tr("Yes")),
            ("no", self.tr("No")),
        ):
            self.hurt.addItem(label, value)
        self.place = QComboBox()
        self.place.addItem(self.tr("Not known"), (FallPlace.UNKNOWN.value, "", ""))
        for key, name in rooms:
            self.place.addItem(name, (FallPlace.ROOM.value, key, name))
        self.place.addItem(self.tr("Outside the home"), (FallPlace.OUTSIDE.value, "", ""))
        self.place.addItem(self.tr("Somewhere else"), (FallPlace.ELSEWHERE.value, "", ""))
        self.seen = QComboBox()
        for seen, label in (
            (Seen.UNKNOWN, self.tr("Not known")),
            (Seen.NO, self.tr("No")),
            (Seen.DOCTOR, self.tr("A doctor")),
            (Seen.HOSPITAL, self.tr("A hospital")),
        ):
            self.seen.addItem(label, seen.value)
        self.what = QLineEdit()
        self.what.setMaxLength(MAX_TEXT)
        self.what.setPlaceholderText(self.tr("In the person's words, if they like"))
        form.addRow(self.tr("When (month)"), self.month)
        form.addRow(self.tr("Hurt"), self.hurt)
        form.addRow(self.tr("Where"), self.place)
        form.addRow(self.tr("What happened"), self.what)
        form.addRow(self.tr("Seen by a doctor or hospital"), self.seen)
        for label, field in (
            (self.tr("When (month)"), self.month),
            (self.tr("Hurt"), self.hurt),
            (self.tr("Where"), self.place),
            (self.tr("What happened"), self.what),
            (self.tr("Seen by a doctor or hospital"), self.seen),
        ):
            field.setAccessibleName(f"{self.title()}: {label}")

    def fall(self) -> Fall:
        place, key, name = self.place.currentData()
        return Fall(
            month=str(self.month.currentData()),
            hurt=str(self.hurt.currentData()),
            place=FallPlace(place),
            room_key=key or None,
            room_name=name,
            what_happened=self.what.text().strip(),
            seen=Seen(str(self.seen.currentData())),
        )

    def described(self) -> bool:
        """Whether anything is known of this fall."""
        fall = self.fall()
        return bool(
            fall.month
            or fall.hurt != "unknown"
            or fall.place is not FallPlace.UNKNOWN
            or fall.what_happened
            or fall.seen is not Seen.UNKNOWN
        )

    def show_fall(self, fall: Fall) -> None:
        self.month.setCurrentIndex(max(0, self.month.findData(fall.month)))
        self.hurt.setCurrentIndex(max(0, self.hurt.findData(fall.hurt)))
        wanted = (fall.place.value, fall.room_key or "", fall.room_name if fall.room_key else "")
        index = self.place.findData(wanted)
        if index < 0 and fall.place is FallPlace.ROOM:  # a room since removed: kept by name
            self.place.addItem(fall.room_name, wanted)
            index = self.place.count() - 1
        if index < 0:
            index = self.place.findData((fall.place.value, "", ""))
        self.place.setCurrentIndex(max(0, index))
        self.what.setText(fall.what_happened)
        self.seen.setCurrentIndex(max(0, self.seen.findData(fall.seen.value)))


def format_month(month: str) -> str:
    """ "2026-05" as the user's locale writes a month ("May 2026")."""
    from PySide6.QtCore import QDate, QLocale

    year, number = (int(part) for part in month.split("-"))
    return QLocale().toString(QDate(year, number, 1), "MMMM yyyy")


class FallsPage(StepPage):
    """The number of falls since the last visit, and a form for each (up to SHOWN)."""

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__(step, walkthrough)
        self.count = QSpinBox()
        self.count.setRange(-1, MAX_FALLS)
        self.count.setSpecialValueText(self.tr("Not asked yet"))
        self.count.setValue(-1)
        self.question = plain_label()
        self.question.setWordWrap(True)
        set_role(self.question, "question")
        self.question.setBuddy(self.count)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.more = plain_label()
        self.more.setWordWrap(True)
        self.more.hide()
        self.forms_box = QWidget()
        self.forms = QVBoxLayout(self.forms_box)
        self.forms.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.question)
        self.body.addWidget(self.count, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.status)
        self.body.addWidget(self.forms_box)
        self.body.addWidget(self.more)
        self.body.addStretch(1)
        self.fall_forms: list[FallForm] = []
        self._writing = 0
        self._refused = False  # the last write was refused
        self._showing = False  # filling the fields from what is saved: no save
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_PAUSE_MS)
        self._timer.timeout.connect(self.save)
        self.count.valueChanged.connect(self._count_changed)

    def session(self) -> WalkthroughSession:
        session = self.walkthrough().session
        assert session is not None, "falls are asked once the visit has started"
        return session

    def initializePage(self) -> None:  # noqa: N802
        session = self.session()
        since = session.previous
        when = format_date(since.date) if since is not None else self.tr("the last visit")
        text = self.tr("How many times has {name} fallen since the last visit ({when})?").format(
            name=session.info.person_name or self.tr("the person"), when=when
        )
        self.question.setText(text)
        self.count.setAccessibleName(text)
        self._show(session.falls())
        super().initializePage()
        QTimer.singleShot(0, self, self._focus_count)

    def _focus_count(self) -> None:
        if self.isVisible():
            self.count.setFocus(Qt.FocusReason.OtherFocusReason)
            self.count.selectAll()

    def _focus_heading(self) -> None:
        self._focus_count()

    def _months(self) -> list[str]:
        session = self.session()
        since = session.previous
        today = session.info.date
        start = since.date if since is not None else date(today.year - 2, today.month, 1)
        return months_between(start, today)

    def _rooms(self) -> list[tuple[str, str]]:
        session = self.session()
        return [
            (session.room_keys[room.id], room.name)
            for room in session.rooms()
            if room.id in session.room_keys
        ]

    def _show(self, report: FallsSinceLastVisit) -> None:
        self._showing = True
        try:
            self._on_record(report.count is not None)
            self.count.setValue(report.count if report.count is not None else -1)
            self._forms_for(report.count or 0)
            for form, fall in zip(self.fall_forms, report.falls, strict=False):
                form.show_fall(fall)
            self._say_saved(report)
        finally:
            self._showing = False

    def _on_record(self, recorded: bool) -> None:
        """Once a number is on record it is never shown (or set back to) "Not asked yet"."""
        blocked = self.count.blockSignals(True)
        try:
            if recorded and self.count.value() >= 0:
                self.count.setMinimum(0)
                self.count.setSpecialValueText("")
            elif not recorded:
                self.count.setMinimum(-1)
                self.count.setSpecialValueText(self.tr("Not asked yet"))
        finally:
            self.count.blockSignals(blocked)

    def _forms_for(self, count: int) -> None:
        wanted = min(max(count, 0), SHOWN)
        while len(self.fall_forms) < wanted:
            form = FallForm(len(self.fall_forms) + 1, self._months(), self._rooms())
            for combo in (form.month, form.hurt, form.place, form.seen):
                combo.currentIndexChanged.connect(self._changed)
            form.what.editingFinished.connect(self._changed)
            self.fall_forms.append(form)
            self.forms.addWidget(form)
        for number, form in enumerate(self.fall_forms):
            form.setVisible(number < wanted)
        self.more.setVisible(count > SHOWN)
        self.more.setText(
            self.tr(
                "The first {shown} falls can be described here; all {count} are counted."
            ).format(shown=SHOWN, count=count)
        )

    def _count_changed(self, value: int) -> None:
        self._forms_for(value)
        self._changed()

    def _changed(self) -> None:
        if not self._showing:
            self.status.setText(self.tr("Saving…"))
            self._timer.start()

    def _report(self) -> tuple[int, list[Fall]] | None:
        count = self.count.value()
        if count < 0:
            return None
        shown = self.fall_forms[: min(count, SHOWN)]
        described = [i for i, form in enumerate(shown) if form.described()]
        falls = [form.fall() for form in shown[: described[-1] + 1]] if described else []
        return count, falls

    def save(self) -> None:
        """Write the report as it is on the page now (in the background, in order)."""
        self._timer.stop()
        report = self._report()
        if report is None:
            return
        session = self.session()
        count, falls = report
        self._writing += 1
        self.completeChanged.emit()

        def done(saved: FallsSinceLastVisit) -> None:
            self._refused = False
            session.hold_falls(saved)
            self._on_record(saved.count is not None)
            self._wrote()
            self._say_saved(saved)
            self.show_progress()

        def failed(_error: Exception) -> None:
            self._refused = True  # the reason has been shown; Next stays until it is saved
            self._wrote()
            self.status.setText(self.tr("Not saved: change what is wrong and it is saved again."))

        self.walkthrough().ops.change(
            self,
            lambda: session.write_falls(count, falls),
            Change.VISITS,
            title=self.tr("The falls were not saved"),
            done=done,
            failed=failed,
            in_order=True,
            owner=self,
        )

    def _wrote(self) -> None:
        self._writing -= 1
        self.completeChanged.emit()

    def _say_saved(self, report: FallsSinceLastVisit) -> None:
        if report.count is None:
            text = self.tr("Not asked yet.")
        elif report.count == 0:
            text = self.tr("✓ Saved: no falls since the last visit.")
        else:
            text = (
                self.tr("✓ Saved: 1 fall, {described} described.")
                if report.count == 1
                else self.tr("✓ Saved: {count} falls, {described} described.")
            ).format(count=report.count, described=len(report.falls))
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def isComplete(self) -> bool:  # noqa: N802
        return self._writing == 0 and not self._timer.isActive() and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802
        """Next: what was typed is saved first; the page is left once it is written."""
        if self._timer.isActive():
            self.save()
        if self._writing:
            self.walkthrough().ops.wait()
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
        return self._writing == 0 and not self._refused and super().validatePage()


__all__ = ["FallForm", "FallsPage", "months_between"]
