"""The risk model's parameters as frozen values; every number carries its source."""

from __future__ import annotations

import math
from dataclasses import dataclass

from safetycheck.domain.checklist import Action, Effort, Severity
from safetycheck.domain.conditions import Condition, any_holds
from safetycheck.domain.stratification import StratificationRule


@dataclass(frozen=True, slots=True)
class Weighted:
    """A number and where it comes from."""

    value: float
    source: str


@dataclass(frozen=True, slots=True)
class Factor:
    """A person factor with a published odds ratio, present when any of its conditions holds."""

    id: str
    label: str
    odds_ratio: float
    domain: str
    when: tuple[Condition, ...]
    source: str
    evidence: str  # verified | secondary | design choice: how the figure was checked
    cap_log_odds: float | None = None
    advice: Action | None = None

    def log_odds(self) -> float:
        raw = math.log(self.odds_ratio)
        if self.cap_log_odds is not None:
            raw = min(raw, self.cap_log_odds)
        return raw


@dataclass(frozen=True, slots=True)
class Trait:
    """Something about the person that makes some hazards matter more (e.g. foot drop)."""

    id: str
    label: str  # used in words: "with foot drop"
    when: tuple[Condition, ...]

    def present(self, facts: dict[str, str]) -> bool:
        return any_holds(self.when, facts)


@dataclass(frozen=True, slots=True)
class Interaction:
    """A hazard tag that counts more for a person with a trait."""

    tag: str
    trait: str
    multiplier: float
    source: str
    only: str = ""  # an exposure: the interaction counts only in rooms that have it


@dataclass(frozen=True, slots=True)
class Exposure:
    """A room property that makes hazards tagged with it count more."""

    id: str
    label: str  # used in words: "on the night route"
    multiplier: float
    source: str


@dataclass(frozen=True, slots=True)
class Screening:
    """A screening route that adds no points but always leads to an action."""

    id: str
    label: str
    when: tuple[Condition, ...]
    source: str
    advice: Action


@dataclass(frozen=True, slots=True)
class StayIndependentRule:
    """The Stay Independent brochure's scoring, as published."""

    item_ids: tuple[str, ...]
    points: tuple[int, ...]
    at_risk_from: int
    key_items: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class ModelParameters:
    """Everything the risk model needs besides the checklist and the answers."""

    version: str
    points_per_log_odds: Weighted
    shrinkage: Weighted
    overlap_decay: Weighted
    vulnerability_half: Weighted
    environment_floor: Weighted
    environment_cap: Weighted
    max_interaction: Weighted
    severity: dict[Severity, Weighted]
    effort_cost: dict[Effort, float]
    stay_independent: StayIndependentRule
    stratification: StratificationRule
    screening: tuple[Screening, ...]
    factors: tuple[Factor, ...]
    traits: tuple[Trait, ...]
    interactions: tuple[Interaction, ...]
    exposures: tuple[Exposure, ...]

    def trait(self, trait_id: str) -> Trait:
        for trait in self.traits:
            if trait.id == trait_id:
                return trait
        raise KeyError(trait_id)

    def exposure(self, exposure_id: str) -> Exposure:
        for exposure in self.exposures:
            if exposure.id == exposure_id:
                return exposure
        raise KeyError(exposure_id)
