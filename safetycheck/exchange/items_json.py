"""The checklist as data for other programs (`safetycheck items --json`; docs/items.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safetycheck.domain.checklist import (
    LENGTH_UNITS,
    AnswerType,
    Checklist,
    Item,
    Mode,
)
from safetycheck.domain.conditions import MODE_SUBJECT, Condition
from safetycheck.domain.stratification import GaitTest

ITEMS_FORMAT = "safetycheck.items"
ITEMS_VERSION = 1

# The words of the fixed answers; a choice item's labels come from the content.
ANSWER_LABELS = {"yes": "Yes", "no": "No", "na": "Not applicable"}
MODE_WORDS = {"caregiver": "caregiver mode", "ot": "OT mode"}


def items_document(
    checklist: Checklist, gait_tests: tuple[GaitTest, ...], mode: Mode
) -> dict[str, Any]:
    """Every item the walkthrough can ask in `mode`, in walkthrough order, with its answers,
    the answers that mean no problem, when it is asked, and its red-flag urgency.

    `gait_tests` are the model's gait and balance tests (model.toml): their cut-offs give the
    safe range of those measurements, which are not home hazards and have no range of their own.
    """
    asked = _asked_items(checklist, mode)
    gait = {test.item: test for test in gait_tests}
    return {
        "format": ITEMS_FORMAT,
        "format_version": ITEMS_VERSION,
        "checklist_version": checklist.version,
        "mode": mode.value,
        "room_kinds": [{"id": kind.id, "name": kind.name} for kind in checklist.room_kinds],
        "categories": [{"id": c.id, "name": c.name} for c in checklist.categories],
        "urgencies": [
            {"urgency": tier.urgency.value, "title": tier.title, "advice": tier.advice}
            for tier in checklist.urgencies
        ],
        "sources": [
            {"id": s.id, "title": s.title, "checked": s.checked or None} for s in checklist.sources
        ],
        "items": [_item(item, checklist, gait) for item in asked],
    }


def _asked_items(checklist: Checklist, mode: Mode) -> list[Item]:
    """The items asked in `mode`: the item's own mode, its mode conditions, and every item its
    conditions name asked too (an unknown answer satisfies no condition, so an item that hangs
    on a question this mode never asks is never asked either). Conditions name earlier items
    only (the loader checks), so one pass in order settles it."""
    facts = {MODE_SUBJECT: mode.value}
    asked: list[Item] = []
    ids: set[str] = set()
    for item in checklist.items:
        if not item.asked_in(mode):
            continue
        if all(
            condition.holds(facts)
            if condition.subject == MODE_SUBJECT
            else condition.subject in ids
            for condition in item.applies_if
        ):
            asked.append(item)
            ids.add(item.id)
    return asked


def _item(item: Item, checklist: Checklist, gait: Mapping[str, GaitTest]) -> dict[str, Any]:
    flag = item.red_flag
    return {
        "id": item.id,
        "page": item.page.value,
        "rooms": _rooms(item, checklist),
        "type": item.type.value,
        "text": item.text,
        "help": item.help,
        "category": item.category,
        "mode": item.mode,
        "choices": _choices(item),
        "unit": item.unit or None,
        "units": _units(item),
        "applies_when": applies_when(item, checklist),
        "applies_if": [
            {"subject": c.subject, "operator": c.operator, "values": list(c.values)}
            for c in item.applies_if
        ],
        "red_flag": flag.urgency.value if flag is not None else None,
        "red_flag_label": flag.text if flag is not None else None,
        "safe": _safe(item, gait),
        "loinc": item.loinc or None,
        "sources": [{"source": c.source, "ref": c.ref} for c in item.sources],
    }


def _rooms(item: Item, checklist: Checklist) -> list[str] | None:
    """The room kinds a room check is asked in ("*" in the content: every kind); None for the
    person's own items."""
    if not item.rooms:
        return None
    if "*" in item.rooms:
        return [kind.id for kind in checklist.room_kinds]
    return list(item.rooms)


def _choices(item: Item) -> list[dict[str, str]] | None:
    if item.type is AnswerType.MEASURE:
        return None
    if item.type is AnswerType.CHOICE:
        return [{"value": o.value, "label": o.label} for o in item.options]
    return [{"value": v, "label": ANSWER_LABELS[v]} for v in item.allowed_values()]


def _units(item: Item) -> list[str] | None:
    """The units an answer may be given in (docs/interchange.md): lengths in mm or inches."""
    if item.type is not AnswerType.MEASURE:
        return None
    return list(LENGTH_UNITS) if item.unit == "mm" else [item.unit]


def _safe(item: Item, gait: Mapping[str, GaitTest]) -> list[str] | dict[str, float | None]:
    """The answers that mean no problem. A measurement's range is inclusive at both ends, in
    the item's unit: a hazard is a reading under `hazard_below` or over `hazard_above`
    (assessment.is_hazard), a gait test is impaired under or over its cut-off."""
    if item.type is not AnswerType.MEASURE:
        return list(item.safe_values)
    test = gait.get(item.id)
    if test is not None:
        return {"min": test.impaired_below, "max": test.impaired_above}
    return {"min": item.hazard_below, "max": item.hazard_above}


def applies_when(item: Item, checklist: Checklist) -> str | None:
    """When the walkthrough asks the item, in words ("Only if 'Does the person have foot
    drop…?' is Yes"); None when it is always asked (in the modes that ask it)."""
    modes = [c for c in item.applies_if if c.subject == MODE_SUBJECT]
    answers = [c for c in item.applies_if if c.subject != MODE_SUBJECT]
    parts = []
    if modes:
        parts.append("Only " + " and ".join(_mode_words(c) for c in modes))
    if answers:
        # "A is X or Y, and B is Z": the comma keeps each answer's "or" inside its question.
        words = ", and ".join(_answer_words(c, checklist) for c in answers)
        parts.append(("only if " if parts else "Only if ") + words)
    return ", and ".join(parts) if parts else None


def _mode_words(condition: Condition) -> str:
    named = " or ".join(MODE_WORDS.get(v, v) for v in condition.values)
    return f"not in {named}" if condition.operator == "!=" else f"in {named}"


def _answer_words(condition: Condition, checklist: Checklist) -> str:
    subject = checklist.item(condition.subject)
    values = " or ".join(_answer_label(subject, v) for v in condition.values)
    verb = "is not" if condition.operator == "!=" else "is"
    return f"'{subject.text}' {verb} {values}"


def _answer_label(item: Item, value: str) -> str:
    if item.type is AnswerType.CHOICE:
        return item.option_label(value)
    return ANSWER_LABELS.get(value, value)
