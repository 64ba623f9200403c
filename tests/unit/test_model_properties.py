"""Properties of the risk model that must hold for every home and every set of answers."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import assessments

from safetycheck.content import load_content
from safetycheck.domain.assessment import Answer, Assessment, is_hazard
from safetycheck.domain.checklist import AnswerType, Item
from safetycheck.domain.plan import build_plan
from safetycheck.domain.scoring import assess, maximum_score
from safetycheck.domain.steps import applicable_slots

CONTENT = load_content()
# How many examples: the Hypothesis profile (tests/conftest.py; fewer in ./tasks.sh check).
SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow])


def hazard_value(item: Item) -> str | float:
    if item.type is AnswerType.MEASURE:
        assert item.hazard_below is not None or item.hazard_above is not None
        return (item.hazard_above + 100.0) if item.hazard_above is not None else 0.0
    return item.hazard_if[0]


def with_answer(assessment: Assessment, answer: Answer) -> Assessment:
    kept = tuple(a for a in assessment.answers if (a.item, a.room) != (answer.item, answer.room))
    return replace(assessment, answers=(*kept, answer))


@SETTINGS
@given(assessments(CONTENT))
def test_same_input_same_result(assessment: Assessment) -> None:
    first = assess(CONTENT.checklist, CONTENT.model, assessment)
    shuffled = list(assessment.answers)
    random.Random(7).shuffle(shuffled)
    again = assess(CONTENT.checklist, CONTENT.model, replace(assessment, answers=tuple(shuffled)))
    assert first == again
    assert build_plan(CONTENT.checklist, CONTENT.model, first) == build_plan(
        CONTENT.checklist, CONTENT.model, again
    )


@SETTINGS
@given(assessments(CONTENT))
def test_contributions_add_up_to_the_score(assessment: Assessment) -> None:
    result = assess(CONTENT.checklist, CONTENT.model, assessment)
    assert sum(c.points for c in result.contributors) == result.score
    assert sum(s.points for s in result.rooms) == result.score
    assert sum(s.points for s in result.categories) == result.score
    raw_total = sum(c.raw for c in result.contributors) * CONTENT.model.points_per_log_odds.value
    assert abs(raw_total - result.score) <= 0.5 + 1e-9


@SETTINGS
@given(assessments(CONTENT))
def test_score_is_bounded(assessment: Assessment) -> None:
    result = assess(CONTENT.checklist, CONTENT.model, assessment)
    assert 0 <= result.score <= maximum_score(CONTENT.model)
    assert 0.0 <= result.vulnerability < 1.0
    assert all(c.points >= 0 and c.raw >= 0 for c in result.contributors)


@SETTINGS
@given(assessments(CONTENT), st.data())
def test_adding_a_hazard_never_lowers_the_risk(assessment: Assessment, data: st.DataObject) -> None:
    before = assess(CONTENT.checklist, CONTENT.model, assessment)
    candidates = []
    for item, room in applicable_slots(CONTENT.checklist, assessment):
        if not item.is_hazard_item:
            continue
        room_id = room.id if room else None
        current = assessment.answer(item.id, room_id)
        if current is None or not is_hazard(item, current):
            candidates.append((item, room_id))
    if not candidates:
        return
    item, room_id = data.draw(st.sampled_from(candidates))
    worse = with_answer(assessment, Answer(item.id, room_id, hazard_value(item), unit=item.unit))
    after = assess(CONTENT.checklist, CONTENT.model, worse)
    assert after.score >= before.score
    assert after.level_range.lowest.rank >= before.level_range.lowest.rank
    assert after.level_range.highest.rank >= before.level_range.highest.rank
    assert len(after.hazards) > len(before.hazards)


@SETTINGS
@given(assessments(CONTENT), st.integers(1, 12))
def test_a_yes_on_stay_independent_never_lowers_the_risk(assessment: Assessment, n: int) -> None:
    item_id = f"steadi.si.{n:02d}"
    lower = assess(
        CONTENT.checklist, CONTENT.model, with_answer(assessment, Answer(item_id, None, "no"))
    )
    higher = assess(
        CONTENT.checklist, CONTENT.model, with_answer(assessment, Answer(item_id, None, "yes"))
    )
    assert higher.score >= lower.score
    assert higher.level_range.lowest.rank >= lower.level_range.lowest.rank
    assert higher.level_range.highest.rank >= lower.level_range.highest.rank


@SETTINGS
@given(assessments(CONTENT))
def test_every_hazard_found_becomes_an_action(assessment: Assessment) -> None:
    result = assess(CONTENT.checklist, CONTENT.model, assessment)
    plan = build_plan(CONTENT.checklist, CONTENT.model, result)
    planned = {(a.item, a.room) for a in plan.actions if a.kind == "hazard"}
    found = {(h.item.id, h.room.id if h.room else None) for h in result.hazards}
    assert planned == found
    flags = [a for a in plan.actions if a.kind == "red_flag"]
    assert plan.actions[: len(flags)] == tuple(flags)
    ranks = sorted(a.benefit_rank for a in plan.actions if a.kind != "red_flag")
    assert ranks == list(range(1, len(ranks) + 1))


@SETTINGS
@given(assessments(CONTENT), st.data())
def test_answers_to_questions_not_asked_change_nothing(
    assessment: Assessment, data: st.DataObject
) -> None:
    """Answers kept from before a parent answer changed must not count (stale answers), except
    a warning sign: a "yes" to a red-flag question is never hidden (tests/unit/test_red_flags)."""
    before = assess(CONTENT.checklist, CONTENT.model, assessment)
    asked = {
        (item.id, room.id if room else None)
        for item, room in applicable_slots(CONTENT.checklist, assessment)
    }
    stale = [
        item
        for item in CONTENT.checklist.items
        if item.person_level
        and item.applies_if
        and (item.id, None) not in asked
        and item.type is not AnswerType.MEASURE
        and item.red_flag is None
    ]
    if not stale:
        return
    item = data.draw(st.sampled_from(stale))
    value = data.draw(st.sampled_from(item.allowed_values()))
    after = assess(
        CONTENT.checklist, CONTENT.model, with_answer(assessment, Answer(item.id, None, value))
    )
    assert after == before
