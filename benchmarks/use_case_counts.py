"""How much database work three use cases do: SQL statements, units of work (transactions),
full visit loads and scorings, counted on a SQLite file holding the demo person.

    .venv/bin/python benchmarks/use_case_counts.py [--json]

Statements are counted with SQLAlchemy's `before_cursor_execute` event (BEGIN included),
units of work with the engine's `begin` event, visit loads and scorings by wrapping the
functions that do them. The same script measured the code before and after the repository
change (docs/performance.md); tests/integration/test_use_case_counts.py holds the targets.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from safetycheck.domain import scoring
from safetycheck.domain.checklist import AnswerType
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.workspace import Workspace, open_workspace


class Counts:
    """Counters of one use case's work."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def as_dict(self) -> dict[str, int]:
        keys = ("statements", "units_of_work", "visit_loads", "scorings")
        return {key: self.values[key] for key in keys}


def _wrap_everywhere(original: Callable[..., Any], counter: Callable[[], None]) -> list[Any]:
    """Replace `original` in every loaded safetycheck module that holds it; returns undo info."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        counter()
        return original(*args, **kwargs)

    undo = []
    for module in list(sys.modules.values()):
        if module is None or not getattr(module, "__name__", "").startswith("safetycheck"):
            continue
        for name, value in list(vars(module).items()):
            if value is original:
                setattr(module, name, wrapper)
                undo.append((module, name, original))
    return undo


def _visit_loader() -> tuple[type, str]:
    """Where a whole visit is read: the repository's snapshot (or, before it, UnitOfWork.load)."""
    try:
        from safetycheck.store.repositories import SqlVisitRepository

        return SqlVisitRepository, "snapshot"
    except ImportError:
        from safetycheck.store.unit_of_work import UnitOfWork

        return UnitOfWork, "load"


@contextmanager
def counting(ws: Workspace) -> Iterator[Counts]:
    counts = Counts()
    assert ws.database is not None
    engine = ws.database.engine

    def statement(*_args: Any) -> None:
        counts.values["statements"] += 1

    def begin(_connection: Any) -> None:
        counts.values["units_of_work"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    owner, name = _visit_loader()
    loader = getattr(owner, name)

    def load(*args: Any, **kwargs: Any) -> Any:
        counts.values["visit_loads"] += 1
        return loader(*args, **kwargs)

    setattr(owner, name, load)

    def scored() -> None:
        counts.values["scorings"] += 1

    undo = _wrap_everywhere(scoring.assess, scored)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)
        setattr(owner, name, loader)
        for module, attribute, original in undo:
            setattr(module, attribute, original)


def _answer_to_change(ws: Workspace, assessment_id: str) -> tuple[str, str, int]:
    """A room check the demo visit answered "yes", with its version (changing it to "no"
    adds a hazard, so the finished visit's result and actions must follow)."""
    assessment = visits.load_assessment(ws, assessment_id)
    if hasattr(visits, "load_visit"):
        versions = visits.load_visit(ws, assessment_id).versions
    else:  # the code before the repositories (for the "before" figures)
        versions = getattr(visits, "answer_versions")(ws, assessment_id)  # noqa: B009
    checklist = ws.content.checklist
    for answer in assessment.answers:
        if not checklist.has_item(answer.item):
            continue  # a question an earlier checklist asked
        item = checklist.item(answer.item)
        if answer.room is not None and item.type is AnswerType.CHECK and answer.value == "yes":
            return answer.item, answer.room, versions[(answer.item, answer.room)]
    raise LookupError("the demo visit has no room check answered yes")


def measure(folder: Path) -> dict[str, dict[str, int]]:
    ws = open_workspace(f"sqlite:///{folder / 'counts.sqlite3'}")
    try:
        visit = create_demo(ws)
        item, room, version = _answer_to_change(ws, visit)
        results = {}
        with counting(ws) as counts:
            visits.record_answer(ws, visit, item, room, "no", expected_version=version)
        results["record_answer on a finished visit"] = counts.as_dict()
        with counting(ws) as counts:
            visits.compare_with_previous(ws, visit)
        results["compare with the last visit"] = counts.as_dict()
        from safetycheck.services import reports

        with counting(ws) as counts:
            reports.plan_report_for_visit(ws, visit)
        results["plan_report_for_visit (the PDF's content)"] = counts.as_dict()
        return results
    finally:
        ws.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = measure(Path(folder))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'use case':<45} {'statements':>10} {'units':>6} {'loads':>6} {'scorings':>8}")
    for name, counts in results.items():
        print(
            f"{name:<45} {counts['statements']:>10} {counts['units_of_work']:>6} "
            f"{counts['visit_loads']:>6} {counts['scorings']:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
