"""One question on a walkthrough page: big answer buttons, help, note, measurement, photos.

Every answer goes to the session the moment it is given and is written in the background: the
row says "Saving…" at once and "Saved" only when the write has returned (the answer is on disk
then). Meaning is never carried by colour alone: a hazard says "Needs attention" in words.
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
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import Answer, is_hazard
from safetycheck.domain.checklist import AnswerType, Item, Page

from .operations import Change, Done, Operations
from .session import AskedAnswer, WalkthroughSession
from .style import apply_role, plain_label, set_role

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}


class ItemRow(QFrame):
    """A question with its answer controls, bound to one answer slot of the session.

    Signals:
        changed(): an answer or note was saved (the page re-checks which questions apply).
        saving_changed(): the row began or finished saving (the page gates Next on it).
    """

    changed = Signal()
    saving_changed = Signal()

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

        self.question = plain_label(item.text)
        self.question.setWordWrap(True)
        set_role(self.question, "question")
        self.help = plain_label(item.help)
        self.help.setWordWrap(True)
        set_role(self.help, "help")
        self.status = plain_label()
        self.status.setAccessibleName(self.tr("Answer status"))

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        # Long lists of choices, or long choices, wrap into a grid, so nothing runs off the
        # page (in one line, three long choices were wider than the walkthrough).
        many = item.type is AnswerType.CHOICE and (
            len(item.options) > 3 or sum(len(option.label) for option in item.options) > 60
        )
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
        self.photo_list = plain_label()
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
        # Bound methods, so the connections go when the row does (the session lives on).
        session.answer_given.connect(self._slot_given)
        session.answered.connect(self._slot_answered)
        session.not_saved.connect(self._slot_not_saved)
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
            layout.addWidget(plain_label(self.item.unit))

    # ---- state ------------------------------------------------------------------------------

    def current(self) -> Answer | None:
        """The answer as stored."""
        return self.session.answer(self.item.id, self.room)

    @property
    def saving(self) -> bool:
        """Whether an answer given here is still being written."""
        return self.session.asked(self.item.id, self.room) is not None

    def _latest(self) -> AskedAnswer | None:
        """What the row shows: the last answer given while it is being written, else the
        stored one."""
        asked = self.session.asked(self.item.id, self.room)
        if asked is not None:
            return asked
        answer = self.current()
        return AskedAnswer(answer.value, answer.note, answer.unit) if answer else None

    def refresh(self) -> None:
        """Show what is saved, or what is being saved (used on every page visit: Back never
        clears anything)."""
        shown = self._latest()
        # An exclusive group will not let its checked button be unchecked; when nothing is
        # saved (a failed save, a reload) every button must show unchecked.
        self.buttons.setExclusive(False)
        for value, button in self.value_buttons.items():
            button.setChecked(shown is not None and shown.value == value)
        self.buttons.setExclusive(True)
        if self.spin is not None:
            blocked = self.spin.blockSignals(True)
            self.spin.setValue(
                shown.value if shown is not None and isinstance(shown.value, float) else -1
            )
            self.spin.blockSignals(blocked)
        if self.unit is not None and shown is not None and shown.unit:
            blocked = self.unit.blockSignals(True)
            self.unit.setCurrentIndex(max(0, self.unit.findData(shown.unit)))
            self.unit.blockSignals(blocked)
        if shown is not None and not self.note.hasFocus():
            self.note.setText(shown.note)
        photos = self.session.photos_for(self.item.id, self.room)
        self.photo_list.setText(
            self.tr("Photos: {names}").format(names=", ".join(p.filename for p in photos))
            if photos
            else ""
        )
        self.photo_list.setVisible(bool(photos))
        self._show_status(self.current())

    def _show_status(self, answer: Answer | None) -> None:
        if self.saving:
            self.status.setText(self.tr("Saving…"))  # not "Saved" before the write returned
        elif answer is None:
            self.status.setText(self.tr("Not answered yet"))
        elif self.item.red_flag and answer.value in self.item.red_flag.values:
            tier = self.session.checklist.urgency(self.item.red_flag.urgency)
            self.status.setText(self.tr("⚠ Saved. Red flag: {title}.").format(title=tier.title))
        elif is_hazard(self.item, answer):
            self.status.setText(self.tr("⚠ Saved. Needs attention: it goes into the action plan."))
        else:
            self.status.setText(self.tr("✓ Saved"))

    # ---- saving -----------------------------------------------------------------------------

    def _save(self, value: str | float, unit: str = "") -> None:
        """Written in the background, after any answer given before it; the row says
        "Saving…" until then (the session's signals bring the outcome)."""
        self.session.submit(
            self.ops,
            self,
            self.item.id,
            self.room,
            AskedAnswer(value, self.note.text(), unit),
            title=self.tr("The answer was not saved"),
        )

    def _mine(self, item: str, room: object) -> bool:
        return item == self.item.id and room == self.room

    def _slot_given(self, item: str, room: object) -> None:
        if self._mine(item, room):
            self.refresh()
            self.saving_changed.emit()

    def _slot_answered(self, item: str, room: object) -> None:
        if self._mine(item, room):
            self.refresh()
            self.changed.emit()
            self.saving_changed.emit()

    def _slot_not_saved(self, item: str, room: object) -> None:
        if self._mine(item, room):
            self.refresh()  # what is saved, never the button that was pressed
            self.saving_changed.emit()

    def choose(self, value: str) -> None:
        self._save(value)

    def _clicked(self, button: QAbstractButton) -> None:
        self.choose(str(button.property("answer_value")))

    def save_measure(self) -> None:
        if self.spin is None or self.spin.value() < 0:
            return
        unit = self.unit.currentData() if self.unit is not None else self.item.unit
        latest = self._latest()
        if latest is not None and latest.value == self.spin.value() and latest.unit == unit:
            return
        self._save(float(self.spin.value()), unit=str(unit))

    def save_note(self) -> None:
        latest = self._latest()  # with the answer being saved, if there is one
        if latest is None:
            if self.note.text().strip():
                self.status.setText(self.tr("Choose an answer to save the note with it."))
            return
        if latest.note != self.note.text():
            self._save(latest.value, unit=latest.unit)

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
