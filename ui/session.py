"""The visit being walked through, as saved: its answers, rooms, photos, red flags and steps, and
every change to them through a use case.

Shared by every view of a walkthrough (the guided wizard today; a one-question-at-a-time view
and a dense OT grid can be built over the same session) and free of widgets: a view shows the
errors (through Operations) and draws; the session only keeps what is saved.

Answers are written off the GUI thread (another program may hold the database for a while: a
large import waits up to 30 s), one after another in the order given, so that a second answer
to a question is written after the first and neither is lost. Until a write has returned the
session says the slot is saving, and what was asked; only the use case's receipt changes what
it holds as saved.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from safetycheck.domain.assessment import (
    Answer,
    Assessment,
    RoomInstance,
    effective_facts,
)
from safetycheck.domain.checklist import Checklist, Item, Mode, Urgency
from safetycheck.domain.falls import (
    FALLEN_IN_THE_PAST_YEAR,
    Fall,
    FallsSinceLastVisit,
    fell_in_the_past_year,
)
from safetycheck.domain.scoring import RedFlagFound, find_red_flags
from safetycheck.domain.signoff import SignOff
from safetycheck.domain.steps import Step, StepKind, applicable_slots, steps_before_start
from safetycheck.domain.steps import steps as walkthrough_steps
from safetycheck.domain.visits import AssessmentInfo, PhotoInfo, VisitSnapshot, default_rooms
from safetycheck.services.carry import Carried
from safetycheck.services.errors import ConflictError

from .operations import Change, Operations

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget  # only to name the widget errors are shown over

    from safetycheck.services.assessments import AnswerReceipt
    from safetycheck.services.workspace import Workspace

Slot = tuple[str, str | None]
# How long one question takes, for "about N minutes" on the first-start screen and in the
# walkthrough's progress (read it, look around the room or ask the person, answer): a design
# figure, said to be an estimate, not a measurement of anyone's walkthrough.
SECONDS_PER_QUESTION = 10
# After a place carried by an answer: the question was answered (resume at the one after it).
MOVING_ON = ">"
# A move between the questions of one page is written after this pause (ms), unless an answer
# carrying the place comes first.
PLACE_PAUSE_MS = 400


@dataclass(frozen=True, slots=True)
class AskedAnswer:
    """An answer given and not yet written (or refused): what a view shows while it saves."""

    value: str | float
    note: str = ""
    unit: str = ""


class _Versions:
    """The version of each answer slot as last stored. Read and set by the writing thread (a
    queued second answer needs the version the first one's write returned), replaced by the GUI
    thread when the visit is read again; hence the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[Slot, int] = {}

    def get(self, slot: Slot) -> int | None:
        with self._lock:
            return self._versions.get(slot)

    def set(self, slot: Slot, version: int) -> None:
        with self._lock:
            self._versions[slot] = version

    def replace(self, versions: dict[Slot, int]) -> None:
        with self._lock:
            self._versions = dict(versions)


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A question the walkthrough asks that has no answer yet, and the step that asks it."""

    step: Step
    item: Item

    @property
    def room_name(self) -> str:
        """The room a room check is asked in ("" for the other questions)."""
        return self.step.room.name if self.step.room is not None else ""


@dataclass(frozen=True, slots=True)
class StepProgress:
    """How far one step is: the questions it asks now and how many have an answer (an answer
    being written counts as given)."""

    step: Step
    asked: int
    answered: int

    @property
    def left(self) -> int:
        return self.asked - self.answered


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
    # The assessor's credentials, organisation and contact for the plan's sign-off; None: not
    # shown to them yet (the visit starts with those of their last visit, services/signoff.py).
    details: SignOff | None = None


def by_urgency(flags: Sequence[RedFlagFound]) -> list[tuple[RedFlagFound, list[str]]]:
    """The red flags grouped by their urgency, most urgent first: (a flag of the tier, which
    carries the tier's title and advice; the warning signs of that tier)."""
    groups: dict[Urgency, tuple[RedFlagFound, list[str]]] = {}
    for flag in sorted(flags, key=lambda found: found.urgency.rank):
        groups.setdefault(flag.urgency, (flag, []))[1].append(flag.text)
    return list(groups.values())


def preview_steps(checklist: Checklist, mode: Mode) -> tuple[Step, ...]:
    """The steps of a walkthrough that has not started yet, as if it had the usual rooms and no
    answers (the real rooms come with the visit: they are copied from the last one)."""
    rooms = tuple(
        RoomInstance(f"preview:{n}", spec.kind, spec.name, spec.night_route, spec.stairs_daily)
        for n, spec in enumerate(default_rooms(checklist))
    )
    return steps_before_start(checklist, mode, rooms)


def _record(
    ws: Workspace,
    assessment_id: str,
    versions: _Versions,
    item: str,
    room: str | None,
    asked: AskedAnswer,
    place: str | None = None,
) -> AnswerReceipt:
    """Write one answer (on the writing thread when submitted; it touches no QObject), with the
    place in the walkthrough when given. The version expected is the one the last write to
    this slot returned, so an answer queued behind another to the same question expects the
    version that one wrote."""
    from safetycheck.services import assessments as visits

    receipt = visits.record_answer(
        ws,
        assessment_id,
        item,
        room,
        asked.value,
        note=asked.note,
        unit=asked.unit,
        expected_version=versions.get((item, room)),
        resume_at=place,
    )
    versions.set((item, room), receipt.version)
    return receipt


def _previous_visit(ws: Workspace, snapshot: VisitSnapshot) -> AssessmentInfo | None:
    from safetycheck.services.falls import previous_visit

    return previous_visit(ws, snapshot.info.id)


class WalkthroughSession(QObject):
    """Holds the visit as it is in the database and sends every change through the use cases.
    A method that runs its use case at once raises the use case's errors and changes nothing
    when it fails; `submit` and `remember_place` write in the background, in order, and report
    through the signals (their errors are shown by Operations).

    Signals:
        answer_given(str, object): an answer to this slot (item id, room id or None) was
            given and is being written (`asked` says what it is).
        answered(str, object): an answer was saved (its write returned: it is on disk).
        not_saved(str, object): an answer was refused (the reason has been shown); the slot
            holds what is stored.
        written(): nothing is being written any more (every answer and resume point asked
            for has been written or refused).
        rooms_changed(): rooms were added, renamed or removed, or their tags changed.
        steps_changed(): the list of steps is different now (a room, or an answer that brings
            in or drops a step such as the brace).
    Attributes:
        assessment: the visit as saved (answers in the order given).
        info: its listing (status, person, resume point) as last read.
    """

    answer_given = Signal(str, object)
    answered = Signal(str, object)
    not_saved = Signal(str, object)
    written = Signal()
    rooms_changed = Signal()
    steps_changed = Signal()

    def __init__(
        self,
        ws: Workspace,
        snapshot: VisitSnapshot,
        parent: QObject | None = None,
        carried: Carried | None = None,
    ) -> None:
        """Hold a visit already read (the caller read it, off the GUI thread if it likes), and
        the last visit's answers offered as suggestions (read when first asked for, if not
        given)."""
        super().__init__(parent)
        self._carried = carried
        # A follow-up visit (the person has an earlier one, finished or not) asks about the
        # falls since that visit: the one the falls are counted from (services.falls).
        self.previous = _previous_visit(ws, snapshot)
        self.follow_up = self.previous is not None
        self.ws = ws
        self.assessment_id = snapshot.info.id
        self.assessment: Assessment
        self.info: AssessmentInfo
        self._versions = _Versions()
        self._asked: dict[Slot, list[AskedAnswer]] = {}  # given, oldest first, not yet written
        self._writes = 0  # answers and resume points being written
        self._photos: list[PhotoInfo] = []
        self._facts: dict[str, str] = {}
        self._facts_given: dict[str, str] | None = None  # with the answers being written
        self._steps: tuple[Step, ...] = ()
        self._progress: tuple[StepProgress, ...] | None = None
        self._red_flags: tuple[RedFlagFound, ...] | None = None
        self.place = ""  # where the walkthrough is now (a step key, and "#question")
        self._place_later: tuple[Operations, QWidget | None] | None = None
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(PLACE_PAUSE_MS)
        self._place_timer.timeout.connect(self._place_paused)
        self._hold(snapshot)

    @classmethod
    def open(
        cls, ws: Workspace, assessment_id: str, parent: QObject | None = None
    ) -> WalkthroughSession:
        """Read the visit and hold it."""
        from safetycheck.services import assessments as visits
        from safetycheck.services.carry import carried_answers

        snapshot = visits.load_visit(ws, assessment_id)
        return cls(ws, snapshot, parent, carried_answers(ws, assessment_id))

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
                details=request.details,
            )
        else:
            info = visits.start_assessment(
                ws,
                request.person_id,
                request.assessor,
                request.mode,
                request.mode,
                visit_date=request.visit_date,
                details=request.details,
            )
        return cls.open(ws, info.id, parent)

    def reload(self) -> None:
        """Read the visit again (after a conflict, or when rooms changed)."""
        from safetycheck.services import assessments as visits

        self._hold(visits.load_visit(self.ws, self.assessment_id))

    def _hold(self, snapshot: VisitSnapshot) -> None:
        self.info = snapshot.info
        self.assessment = snapshot.assessment
        self.room_keys = dict(snapshot.room_keys)  # room id -> the room's key across visits
        self._versions.replace(dict(snapshot.versions))
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

    def facts_given(self) -> dict[str, str]:
        """The facts with the answers still being written taken as given: which questions a
        page asks the moment an answer is given, before it is on disk (the grid moves on at
        once, to a follow-up question the answer brings in). An answer refused goes back to
        what is stored, and so do the questions it brought in."""
        if not self._asked:
            return self._facts
        if self._facts_given is None:
            given = {(answer.item, answer.room): answer for answer in self.assessment.answers}
            for (item, room), waiting in self._asked.items():
                if waiting:
                    last = waiting[-1]
                    given[(item, room)] = Answer(item, room, last.value, last.note, last.unit)
            assessment = replace(self.assessment, answers=tuple(given.values()))
            self._facts_given = effective_facts(self.checklist, assessment)
        return self._facts_given

    def carried(self) -> Carried:
        """The last visit's answers, offered beside their questions (read once)."""
        if self._carried is None:
            from safetycheck.services.carry import carried_answers

            self._carried = carried_answers(self.ws, self.assessment_id)
        return self._carried

    def suggestion(self, item: str, room: str | None) -> Answer | None:
        """The last visit's answer to a question not answered yet at this visit (None once
        it has an answer, or one is being written)."""
        if self.answer(item, room) is not None or self.asked(item, room) is not None:
            return None
        if item == FALLEN_IN_THE_PAST_YEAR and self.follow_up:
            said = fell_in_the_past_year(self.assessment.falls, self.info.date)
            if said:
                return Answer(item, None, "yes")  # the falls page recorded one this year
            if said is None:
                return None  # not known from the falls: last year's answer is not offered
        return self.carried().get(item, room)

    def falls_say_fallen(self) -> bool:
        """Whether the falls recorded since the last visit mean a fall in the past year."""
        return bool(fell_in_the_past_year(self.assessment.falls, self.info.date))

    def steps(self) -> tuple[Step, ...]:
        """The walkthrough's steps now, in order (domain.steps: declared once for every view)."""
        return self._steps

    def step(self, key: str) -> Step | None:
        return next((step for step in self._steps if step.key == key), None)

    def answer(self, item: str, room: str | None) -> Answer | None:
        """The answer as stored (never one still being written)."""
        return self.assessment.answer(item, room)

    def asked(self, item: str, room: str | None) -> AskedAnswer | None:
        """The last answer given to this slot while it is being written, else None."""
        waiting = self._asked.get((item, room))
        return waiting[-1] if waiting else None

    @property
    def writing(self) -> bool:
        """Whether an answer or the resume point is still being written."""
        return self._writes > 0

    def rooms(self) -> tuple[RoomInstance, ...]:
        return self.assessment.rooms

    def photos_for(self, item: str, room: str | None) -> list[PhotoInfo]:
        return [p for p in self._photos if (p.item, p.room) == (item, room)]

    def red_flags(self) -> tuple[RedFlagFound, ...]:
        """Red flags raised by the answers so far, most urgent first, each with its urgency's
        title and advice (shown the moment they are answered, not only at the end)."""
        if self._red_flags is None:  # once per change of the answers: every page asks
            self._red_flags = find_red_flags(self.checklist, self.assessment)
        return self._red_flags

    def unanswered(self) -> list[Unanswered]:
        """The questions asked now that have no answer (an answer being written counts as
        given), in walkthrough order, as the scoring counts them."""
        step_of: dict[tuple[str, str | None], Step] = {
            (item.id, step.room_id): step for step in self._steps for item in step.items
        }
        missing: list[Unanswered] = []
        for item, room in applicable_slots(self.checklist, self.assessment):
            slot = (item.id, room.id if room is not None else None)
            given = self.answer(*slot) is not None or self.asked(*slot) is not None
            if given:
                continue
            step = step_of.get(slot)
            if step is not None:
                missing.append(Unanswered(step, item))
        return missing

    def progress(self) -> tuple[StepProgress, ...]:
        """Each step's questions asked now and answered, in walkthrough order (worked out once
        per change: every page's progress line asks for it)."""
        if self._progress is None:
            self._progress = self._count_progress()
        return self._progress

    def _count_progress(self) -> tuple[StepProgress, ...]:
        facts, mode = self._facts, self.mode
        done = []
        for step in self._steps:
            if step.kind is StepKind.FALLS:  # one question, with no checklist item
                done.append(StepProgress(step, 1, int(self.falls().count is not None)))
                continue
            asked = step.asked(facts, mode)
            answered = sum(
                1
                for item in asked
                if self.answer(item.id, step.room_id) is not None
                or self.asked(item.id, step.room_id) is not None
            )
            done.append(StepProgress(step, len(asked), answered))
        return tuple(done)

    def _recompute(self) -> None:
        self._progress = None
        self._facts_given = None
        self._red_flags = None
        before = self._steps
        self._facts = effective_facts(self.checklist, self.assessment)
        self._steps = walkthrough_steps(
            self.checklist, self.assessment, self._facts, follow_up=self.follow_up
        )
        if before and self._steps != before:
            self.steps_changed.emit()

    # ---- changes ------------------------------------------------------------------------------

    def save(
        self, item: str, room: str | None, value: str | float, note: str = "", unit: str = ""
    ) -> Answer:
        """Save one answer now, on this thread; it is on disk when this returns. Returns the
        answer as stored. (For scripts and tests: the views use `submit`.)"""
        asked = AskedAnswer(value, note, unit)
        receipt = _record(self.ws, self.assessment_id, self._versions, item, room, asked)
        self._stored(item, room, receipt)
        return receipt.answer

    def submit(
        self,
        ops: Operations,
        parent: QWidget | None,
        item: str,
        room: str | None,
        asked: AskedAnswer,
        *,
        title: str,
    ) -> None:
        """Write one answer in the background, after every answer given before it. At once:
        `answer_given`; when the write returned: `answered` (the answer is on disk), or the
        reason shown over `parent`, titled `title`, and `not_saved`."""
        slot = (item, room)
        ws, visit, versions = self.ws, self.assessment_id, self._versions
        self._asked.setdefault(slot, []).append(asked)
        self._progress = None
        self._facts_given = None
        self._writes += 1
        self.answer_given.emit(item, room)

        def done(receipt: AnswerReceipt) -> None:
            self._given(slot)
            self._stored(item, room, receipt)
            self._wrote()

        def failed(error: Exception) -> None:
            self._given(slot)
            if place:
                # The place went with the refused answer: write it on its own after all.
                self._place_later = (ops, parent)
                self._place_timer.start()
            if isinstance(error, ConflictError):  # someone else's answer: hold theirs
                ops.now(parent, self.reload, title=self.tr("The visit was not read"))
            self.not_saved.emit(item, room)
            self._wrote()

        # The answer carries the place (the question being answered, marked ">": answered, so
        # a walkthrough resumed there goes on to the next question): a place noted since and
        # not yet written needs no write of its own.
        place = (f"{self.place}{MOVING_ON}" if "#" in self.place else self.place) or None
        self._place_timer.stop()
        ops.change(
            parent,
            lambda: _record(ws, visit, versions, item, room, asked, place),
            Change.ANSWERS,
            title=title,
            done=done,
            failed=failed,
            in_order=True,
            owner=self,
        )

    def _given(self, slot: Slot) -> None:
        self._progress = None
        self._facts_given = None
        waiting = self._asked.get(slot)
        if waiting:
            waiting.pop(0)
        if not waiting:
            self._asked.pop(slot, None)

    def _wrote(self) -> None:
        self._writes -= 1
        if self._writes == 0:
            self.written.emit()

    def _stored(self, item: str, room: str | None, receipt: AnswerReceipt) -> None:
        kept = tuple(a for a in self.assessment.answers if (a.item, a.room) != (item, room))
        self.assessment = replace(self.assessment, answers=(*kept, receipt.answer))
        self._recompute()
        self.answered.emit(item, room)

    def falls(self) -> FallsSinceLastVisit:
        """The falls since the last visit, as saved (count None: not asked yet)."""
        return self.assessment.falls or FallsSinceLastVisit(None)

    def write_falls(self, count: int, falls: Sequence[Fall]) -> FallsSinceLastVisit:
        """Save the falls since the last visit (the whole report replaces the one before), on
        any thread: it touches nothing held here. Raises the use case's errors and changes
        nothing when it fails; `hold_falls` then keeps what was written (on the GUI thread)."""
        from safetycheck.services.falls import record_falls

        return record_falls(self.ws, self.assessment_id, count, falls)

    def hold_falls(self, report: FallsSinceLastVisit) -> None:
        """The falls as written (GUI thread: the session's values change only there)."""
        self.assessment = replace(self.assessment, falls=report)
        self._progress = None

    def hold_signoff(self, signoff: SignOff) -> None:
        """The sign-off details and next review as written (GUI thread, like hold_falls)."""
        assessor = replace(
            self.assessment.assessor,
            credentials=signoff.credentials,
            organisation=signoff.organisation,
            contact=signoff.contact,
        )
        self.assessment = replace(
            self.assessment, assessor=assessor, next_review=signoff.next_review
        )

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

    def move_room(self, room_id: str, offset: int) -> None:
        """Move a room earlier (-1) or later (+1) on the route through the house."""
        from safetycheck.services import assessments as visits

        visits.move_room(self.ws, room_id, offset)
        self._rooms_reloaded()

    def remove_room(self, room_id: str) -> None:
        from safetycheck.services import assessments as visits

        visits.remove_room(self.ws, room_id)
        self._rooms_reloaded()

    def _rooms_reloaded(self) -> None:
        self.reload()
        self.rooms_changed.emit()

    def remember_place(
        self, ops: Operations, parent: QWidget | None, key: str, soon: bool = False
    ) -> None:
        """Where the walkthrough is, so that it resumes exactly here: written in the
        background, in order with the answers (so an answer acknowledged on a page means the
        walkthrough resumes on that page or later).

        `soon`: a move between the questions of one page, written after a short pause unless
        an answer (which carries the place) or another move comes first; at the pace of the
        guided view that is one write fewer per answer, and no answer waits behind it."""
        self.place = key
        self._place_timer.stop()
        if soon:
            self._place_later = (ops, parent)
            self._place_timer.start()
            return
        self._write_place(ops, parent, key)

    def flush_place(self) -> None:
        """Write a place still waiting for its pause (the window is closing)."""
        if self._place_timer.isActive() and self._place_later is not None:
            self._place_timer.stop()
            ops, parent = self._place_later
            self._write_place(ops, parent, self.place)

    def _place_paused(self) -> None:
        if self._place_later is not None:
            ops, parent = self._place_later
            self._write_place(ops, parent, self.place)

    def _write_place(self, ops: Operations, parent: QWidget | None, key: str) -> None:
        from safetycheck.services import assessments as visits

        ws, visit = self.ws, self.assessment_id
        self._writes += 1
        ops.change(
            parent,
            lambda: visits.set_resume_point(ws, visit, key),
            Change.VISITS,
            title=self.tr("The place in the walkthrough was not saved"),
            done=lambda _none: self._wrote(),
            failed=lambda _error: self._wrote(),
            in_order=True,
            owner=self,
        )
