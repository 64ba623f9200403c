"""The summary's pictures, drawn with QPainter: the level on its three-step scale, and bars with
their words (what adds most, the score then, now and with the home fixed).

Readable in black and white (the words are on the picture, the levels differ by pattern and
position, not by colour alone), coloured from the widget's palette (light or dark), sized from
its font so they grow with the text size, and as tall as their width needs (heightForWidth):
they never ask for more width than the page has. Each says the same in words as its
accessible description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from safetycheck.domain.stratification import Level, LevelRange

WRAP = int(Qt.TextFlag.TextWordWrap.value)
# Low to high: more and more ink, so the three steps differ in grey as well as in words.
LEVEL_PATTERNS = {
    Level.LOW: Qt.BrushStyle.NoBrush,
    Level.MODERATE: Qt.BrushStyle.BDiagPattern,
    Level.HIGH: Qt.BrushStyle.DiagCrossPattern,
}
MIN_WIDTH = 160  # the pictures fit any page width from here: they wrap instead of widening


def _wrapped_height(metrics: QFontMetrics, width: int, text: str) -> int:
    return metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000), WRAP, text).height()


class _Chart(QWidget):
    """What the pictures share: height for width, and a new layout when the font changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def sizeHint(self) -> QSize:  # noqa: N802
        width = self.fontMetrics().averageCharWidth() * 60
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # The height comes from heightForWidth at the width given (a minimum height taken at
        # the narrowest width would make the page that tall).
        return QSize(MIN_WIDTH, self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self.updateGeometry()
            self.update()
        super().changeEvent(event)

    def resizeEvent(self, _event: QResizeEvent) -> None:  # noqa: N802
        # The layout may give a width whose height differs from the one asked for.
        if self.height() != self.heightForWidth(self.width()):
            self.updateGeometry()


class LevelGauge(_Chart):
    """The fall-risk level on its scale low | moderate | high, with the guideline's lines
    between the steps; the visit's level framed and pointed at, or, while it is not settled,
    the range it can still be in bracketed underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level_range = LevelRange(Level.LOW, Level.HIGH)
        self.setAccessibleName(self.tr("Fall-risk level"))
        self.set_range(self.level_range)

    def step_words(self, level: Level) -> str:
        return {
            Level.LOW: self.tr("Low"),
            Level.MODERATE: self.tr("Moderate"),
            Level.HIGH: self.tr("High"),
        }[level]

    def caption(self) -> str:
        """The words under the marker (also the start of the accessible description)."""
        if self.level_range.known is not None:
            return self.tr("This visit: {level}").format(level=self.level_range.label)
        return self.tr("This visit: not settled yet, {words}").format(words=self.level_range.words)

    def set_range(self, level_range: LevelRange) -> None:
        self.level_range = level_range
        scale = ", ".join(self.step_words(level).lower() for level in Level)
        self.setAccessibleDescription(
            self.tr("{caption}. The scale has three steps: {scale}.").format(
                caption=self.caption(), scale=scale
            )
        )
        self.updateGeometry()
        self.update()

    # Geometry, from the font: the steps, then the marker and its caption under them.
    def _pad(self) -> int:
        return max(2, self.fontMetrics().height() // 2)

    def _step_height(self, width: int) -> int:
        metrics = self.fontMetrics()
        inner = max(width // 3 - 2 * self._pad(), 1)
        words = max(_wrapped_height(metrics, inner, self.step_words(level)) for level in Level)
        return words + 2 * self._pad() + metrics.height() // 2  # the pattern band

    def _caption_height(self, width: int) -> int:
        return _wrapped_height(self.fontMetrics(), width, self.caption())

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        marker = self.fontMetrics().height()
        return 2 + self._step_height(width) + marker + self._caption_height(width) + self._pad()

    def step_rect(self, level: Level) -> QRect:
        """Where a step of the scale is drawn (for the marker, and for tests)."""
        width = self.width() - 3  # room for the frame's line on the right
        left = 1 + width * level.rank // 3
        right = 1 + width * (level.rank + 1) // 3
        return QRect(left, 1, right - left, self._step_height(self.width()))

    def marker_span(self) -> tuple[int, int]:
        """The horizontal extent the marker points at: one step, or the range's steps."""
        return (
            self.step_rect(self.level_range.lowest).left(),
            self.step_rect(self.level_range.highest).right(),
        )

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ink = palette.color(QPalette.ColorRole.WindowText)
        paper = palette.color(QPalette.ColorRole.Base)
        mark = palette.color(QPalette.ColorRole.Highlight)
        metrics = self.fontMetrics()
        pad = self._pad()
        band = metrics.height() // 2
        inside = self.level_range.contains
        for level in Level:
            rect = self.step_rect(level)
            painter.fillRect(rect, paper)
            pattern = QRect(rect.left(), rect.bottom() - band, rect.width(), band + 1)
            if LEVEL_PATTERNS[level] is not Qt.BrushStyle.NoBrush:
                painter.fillRect(pattern, QBrush(ink, LEVEL_PATTERNS[level]))
            painter.setPen(QPen(ink, 1))
            painter.drawLine(pattern.topLeft(), pattern.topRight())
            font = self.font()
            font.setBold(inside(LevelRange(level, level)))
            painter.setFont(font)
            words = rect.adjusted(pad, pad, -pad, -band - pad)
            painter.drawText(
                words, int(Qt.AlignmentFlag.AlignCenter) | WRAP, self.step_words(level)
            )
        painter.setFont(self.font())
        # The scale's outline and the guideline's two lines between the steps.
        whole = self.step_rect(Level.LOW).united(self.step_rect(Level.HIGH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(ink, 2))
        painter.drawRect(whole)
        for level in (Level.MODERATE, Level.HIGH):
            x = self.step_rect(level).left()
            painter.drawLine(x, whole.top(), x, whole.bottom())
        # The visit: its steps framed thick, a pointer (one level) or a bracket (a range).
        left, right = self.marker_span()
        frame = QRect(left, whole.top(), right - left, whole.height())
        line = max(3, metrics.height() // 6)
        painter.setPen(QPen(mark, line))
        painter.drawRect(frame.adjusted(1, 1, -1, -1))
        top = whole.bottom() + 2
        size = metrics.height() - 2
        painter.setPen(QPen(ink, 2))
        if self.level_range.known is not None:
            middle = (left + right) / 2
            painter.setBrush(mark)
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(middle, top),
                        QPointF(middle - size * 0.6, top + size),
                        QPointF(middle + size * 0.6, top + size),
                    ]
                )
            )
        else:
            painter.setPen(QPen(mark, line))
            y = top + size / 2
            painter.drawLine(QPointF(left + 2, y), QPointF(right - 2, y))
            painter.drawLine(QPointF(left + 2, top), QPointF(left + 2, top + size))
            painter.drawLine(QPointF(right - 2, top), QPointF(right - 2, top + size))
        painter.setPen(ink)
        font = self.font()
        font.setBold(True)
        painter.setFont(font)
        caption = QRect(0, top + size + 2, self.width(), self._caption_height(self.width()) + 4)
        painter.drawText(caption, int(Qt.AlignmentFlag.AlignHCenter) | WRAP, self.caption())
        painter.end()


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its words, its length, the figure written at its end, and its fill."""

    label: str
    value: int
    figure: str  # "+31", "192"
    pattern: Qt.BrushStyle = Qt.BrushStyle.SolidPattern
    spoken: str = ""  # said after the figure in the accessible text ("can be fixed")


class BarChart(_Chart):
    """Horizontal bars, each under its words (wrapped to the width, never cut off), with the
    figure at the bar's end; bars are to scale with the largest. A legend says what the fills
    mean."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[Bar, ...] = ()
        self.legend: tuple[tuple[Qt.BrushStyle, str], ...] = ()
        self.footnote = ""
        self.setAccessibleName(name)

    def set_bars(
        self,
        bars: Sequence[Bar],
        legend: Sequence[tuple[Qt.BrushStyle, str]] = (),
        footnote: str = "",
    ) -> None:
        """The bars in order; `footnote`: words under them (what has no bar of its own)."""
        self.bars = tuple(bars)
        self.legend = tuple(legend)
        self.footnote = footnote
        spoken = [
            f"{bar.label}: {bar.figure}" + (f" ({bar.spoken})" if bar.spoken else "")
            for bar in self.bars
        ]
        said = "; ".join(spoken) + "." if spoken else ""
        self.setAccessibleDescription(f"{said} {footnote}".strip())
        self.updateGeometry()
        self.update()

    def _gap(self) -> int:
        return max(2, self.fontMetrics().height() // 4)

    def _bar_height(self) -> int:
        return self.fontMetrics().height() + 2

    def _rows(self, width: int) -> list[tuple[Bar, int]]:
        metrics = self.fontMetrics()
        return [(bar, _wrapped_height(metrics, width, bar.label)) for bar in self.bars]

    def _legend_height(self, width: int) -> int:
        swatch = self._bar_height()
        metrics = self.fontMetrics()
        return sum(
            max(swatch, _wrapped_height(metrics, width - swatch * 2, words)) + self._gap()
            for _pattern, words in self.legend
        )

    def _footnote_height(self, width: int) -> int:
        if not self.footnote:
            return 0
        return _wrapped_height(self.fontMetrics(), width, self.footnote) + self._gap()

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        rows = sum(words + self._bar_height() + 2 * self._gap() for _, words in self._rows(width))
        legend = self._legend_height(width)
        footnote = self._footnote_height(width)
        return rows + footnote + (legend + self._gap() if legend else 0) + 2

    def bar_rects(self) -> list[QRect]:
        """Where each bar is drawn, in order (for tests: lengths are to scale)."""
        metrics = self.fontMetrics()
        figure_room = max((metrics.horizontalAdvance(bar.figure) for bar in self.bars), default=0)
        longest = max(self.width() - figure_room - 3 * self._gap() - 2, metrics.averageCharWidth())
        top = 1
        largest = max((bar.value for bar in self.bars), default=0) or 1
        rects = []
        for bar, words in self._rows(self.width()):
            top += words + self._gap() // 2
            length = max(round(longest * max(bar.value, 0) / largest), 2)
            rects.append(QRect(1, top, length, self._bar_height()))
            top += self._bar_height() + self._gap() * 3 // 2
        return rects

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        palette = self.palette()
        ink = palette.color(QPalette.ColorRole.WindowText)
        fill = palette.color(QPalette.ColorRole.Highlight)
        paper = palette.color(QPalette.ColorRole.Base)
        metrics = self.fontMetrics()
        top = 1
        for (bar, words), rect in zip(self._rows(self.width()), self.bar_rects(), strict=True):
            painter.setPen(ink)
            painter.drawText(QRect(0, top, self.width(), words), WRAP, bar.label)
            self._draw_bar(painter, rect, bar.pattern, ink, fill, paper)
            figure = QRect(rect.right() + self._gap(), rect.top(), self.width(), rect.height())
            painter.setPen(ink)
            font = self.font()
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(figure, int(Qt.AlignmentFlag.AlignVCenter), bar.figure)
            painter.setFont(self.font())
            top = rect.bottom() + 1 + self._gap() * 3 // 2
        if self.footnote:
            painter.setPen(ink)
            height = self._footnote_height(self.width())
            painter.drawText(QRect(0, top, self.width(), height), WRAP, self.footnote)
            top += height
        swatch = self._bar_height()
        for pattern, legend_words in self.legend:
            top += self._gap()
            height = max(swatch, _wrapped_height(metrics, self.width() - swatch * 2, legend_words))
            self._draw_bar(painter, QRect(1, top, swatch, swatch), pattern, ink, fill, paper)
            painter.setPen(ink)
            text = QRect(swatch * 3 // 2, top, self.width() - swatch * 2, height)
            painter.drawText(text, WRAP, legend_words)
            top += height
        painter.end()

    @staticmethod
    def _draw_bar(
        painter: QPainter,
        rect: QRect,
        pattern: Qt.BrushStyle,
        ink: QColor,
        fill: QColor,
        paper: QColor,
    ) -> None:
        """Solid in the highlight colour, or a pattern in ink on paper: the two differ in
        black and white too. Outlined either way."""
        if pattern is Qt.BrushStyle.SolidPattern:
            painter.fillRect(rect, fill)
        else:
            painter.fillRect(rect, paper)
            painter.fillRect(rect, QBrush(ink, pattern))
        painter.setPen(QPen(ink, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
