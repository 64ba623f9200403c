"""Use cases: the letter for the person's doctor and the home exercise page of a visit (or of an
assessment file), each read in one unit of work and evaluated once; PDFs written atomically."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from safetycheck.content import Content
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.exercises import ExerciseSheet, prescribed_exercises
from safetycheck.domain.falls import FallsSinceLastVisit
from safetycheck.domain.letter import DoctorLetter, build_doctor_letter
from safetycheck.exchange.assessment_json import read_assessment_file
from safetycheck.files import write_atomically
from safetycheck.reports.exercise_pdf import ExercisePageRenderer
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.letter_pdf import LetterRenderer
from safetycheck.services.assessments import in_walkthrough_order, read_snapshot
from safetycheck.services.reports import check_output
from safetycheck.services.workspace import Workspace


def letter_for_visit(ws: Workspace, assessment_id: str) -> DoctorLetter:
    """The letter of a stored visit: the visit and whether the person had an earlier one (the
    falls are counted from it) read in one unit of work, evaluated once; dated today."""
    with ws.unit_of_work(read_only=True) as uow:
        current = read_snapshot(uow, assessment_id)
        previous = uow.visits.latest(current.info.person_id, before=current.info)
        assessment = in_walkthrough_order(ws.content.checklist, current.assessment)
        evaluation = evaluate(ws.content, assessment)
    if assessment.falls is None and previous is not None:
        # A follow-up visit with no falls recorded: not asked, never "no falls".
        assessment = replace(
            assessment,
            falls=FallsSinceLastVisit(None, since_visit_id=previous.id, since_date=previous.date),
        )
    return build_doctor_letter(
        ws.content, assessment, evaluation, today=ws.today(), first_visit=previous is None
    )


def letter_for_file(content: Content, path: Path, today: date) -> DoctorLetter:
    """The letter of an assessment file (a file does not say whether it was a first visit)."""
    assessment = read_assessment_file(path, content.checklist)
    return build_doctor_letter(content, assessment, evaluate(content, assessment), today=today)


def exercise_sheet_for_visit(ws: Workspace, assessment_id: str) -> ExerciseSheet:
    """The home exercise page of a stored visit (only what the therapist prescribed)."""
    with ws.unit_of_work(read_only=True) as uow:
        assessment = read_snapshot(uow, assessment_id).assessment
    return prescribed_exercises(ws.content.exercises, assessment)


def _finished(data: bytes, password: str | None) -> bytes:
    """XMP metadata and the language written, and the password's encryption applied."""
    from safetycheck.reports.protection import finish

    return finish(data, password)


def write_letter_pdf(
    letter: DoctorLetter,
    path: Path,
    password: str | None = None,
    protected: Sequence[Path] = (),
) -> list[str]:
    """Render and write atomically; returns warnings about what could not be printed.
    `protected` files (the database, the file read) are never overwritten."""
    check_output(path, password, protected)
    renderer = LetterRenderer(FontSet())
    buffer = io.BytesIO()
    renderer.render(letter, buffer)
    write_atomically(path, _finished(buffer.getvalue(), password), protected)
    return renderer.fonts.warnings()


def write_exercise_pdf(
    sheet: ExerciseSheet,
    path: Path,
    password: str | None = None,
    protected: Sequence[Path] = (),
) -> list[str]:
    """The exercise page and the evening quick check as a PDF of their own."""
    check_output(path, password, protected)
    renderer = ExercisePageRenderer(FontSet())
    buffer = io.BytesIO()
    renderer.render(sheet, buffer)
    write_atomically(path, _finished(buffer.getvalue(), password), protected)
    warnings = renderer.fonts.warnings()
    if sheet.unknown:
        unknown = ", ".join(sheet.unknown)
        warnings.append(f"exercises this program does not know were left out: {unknown}")
    return warnings
