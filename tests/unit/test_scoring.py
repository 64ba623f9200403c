"""The risk model's behaviour on hand-made cases: each principle of the model, one test."""

from __future__ import annotations

from typing import Any

from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.plan import build_plan
from safetycheck.domain.scoring import Level, RiskResult, assess

ROBUST = {"person.vision": "good", "person.medicines": "few", "person.night_toilet": "none"}
FOOT_DROP = {**ROBUST, "person.fd.present": "yes", "steadi.si.03": "yes"}
HALLWAY_NIGHT = (("hallway", "Hallway", True, False),)
HALLWAY_DAY = (("hallway", "Hallway", False, False),)


def score(content: Content, **kwargs: Any) -> RiskResult:
    return assess(content.checklist, content.model, make_assessment(content, **kwargs))


def points(result: RiskResult, item: str) -> int:
    return sum(c.points for c in result.contributors if c.item == item)


def raw(result: RiskResult, item: str) -> float:
    return sum(c.raw for c in result.contributors if c.item == item)


def test_a_safe_home_and_robust_person_score_zero(content: Content) -> None:
    result = score(content, person=ROBUST)
    assert result.score == 0
    assert result.level is Level.LOW
    assert result.hazards == ()
    assert result.red_flags == ()
    assert result.unanswered == 0


def test_hazards_count_more_for_a_vulnerable_person(content: Content) -> None:
    rug = {("room.floors.rugs", "r1"): "no"}
    robust = score(content, person=ROBUST, rooms=HALLWAY_DAY, changes=rug)
    frail = score(
        content,
        person={**ROBUST, "steadi.si.01": "yes", "steadi.si.02": "yes"},
        rooms=HALLWAY_DAY,
        changes=rug,
    )
    assert robust.vulnerability == 0.0
    assert robust.environment_scale == content.model.environment_floor.value
    assert raw(frail, "room.floors.rugs") > 2 * raw(robust, "room.floors.rugs")


def test_night_route_makes_a_hazard_count_more(content: Content) -> None:
    rug = {("room.floors.rugs", "r1"): "no"}
    day = score(content, person=FOOT_DROP, rooms=HALLWAY_DAY, changes=rug)
    night = score(content, person=FOOT_DROP, rooms=HALLWAY_NIGHT, changes=rug)
    multiplier = content.model.exposure("night_route").multiplier
    assert abs(raw(night, "room.floors.rugs") / raw(day, "room.floors.rugs") - multiplier) < 1e-9
    label = next(c.label for c in night.contributors if c.item == "room.floors.rugs")
    assert label == "Loose rug or mat in the Hallway, on the night route, with foot drop"


def test_trip_hazards_count_more_with_foot_drop(content: Content) -> None:
    rug = {("room.floors.rugs", "r1"): "no"}
    # Same vulnerability either way: unsteadiness without foot drop vs foot drop without it.
    plain = score(content, person={**ROBUST, "steadi.si.03": "yes"}, rooms=HALLWAY_DAY, changes=rug)
    foot_drop = score(
        content, person={**ROBUST, "person.fd.present": "yes"}, rooms=HALLWAY_DAY, changes=rug
    )
    assert plain.person_log_odds == foot_drop.person_log_odds
    assert raw(foot_drop, "room.floors.rugs") > raw(plain, "room.floors.rugs")


def test_overlapping_factors_count_less(content: Content) -> None:
    one = score(content, person={**ROBUST, "steadi.si.03": "yes"})
    two = score(content, person={**ROBUST, "steadi.si.03": "yes", "steadi.si.07": "yes"})
    # Both are gait problems (OR 2.1): the second in the same domain counts half.
    assert abs(two.person_log_odds - 1.5 * one.person_log_odds) < 1e-9


def test_socks_are_a_footwear_hazard_not_a_person_factor(content: Content) -> None:
    # Koepsell 2004 measured footwear at the time of the fall: an exposure, fixed by shoes.
    result = score(content, person={**ROBUST, "footwear.indoor": "socks"})
    assert [(c.kind, c.item) for c in result.contributors] == [("hazard", "footwear.indoor")]
    assert result.vulnerability == 0.0  # it does not scale the rest of the home
    assert result.score_if_home_fixed == 0
    plan = build_plan(content.checklist, content.model, result)
    assert any(a.item == "footwear.indoor" for a in plan.actions)


def test_equal_factors_in_a_domain_get_equal_points(content: Content) -> None:
    # Walking aid and furniture-walking both weigh ln 2.2: the split follows no alphabet.
    result = score(content, person={**ROBUST, "steadi.si.02": "yes", "steadi.si.04": "yes"})
    shares = {c.item: c.raw for c in result.contributors}
    assert abs(shares["walking_aid"] - shares["furniture_walking"]) < 1e-12
    assert sum(c.points for c in result.contributors) == result.score


def test_red_flags_are_reported_and_not_scored(content: Content) -> None:
    calm = score(content, person=FOOT_DROP)
    flagged = score(
        content,
        person={**FOOT_DROP, "person.rf.new_weakness": "yes", "person.rf.bladder_bowel": "yes"},
    )
    assert flagged.score == calm.score
    # Most urgent first: the emergency, then the same-day sign.
    assert [(f.item, f.urgency) for f in flagged.red_flags] == [
        ("person.rf.bladder_bowel", "emergency"),
        ("person.rf.new_weakness", "today"),
    ]
    assert flagged.red_flags[0].title == "Call the emergency number now"


def test_brace_skin_damage_is_a_red_flag_and_urgent_first(content: Content) -> None:
    person = {**FOOT_DROP, "person.fd.brace": "afo"}
    result = score(
        content,
        person={**person, "brace.skin.damage": "yes", "brace.strap_knee": "no"},
        changes={("room.floors.rugs", "r2"): "no"},
    )
    assert [(f.item, f.urgency) for f in result.red_flags] == [("brace.skin.damage", "today")]
    assert not any(c.item == "brace.skin.damage" for c in result.contributors)
    plan = build_plan(content.checklist, content.model, result)
    kinds = [(a.kind, a.item) for a in plan.actions[:4]]
    assert kinds[0] == ("red_flag", "brace.skin.damage")
    # Then the urgent brace finding, then the guideline's next steps (a walking and balance
    # test, as none is recorded; then the falls risk assessment), before any other fix.
    assert kinds[1:] == [
        ("hazard", "brace.strap_knee"),
        ("person", "stratification.gait_test"),
        ("person", "stratification"),
    ]


def test_questions_not_asked_are_not_scored(content: Content) -> None:
    # AFO questions answered badly, but no brace is worn: they do not apply.
    result = score(
        content, person={**FOOT_DROP, "person.fd.brace": "none", "brace.strap_knee": "no"}
    )
    assert result.red_flags == ()
    assert not any(h.item.id == "brace.strap_knee" for h in result.hazards)


def test_unanswered_checks_are_counted_not_scored(content: Content) -> None:
    result = score(content, person={"steadi.si.01": "no"}, complete=False)
    assert result.unanswered > 50
    assert result.stay_independent.missing == 11


def test_environment_is_capped(content: Content) -> None:
    many_rooms = tuple(("hallway", f"Hall {n}", True, False) for n in range(1, 40))
    changes = {
        (item, f"r{n}"): "no"
        for n in range(1, 40)
        for item in ("room.floors.rugs", "room.clutter.paths", "room.clutter.cords")
    }
    result = score(content, person=FOOT_DROP, rooms=many_rooms, changes=changes)
    env = sum(c.raw for c in result.contributors if c.kind == "hazard")
    assert env <= content.model.environment_cap.value + 1e-9
    assert sum(c.points for c in result.contributors) == result.score


def test_versions_are_reported(content: Content) -> None:
    result = score(content, person=ROBUST)
    assert result.checklist_version == content.checklist.version
    assert result.model_version == content.model.version


def test_an_answer_kept_from_before_does_not_count(content: Content) -> None:
    # "Hurt in a fall: yes" was given, then "fallen in the past year" changed to no.
    result = score(
        content,
        person={**ROBUST, "steadi.si.01": "no", "person.fall.injured": "yes"},
    )
    assert result.level is Level.LOW
    # Foot drop changed to no: the old brace answers raise no red flag and no hazard.
    result = score(
        content,
        person={
            **ROBUST,
            "person.fd.present": "no",
            "person.fd.brace": "afo",
            "person.fd.numbness": "yes",
            "brace.strap_knee": "no",
            "brace.skin.damage": "yes",
        },
        complete=False,
    )
    assert result.score == 0
    assert result.hazards == ()
    # A warning sign someone reported is never hidden by a later answer.
    assert [f.item for f in result.red_flags] == ["brace.skin.damage"]


def test_ties_follow_the_homes_order_of_rooms_not_their_ids(content: Content) -> None:
    """Two rooms with the same hazard score the same; they are listed in the home's order, the
    same every time (room ids are random, so ordering by id would shuffle them)."""
    from dataclasses import replace

    from safetycheck.domain.evaluation import evaluate

    rooms = (("hallway", "Hall A", False, False), ("hallway", "Hall B", False, False))
    assessment = make_assessment(
        content,
        rooms=rooms,
        changes={("room.floors.rugs", "r1"): "no", ("room.floors.rugs", "r2"): "no"},
    )
    renamed = {"r1": "zz", "r2": "aa"}  # the other way round alphabetically
    other = replace(
        assessment,
        rooms=tuple(replace(r, id=renamed[r.id]) for r in assessment.rooms),
        answers=tuple(
            replace(a, room=renamed[a.room]) if a.room else a for a in assessment.answers
        ),
    )
    for version in (assessment, other):
        evaluation = evaluate(content, version)
        rugs = [c.room_name for c in evaluation.result.contributors if c.item == "room.floors.rugs"]
        assert rugs == ["Hall A", "Hall B"]
        actions = [a.room_name for a in evaluation.plan.actions if a.item == "room.floors.rugs"]
        assert actions == ["Hall A", "Hall B"]
