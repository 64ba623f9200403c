"""The sign-off of a visit's plan: the assessor's credentials, organisation and contact, when the
plan is to be reviewed, and the home exercises a therapist prescribed; the one check of each value.

The use cases (services/assessments.py) and the interchange reader (exchange/assessment_json.py)
both call these checks, each adding where the value came from.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from safetycheck.domain.assessment import Assessment, Prescription
from safetycheck.domain.checklist import Mode

# The home exercises of the foot-drop guidance, by id: those data/report/exercises.toml (the
# exercise page's content) names and words. The use cases check a prescription against the
# content's own list; this one is for a reader given none (reading a file to score or print it),
# and a test keeps the two the same. An id, once shipped, is never renamed or reused.
EXERCISE_IDS: tuple[str, ...] = (
    "toe_lifts",
    "ankle_alphabet",
    "towel_slides",
    "band_dorsiflexion",
    "heel_walking",
    "calf_stretch",
)
MAX_DETAIL = 200  # credentials, organisation, contact: as long as the assessor's name may be
MAX_DOSE = 200
MAX_EXERCISE_ID = 40
REVIEW_WITHIN_YEARS = 5  # a review date further off is a typing mistake, not a plan

# The words each detail is called by, for messages (the labels the program shows).
DETAIL_WORDS = {
    "credentials": "The credentials or registration number",
    "organisation": "The organisation",
    "contact": "The telephone or e-mail",
}


class SignOffValueError(ValueError):
    """A sign-off value or prescription that cannot be stored; `field` names the part
    ("credentials", "next_review", "exercise", "dose") and `index` the prescription (or None)."""

    def __init__(self, problem: str, field: str, index: int | None = None) -> None:
        super().__init__(problem)
        self.field = field
        self.index = index


@dataclass(frozen=True, slots=True)
class SignOff:
    """What the plan's sign-off prints beside the assessor's name and role and the date."""

    credentials: str = ""
    organisation: str = ""
    contact: str = ""
    next_review: date | None = None

    @classmethod
    def of(cls, assessment: Assessment) -> SignOff:
        assessor = assessment.assessor
        return cls(
            assessor.credentials, assessor.organisation, assessor.contact, assessment.next_review
        )


def one_line(text: str) -> str:
    """A one-line field as typed into the program, its spaces tidied: the ends trimmed, and a
    run of spaces, tabs or line breaks (pasted in) made one space. (A file's values are read
    exactly as written: only the program's own forms tidy.)"""
    return " ".join(text.split()) if isinstance(text, str) else text


def tidied(signoff: SignOff) -> SignOff:
    """The sign-off with each detail's spaces tidied (`one_line`)."""
    return SignOff(
        one_line(signoff.credentials),
        one_line(signoff.organisation),
        one_line(signoff.contact),
        signoff.next_review,
    )


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0


def check_line(text: object, field: str, words: str, limit: int, index: int | None = None) -> str:
    """One line of text as typed (kept exactly): at most `limit` characters, no control
    characters (a line break included: it is printed on one line), nothing that is not text."""
    if not isinstance(text, str):
        raise SignOffValueError(f"{words} must be text, not {type(text).__name__}.", field, index)
    if len(text) > limit:
        raise SignOffValueError(f"{words} can be at most {limit} characters.", field, index)
    if any(_is_control(ch) for ch in text):
        raise SignOffValueError(
            f"{words} contains a control character (a line break or tab cannot be printed on "
            "its line).",
            field,
            index,
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text
        raise SignOffValueError(
            f"{words} contains something that is not text.", field, index
        ) from None
    return text


def check_next_review(when: object, visit_date: date) -> date | None:
    """The next review: none, or a day from the visit's own to REVIEW_WITHIN_YEARS after it."""
    if when is None:
        return None
    if not isinstance(when, date) or isinstance(when, datetime):  # a day, not a moment
        raise SignOffValueError("The next review must be a date.", "next_review")
    if when < visit_date:
        raise SignOffValueError(
            f"The next review ({when.isoformat()}) cannot be before the visit "
            f"({visit_date.isoformat()}).",
            "next_review",
        )
    if when > latest_review(visit_date):
        raise SignOffValueError(
            f"The next review ({when.isoformat()}) is more than {REVIEW_WITHIN_YEARS} years "
            "after the visit; check the year.",
            "next_review",
        )
    return when


def latest_review(visit_date: date) -> date:
    """The last day a next review may be set to: REVIEW_WITHIN_YEARS after the visit."""
    try:
        return visit_date.replace(year=visit_date.year + REVIEW_WITHIN_YEARS)
    except ValueError:  # 29 February
        return visit_date.replace(year=visit_date.year + REVIEW_WITHIN_YEARS, day=28)


def check_signoff(signoff: SignOff, visit_date: date) -> SignOff:
    """The sign-off as it will be stored (values kept exactly as given), or SignOffValueError."""
    credentials, organisation, contact = (
        check_line(getattr(signoff, name), name, words, MAX_DETAIL)
        for name, words in DETAIL_WORDS.items()
    )
    return SignOff(
        credentials, organisation, contact, check_next_review(signoff.next_review, visit_date)
    )


def check_prescriptions(
    prescriptions: Sequence[object], role: Mode, known: Collection[str] = EXERCISE_IDS
) -> tuple[Prescription, ...]:
    """The home exercises as they will be stored, in the order given: each a known exercise
    (`known`: the ids the content lists), at most once, with a dose of at most MAX_DOSE
    characters on one line (may be empty: as the exercise page says). Only an occupational
    therapist prescribes them."""
    if isinstance(prescriptions, str | bytes) or not isinstance(prescriptions, Sequence):
        raise SignOffValueError("The home exercises must be a list.", "exercises")
    if prescriptions and role is not Mode.OT:
        raise SignOffValueError(
            "Only an occupational therapist's visit can prescribe home exercises.", "exercises"
        )
    checked: list[Prescription] = []
    seen: set[str] = set()
    for index, prescription in enumerate(prescriptions):
        if not isinstance(prescription, Prescription):
            raise SignOffValueError("A home exercise is not a prescription.", "exercise", index)
        exercise = prescription.exercise
        if not isinstance(exercise, str) or exercise not in known:
            raise SignOffValueError(
                f"{exercise!r} is not one of the home exercises ({', '.join(known)}).",
                "exercise",
                index,
            )
        if exercise in seen:
            raise SignOffValueError(f"'{exercise}' is prescribed twice.", "exercise", index)
        seen.add(exercise)
        dose = check_line(prescription.dose, "dose", f"The dose of '{exercise}'", MAX_DOSE, index)
        checked.append(Prescription(exercise, dose))
    return tuple(checked)
