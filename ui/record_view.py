"""The main window's record of the selected person and visit, beside the lists: the visit
compared with the person's last finished visit (fixed, still to do, new, the level and score
then and now, the falls since), and every fall recorded for the person.

Each part reads its use case in the background when the selection changes (a reply for a
selection that has changed since is dropped) and shows the result as escaped text: finding
names, room names and what happened are the user's words, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from safetycheck.domain.assessment import VisitStatus
from safetycheck.domain.falls import FallsSinceLastVisit
from safetycheck.domain.visits import AssessmentInfo, PersonView

from .dates import format_date
from .operations import Operations
from .summary import comparison_html, falls_html, falls_since

if TYPE_CHECKING:
    from safetycheck.services.assessments import Comparison
    from safetycheck.services.falls import FallsRecord
    from safetycheck.services.workspace import Workspace


def earlier_finished(visits: list[AssessmentInfo], visit: AssessmentInfo) -> bool:
    """Whether a finished visit comes before this one (`visits`: one person's, newest first,
    as the visits list shows them): only then is there a last visit to compare with."""
    ids = [v.id for v in visits]
    if visit.id not in ids:
        return False
    return any(v.status is VisitStatus.COMPLETED for v in visits[ids.index(visit.id) + 1 :])


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """What the comparison shows of one visit, read in the background."""

    comparison: Comparison | None
    falls: FallsSinceLastVisit | None


class _RecordText(QTextBrowser):
    """A read-only page of the record: one Tab stop, scrolled with the keys, read whole by a
    screen reader; its text is set from escaped HTML only."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._asked = 0  # increases with every request: tells a current reply from a stale one

    def say(self, text: str) -> None:
        """A plain sentence instead of a record (nothing chosen, nothing to compare)."""
        self._asked += 1
        self.setHtml(f"<p>{escape(text)}</p>")


class ComparisonPanel(_RecordText):
    """The selected visit against the person's last finished visit; says why not when there
    is none.

    Attributes:
        record: what is shown (None while nothing is compared).
    """

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Compared with the last visit"), parent)
        self._ws = ws
        self._ops = ops
        self.record: VisitRecord | None = None
        self._visit: AssessmentInfo | None = None
        self._comparable = False
        self.say(self.tr("Choose a visit to compare it with the last one."))

    def reason(self, visits: list[AssessmentInfo], visit: AssessmentInfo | None) -> str:
        """Why there is nothing to compare ("" when there is something)."""
        if visit is None:
            return self.tr("Choose a visit to compare it with the last one.")
        if earlier_finished(visits, visit):
            return ""
        ids = [v.id for v in visits]
        if visit.id in ids and ids.index(visit.id) < len(ids) - 1:
            return self.tr(
                "No visit before this one was finished, so there is nothing to compare it with yet."
            )
        return self.tr(
            "This is the first visit of {name}, so there is nothing to compare it with yet."
        ).format(name=visit.person_name)

    def show_visit(self, visits: list[AssessmentInfo], visit: AssessmentInfo | None) -> None:
        """Compare this visit of `visits` (the person's, newest first), in the background."""
        self._visit = visit
        reason = self.reason(visits, visit)
        self._comparable = not reason
        self.record = None
        if reason:
            self.say(reason)
            return
        assert visit is not None
        self._read(visit)

    def reload(self) -> None:
        """Read the same visit again (its answers or the earlier visit's may have changed)."""
        if self._visit is not None and self._comparable:
            self._read(self._visit, keep=True)

    def _read(self, visit: AssessmentInfo, keep: bool = False) -> None:
        from safetycheck.services.assessments import compare_with_previous

        self._asked += 1
        asked, ws, visit_id = self._asked, self._ws, visit.id
        if not keep:
            self.setHtml(f"<p>{escape(self.tr('Comparing with the last visit…'))}</p>")

        def work() -> VisitRecord:
            return VisitRecord(compare_with_previous(ws, visit_id), falls_since(ws, visit_id))

        def done(record: VisitRecord) -> None:
            if asked == self._asked:
                self.record = record
                self._show(record)

        self._ops.query(
            self, work, done, title=self.tr("The visit could not be compared with the last one")
        )

    def _show(self, record: VisitRecord) -> None:
        comparison = record.comparison
        if comparison is None:  # the earlier visit was deleted meanwhile
            self.setHtml(f"<p>{escape(self.tr('There is no finished visit to compare with.'))}</p>")
            return
        done = ""
        if comparison.done_actions:
            done = "<p>{}</p>".format(
                escape(
                    self.tr("{count} actions of the last visit's plan were ticked done.").format(
                        count=comparison.done_actions
                    )
                )
            )
        self.setHtml("".join(comparison_html(comparison, record.falls)) + done)


class FallsPanel(_RecordText):
    """Every fall recorded for the person, visit by visit (newest first).

    Attributes:
        records: what is shown (None while nothing is read).
    """

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Falls recorded"), parent)
        self._ws = ws
        self._ops = ops
        self.records: list[FallsRecord] | None = None
        self._person: PersonView | None = None
        self.say(self.tr("Choose a person to see the falls recorded."))

    def show_person(self, person: PersonView | None) -> None:
        self._person = person
        self.records = None
        if person is None:
            self.say(self.tr("Choose a person to see the falls recorded."))
            return
        self._read(person)

    def reload(self) -> None:
        if self._person is not None:
            self._read(self._person)

    def _read(self, person: PersonView) -> None:
        self._asked += 1
        asked, ws, person_id = self._asked, self._ws, person.id

        def work() -> list[FallsRecord]:
            from safetycheck.services.falls import falls_for_person

            return falls_for_person(ws, person_id)

        def done(records: list[FallsRecord]) -> None:
            if asked == self._asked:
                self.records = records
                self._show(person, records)

        self._ops.query(self, work, done, title=self.tr("The falls could not be read"))

    def _show(self, person: PersonView, records: list[FallsRecord]) -> None:
        if not records:
            self.setHtml(
                "<p>{}</p>".format(
                    escape(
                        self.tr(
                            "Falls have not been recorded for {name} yet (not asked is not "
                            "the same as no falls). They are asked at the start of every "
                            "follow-up visit."
                        ).format(name=person.name)
                    )
                )
            )
            return
        parts = []
        for record in records:
            heading = self.tr("Asked at the visit of {date}").format(
                date=format_date(record.visit.date)
            )
            parts.append(f"<h4>{escape(heading)}</h4>")
            parts += falls_html(record.report)
        self.setHtml("".join(parts))
