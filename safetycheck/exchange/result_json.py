"""The risk result and action plan as a JSON document (`safetycheck score --json`)."""

from __future__ import annotations

from typing import Any

from safetycheck.domain.plan import ActionPlan
from safetycheck.domain.scoring import RiskResult

RESULT_FORMAT = "safetycheck.result"
RESULT_VERSION = 2


def result_to_document(result: RiskResult, plan: ActionPlan) -> dict[str, Any]:
    """Everything `score --json` prints; contributor points add up to `score`.

    `level` is given only when the answers settle it (both ends of `level_range` agree);
    otherwise it is null and `level_range` says how far it can still go.
    """
    stay = result.stay_independent
    strat = result.stratification
    level = result.level
    return {
        "format": RESULT_FORMAT,
        "format_version": RESULT_VERSION,
        "checklist_version": result.checklist_version,
        "model_version": result.model_version,
        "red_flags": [
            {"label": flag.text, "urgency": flag.urgency.value, "advice": flag.advice}
            for flag in result.red_flags
        ],
        "unanswered_red_flags": [question.text for question in result.unanswered_red_flags],
        "complete": result.complete,
        "unanswered": result.unanswered,
        "level": level.value if level is not None else None,
        "level_range": [result.level_range.lowest.value, result.level_range.highest.value],
        "level_reasons": list(result.level_reasons),
        "stratification": {
            "level": level.guideline_word if level is not None else None,
            "reasons": list(strat.reasons),
            "missing": list(strat.missing),
        },
        "score": result.score,
        "score_if_home_fixed": result.score_if_home_fixed,
        "stay_independent": {
            "score": stay.score,
            "missing": stay.missing,
            "at_risk": stay.at_risk,
            "points_at_risk": stay.points_at_risk,
            "key_questions_yes": list(stay.key_questions_yes),
        },
        "vulnerability": round(result.vulnerability, 4),
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
