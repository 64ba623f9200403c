"""Reads data/report/text.toml: the fixed wording of the printed plan."""

from __future__ import annotations

from pathlib import Path

from safetycheck.content.tables import Table, read_toml
from safetycheck.domain.report import ReportText


def load_report_text(path: Path) -> ReportText:
    table = Table(read_toml(path), path, "")
    text = ReportText(
        seek_help_title=table.text("seek_help_title"),
        seek_help=table.texts("seek_help", required=True),
        skin_routine_title=table.text("skin_routine_title"),
        skin_routine=table.texts("skin_routine", required=True),
        disclaimer=table.text("disclaimer"),
        attribution=table.text("attribution"),
    )
    table.no_unknown_keys()
    return text
