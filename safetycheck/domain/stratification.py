"""The level: the World Falls Guidelines 2022 stratification, with what is not yet known.

Every input only ever raises the level (a yes to a key question, a severity sign, a frailty
point, a slower gait test), so filling every unanswered input with its safest answer gives the
lowest level the visit can still reach, and filling it with the riskiest gives the highest. The
level is stated only when both agree. docs/risk-model.md gives the operationalisation and what
of the guideline was and was not verified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from safetycheck.domain.checklist import Action
from safetycheck.domain.conditions import Condition


class Level(StrEnum):
    """The overall fall-risk level, in the program's words."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def label(self) -> str:
        return {"low": "Low risk", "moderate": "Moderate risk", "high": "High risk"}[self.value]

    @property
    def guideline_word(self) -> str:
        """The World Falls Guidelines' own word for this level."""
        return {"low": "low", "moderate": "intermediate", "high": "high"}[self.value]


@dataclass(frozen=True, slots=True)
class LevelRange:
    """The lowest and the highest level the answers still allow (equal: the level is known)."""

    lowest: Level
    highest: Level

    @property
    def known(self) -> Level | None:
        return self.lowest if self.lowest is self.highest else None

    @property
    def key(self) -> str:
        """Stored with a finished visit: "moderate", or "low-moderate" while undecided."""
        if self.known is not None:
            return self.known.value
        return f"{self.lowest.value}-{self.highest.value}"

    @classmethod
    def from_key(cls, key: str) -> LevelRange:
        low, _, high = key.partition("-")
        return cls(Level(low), Level(high or low))

    @property
    def label(self) -> str:
        """ "Moderate risk", or "Low to moderate risk" while undecided."""
        if self.known is not None:
            return self.known.label
        return f"{self.lowest.value.capitalize()} to {self.highest.value} risk"

    @property
    def words(self) -> str:
        """ "moderate", or "between low and moderate" (for a sentence)."""
        if self.known is not None:
            return self.known.value
        return f"between {self.lowest.value} and {self.highest.value}"

    def contains(self, other: LevelRange) -> bool:
        return self.lowest.rank <= other.lowest.rank and other.highest.rank <= self.highest.rank


@dataclass(frozen=True, slots=True)
class SeveritySign:
    """An answer that makes a fall severe (high risk, for a person who has fallen)."""

    when: Condition
    words: str  # "an injury from a fall"
    missing: str  # "whether a fall caused an injury"


@dataclass(frozen=True, slots=True)
class GaitTest:
    """A gait and balance test, impaired above (seconds) or below (speed) its cut-off."""

    item: str
    name: str
    impaired_above: float | None
    impaired_below: float | None
    source: str

    def impaired(self, value: float) -> bool:
        if self.impaired_above is not None:
            return value > self.impaired_above
        assert self.impaired_below is not None
        return value < self.impaired_below

    def describe(self, value: float, unit: str) -> str:
        if self.impaired_above is not None:
            limit, over, under = self.impaired_above, "over", "at or under"
        else:
            assert self.impaired_below is not None
            limit, over, under = self.impaired_below, "under", "at or over"
        side = over if self.impaired(value) else under
        return f"{self.name} {value:g} {unit} ({side} {limit:g} {unit})"


@dataclass(frozen=True, slots=True)
class StratificationRule:
    """The guideline's algorithm, as model.toml words it."""

    faller: str  # the item that asks "fallen in the past year"
    key_items: tuple[str, ...]
    key_words: dict[str, str]  # key item -> "has fallen in the past year"
    si_items: tuple[str, ...]
    si_points: tuple[int, ...]
    si_at_risk_from: int
    signs: tuple[SeveritySign, ...]
    frail_items: tuple[str, ...]
    frail_from: int
    gait_choice: str  # the item that says which gait test was done
    gait_unable: str  # its answer "could not do a walking test safely": impaired
    gait_not_done: str  # its answer "not done at this visit"
    gait: tuple[GaitTest, ...]
    advice: dict[str, Action]  # assessment | gait_test | high | moderate
    source: str


@dataclass(frozen=True, slots=True)
class Stratification:
    """The level and why, in the guideline's terms, and what would settle it."""

    range: LevelRange
    case_found: bool | None  # None: not known yet
    needs_gait_test: bool  # case-found, not high, and no gait test recorded
    reasons: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def level(self) -> Level | None:
        return self.range.known


_SAFE, _RISKY = False, True


def _yes(facts: Mapping[str, str], item: str, fill: bool) -> bool:
    value = facts.get(item)
    return fill if value is None else value == "yes"


def _level(rule: StratificationRule, facts: Mapping[str, str], fill: bool) -> Level:
    """The level with every unknown input filled safe (False) or risky (True)."""
    points = sum(
        p for item, p in zip(rule.si_items, rule.si_points, strict=True) if _yes(facts, item, fill)
    )
    case_found = any(_yes(facts, item, fill) for item in rule.key_items) or (
        points >= rule.si_at_risk_from
    )
    if not case_found:
        return Level.LOW
    if _yes(facts, rule.faller, fill):
        # An unanswered sign is risky only where the walkthrough would ask it (its gate is
        # the faller question, filled the same way).
        severe = any(
            sign.when.holds(facts) if sign.when.subject in facts else fill for sign in rule.signs
        )
        frail = sum(_yes(facts, item, fill) for item in rule.frail_items) >= rule.frail_from
        if severe or frail:
            return Level.HIGH
    impaired = _gait_impaired(rule, facts)
    return Level.MODERATE if (fill if impaired is None else impaired) else Level.LOW


def _gait_impaired(rule: StratificationRule, facts: Mapping[str, str]) -> bool | None:
    """Whether the gait test done shows impairment (None: no result yet). Only the chosen
    test is asked, so at most one result counts."""
    if facts.get(rule.gait_choice) == rule.gait_unable:
        return True
    recorded = _gait_values(rule, facts)
    if not recorded:
        return None
    return any(test.impaired(value) for test, value in recorded)


def _gait_values(
    rule: StratificationRule, facts: Mapping[str, str]
) -> list[tuple[GaitTest, float]]:
    found = []
    for test in rule.gait:
        text = facts.get(test.item)
        if text is not None:
            found.append((test, float(text)))
    return found


def stratify(
    rule: StratificationRule, facts: Mapping[str, str], units: Mapping[str, str]
) -> Stratification:
    """Stratify from the effective facts (the person's answers that count)."""
    level_range = LevelRange(_level(rule, facts, _SAFE), _level(rule, facts, _RISKY))
    reasons: list[str] = []
    missing: list[str] = []
    case_found = _case_finding(rule, facts, reasons, missing)
    if case_found is not False and facts.get(rule.faller) != "no":
        _severity(rule, facts, level_range, reasons, missing)
    needs_gait_test = False
    if case_found is not False and level_range.lowest is not Level.HIGH:
        recorded = _gait_values(rule, facts)
        if facts.get(rule.gait_choice) == rule.gait_unable:
            reasons.append("Gait and balance impaired: could not do a walking test safely.")
        elif recorded:
            words = "; ".join(test.describe(v, units.get(test.item, "")) for test, v in recorded)
            impaired = any(test.impaired(v) for test, v in recorded)
            reasons.append(
                f"Gait and balance {'impaired' if impaired else 'not impaired'}: {words}."
            )
        else:
            needs_gait_test = case_found is True
            missing.append("a gait and balance test (Timed Up and Go or gait speed)")
    if level_range.known is not None:
        missing = []
    return Stratification(level_range, case_found, needs_gait_test, tuple(reasons), tuple(missing))


def _case_finding(
    rule: StratificationRule, facts: Mapping[str, str], reasons: list[str], missing: list[str]
) -> bool | None:
    """Whether the STEADI screen is positive (None: not known yet), with its reason."""
    key_yes = [rule.key_words[item] for item in rule.key_items if facts.get(item) == "yes"]
    known_points = sum(
        p for item, p in zip(rule.si_items, rule.si_points, strict=True) if facts.get(item) == "yes"
    )
    unanswered_si = [item for item in rule.si_items if item not in facts]
    if key_yes or known_points >= rule.si_at_risk_from:
        noun = "a key question" if len(key_yes) == 1 else "key questions"
        found_by = [f"{', '.join(key_yes)} ({noun})"] if key_yes else []
        if known_points >= rule.si_at_risk_from:
            found_by.append(f"{known_points} Stay Independent points (4 or more)")
        reasons.append("Screened at risk (case finding): " + "; ".join(found_by) + ".")
        return True
    if unanswered_si:
        missing.append(f"the Stay Independent questions ({len(unanswered_si)} unanswered)")
        return None
    reasons.append(
        "Not screened at risk (case finding): no to the three key questions and "
        f"{known_points} of 14 Stay Independent points (under 4), so managed as low risk."
    )
    return False


def _severity(
    rule: StratificationRule,
    facts: Mapping[str, str],
    level_range: LevelRange,
    reasons: list[str],
    missing: list[str],
) -> None:
    """The severity of a fall: a sign or frailty makes a faller high risk."""
    faller = facts.get(rule.faller)
    present = [sign.words for sign in rule.signs if sign.when.holds(facts)]
    frail_points = sum(facts.get(item) == "yes" for item in rule.frail_items)
    frail_unknown = sum(item not in facts for item in rule.frail_items)
    if frail_points >= rule.frail_from:
        present.append(f"frailty ({frail_points} of 5 FRAIL points; 3 or more is frail)")
    if faller == "yes" and present:
        reasons.append("A fall with a severity sign: " + "; ".join(present) + ".")
    elif level_range.highest is Level.HIGH:
        if faller is None:
            missing.append("whether the person has fallen in the past year")
        missing.extend(sign.missing for sign in rule.signs if sign.when.subject not in facts)
        if frail_unknown and frail_points + frail_unknown >= rule.frail_from:
            missing.append(f"the FRAIL questions ({frail_unknown} unanswered)")
    elif faller == "yes":
        reasons.append(
            f"A fall with no severity sign, and not frail ({frail_points} of 5 FRAIL points)."
        )
