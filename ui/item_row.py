"""One question on a walkthrough page: big answer buttons, help, note, measurement, photos.

Two looks, one row: in the guided view (one question at a time) the question is large and its
answers are full-width tiles stacked one under another; on a page of many questions the answer
buttons sit in a row that wraps when the text is large. Either way the chosen answer shows by
colour, by a tick and by its words, and the question names the person it is about.

Every answer goes to the session the moment it is given and is written in the background: the
row says "Saving…" at once and "Saved" only when the write has returned (the answer is on disk
then). Meaning is never carried by colour alone: a hazard says "Needs attention" in words.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
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
from safetycheck.domain.wording import for_person, help_for_person

from .accessibility import announce
from .flow_layout import FlowLayout
from .operations import Change, Done, Operations
from .photos import PhotoStrip, choose_photo_file
from .session import AskedAnswer, WalkthroughSession
from .style import plain_label, set_role
from .theme import tile_text
from .tile import Tile

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}


class ItemRow(QFrame):
    """A question with its answer controls, bound to one answer slot of the session.

    Signals:
        changed(): an answer or note was saved (the page re-checks which questions apply).
        saving_changed(): the row began or finished saving (the page gates Next on it).
        chosen(): the user chose an answer here (the guided view moves on once it is saved).
        skipped(): "Not sure" was pressed (the guided view moves on, leaving it unanswered).

    Attributes:
        guided: shown alone, one question at a time, with large answer tiles.
        text: the question as shown, worded for the person.
    """

    changed = Signal()
    saving_changed = Signal()
    chosen = Signal()
    skipped = Signal()

    def __init__(
        self,
        session: WalkthroughSession,
        ops: Operations,
        item: Item,
        room: str | None,
        parent: QWidget | None = None,
        *,
        guided: bool = False,
        person_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.item = item
        self.room = room
        self.guided = guided
        self._clicks_from = 0.0  # clicks on the answers count from this time (monotonic)
        self.text = for_person(item.text, person_name)
        help_text = help_for_person(item.help, person_name)
        self.setFrameShape(QFrame.Shape.NoFrame if guided else QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        self.setAccessibleName(self.text)
        self.setAccessibleDescription(help_text)

        self.question = plain_label(self.text)
        self.question.setWordWrap(True)
        set_role(self.question, "question")
        self.help = plain_label(help_text)
        self.help.setWordWrap(True)
        set_role(self.help, "help")
        self.status = plain_label()
        self.status.setWordWrap(True)

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        # Guided: full-width tiles, one under another. Otherwise a row of buttons that wraps
        # onto the next line when the text is large, so nothing runs off the page.
        answers: QGridLayout | FlowLayout = QGridLayout() if guided else FlowLayout()
        # Short answers two to a line (Yes beside No), long ones one to a line.
        self._columns = 2 if all(len(label) <= 24 for _v, label in self._choices()) else 1
        self.value_buttons: dict[str, Tile] = {}
        self.spin: QDoubleSpinBox | None = None
        self.unit: QComboBox | None = None
        if item.type is AnswerType.MEASURE:
            self._build_measure(answers)
        else:
            for number, (value, label) in enumerate(self._choices(), start=1):
                button = Tile(label)
                button.setCheckable(True)
                button.setAutoDefault(False)  # Enter goes to the wizard's Next, not here
                set_role(button, "tile" if guided else "answer")
                button.toggled.connect(lambda _on, b=button: self._show_choice(b))
                button.setAccessibleName(f"{label}: {self.text}")
                button.setAccessibleDescription(help_text)
                button.setProperty("answer_value", value)
                button.setProperty("answer_label", label)
                button.setProperty("answer_number", number)
                self.buttons.addButton(button)
                self.value_buttons[value] = button
                self._place(answers, button)
        self.buttons.buttonClicked.connect(self._clicked)

        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.note.setAccessibleName(self.tr("Note: {question}").format(question=self.text))
        self.note.editingFinished.connect(self.save_note)
        self.photo_button = QPushButton(self.tr("Add photo…"))
        self.photo_button.setAutoDefault(False)
        self.photo_button.setAccessibleName(
            self.tr("Add a photo: {question}").format(question=self.text)
        )
        self.photo_button.clicked.connect(self.choose_photo)
        # The photos as thumbnails to look at and remove (made after the layout: see below).
        self.photos: PhotoStrip | None = None
        extras = QHBoxLayout()
        extras.addWidget(self.note, 1)
        extras.addWidget(self.photo_button)

        # Guided: "Not sure" moves on and leaves the question unanswered (unknown, never safe);
        # it comes back in the list of unanswered questions before finishing.
        self.unsure_button: Tile | None = None
        if guided and item.type is not AnswerType.MEASURE:
            self.unsure_button = Tile(self.tr("Not sure: ask me later"))
            self.unsure_button.setAutoDefault(False)
            set_role(self.unsure_button, "tile")
            self.unsure_button.setAccessibleName(
                self.tr("Not sure, leave unanswered for now: {question}").format(question=self.text)
            )
            self.unsure_button.clicked.connect(self._unsure)
            self._place(answers, self.unsure_button)

        layout = QVBoxLayout(self)
        if guided:  # alone on the page: its lines go to the question and answers, not margins
            layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.question)
        if guided:  # the answers right under the question; what it means after them
            layout.addLayout(answers)
            layout.addWidget(self.help)
        else:
            layout.addWidget(self.help)
            layout.addLayout(answers)
        layout.addLayout(extras)
        layout.addWidget(self.status)
        # As tall as its words need at its width (long questions wrap): never cut off.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        # Photos are for what can be seen: rooms, shoes, brace and skin, not the questionnaire.
        # (Only now that the button has a parent: shown earlier, it would open as a window.)
        if item.page is Page.PERSON:
            self.photo_button.hide()
        else:
            self.photos = PhotoStrip(session, ops, item.id, room, self.text, self)
            self.photos.removed.connect(lambda _photo: self.refresh())
            layout.insertWidget(layout.indexOf(self.status), self.photos)
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

    def _place(self, layout: QGridLayout | FlowLayout, widget: QWidget) -> None:
        if isinstance(layout, QGridLayout):
            count = layout.count()
            layout.addWidget(widget, count // self._columns, count % self._columns)
        else:
            layout.addWidget(widget)

    def _build_measure(self, layout: QGridLayout | FlowLayout) -> None:
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-1, 5000)
        self.spin.setDecimals(1)
        self.spin.setSpecialValueText(self.tr("Not measured"))
        self.spin.setValue(-1)
        self.spin.setAccessibleName(self.tr("Measurement: {question}").format(question=self.text))
        self.spin.editingFinished.connect(self.save_measure)
        self._place(layout, self.spin)
        if self.item.unit == "mm":
            self.unit = QComboBox()
            self.unit.addItem(self.tr("mm"), "mm")
            self.unit.addItem(self.tr("inches"), "in")
            self.unit.setAccessibleName(self.tr("Unit"))
            self.unit.currentIndexChanged.connect(lambda _i: self.save_measure())
            self._place(layout, self.unit)
        else:
            self._place(layout, plain_label(self.item.unit))

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
        if self.unsure_button is not None:
            # "Not sure" leaves a question unanswered: an answered one is changed, not unsure.
            self.unsure_button.setVisible(shown is None)
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
        if self.photos is not None:
            self.photos.refresh()
        self._show_status(self.current())

    def _show_choice(self, button: QAbstractButton) -> None:
        """The chosen answer says so in words too (a tick before it), not by colour alone."""
        label = str(button.property("answer_label") or button.text())
        button.setText(tile_text(label, button.isChecked()))

    def _show_status(self, answer: Answer | None) -> None:
        if self.saving:
            text = self.tr("Saving…")  # not "Saved" before the write returned
        elif answer is None:
            text = self.tr("Not answered yet")
        elif self.item.red_flag and answer.value in self.item.red_flag.values:
            tier = self.session.checklist.urgency(self.item.red_flag.urgency)
            text = self.tr("⚠ Saved. Red flag: {title}.").format(title=tier.title)
        elif is_hazard(self.item, answer):
            text = self.tr("⚠ Saved. Needs attention: it goes into the action plan.")
        else:
            text = self.tr("✓ Saved")
        self.status.setText(text)
        self.status.setAccessibleName(text)  # read as it is, not as "Answer status"

    def focus_answer(self) -> None:
        """Put the focus on the chosen answer (else the first), so the focus ring and the
        choice agree."""
        chosen = self.buttons.checkedButton()
        target: QWidget | None = chosen or next(iter(self.value_buttons.values()), None)
        if target is None:
            target = self.spin
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

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
            focused = QApplication.focusWidget()
            had_focus = focused is not None and self.isAncestorOf(focused)
            self.refresh()
            if had_focus and self.buttons.checkedButton() is not None:
                self.focus_answer()  # the focus ring follows the answer chosen
            if self.isVisible():
                announce(self, self.status.text())
            self.changed.emit()
            self.saving_changed.emit()

    def _slot_not_saved(self, item: str, room: object) -> None:
        if self._mine(item, room):
            self.refresh()  # what is saved, never the button that was pressed
            self.saving_changed.emit()

    def choose(self, value: str) -> None:
        self._save(value)
        self.chosen.emit()

    def _unsure(self) -> None:
        if time.monotonic() >= self._clicks_from:  # not the second click of a double click
            self.skipped.emit()

    def hold_clicks(self, seconds: float) -> None:
        """Take no click on the answers for this long (the question has just appeared)."""
        self._clicks_from = time.monotonic() + seconds

    def _clicked(self, button: QAbstractButton) -> None:
        if time.monotonic() < self._clicks_from:
            self.refresh()  # not taken: show what is saved, not the button pressed
            return
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
                text = self.tr("Choose an answer to save the note with it.")
                self.status.setText(text)
                self.status.setAccessibleName(text)
            return
        if latest.note != self.note.text():
            self._save(latest.value, unit=latest.unit)

    # ---- photos -----------------------------------------------------------------------------

    def choose_photo(self) -> None:
        """Pick a photo, starting in the Pictures folder (or the last one used)."""
        path = choose_photo_file(self)
        if path is not None:
            self.add_photo(path)

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
        """Y, N and A answer the question that has the focus (Yes, No, Not applicable), and so
        does a choice's number (1 for the first); never while typing a note."""
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
            Qt.KeyboardModifier.ShiftModifier,
        )  # never Ctrl+A (select all) or Alt+N (a mnemonic)
        keys = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}
        value = keys.get(Qt.Key(event.key())) if plain else None
        number = event.key() - Qt.Key.Key_0 if Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9 else 0
        if plain and 0 < number <= len(self.value_buttons):
            value = list(self.value_buttons)[number - 1]
        if value is not None and value in self.value_buttons and not self.note.hasFocus():
            self.value_buttons[value].click()
            return
        super().keyPressEvent(event)
