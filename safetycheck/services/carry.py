"""What a follow-up visit offers from the last one: each earlier answer as a suggestion beside
its question, never as an answer.

The rooms are copied forward with their keys when a visit starts (assessments.start), so an
answer given in "the hall" last time is offered in the same hall now, whatever it is called or
wherever it sits on the route. Every answer is offered but a red-flag question's (a warning
sign is asked afresh at every visit, with nothing beside it to nod to). Kept all at once (the
grid's C): every room, home, footwear and brace answer, and the person's stable facts (items
marked `stable` in the content: foot drop, its side and cause, the brace, the walking aid,
diabetes, medicines); the rest of the person's page (the screening questions, frailty, falls,
the gait tests, habits) describes the person now, and is kept one question at a time, each
asked again. An answer the current checklist would refuse (a retired option) is not offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from safetycheck.domain.assessment import Answer, AnswerValueError, VisitStatus, check_answer
from safetycheck.domain.checklist import Checklist, Item, Page
from safetycheck.domain.visits import AssessmentInfo, Slot
from safetycheck.services.assessments import read_snapshot
from safetycheck.services.ports import UnitOfWork
from safetycheck.services.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Carried:
    """The last visit's answers, keyed by this visit's slots (item id, this visit's room id).

    Attributes:
        since: the visit they come from (None on a first visit: nothing is offered).
    """

    since: AssessmentInfo | None = None
    answers: Mapping[Slot, Answer] = field(default_factory=dict)

    def get(self, item: str, room: str | None) -> Answer | None:
        return self.answers.get((item, room))


def offered(item: Item) -> bool:
    """Whether a follow-up shows the last answer to this question beside it."""
    return item.red_flag is None


def kept_together(item: Item) -> bool:
    """Whether the last answer may be kept with a page's others at once (what was seen in the
    home, and the person's stable facts), rather than asked again one by one."""
    return offered(item) and (item.page is not Page.PERSON or item.stable)


def _source_visit(uow: UnitOfWork, current: AssessmentInfo) -> AssessmentInfo | None:
    """The newest earlier finished visit of the person (a visit left unfinished has gaps), else
    the newest earlier one."""
    newest = uow.visits.latest(current.person_id, before=current)
    candidate = newest
    while candidate is not None and candidate.status is not VisitStatus.COMPLETED:
        candidate = uow.visits.latest(current.person_id, before=candidate)
    return candidate or newest


def carried_answers(ws: Workspace, assessment_id: str) -> Carried:
    """The suggestions for this visit, read in one read-only unit of work."""
    checklist: Checklist = ws.content.checklist
    with ws.unit_of_work(read_only=True) as uow:
        current = read_snapshot(uow, assessment_id)
        source = _source_visit(uow, current.info)
        if source is None:
            return Carried()
        earlier = read_snapshot(uow, source.id)
    room_now = {key: room_id for room_id, key in current.room_keys.items()}
    answers: dict[Slot, Answer] = {}
    for answer in earlier.assessment.answers:
        if not checklist.has_item(answer.item):
            continue  # retired since (its replacement, if any, is asked afresh)
        item = checklist.item(answer.item)
        if not offered(item):
            continue
        room: str | None = None
        if answer.room is not None:
            key = earlier.room_keys.get(answer.room)
            room = room_now.get(key) if key is not None else None
            if room is None:
                continue  # that room is not in this visit's home
        try:
            check_answer(item, answer.value, answer.unit)
        except AnswerValueError:
            continue
        answers[(item.id, room)] = Answer(item.id, room, answer.value, "", answer.unit)
    return Carried(source, answers)


__all__ = ["Carried", "carried_answers", "kept_together", "offered"]
