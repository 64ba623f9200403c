"""The fall-risk model: Stay Independent as published, the level by the World Falls Guidelines
stratification, red flags by urgency, and the weighted score that explains (person factors and
home hazards in points that add up).

Pure functions: the same checklist, parameters and assessment always give the same result.
Never more reassuring than the answers: what is not answered is reported, not taken as safe.
See docs/risk-model.md for the reasoning and the sources behind each step.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from safetycheck.domain.assessment import (
    ActionKind,
    Answer,
    Assessment,
    RoomInstance,
    effective_facts,
    is_hazard,
    raises_red_flag,
)
from safetycheck.domain.checklist import Checklist, Item, Urgency
from safetycheck.domain.conditions import any_holds
from safetycheck.domain.parameters import Factor, ModelParameters, Screening
from safetycheck.domain.steps import applicable_slots
from safetycheck.domain.stratification import Level, LevelRange, Stratification, stratify

__all__ = ["Level", "LevelRange", "RiskResult", "assess", "find_red_flags"]


@dataclass(frozen=True, slots=True)
class StayIndependentResult:
    """The brochure's result: a total only when every item is answered."""

    score: int | None
    missing: int
    at_risk: bool | None  # None: cannot tell yet (items missing, no decisive answer)
    key_questions_yes: tuple[str, ...]

    points_so_far: int = 0
    key_questions_words: tuple[str, ...] = ()

    @property
    def points_at_risk(self) -> bool | None:
        """The brochure's own rule, 4 or more points (None: not known yet)."""
        if self.score is not None:
            return self.score >= 4
        return True if self.points_so_far >= 4 else None

    def describe(self) -> str:
        """The result in words, the same in the summary, the command line and the PDF: the
        brochure's score and its 4-point rule, and separately whether a key question screened
        the person (the STEADI algorithm's rule, not the brochure's)."""
        if self.score is None:
            total = f"no total yet ({self.missing} of 12 questions unanswered)"
            if self.points_so_far >= 4:
                total += f"; already {self.points_so_far} points, 4 or more: may be at risk"
        elif self.score >= 4:
            total = f"{self.score} of 14 points; 4 or more: may be at risk"
        else:
            total = f"{self.score} of 14 points; under 4"
        if self.key_questions_words:
            total += ". Screened at risk by a key question: " + ", ".join(self.key_questions_words)
        return total


@dataclass(frozen=True, slots=True)
class RedFlagFound:
    """A red flag raised by an answer: always reported first, never part of the score."""

    item: str
    text: str
    urgency: Urgency
    title: str  # "Call the emergency number now": the tier's words
    advice: str  # what to do, the tier's words


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    """A red-flag question that may apply and has no answer yet."""

    item: str
    text: str  # the warning sign it asks about
    question: str


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

    level_range: LevelRange
    stratification: Stratification
    score: int
    score_if_home_fixed: int
    home_hazards: int  # counted home hazards: fixing them would give score_if_home_fixed
    stay_independent: StayIndependentResult
    red_flags: tuple[RedFlagFound, ...]
    unanswered_red_flags: tuple[RedFlagQuestion, ...]
    screening: tuple[Screening, ...]
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

    @property
    def level(self) -> Level | None:
        """The level when the answers settle it; None while it is still open."""
        return self.level_range.known

    @property
    def level_reasons(self) -> tuple[str, ...]:
        return self.stratification.reasons

    @property
    def complete(self) -> bool:
        """Every question that applies has an answer."""
        return self.unanswered == 0


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
    words = {
        "steadi.si.01": "has fallen in the past year",
        "steadi.si.03": "feels unsteady when walking",
        "steadi.si.05": "is worried about falling",
    }
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
        points_so_far=total,
        key_questions_words=tuple(words.get(item, item) for item in key_yes),
    )


def find_red_flags(checklist: Checklist, assessment: Assessment) -> tuple[RedFlagFound, ...]:
    """The red flags the answers raise, most urgent first, then in walkthrough order.

    Every "yes" to a red-flag question counts, even one kept from before a later answer made the
    question no longer apply: a warning sign someone reported is never hidden by another answer.
    """
    found = []
    for item in checklist.items:
        if item.red_flag is None:
            continue
        answer = assessment.answer(item.id)
        if answer is not None and raises_red_flag(item, answer):
            tier = checklist.urgency(item.red_flag.urgency)
            found.append(
                RedFlagFound(item.id, item.red_flag.text, tier.urgency, tier.title, tier.advice)
            )
    for retired in checklist.retired:  # a warning sign an earlier checklist asked about
        answer = None if retired.per_room else assessment.answer(retired.id)
        if retired.red_flag is not None and answer is not None and answer.value == "yes":
            tier = checklist.urgency(retired.red_flag.urgency)
            found.append(
                RedFlagFound(
                    retired.id, retired.red_flag.text, tier.urgency, tier.title, tier.advice
                )
            )
    found.sort(key=lambda flag: flag.urgency.rank)
    return tuple(found)


def unanswered_red_flags(
    checklist: Checklist, assessment: Assessment, facts: dict[str, str]
) -> tuple[RedFlagQuestion, ...]:
    """Red-flag questions with no answer that apply, or could apply once the questions they
    depend on are answered (an unanswered gate never hides a warning-sign question)."""
    possible: set[str] = set()
    for item in checklist.items:
        if not item.person_level or not item.asked_in(assessment.mode):
            continue
        if all(
            condition.holds(facts)
            or (condition.subject not in facts and condition.subject in possible)
            for condition in item.applies_if
        ):
            possible.add(item.id)
    return tuple(
        RedFlagQuestion(item.id, item.red_flag.text, item.text)
        for item in checklist.items
        if item.red_flag is not None and item.id in possible and assessment.answer(item.id) is None
    )


def _person_contributions(
    params: ModelParameters, facts: dict[str, str]
) -> list[tuple[Factor, float]]:
    """Each present factor's shrunk log-odds; within a domain the 2nd, 3rd… count less.

    The domain's total (largest weight in full, the next half, …) is shared among its factors
    in proportion to their own weights, so equal factors get equal shares and the split never
    depends on the order the factors are listed in.
    """
    by_domain: dict[str, list[tuple[Factor, float]]] = defaultdict(list)
    shrink = params.shrinkage.value
    for factor in params.factors:
        if any_holds(factor.when, facts):
            by_domain[factor.domain].append((factor, shrink * factor.log_odds()))
    decay = params.overlap_decay.value
    result: list[tuple[Factor, float]] = []
    for members in by_domain.values():
        weights = sorted((weight for _, weight in members), reverse=True)
        total = sum(weight * decay**position for position, weight in enumerate(weights))
        plain = sum(weights)
        result.extend((factor, total * weight / plain) for factor, weight in members)
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
) -> tuple[list[HazardFound], int]:
    """Hazards and the number of unanswered questions, in walkthrough order.

    A person-level hazard whose answer already counts as a person factor is kept (it has an
    action) but not counted twice.
    """
    hazards: list[HazardFound] = []
    unanswered = 0
    for item, room in applicable_slots(checklist, assessment):
        answer = assessment.answer(item.id, room.id if room else None)
        if answer is None:
            unanswered += 1
            continue
        if is_hazard(item, answer):
            counted = not (room is None and item.id in factor_items)
            hazards.append(HazardFound(item, answer, room, counted))
    return hazards, unanswered


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
        if rule.only and (room is None or rule.only not in room.exposures()):
            continue
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
    hazards, unanswered = _scan(checklist, assessment, factor_items)

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

    units = {answer.item: answer.unit for answer in assessment.answers if answer.room is None}
    stratification = stratify(params.stratification, facts, units)
    points_per = params.points_per_log_odds.value
    return RiskResult(
        level_range=stratification.range,
        stratification=stratification,
        score=score,
        score_if_home_fixed=round(person_log_odds * points_per),
        home_hazards=len(hazard_raw),
        stay_independent=stay,
        red_flags=find_red_flags(checklist, assessment),
        unanswered_red_flags=unanswered_red_flags(checklist, assessment, facts),
        screening=tuple(rule for rule in params.screening if any_holds(rule.when, facts)),
        contributors=tuple(contributors),
        rooms=_subtotals(contributors, checklist, by="room", assessment=assessment),
        categories=_subtotals(contributors, checklist, by="category", assessment=assessment),
        hazards=tuple(hazards),
        factors_present=tuple(factor for factor, _ in person),
        person_log_odds=person_log_odds,
        vulnerability=vulnerability,
        environment_scale=environment_scale,
        unanswered=unanswered,
        checklist_version=assessment.checklist_version,  # how the visit was recorded
        model_version=params.version,
    )


def _subtotals(
    contributors: list[Contributor], checklist: Checklist, by: str, assessment: Assessment
) -> tuple[Subtotal, ...]:
    sums: dict[str | None, int] = defaultdict(int)
    for contributor in contributors:
        key = contributor.room if by == "room" else contributor.category
        sums[key] += contributor.points
    if by == "room":
        keys: list[str | None] = [None] + [room.id for room in assessment.rooms]
        names: dict[str | None, str] = {None: "Not tied to a room (the person, the whole home)"}
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
