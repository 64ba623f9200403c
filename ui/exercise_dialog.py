"""Where an occupational therapist finishes a visit's plan: the next review date and the home
exercises they prescribe (`SignOffBar`, on the walkthrough's summary and in a finished visit's
summary window), and the dialog that ticks the exercises with their doses (`ExerciseDialog`).

Everything is written through the use cases of services/signoff.py in the background, in order;
the dialog stays open until its exercises are written, so a refused change loses nothing typed.
A caregiver's visit shows none of this (only a therapist prescribes, and signs the plan).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import Prescription
from safetycheck.domain.signoff import MAX_DOSE, SignOff, latest_review
from safetycheck.services.signoff import ExerciseChoice, SignOffView

from .dates import date_display_format, format_date
from .flow_layout import FlowLayout
from .operations import Change, Operations
from .style import plain_label, set_role
from .text_size import first_size, fit_on_screen, text_size_actions

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace

SAVE_PAUSE_MS = 300  # after the date last changed, it is written
FIRST_REVIEW_DAYS = 91  # the date offered when "Next review" is ticked: about three months on
# Alt+letters the dialog's own buttons use; the exercises take others.
DIALOG_KEYS = {"s", "c"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def with_mnemonic(text: str, taken: set[str]) -> str:
    """The text with an '&' before its first letter no other control uses yet (a word's first
    letter first), that letter then taken; unchanged when every letter is taken. A literal '&'
    is doubled."""
    plain = text.replace("&", "&&")
    starts = [i for i, ch in enumerate(plain) if ch.isalpha() and (i == 0 or plain[i - 1] == " ")]
    rest = [i for i, ch in enumerate(plain) if ch.isalpha() and i not in starts]
    for i in [*starts, *rest]:
        if plain[i].lower() not in taken and (i == 0 or plain[i - 1] != "&"):
            taken.add(plain[i].lower())
            return plain[:i] + "&" + plain[i:]
    return plain


class _Tick(QCheckBox):
    """A tick box with a little room after its words: laid out at its size hint (in a row
    that wraps) a large one is otherwise as wide as its words exactly, and clips them."""

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(hint.width() + self.fontMetrics().averageCharWidth(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()


class ExerciseDialog(QDialog):
    """The home exercises of the content, each with a tick and its dose: the ticked ones are
    prescribed, in the content's order (the order the exercise page prints them). Ticking one
    offers its usual dose, which the therapist changes to what they prescribe. Save writes them
    in the background and closes once they are written.

    Signals:
        saved(object): the prescriptions as stored (a tuple of Prescription).
    Attributes:
        ticks, doses: each exercise's tick box and dose field, in the content's order.
    """

    saved = Signal(object)

    def __init__(
        self,
        ws: Workspace,
        ops: Operations,
        assessment_id: str,
        choices: Sequence[ExerciseChoice],
        prescribed: Sequence[Prescription],
        person_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.ops, self.assessment_id = ws, ops, assessment_id
        self.choices = tuple(choices)
        self.setWindowTitle(self.tr("Home exercises"))
        intro = plain_label(
            self.tr(
                "Tick the exercises you prescribe for {name}, and write the dose as you "
                "prescribe it. Only the ticked exercises are printed on the home exercise page."
            ).format(name=person_name or self.tr("this person"))
        )
        intro.setWordWrap(True)
        given = {p.exercise: p.dose for p in prescribed}
        # Each exercise: its tick on one line, its dose under it as wide as the dialog (a dose
        # is read in full before it is printed, at any text size).
        rows = QVBoxLayout()
        line = self.fontMetrics().height()
        taken = set(DIALOG_KEYS)
        self.ticks: list[QCheckBox] = []
        self.doses: list[QLineEdit] = []
        for row, choice in enumerate(self.choices):
            tick = QCheckBox(with_mnemonic(choice.name, taken))
            set_role(tick, "boxes")  # a tick box as large as the text
            tick.setAccessibleName(choice.name)
            dose = QLineEdit(given.get(choice.id, ""))
            dose.setMaxLength(MAX_DOSE)
            dose.setPlaceholderText(choice.default_dose)
            dose.setAccessibleName(self.tr("Dose of {exercise}").format(exercise=choice.name))
            tick.setChecked(choice.id in given)
            dose.setEnabled(tick.isChecked())
            tick.toggled.connect(lambda on, n=row: self._ticked(n, on))
            dose_row = QHBoxLayout()
            dose_row.setContentsMargins(2 * line, 0, 0, line // 2)  # under the exercise's name
            dose_row.addWidget(plain_label(self.tr("Dose:")))
            dose_row.addWidget(dose, 1)
            rows.addWidget(tick)
            rows.addLayout(dose_row)
            self.ticks.append(tick)
            self.doses.append(dose)
        # On a small screen at a large text size the list scrolls, never the dialog.
        rows.addStretch(1)
        inner = QWidget()
        inner.setLayout(rows)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroller.setWidget(inner)
        # Tab: an exercise's tick, then its dose (when ticked), then the next exercise.
        order = [widget for pair in zip(self.ticks, self.doses, strict=True) for widget in pair]
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("&Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.buttons)
        text_size_actions(self)
        self.resize(first_size(self, QSize(900, 600)))
        fit_on_screen(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Once shown, the window manager's frame is known: the whole frame fits the screen."""
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: fit_on_screen(self))

    def _ticked(self, row: int, on: bool) -> None:
        dose = self.doses[row]
        dose.setEnabled(on)
        if on and not dose.text():
            dose.setText(self.choices[row].default_dose)  # as usual, until changed

    def prescriptions(self) -> tuple[Prescription, ...]:
        """The ticked exercises with their doses as typed, in the content's order."""
        return tuple(
            Prescription(choice.id, dose.text())
            for choice, tick, dose in zip(self.choices, self.ticks, self.doses, strict=True)
            if tick.isChecked()
        )

    def accept(self) -> None:
        """Save; close only once they are written (if refused, what was typed stays)."""
        from safetycheck.services.signoff import set_exercises

        if not self.buttons.isEnabled():
            return  # saving already
        ws, visit, wanted = self.ws, self.assessment_id, self.prescriptions()

        def done(stored: tuple[Prescription, ...]) -> None:
            self.saved.emit(stored)
            QDialog.accept(self)

        self.buttons.setEnabled(False)  # Save and Cancel wait for the answer
        self.ops.change(
            self,
            lambda: set_exercises(ws, visit, wanted),
            Change.VISITS,
            title=self.tr("The home exercises were not saved"),
            done=done,
            failed=lambda _error: self.buttons.setEnabled(True),
        )

    def reject(self) -> None:
        if self.buttons.isEnabled():  # not while saving: it would be saved all the same
            super().reject()


class SignOffBar(QWidget):
    """Under a visit's summary, for an occupational therapist: the next review date (ticked to
    set one) and the home exercises prescribed ("Home exercises…"). Read from the visit when
    shown; each change written in the background, in order; hidden for a caregiver's visit.

    Signals:
        signoff_saved(object): the sign-off as written (a SignOff), after a change of the date.
        exercises_saved(object): the prescriptions as written (a tuple of Prescription).
    Attributes:
        view: what was read of the visit (None until read).
        dialog: the exercise dialog while it is open.
    """

    signoff_saved = Signal(object)
    exercises_saved = Signal(object)

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.view: SignOffView | None = None
        self.dialog: ExerciseDialog | None = None
        self.review_tick = _Tick(self.tr("Next re&view:"))
        self.review_tick.setAccessibleName(self.tr("Set a date for the next review"))
        set_role(self.review_tick, "boxes")  # a tick box as large as the text
        self.review_date = QDateEdit()
        self.review_date.setCalendarPopup(True)
        self.review_date.setDisplayFormat(date_display_format())
        self.review_date.setAccessibleName(self.tr("Date of the next review"))
        self.review_date.setEnabled(False)
        self.exercises_button = QPushButton(self.tr("Home e&xercises…"))
        self.exercises_button.setAutoDefault(False)
        # Said short (the row fits a small screen at the largest text), in full to a reader.
        self.status = plain_label()
        set_role(self.status, "help")
        self.status.hide()
        row = FlowLayout(self)
        for widget in (
            self.review_tick,
            self.review_date,
            self.exercises_button,
            self.status,
        ):
            row.addWidget(widget)
        self._writing = 0
        self._showing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_PAUSE_MS)
        self._timer.timeout.connect(self.save_review)
        self.review_tick.toggled.connect(self._review_ticked)
        self.review_date.dateChanged.connect(self._review_changed)
        self.review_date.editingFinished.connect(self._review_finished)
        self.exercises_button.clicked.connect(self.choose_exercises)
        self.setVisible(False)

    # ---- reading --------------------------------------------------------------------------

    def show_visit(self, assessment_id: str) -> None:
        """Read the visit's sign-off and exercises (in the background) and show them; a date
        changed and not yet written is written first."""
        from safetycheck.services.signoff import read_signoff

        if self._timer.isActive():
            self.save_review()
        ws = self.ws
        self.ops.query(
            self,
            lambda: read_signoff(ws, assessment_id),
            self._show,
            title=self.tr("The next review and the home exercises could not be read"),
            in_order=True,  # after any change of them still being written
        )

    def _show(self, view: SignOffView) -> None:
        self.view = view
        self.setVisible(view.prescribes)
        visit = view.info.date
        self._showing = True
        try:
            self.review_date.setDateRange(_qdate(visit), _qdate(latest_review(visit)))
            review = view.signoff.next_review
            self.review_tick.setChecked(review is not None)
            self.review_date.setEnabled(review is not None)
            self.review_date.setDate(_qdate(review or visit + timedelta(days=FIRST_REVIEW_DAYS)))
        finally:
            self._showing = False
        self._show_exercises(view.exercises)

    def _show_exercises(self, prescribed: Sequence[Prescription]) -> None:
        names = {choice.id: choice.name for choice in self.choices()}
        chosen = [names.get(p.exercise, p.exercise) for p in prescribed]
        self.exercises_button.setText(
            self.tr("Home e&xercises ({count})…").format(count=len(chosen))
            if chosen
            else self.tr("Home e&xercises…")
        )
        described = ", ".join(chosen) if chosen else self.tr("none prescribed")
        self.exercises_button.setAccessibleDescription(
            self.tr("Choose the home exercises to print. Prescribed now: {exercises}").format(
                exercises=described
            )
        )
        self.exercises_button.setToolTip(described)

    def choices(self) -> tuple[ExerciseChoice, ...]:
        from safetycheck.services.signoff import exercise_choices

        return exercise_choices(self.ws)

    # ---- the next review ------------------------------------------------------------------

    def next_review(self) -> date | None:
        """The next review as shown (None: not ticked)."""
        return _day(self.review_date.date()) if self.review_tick.isChecked() else None

    def _review_ticked(self, on: bool) -> None:
        self.review_date.setEnabled(on)
        self._review_changed()

    def _review_changed(self) -> None:
        if self._showing or self.view is None:
            return
        self._say(self.tr("Saving…"), self.tr("Saving the next review…"))
        self._timer.start()

    def _review_finished(self) -> None:
        if self._timer.isActive():
            self.save_review()

    def saving(self) -> bool:
        """Whether a change is waiting to be written or being written."""
        return self._writing > 0 or self._timer.isActive()

    def flush(self) -> None:
        """Write a change still waiting, and wait until everything asked is written."""
        if self._timer.isActive():
            self.save_review()
        if self._writing:
            self.ops.wait()

    def save_review(self) -> None:
        """Write the next review as shown (in order; the assessor's details stay)."""
        from safetycheck.services.signoff import set_next_review

        self._timer.stop()
        if self.view is None:
            return
        ws, visit, wanted = self.ws, self.view.info.id, self.next_review()
        self._writing += 1

        def done(stored: SignOff) -> None:
            self._writing -= 1
            if not self.saving():
                when = stored.next_review
                self._say(
                    self.tr("✓ Saved"),
                    self.tr("Saved: next review {date}.").format(date=format_date(when))
                    if when is not None
                    else self.tr("Saved: no date for the next review."),
                )
            self.signoff_saved.emit(stored)

        def failed(_error: Exception) -> None:
            self._writing -= 1
            self._say(
                self.tr("Not saved"),
                self.tr("Not saved: change the date and it is saved again."),
            )

        self.ops.change(
            self,
            lambda: set_next_review(ws, visit, wanted),
            Change.VISITS,
            title=self.tr("The next review was not saved"),
            done=done,
            failed=failed,
            in_order=True,
        )

    def _say(self, text: str, in_full: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(in_full)
        self.status.setToolTip(in_full)
        self.status.setVisible(bool(text))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """The window closing (or the page left): a date changed is written now, not lost."""
        if self._timer.isActive():
            self.save_review()
        super().hideEvent(event)

    # ---- the home exercises ---------------------------------------------------------------

    def choose_exercises(self) -> ExerciseDialog | None:
        """Open the exercise dialog (modal to this window); None before the visit is read."""
        if self.view is None:
            return None
        dialog = ExerciseDialog(
            self.ws,
            self.ops,
            self.view.info.id,
            self.choices(),
            self.view.exercises,
            self.view.info.person_name,
            self.window(),
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.saved.connect(self._exercises_saved)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _exercises_saved(self, stored: tuple[Prescription, ...]) -> None:
        if self.view is not None:
            self.view = SignOffView(self.view.info, self.view.signoff, stored)
        self._show_exercises(stored)
        self._say(self.tr("✓ Saved"), self.tr("Saved: the home exercises."))
        self.exercises_saved.emit(stored)

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None


__all__ = ["ExerciseDialog", "SignOffBar", "with_mnemonic"]
