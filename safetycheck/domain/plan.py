"""The action plan: every hazard found becomes an action; red flags and urgent skin come first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from safetycheck.domain.assessment import ActionKind, ActionState, ActionStatus
from safetycheck.domain.checklist import Action, Checklist, Effort, Priority, Urgency, Who
from safetycheck.domain.parameters import Factor, ModelParameters
from safetycheck.domain.scoring import RiskResult
from safetycheck.domain.stratification import Level

# The plan's own actions that are not a hazard or a person factor: the guideline's next step
# after the screen, and screening routes that add no points. Stored action statuses use these
# as their item ids.
STRATIFICATION_ITEM = "stratification"
GAIT_TEST_ITEM = "stratification.gait_test"


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One thing to do, where, how soon, by whom, and how much it is expected to help."""

    kind: ActionKind
    item: str
    room: str | None
    room_name: str
    category: str
    finding: str
    text: str
    priority: Priority
    who: Who
    effort: Effort
    benefit: float  # expected reduction in log-odds per unit of effort
    benefit_rank: int  # 1 = most expected benefit for the effort
    note: str = ""
    # The action as the plan words it, when this visit's assessor edited its text, priority or
    # who does it (None: not edited, this is the plan's own).
    original: PlanAction | None = None

    @property
    def edited(self) -> bool:
        return self.original is not None


@dataclass(frozen=True, slots=True)
class FirstStep:
    """One line of "what to do first": an action, and every room it is for (the same job in
    five rooms is one line)."""

    action: PlanAction
    rooms: tuple[str, ...]  # room names in the plan's order; empty when not in a room


FIRST_STEPS_RULE = (
    "How these were chosen: the guidelines' next step first, then every urgent fix, then "
    "those expected to help most for the effort, up to five in all. Each job is listed once "
    "however many rooms it is in, with at most one for each kind of problem but for urgent "
    "ones, and nothing done or not needed."
)


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """The ordered plan, with the result it was built from."""

    result: RiskResult
    actions: tuple[PlanAction, ...]
    # The actions ticked done at this visit, as (kind, item, room); `closed` adds those marked
    # not needed: neither is still to do.
    done: frozenset[tuple[ActionKind, str, str | None]] = field(default=frozenset())
    closed: frozenset[tuple[ActionKind, str, str | None]] = field(default=frozenset())

    def is_done(self, action: PlanAction) -> bool:
        return (action.kind, action.item, action.room) in self.done

    def is_closed(self, action: PlanAction) -> bool:
        """Done, or marked not needed: not to do."""
        return (action.kind, action.item, action.room) in self.closed

    @property
    def red_flags(self) -> tuple[PlanAction, ...]:
        return tuple(action for action in self.actions if action.kind is ActionKind.RED_FLAG)

    def by_room(self) -> list[tuple[str | None, str, list[PlanAction]]]:
        """Actions grouped by room, rooms in the order their first action appears."""
        groups: dict[str | None, tuple[str, list[PlanAction]]] = {}
        for action in self.actions:
            if action.kind is ActionKind.RED_FLAG:
                continue
            name = action.room_name or "The person"
            groups.setdefault(action.room, (name, []))[1].append(action)
        return [(room, name, actions) for room, (name, actions) in groups.items()]

    def first(self, count: int) -> tuple[PlanAction, ...]:
        """The top actions after the red flags: what to do first (FIRST_STEPS_RULE)."""
        return tuple(step.action for step in self.first_steps(count))

    def first_steps(self, count: int) -> tuple[FirstStep, ...]:
        """What to do first, by FIRST_STEPS_RULE: the guideline's next steps, then the urgent
        fixes, then the rest by expected benefit for the effort alone; skipping what is done
        or not needed, a job already listed (its rooms are added to it) and, but for urgent
        fixes, a second of one kind (category; person factors are each their own kind). Red
        flags are not in it: they are shown before everything."""
        open_actions = [
            a for a in self.actions if a.kind is not ActionKind.RED_FLAG and not self.is_closed(a)
        ]
        screening = [a for a in open_actions if a.category == SCREENING_CATEGORY]
        urgent = [a for a in open_actions if a.priority is Priority.URGENT and a not in screening]
        rest = sorted(
            (a for a in open_actions if a not in screening and a not in urgent),
            key=lambda a: -a.benefit,  # stable: ties keep the plan's order
        )
        chosen: list[PlanAction] = []
        rooms: dict[int, list[str]] = {}
        kinds: set[str] = set()
        for action in (*screening, *urgent, *rest):
            same = next((n for n, c in enumerate(chosen) if c.text == action.text), None)
            if same is not None:
                if action.room_name and action.room_name not in rooms[same]:
                    rooms[same].append(action.room_name)
                continue
            kind = action.item if action.kind is ActionKind.PERSON else action.category
            # An urgent fix is never left out (the list is longer when there are many); the
            # others stop at `count`, one of each kind.
            pressing = action.priority is Priority.URGENT
            if not pressing and (len(chosen) >= count or kind in kinds):
                continue
            kinds.add(kind)
            rooms[len(chosen)] = [action.room_name] if action.room_name else []
            chosen.append(action)
        return tuple(FirstStep(a, tuple(rooms[n])) for n, a in enumerate(chosen))


SCREENING_CATEGORY = "screening"


def _guideline_actions(
    params: ModelParameters, result: RiskResult, written_by_ot: bool = False
) -> list[PlanAction]:
    """What the stratification and the screening routes ask for next (no points: they rank
    by priority, ahead of the fixes)."""
    strat = result.stratification
    advice = params.stratification.advice
    chosen: list[tuple[str, str, str]] = []  # (item, finding, advice key)
    if strat.range.lowest is Level.HIGH:
        chosen.append(
            (STRATIFICATION_ITEM, "High risk of falling (World Falls Guidelines)", "high")
        )
    elif strat.case_found:
        if strat.needs_gait_test:
            chosen.append((GAIT_TEST_ITEM, "No walking and balance test yet", "gait_test"))
        chosen.append((STRATIFICATION_ITEM, "Screened at risk of falling", "assessment"))
        if strat.range.lowest is Level.MODERATE:  # at least moderate, perhaps high
            chosen.append(
                (f"{STRATIFICATION_ITEM}.exercise", "Walking and balance impaired", "moderate")
            )
    actions = []
    for item_id, finding, key in chosen:
        action = advice[key]
        actions.append(_advice_action(item_id, finding, action, written_by_ot))
    for rule in result.screening:
        actions.append(
            _advice_action(f"screening.{rule.id}", rule.label, rule.advice, written_by_ot)
        )
    return actions


def _advice_action(
    item_id: str, finding: str, action: Action, written_by_ot: bool = False
) -> PlanAction:
    return PlanAction(
        kind=ActionKind.PERSON,
        item=item_id,
        room=None,
        room_name="",
        category=SCREENING_CATEGORY,
        finding=finding,
        text=(written_by_ot and action.ot_text) or action.text,
        priority=action.priority,
        who=action.who,
        effort=action.effort,
        benefit=0.0,
        benefit_rank=0,
    )


def _priority(value: str | None, default: Priority) -> Priority:
    """An edited priority; one this program does not know keeps the plan's own (the use cases
    and the file reader refuse such values, so this is only a guard)."""
    known = {priority.value for priority in Priority}
    return Priority(value) if value is not None and value in known else default


def _who(value: str | None, default: Who) -> Who:
    known = {who.value for who in Who}
    return Who(value) if value is not None and value in known else default


def with_edits(action: PlanAction, edit: ActionStatus | None) -> PlanAction:
    """The action as this visit's assessor worded it: their text, priority and who does it where
    they set one, the plan's own elsewhere."""
    if edit is None or (edit.text is None and edit.priority is None and edit.who is None):
        return action
    text = edit.text if edit.text is not None else action.text
    priority = _priority(edit.priority, action.priority)
    who = _who(edit.who, action.who)
    if (text, priority, who) == (action.text, action.priority, action.who):
        return action  # edited back to the plan's own words
    return replace(action, text=text, priority=priority, who=who, original=action)


def build_plan(
    checklist: Checklist,
    params: ModelParameters,
    result: RiskResult,
    edits: Iterable[ActionStatus] = (),
    written_by_ot: bool = False,
) -> ActionPlan:
    """Turn a result into an ordered plan. Pure: same result, same plan.

    `edits` are the visit's stored actions: where the assessor edited an action's text, priority
    or who does it, the plan says theirs, and an edited priority moves the action to its place
    among that priority's actions (the red flags stay first whatever their priority).
    `written_by_ot`: the plan is an occupational therapist's, so an action that would send the
    reader to one says what the therapist advises instead (its `ot_text`).
    """
    edited = {(e.kind, e.item, e.room): e for e in edits}
    raw_by_key = {(c.item, c.room): c.raw for c in result.contributors}
    factors_by_item: dict[str, list[Factor]] = {}
    for factor in result.factors_present:
        for condition in factor.when:
            factors_by_item.setdefault(condition.subject, []).append(factor)
    drafts: list[PlanAction] = []
    for flag in result.red_flags:
        category = checklist.item(flag.item).category if checklist.has_item(flag.item) else "person"
        drafts.append(
            PlanAction(
                kind=ActionKind.RED_FLAG,
                item=flag.item,
                room=None,
                room_name="",
                category=category,
                finding=flag.text,
                text=f"{flag.title}. {flag.advice}",
                # Listed first whatever their priority; "within days" is not "urgent".
                priority=Priority.SOON if flag.urgency is Urgency.SOON else Priority.URGENT,
                who=Who.ORTHOTIST if flag.urgency is Urgency.SOON else Who.DOCTOR,
                effort=Effort.EASY,
                benefit=float("inf"),
                benefit_rank=0,
            )
        )
    drafts.extend(_guideline_actions(params, result, written_by_ot))
    for found in result.hazards:
        item = found.item
        if item.action is None:
            continue
        room_id = found.room.id if found.room else None
        raw = raw_by_key.get((item.id, room_id), 0.0)
        if not found.counted:
            # The answer already counts as a person factor; fixing it removes that factor.
            raw = max(
                (raw_by_key[(f.id, None)] for f in factors_by_item.get(item.id, [])), default=0.0
            )
        drafts.append(
            PlanAction(
                kind=ActionKind.HAZARD,
                item=item.id,
                room=room_id,
                room_name=found.room.name if found.room else "",
                category=item.category,
                finding=item.finding or item.text,
                text=(written_by_ot and item.action.ot_text) or item.action.text,
                priority=item.action.priority,
                who=item.action.who,
                effort=item.action.effort,
                benefit=raw / params.effort_cost[item.action.effort],
                benefit_rank=0,
                note=found.answer.note,
            )
        )
    for factor in result.factors_present:
        if factor.advice is None:
            continue
        raw = raw_by_key.get((factor.id, None), 0.0)
        advice_text = (written_by_ot and factor.advice.ot_text) or factor.advice.text
        drafts.append(
            PlanAction(
                kind=ActionKind.PERSON,
                item=factor.id,
                room=None,
                room_name="",
                category="person",
                finding=factor.label,
                text=advice_text,
                priority=factor.advice.priority,
                who=factor.advice.who,
                effort=factor.advice.effort,
                benefit=raw / params.effort_cost[factor.advice.effort],
                benefit_rank=0,
            )
        )

    # Ties in the home's order of rooms (room ids are random: they would order them by chance).
    room_order = {subtotal.key: n for n, subtotal in enumerate(result.rooms)}
    ranked = sorted(
        (d for d in drafts if d.kind is not ActionKind.RED_FLAG),
        key=lambda d: (-d.benefit, d.item, room_order.get(d.room, -1)),
    )
    rank_of = {(d.item, d.room, d.kind): position for position, d in enumerate(ranked, start=1)}
    with_rank = [
        d
        if d.kind is ActionKind.RED_FLAG
        else replace(d, benefit_rank=rank_of[(d.item, d.room, d.kind)])
        for d in drafts
    ]
    with_rank = [with_edits(d, edited.get((d.kind, d.item, d.room))) for d in with_rank]
    order = {item.id: position for position, item in enumerate(checklist.items)}

    red_order = {flag.item: n for n, flag in enumerate(result.red_flags)}
    screening_order = {d.item: n for n, d in enumerate(drafts) if d.category == SCREENING_CATEGORY}

    def sort_key(action: PlanAction) -> tuple[int, int, int, int, int]:
        if action.kind is ActionKind.RED_FLAG:
            return (0, 0, 0, red_order.get(action.item, order.get(action.item, 0)), 0)
        # By urgency; within one priority the guideline's next steps first (they decide what
        # the rest is for), then brace and skin, then fixes by expected benefit.
        if action.category == SCREENING_CATEGORY:
            return (1, action.priority.rank, 0, screening_order[action.item], 0)
        bucket = 1 if action.category == "brace" else 2
        return (1, action.priority.rank, bucket, action.benefit_rank, 0)

    done = frozenset(
        (e.kind, e.item, e.room) for e in edited.values() if e.status is ActionState.DONE
    )
    closed = done | frozenset(
        (e.kind, e.item, e.room) for e in edited.values() if e.status is ActionState.NOT_NEEDED
    )
    return ActionPlan(result, tuple(sorted(with_rank, key=sort_key)), done, closed)
