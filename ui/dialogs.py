"""The main window's dialogs: a person's details, ticking a plan's actions done, and the
comparison with the last visit. A dialog that saves stays open until the use case has
returned, so a refused change loses nothing the user typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import ActionState
from safetycheck.domain.plan import PlanAction
from safetycheck.domain.visits import ActionView, PersonView

from .models import short_date
from .operations import Change, Operations, inform
from .style import plain_label
from .text_size import first_size

if TYPE_CHECKING:
    from safetycheck.services.assessments import Comparison, HazardChange
    from safetycheck.services.workspace import Workspace


class PersonDialog(QDialog):
    """Add or edit a person: name, year of birth, notes; OK saves, in the background.

    Signals:
        saved(object): the person as saved (a PersonView); the dialog then closes.
    """

    saved = Signal(object)

    def __init__(
        self,
        ws: Workspace,
        ops: Operations,
        person: PersonView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.person = person
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
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Year of birth:"), self.birth_year)
        form.addRow(self.tr("N&otes:"), self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def accept(self) -> None:
        """Save; close only once it is saved (if it is refused, what was typed stays)."""
        from safetycheck.services.people import create_person, edit_person

        if not self.buttons.isEnabled():
            return  # saving already
        ws, person = self.ws, self.person
        name, notes = self.name.text(), self.notes.toPlainText()
        year = self.birth_year.value() or None

        def work() -> PersonView:
            if person is None:
                return create_person(ws, name, year, notes)
            return edit_person(
                ws,
                person.id,
                name=name,
                birth_year=year,
                notes=notes,
                expected_version=person.version,
            )

        def done(saved: PersonView) -> None:
            self.saved.emit(saved)
            QDialog.accept(self)

        self.buttons.setEnabled(False)  # OK and Cancel wait for the answer
        self.ops.change(
            self,
            work,
            Change.PEOPLE,
            title=self.tr("The person was not saved"),
            done=done,
            failed=lambda _error: self.buttons.setEnabled(True),
        )

    def reject(self) -> None:
        if self.buttons.isEnabled():  # not while saving: it would be saved all the same
            super().reject()


class ActionsDialog(QDialog):
    """Tick the actions of a finished visit that have been done; Save writes the changes."""

    def __init__(
        self,
        ws: Workspace,
        ops: Operations,
        planned: tuple[PlanAction, ...],
        actions: tuple[ActionView, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.setWindowTitle(self.tr("Mark actions done"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Actions of the plan"))
        # Long actions wrap rather than scroll sideways or widen the dialog past the screen.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        texts = {(a.kind, a.item, a.room): a for a in planned}
        self.action_views = actions
        for action in actions:
            plan = texts.get((action.kind, action.item, action.room))
            label = plan.finding if plan else action.item
            where = plan.room_name if plan and plan.room_name else self.tr("The person")
            entry = QListWidgetItem(f"{label} — {where}")
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked
                if action.status is ActionState.DONE
                else Qt.CheckState.Unchecked
            )
            self.list.addItem(entry)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr("Tick what has been done:")))
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.resize(first_size(self, QSize(560, 480)))  # less on a small screen

    def ticked(self) -> list[tuple[ActionView, ActionState]]:
        """The actions whose tick the user changed, with their new state."""
        changed = []
        for row, action in enumerate(self.action_views):
            done = self.list.item(row).checkState() == Qt.CheckState.Checked
            if done != (action.status is ActionState.DONE):
                changed.append((action, ActionState.DONE if done else ActionState.OPEN))
        return changed

    def save(self) -> None:
        """Write the changed ticks in the background; close once they are saved."""
        from safetycheck.services import assessments as visits

        if not self.buttons.isEnabled():
            return  # saving already
        ws, changes = self.ws, self.ticked()

        def work() -> None:
            for action, state in changes:
                visits.mark_action(ws, action.id, state.value, expected_version=action.version)

        self.buttons.setEnabled(False)
        self.ops.change(
            self,
            work,
            Change.ACTIONS,
            title=self.tr("The ticks were not saved"),
            done=lambda _none: QDialog.accept(self),
            failed=lambda _error: self.buttons.setEnabled(True),
        )

    def reject(self) -> None:
        if self.buttons.isEnabled():  # not while saving
            super().reject()


def comparison_text(parent: QWidget, comparison: Comparison) -> str:
    """What changed since the last visit, in words."""

    def names(changes: tuple[HazardChange, ...]) -> str:
        return (
            "\n".join(
                f"  • {c.finding}" + (f" ({c.room_name})" if c.room_name else "") for c in changes
            )
            or "  —"
        )

    return parent.tr(
        "Last visit {then}: {level_then} risk, score {score_then}.\n"
        "This visit: {level_now} risk, score {score_now}.\n\n"
        "Fixed since then:\n{fixed}\n\nStill to do:\n{open}\n\nNew:\n{new}\n\n"
        "Not checked this time (found last time; not known to be fixed):\n{unchecked}"
    ).format(
        then=short_date(comparison.previous_date),
        level_then=comparison.level_then,
        score_then=comparison.score_then,
        level_now=comparison.level_now,
        score_now=comparison.score_now,
        fixed=names(comparison.fixed),
        open=names(comparison.still_open),
        new=names(comparison.new),
        unchecked=names(comparison.not_checked),  # unknown is not fixed
    )


def show_comparison(parent: QWidget, comparison: Comparison | None) -> None:
    if comparison is None:
        inform(
            parent,
            parent.tr("Compare"),
            parent.tr("This is the first visit: nothing to compare with."),
        )
        return
    inform(parent, parent.tr("Compared with the last visit"), comparison_text(parent, comparison))
