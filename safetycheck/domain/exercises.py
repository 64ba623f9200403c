"""The home exercise page: the exercises a therapist may prescribe (from
data/report/exercises.toml), the evening quick check, and the page of one person's prescribed
exercises (a pure builder: only those prescribed, in the therapist's order, with the dose as
prescribed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safetycheck.domain.assessment import Assessment
from safetycheck.domain.checklist import Source

# The week of tick boxes, Monday first.
WEEK_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Exercise:
    """One home exercise, in our own plain words."""

    id: str  # what a Prescription names ("toe_lifts")
    name: str
    how: tuple[str, ...]  # how to do it: two to four short sentences
    dose: str  # offered when the therapist gives no dose of their own
    cautions: tuple[str, ...]
    sources: tuple[str, ...]  # ids of ExerciseContent.sources the wording was checked against


@dataclass(frozen=True, slots=True)
class EveningCheck:
    """The one-page evening quick check: a short list to tick every evening."""

    title: str
    intro: str
    items: tuple[str, ...]  # "Walkways clear: nothing on the floor…"
    after: tuple[str, ...]  # printed under the boxes: what to do if something is not right
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExerciseContent:
    """Everything data/report/exercises.toml holds, checked at load."""

    title: str
    intro: str
    cautions: tuple[str, ...]  # for every exercise: printed once, above them
    exercises: tuple[Exercise, ...]
    evening: EveningCheck
    sources: tuple[Source, ...]

    def exercise(self, exercise_id: str) -> Exercise | None:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        return None

    def source_titles(self, ids: tuple[str, ...]) -> tuple[str, ...]:
        """The titles of these sources, each once, in the content's order."""
        wanted = set(ids)
        return tuple(source.title for source in self.sources if source.id in wanted)


@dataclass(frozen=True, slots=True)
class PrescribedExercise:
    """One exercise as printed for this person: the dose is the therapist's."""

    name: str
    how: tuple[str, ...]
    dose: str
    cautions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExerciseSheet:
    """The finished content of the exercise page and the evening quick check of one visit."""

    title: str
    person_name: str
    visit_date: date
    intro: str
    cautions: tuple[str, ...]
    exercises: tuple[PrescribedExercise, ...]  # empty: no exercise page, only the evening check
    evening: EveningCheck
    days: tuple[str, ...]
    sources: tuple[str, ...]  # the titles of the sources of what is printed
    unknown: tuple[str, ...] = ()  # prescribed ids this content does not have (not printed)


def prescribed_exercises(content: ExerciseContent, assessment: Assessment) -> ExerciseSheet:
    """The page for this visit: the prescribed exercises only, in the order the therapist gave
    them, each once, with the therapist's dose (the content's own when none was given)."""
    printed: list[PrescribedExercise] = []
    cited: list[str] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for prescription in assessment.exercises:
        if prescription.exercise in seen:
            continue
        seen.add(prescription.exercise)
        exercise = content.exercise(prescription.exercise)
        if exercise is None:
            unknown.append(prescription.exercise)
            continue
        dose = prescription.dose.strip() or exercise.dose
        printed.append(PrescribedExercise(exercise.name, exercise.how, dose, exercise.cautions))
        cited.extend(exercise.sources)
    cited.extend(content.evening.sources)
    return ExerciseSheet(
        title=content.title,
        person_name=assessment.person.name,
        visit_date=assessment.date,
        intro=content.intro,
        cautions=content.cautions,
        exercises=tuple(printed),
        evening=content.evening,
        days=WEEK_DAYS,
        sources=content.source_titles(tuple(cited)),
        unknown=tuple(unknown),
    )
