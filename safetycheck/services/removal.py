"""Use cases: delete a visit or a person (with everything that belongs to them), say first what
will go, and undo a deletion for the rest of the session.

A deletion hands back a `Removal`: what went, in words, the visits as interchange documents (so
the UI can offer to save a copy), and the rows exactly as they were stored, kept in memory. The
interchange file alone cannot undo a deletion: by design it holds no versions, room keys or
action ids, and an import stores a new visit. `restore` puts back the same ids, versions,
room keys, actions (ticks and edits), photos and falls, in one unit of work, or nothing.

Deleting a visit that later visits compare with is fine: a comparison always looks for the
person's newest earlier finished visit, which is then the one before. A falls record that
counted from the deleted visit keeps its id and date as written, and is whole again if the
deletion is undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safetycheck.domain.dates import long_date
from safetycheck.domain.visits import AssessmentInfo, KeptVisit, PersonView
from safetycheck.exchange.assessment_json import assessment_to_document
from safetycheck.services.assessments import in_walkthrough_order
from safetycheck.services.errors import ConflictError, NotFoundError
from safetycheck.services.ports import UnitOfWork
from safetycheck.services.workspace import Workspace
from safetycheck.store.errors import ConcurrentEditError

__all__ = [
    "Removal",
    "delete_person",
    "delete_visit",
    "removal_summary_person",
    "removal_summary_visit",
    "restore",
]

PAGE = 500  # visits read per statement when a person's are gathered


@dataclass(frozen=True)
class Removal:
    """What one deletion took away, kept for the session so it can be undone.

    `what` is plain words for a message ("the visit of 3 May 2026 with 4 photos");
    `documents` are the visits as interchange documents, photos included (the file the File
    menu's export writes); `person` is the person deleted, or None when only a visit went.
    `kept` is what `restore` puts back."""

    what: str
    documents: tuple[dict[str, Any], ...]
    person: PersonView | None
    kept: tuple[KeptVisit, ...] = field(default=(), repr=False)


def _count(number: int, word: str, plural: str | None = None) -> str:
    if number == 0:
        return f"no {plural or word + 's'}"
    return f"{number} {word if number == 1 else plural or word + 's'}"


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _visit_info(uow: UnitOfWork, visit_id: str) -> AssessmentInfo:
    info = uow.visits.info(visit_id)
    if info is None:
        raise NotFoundError(f"no assessment with id '{visit_id}'")
    return info


def _person(uow: UnitOfWork, person_id: str) -> PersonView:
    person = uow.people.get(person_id)
    if person is None:
        raise NotFoundError(f"no person with id '{person_id}'")
    return person


def _visits_of(uow: UnitOfWork, person_id: str) -> list[AssessmentInfo]:
    """Every visit of the person, newest first."""
    found: list[AssessmentInfo] = []
    after: str | None = None
    while True:
        rows, after, more = uow.visits.page(person_id, "", after, PAGE)
        found.extend(rows)
        if not more:
            return found


def _falls_words(uow: UnitOfWork, visit_id: str) -> str:
    """The falls recorded at a visit, in words ("" when none were recorded)."""
    report = uow.visits.falls(visit_id)
    if report is None or report.count is None:
        return ""
    since = "since the visit before"
    if report.count == 0:
        return f"the falls record (no falls {since})"
    return f"the falls record ({_count(report.count, 'fall')} {since})"


def _visit_words(
    uow: UnitOfWork, info: AssessmentInfo, day: Callable[[date], str]
) -> tuple[str, list[str]]:
    """The visit named (whose, when, by whom: two visits of one day told apart), and what goes
    with it."""
    photos = len(uow.visits.photos(info.id))
    parts = ["its answers"]
    if photos:
        parts.append(_count(photos, "photo"))
    falls = _falls_words(uow, info.id)
    if falls:
        parts.append(falls)
    by = f" by {info.assessor_name}" if info.assessor_name else ""
    return f"{info.person_name}'s visit of {day(info.date)}{by}", parts


def removal_summary_visit(
    ws: Workspace, visit_id: str, day: Callable[[date], str] = long_date
) -> str:
    """What deleting the visit takes away, in one sentence, for the confirmation; `day` writes
    its date (the program's one date format, from the front end)."""
    with ws.unit_of_work(read_only=True) as uow:
        info = _visit_info(uow, visit_id)
        name, parts = _visit_words(uow, info, day)
    return f"This deletes {name}, with {_and(parts)}."


def _person_counts(uow: UnitOfWork, person_id: str) -> tuple[list[AssessmentInfo], int, int]:
    """The person's visits, their photos and their falls records."""
    visits = _visits_of(uow, person_id)
    photos = sum(len(uow.visits.photos(info.id)) for info in visits)
    falls = len(uow.visits.falls_of_person(person_id))
    return visits, photos, falls


def removal_summary_person(ws: Workspace, person_id: str) -> str:
    """What deleting the person takes away, in one sentence, for the confirmation."""
    with ws.unit_of_work(read_only=True) as uow:
        person = _person(uow, person_id)
        visits, photos, falls = _person_counts(uow, person_id)
    if not visits:
        return f"This deletes {person.name} and their details; they have no visits."
    parts = [
        _count(len(visits), "visit"),
        "their answers",
        _count(photos, "photo"),
        _count(falls, "falls record"),
    ]
    return f"This deletes {person.name} and their details, with {_and(parts)}."


def _document(ws: Workspace, kept: KeptVisit) -> dict[str, Any]:
    assessment = in_walkthrough_order(ws.content.checklist, kept.snapshot.assessment)
    return assessment_to_document(
        assessment,
        exported_at=ws.now().isoformat(timespec="seconds"),
        room_keys=kept.snapshot.room_keys,  # a fall's room is named by its room in the copy
    )


def _kept(uow: UnitOfWork, visit_id: str) -> KeptVisit:
    kept = uow.visits.kept(visit_id)
    if kept is None:
        raise NotFoundError(f"no assessment with id '{visit_id}'")
    return kept


def delete_visit(ws: Workspace, visit_id: str, day: Callable[[date], str] = long_date) -> Removal:
    """Delete one visit with its rooms, answers, photos, actions and falls record, in one unit
    of work; returns what went, to undo with `restore` (`day` writes its date in `what`)."""
    with ws.unit_of_work() as uow:
        info = uow.visits.lock(visit_id)  # no answer is saved to it while it goes
        if info is None:
            raise NotFoundError(f"no assessment with id '{visit_id}'")
        kept = _kept(uow, visit_id)
        photos = len(kept.snapshot.assessment.photos)
        what = f"the visit of {day(info.date)}"
        if photos:
            what += f" with {_count(photos, 'photo')}"
        removal = Removal(what, (_document(ws, kept),), None, (kept,))
        uow.visits.delete(visit_id)
        uow.commit()
    return removal


def delete_person(ws: Workspace, person_id: str) -> Removal:
    """Delete a person with all their visits (and everything of the visits), in one unit of
    work; returns what went, to undo with `restore`."""
    with ws.unit_of_work() as uow:
        person = _person(uow, person_id)
        kept = tuple(_kept(uow, info.id) for info in reversed(_visits_of(uow, person_id)))
        photos = sum(len(visit.snapshot.assessment.photos) for visit in kept)
        what = f"{person.name} with {_count(len(kept), 'visit')} and {_count(photos, 'photo')}"
        removal = Removal(what, tuple(_document(ws, visit) for visit in kept), person, kept)
        uow.people.delete(person_id)
        uow.commit()
    return removal


def restore(ws: Workspace, removal: Removal) -> None:
    """Put back exactly what a deletion took away (the same ids, versions, room keys, actions,
    photos and falls), all or nothing, in one unit of work.

    Refused with ConflictError, and nothing changed, when what it would put back is there again
    (undone already, or the same person brought back from a file) or the visit's person has
    been deleted since."""
    refused = f"{removal.what[:1].upper()}{removal.what[1:]} cannot be put back"
    now = ws.now()
    with ws.unit_of_work() as uow:
        if removal.person is not None:
            if uow.people.exists(removal.person.id):
                raise ConflictError(
                    f"{refused}: {removal.person.name} is in the program again (brought back "
                    "already, or from a file). Nothing was changed."
                )
            try:
                uow.people.put_back(removal.person, now)
            except ConcurrentEditError:  # added by another program just now
                raise ConflictError(
                    f"{refused}: {removal.person.name} is in the program again. "
                    "Nothing was changed."
                ) from None
        for kept in removal.kept:
            info = kept.snapshot.info
            if uow.visits.info(info.id) is not None:
                raise ConflictError(
                    f"{refused}: the visit of {long_date(info.date)} is in the program again. "
                    "Nothing was changed."
                )
            if not uow.people.exists(info.person_id):
                raise ConflictError(
                    f"{refused}: {info.person_name} has been deleted since. Nothing was changed."
                )
            try:
                uow.visits.put_back(kept, now)
            except ConcurrentEditError:
                raise ConflictError(
                    f"{refused}: part of it has been stored again since. Nothing was changed."
                ) from None
        uow.commit()
