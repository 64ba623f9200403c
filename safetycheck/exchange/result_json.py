"""The risk result and action plan as a JSON document (`safetycheck score --json`)."""

from __future__ import annotations

from typing import Any

from safetycheck.domain.plan import ActionPlan
from safetycheck.domain.scoring import RiskResult

RESULT_FORMAT = "safetycheck.result"
RESULT_VERSION = 1


def result_to_document(result: RiskResult, plan: ActionPlan) -> dict[str, Any]:
    """Everything `score --json` prints; contributor points add up to `score`."""
    stay = result.stay_independent
    return {
        "format": RESULT_FORMAT,
        "format_version": RESULT_VERSION,
        "checklist_version": result.checklist_version,
        "model_version": result.model_version,
        "red_flags": [flag.text for flag in result.red_flags],
        "level": result.level.value,
        "level_reasons": list(result.level_reasons),
        "score": result.score,
        "stay_independent": {
            "score": stay.score,
            "missing": stay.missing,
            "at_risk": stay.at_risk,
            "key_questions_yes": list(stay.key_questions_yes),
        },
        "vulnerability": round(result.vulnerability, 4),
        "unanswered": result.unanswered,
        "contributors": [
            {
                "kind": c.kind.value,
                "item": c.item,
                "label": c.label,
                "room": c.room,
                "category": c.category,
                "points": c.points,
            }
            for c in result.contributors
        ],
        "rooms": [{"room": s.key, "name": s.name, "points": s.points} for s in result.rooms],
        "categories": [
            {"category": s.key, "name": s.name, "points": s.points} for s in result.categories
        ],
        "actions": [
            {
                "kind": a.kind.value,
                "item": a.item,
                "room": a.room,
                "room_name": a.room_name,
                "finding": a.finding,
                "action": a.text,
                "priority": a.priority.value,
                "who": a.who.value,
                "benefit_rank": a.benefit_rank,
                "note": a.note,
            }
            for a in plan.actions
        ],
    }
