"""The visit being walked through, as saved: its answers, rooms, photos, red flags and steps, and
every change to them through a use case.

Shared by every view of a walkthrough (the guided wizard today; a one-question-at-a-time view
and a dense OT grid can be built over the same session) and free of widgets: a view shows the
errors (through Operations) and draws; the session only keeps what is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from safetycheck.domain.assessment import (
    Answer,
    Assessment,
    RoomInstance,
    effective_facts,
)
from safetycheck.domain.checklist import Checklist, Mode
from safetycheck.domain.scoring import find_red_flags
from safetycheck.domain.steps import Step, steps_before_start
from safetycheck.domain.steps import steps as walkthrough_steps
from safetycheck.domain.visits import AssessmentInfo, PhotoInfo, VisitSnapshot, default_rooms

if TYPE_CHECKING:
    from safetycheck.services.workspace import Workspace

Slot = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class StartRequest:
    """What the first step collects: who is assessed (a known person, or a new one by name and
    year of birth), by whom, on which day, and in which mode."""

    person_id: str | None
    new_name: str
    birth_year: int | None
    assessor: str
    mode: Mode
    visit_date: date


def preview_steps(checklist: Checklist, mode: Mode) -> tuple[Step, ...]:
    """The steps of a walkthrough that has not started yet, as if it had the usual rooms and no
    answers (the real rooms come with the visit: they are copied from the last one)."""
    rooms = tuple(
        RoomInstance(f"preview:{n}", spec.kind, spec.name, spec.night_route, spec.stairs_daily)
        for n, spec in enumerate(default_rooms(checklist))
    )
    return steps_before_start(checklist, mode, rooms)


class WalkthroughSession(QObject):
    """Holds the visit as it is in the database and sends every change through the use cases.
    Each method raises the use case's errors and changes nothing when it fails.

    Signals:
        answered(str, object): an answer was saved (item id, room id or None).
        rooms_changed(): rooms were added, renamed or removed, or their tags changed.
        steps_changed(): the list of steps is different now (a room, or an answer that brings
            in or drops a step such as the brace).
    Attributes:
        assessment: the visit as saved (answers in the order given).
        info: its listing (status, person, resume point) as last read.
    """

    answered = Signal(str, object)
    rooms_changed = Signal()
    steps_changed = Signal()

    def __init__(
        self, ws: Workspace, snapshot: VisitSnapshot, parent: QObject | None = None
    ) -> None:
        """Hold a visit already read (the caller read it, off the GUI thread if it likes)."""
        super().__init__(parent)
        self.ws = ws
        self.assessment_id = snapshot.info.id
        self.assessment: Assessment
        self.info: AssessmentInfo
        self._versions: dict[Slot, int] = {}
        self._photos: list[PhotoInfo] = []
        self._facts: dict[str, str] = {}
        self._steps: tuple[Step, ...] = ()
        self._hold(snapshot)

    @classmethod
    def open(
        cls, ws: Workspace, assessment_id: str, parent: QObject | None = None
    ) -> WalkthroughSession:
        """Read the visit and hold it."""
        from safetycheck.services import assessments as visits

        return cls(ws, visits.load_visit(ws, assessment_id), parent)

    @classmethod
    def start(
        cls, ws: Workspace, request: StartRequest, parent: QObject | None = None
    ) -> WalkthroughSession:
        """Start the visit (adding the person first when new) and hold it."""
        from safetycheck.services import assessments as visits

        if request.person_id is None:
            # One transaction: a visit refused leaves no new person behind.
            info = visits.start_assessment_for_new_person(
                ws,
                request.new_name,
                request.birth_year,
                request.assessor,
                request.mode,
                request.mode,
                visit_date=request.visit_date,
            )
        else:
            info = visits.start_assessment(
                ws,
                request.person_id,
                request.assessor,
                request.mode,
                request.mode,
                visit_date=request.visit_date,
            )
        return cls.open(ws, info.id, parent)

    def reload(self) -> None:
        """Read the visit again (after a conflict, or when rooms changed)."""
        from safetycheck.services import assessments as visits

        self._hold(visits.load_visit(self.ws, self.assessment_id))

    def _hold(self, snapshot: VisitSnapshot) -> None:
        self.info = snapshot.info
        self.assessment = snapshot.assessment
        self._versions = dict(snapshot.versions)
        self._photos = list(snapshot.photos)
        self._recompute()

    # ---- what is saved ------------------------------------------------------------------------

    @property
    def checklist(self) -> Checklist:
        return self.ws.content.checklist

    @property
    def mode(self) -> Mode:
        return self.assessment.mode

    def facts(self) -> dict[str, str]:
        """Only answers to questions that are asked count (see effective_facts)."""
        return self._facts

    def steps(self) -> tuple[Step, ...]:
        """The walkthrough's steps now, in order (domain.steps: declared once for every view)."""
        return self._steps

    def step(self, key: str) -> Step | None:
        return next((step for step in self._steps if step.key == key), None)

    def answer(self, item: str, room: str | None) -> Answer | None:
        return self.assessment.answer(item, room)

    def rooms(self) -> tuple[RoomInstance, ...]:
        return self.assessment.rooms

    def photos_for(self, item: str, room: str | None) -> list[PhotoInfo]:
        return [p for p in self._photos if (p.item, p.room) == (item, room)]

    def red_flags(self) -> list[str]:
        """Red flags raised by the answers so far, in walkthrough order (shown the moment they
        are answered, not only at the end)."""
        return [flag.text for flag in find_red_flags(self.checklist, self.assessment)]

    def _recompute(self) -> None:
        before = self._steps
        self._facts = effective_facts(self.checklist, self.assessment)
        self._steps = walkthrough_steps(self.checklist, self.assessment, self._facts)
        if before and self._steps != before:
            self.steps_changed.emit()

    # ---- changes ------------------------------------------------------------------------------

    def save(
        self, item: str, room: str | None, value: str | float, note: str = "", unit: str = ""
    ) -> Answer:
        """Save one answer now; it is on disk when this returns. Returns the answer as stored."""
        from safetycheck.services import assessments as visits

        receipt = visits.record_answer(
            self.ws,
            self.assessment_id,
            item,
            room,
            value,
            note=note,
            unit=unit,
            expected_version=self._versions.get((item, room)),
        )
        self._versions[(item, room)] = receipt.version
        kept = tuple(a for a in self.assessment.answers if (a.item, a.room) != (item, room))
        self.assessment = replace(self.assessment, answers=(*kept, receipt.answer))
        self._recompute()
        self.answered.emit(item, room)
        return receipt.answer

    def attach_photo(self, item: str, room: str | None, path: Path) -> PhotoInfo:
        from safetycheck.services import assessments as visits

        info = visits.attach_photo(self.ws, self.assessment_id, item, room, path)
        self._photos.append(info)
        return info

    def remove_photo(self, photo_id: str) -> None:
        from safetycheck.services import assessments as visits

        visits.remove_photo(self.ws, photo_id)
        self._photos = [p for p in self._photos if p.id != photo_id]

    def add_room(self, kind: str, name: str = "") -> RoomInstance:
        from safetycheck.services import assessments as visits

        room = visits.add_room(self.ws, self.assessment_id, kind, name)
        self._rooms_reloaded()
        return room

    def update_room(
        self,
        room_id: str,
        *,
        name: str | None = None,
        night_route: bool | None = None,
        stairs_daily: bool | None = None,
    ) -> None:
        from safetycheck.services import assessments as visits

        visits.update_room(
            self.ws, room_id, name=name, night_route=night_route, stairs_daily=stairs_daily
        )
        self._rooms_reloaded()

    def remove_room(self, room_id: str) -> None:
        from safetycheck.services import assessments as visits

        visits.remove_room(self.ws, room_id)
        self._rooms_reloaded()

    def _rooms_reloaded(self) -> None:
        self.reload()
        self.rooms_changed.emit()

    def set_resume_point(self, key: str) -> None:
        """Where the walkthrough is, so that it resumes exactly here."""
        from safetycheck.services import assessments as visits

        visits.set_resume_point(self.ws, self.assessment_id, key)
