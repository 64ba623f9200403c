"""The plain-text summary of an evaluation (the `score` command without --json)."""

from __future__ import annotations

from safetycheck.domain.evaluation import Evaluation


def format_summary(evaluation: Evaluation) -> str:
    """A readable summary: red flags first (most urgent first, each with what to do), what is
    not yet known, then level, reasons, score and the first actions."""
    summary, result = evaluation.summary, evaluation.result
    lines: list[str] = []
    if summary.red_flags:
        lines.append("RED FLAGS - act on these first:")
        for flag in summary.red_flags:
            lines.append(f"  ! {flag.title.upper()}: {flag.text}.")
            lines.append(f"    {flag.advice}")
        lines.append("")
    elif summary.red_flag_status:
        lines.append(summary.red_flag_status)
        lines.append("")
    if summary.red_flags and summary.unanswered_red_flags:
        lines.append(
            "Warning-sign questions not answered yet: "
            + "; ".join(summary.unanswered_red_flags)
            + "."
        )
        lines.append("")
    if summary.certainty:
        lines.append(summary.certainty)
    lines.append(f"Fall risk: {summary.level_label.upper()}")
    lines.extend(f"  because {reason}" for reason in summary.level_reasons)
    if summary.missing:
        lines.append("  still to find out: " + "; ".join(summary.missing))
    lines.append(f"Stay Independent: {summary.stay_independent}")
    lines.append(summary.score_line)
    lines.append("")
    lines.append("What adds most:")
    if not summary.top_reasons:
        lines.append("  (nothing so far)")
    width = max((len(f"+{points}") for _, points in summary.top_reasons), default=2)
    lines.extend(f"  {f'+{points}':>{width}}  {label}" for label, points in summary.top_reasons)
    count, rest = summary.smaller_reasons
    if count:
        plural = "reason" if count == 1 else "reasons"
        lines.append(f"  {f'+{rest}':>{width}}  {count} smaller {plural}")
    lines.append("")
    lines.append("By room:")
    lines.extend(f"  {s.points:>{width + 1}}  {s.name}" for s in result.rooms if s.points)
    lines.append("")
    if summary.first_actions:
        lines.append("What to do first:")
        for action in summary.first_actions:
            where = f" [{action.room_name}]" if action.room_name else ""
            lines.append(f"  - ({action.priority.label}){where} {action.text}")
    else:
        lines.append(summary.nothing_to_fix_line)
    lines.append("")
    lines.append(summary.disclaimer)
    return "\n".join(lines) + "\n"
