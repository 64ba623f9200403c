"""One question on a walkthrough page: big answer buttons, help, note, measurement, photos.

Every answer goes through the session the moment it is given; the row then says "Saved".
Meaning is never carried by colour alone: a hazard says "Needs attention" in words.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import Answer, is_hazard
from safetycheck.domain.checklist import AnswerType, Item, Page
from safetycheck.services.errors import ConflictError

from .operations import Change, Done, Operations
from .session import WalkthroughSession
from .style import apply_role, set_role

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}


class ItemRow(QFrame):
    """A question with its answer controls, bound to one answer slot of the session.

    Signals:
        changed(): an answer or note was saved (the page re-checks which questions apply).
    """

    changed = Signal()

    def __init__(
        self,
        session: WalkthroughSession,
        ops: Operations,
        item: Item,
        room: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.item = item
        self.room = room
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        self.setAccessibleName(item.text)
        self.setAccessibleDescription(item.help)

        self.question = QLabel(item.text)
        self.question.setWordWrap(True)
        set_role(self.question, "question")
        self.help = QLabel(item.help)
        self.help.setWordWrap(True)
        set_role(self.help, "help")
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Answer status"))

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        # Long lists of choices wrap into a grid, so nothing runs off the page.
        many = item.type is AnswerType.CHOICE and len(item.options) > 3
        answers: QHBoxLayout | QGridLayout = QGridLayout() if many else QHBoxLayout()
        self.value_buttons: dict[str, QPushButton] = {}
        self.spin: QDoubleSpinBox | None = None
        self.unit: QComboBox | None = None
        if item.type is AnswerType.MEASURE:
            self._build_measure(answers)
        else:
            for value, label in self._choices():
                button = QPushButton(label)
                button.setCheckable(True)
                button.setAutoDefault(False)  # Enter goes to the wizard's Next, not here
                set_role(button, "answer")
                button.toggled.connect(lambda _on, b=button: apply_role(b))
                button.setAccessibleName(f"{label}: {item.text}")
                button.setAccessibleDescription(item.help)
                button.setProperty("answer_value", value)
                self.buttons.addButton(button)
                self.value_buttons[value] = button
                if isinstance(answers, QGridLayout):
                    count = len(self.value_buttons) - 1
                    answers.addWidget(button, count // 2, count % 2)
                else:
                    answers.addWidget(button)
        if isinstance(answers, QHBoxLayout):
            answers.addStretch(1)
        self.buttons.buttonClicked.connect(self._clicked)

        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.note.setAccessibleName(self.tr("Note: {question}").format(question=item.text))
        self.note.editingFinished.connect(self.save_note)
        self.photo_button = QPushButton(self.tr("Add photo…"))
        self.photo_button.setAutoDefault(False)
        self.photo_button.setAccessibleName(
            self.tr("Add a photo: {question}").format(question=item.text)
        )
        self.photo_button.clicked.connect(self.choose_photo)
        self.photo_list = QLabel()
        self.photo_list.setWordWrap(True)
        extras = QHBoxLayout()
        extras.addWidget(self.note, 1)
        extras.addWidget(self.photo_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.help)
        layout.addLayout(answers)
        layout.addLayout(extras)
        layout.addWidget(self.photo_list)
        layout.addWidget(self.status)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # Photos are for what can be seen: rooms, shoes, brace and skin, not the questionnaire.
        # (Only now that the button has a parent: shown earlier, it would open as a window.)
        if item.page is Page.PERSON:
            self.photo_button.hide()
        self.refresh()

    # ---- building ---------------------------------------------------------------------------

    def _choices(self) -> list[tuple[str, str]]:
        if self.item.type is AnswerType.CHECK:
            return [
                ("yes", self.tr("Yes")),
                ("no", self.tr("No")),
                ("na", self.tr("Not applicable")),
            ]
        if self.item.type is AnswerType.YESNO:
            return [("yes", self.tr("Yes")), ("no", self.tr("No"))]
        return [(option.value, option.label) for option in self.item.options]

    def _build_measure(self, layout: QHBoxLayout | QGridLayout) -> None:
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-1, 5000)
        self.spin.setDecimals(1)
        self.spin.setSpecialValueText(self.tr("Not measured"))
        self.spin.setValue(-1)
        self.spin.setAccessibleName(
            self.tr("Measurement: {question}").format(question=self.item.text)
        )
        self.spin.editingFinished.connect(self.save_measure)
        layout.addWidget(self.spin)
        if self.item.unit == "mm":
            self.unit = QComboBox()
            self.unit.addItem(self.tr("mm"), "mm")
            self.unit.addItem(self.tr("inches"), "in")
            self.unit.setAccessibleName(self.tr("Unit"))
            self.unit.currentIndexChanged.connect(lambda _i: self.save_measure())
            layout.addWidget(self.unit)
        else:
            layout.addWidget(QLabel(self.item.unit))

    # ---- state ------------------------------------------------------------------------------

    def current(self) -> Answer | None:
        return self.session.answer(self.item.id, self.room)

    def refresh(self) -> None:
        """Show what is saved (used on every page visit: Back never clears anything)."""
        answer = self.current()
        # An exclusive group will not let its checked button be unchecked; when nothing is
        # saved (a failed save, a reload) every button must show unchecked.
        self.buttons.setExclusive(False)
        for value, button in self.value_buttons.items():
            button.setChecked(answer is not None and answer.value == value)
        self.buttons.setExclusive(True)
        if self.spin is not None:
            blocked = self.spin.blockSignals(True)
            self.spin.setValue(
                answer.value if answer is not None and isinstance(answer.value, float) else -1
            )
            self.spin.blockSignals(blocked)
        if self.unit is not None and answer is not None and answer.unit:
            blocked = self.unit.blockSignals(True)
            self.unit.setCurrentIndex(max(0, self.unit.findData(answer.unit)))
            self.unit.blockSignals(blocked)
        if answer is not None and not self.note.hasFocus():
            self.note.setText(answer.note)
        photos = self.session.photos_for(self.item.id, self.room)
        self.photo_list.setText(
            self.tr("Photos: {names}").format(names=", ".join(p.filename for p in photos))
            if photos
            else ""
        )
        self.photo_list.setVisible(bool(photos))
        self._show_status(answer)

    def _show_status(self, answer: Answer | None) -> None:
        if answer is None:
            self.status.setText(self.tr("Not answered yet"))
        elif self.item.red_flag and answer.value in self.item.red_flag.values:
            self.status.setText(self.tr("⚠ Saved. Red flag: seek medical attention now."))
        elif is_hazard(self.item, answer):
            self.status.setText(self.tr("⚠ Saved. Needs attention: it goes into the action plan."))
        else:
            self.status.setText(self.tr("✓ Saved"))

    # ---- saving -----------------------------------------------------------------------------

    def _save(self, value: str | float, unit: str = "") -> bool:
        """Saved before this returns (and only then does the row say so)."""
        note = self.note.text()
        outcome = self.ops.now(
            self,
            lambda: self.session.save(self.item.id, self.room, value, note=note, unit=unit),
            title=self.tr("The answer was not saved"),
            changes=Change.ANSWERS,
        )
        if not isinstance(outcome, Done):
            if isinstance(outcome.error, ConflictError):  # someone else's answer: show theirs
                self.ops.now(self, self.session.reload, title=self.tr("The visit was not read"))
            self.refresh()  # what is saved, never the button that was pressed
            return False
        self.refresh()
        self.changed.emit()
        return True

    def choose(self, value: str) -> bool:
        return self._save(value)

    def _clicked(self, button: QAbstractButton) -> None:
        self.choose(str(button.property("answer_value")))

    def save_measure(self) -> None:
        if self.spin is None or self.spin.value() < 0:
            return
        unit = self.unit.currentData() if self.unit is not None else self.item.unit
        answer = self.current()
        if answer is not None and answer.value == self.spin.value() and answer.unit == unit:
            return
        self._save(float(self.spin.value()), unit=str(unit))

    def save_note(self) -> None:
        answer = self.current()
        if answer is None:
            if self.note.text().strip():
                self.status.setText(self.tr("Choose an answer to save the note with it."))
            return
        if answer.note != self.note.text():
            self._save(answer.value, unit=answer.unit)

    # ---- photos -----------------------------------------------------------------------------

    def choose_photo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a photo"),
            "",
            self.tr("Pictures (*.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp)"),
        )
        if name:
            self.add_photo(Path(name))

    def add_photo(self, path: Path) -> bool:
        outcome = self.ops.now(
            self,
            lambda: self.session.attach_photo(self.item.id, self.room, path),
            title=self.tr("The photo was not added"),
            changes=Change.ANSWERS,
        )
        self.refresh()
        return isinstance(outcome, Done)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            self.add_photo(Path(url.toLocalFile()))
        event.acceptProposedAction()

    # ---- keyboard ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Y, N and A answer the question that has the focus (Yes, No, Not applicable)."""
        keys = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}
        value = keys.get(Qt.Key(event.key()))
        if value is not None and value in self.value_buttons and not self.note.hasFocus():
            self.value_buttons[value].click()
            return
        super().keyPressEvent(event)
