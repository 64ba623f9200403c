"""The walkthrough's steps, declared once (domain/steps.py), and the values every view shares."""

from __future__ import annotations

from dataclasses import replace

from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.assessment import Answer
from safetycheck.domain.checklist import Mode, Page
from safetycheck.domain.evaluation import FIRST_ACTIONS, TOP_REASONS, evaluate
from safetycheck.domain.report import build_plan_report
from safetycheck.domain.steps import StepKind, applicable_slots, blank_steps, steps
from safetycheck.reports.summary_text import format_summary


def kinds(content: Content, person: dict[str, str | float]) -> list[StepKind]:
    assessment = make_assessment(content, person=person, complete=False)
    return [step.kind for step in steps(content.checklist, assessment)]


def test_the_steps_follow_the_walkthrough_order_and_the_home(content: Content) -> None:
    assessment = make_assessment(content, complete=False)
    found = steps(content.checklist, assessment)
    assert [s.kind for s in found] == [
        StepKind.WHO,
        StepKind.PERSON,
        StepKind.HOME,
        StepKind.HOME_CHECKS,
        *[StepKind.ROOM] * len(assessment.rooms),
        StepKind.FOOTWEAR,
        StepKind.SUMMARY,
    ]
    rooms = [s for s in found if s.kind is StepKind.ROOM]
    assert [s.room for s in rooms] == list(assessment.rooms)
    assert [s.key for s in rooms] == [f"room:{room.id}" for room in assessment.rooms]
    assert [s.key for s in found if s.kind is not StepKind.ROOM] == [
        "who",
        "person",
        "home",
        "home_checks",
        "footwear",
        "summary",
    ]
    for step in rooms:
        assert step.room is not None
        assert step.items
        assert all(item.applies_to_room(step.room.kind) for item in step.items)


def test_the_brace_step_appears_when_its_items_apply(content: Content) -> None:
    # No item id is named in steps(): the brace page shows because its items apply. The skin
    # check and the knee advice are for everyone with foot drop, brace or not.
    for brace in ("afo", "other_brace", "none", "fes"):
        present = StepKind.BRACE in kinds(
            content, {"person.fd.present": "yes", "person.fd.brace": brace}
        )
        assert present, brace
    assert StepKind.BRACE not in kinds(content, {"person.fd.present": "no"})
    assert StepKind.BRACE not in kinds(content, {})


def test_the_caregiver_is_not_asked_the_ot_items(content: Content) -> None:
    caregiver = make_assessment(content, complete=False, mode=Mode.CAREGIVER)
    ot = replace(caregiver, mode=Mode.OT)
    asked = {item.id for step in steps(content.checklist, caregiver) for item in step.items}
    asked_ot = {item.id for step in steps(content.checklist, ot) for item in step.items}
    assert asked < asked_ot
    assert all(content.checklist.item(i).mode == "ot" for i in asked_ot - asked)


def test_slots_are_the_asked_items_of_every_step(content: Content) -> None:
    assessment = make_assessment(
        content, person={"person.fd.present": "yes", "person.fd.brace": "afo"}
    )
    slots = applicable_slots(content.checklist, assessment)
    # Exactly the answered slots of a complete assessment, in step order.
    assert {(i.id, r.id if r else None) for i, r in slots} == {
        (a.item, a.room) for a in assessment.answers
    }
    pages = [item.page for item, _ in slots]
    first = {page: pages.index(page) for page in Page}
    assert first[Page.PERSON] < first[Page.HOME] < first[Page.ROOM] < first[Page.FOOTWEAR]
    assert first[Page.FOOTWEAR] < first[Page.BRACE]


def test_the_paper_checklist_has_every_step_and_one_page_per_room_kind(content: Content) -> None:
    found = blank_steps(content.checklist, Mode.OT)
    kinds_found = [s.kind for s in found]
    assert StepKind.BRACE in kinds_found
    rooms = [s for s in found if s.kind is StepKind.ROOM]
    assert [s.title for s in rooms] == [
        k.name
        for k in content.checklist.room_kinds
        if any(i.applies_to_room(k.id) for i in content.checklist.items_on(Page.ROOM))
    ]
    asked = sorted(i.id for s in found for i in s.items)
    person_level = [i.id for i in content.checklist.items if i.person_level and i.asked_in(Mode.OT)]
    per_room_kind = [
        i.id
        for k in content.checklist.room_kinds
        for i in content.checklist.items_on(Page.ROOM)
        if i.asked_in(Mode.OT) and i.applies_to_room(k.id)
    ]
    assert asked == sorted(person_level + per_room_kind)


def test_a_copy_with_other_answers_answers_with_them(content: Content) -> None:
    """The trap of version 1: a copy made with dataclasses.replace kept the old answers' index."""
    assessment = make_assessment(content, complete=False, person={"steadi.si.01": "no"})
    changed = replace(assessment, answers=(Answer("steadi.si.01", None, "yes"),))
    assert changed.answer("steadi.si.01") == Answer("steadi.si.01", None, "yes")
    assert assessment.answer("steadi.si.01") == Answer("steadi.si.01", None, "no")
    emptied = replace(assessment, answers=())
    assert emptied.answer("steadi.si.01") is None


def test_every_view_renders_the_one_summary(content: Content) -> None:
    assessment = make_assessment(
        content,
        person={"steadi.si.01": "yes", "person.fd.present": "yes", "person.fd.brace": "afo"},
        changes={("room.floors.rugs", "r2"): "no", ("room.clutter.cords", "r2"): "no"},
    )
    evaluation = evaluate(content, assessment)
    summary = evaluation.summary
    assert 0 < len(summary.top_reasons) <= TOP_REASONS
    assert 0 < len(summary.first_actions) <= FIRST_ACTIONS
    assert summary.disclaimer == content.report_text.disclaimer
    text = format_summary(evaluation)
    assert summary.disclaimer in text
    assert all(label in text for label, _ in summary.top_reasons)
    assert all(action.text in text for action in summary.first_actions)
    report = build_plan_report(content.checklist, assessment, evaluation, content.report_text)
    assert report.top_reasons == summary.top_reasons
    assert report.disclaimer == summary.disclaimer
    assert [line.text for line in report.first_actions] == [a.text for a in summary.first_actions]


def test_questions_of_the_whole_home_are_asked_once_and_in_no_room(content: Content) -> None:
    checklist = content.checklist
    assessment = make_assessment(content, complete=False)
    found = steps(checklist, assessment)
    facts = {"mode": assessment.mode.value}
    around = [s for s in found if s.kind is StepKind.HOME_CHECKS]
    assert len(around) == 1
    assert around[0].title == "Around the home"
    assert around[0].room is None
    home_items = {item.id for item in around[0].asked(facts, assessment.mode)}
    assert home_items == {"home.floors.pets", "home.light.bulbs"}
    for step in found:
        if step.kind is StepKind.ROOM:
            asked = {item.id for item in step.asked(facts, assessment.mode)}
            assert not asked & home_items, step.title
            # Nothing that used to be asked everywhere is still asked in every room kind.
            assert not {"room.floors.pets", "room.light.bulbs"} & asked
    slots = applicable_slots(checklist, assessment)
    assert [(i.id, r) for i, r in slots if i.id in home_items] == [
        ("home.floors.pets", None),
        ("home.light.bulbs", None),
    ]
    # The same on paper: once, not on each room's page.
    paper = blank_steps(checklist, Mode.CAREGIVER)
    on_paper = [i.id for s in paper for i in s.items if i.page is Page.HOME]
    assert on_paper == ["home.floors.pets", "home.light.bulbs"]


def test_no_check_for_every_room_is_left_in_the_rooms(content: Content) -> None:
    """A check asked in every kind of room is a question about the whole home: it belongs in
    "Around the home" (the bug was the pets question in every room)."""
    for item in content.checklist.items_on(Page.ROOM):
        assert "*" not in item.rooms, item.id
