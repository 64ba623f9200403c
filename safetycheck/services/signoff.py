"""Use cases for the plan's sign-off and the home exercises: the assessor's credentials,
organisation and contact, the next review, and the exercises a therapist prescribed.

Each is one unit of work that locks the visit, checks everything (domain/signoff.py, the one
check the interchange reader also calls) and writes it; a refused value changes nothing, and
what is returned is on disk. None of them changes the visit's answers or result, so a finished
visit takes them too (the plan is signed after it is finished).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from safetycheck.domain.assessment import Prescription
from safetycheck.domain.checklist import Mode
from safetycheck.domain.signoff import (
    SignOff,
    SignOffValueError,
    check_prescriptions,
    check_signoff,
    one_line,
    tidied,
)
from safetycheck.domain.visits import AssessmentInfo
from safetycheck.services.errors import InvalidInputError, NotFoundError
from safetycheck.services.ports import UnitOfWork
from safetycheck.services.workspace import Workspace

__all__ = [
    "ExerciseChoice",
    "SignOff",
    "SignOffView",
    "assessor_details",
    "exercise_choices",
    "read_signoff",
    "set_assessor_details",
    "set_exercises",
    "set_next_review",
    "set_signoff",
]


@dataclass(frozen=True, slots=True)
class ExerciseChoice:
    """A home exercise a therapist can prescribe: its id, its name, and the dose offered when it
    is ticked (the therapist changes it to what they prescribe)."""

    id: str
    name: str
    default_dose: str


def exercise_choices(ws: Workspace) -> tuple[ExerciseChoice, ...]:
    """The home exercises this program can prescribe (the exercise page's content,
    data/report/exercises.toml), in the order the content lists them."""
    return tuple(
        ExerciseChoice(exercise.id, exercise.name, exercise.dose)
        for exercise in ws.content.exercises.exercises
    )


@dataclass(frozen=True, slots=True)
class SignOffView:
    """A visit's sign-off as stored, with the visit (its date and the assessor's role)."""

    info: AssessmentInfo
    signoff: SignOff
    exercises: tuple[Prescription, ...]

    @property
    def prescribes(self) -> bool:
        """Whether this visit can prescribe home exercises (an occupational therapist's)."""
        return self.info.assessor_role is Mode.OT


def _locked(uow: UnitOfWork, assessment_id: str) -> AssessmentInfo:
    info = uow.visits.lock(assessment_id)
    if info is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return info


def _stored_signoff(uow: UnitOfWork, assessment_id: str) -> SignOff:
    found = uow.visits.signoff(assessment_id)
    if found is None:
        raise NotFoundError(f"no assessment with id '{assessment_id}'")
    return found


def read_signoff(ws: Workspace, assessment_id: str) -> SignOffView:
    """The visit's sign-off details, next review and home exercises, read in one moment."""
    with ws.unit_of_work(read_only=True) as uow:
        info = uow.visits.info(assessment_id)
        if info is None:
            raise NotFoundError(f"no assessment with id '{assessment_id}'")
        return SignOffView(
            info, _stored_signoff(uow, assessment_id), uow.visits.exercises(assessment_id)
        )


def assessor_details(ws: Workspace, assessor_name: str, role: Mode) -> SignOff:
    """The credentials, organisation and contact the same assessor (name and role) gave at
    their newest visit that has any, for a new visit to start with (all empty: none has)."""
    name = " ".join(assessor_name.split())[:200]  # as a visit stores it
    if not name:
        return SignOff()
    with ws.unit_of_work(read_only=True) as uow:
        return uow.visits.latest_signoff(name, role) or SignOff()


def _write(ws: Workspace, assessment_id: str, change: Callable[[SignOff], SignOff]) -> SignOff:
    """Check and write the sign-off `change` makes of the stored one, in one unit of work;
    returns it as stored."""
    with ws.unit_of_work() as uow:
        info = _locked(uow, assessment_id)
        candidate = change(_stored_signoff(uow, assessment_id))
        try:
            checked = check_signoff(tidied(candidate), info.date)
        except SignOffValueError as exc:
            raise InvalidInputError(str(exc)) from None
        uow.visits.set_signoff(assessment_id, checked)
        uow.visits.touch(assessment_id, ws.now())
        uow.commit()
    return checked


def set_signoff(
    ws: Workspace,
    assessment_id: str,
    credentials: str,
    organisation: str,
    contact: str,
    next_review: date | None,
) -> SignOff:
    """Set everything the plan's sign-off prints beside the assessor's name: credentials or
    registration number, organisation, telephone or e-mail (each may be empty) and the next
    review (None: not set; else a day from the visit's to five years after). Spaces are tidied
    (one line each). Refused with InvalidInputError, nothing written, for a value that cannot
    be stored. Durable when it returns; returns the sign-off as stored."""
    wanted = SignOff(credentials, organisation, contact, next_review)
    return _write(ws, assessment_id, lambda _stored: wanted)


def set_assessor_details(
    ws: Workspace, assessment_id: str, credentials: str, organisation: str, contact: str
) -> SignOff:
    """Like set_signoff for the assessor's details only: the next review stays as stored."""
    return _write(
        ws,
        assessment_id,
        lambda stored: replace(
            stored, credentials=credentials, organisation=organisation, contact=contact
        ),
    )


def set_next_review(ws: Workspace, assessment_id: str, next_review: date | None) -> SignOff:
    """Like set_signoff for the next review only: the assessor's details stay as stored."""
    return _write(ws, assessment_id, lambda stored: replace(stored, next_review=next_review))


def set_exercises(
    ws: Workspace, assessment_id: str, prescriptions: Sequence[Prescription]
) -> tuple[Prescription, ...]:
    """Prescribe these home exercises for the visit, in this order, replacing those prescribed
    before (an empty list: none, and no exercise page is printed). Each must be one of
    `exercise_choices`, at most once, with its dose on one line of at most 200 characters
    (spaces tidied); only an occupational therapist's visit prescribes. Refused with
    InvalidInputError, nothing written; durable when it returns; returns them as stored."""
    known = [choice.id for choice in exercise_choices(ws)]
    if isinstance(prescriptions, str | bytes) or not isinstance(prescriptions, Sequence):
        raise InvalidInputError("The home exercises must be a list.")
    tidy = [
        replace(p, dose=one_line(p.dose)) if isinstance(p, Prescription) else p
        for p in prescriptions
    ]
    with ws.unit_of_work() as uow:
        info = _locked(uow, assessment_id)
        try:
            checked = check_prescriptions(tidy, info.assessor_role, known)
        except SignOffValueError as exc:
            raise InvalidInputError(str(exc)) from None
        uow.visits.set_exercises(assessment_id, checked)
        uow.visits.touch(assessment_id, ws.now())
        uow.commit()
    return checked
