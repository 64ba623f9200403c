"""What every walkthrough page has: a focusable heading, the progress, the red flags; and what a
page may ask of the walkthrough it is part of (`Walkthrough`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from safetycheck.domain.scoring import RedFlagFound
from safetycheck.domain.steps import Step, StepKind

from .accessibility import announce
from .operations import Operations
from .session import StartRequest, WalkthroughSession, by_urgency
from .style import plain_label, set_role

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace


class Walkthrough(Protocol):
    """What a page may use of the walkthrough that shows it (the wizard)."""

    ws: Workspace
    ops: Operations
    session: WalkthroughSession | None
    preselected_person: str | None

    def progress_text(self, page: StepPage) -> str: ...

    def progress_count(self) -> tuple[int, int]:
        """(questions answered, questions asked) in the whole walkthrough now."""
        ...

    def start_visit(self, request: StartRequest) -> bool: ...

    def guided(self) -> bool:
        """Whether questions are shown one at a time (else all of a step on one page)."""
        ...

    def entering_backwards(self) -> bool:
        """Whether the page being shown was reached with Back (from the step after it)."""
        ...

    def resume_item(self, key: str) -> str | None:
        """The question to resume at on the step with this key, once (then None)."""
        ...

    def show_unanswered(self) -> None:
        """List the questions not answered yet, with a way to go to each (or finish anyway)."""
        ...

    def place_changed(self, page: StepPage) -> None:
        """The page moved to another question: remember the place, show the progress."""
        ...

    def go_to(self, key: str, item: str | None = None) -> None:
        """Show the step with this key, and its question."""
        ...


def step_title(step: Step) -> str:
    """A step's title as shown: a room's own name, or the step's title in the user's language."""
    if step.kind is StepKind.ROOM:
        return step.title
    return QCoreApplication.translate("steps", step.title)


class RedFlagBanner(QFrame):
    """Red flags as soon as they are answered, on every page: for each urgency, most urgent
    first, its title ("Call the emergency number now"), the warning signs found, and what to do
    (the tier's words from the content, the same as in the summary and the PDF)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "redflags")
        # The signs on the left; on a short page the "What to do" button beside them (not on
        # a line of its own, which the question needs).
        outer = QHBoxLayout(self)
        self._layout = QVBoxLayout()
        self._layout.setSpacing(self.fontMetrics().height() // 4)
        outer.addLayout(self._layout, 1)
        self._shown: tuple[RedFlagFound, ...] = ()
        self.tiers: list[tuple[QLabel, QLabel]] = []  # (title with the signs, advice) per tier
        # On a short page (a small screen, large text) what to do folds away behind a button,
        # so the question still shows; the signs and their urgency never do.
        self.compact = False
        self.advice_button = QPushButton(self.tr("What to do ▸"))
        self.advice_button.setCheckable(True)
        self.advice_button.setAutoDefault(False)
        self.advice_button.setAccessibleName(self.tr("Show what to do about the red flags"))
        self.advice_button.toggled.connect(self._show_advice)
        outer.addWidget(self.advice_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self._rebuild(said=True)  # the same flags, laid out again: not said again

    def _show_advice(self) -> None:
        folded = self.compact and not self.advice_button.isChecked()
        self.advice_button.setVisible(self.compact)
        self.advice_button.setText(self.tr("What to do ▸") if folded else self.tr("What to do ▾"))
        for _title, advice in self.tiers:
            advice.setVisible(not folded)

    def show_flags(self, flags: Sequence[RedFlagFound]) -> bool:
        """Show these flags; whether anything changed (the banner's height may have)."""
        flags = tuple(flags)
        changed = flags != self._shown or self.isHidden() == bool(flags)
        if flags != self._shown:
            self._shown = flags
            self._rebuild()
        self.setVisible(bool(flags))
        return changed

    def _rebuild(self, said: bool = False) -> None:
        for title, advice in self.tiers:
            for label in (title, advice):
                self._layout.removeWidget(label)
                label.deleteLater()
        self.tiers = []
        for tier, signs in by_urgency(self._shown):
            lines = [self.tr("⚠ RED FLAG — {title}:").format(title=tier.title)]
            lines += [f"• {sign}" for sign in signs]
            if self.compact and len(signs) == 1:  # one line fewer on a short page
                lines = [
                    self.tr("⚠ RED FLAG — {title}: {sign}").format(title=tier.title, sign=signs[0])
                ]
            title = plain_label("\n".join(lines))
            set_role(title, "redflag")
            advice = plain_label(tier.advice)
            set_role(advice, "redflag_advice")
            for label in (title, advice):
                label.setWordWrap(True)
                self._layout.addWidget(label)
            self.tiers.append((title, advice))
        self._show_advice()
        self.setAccessibleName(self.text())
        if self._shown and not said and self.isVisibleTo(self.window()):
            announce(self, self.text())  # a new red flag is said at once, not only shown

    def text(self) -> str:
        """Everything the banner says, in reading order."""
        return "\n".join(f"{title.text()}\n{advice.text()}" for title, advice in self.tiers)


class StepPage(QWizardPage):
    """One step of the walkthrough as a wizard page (Picard's model): it loads in
    initializePage, gates Next in validatePage, and `collected()` hands back what it collected.
    Answers are saved the moment they are given, so Back never clears anything."""

    def __init__(self, step: Step, walkthrough: Walkthrough) -> None:
        super().__init__()
        self.step = step
        self._walkthrough = walkthrough
        self.setObjectName(step.key)
        self.heading = plain_label()  # a room's name, as typed or imported
        set_role(self.heading, "heading")  # a page's title: the question needs the room
        self.heading.setWordWrap(True)
        self.heading.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.progress = plain_label()
        self.progress.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)  # the words are in the label above it
        self.progress_bar.setMaximumHeight(max(8, self.progress.fontMetrics().height() // 2))
        self.progress_bar.setAccessibleName(self.tr("Questions answered"))
        self.flags = RedFlagBanner()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.flags)
        if self.SCROLLS:
            # The page's own content scrolls (up and down only), so no page is ever taller
            # than the window can be: QWizard would make the window as tall as its tallest page.
            self.body_scroller: QScrollArea | None = QScrollArea()
            self.body_scroller.setWidgetResizable(True)
            self.body_scroller.setFrameShape(QFrame.Shape.NoFrame)
            self.body_scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.body_scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop
            inner = QWidget()
            self.body = QVBoxLayout(inner)
            self.body.setContentsMargins(0, 0, 0, 0)
            self.body_scroller.setWidget(inner)
            layout.addWidget(self.body_scroller, 1)
        else:
            self.body_scroller = None
            self.body = QVBoxLayout()
            layout.addLayout(self.body, 1)
        self.set_step(step)

    def walkthrough(self) -> Walkthrough:
        return self._walkthrough

    # Whether the page puts its content in a scroll area of its own (pages that scroll
    # their questions or summary themselves do not).
    SCROLLS = True
    # Shorter than this many lines of text, the page folds the red flags' advice away.
    COMPACT_BELOW_LINES = 24

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        lines = self.height() / max(1, self.fontMetrics().height())
        self.set_compact(lines < self.COMPACT_BELOW_LINES)

    def set_compact(self, compact: bool) -> None:
        """A short page (a small screen, large text) gives every line it can to its content."""
        self.flags.set_compact(compact)

    def page_key(self) -> str:
        """Where the walkthrough is (the step's key), saved so it resumes exactly here."""
        return self.step.key

    def set_step(self, step: Step) -> None:
        """The same step, changed (a room renamed or tagged): show it as it is now."""
        self.step = step
        title = step_title(step)
        self.heading.setText(title)
        self.heading.setAccessibleName(title)

    def collected(self) -> object:
        """What this page collected (each kind of page says what that is)."""
        return None

    def initializePage(self) -> None:  # noqa: N802
        walkthrough = self.walkthrough()
        session = walkthrough.session
        if session is not None:
            self.flags.show_flags(session.red_flags())
        # (The walkthrough remembers the place once the page is shown: place_changed.)
        self.show_progress()
        # After QWizard has finished switching pages (it moves focus itself), so a screen reader
        # starts each page at its title.
        QTimer.singleShot(0, self, self._focus_heading)

    def show_progress(self) -> None:
        walkthrough = self.walkthrough()
        text = walkthrough.progress_text(self)
        if self.heading.isHidden():  # the title, where the heading would have said it
            text = f"{self.heading.text()} · {text}"
        self.progress.setText(text)
        self.progress.setAccessibleName(text)
        answered, total = walkthrough.progress_count()
        self.progress_bar.setVisible(total > 0)
        # QProgressBar repaints at once (synchronously) on a visible change of value, about
        # 10 ms on every answer: with updates off it is painted with the rest of the window.
        bar = self.progress_bar
        if bar.maximum() != max(total, 1) or bar.value() != answered:
            bar.setUpdatesEnabled(False)
            bar.setRange(0, max(total, 1))
            bar.setValue(answered)
            bar.setUpdatesEnabled(True)  # (schedules an ordinary update)
        self.progress_bar.setAccessibleDescription(
            self.tr("{answered} of {total} questions answered").format(
                answered=answered, total=total
            )
        )

    def _focus_heading(self) -> None:
        if self.isVisible():
            self.heading.setFocus(Qt.FocusReason.OtherFocusReason)

    def cleanupPage(self) -> None:  # noqa: N802
        """Back never clears answers (QWizard would reset registered fields here)."""
