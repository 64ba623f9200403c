"""The fall-risk model: Stay Independent as published, weighted person factors and home hazards.

Pure functions: the same checklist, parameters and assessment always give the same result.
See docs/risk-model.md for the reasoning and the sources behind each step.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from safetycheck.domain.assessment import (
    ActionKind,
    Answer,
    Assessment,
    RoomInstance,
    effective_facts,
    is_hazard,
    raises_red_flag,
)
from safetycheck.domain.checklist import Checklist, Item
from safetycheck.domain.conditions import all_hold, any_holds
from safetycheck.domain.parameters import Factor, ModelParameters
from safetycheck.domain.steps import applicable_slots


class Level(StrEnum):
    """The overall fall-risk level, in words."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def label(self) -> str:
        return {"low": "Low risk", "moderate": "Moderate risk", "high": "High risk"}[self.value]


@dataclass(frozen=True, slots=True)
class StayIndependentResult:
    """The brochure's result: a total only when every item is answered."""

    score: int | None
    missing: int
    at_risk: bool | None  # None: cannot tell yet (items missing, no decisive answer)
    key_questions_yes: tuple[str, ...]

    def describe(self) -> str:
        """The result in words, the same in the summary, the command line and the PDF."""
        if self.score is None:
            total = f"no total yet — {self.missing} of 12 questions unanswered"
        else:
            total = f"{self.score} of 14 points"
        verdict = {
            True: "may be at risk of falling",
            False: "not at risk by this screen",
            None: "cannot tell yet",
        }[self.at_risk]
        return f"{total}; {verdict}"


@dataclass(frozen=True, slots=True)
class RedFlagFound:
    """A red flag raised by an answer: always reported first, never part of the score."""

    item: str
    text: str


@dataclass(frozen=True, slots=True)
class Contributor:
    """One reason for the score, in words, with its points (all points add up to the score)."""

    kind: ActionKind  # PERSON (a person factor) or HAZARD (a hazard in the home)
    item: str
    label: str
    room: str | None
    room_name: str
    category: str
    raw: float  # log-odds contribution before rounding
    points: int


@dataclass(frozen=True, slots=True)
class Subtotal:
    """Points of one room or one category."""

    key: str | None
    name: str
    points: int


@dataclass(frozen=True, slots=True)
class HazardFound:
    """A hazard answer, with the action the checklist gives for it."""

    item: Item
    answer: Answer
    room: RoomInstance | None
    counted: bool  # False when the same answer already counts as a person factor


@dataclass(frozen=True, slots=True)
class RiskResult:
    """The model's result: level, score, reasons and subtotals, plus the versions used."""

    level: Level
    score: int
    level_reasons: tuple[str, ...]
    stay_independent: StayIndependentResult
    red_flags: tuple[RedFlagFound, ...]
    contributors: tuple[Contributor, ...]
    rooms: tuple[Subtotal, ...]
    categories: tuple[Subtotal, ...]
    hazards: tuple[HazardFound, ...]
    factors_present: tuple[Factor, ...]
    person_log_odds: float
    vulnerability: float
    environment_scale: float
    unanswered: int
    checklist_version: str
    model_version: str


def score_stay_independent(
    assessment: Assessment, params: ModelParameters
) -> StayIndependentResult:
    """Score the 12 brochure items exactly as published; no total while any is missing."""
    rule = params.stay_independent
    total = 0
    missing = 0
    for item_id, points in zip(rule.item_ids, rule.points, strict=True):
        answer = assessment.answer(item_id)
        if answer is None:
            missing += 1
        elif answer.value == "yes":
            total += points
    key_yes = tuple(
        item_id
        for item_id in rule.key_items
        if (answer := assessment.answer(item_id)) is not None and answer.value == "yes"
    )
    at_risk: bool | None
    if key_yes or total >= rule.at_risk_from:
        # Decisive even with items missing: a key question, or points that can only grow.
        at_risk = True
    elif missing:
        at_risk = None
    else:
        at_risk = False
    return StayIndependentResult(
        score=None if missing else total,
        missing=missing,
        at_risk=at_risk,
        key_questions_yes=key_yes,
    )


def find_red_flags(checklist: Checklist, assessment: Assessment) -> tuple[RedFlagFound, ...]:
    """The red flags the answers so far raise, in walkthrough order (the walkthrough shows them
    the moment they are answered; `assess` reports the same ones)."""
    red_flags, _, _ = _scan(checklist, assessment, set())
    return tuple(red_flags)


def _person_contributions(
    params: ModelParameters, facts: dict[str, str]
) -> list[tuple[Factor, float]]:
    """Each present factor's shrunk log-odds; within a domain the 2nd, 3rd… count less."""
    by_domain: dict[str, list[tuple[Factor, float]]] = defaultdict(list)
    shrink = params.shrinkage.value
    for factor in params.factors:
        if any_holds(factor.when, facts):
            by_domain[factor.domain].append((factor, shrink * factor.log_odds()))
    decay = params.overlap_decay.value
    result: list[tuple[Factor, float]] = []
    for members in by_domain.values():
        # Sort by weight, then id, so ties resolve the same way every time.
        members.sort(key=lambda pair: (-pair[1], pair[0].id))
        result.extend(
            (factor, weight * decay**position) for position, (factor, weight) in enumerate(members)
        )
    return result


def _apportion(raw: list[float], scale: float) -> tuple[int, list[int]]:
    """Round scaled values so the rounded parts add up exactly to the rounded total."""
    scaled = [value * scale for value in raw]
    total = round(sum(scaled))
    floors = [math.floor(value) for value in scaled]
    shortfall = total - sum(floors)
    order = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for index in order[:shortfall]:
        floors[index] += 1
    return total, floors


def _hazard_label(
    item: Item,
    room: RoomInstance | None,
    exposures: list[str],
    traits: list[str],
) -> str:
    label = item.finding or item.text
    if room is not None:
        label = f"{label} in the {room.name}"
    qualifiers = list(exposures)
    if traits:
        joined = traits[0] if len(traits) == 1 else f"{', '.join(traits[:-1])} and {traits[-1]}"
        qualifiers.append(f"with {joined}")
    if qualifiers:
        label = f"{label}, {', '.join(qualifiers)}"
    return label


def _scan(
    checklist: Checklist, assessment: Assessment, factor_items: set[str]
) -> tuple[list[RedFlagFound], list[HazardFound], int]:
    """Red flags, hazards and the number of unanswered questions, in walkthrough order.

    A person-level hazard whose answer already counts as a person factor is kept (it has an
    action) but not counted twice.
    """
    red_flags: list[RedFlagFound] = []
    hazards: list[HazardFound] = []
    unanswered = 0
    for item, room in applicable_slots(checklist, assessment):
        answer = assessment.answer(item.id, room.id if room else None)
        if answer is None:
            unanswered += 1
            continue
        if item.red_flag is not None and raises_red_flag(item, answer):
            red_flags.append(RedFlagFound(item.id, item.red_flag.text))
        if is_hazard(item, answer):
            counted = not (room is None and item.id in factor_items)
            hazards.append(HazardFound(item, answer, room, counted))
    return red_flags, hazards, unanswered


def _hazard_weight(
    params: ModelParameters, found: HazardFound, present_traits: set[str]
) -> tuple[str, float]:
    """A counted hazard's label and log-odds weight: severity, times the room's exposures,
    times the person's interacting traits (capped)."""
    item, room = found.item, found.room
    assert item.severity is not None
    weight = params.severity[item.severity].value
    exposure_words: list[str] = []
    if room is not None:
        for exposure_id in item.exposure:
            if exposure_id in room.exposures():
                exposure = params.exposure(exposure_id)
                weight *= exposure.multiplier
                exposure_words.append(exposure.label)
    interaction = 1.0
    trait_words: list[str] = []
    for rule in params.interactions:
        if rule.tag in item.interacts and rule.trait in present_traits:
            interaction *= rule.multiplier
            trait_label = params.trait(rule.trait).label
            if trait_label not in trait_words:
                trait_words.append(trait_label)
    weight *= min(interaction, params.max_interaction.value)
    return _hazard_label(item, room, exposure_words, trait_words), weight


def assess(checklist: Checklist, params: ModelParameters, assessment: Assessment) -> RiskResult:
    """Score one assessment: level, score, contributors, subtotals, red flags."""
    facts = effective_facts(checklist, assessment)
    stay = score_stay_independent(assessment, params)

    person = _person_contributions(params, facts)
    factor_items = {
        condition.subject
        for factor, _ in person
        for condition in factor.when
        if condition.holds(facts)
    }
    red_flags, hazards, unanswered = _scan(checklist, assessment, factor_items)

    person_log_odds = sum(weight for _, weight in person)
    half = params.vulnerability_half.value
    vulnerability = person_log_odds / (person_log_odds + half) if person_log_odds > 0 else 0.0
    floor = params.environment_floor.value
    environment_scale = floor + (1.0 - floor) * vulnerability

    present_traits = [trait for trait in params.traits if trait.present(facts)]
    present_trait_ids = {trait.id for trait in present_traits}

    labelled: list[tuple[ActionKind, str, str | None, str, str, float]] = [
        (ActionKind.PERSON, factor.id, None, "", "person", weight) for factor, weight in person
    ]
    labels = {factor.id: factor.label for factor, _ in person}
    hazard_raw = [
        (found, *_hazard_weight(params, found, present_trait_ids))
        for found in hazards
        if found.counted
    ]

    environment = sum(weight for _, _, weight in hazard_raw)
    cap = params.environment_cap.value
    # Past the cap every hazard's share shrinks in proportion, so the parts still add up.
    cap_scale = cap / environment if environment > cap else 1.0
    for found, label, weight in hazard_raw:
        room = found.room
        labelled.append(
            (
                ActionKind.HAZARD,
                found.item.id,
                room.id if room else None,
                room.name if room else "",
                found.item.category,
                weight * cap_scale * environment_scale,
            )
        )
        labels[f"{found.item.id}@{room.id if room else ''}"] = label

    raw_values = [entry[5] for entry in labelled]
    score, points = _apportion(raw_values, params.points_per_log_odds.value)
    contributors = []
    for (kind, item_id, room_id, room_name, category, raw), share in zip(
        labelled, points, strict=True
    ):
        key = item_id if kind is ActionKind.PERSON else f"{item_id}@{room_id or ''}"
        contributors.append(
            Contributor(kind, item_id, labels[key], room_id, room_name, category, raw, share)
        )
    # Ties in the home's order of rooms (room ids are random: they would order them by chance).
    room_order = {room.id: n for n, room in enumerate(assessment.rooms)}
    contributors.sort(key=lambda c: (-c.raw, c.item, room_order.get(c.room or "", -1)))

    level, reasons = _level(params, facts, score, stay)
    return RiskResult(
        level=level,
        score=score,
        level_reasons=tuple(reasons),
        stay_independent=stay,
        red_flags=tuple(red_flags),
        contributors=tuple(contributors),
        rooms=_subtotals(contributors, checklist, by="room", assessment=assessment),
        categories=_subtotals(contributors, checklist, by="category", assessment=assessment),
        hazards=tuple(hazards),
        factors_present=tuple(factor for factor, _ in person),
        person_log_odds=person_log_odds,
        vulnerability=vulnerability,
        environment_scale=environment_scale,
        unanswered=unanswered,
        checklist_version=checklist.version,
        model_version=params.version,
    )


def _level(
    params: ModelParameters, facts: dict[str, str], score: int, stay: StayIndependentResult
) -> tuple[Level, list[str]]:
    moderate = params.levels_moderate.value
    high = params.levels_high.value
    if score >= high:
        level = Level.HIGH
        reasons = [f"score {score} is at or above {high:g}, the high-risk line"]
    elif score >= moderate:
        level = Level.MODERATE
        reasons = [f"score {score} is at or above {moderate:g}, the moderate-risk line"]
    else:
        level = Level.LOW
        reasons = [f"score {score} is below {moderate:g}"]
    minimum = Level(params.screened_at_risk_minimum)
    if stay.at_risk:
        level = max(level, minimum, key=lambda lv: lv.rank)
        reasons.append(f"the Stay Independent screen says may be at risk: at least {minimum}")
    if params.high_if and all_hold(params.high_if, facts):
        level = Level.HIGH
        reasons.append(params.high_if_reason)
    return level, reasons


def _subtotals(
    contributors: list[Contributor], checklist: Checklist, by: str, assessment: Assessment
) -> tuple[Subtotal, ...]:
    sums: dict[str | None, int] = defaultdict(int)
    for contributor in contributors:
        key = contributor.room if by == "room" else contributor.category
        sums[key] += contributor.points
    if by == "room":
        keys: list[str | None] = [None] + [room.id for room in assessment.rooms]
        names: dict[str | None, str] = {None: "The person (not tied to a room)"}
        names.update({room.id: room.name for room in assessment.rooms})
    else:
        keys = [category.id for category in checklist.categories]
        names = {category.id: category.name for category in checklist.categories}
    return tuple(Subtotal(key, names[key], sums.get(key, 0)) for key in keys)


def maximum_score(params: ModelParameters) -> int:
    """The highest score the model can give: every factor present and the home at its cap."""
    by_domain: dict[str, list[float]] = defaultdict(list)
    for factor in params.factors:
        by_domain[factor.domain].append(params.shrinkage.value * factor.log_odds())
    decay = params.overlap_decay.value
    person = sum(
        weight * decay**position
        for weights in by_domain.values()
        for position, weight in enumerate(sorted(weights, reverse=True))
    )
    return math.ceil((person + params.environment_cap.value) * params.points_per_log_odds.value)
