"""The plain-text summary of a result and plan (the `score` command without --json)."""

from __future__ import annotations

from safetycheck.domain.plan import ActionPlan
from safetycheck.domain.scoring import RiskResult


def format_summary(result: RiskResult, plan: ActionPlan, top: int = 8) -> str:
    """A readable summary: red flags first, then level, score, reasons and the first actions."""
    lines: list[str] = []
    if result.red_flags:
        lines.append("RED FLAGS - seek medical attention now:")
        lines.extend(f"  ! {flag.text}" for flag in result.red_flags)
        lines.append("")
    lines.append(f"Fall risk: {result.level.label.upper()} (score {result.score})")
    lines.extend(f"  because {reason}" for reason in result.level_reasons)
    lines.append(f"Stay Independent: {result.stay_independent.describe()}")
    if result.unanswered:
        lines.append(f"Unanswered checks: {result.unanswered}")
    lines.append("")
    lines.append("Top reasons:")
    shown = [c for c in result.contributors if c.points > 0][:top]
    if not shown:
        lines.append("  (none)")
    width = max((len(f"+{c.points}") for c in shown), default=2)
    lines.extend(f"  {f'+{c.points}':>{width}}  {c.label}" for c in shown)
    lines.append("")
    lines.append("By room:")
    lines.extend(f"  {s.points:>{width + 1}}  {s.name}" for s in result.rooms if s.points)
    first = plan.first(top)
    if first:
        lines.append("")
        lines.append("What to do first:")
        for action in first:
            where = f" [{action.room_name}]" if action.room_name else ""
            lines.append(f"  - ({action.priority.label}){where} {action.text}")
    lines.append("")
    lines.append("This result supports, and does not replace, advice from a doctor or therapist.")
    return "\n".join(lines) + "\n"
