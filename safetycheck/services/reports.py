"""Use cases: the action plan PDF of a visit (or an assessment file) and the blank checklist."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from safetycheck.content import Content
from safetycheck.domain.assessment import ActionKind, ActionState, Assessment, PrintCopy
from safetycheck.domain.checklist import Mode
from safetycheck.domain.evaluation import Evaluation, evaluate
from safetycheck.domain.exercises import prescribed_exercises
from safetycheck.domain.report import Change, PlanReport, build_plan_report
from safetycheck.exchange.assessment_json import read_assessment_file
from safetycheck.files import check_output_path, write_atomically
from safetycheck.imaging import NotAnImageError, print_copy
from safetycheck.reports.exercise_pdf import exercise_flowables
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.plan_pdf import ActionPlanRenderer, OutlineMark
from safetycheck.services.assessments import (
    Comparison,
    HazardChange,
    comparison,
    in_walkthrough_order,
    read_snapshot,
)
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.workspace import Workspace


def plan_report(
    content: Content,
    assessment: Assessment,
    change: Change | None = None,
    evaluation: Evaluation | None = None,
) -> PlanReport:
    """The report's content; photos are replaced by their print copies.

    A photo's print copy was made when it was attached or imported; one kept before that
    (an older database or file) has none, and it is made here.
    `evaluation` is the assessment's, when the caller has it already (it is not made twice).
    """
    if evaluation is None:
        evaluation = evaluate(content, assessment)
    printable = []
    warnings = []
    for photo in assessment.photos:
        printed = photo.for_print
        if printed is None:
            try:
                printed = PrintCopy(*print_copy(photo.data))
            except NotAnImageError as exc:  # stored before photos were checked in full
                warnings.append(f"the photo {photo.filename} is left out of the plan: {exc}")
                continue
        printable.append(
            replace(
                photo,
                data=printed.data,
                width=printed.width,
                height=printed.height,
                media_type="image/jpeg",
                for_print=None,
            )
        )
    assessment = replace(assessment, photos=tuple(printable))
    report = build_plan_report(
        content.checklist,
        assessment,
        evaluation,
        content.report_text,
        change,
        content.model.stratification.gait,
    )
    sheet = prescribed_exercises(content.exercises, assessment) if assessment.exercises else None
    if sheet is not None and sheet.unknown:
        warnings.append(
            "exercises this program does not know are left out of the plan: "
            + ", ".join(sheet.unknown)
        )
    return replace(report, warnings=tuple(warnings), exercises=sheet)


def _change(
    found: Comparison | None,
    done_now: frozenset[tuple[str, str | None]] = frozenset(),
    not_needed_now: frozenset[tuple[str, str | None]] = frozenset(),
) -> Change | None:
    """What changed since the last visit; a hazard seen both times and ticked done, or marked
    not needed, at this visit is not "still to do" (each set: (item, room key))."""
    if found is None:
        return None

    def names(changes: tuple[HazardChange, ...]) -> tuple[str, ...]:
        return tuple(f"{c.finding} ({c.room_name})" if c.room_name else c.finding for c in changes)

    closed = done_now | not_needed_now
    still_open = tuple(c for c in found.still_open if (c.item, c.room_key) not in closed)
    done = tuple(c for c in found.still_open if (c.item, c.room_key) in done_now)
    not_needed = tuple(c for c in found.still_open if (c.item, c.room_key) in not_needed_now)
    return Change(
        found.previous_date,
        found.score_then,
        found.score_now,
        found.level_then,
        found.level_now,
        names(found.fixed),
        names(still_open),
        names(found.new),
        done_now=names(done),
        not_needed_now=names(not_needed),
    )


def plan_report_for_visit(ws: Workspace, assessment_id: str) -> PlanReport:
    """The report of a stored visit, with its photos, ticks and the change since the last one:
    both visits read in one unit of work (one moment), each evaluated once."""
    with ws.unit_of_work(read_only=True) as uow:
        current = read_snapshot(uow, assessment_id, with_photos=True)
        assessment = in_walkthrough_order(ws.content.checklist, current.assessment)
        evaluation = evaluate(ws.content, assessment)
        found = comparison(uow, ws, current, evaluation.result)

    def marked(state: ActionState) -> frozenset[tuple[str, str | None]]:
        return frozenset(
            (a.item, current.room_keys[a.room] if a.room else None)
            for a in assessment.actions
            if a.kind is ActionKind.HAZARD and a.status is state
        )

    change = _change(found, marked(ActionState.DONE), marked(ActionState.NOT_NEEDED))
    return plan_report(ws.content, assessment, change, evaluation)


def plan_report_for_file(content: Content, path: Path) -> PlanReport:
    return plan_report(content, read_assessment_file(path, content.checklist))


def check_output(path: Path, password: str | None, protected: Sequence[Path] = ()) -> None:
    """Before any work: the output can be written, and a password is a real one."""
    check_output_path(path, protected)
    if password is not None:
        from safetycheck.reports.protection import PasswordError, check_password

        try:
            check_password(password)
        except PasswordError as exc:
            raise InvalidInputError(str(exc)) from None


def _finished(data: bytes, password: str | None) -> bytes:
    """XMP metadata and the language written, and the password's encryption applied."""
    from safetycheck.reports.protection import finish

    return finish(data, password)


def write_plan_pdf(
    report: PlanReport,
    path: Path,
    password: str | None = None,
    protected: Sequence[Path] = (),
    large_print: bool = False,
) -> list[str]:
    """Render and write atomically; returns warnings about what could not be printed.

    With a password the PDF is encrypted (AES-256). `protected` files (the database, the file
    read) are never overwritten.
    """
    check_output(path, password, protected)
    renderer = ActionPlanRenderer(large_print=large_print)
    buffer = io.BytesIO()
    renderer.render(report, buffer, exercise_pages(report, renderer))
    write_atomically(path, _finished(buffer.getvalue(), password), protected)
    return [*report.warnings, *renderer.fonts.warnings()]


def exercise_pages(
    report: PlanReport, renderer: ActionPlanRenderer
) -> Callable[[], list[Flowable]] | None:
    """The exercise page and the evening quick check, after the plan, when the therapist chose
    exercises (each page a bookmark)."""
    sheet = report.exercises
    if sheet is None:
        return None

    def pages() -> list[Flowable]:
        story = exercise_flowables(sheet, renderer.fonts, renderer.scale)
        marks = [
            ("Home exercises", "exercises"),
            ("Evening quick check", "evening"),
        ][-sum(isinstance(f, PageBreak) for f in story) :]
        out: list[Flowable] = []
        for flowable in story:
            out.append(flowable)
            if isinstance(flowable, PageBreak) and marks:
                title, key = marks.pop(0)
                out.append(OutlineMark(key, title))
        return out

    return pages


def write_checklist_pdf(
    content: Content,
    mode: Mode,
    path: Path,
    password: str | None = None,
    protected: Sequence[Path] = (),
) -> list[str]:
    # Imported here: a plan's report does not need the blank checklist's code.
    from safetycheck.reports.checklist_pdf import BlankChecklistRenderer

    check_output(path, password, protected)
    renderer = BlankChecklistRenderer(FontSet())
    buffer = io.BytesIO()
    renderer.render(content.checklist, mode, buffer, content.model.stratification.gait)
    write_atomically(path, _finished(buffer.getvalue(), password), protected)
    return renderer.fonts.warnings()


def write_plan_html(
    report: PlanReport, path: Path, protected: Sequence[Path] = (), large_print: bool = False
) -> list[str]:
    """The plan as one self-contained HTML page (the accessible version), written atomically;
    returns warnings about what was left out. HTML cannot be encrypted: no password."""
    from safetycheck.reports.plan_html import render_plan_html

    check_output_path(path, protected)
    page = render_plan_html(report, large_print=large_print)
    write_atomically(path, page.encode("utf-8"), protected)
    return list(report.warnings)
