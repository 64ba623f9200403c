"""Use case: score an assessment file and build its action plan."""

from __future__ import annotations

from pathlib import Path

from safetycheck.content import Content
from safetycheck.domain.plan import ActionPlan, build_plan
from safetycheck.domain.scoring import RiskResult, assess
from safetycheck.exchange.assessment_json import read_assessment_file


def score_file(path: Path, content: Content) -> tuple[RiskResult, ActionPlan]:
    """Read an assessment file (raises ExchangeError when it is bad), score it, plan it."""
    assessment = read_assessment_file(path, content.checklist)
    result = assess(content.checklist, content.model, assessment)
    return result, build_plan(content.checklist, content.model, result)
