"""Golden tests: the Stay Independent brochure scored exactly as published."""

from __future__ import annotations

import pytest
from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.scoring import score_stay_independent

ALL_NO = {f"steadi.si.{n:02d}": "no" for n in range(1, 13)}


def si(**yes: str) -> dict[str, str]:
    answers = dict(ALL_NO)
    answers.update({f"steadi.si.{key[1:]}": value for key, value in yes.items()})
    return answers


def result(content: Content, answers: dict[str, str]):
    assessment = make_assessment(content, person=answers, rooms=(), complete=False)
    return score_stay_independent(assessment, content.model)


def test_all_no_scores_zero_and_not_at_risk(content: Content) -> None:
    r = result(content, si())
    assert (r.score, r.missing, r.at_risk, r.key_questions_yes) == (0, 0, False, ())


def test_all_yes_scores_fourteen(content: Content) -> None:
    r = result(content, dict.fromkeys(ALL_NO, "yes"))
    assert (r.score, r.at_risk) == (14, True)


@pytest.mark.parametrize(
    ("yes_items", "score"),
    [
        ((2,), 2),  # item 2 is worth two points
        ((4,), 1),
        ((6,), 1),
        ((7,), 1),
        ((8,), 1),
        ((9,), 1),
        ((10,), 1),
        ((11,), 1),
        ((12,), 1),
    ],
)
def test_points_per_item(content: Content, yes_items: tuple[int, ...], score: int) -> None:
    answers = dict(ALL_NO)
    for n in yes_items:
        answers[f"steadi.si.{n:02d}"] = "yes"
    assert result(content, answers).score == score


def test_item_one_is_worth_two_points(content: Content) -> None:
    assert result(content, si(s01="yes")).score == 2


def test_three_points_without_key_question_is_not_at_risk(content: Content) -> None:
    # 2 (cane) + 1 = 3: one below the line, and no key question answered yes.
    r = result(content, si(s02="yes", s04="yes"))
    assert (r.score, r.at_risk) == (3, False)


def test_four_points_is_at_risk(content: Content) -> None:
    r = result(content, si(s02="yes", s04="yes", s06="yes"))
    assert (r.score, r.at_risk) == (4, True)


def test_four_one_point_items_reach_the_line(content: Content) -> None:
    r = result(content, si(s08="yes", s09="yes", s10="yes", s11="yes"))
    assert (r.score, r.at_risk) == (4, True)


@pytest.mark.parametrize("key", ["s01", "s03", "s05"])
def test_any_key_question_screens_at_risk_below_four(content: Content, key: str) -> None:
    r = result(content, si(**{key: "yes"}))
    assert r.score is not None
    assert r.score < 4
    assert r.at_risk is True
    assert r.key_questions_yes == (f"steadi.si.{key[1:]}",)


def test_non_key_items_alone_do_not_screen_at_risk(content: Content) -> None:
    r = result(content, si(s12="yes"))
    assert (r.score, r.at_risk, r.key_questions_yes) == (1, False, ())


def test_no_total_while_items_are_missing(content: Content) -> None:
    answers = dict(ALL_NO)
    del answers["steadi.si.07"]
    del answers["steadi.si.12"]
    r = result(content, answers)
    assert r.score is None
    assert r.missing == 2
    assert r.at_risk is None  # nothing decisive yet


def test_nothing_answered(content: Content) -> None:
    r = result(content, {})
    assert (r.score, r.missing, r.at_risk) == (None, 12, None)


def test_missing_items_with_a_key_yes_is_still_at_risk(content: Content) -> None:
    r = result(content, {"steadi.si.05": "yes"})
    assert (r.score, r.missing, r.at_risk) == (None, 11, True)


def test_missing_items_with_four_points_already_is_at_risk(content: Content) -> None:
    # Points only grow, so four points already given decide it; still no total is reported.
    r = result(content, {"steadi.si.02": "yes", "steadi.si.04": "yes", "steadi.si.06": "yes"})
    assert (r.score, r.missing, r.at_risk) == (None, 9, True)


def test_three_points_with_items_missing_cannot_tell(content: Content) -> None:
    r = result(content, {"steadi.si.02": "yes", "steadi.si.04": "yes", "steadi.si.06": "no"})
    assert r.missing == 9
    assert (r.score, r.at_risk) == (None, None)


def test_points_follow_the_brochure(content: Content) -> None:
    rule = content.model.stay_independent
    assert rule.item_ids == tuple(f"steadi.si.{n:02d}" for n in range(1, 13))
    assert rule.points == (2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    assert sum(rule.points) == 14
    assert rule.at_risk_from == 4
    assert rule.key_items == ("steadi.si.01", "steadi.si.03", "steadi.si.05")
