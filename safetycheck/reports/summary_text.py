"""The plain-text summary of an evaluation (the `score` command without --json)."""

from __future__ import annotations

from safetycheck.domain.evaluation import Evaluation


def format_summary(evaluation: Evaluation) -> str:
    """A readable summary: red flags first, then level, score, reasons and the first actions."""
    summary, result = evaluation.summary, evaluation.result
    lines: list[str] = []
    if summary.red_flags:
        lines.append("RED FLAGS - seek medical attention now:")
        lines.extend(f"  ! {flag}" for flag in summary.red_flags)
        lines.append("")
    lines.append(f"Fall risk: {summary.level_label.upper()} (score {summary.score})")
    lines.extend(f"  because {reason}" for reason in summary.level_reasons)
    lines.append(f"Stay Independent: {summary.stay_independent}")
    if summary.unanswered:
        lines.append(f"Unanswered checks: {summary.unanswered}")
    lines.append("")
    lines.append("Top reasons:")
    if not summary.top_reasons:
        lines.append("  (none)")
    width = max((len(f"+{points}") for _, points in summary.top_reasons), default=2)
    lines.extend(f"  {f'+{points}':>{width}}  {label}" for label, points in summary.top_reasons)
    lines.append("")
    lines.append("By room:")
    lines.extend(f"  {s.points:>{width + 1}}  {s.name}" for s in result.rooms if s.points)
    if summary.first_actions:
        lines.append("")
        lines.append("What to do first:")
        for action in summary.first_actions:
            where = f" [{action.room_name}]" if action.room_name else ""
            lines.append(f"  - ({action.priority.label}){where} {action.text}")
    lines.append("")
    lines.append(summary.disclaimer)
    return "\n".join(lines) + "\n"
