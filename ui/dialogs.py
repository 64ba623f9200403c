"""The main window's dialogs: a person's details; a plan's actions (ticked done, and worded for
the visit); asking before something is deleted. A dialog that saves stays open until the use
case has returned, so a refused change loses nothing the user typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import ActionState
from safetycheck.domain.checklist import Priority, Who
from safetycheck.domain.plan import PlanAction
from safetycheck.domain.visits import ActionView, PersonView

from .operations import Change, Operations
from .style import plain_label
from .text_size import first_size

if TYPE_CHECKING:
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


Wording = tuple[str | None, str | None, str | None]  # text, priority, who; None: the plan's own


class ActionsDialog(QDialog):
    """The actions of a finished visit: tick what has been done, and word any action the
    assessor's way for this visit (what to do, how soon, who does it; the plan's own wherever
    nothing is set). What is set here is what the summary shows and the action plan prints.
    Save writes the changes, in the background; the dialog closes once they are written.

    Attributes:
        action_views: the actions as stored (in the list's order).
        wordings: each action's wording as edited so far (not yet saved).
    """

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
        self.setWindowTitle(self.tr("The actions of the plan"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Actions of the plan"))
        # Long actions wrap rather than scroll sideways or widen the dialog past the screen.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        # Each action is three lines (what, what to do, how soon and who): set apart.
        self.list.setSpacing(max(2, self.fontMetrics().height() // 4))
        self.list.setAlternatingRowColors(True)
        by_key = {(a.kind, a.item, a.room): a for a in planned}
        self.action_views = list(actions)
        self.plans = [by_key.get(action.key) for action in actions]
        self.wordings: list[Wording] = [(a.text, a.priority, a.who) for a in actions]
        for row, action in enumerate(actions):
            entry = QListWidgetItem(self._label(row))
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked
                if action.status is ActionState.DONE
                else Qt.CheckState.Unchecked
            )
            self.list.addItem(entry)

        # The selected action's wording.
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(self.tr("What to do"))
        self.text_edit.setTabChangesFocus(True)  # Tab moves on; it types no tab character
        self.text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.priority_box = QComboBox()
        self.priority_box.setAccessibleName(self.tr("How soon"))
        self.who_box = QComboBox()
        self.who_box.setAccessibleName(self.tr("Who does it"))
        self.own_button = QPushButton(self.tr("&Plan's own wording"))
        self.own_button.setAutoDefault(False)
        self.own_button.setAccessibleDescription(
            self.tr("Puts back the plan's own text, priority and who does it for this action")
        )
        self.own_button.clicked.connect(self.use_plans_own)
        self.editor = QGroupBox(self.tr("The selected action, for this visit"))
        form = QFormLayout(self.editor)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Wh&at to do:"), self.text_edit)
        form.addRow(self.tr("How s&oon:"), self.priority_box)
        form.addRow(self.tr("&Who does it:"), self.who_box)
        form.addRow(self.own_button)
        self._loading = False
        self._row = -1  # the row the editor shows
        self.text_edit.textChanged.connect(self._store)
        self.priority_box.currentIndexChanged.connect(self._store)
        self.who_box.currentIndexChanged.connect(self._store)
        self.list.currentRowChanged.connect(self._load)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(self.tr("Tick what has been done. Choose an action to change its words:"))
        )
        layout.addWidget(self.list, 1)
        layout.addWidget(self.editor)
        layout.addWidget(self.buttons)
        self.resize(first_size(self, QSize(640, 600)))  # less on a small screen
        if actions:
            self.list.setCurrentRow(0)
        else:
            self.editor.setEnabled(False)

    # ---- the wording of one action --------------------------------------------------------------

    def own(self, row: int) -> PlanAction | None:
        """The plan's own action for this row (as the plan words it, before any edit)."""
        plan = self.plans[row]
        if plan is None:
            return None
        return plan.original if plan.original is not None else plan

    def shown(self, row: int) -> tuple[str, Priority, Who] | None:
        """The text, priority and who of this row as edited so far (the plan's where unset)."""
        own = self.own(row)
        if own is None:
            return None
        text, priority, who = self.wordings[row]
        return (
            text if text is not None else own.text,
            Priority(priority) if priority is not None else own.priority,
            Who(who) if who is not None else own.who,
        )

    def _label(self, row: int) -> str:
        action = self.action_views[row]
        plan = self.plans[row]
        shown = self.shown(row)
        if plan is None or shown is None:
            return action.item  # no longer in the plan the answers give
        text, priority, who = shown
        where = plan.room_name or self.tr("The person")
        edited = self.tr(" (edited for this visit)") if any(self.wordings[row]) else ""
        return f"{plan.finding} — {where}\n{text}\n{priority.label} · {who.label}{edited}"

    def _fill(
        self, box: QComboBox, own: str, choices: list[tuple[str, str]], chosen: str | None
    ) -> None:
        box.clear()
        box.addItem(self.tr("The plan's own ({label})").format(label=own), None)
        for value, label in choices:
            box.addItem(label, value)
        box.setCurrentIndex(max(0, box.findData(chosen)) if chosen is not None else 0)

    def _load(self, row: int) -> None:
        """Show the wording of the action chosen in the list."""
        self._row = row
        own = self.own(row) if 0 <= row < len(self.plans) else None
        self.editor.setEnabled(own is not None)
        if own is None:
            return
        text, priority, who = self.wordings[row]
        self._loading = True
        try:
            self.text_edit.setPlainText(text if text is not None else own.text)
            self._fill(
                self.priority_box,
                own.priority.label,
                [(p.value, p.label) for p in Priority],
                priority,
            )
            self._fill(self.who_box, own.who.label, [(w.value, w.label) for w in Who], who)
        finally:
            self._loading = False

    def _store(self) -> None:
        """Keep what is typed and chosen for the action shown (saved with Save)."""
        row = self._row
        own = self.own(row) if 0 <= row < len(self.plans) else None
        if self._loading or own is None:
            return
        typed = self.text_edit.toPlainText().strip()
        text = None if not typed or typed == own.text.strip() else self.text_edit.toPlainText()
        priority = self.priority_box.currentData()
        who = self.who_box.currentData()
        self.wordings[row] = (
            text,
            priority if priority != own.priority.value else None,
            who if who != own.who.value else None,
        )
        self.list.item(row).setText(self._label(row))

    def use_plans_own(self) -> None:
        """The selected action as the plan words it: its own text, priority and who."""
        row = self._row
        if 0 <= row < len(self.wordings):
            self.wordings[row] = (None, None, None)
            self._load(row)
            self.list.item(row).setText(self._label(row))

    # ---- saving ---------------------------------------------------------------------------------

    def ticked(self) -> list[tuple[ActionView, ActionState]]:
        """The actions whose tick the user changed, with their new state."""
        changed = []
        for row, action in enumerate(self.action_views):
            done = self.list.item(row).checkState() == Qt.CheckState.Checked
            if done != (action.status is ActionState.DONE):
                changed.append((action, ActionState.DONE if done else ActionState.OPEN))
        return changed

    def reworded(self) -> list[tuple[ActionView, Wording]]:
        """The actions whose wording the user changed, with the new wording."""
        return [
            (action, wording)
            for action, wording in zip(self.action_views, self.wordings, strict=True)
            if wording != (action.text, action.priority, action.who)
        ]

    def save(self) -> None:
        """Write the changed wordings and ticks in the background; close once written. If one
        is refused, the dialog stays with everything as typed (what was written is kept)."""
        from safetycheck.services import assessments as visits

        if not self.buttons.isEnabled():
            return  # saving already
        ws, ticks, words = self.ws, self.ticked(), self.reworded()
        written: dict[str, ActionView] = {}  # what was saved, should a later one be refused

        def work() -> None:
            for action, (text, priority, who) in words:
                written[action.id] = visits.edit_action(
                    ws,
                    action.id,
                    text=text,
                    priority=priority,
                    who=who,
                    expected_version=action.version,
                )
            for action, state in ticks:
                version = written[action.id].version if action.id in written else action.version
                written[action.id] = visits.mark_action(
                    ws, action.id, state.value, expected_version=version
                )

        def failed(_error: Exception) -> None:
            self.action_views = [written.get(a.id, a) for a in self.action_views]
            self.buttons.setEnabled(True)

        self.buttons.setEnabled(False)
        self.ops.change(
            self,
            work,
            Change.ACTIONS,
            title=self.tr("The actions were not saved"),
            done=lambda _none: QDialog.accept(self),
            failed=failed,
        )

    def reject(self) -> None:
        if self.buttons.isEnabled():  # not while saving
            super().reject()


def confirm_removal(parent: QWidget, title: str, what: str) -> bool:
    """Ask before deleting, saying exactly what goes; Delete is never the default (Enter or
    Escape keep everything). Plain text: the summary names people and rooms."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        what,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(
        parent.tr("You can undo this until you close the program: Edit, Undo delete.")
    )
    for which, text in (
        (QMessageBox.StandardButton.Yes, parent.tr("&Delete")),
        (QMessageBox.StandardButton.No, parent.tr("&Keep")),
    ):
        button = box.button(which)
        button.setText(text)
        button.setIcon(QIcon())  # the style's Yes tick and No cross would say the opposite
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    try:
        return QMessageBox.StandardButton(box.exec()) == QMessageBox.StandardButton.Yes
    finally:
        box.deleteLater()
