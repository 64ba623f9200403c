"""The key reference (Help → Keys): every key the program answers to, in one plain list.

A person doing a visit by keyboard alone learns the keys from here, not from the README: the
main window, the walkthrough's two views (guided, one question at a time; the grid, one key
per answer), the rooms table, the text size and the walkthrough's own buttons. It is words in
a scrolling page that wraps at any text size, so it reads at the largest size on a small
screen, and a screen reader reads it as text.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from .text_size import first_size


def _tr(text: str) -> str:
    return QCoreApplication.translate("keys", text)


# (section title, [(keys, what they do)]); read through _tr when shown.
Section = tuple[str, tuple[tuple[str, str], ...]]

SECTIONS: tuple[Section, ...] = (
    (
        "Everywhere",
        (
            ("Alt + the underlined letter", "Press that button, or go to that field or menu"),
            ("Tab, Shift+Tab", "The next or the previous part of the window"),
            ("Space", "Press the button, or tick the box, that has the focus"),
            ("Ctrl++ (or Ctrl+=)", "Larger text"),
            ("Ctrl+-", "Smaller text"),
            ("Ctrl+0", "Normal text size"),
        ),
    ),
    (
        "The main window",
        (
            ("Alt+F, Alt+E, Alt+V, Alt+H", "The File, Edit, View and Help menus"),
            ("F1", "This list of keys"),
            ("Ctrl+N", "A new walkthrough for the person chosen"),
            ("Up, Down", "Choose a person, or one of their visits"),
            ("Ctrl+Q", "Quit"),
        ),
    ),
    (
        "The walkthrough",
        (
            ("Enter", "Next (on the last page: finish the visit), wherever the focus is"),
            ("Alt+N", "Next"),
            ("Alt+B", "Back: the question or the page before"),
            ("Escape", "Close the walkthrough (every answer is already saved)"),
        ),
    ),
    (
        "Guided view (one question at a time)",
        (
            ("Y, N, A", "Answer Yes, No or Not applicable, and go on to the next question"),
            ("1 to 9", "Choose that answer (1 is the first), and go on"),
            ("Enter", "The next question (after typing a measurement)"),
            ("Alt+B", "The question before"),
        ),
    ),
    (
        "Grid view (a page of questions, one key each)",
        (
            ("Up, Down", "The question above or below"),
            ("Y, N, A", "Answer Yes, No or Not applicable, and go on to the next question"),
            ("1 to 9", "Choose the answer with that number, and go on"),
            (
                "Digits, then Enter",
                "A measurement, in the unit chosen in View, Measure lengths in (mm or inches)",
            ),
            (
                "Enter",
                "Keep the answer from the last visit, and go on to the next question without "
                "an answer (from the page's last question: to any left above it, else the "
                "next page)",
            ),
            (
                "C",
                "Keep every answer from the last visit left on this page that was seen in the "
                "home, and the person's facts that rarely change (the screening questions are "
                "asked again, one by one)",
            ),
            (
                "S",
                "In a room or around the home: every check left is safe (never a red-flag "
                "question, a measurement or a choice)",
            ),
            ("U", "The next question without an answer"),
            ("F2", "A note on the question"),
            ("F4", "Add a photo to the question"),
            ("Alt+N, Alt+B", "The next or the previous page"),
        ),
    ),
    (
        "The rooms of the home",
        (
            ("Arrow keys", "Move between the rooms and their columns"),
            ("Space", "Tick or untick the box (night route, stairs used daily)"),
            ("Alt+A", "Add a room (the keyboard then goes to its name)"),
            ("Alt+R", "Rename the room chosen"),
            ("Alt+M", "Remove the room chosen"),
            ("Alt+U, Alt+W", "Move the room chosen up or down the route"),
        ),
    ),
)


def reference_html() -> str:
    """The reference as simple HTML: a heading per section, then one paragraph per key, the
    keys in bold before what they do. Paragraphs, not a table: at the largest text size on a
    small screen a table's columns ran wider than the window; words always wrap. Text only,
    escaped, in the widget's own font, so it follows the text size."""
    parts = []
    for title, rows in SECTIONS:
        parts.append(f"<h3>{escape(_tr(title))}</h3>")
        parts += [
            f"<p><b>{escape(_tr(keys))}</b> — {escape(_tr(meaning))}</p>" for keys, meaning in rows
        ]
    return "".join(parts)


class KeyReference(QDialog):
    """The key reference: the list scrolls (Up, Down, Page Up, Page Down), Close or Escape
    closes it. Not modal: it can stay open beside the window it explains.

    Attributes:
        text: the list of keys.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keys"))
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Keys and what they do"))
        self.text.setOpenLinks(False)
        self.text.setHtml(reference_html())
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(first_size(self, QSize(720, 640)))  # less on a small screen
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)  # the arrows scroll at once


def show_key_reference(parent: QWidget | None = None) -> KeyReference:
    """Show the key reference (one per parent window: asked again, the open one comes to the
    front) and return it."""
    if parent is not None:
        for child in parent.findChildren(KeyReference):
            if child.isVisible():
                child.raise_()
                child.activateWindow()
                return child
    dialog = KeyReference(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.activateWindow()  # the keyboard in it: the arrows scroll at once
    return dialog
