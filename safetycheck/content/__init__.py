"""Loads and validates content files from data/ into domain objects.

The loaders are imported when content is loaded, not when this package is imported, so a
command (or the program's first paint) that only needs ContentError stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from safetycheck.content.tables import ContentError

if TYPE_CHECKING:
    from safetycheck.domain.checklist import Checklist
    from safetycheck.domain.exercises import ExerciseContent
    from safetycheck.domain.parameters import ModelParameters
    from safetycheck.domain.report import ReportText

__all__ = ["Content", "ContentError", "load_content"]


@dataclass(frozen=True, slots=True)
class Content:
    """The checklist and the model parameters, loaded together and checked against each other;
    the printed plan's fixed wording and the home exercises."""

    checklist: Checklist
    model: ModelParameters
    report_text: ReportText
    exercises: ExerciseContent


def load_content(folder: Path | None = None) -> Content:
    """Load everything from the data folder (the bundled one unless another is given)."""
    from safetycheck.content.checklist_loader import load_checklist
    from safetycheck.content.exercise_text import load_exercises
    from safetycheck.content.model_loader import load_model
    from safetycheck.content.report_text import load_report_text
    from safetycheck.resources import data_dir

    root = folder if folder is not None else data_dir()
    checklist = load_checklist(root / "checklist")
    model = load_model(root / "model" / "model.toml", checklist)
    return Content(
        checklist,
        model,
        load_report_text(root / "report" / "text.toml"),
        load_exercises(root / "report" / "exercises.toml"),
    )
