"""Red flags by urgency, asked of everyone they concern: every tier, every gating path, the time
windows, and the rule that a reported warning sign is never hidden or scored."""

from __future__ import annotations

import pytest
from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.checklist import AnswerType, Mode, Page, Urgency
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.scoring import RiskResult, assess
from safetycheck.domain.steps import StepKind, steps
from safetycheck.reports.summary_text import format_summary

FOOT_DROP = {"person.fd.present": "yes"}

TIERS = [
    ("person.rf.bladder_bowel", {}, Urgency.EMERGENCY),
    ("person.rf.stroke", {}, Urgency.EMERGENCY),
    ("person.rf.new_weakness", {}, Urgency.TODAY),
    ("person.rf.worsening", {}, Urgency.TODAY),
    ("person.rf.leg_new", {}, Urgency.TODAY),
    ("person.rf.wound", {}, Urgency.TODAY),
    ("brace.skin.damage", FOOT_DROP, Urgency.TODAY),
    ("brace.skin.red30", {**FOOT_DROP, "person.fd.brace": "afo"}, Urgency.SOON),
]


def result_for(content: Content, person: dict[str, str], complete: bool = True) -> RiskResult:
    return assess(
        content.checklist, content.model, make_assessment(content, person, complete=complete)
    )


@pytest.mark.parametrize(("item_id", "context", "urgency"), TIERS, ids=[t[0] for t in TIERS])
def test_each_warning_sign_raises_its_tier_and_adds_no_points(
    content: Content, item_id: str, context: dict[str, str], urgency: Urgency
) -> None:
    calm = result_for(content, context)
    flagged = result_for(content, {**context, item_id: "yes"})
    assert calm.red_flags == ()
    assert [(f.item, f.urgency) for f in flagged.red_flags] == [(item_id, urgency)]
    tier = content.checklist.urgency(urgency)
    assert (flagged.red_flags[0].title, flagged.red_flags[0].advice) == (tier.title, tier.advice)
    assert flagged.score == calm.score  # red flags are never folded into the score


def test_every_tier_has_plain_words_and_a_cited_source(content: Content) -> None:
    titles = {tier.urgency: tier.title for tier in content.checklist.urgencies}
    assert titles == {
        Urgency.EMERGENCY: "Call the emergency number now",
        Urgency.TODAY: "Get seen today",
        Urgency.SOON: "Contact the orthotist or doctor within days",
    }
    for tier in content.checklist.urgencies:
        assert tier.advice
        assert tier.source


def test_red_flag_questions_read_the_same_way_round(content: Content) -> None:
    flagged = [item for item in content.checklist.items if item.red_flag is not None]
    assert len(flagged) == len(TIERS)
    for item in flagged:
        assert item.red_flag is not None
        assert item.type is AnswerType.YESNO, item.id  # no "Not applicable" to silence it
        assert item.red_flag.values == ("yes",), item.id  # Yes = the warning sign is there
        assert item.severity is None, item.id  # adds no points
        assert item.mode == "all", item.id  # caregivers and OTs alike
        assert item.safe_values == ("no",), item.id


def test_warning_signs_about_the_body_are_asked_of_everyone(content: Content) -> None:
    for item in content.checklist.items:
        if item.red_flag is not None and item.page is Page.PERSON:
            assert item.applies_if == (), item.id  # never hidden behind another question


def test_onset_questions_ask_about_new_signs_in_a_stated_window(content: Content) -> None:
    checklist = content.checklist
    assert not checklist.has_item("person.fd.sudden")  # no window: alarmed at every visit
    assert checklist.retired_item("person.fd.sudden") is not None
    for item_id, window in (
        ("person.rf.new_weakness", "past four weeks"),
        ("person.rf.bladder_bowel", "past four weeks"),
        ("person.rf.stroke", "past few days"),
    ):
        text = checklist.item(item_id).text.lower()
        assert window in text, item_id
        assert any(word in text for word in ("new", "sudden", "not like that before")), item_id
    # An old, settled stroke foot drop: "no" to new weakness, and nothing alarms.
    settled = result_for(content, {**FOOT_DROP, "person.fd.cause": "stroke"})
    assert settled.red_flags == ()


def test_an_unanswered_gate_never_hides_a_warning_sign_question(content: Content) -> None:
    nothing = result_for(content, {}, complete=False)
    asked = {q.item for q in nothing.unanswered_red_flags}
    # Foot drop not answered yet: the skin-damage question may apply, so it is listed; the
    # AFO redness question too (the brace question is not answered either).
    assert asked == {item for item, _, _ in TIERS}
    no_foot_drop = result_for(content, {"person.fd.present": "no"}, complete=False)
    assert "brace.skin.damage" not in {q.item for q in no_foot_drop.unanswered_red_flags}
    no_brace = result_for(content, {**FOOT_DROP, "person.fd.brace": "none"}, complete=False)
    listed = {q.item for q in no_brace.unanswered_red_flags}
    assert "brace.skin.damage" in listed  # everyone with foot drop
    assert "brace.skin.red30" not in listed  # only with a brace


def test_bladder_loss_alarms_whatever_else_is_answered(content: Content) -> None:
    # 1.0 asked it only after "foot drop: yes", so with that unanswered it was silent.
    alone = result_for(content, {"person.rf.bladder_bowel": "yes"}, complete=False)
    assert [(f.item, f.urgency) for f in alone.red_flags] == [
        ("person.rf.bladder_bowel", Urgency.EMERGENCY)
    ]


def test_a_reported_warning_sign_survives_a_changed_answer(content: Content) -> None:
    # Skin damage reported, then "foot drop" changed to no: the sign is still shown.
    changed = result_for(
        content, {"person.fd.present": "no", "brace.skin.damage": "yes"}, complete=False
    )
    assert [f.item for f in changed.red_flags] == ["brace.skin.damage"]


def test_fes_users_and_everyone_with_foot_drop_get_the_skin_and_knee_checks(
    content: Content,
) -> None:
    for brace in ("none", "afo", "fes", "other_brace"):
        assessment = make_assessment(content, {**FOOT_DROP, "person.fd.brace": brace})
        brace_step = next(
            s for s in steps(content.checklist, assessment) if s.kind is StepKind.BRACE
        )
        asked = {
            item.id for item in brace_step.items if item.id in {a.item for a in assessment.answers}
        }
        assert {"brace.skin.daily", "brace.skin.damage", "brace.clothing"} <= asked, brace
        assert ("brace.fes.skin" in asked) is (brace == "fes"), brace
        assert ("brace.strap_knee" in asked) is (brace in ("afo", "other_brace")), brace


def test_the_same_words_in_the_summary_as_in_the_content(content: Content) -> None:
    assessment = make_assessment(
        content, {"person.rf.stroke": "yes", "person.rf.leg_new": "yes"}, mode=Mode.CAREGIVER
    )
    evaluation = evaluate(content, assessment)
    text = format_summary(evaluation)
    emergency = content.checklist.urgency(Urgency.EMERGENCY)
    today = content.checklist.urgency(Urgency.TODAY)
    assert text.index(emergency.title.upper()) < text.index(today.title.upper())
    assert emergency.advice in text
    assert today.advice in text
    first = evaluation.plan.actions[0]
    assert (first.kind, first.item) == ("red_flag", "person.rf.stroke")
    assert first.text == f"{emergency.title}. {emergency.advice}"


def test_no_red_flags_is_said_only_when_every_question_was_answered(content: Content) -> None:
    partial = evaluate(content, make_assessment(content, {}, complete=False)).summary
    assert "No red flags" not in partial.red_flag_status
    assert "not answered yet" in partial.red_flag_status
    done = evaluate(content, make_assessment(content, {})).summary
    assert done.red_flag_status.startswith("No red flags: every warning-sign question was answered")
