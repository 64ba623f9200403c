"""The change since the last visit in words, and when the score with the home fixed is said."""

from __future__ import annotations

from dataclasses import replace

from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.evaluation import evaluate, fixing_would_lower, since_last_visit


def said(
    score_then: int,
    score_now: int,
    fixed: int,
    *,
    level_now: str = "high",
    new: int = 0,
    not_checked: int = 0,
    complete: bool = True,
) -> str:
    """The change from a visit at the high level (nothing new, every question answered)."""
    return since_last_visit(
        score_then=score_then,
        score_now=score_now,
        level_then="high",
        level_now=level_now,
        fixed=fixed,
        new=new,
        not_checked=not_checked,
        complete=complete,
    )


def test_down_with_fixes_done() -> None:
    line = said(192, 133, 20)
    assert line == "Score down from 192 to 133; 20 fixes done. The level is high, as last time."


def test_one_fix_up_and_the_same() -> None:
    assert said(40, 31, 1).startswith("Score down from 40 to 31; 1 fix done.")
    up = said(31, 40, 0, new=2)
    assert up.startswith("Score up from 31 to 40; 2 new problems found.")
    assert said(31, 31, 0).startswith("Score 31, the same as last time.")


def test_what_was_not_checked_is_never_a_fix() -> None:
    line = said(90, 60, 2, not_checked=3)
    assert "2 fixes done" in line
    assert "3 problems found last time not checked this time (not known to be fixed)" in line


def test_a_changed_level_and_an_unfinished_visit_are_said() -> None:
    line = said(90, 60, 2, level_now="between low and moderate", complete=False)
    assert "The level was high, now between low and moderate." in line
    assert line.endswith("Not every question is answered yet: the figures may still change.")


def test_the_score_with_the_home_fixed_is_said_only_when_it_is_lower(content: Content) -> None:
    person = {"steadi.si.03": "yes"}
    tidy = evaluate(content, make_assessment(content, person=person)).result
    assert not fixing_would_lower(tidy)
    assert (
        "Fixing"
        not in evaluate(content, make_assessment(content, person=person)).summary.score_line
    )
    rug = make_assessment(content, person=person, changes={("room.floors.rugs", "r2"): "no"})
    evaluation = evaluate(content, rug)
    assert fixing_would_lower(evaluation.result)
    result = evaluation.result
    assert (
        f"lower it from {result.score} to {result.score_if_home_fixed}"
        in evaluation.summary.score_line
    )
    # No hazard counted, no sentence, whatever the figures say.
    assert not fixing_would_lower(replace(result, home_hazards=0))
