"""Reads data/model/model.toml into validated ModelParameters, checked against the checklist."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safetycheck.content.checklist_loader import STEADI_IDS, check_condition_subject, read_action
from safetycheck.content.tables import Table, read_toml
from safetycheck.domain.checklist import (
    EXPOSURES,
    INTERACTION_TAGS,
    AnswerType,
    Checklist,
    Effort,
    Item,
    Severity,
)
from safetycheck.domain.conditions import Condition, ConditionSyntaxError
from safetycheck.domain.parameters import (
    Exposure,
    Factor,
    Interaction,
    ModelParameters,
    Screening,
    StayIndependentRule,
    Trait,
    Weighted,
)
from safetycheck.domain.stratification import GaitTest, SeveritySign, StratificationRule

# How the guideline's case-finding reasons name the three key questions.
KEY_WORDS = {
    "steadi.si.01": "has fallen in the past year",
    "steadi.si.03": "feels unsteady when walking",
    "steadi.si.05": "is worried about falling",
}
ADVICE_KEYS = ("assessment", "gait_test", "high", "moderate")

EVIDENCE = ("verified", "secondary", "design choice")


def load_model(path: Path, checklist: Checklist) -> ModelParameters:
    """Load the model's parameters; every item they name must exist in the checklist."""
    root = Table(read_toml(path), path, "")
    known = {item.id: item for item in checklist.items}

    def conditions(table: Table, key: str) -> tuple[Condition, ...]:
        parsed = []
        for text in table.texts(key, required=True):
            try:
                condition = Condition.parse(text)
            except ConditionSyntaxError as exc:
                table.fail(str(exc))
            parsed.append(check_condition_subject(condition, known, table, text))
        return tuple(parsed)

    version = root.text("version")
    scale = _section(root, "scale")
    person = _section(root, "person")
    environment = _section(root, "environment")
    points = _weighted(scale, "points_per_log_odds")
    scale.no_unknown_keys()
    shrinkage = _weighted(person, "shrinkage", upper=1.0)
    overlap = _weighted(person, "overlap_decay", upper=1.0)
    person.no_unknown_keys()

    severity = {s: _weighted(environment, s.value) for s in Severity}
    if (
        not severity[Severity.MINOR].value
        <= severity[Severity.MODERATE].value
        <= severity[Severity.MAJOR].value
    ):
        environment.fail("severity weights must rise from minor to moderate to major")
    half = _weighted(environment, "vulnerability_half")
    floor = _weighted(environment, "floor", upper=1.0)
    cap = _weighted(environment, "cap")
    max_interaction = _weighted(environment, "max_interaction")
    exposures = _exposures(_section(environment, "exposure"))
    environment.no_unknown_keys()

    effort_table = _section(root, "effort_cost")
    effort_cost = {e: effort_table.positive(e.value) for e in Effort}
    effort_table.no_unknown_keys()

    rule = _stay_independent(_section(root, "stay_independent"))
    stratification = _stratification(_section(root, "stratification"), rule, known)
    screening = []
    for table in root.tables("screening", required=False):
        advice_table = table.table("advice", where=f"screening {table.text('id')} advice")
        assert advice_table is not None
        screening.append(
            Screening(
                table.text("id"),
                table.text("label"),
                conditions(table, "when"),
                table.text("source"),
                read_action(advice_table),
            )
        )
        table.no_unknown_keys()

    traits = []
    for table in root.tables("traits"):
        traits.append(Trait(table.text("id"), table.text("label"), conditions(table, "when")))
        table.no_unknown_keys()
    trait_ids = [t.id for t in traits]
    if len(set(trait_ids)) != len(trait_ids):
        root.fail("trait ids must be unique")

    interactions = []
    for table in root.tables("interactions"):
        interactions.append(
            Interaction(
                tag=table.one_of("tag", INTERACTION_TAGS),
                trait=table.one_of("trait", trait_ids),
                multiplier=_at_least_one(table, "multiplier"),
                source=table.text("source"),
                only=table.one_of("only", EXPOSURES, required=False),
            )
        )
        table.no_unknown_keys()

    factors = [_factor(table, conditions) for table in root.tables("factors")]
    factor_ids = [f.id for f in factors]
    if len(set(factor_ids)) != len(factor_ids):
        root.fail("factor ids must be unique")
    root.no_unknown_keys()

    return ModelParameters(
        version=version,
        points_per_log_odds=points,
        shrinkage=shrinkage,
        overlap_decay=overlap,
        vulnerability_half=half,
        environment_floor=floor,
        environment_cap=cap,
        max_interaction=max_interaction,
        severity=severity,
        effort_cost=effort_cost,
        stay_independent=rule,
        stratification=stratification,
        screening=tuple(screening),
        factors=tuple(factors),
        traits=tuple(traits),
        interactions=tuple(interactions),
        exposures=tuple(exposures),
    )


def _exposures(table: Table) -> list[Exposure]:
    exposures = []
    for exposure_id in EXPOSURES:
        entry = _section(table, exposure_id)
        exposures.append(
            Exposure(
                exposure_id,
                entry.text("label"),
                _at_least_one(entry, "multiplier"),
                entry.text("source"),
            )
        )
        entry.no_unknown_keys()
    table.no_unknown_keys()
    return exposures


def _stay_independent(stay: Table) -> StayIndependentRule:
    stay_items = stay.texts("items", required=True)
    if stay_items != STEADI_IDS:
        stay.fail("items must be steadi.si.01 ... steadi.si.12 in brochure order")
    stay_points = stay.field("points", required=False)
    if (
        not isinstance(stay_points, list)
        or len(stay_points) != len(stay_items)
        or not all(isinstance(p, int) and not isinstance(p, bool) and p > 0 for p in stay_points)
    ):
        stay.fail("points must be a list of 12 whole numbers above zero")
    threshold = stay.number("at_risk_from")
    assert threshold is not None
    key_items = stay.texts("key_items", required=True, allowed=stay_items)
    rule = StayIndependentRule(
        stay_items, tuple(stay_points), int(threshold), key_items, stay.text("source")
    )
    stay.no_unknown_keys()
    return rule


def _stratification(
    table: Table,
    stay: StayIndependentRule,
    known: dict[str, Item],
) -> StratificationRule:
    """The World Falls Guidelines algorithm's inputs; every item it names must exist."""

    def item_of(key_table: Table, key: str, kind: AnswerType) -> str:
        item_id = key_table.text(key)
        item = known.get(item_id)
        if item is None or not item.person_level or item.type is not kind:
            key_table.fail(f"'{key}' must name a {kind.value} item about the person")
        return item_id

    faller = item_of(table, "faller", AnswerType.YESNO)
    if faller not in stay.key_items:
        table.fail("'faller' must be one of the Stay Independent key questions")
    frail_items = table.texts("frail_items", required=True)
    for item_id in frail_items:
        if item_id not in known or known[item_id].type is not AnswerType.YESNO:
            table.fail(f"frail_items: '{item_id}' is not a yes/no item")
    frail_from = _weighted(table, "frail_from")
    signs = []
    for sign_table in table.tables("signs"):
        when = _one_condition(sign_table, known)
        signs.append(SeveritySign(when, sign_table.text("words"), sign_table.text("missing")))
        sign_table.no_unknown_keys()
    choice_table = _section(table, "gait_test")
    gait_choice = item_of(choice_table, "item", AnswerType.CHOICE)
    choices = known[gait_choice].allowed_values()
    gait_unable = choice_table.one_of("unable", choices)
    gait_not_done = choice_table.one_of("not_done", choices)
    choice_table.no_unknown_keys()
    gait = []
    for gait_table in table.tables("gait"):
        item_id = item_of(gait_table, "item", AnswerType.MEASURE)
        above = gait_table.table("impaired_above", required=False)
        below = gait_table.table("impaired_below", required=False)
        if (above is None) == (below is None):
            gait_table.fail("give exactly one of impaired_above and impaired_below")
        limit = above if above is not None else below
        assert limit is not None
        value = limit.positive("value")
        source = limit.text("source")
        limit.no_unknown_keys()
        gait.append(
            GaitTest(
                item_id,
                gait_table.text("name"),
                value if above is not None else None,
                value if below is not None else None,
                source,
            )
        )
        gait_table.no_unknown_keys()
    advice_table = _section(table, "advice")
    advice = {}
    for key in ADVICE_KEYS:
        entry = advice_table.table(key, where=f"[stratification.advice] {key}")
        assert entry is not None
        advice[key] = read_action(entry)
    advice_table.no_unknown_keys()
    rule = StratificationRule(
        faller=faller,
        key_items=stay.key_items,
        key_words={item: KEY_WORDS.get(item, item) for item in stay.key_items},
        si_items=stay.item_ids,
        si_points=stay.points,
        si_at_risk_from=stay.at_risk_from,
        signs=tuple(signs),
        frail_items=frail_items,
        frail_from=int(frail_from.value),
        gait_choice=gait_choice,
        gait_unable=gait_unable,
        gait_not_done=gait_not_done,
        gait=tuple(gait),
        advice=advice,
        source=table.text("source"),
    )
    table.no_unknown_keys()
    return rule


def _one_condition(table: Table, known: dict[str, Item]) -> Condition:
    text = table.text("when")
    try:
        condition = Condition.parse(text)
    except ConditionSyntaxError as exc:
        table.fail(str(exc))
    return check_condition_subject(condition, known, table, text)


def _factor(table: Table, conditions: Callable[[Table, str], tuple[Condition, ...]]) -> Factor:
    factor_id = table.data.get("id")
    if isinstance(factor_id, str):
        table.where = f"factor '{factor_id}'"
    odds_ratio = table.positive("odds_ratio")
    if odds_ratio <= 1.0:
        table.fail("odds_ratio must be above 1 (a factor that raises risk)")
    advice_table = table.table("advice", required=False, where=f"{table.where} advice")
    factor = Factor(
        id=table.text("id"),
        label=table.text("label"),
        odds_ratio=odds_ratio,
        domain=table.text("domain"),
        when=conditions(table, "when"),
        source=table.text("source"),
        evidence=table.one_of("evidence", EVIDENCE),
        cap_log_odds=table.number("cap_log_odds", required=False),
        advice=read_action(advice_table) if advice_table is not None else None,
    )
    table.no_unknown_keys()
    return factor


def _section(parent: Table, key: str) -> Table:
    outer = parent.where.strip("[]")
    table = parent.table(key, where=f"[{outer}.{key}]" if outer else f"[{key}]")
    assert table is not None
    return table


def _weighted(parent: Table, key: str, upper: float | None = None) -> Weighted:
    table = parent.table(key, where=f"{parent.where} {key}".strip())
    assert table is not None
    value = table.positive("value")
    if upper is not None and value > upper:
        table.fail(f"value must be at most {upper:g}")
    weighted = Weighted(value, table.text("source"))
    table.no_unknown_keys()
    return weighted


def _at_least_one(table: Table, key: str) -> float:
    value = table.positive(key)
    if value < 1.0:
        table.fail(f"'{key}' must be at least 1 (it may only make a hazard count more)")
    return value
