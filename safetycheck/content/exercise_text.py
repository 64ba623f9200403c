"""Reads data/report/exercises.toml: the home exercises a therapist may prescribe and the
evening quick check, checked like the rest of the content (presence, types, unknown keys, ids,
and every cited source defined)."""

from __future__ import annotations

from pathlib import Path

from safetycheck.content.checklist_loader import PLAIN_ID, SOURCE_ID, _source, _unique
from safetycheck.content.tables import ContentError, Table, read_toml
from safetycheck.domain.exercises import EveningCheck, Exercise, ExerciseContent

MIN_SENTENCES, MAX_SENTENCES = 2, 4  # how to do an exercise: a few short sentences


def load_exercises(path: Path) -> ExerciseContent:
    table = Table(read_toml(path), path, "")
    sources = tuple(_source(t) for t in table.tables("sources"))
    _unique(path, "source", [s.id for s in sources], SOURCE_ID)
    known = {s.id for s in sources}
    exercises = tuple(_exercise(t, known) for t in table.tables("exercises"))
    if not exercises:
        raise ContentError(f"{path}: no exercises")
    _unique(path, "exercise", [e.id for e in exercises], PLAIN_ID)
    evening_table = table.table("evening")
    assert evening_table is not None
    content = ExerciseContent(
        title=table.text("title"),
        intro=table.text("intro"),
        cautions=_lines(table, "cautions"),
        exercises=exercises,
        evening=_evening(evening_table, known),
        sources=sources,
    )
    table.no_unknown_keys()
    return content


def _lines(table: Table, key: str) -> tuple[str, ...]:
    """A required list of non-empty text."""
    lines = table.texts(key, required=True)
    if not lines:
        table.fail(f"'{key}' must not be empty")
    if any(not line.strip() for line in lines):
        table.fail(f"'{key}' holds an empty line")
    return tuple(line.strip() for line in lines)


def _cited(table: Table, known: set[str]) -> tuple[str, ...]:
    cited = _lines(table, "sources")
    for source in cited:
        if source not in known:
            table.fail(f"source '{source}' is not defined in [[sources]]")
    return cited


def _exercise(table: Table, known: set[str]) -> Exercise:
    exercise_id = table.text("id")
    table.where = f"exercise '{exercise_id}'"
    how = _lines(table, "how")
    if not MIN_SENTENCES <= len(how) <= MAX_SENTENCES:
        table.fail(f"'how' must hold {MIN_SENTENCES} to {MAX_SENTENCES} lines, not {len(how)}")
    exercise = Exercise(
        id=exercise_id,
        name=table.text("name"),
        how=how,
        dose=table.text("dose"),
        cautions=_lines(table, "cautions"),
        sources=_cited(table, known),
    )
    table.no_unknown_keys()
    return exercise


def _evening(table: Table, known: set[str]) -> EveningCheck:
    check = EveningCheck(
        title=table.text("title"),
        intro=table.text("intro"),
        items=_lines(table, "items"),
        after=tuple(line.strip() for line in table.texts("after")),
        sources=_cited(table, known),
    )
    table.no_unknown_keys()
    return check
