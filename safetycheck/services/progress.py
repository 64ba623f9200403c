"""Use case: everything the summary of a visit shows, read in one unit of work (one moment):
the visit, its evaluation, the change since the person's last finished visit, and the notes
and photos recorded against its questions."""

from __future__ import annotations

from dataclasses import dataclass

from safetycheck.domain.assessment import Assessment, VisitStatus
from safetycheck.domain.checklist import Checklist
from safetycheck.domain.evaluation import Evaluation, evaluate, since_last_visit
from safetycheck.domain.visits import AssessmentInfo
from safetycheck.imaging import NotAnImageError, thumbnail
from safetycheck.services.assessments import (
    Comparison,
    comparison,
    in_walkthrough_order,
    read_snapshot,
)
from safetycheck.services.workspace import Workspace

THUMBNAIL_SIDE = 160  # pixels: the summary shows photos as small pictures, not to study them


@dataclass(frozen=True, slots=True)
class Recorded:
    """A note or a photo, with the question it was recorded against and where."""

    question: str
    where: str  # the room's name, "" for a question about the person or the home
    note: str = ""  # a note's text ("" for a photo)
    filename: str = ""  # a photo's file name ("" for a note)
    thumbnail: bytes = b""  # a small JPEG of the photo (empty when it cannot be decoded)


@dataclass(frozen=True, slots=True)
class SinceLastVisit:
    """The change since the last finished visit: the comparison, and the same in words."""

    comparison: Comparison
    line: str


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """What the summary of one visit shows."""

    info: AssessmentInfo
    evaluation: Evaluation
    since_last: SinceLastVisit | None  # None: no earlier finished visit of this person
    notes: tuple[Recorded, ...]
    photos: tuple[Recorded, ...]


def _question(checklist: Checklist, item_id: str) -> str:
    if checklist.has_item(item_id):
        return checklist.item(item_id).text
    return item_id  # a question an earlier checklist asked: its id is all that is left of it


def _where(assessment: Assessment, room_id: str | None) -> str:
    if room_id is None:
        return ""
    try:
        return assessment.room(room_id).name
    except KeyError:
        return ""


def _recorded(
    checklist: Checklist, assessment: Assessment
) -> tuple[list[Recorded], list[Recorded]]:
    """The notes and photos in walkthrough order (the assessment is already in that order)."""
    notes = [
        Recorded(_question(checklist, a.item), _where(assessment, a.room), note=a.note.strip())
        for a in assessment.answers
        if a.note.strip()
    ]
    photos = []
    for photo in assessment.photos:
        # From the print copy where there is one: a smaller picture to decode.
        source = photo.for_print.data if photo.for_print is not None else photo.data
        try:
            small = thumbnail(source, THUMBNAIL_SIDE)
        except NotAnImageError:  # stored before photos were checked in full: listed by name
            small = b""
        photos.append(
            Recorded(
                _question(checklist, photo.item),
                _where(assessment, photo.room),
                filename=photo.filename,
                thumbnail=small,
            )
        )
    return notes, photos


def visit_summary(ws: Workspace, assessment_id: str) -> VisitSummary:
    """The visit, its evaluation, the change since the last finished visit (a visit started
    and never finished is not a "last visit"), its notes and photos: one read-only unit of
    work, so all of it is from one moment."""
    checklist = ws.content.checklist
    with ws.unit_of_work(read_only=True) as uow:
        current = read_snapshot(uow, assessment_id, with_photos=True)
        assessment = in_walkthrough_order(checklist, current.assessment)
        evaluation = evaluate(ws.content, assessment)
        found = comparison(uow, ws, current, evaluation.result)
        previous = uow.visits.info(found.previous_id) if found is not None else None
    since_last = None
    if found is not None and previous is not None and previous.status is VisitStatus.COMPLETED:
        line = since_last_visit(
            score_then=found.score_then,
            score_now=found.score_now,
            level_then=found.level_then,
            level_now=found.level_now,
            fixed=len(found.fixed),
            new=len(found.new),
            not_checked=len(found.not_checked),
            complete=evaluation.result.complete,
        )
        since_last = SinceLastVisit(found, line)
    notes, photos = _recorded(checklist, assessment)
    return VisitSummary(current.info, evaluation, since_last, tuple(notes), tuple(photos))
