"""An answer button whose words wrap onto more lines when it is narrow (a QPushButton's own text
never wraps, so a long choice ran off the page at the largest text size)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .style import plain_label


class Tile(QPushButton):
    """A checkable answer button drawn by the style (border, fill, focus ring) with its words
    in a word-wrapped label on top: the button is as tall as its words need at its width.

    `text()` and `setText()` are the words (the style draws none of its own)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = plain_label(text)  # answers come from the content: shown as written
        self.words.setWordWrap(True)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setForegroundRole(QPalette.ColorRole.ButtonText)
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.words.setAccessibleName(text)
        layout = QVBoxLayout(self)
        margin = self.fontMetrics().height() // 2
        layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
        layout.addWidget(self.words)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._heights: dict[int, int] = {}  # width -> height, for these words in this font

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)

    def text(self) -> str:
        return self.words.text()

    def setText(self, text: str) -> None:  # noqa: N802
        if text == self.words.text():
            return  # (a refresh that changes nothing lays nothing out again)
        self._heights.clear()
        self.words.setText(text)
        self.words.setAccessibleName(text)
        self.updateGeometry()

    def _margins(self) -> QSize:
        layout = self.layout()
        if layout is None:
            return QSize()
        m = layout.contentsMargins()
        return QSize(m.left() + m.right(), m.top() + m.bottom())

    def sizeHint(self) -> QSize:  # noqa: N802
        words = self.words.sizeHint() + self._margins()
        return words.expandedTo(self.minimumSize())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Narrow enough to fit any page: the words wrap."""
        width = self.fontMetrics().averageCharWidth() * 8 + self._margins().width()
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        height = self._heights.get(width)
        if height is None:
            margins = self._margins()
            words = self.words.heightForWidth(max(1, width - margins.width()))
            height = self._heights[width] = max(words + margins.height(), self.minimumHeight())
        return height
