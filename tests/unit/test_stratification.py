"""The level follows the World Falls Guidelines 2022 stratification: golden cases for every
branch, and the certainty rule (an unanswered question is unknown, never safe)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from factories import make_assessment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import assessments, value_for

from safetycheck.content import Content, load_content
from safetycheck.domain.assessment import Answer, Assessment
from safetycheck.domain.checklist import AnswerType, Mode
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.scoring import Level, LevelRange, RiskResult, assess
from safetycheck.domain.steps import applicable_slots
from safetycheck.exchange.result_json import result_to_document

LOW, MODERATE, HIGH = Level.LOW, Level.MODERATE, Level.HIGH
FELL = {"steadi.si.01": "yes", "person.falls.count": "one"}
FRAIL3 = {
    "person.frail.fatigue": "yes",
    "person.frail.resistance": "yes",
    "person.frail.ambulation": "yes",
}


def strat(content: Content, person: dict[str, Any], mode: Mode = Mode.OT) -> RiskResult:
    """Every other question answered safely (OT mode answers a normal TUG of 10 s unless the
    case gives one)."""
    return assess(content.checklist, content.model, make_assessment(content, person, mode=mode))


# Each case: the person's answers, the mode, the level (None: not settled) and its range.
GOLDEN: list[tuple[str, dict[str, Any], Mode, Level | None, tuple[Level, Level]]] = [
    ("no key question, under 4 points", {"steadi.si.06": "yes"}, Mode.CAREGIVER, LOW, (LOW, LOW)),
    (
        "items 6, 7 and 8 only (3 points)",
        {"steadi.si.06": "yes", "steadi.si.07": "yes", "steadi.si.08": "yes"},
        Mode.CAREGIVER,
        LOW,
        (LOW, LOW),
    ),
    ("one fall, no severity sign, TUG 10 s", FELL, Mode.OT, LOW, (LOW, LOW)),
    (
        "one fall, no severity sign, TUG 18 s",
        {**FELL, "person.gait.tug": 18.0},
        Mode.OT,
        MODERATE,
        (MODERATE, MODERATE),
    ),
    (
        "one fall, TUG exactly 15 s (the cut-off is over 15)",
        {**FELL, "person.gait.tug": 15.0},
        Mode.OT,
        LOW,
        (LOW, LOW),
    ),
    (
        "two or more falls",
        {"steadi.si.01": "yes", "person.falls.count": "two_or_more"},
        Mode.OT,
        HIGH,
        (HIGH, HIGH),
    ),
    ("a fall with injury", {**FELL, "person.fall.injured": "yes"}, Mode.OT, HIGH, (HIGH, HIGH)),
    (
        "a fall with a long lie",
        {**FELL, "person.fall.long_lie": "yes"},
        Mode.OT,
        HIGH,
        (HIGH, HIGH),
    ),
    (
        "a fall with a blackout",
        {**FELL, "person.fall.blackout": "yes"},
        Mode.OT,
        HIGH,
        (HIGH, HIGH),
    ),
    ("a fall and frailty (FRAIL 3)", {**FELL, **FRAIL3}, Mode.OT, HIGH, (HIGH, HIGH)),
    (
        "a fall and pre-frail (FRAIL 2): not high",
        {**FELL, "person.frail.fatigue": "yes", "person.frail.weight_loss": "yes"},
        Mode.OT,
        LOW,
        (LOW, LOW),
    ),
    (
        "frail but no fall: frailty is a severity sign of a fall only",
        {"steadi.si.03": "yes", **FRAIL3},
        Mode.OT,
        LOW,
        (LOW, LOW),
    ),
    (
        "unsteady, no fall, TUG 16 s",
        {"steadi.si.03": "yes", "person.gait.tug": 16.0},
        Mode.OT,
        MODERATE,
        (MODERATE, MODERATE),
    ),
    (
        "unsteady, gait speed 0.7 m/s",
        {"steadi.si.03": "yes", "person.gait.test": "speed", "person.gait.speed": 0.7},
        Mode.OT,
        MODERATE,
        (MODERATE, MODERATE),
    ),
    (
        "4 points and no key question (walking aid 2, items 6 and 7), TUG 20 s",
        {
            "steadi.si.02": "yes",
            "steadi.si.06": "yes",
            "steadi.si.07": "yes",
            "person.gait.tug": 20.0,
        },
        Mode.OT,
        MODERATE,
        (MODERATE, MODERATE),
    ),
    (
        "worried only, caregiver mode, no gait test",
        {"steadi.si.05": "yes"},
        Mode.CAREGIVER,
        None,
        (LOW, MODERATE),
    ),
    (
        "two falls, caregiver mode: high without a gait test",
        {"steadi.si.01": "yes", "person.falls.count": "two_or_more"},
        Mode.CAREGIVER,
        HIGH,
        (HIGH, HIGH),
    ),
]


@pytest.mark.parametrize(
    ("person", "mode", "level", "bounds"),
    [case[1:] for case in GOLDEN],
    ids=[case[0] for case in GOLDEN],
)
def test_the_stratification_golden_cases(
    content: Content,
    person: dict[str, Any],
    mode: Mode,
    level: Level | None,
    bounds: tuple[Level, Level],
) -> None:
    result = strat(content, person, mode)
    assert result.level is level
    assert (result.level_range.lowest, result.level_range.highest) == bounds
    assert result.stratification.reasons  # every result says why, in the guideline's terms


def test_the_gait_test_done_settles_the_level(content: Content) -> None:
    """One test is recorded, the one chosen; "could not do it" counts as impaired."""
    cases: list[tuple[dict[str, Any], Level | None]] = [
        ({"person.gait.test": "speed", "person.gait.speed": 0.7}, MODERATE),
        ({"person.gait.test": "speed", "person.gait.speed": 1.0}, LOW),
        ({"person.gait.test": "tug", "person.gait.tug": 15.5}, MODERATE),
        ({"person.gait.test": "unable"}, MODERATE),
        ({"person.gait.test": "not_done"}, None),
    ]
    for answers, level in cases:
        result = strat(content, {"steadi.si.03": "yes", **answers})
        assert result.level is level, answers
        assert result.complete, answers
    untested = strat(content, {"steadi.si.03": "yes", "person.gait.test": "not_done"})
    assert untested.stratification.needs_gait_test
    assert (untested.level_range.lowest, untested.level_range.highest) == (LOW, MODERATE)
    # A test chosen but its result not typed in yet: open, and counted as unanswered.
    assessment = make_assessment(content, {"steadi.si.03": "yes"}, mode=Mode.OT)
    pending = replace(
        assessment, answers=tuple(a for a in assessment.answers if a.item != "person.gait.tug")
    )
    result = assess(content.checklist, content.model, pending)
    assert result.level is None
    assert result.unanswered == 1
    # A result kept from a test not chosen any more does not count (only one test is asked).
    switched = replace(
        assessment,
        answers=(
            *(a for a in assessment.answers if a.item != "person.gait.test"),
            Answer("person.gait.test", None, "speed"),
            Answer("person.gait.speed", None, 1.1, unit="m/s"),
        ),
    )
    kept_tug = replace(
        switched,
        answers=(
            *(a for a in switched.answers if a.item != "person.gait.tug"),
            Answer("person.gait.tug", None, 30.0, unit="s"),
        ),
    )
    assert assess(content.checklist, content.model, kept_tug).level is LOW


def test_reasons_and_missing_use_the_guidelines_terms(content: Content) -> None:
    high = strat(content, {**FELL, "person.fall.long_lie": "yes"})
    assert any("Screened at risk (case finding)" in r for r in high.level_reasons)
    assert any("severity sign" in r and "unable to get up" in r for r in high.level_reasons)
    moderate = strat(content, {"steadi.si.03": "yes", "person.gait.tug": 16.0})
    assert any("Timed Up and Go 16 s (over 15 s)" in r for r in moderate.level_reasons)
    untested = strat(content, {"steadi.si.05": "yes"}, Mode.CAREGIVER)
    assert untested.stratification.missing == (
        "a gait and balance test (Timed Up and Go or gait speed)",
    )
    document = result_to_document(untested, evaluate(content, _visit(content)).plan)
    assert document["stratification"]["level"] is None
    assert document["level_range"] == ["low", "moderate"]
    settled = result_to_document(moderate, evaluate(content, _visit(content)).plan)
    assert settled["stratification"]["level"] == "intermediate"  # the guideline's word
    assert settled["level"] == "moderate"  # the program's


def _visit(content: Content) -> Assessment:
    return make_assessment(content, {})


def test_a_positive_screen_without_a_gait_test_asks_for_one_first(content: Content) -> None:
    evaluation = evaluate(
        content, make_assessment(content, {"steadi.si.05": "yes"}, mode=Mode.CAREGIVER)
    )
    first = evaluation.plan.first(2)
    assert [a.item for a in first] == ["stratification.gait_test", "stratification"]
    assert "Timed Up and Go" in first[0].text
    assert "falls risk assessment" in first[1].text


def test_high_risk_asks_for_a_full_assessment_urgently(content: Content) -> None:
    evaluation = evaluate(content, make_assessment(content, {**FELL, "person.fall.injured": "yes"}))
    first = evaluation.plan.first(1)[0]
    assert first.item == "stratification"
    assert first.priority == "urgent"
    assert "full falls assessment" in first.text


def test_nothing_answered_is_never_low(content: Content) -> None:
    result = strat(content, {}, Mode.CAREGIVER)
    empty = assess(
        content.checklist,
        content.model,
        make_assessment(content, {}, complete=False),
    )
    assert result.level is LOW  # everything answered safely
    assert empty.level is None
    assert (empty.level_range.lowest, empty.level_range.highest) == (LOW, HIGH)
    assert not empty.complete
    assert empty.unanswered > 50
    assert "steadi.si.01" not in {q.item for q in empty.unanswered_red_flags}
    assert {"person.rf.bladder_bowel", "person.rf.stroke"} <= {
        q.item for q in empty.unanswered_red_flags
    }


def test_an_unanswered_severity_sign_keeps_high_open(content: Content) -> None:
    assessment = make_assessment(content, FELL, mode=Mode.OT)
    answers = tuple(a for a in assessment.answers if a.item != "person.fall.injured")
    result = assess(content.checklist, content.model, replace(assessment, answers=answers))
    assert result.level is None
    assert (result.level_range.lowest, result.level_range.highest) == (LOW, HIGH)
    assert result.stratification.missing == ("whether a fall caused an injury",)


def test_level_range_keys_round_trip() -> None:
    for low in Level:
        for high in Level:
            if high.rank >= low.rank:
                level_range = LevelRange(low, high)
                assert LevelRange.from_key(level_range.key) == level_range
    assert LevelRange(LOW, MODERATE).label == "Low to moderate risk"
    assert LevelRange(HIGH, HIGH).label == "High risk"


# ---- the certainty property ----------------------------------------------------------------

CONTENT = load_content()


def _complete(assessment: Assessment, data: st.DataObject) -> Assessment:
    """Answer every question that applies and has no answer, at random, until none is left
    (answers open new questions)."""
    for _ in range(10):
        answered = {(a.item, a.room) for a in assessment.answers}
        new = []
        for item, room in applicable_slots(CONTENT.checklist, assessment):
            key = (item.id, room.id if room else None)
            if key in answered:
                continue
            value = data.draw(value_for(item))
            unit = item.unit if item.type is AnswerType.MEASURE else ""
            new.append(Answer(item.id, key[1], value, unit=unit))
        if not new:
            return assessment
        assessment = replace(assessment, answers=(*assessment.answers, *new))
    raise AssertionError("answering never finished")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(assessments(CONTENT), st.data())
def test_every_completion_lies_inside_the_level_range(
    partial: Assessment, data: st.DataObject
) -> None:
    before = assess(CONTENT.checklist, CONTENT.model, partial)
    completed = _complete(partial, data)
    after = assess(CONTENT.checklist, CONTENT.model, completed)
    assert after.complete
    assert before.level_range.contains(after.level_range), (before.level_range, after.level_range)
    # No red flag can appear that was not either raised already or listed as not yet asked.
    possible = {q.item for q in before.unanswered_red_flags} | {f.item for f in before.red_flags}
    assert {f.item for f in after.red_flags} <= possible
    assert after.unanswered_red_flags == ()
