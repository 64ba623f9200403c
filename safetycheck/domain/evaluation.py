"""The one entry point from an assessment to what every view shows: the result, the plan, and
the summary worded once (the command line, the program and the PDF all render the same value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from safetycheck.domain.assessment import Assessment
from safetycheck.domain.checklist import Checklist
from safetycheck.domain.parameters import ModelParameters
from safetycheck.domain.plan import ActionPlan, PlanAction, build_plan
from safetycheck.domain.report import ReportText
from safetycheck.domain.scoring import RiskResult, assess

TOP_REASONS = 8
FIRST_ACTIONS = 6


class Rules(Protocol):
    """What evaluating needs: the checklist, the model and the fixed wording (the loaded
    content satisfies this)."""

    @property
    def checklist(self) -> Checklist: ...

    @property
    def model(self) -> ModelParameters: ...

    @property
    def report_text(self) -> ReportText: ...


@dataclass(frozen=True, slots=True)
class ResultSummary:
    """The result in words, the same everywhere: red flags first, the level and why, the
    biggest reasons, what to do first, and what the result is not."""

    red_flags: tuple[str, ...]
    level_label: str
    score: int
    level_reasons: tuple[str, ...]
    stay_independent: str
    unanswered: int
    top_reasons: tuple[tuple[str, int], ...]  # (reason, points), biggest first
    first_actions: tuple[PlanAction, ...]
    disclaimer: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An assessment evaluated: the model's result, the plan built from it, and its summary."""

    result: RiskResult
    plan: ActionPlan
    summary: ResultSummary


def summarise(result: RiskResult, plan: ActionPlan, disclaimer: str) -> ResultSummary:
    return ResultSummary(
        red_flags=tuple(flag.text for flag in result.red_flags),
        level_label=result.level.label,
        score=result.score,
        level_reasons=result.level_reasons,
        stay_independent=result.stay_independent.describe(),
        unanswered=result.unanswered,
        top_reasons=tuple((c.label, c.points) for c in result.contributors if c.points > 0)[
            :TOP_REASONS
        ],
        first_actions=plan.first(FIRST_ACTIONS),
        disclaimer=disclaimer,
    )


def evaluate(rules: Rules, assessment: Assessment) -> Evaluation:
    """Score the assessment, build its plan and summary. Pure: same input, same output."""
    result = assess(rules.checklist, rules.model, assessment)
    plan = build_plan(rules.checklist, rules.model, result)
    return Evaluation(result, plan, summarise(result, plan, rules.report_text.disclaimer))
