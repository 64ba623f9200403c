"""Use case: evaluate an assessment file (score, plan and summary)."""

from __future__ import annotations

from pathlib import Path

from safetycheck.content import Content
from safetycheck.domain.evaluation import Evaluation, evaluate
from safetycheck.exchange.assessment_json import read_assessment_file


def evaluate_file(path: Path, content: Content) -> Evaluation:
    """Read an assessment file (raises ExchangeError when it is bad) and evaluate it."""
    return evaluate(content, read_assessment_file(path, content.checklist))
