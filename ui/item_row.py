"""One question on a walkthrough page: big answer buttons, help, note, measurement, photos.

Two looks, one row: in the guided view (one question at a time) the question is large and its
answers are full-width tiles stacked one under another; in the grid (the OT's page of many
questions) the row is one dense line that takes the focus itself: one key answers it and the
page moves on, its buttons are for the mouse (never a Tab stop), the note and photo are a key
away (F2, F4), and the last visit's answer is shown beside it as a suggestion. Either way the
chosen answer shows by colour, by a tick and by its words, and the question names the person it
is about.

Every answer goes to the session the moment it is given and is written in the background: the
row says "Saving…" at once and "Saved" only when the write has returned (the answer is on disk
then). Meaning is never carried by colour alone: a hazard says "Needs attention" in words.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.assessment import Answer, is_hazard
from safetycheck.domain.checklist import LENGTH_UNITS, AnswerType, Item, Page
from safetycheck.domain.falls import FALLEN_IN_THE_PAST_YEAR
from safetycheck.domain.wording import for_person, help_for_person
from safetycheck.services.carry import kept_together

from .accessibility import announce
from .flow_layout import FlowLayout
from .operations import Change, Done, Operations
from .photos import PhotoStrip, choose_photo_file
from .session import AskedAnswer, WalkthroughSession
from .settings import Settings
from .style import plain_label, set_role
from .theme import draw_focus_ring, tile_text
from .tile import Tile

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"}

# The grid's keys that move or act on the page rather than on this row (see GridPage.act).
GRID_MOVES = {
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Up: "previous",
    Qt.Key.Key_U: "unanswered",
    Qt.Key.Key_S: "rest_safe",
    Qt.Key.Key_C: "confirm_all",
}


class ItemRow(QFrame):
    """A question with its answer controls, bound to one answer slot of the session.

    Signals:
        changed(): an answer or note was saved (the page re-checks which questions apply).
        saving_changed(): the row began or finished saving (the page gates Next on it).
        chosen(): the user chose an answer here (the guided view moves on once it is saved).
        skipped(): "Not sure" was pressed (the guided view moves on, leaving it unanswered).
        moved(str): grid: a key asked the page to act ("down", "previous", "unanswered",
            "rest_safe", "confirm_all"; "next" after Enter: the next question needing an
            answer, else the next page).
        refused(): an answer given here was refused (the reason has been shown).
        entered(): grid: the row got the focus (by any means: a key, Tab, a click).

    Attributes:
        guided: shown alone, one question at a time, with large answer tiles.
        grid: one dense line on the OT's page; the row itself takes the focus.
        text: the question as shown, worded for the person.
    """

    changed = Signal()
    saving_changed = Signal()
    chosen = Signal()
    skipped = Signal()
    moved = Signal(str)
    refused = Signal()
    entered = Signal()

    def __init__(
        self,
        session: WalkthroughSession,
        ops: Operations,
        item: Item,
        room: str | None,
        parent: QWidget | None = None,
        *,
        guided: bool = False,
        grid: bool = False,
        person_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.item = item
        self.room = room
        self.guided = guided
        self.grid = grid and not guided
        # Lengths are typed and shown in the program's one unit (Settings).
        self.length_unit = Settings().length_unit if item.unit == "mm" else item.unit
        self._clicks_from = 0.0  # clicks on the answers count from this time (monotonic)
        self.text = for_person(item.text, person_name)
        help_text = help_for_person(item.help, person_name)
        self.setFrameShape(
            QFrame.Shape.NoFrame if guided or self.grid else QFrame.Shape.StyledPanel
        )
        if self.grid:
            # The row is the Tab stop and takes the keys; its buttons are for the mouse.
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
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
        # Grid, on a follow-up visit: the last visit's answer, a suggestion and never an answer.
        self.carried = plain_label()
        self.carried.setWordWrap(True)
        set_role(self.carried, "help")
        self.carried.hide()

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        # Guided: full-width tiles, one under another. Otherwise a row of buttons that wraps
        # onto the next line when the text is large, so nothing runs off the page.
        answers: QGridLayout | FlowLayout = QGridLayout() if guided else FlowLayout()
        # Short answers two to a line (Yes beside No), long ones one to a line.
        self._columns = 2 if all(len(label) <= 24 for _v, label in self._choices()) else 1
        self.value_buttons: dict[str, Tile] = {}
        self.spin: QDoubleSpinBox | None = None
        if item.type is AnswerType.MEASURE:
            self._build_measure(answers)
        else:
            numbered = self.grid and item.type is AnswerType.CHOICE
            for number, (value, label) in enumerate(self._choices(), start=1):
                if numbered:  # the key that picks it, on it: nothing to count
                    label = f"{number} {label}"
                button = Tile(label)
                button.setCheckable(True)
                button.setAutoDefault(False)  # Enter goes to the wizard's Next, not here
                if self.grid:
                    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self.photo_button = QPushButton(
            self.tr("Photo… (F4)") if self.grid else self.tr("Add photo…")
        )
        self.photo_button.setAutoDefault(False)
        self.note_button: QPushButton | None = None
        if self.grid:
            # A key away (F2, F4), never a Tab stop between one answer and the next.
            self.note.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.photo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.note_button = QPushButton(self.tr("Note… (F2)"))
            self.note_button.setAutoDefault(False)
            self.note_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.note_button.setAccessibleName(
                self.tr("Add a note: {question}").format(question=self.text)
            )
            self.note_button.clicked.connect(self.edit_note)
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
        if self.grid:
            self._lay_out_grid(layout, answers, extras)
        else:
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

    def _lay_out_grid(
        self, layout: QVBoxLayout, answers: QGridLayout | FlowLayout, extras: QHBoxLayout
    ) -> None:
        """One dense line: the question beside its answers; under it what is saved (or the
        last visit's answer), the note when there is one, the photos when there are some. What
        the question means is its tooltip and its description for a screen reader."""
        margins = layout.contentsMargins()
        layout.setContentsMargins(margins.left(), 3, margins.right(), 3)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.question, 3)
        top.addLayout(answers, 2)
        layout.addLayout(top)
        under = QHBoxLayout()
        under.addWidget(self.status, 1)
        under.addWidget(self.carried, 1)
        assert self.note_button is not None
        under.addWidget(self.note_button)
        under.addWidget(self.photo_button)
        layout.addLayout(under)
        extras.removeWidget(self.photo_button)
        layout.addLayout(extras)
        self.help.hide()
        self.question.setToolTip(self.help.text())
        self.note.setVisible(False)

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
        self.spin.setSpecialValueText(self.tr("Not measured"))  # (the unit: set below)
        self.spin.setValue(-1)
        self.spin.setAccessibleName(self.tr("Measurement: {question}").format(question=self.text))
        self.spin.editingFinished.connect(self.save_measure)
        # In the program's one unit (Settings), named beside every measurement.
        unit = {"mm": self.tr("mm"), "in": self.tr("inches")}.get(self.length_unit)
        self.spin.setSuffix(f" {unit or self.length_unit}")
        self.spin.setSpecialValueText(
            self.tr("Not measured ({unit})").format(unit=unit or self.length_unit)
        )
        # No value by accident: the wheel over it scrolls the page, and (grid) the arrow keys
        # move between questions; only typing, or its own buttons, change the value.
        self.spin.installEventFilter(self)
        self._place(layout, self.spin)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.spin:
            if self.grid and event.type() == QEvent.Type.FocusOut:
                self.update()
            if event.type() == QEvent.Type.Wheel:
                event.ignore()  # to the page, which scrolls
                return True
            if self.grid and event.type() == QEvent.Type.FocusIn:
                self.update()  # the ring
                self.entered.emit()  # a click into the value: this is the place now
            if self.grid and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                    self.save_measure()
                    self.moved.emit("down" if event.key() == Qt.Key.Key_Down else "previous")
                    return True
                if event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                    return True  # no stepping by ten: only what is typed is a measurement
        return super().eventFilter(watched, event)

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
            self.spin.setValue(self._in_program_unit(shown))
            self.spin.blockSignals(blocked)
        if shown is not None and not self.note.hasFocus():
            self.note.setText(shown.note)
        if self.grid:
            self.note.setVisible(bool(self.note.text()) or self.note.hasFocus())
            self._show_carried()
        if self.photos is not None:
            self.photos.refresh()
        self._show_status(self.current())

    def _in_program_unit(self, shown: AskedAnswer | None) -> float:
        """A measurement as the program shows it: a length in the program's unit, whichever
        unit it was taken in (-1: not measured)."""
        if shown is None or not isinstance(shown.value, float):
            return -1
        if self.item.unit != "mm" or (shown.unit or "mm") == self.length_unit:
            return shown.value
        millimetres = shown.value * LENGTH_UNITS.get(shown.unit or "mm", 1.0)
        return round(millimetres / LENGTH_UNITS[self.length_unit], 1)

    def suggestion(self) -> Answer | None:
        """Grid: the last visit's answer, while this visit has none."""
        return self.session.suggestion(self.item.id, self.room) if self.grid else None

    def suggested_text(self, answer: Answer) -> str:
        if isinstance(answer.value, float):  # in the program's unit, as the value is typed
            value = self._in_program_unit(AskedAnswer(answer.value, "", answer.unit))
            names = {"mm": self.tr("mm"), "in": self.tr("inches")}
            return f"{value:g} {names.get(self.length_unit, self.length_unit)}".strip()
        labels = dict(self._choices())
        return labels.get(str(answer.value), str(answer.value))

    def _show_carried(self) -> None:
        carried = self.suggestion()
        if carried is None:
            self.carried.hide()
            return
        if self.item.id == FALLEN_IN_THE_PAST_YEAR and self.session.falls_say_fallen():
            text = self.tr("Falls since the last visit: {count} recorded. Enter: Yes.").format(
                count=self.session.falls().count or 0
            )
            self.carried.setText(text)
            self.carried.setAccessibleName(text)
            self.carried.show()
            return
        if kept_together(self.item):
            text = self.tr("Last visit: {answer}. Enter keeps it.")
        else:  # a screening question: asked again, its last answer for reference
            text = self.tr("Last visit: {answer}. Ask again; Enter keeps it.")
        text = text.format(answer=self.suggested_text(carried))
        self.carried.setText(text)
        self.carried.setAccessibleName(text)
        self.carried.show()

    def confirm_suggestion(self) -> bool:
        """Grid: give the last visit's answer as this visit's (Enter, or C for the page)."""
        carried = self.suggestion()
        if carried is None:
            return False
        self._save(carried.value, unit=carried.unit)
        return True

    def _show_choice(self, button: QAbstractButton) -> None:
        """The chosen answer says so in words too (a tick before it), not by colour alone."""
        label = str(button.property("answer_label") or button.text())
        button.setText(tile_text(label, button.isChecked()))

    def _show_status(self, answer: Answer | None) -> None:
        if self.saving:
            text = self.tr("Saving…")  # not "Saved" before the write returned
        elif answer is None:
            text = self.tr("Not answered yet")
        elif (
            self.item.id == FALLEN_IN_THE_PAST_YEAR
            and answer.value == "no"
            and self.session.falls_say_fallen()
        ):
            count = self.session.falls().count or 0
            text = self.tr(
                "⚠ Saved, but the falls since the last visit say otherwise: {count} recorded. "
                "Check the answer."
            ).format(count=count)
        elif self.item.red_flag and answer.value in self.item.red_flag.values:
            tier = self.session.checklist.urgency(self.item.red_flag.urgency)
            text = self.tr("⚠ Saved. Red flag: {title}.").format(title=tier.title)
        elif is_hazard(self.item, answer) and self.item.type is AnswerType.MEASURE:
            text = self.tr(
                "⚠ Saved. Needs attention: outside {low}–{high} {unit}, the reference range."
            ).format(
                low=f"{self.item.hazard_below:g}" if self.item.hazard_below is not None else "0",
                high=f"{self.item.hazard_above:g}" if self.item.hazard_above is not None else "…",
                unit=self.item.unit,
            )
        elif is_hazard(self.item, answer):
            text = self.tr("⚠ Saved. Needs attention: it goes into the action plan.")
        else:
            text = self.tr("✓ Saved")
        self.status.setText(text)
        self.status.setAccessibleName(text)  # read as it is, not as "Answer status"
        if self.grid:  # what a screen reader says of the focused row, after its question
            self.setAccessibleDescription(f"{text} {self.help.text()}")

    def focus_answer(self) -> None:
        """Put the focus on the chosen answer (else the first), so the focus ring and the
        choice agree. Grid: on the row (a measurement: on its value, ready to type over)."""
        if self.grid:
            if self.spin is not None:
                self.spin.setFocus(Qt.FocusReason.OtherFocusReason)
                self.spin.selectAll()
            else:
                self.setFocus(Qt.FocusReason.OtherFocusReason)
            return
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
            self.refused.emit()
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
        latest = self._latest()
        if latest is not None and self._in_program_unit(latest) == self.spin.value():
            return
        self._save(float(self.spin.value()), unit=self.length_unit)

    def edit_note(self) -> None:
        """Grid: show the note and type in it (F2); Enter or Esc goes back to the row."""
        self.note.show()
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)  # the words kept, the cursor after
        self.note.end(False)
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self.note)

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

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Grid: the row with the focus (or its note) is ringed, so the OT sees where the next
        key goes."""
        super().paintEvent(event)
        # The window's own focus widget: the ring shows even while another window is active
        # (the key reference open beside the walkthrough).
        focused = self.window().focusWidget()
        if not self.grid or focused is None or not (focused is self or self.isAncestorOf(focused)):
            return
        painter = QPainter(self)
        draw_focus_ring(painter, self.rect())
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if self.grid:
            self.update()  # the ring
            self.entered.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self.grid:
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Y, N and A answer the question that has the focus (Yes, No, Not applicable), and so
        does a choice's number (1 for the first); never while typing a note. In the grid the
        page's keys too (see GRID_MOVES, Enter, F2, F4)."""
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
            Qt.KeyboardModifier.ShiftModifier,
        )  # never Ctrl+A (select all) or Alt+N (a mnemonic)
        if self.grid and self._grid_key(event, plain):
            event.accept()
            return
        keys = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}
        value = keys.get(Qt.Key(event.key())) if plain else None
        number = event.key() - Qt.Key.Key_0 if Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9 else 0
        if plain and 0 < number <= len(self.value_buttons):
            value = list(self.value_buttons)[number - 1]
        if value is not None and value in self.value_buttons and not self.note.hasFocus():
            self.value_buttons[value].click()
            return
        super().keyPressEvent(event)

    def _grid_key(self, event: QKeyEvent, plain: bool) -> bool:
        """The grid's keys; True when taken. While typing a note only Enter and Esc are
        taken (back to the row); in a measurement, Enter (the value is saved: on to the next)
        and the moves; the digits type the value."""
        key = Qt.Key(event.key())
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain
        if self.note.hasFocus():
            if enter or key == Qt.Key.Key_Escape:
                self.save_note()
                self.note.setVisible(bool(self.note.text()))
                self.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            return False
        if key == Qt.Key.Key_F2:
            self.edit_note()
            return True
        if key == Qt.Key.Key_F4 and not self.photo_button.isHidden():
            self.choose_photo()
            return True
        if enter:
            typed = self.spin is not None and self.spin.hasFocus() and self.spin.value() >= 0
            if typed:
                self.save_measure()  # (the spin box has read the value by now)
            elif self.confirm_suggestion():
                self.chosen.emit()
                return True
            self.moved.emit("next")
            return True
        if (
            self.spin is not None
            and self.spin.hasFocus()
            and key
            not in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
            )
        ):
            return False  # typing the value (U, S and C mean nothing in a number)
        if (
            self.spin is not None
            and not self.spin.hasFocus()
            and Qt.Key.Key_0 <= key <= Qt.Key.Key_9
        ):
            self.spin.setFocus(Qt.FocusReason.OtherFocusReason)
            self.spin.selectAll()
            QApplication.sendEvent(self.spin, event)  # the digit starts the value
            return True
        move = GRID_MOVES.get(key) if plain else None
        if move is not None:
            if self.spin is not None and self.spin.hasFocus():
                self.save_measure()
            self.moved.emit(move)
            return True
        return False
