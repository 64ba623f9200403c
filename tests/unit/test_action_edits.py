"""Recommendations edited per visit (text, priority, who does it), against the in-memory unit of
work: the checks on what is typed, conflicts, and the plan that shows the edits.

The same use case on SQLite and PostgreSQL, and the printed plan: tests/integration/
test_action_edits_db.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import FakeStore, fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.assessment import ActionKind, ActionStatus
from safetycheck.domain.checklist import Mode, Priority, Who
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.plan import PlanAction
from safetycheck.domain.report import build_plan_report
from safetycheck.domain.visits import ActionView
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.errors import ConflictError, InvalidInputError
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace

NEW_TEXT = "Take the hall runner up; Sam will fit a gripper under the kitchen rug."


@pytest.fixture
def fake(content: Content) -> tuple[Workspace, FakeStore]:
    return fake_workspace(content, TickingClock())


def hazard(ws: Workspace, visit_id: str, item: str) -> ActionView:
    return next(
        a
        for a in visits.list_actions(ws, visit_id)
        if a.item == item and a.kind is ActionKind.HAZARD
    )


def planned(ws: Workspace, visit_id: str, action: ActionView) -> PlanAction:
    plan = visits.evaluate_visit(ws, visit_id).plan
    return next(a for a in plan.actions if (a.kind, a.item, a.room) == action.key)


def test_an_edit_is_what_the_plan_and_its_summary_say(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    visit = create_demo(ws)
    cords = hazard(ws, visit, "room.clutter.cords")
    own = planned(ws, visit, cords)
    commits = store.commits
    edited = visits.edit_action(
        ws,
        cords.id,
        text=f"  {NEW_TEXT}\n",
        priority="urgent",
        who="caregiver",
        expected_version=cords.version,
    )
    assert store.commits == commits + 1
    assert (edited.text, edited.priority, edited.who) == (NEW_TEXT, "urgent", "caregiver")
    assert edited.version == cords.version + 1
    assert visits.list_actions(ws, visit) == [
        edited if a.id == cords.id else a for a in visits.list_actions(ws, visit)
    ]
    shown = planned(ws, visit, cords)
    assert (shown.text, shown.priority, shown.who) == (NEW_TEXT, Priority.URGENT, Who.CAREGIVER)
    assert shown.edited
    assert shown.original == own  # the plan's own words, for "back to the plan's wording"
    # The summary's first actions and the printed plan's lines say the same words.
    evaluation = visits.evaluate_visit(ws, visit)
    assessment = visits.load_assessment(ws, visit)
    report = build_plan_report(ws.content.checklist, assessment, evaluation, ws.content.report_text)
    lines = [line for section in report.sections for line in section.actions]
    assert NEW_TEXT in [line.what_to_do for line in lines]
    assert own.text not in [line.what_to_do for line in lines]
    line = next(line for line in lines if line.what_to_do == NEW_TEXT)
    assert (line.priority, line.who) == ("Urgent", "Caregiver")


def test_an_edited_priority_moves_the_action_among_that_priority(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    visit = create_demo(ws)
    plan = visits.evaluate_visit(ws, visit).plan
    fixes = [a for a in plan.actions if a.kind is not ActionKind.RED_FLAG]
    last = fixes[-1]
    assert last.priority is not Priority.URGENT
    stored = next(
        a for a in visits.list_actions(ws, visit) if a.key == (last.kind, last.item, last.room)
    )
    visits.edit_action(
        ws, stored.id, text=None, priority="urgent", who=None, expected_version=stored.version
    )
    after = visits.evaluate_visit(ws, visit).plan
    ranked: list[tuple[ActionKind, str, str | None]] = [
        (a.kind, a.item, a.room) for a in after.actions if a.kind is not ActionKind.RED_FLAG
    ]
    moved = ranked.index(stored.key)
    assert moved < len(ranked) - 1
    before_it = [a for a in after.actions if a.kind is not ActionKind.RED_FLAG][:moved]
    assert all(a.priority is Priority.URGENT for a in before_it)
    assert after.actions[0].kind is plan.actions[0].kind  # red flags stay first
    # Its text and who are still the plan's own.
    mine = next(a for a in after.actions if (a.kind, a.item, a.room) == stored.key)
    assert (mine.text, mine.who) == (last.text, last.who)


def test_blank_text_and_none_go_back_to_the_plans_own(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    visit = create_demo(ws)
    cords = hazard(ws, visit, "room.clutter.cords")
    own = planned(ws, visit, cords)
    edited = visits.edit_action(
        ws, cords.id, text=NEW_TEXT, priority=None, who="ot", expected_version=cords.version
    )
    back = visits.edit_action(
        ws, cords.id, text=" \n\t", priority=None, who=None, expected_version=edited.version
    )
    assert (back.text, back.priority, back.who) == (None, None, None)
    assert not back.edited
    assert planned(ws, visit, cords) == own


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"priority": "asap"}, "'asap' is not a choice for priority: use urgent, soon or"),
        ({"priority": "Urgent"}, "not a choice for priority"),
        ({"who": "neighbour"}, "'neighbour' is not a choice for who does it"),
        ({"text": "x" * 2001}, "at most 2000 characters"),
        ({"text": "a\x00b"}, "not text"),
    ],
)
def test_bad_edits_are_refused_and_write_nothing(
    fake: tuple[Workspace, FakeStore], changes: dict[str, str], message: str
) -> None:
    ws, store = fake
    visit = create_demo(ws)
    cords = hazard(ws, visit, "room.clutter.cords")
    commits = store.commits
    fields: dict[str, str | None] = {"text": None, "priority": None, "who": None}
    fields.update(changes)
    with pytest.raises(InvalidInputError, match=message):
        visits.edit_action(ws, cords.id, expected_version=cords.version, **fields)
    assert store.commits == commits
    assert hazard(ws, visit, "room.clutter.cords") == cords


def test_the_longest_text_allowed_is_kept(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    visit = create_demo(ws)
    cords = hazard(ws, visit, "room.clutter.cords")
    edited = visits.edit_action(
        ws, cords.id, text="y" * 2000, priority=None, who=None, expected_version=cords.version
    )
    assert edited.text == "y" * 2000


def test_a_stale_version_is_a_conflict(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    visit = create_demo(ws)
    cords = hazard(ws, visit, "room.clutter.cords")
    visits.mark_action(ws, cords.id, "not_needed", expected_version=cords.version)
    commits = store.commits
    with pytest.raises(ConflictError, match="changed by someone else"):
        visits.edit_action(
            ws, cords.id, text=NEW_TEXT, priority=None, who=None, expected_version=cords.version
        )
    assert store.commits == commits
    assert hazard(ws, visit, "room.clutter.cords").text is None


def test_only_a_finished_visits_plan_is_edited(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    person = create_person(ws, "Ada Byrne", 1946)
    info = visits.start_assessment(ws, person.id, "Carol", Mode.CAREGIVER, Mode.CAREGIVER)
    # An unfinished visit has no stored actions; one put there anyway is refused.
    with ws.unit_of_work() as uow:
        uow.visits.change_actions(info.id, (), [(ActionKind.PERSON, "x", None)], ws.now())
        uow.commit()
    stray = visits.list_actions(ws, info.id)[0]
    commits = store.commits
    with pytest.raises(InvalidInputError, match="finished visit"):
        visits.edit_action(
            ws, stray.id, text=NEW_TEXT, priority=None, who=None, expected_version=stray.version
        )
    assert store.commits == commits


def test_an_edit_stays_when_a_changed_answer_keeps_the_action(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, _ = fake
    visit = create_demo(ws)
    cords = hazard(ws, visit, "room.clutter.cords")
    edited = visits.edit_action(
        ws, cords.id, text=NEW_TEXT, priority="urgent", who=None, expected_version=cords.version
    )
    # Another answer of the finished visit changes: the visit is scored again, its actions
    # follow the plan, and the edited one, still in the plan, keeps its edit.
    snapshot = visits.load_visit(ws, visit)
    slot = next(
        (a.item, a.room)
        for a in snapshot.assessment.answers
        if a.item != "room.clutter.cords" and a.value == "no" and a.room is not None
    )
    visits.record_answer(
        ws, visit, slot[0], slot[1], "yes", expected_version=snapshot.versions[slot]
    )
    assert hazard(ws, visit, "room.clutter.cords") == edited
    assert planned(ws, visit, cords).text == NEW_TEXT


def test_the_plan_takes_edits_from_the_assessments_actions(content: Content) -> None:
    """Pure: the same assessment with an edit in its actions gives the edited plan, and an
    edit of a value this program does not know keeps the plan's own (only a guard: the use
    case and the file reader refuse one)."""
    import json

    from safetycheck.exchange.assessment_json import assessment_from_document
    from safetycheck.resources import data_dir

    document = json.loads((data_dir() / "demo" / "demo-visit-2.json").read_text("utf-8"))
    assessment = assessment_from_document(document, content.checklist)
    own = evaluate(content, assessment).plan
    target = next(a for a in own.actions if a.kind is ActionKind.HAZARD)
    edits = (
        ActionStatus(target.kind, target.item, target.room, text="Mine", who="doctor"),
        ActionStatus(ActionKind.PERSON, "no.such.factor", None, text="Nowhere"),
    )
    plan = evaluate(content, replace(assessment, actions=edits)).plan
    changed = next(a for a in plan.actions if a.item == target.item and a.room == target.room)
    assert (changed.text, changed.who, changed.priority) == ("Mine", Who.DOCTOR, target.priority)
    assert changed.original == target
    assert [a for a in plan.actions if a is not changed] == [a for a in own.actions if a != target]
    guarded = ActionStatus(target.kind, target.item, target.room, priority="asap", who="x")
    assert evaluate(content, replace(assessment, actions=(guarded,))).plan == own
