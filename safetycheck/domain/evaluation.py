"""The one entry point from an assessment to what every view shows: the result, the plan, and
the summary worded once (the command line, the program and the PDF all render the same value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from safetycheck.domain.assessment import ActionKind, Assessment
from safetycheck.domain.checklist import Checklist, Mode
from safetycheck.domain.parameters import ModelParameters
from safetycheck.domain.plan import ActionPlan, PlanAction, build_plan
from safetycheck.domain.report import ReportText
from safetycheck.domain.scoring import RedFlagFound, RiskResult, assess

TOP_REASONS = 8
FIRST_ACTIONS = 5


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
    """The result in words, the same everywhere: red flags first with their urgency, what is
    not yet known, the level and why, the biggest reasons, what to do first, and what the
    result is not. Never more reassuring than the answers."""

    red_flags: tuple[RedFlagFound, ...]
    red_flag_status: str  # when no flag was raised: asked and none found, or what is not asked
    unanswered_red_flags: tuple[str, ...]  # the warning signs not yet asked about
    level_label: str  # "Moderate risk", or "Low to moderate risk" while undecided
    level_known: bool
    certainty: str  # "" when every question is answered and the level is settled
    score: int
    score_line: str
    level_reasons: tuple[str, ...]
    missing: tuple[str, ...]  # what would settle the level
    stay_independent: str
    unanswered: int
    complete: bool
    top_reasons: tuple[tuple[str, int], ...]  # (reason, points), biggest first
    smaller_reasons: tuple[int, int]  # (how many, their points): the rest of the score
    first_actions: tuple[PlanAction, ...]
    fixes_found: bool  # any action at all besides the red flags
    disclaimer: str

    @property
    def nothing_to_fix_line(self) -> str:
        """Said only when every check was answered and none found anything."""
        if self.fixes_found:
            return ""
        if not self.complete:
            return "Nothing to fix has been found so far, but not every question is answered yet."
        return "Nothing needs fixing: every check was answered and none found a problem."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def certainty_line(result: RiskResult) -> str:
    """What is not yet known, in one sentence ("" when nothing is)."""
    level_range = result.level_range
    if not result.complete:
        unanswered = _plural(result.unanswered, "question")
        if level_range.known is None:
            return f"Not finished: {unanswered} unanswered — the risk is {level_range.words}."
        return (
            f"Not finished: {unanswered} unanswered. The level is {level_range.words} "
            "whatever the answers to them, but the score and the plan may still change."
        )
    if level_range.known is None:
        return (
            f"The risk is {level_range.words}: a walking and balance test (such as the Timed "
            "Up and Go) would settle it."
        )
    return ""


def red_flag_status(result: RiskResult) -> str:
    """When no red flag was raised: either every warning-sign question was answered and none
    showed a warning sign, or which ones are still to ask."""
    if result.red_flags:
        return ""
    if result.unanswered_red_flags:
        questions = _plural(len(result.unanswered_red_flags), "warning-sign question")
        asked = "; ".join(q.text for q in result.unanswered_red_flags)
        return f"No warning sign found so far, but {questions} not answered yet: {asked}."
    return "No red flags: every warning-sign question was answered, and none showed a warning sign."


def fixing_would_lower(result: RiskResult) -> bool:
    """Whether fixing what was found (the home, footwear, brace and habits) would lower the
    score: only then is the score with them fixed worth saying."""
    return bool(result.home_hazards) and result.score_if_home_fixed < result.score


def score_line(result: RiskResult) -> str:
    """The score, what adds most, and what fixing the home would change."""
    if result.score == 0:
        return "Score 0: nothing found so far adds to the risk."
    line = f"Score {result.score}: the points below add up to it."
    if fixing_would_lower(result):
        things = _plural(result.home_hazards, "thing")
        line += (
            f" Fixing the {things} found in the home, footwear, brace and habits would lower "
            f"it from {result.score} "
            f"to {result.score_if_home_fixed}."
        )
    return line


def since_last_visit(
    *,
    score_then: int,
    score_now: int,
    level_then: str,
    level_now: str,
    fixed: int,
    new: int,
    not_checked: int,
    complete: bool,
) -> str:
    """The change since the person's last finished visit, in one or two sentences ("Score
    down from 192 to 133; 20 fixes done. …"). A problem found last time and not answered this
    time is not known to be fixed, so it is said apart, never counted as a fix; the levels are
    the LevelRange words ("moderate", "between low and moderate")."""
    if score_now < score_then:
        parts = [f"Score down from {score_then} to {score_now}"]
    elif score_now > score_then:
        parts = [f"Score up from {score_then} to {score_now}"]
    else:
        parts = [f"Score {score_now}, the same as last time"]
    if fixed:
        parts.append(f"{fixed} {'fix' if fixed == 1 else 'fixes'} done")
    if new:
        parts.append(f"{_plural(new, 'new problem')} found")
    if not_checked:
        parts.append(
            f"{_plural(not_checked, 'problem')} found last time not checked this time "
            "(not known to be fixed)"
        )
    line = "; ".join(parts) + "."
    if level_now == level_then:
        line += f" The level is {level_now}, as last time."
    else:
        line += f" The level was {level_then}, now {level_now}."
    if not complete:
        line += " Not every question is answered yet: the figures may still change."
    return line


def summarise(result: RiskResult, plan: ActionPlan, disclaimer: str) -> ResultSummary:
    scored = [(c.label, c.points) for c in result.contributors if c.points > 0]
    return ResultSummary(
        red_flags=result.red_flags,
        red_flag_status=red_flag_status(result),
        unanswered_red_flags=tuple(q.text for q in result.unanswered_red_flags),
        level_label=result.level_range.label,
        level_known=result.level is not None,
        certainty=certainty_line(result),
        score=result.score,
        score_line=score_line(result),
        level_reasons=result.level_reasons,
        missing=result.stratification.missing,
        stay_independent=result.stay_independent.describe(),
        unanswered=result.unanswered,
        complete=result.complete,
        top_reasons=tuple(scored[:TOP_REASONS]),
        smaller_reasons=(len(scored[TOP_REASONS:]), sum(p for _, p in scored[TOP_REASONS:])),
        first_actions=plan.first(FIRST_ACTIONS),
        fixes_found=any(a.kind is not ActionKind.RED_FLAG for a in plan.actions),
        disclaimer=disclaimer,
    )


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An assessment evaluated: the model's result, the plan built from it, and its summary."""

    result: RiskResult
    plan: ActionPlan
    summary: ResultSummary


def evaluate(rules: Rules, assessment: Assessment) -> Evaluation:
    """Score the assessment, build its plan and summary. Pure: same input, same output.

    The plan says what the visit's assessor edited (its actions' text, priority and who does
    it), so the summary, the screen and the printed plan all show the edited words."""
    result = assess(rules.checklist, rules.model, assessment)
    plan = build_plan(
        rules.checklist,
        rules.model,
        result,
        assessment.actions,
        written_by_ot=assessment.assessor.role is Mode.OT,
    )
    return Evaluation(result, plan, summarise(result, plan, rules.report_text.disclaimer))
