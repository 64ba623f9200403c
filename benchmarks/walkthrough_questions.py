"""How many questions a typical caregiver walkthrough asks, step by step (not a timed benchmark).

    .venv/bin/python benchmarks/walkthrough_questions.py [--mode ot] [--json] [--data DIR]

The home is the six rooms a first visit starts with (safetycheck.domain.visits.default_rooms:
entrance, hallway, living room, kitchen, bedroom, bathroom; hallway, bedroom and bathroom on the
night route). The count walks safetycheck.domain.steps over an assessment answered as typical,
asking `Step.asked` after each answer, because which questions are asked follows the answers.
Two profiles:

- foot drop: has fallen once in the past year, not hurt, got up alone, no blackout; feels
  unsteady and is worried about falling; foot drop of the left foot after a stroke, seen by a
  doctor, wears an ankle-foot brace (AFO); gets up at night once to use the toilet.
- no foot drop: the same person without foot drop (so no brace questions), who has not fallen
  and does not get up at night.

Every other question gets the first answer offered (checks "yes", yes/no "no"): the answers of
the rooms and of most person questions decide nothing about which questions follow.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from safetycheck.content import load_content
from safetycheck.domain.assessment import (
    Answer,
    Assessment,
    Assessor,
    Person,
    RoomInstance,
    effective_facts,
)
from safetycheck.domain.checklist import AnswerType, Checklist, Item, Mode
from safetycheck.domain.steps import Step, steps
from safetycheck.domain.visits import default_rooms

PROFILES: dict[str, dict[str, str]] = {
    "foot drop, AFO, one fall, up at night once": {
        "steadi.si.01": "yes",
        "steadi.si.03": "yes",
        "steadi.si.05": "yes",
        "person.falls.count": "one",
        "person.fd.present": "yes",
        "person.fd.side": "left",
        "person.fd.cause": "stroke",
        "person.fd.seen": "yes",
        "person.fd.brace": "afo",
        "person.night_toilet": "once",
    },
    "no foot drop, no fall, not up at night": {
        "steadi.si.03": "yes",
        "steadi.si.05": "yes",
        "person.fd.present": "no",
        "person.night_toilet": "none",
    },
}


def _default_answer(item: Item) -> str | float:
    if item.type is AnswerType.MEASURE:
        low = item.hazard_below if item.hazard_below is not None else 0.0
        high = item.hazard_above if item.hazard_above is not None else low + 100.0
        if item.plausible is not None:
            low, high = item.plausible
        return (low + high) / 2
    if item.type is AnswerType.YESNO:
        return "no"
    return item.allowed_values()[0]  # a check: yes; a choice: its first option


def _answer_value(item: Item, given: dict[str, str]) -> str | float:
    value = given.get(item.id)
    if value is None:
        return _default_answer(item)
    if value not in item.allowed_values():  # a content change renamed an option: say so
        raise SystemExit(f"profile answer '{value}' is not an answer of {item.id}")
    return value


def typical_walkthrough(
    checklist: Checklist, given: dict[str, str], mode: Mode
) -> tuple[Assessment, tuple[tuple[Step, int], ...]]:
    """The assessment answered question by question as the walkthrough asks them, and each
    step with the number of questions it asked."""
    rooms = tuple(
        RoomInstance(f"r{n}", spec.kind, spec.name, spec.night_route, spec.stairs_daily)
        for n, spec in enumerate(default_rooms(checklist), start=1)
    )
    assessment = Assessment(
        id="typical",
        person=Person("p", "Margaret", 1944),
        assessor=Assessor("Caregiver", mode),
        mode=mode,
        date=date(2026, 12, 1),
        checklist_version=checklist.version,
        model_version="",
        rooms=rooms,
    )
    # Answer one question at a time, in walkthrough order, re-reading the steps after each
    # answer (an answer can add questions later on: foot drop adds the brace step).
    while True:
        facts = effective_facts(checklist, assessment)
        slot = next(
            (
                (item, step.room_id)
                for step in steps(checklist, assessment, facts)
                for item in step.asked(facts, mode)
                if assessment.answer(item.id, step.room_id) is None
            ),
            None,
        )
        if slot is None:
            break
        item, room_id = slot
        answer = Answer(item.id, room_id, _answer_value(item, given), unit=item.unit)
        assessment = replace(assessment, answers=(*assessment.answers, answer))
    facts = effective_facts(checklist, assessment)
    counted = tuple(
        (step, len(step.asked(facts, mode))) for step in steps(checklist, assessment, facts)
    )
    return assessment, counted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.CAREGIVER.value)
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--data", type=Path, help="another data folder (default: the bundled one)")
    args = parser.parse_args(argv)
    mode = Mode(args.mode)
    checklist = load_content(args.data).checklist
    results: dict[str, dict[str, Any]] = {}
    for name, given in PROFILES.items():
        _, counted = typical_walkthrough(checklist, given, mode)
        results[name] = {
            "steps": [{"step": step.title, "questions": n} for step, n in counted],
            "total": sum(n for _, n in counted),
        }
    if args.json:
        print(json.dumps({"checklist_version": checklist.version, "profiles": results}, indent=2))
        return 0
    print(f"Checklist {checklist.version}, {mode.value} mode, the six default rooms")
    for name, result in results.items():
        print(f"\n{name}")
        for row in result["steps"]:
            print(f"  {row['step']:<28} {row['questions']:>3}")
        print(f"  {'total':<28} {result['total']:>3}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
