"""Reads data/checklist/*.toml into a validated Checklist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from safetycheck.content.tables import ContentError, Table, read_toml
from safetycheck.domain.checklist import (
    EXPOSURES,
    INTERACTION_TAGS,
    SOURCE_CHECKS,
    UNITS,
    Action,
    AnswerType,
    Category,
    Checklist,
    Citation,
    Effort,
    Item,
    Option,
    Page,
    Priority,
    RedFlag,
    RetiredItem,
    RoomKind,
    Severity,
    Source,
    Urgency,
    UrgencyTier,
    Who,
    answer_values,
)
from safetycheck.domain.conditions import MODE_SUBJECT, Condition, ConditionSyntaxError

ITEM_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
PLAIN_ID = re.compile(r"^[a-z0-9_]+$")
SOURCE_ID = re.compile(r"^[a-z0-9_-]+$")
STEADI_IDS = tuple(f"steadi.si.{n:02d}" for n in range(1, 13))


def load_checklist(folder: Path) -> Checklist:
    """Load and validate the checklist; raise ContentError naming file, item and problem."""
    main_path = folder / "checklist.toml"
    main = Table(read_toml(main_path), main_path, "")
    version = main.text("version")
    reads = main.texts("reads")
    files = main.texts("files", required=True)
    sources = tuple(_source(t) for t in main.tables("sources"))
    categories = tuple(Category(t.text("id"), t.text("name")) for t in main.tables("categories"))
    room_kinds = tuple(_room_kind(t) for t in main.tables("room_kinds"))
    urgencies = tuple(_urgency(t) for t in main.tables("urgencies"))
    retired = tuple(_retired(t, room_kinds) for t in main.tables("retired", required=False))
    main.no_unknown_keys()
    _check_versions(main, version, reads, retired)
    if [tier.urgency for tier in urgencies] != list(Urgency):
        main.fail(
            "urgencies must be listed once each, most urgent first: "
            + ", ".join(u.value for u in Urgency)
        )
    _unique(main_path, "source", [s.id for s in sources], SOURCE_ID)
    _unique(main_path, "category", [c.id for c in categories])
    _unique(main_path, "room kind", [k.id for k in room_kinds])
    if "person" not in {c.id for c in categories}:
        main.fail("the category 'person' is required (person factors are counted there)")

    context = _Context(
        sources={s.id for s in sources},
        categories={c.id for c in categories},
        room_kinds={k.id for k in room_kinds},
    )
    listed = set(files)
    stray = sorted(
        p.name for p in folder.glob("*.toml") if p.name != "checklist.toml" and p.name not in listed
    )
    if stray:
        main.fail(
            f"item file{'s' if len(stray) > 1 else ''} {', '.join(stray)} not listed in 'files'"
        )
    items: list[Item] = []
    for name in files:
        path = folder / name
        document = Table(read_toml(path), path, "")
        for table in document.tables("items"):
            item_id = table.data.get("id")
            if isinstance(item_id, str):
                table.where = f"item '{item_id}'"
            item = _item(table, context)
            if item.id in context.known:
                table.fail("id is used by another item (ids must be unique)")
            context.register(item)
            items.append(item)
        document.no_unknown_keys()
    missing_si = [i for i in STEADI_IDS if i not in context.known]
    if missing_si:
        main.fail(
            f"Stay Independent item{'s' if len(missing_si) > 1 else ''} "
            f"{', '.join(missing_si)} missing"
        )
    _check_retired(main, retired, context.known)
    return Checklist(
        version, sources, categories, room_kinds, tuple(items), urgencies, retired, reads
    )


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _check_versions(
    main: Table, version: str, reads: tuple[str, ...], retired: tuple[RetiredItem, ...]
) -> None:
    """`reads` lists earlier versions, oldest first; a question was retired by one of the
    versions after the oldest read (or by this one)."""
    for text in (version, *reads):
        if not re.match(r"^\d+\.\d+$", text):
            main.fail(f"checklist version '{text}' must look like 2.1")
    keys = [_version_key(v) for v in (*reads, version)]
    if keys != sorted(set(keys)):
        main.fail("'reads' must list earlier versions than 'version', oldest first, once each")
    later = {*reads[1:], version}
    for old in retired:
        if old.since not in later:
            main.fail(
                f"retired item {old.id}: since '{old.since}' is not a version after the oldest "
                f"one read ({', '.join(sorted(later, key=_version_key))})"
            )


def _check_retired(main: Table, retired: tuple[RetiredItem, ...], known: dict[str, Item]) -> None:
    """A retired question is no longer asked; what replaces it exists and takes its answers."""
    clash = sorted({r.id for r in retired} & set(known))
    if clash:
        main.fail(f"retired item {clash[0]} is still asked (remove it from 'retired')")
    for old in retired:
        target = known.get(old.replaced_by) if old.replaced_by else None
        if old.replaced_by and target is None:
            main.fail(f"retired item {old.id}: replaced_by '{old.replaced_by}' is not an item")
        if target is not None and not target.person_level:
            main.fail(
                f"retired item {old.id}: replaced_by '{old.replaced_by}' is asked per room "
                "(an answer is carried only to a question asked once)"
            )
        if target is not None and old.per_room and not old.rooms:
            main.fail(
                f"retired item {old.id}: 'rooms' must say where it was asked, so its answers "
                "are carried only when every one of those rooms has one"
            )
        if target is not None and old.per_room and not target.hazard_if:
            main.fail(
                f"retired item {old.id}: '{old.replaced_by}' finds no hazard, so there is no "
                "least safe answer to carry"
            )
        if target is not None:
            for _, new_value in old.carried:
                if new_value not in target.allowed_values():
                    main.fail(
                        f"retired item {old.id}: '{new_value}' is not an answer of {target.id}"
                    )


class _Context:
    """What an item may refer to: sources, categories, room kinds and earlier person items."""

    def __init__(self, sources: set[str], categories: set[str], room_kinds: set[str]) -> None:
        self.sources = sources
        self.categories = categories
        self.room_kinds = room_kinds
        self.known: dict[str, Item] = {}

    def register(self, item: Item) -> None:
        self.known[item.id] = item


def _unique(path: Path, what: str, ids: list[str], pattern: re.Pattern[str] = PLAIN_ID) -> None:
    seen: set[str] = set()
    for entry in ids:
        if not pattern.match(entry):
            raise ContentError(
                f"{path}: {what} id '{entry}' must be lowercase letters, digits "
                f"and {'- or _' if pattern is SOURCE_ID else '_'}"
            )
        if entry in seen:
            raise ContentError(f"{path}: {what} id '{entry}' is defined twice")
        seen.add(entry)


def _source(table: Table) -> Source:
    source = Source(
        table.text("id"),
        table.text("title"),
        table.text("note", required=False),
        table.one_of("checked", list(SOURCE_CHECKS)),
    )
    table.no_unknown_keys()
    return source


def _urgency(table: Table) -> UrgencyTier:
    tier = UrgencyTier(
        Urgency(table.one_of("id", [u.value for u in Urgency])),
        table.text("title"),
        table.text("advice"),
        table.text("source"),
    )
    table.no_unknown_keys()
    return tier


def _retired(table: Table, room_kinds: tuple[RoomKind, ...]) -> RetiredItem:
    item_id = table.text("id")
    if not ITEM_ID.match(item_id):
        table.fail(f"id '{item_id}' must be dotted lowercase words")
    values = table.texts("values", required=False)
    carried_table = table.table("carried", required=False)
    carried: tuple[tuple[str, str], ...] = ()
    if carried_table is not None:
        carried = tuple((old, carried_table.text(old)) for old in sorted(carried_table.data))
        for old, _ in carried:
            if old not in values:
                table.fail(f"carried: '{old}' is not one of its answers")
        carried_table.no_unknown_keys()
    replaced_by = table.text("replaced_by", required=carried_table is not None)
    flag_table = table.table("red_flag", required=False)
    red_flag = None
    if flag_table is not None:
        urgency = Urgency(flag_table.one_of("urgency", [u.value for u in Urgency]))
        red_flag = RedFlag(("yes",), flag_table.text("text"), urgency)
        flag_table.no_unknown_keys()
    per_room = table.flag("per_room")
    rooms = table.texts("rooms", allowed=(*sorted(k.id for k in room_kinds), "*"))
    if rooms and not per_room:
        table.fail("'rooms' is only for a question that was asked per room")
    carry_if = []
    for text in table.texts("carry_if"):
        try:
            carry_if.append(Condition.parse(text))
        except ConditionSyntaxError as exc:
            table.fail(str(exc))
    retired = RetiredItem(
        item_id,
        table.text("since"),
        values,
        table.text("why"),
        replaced_by,
        carried,
        red_flag,
        tuple(carry_if),
        per_room,
        rooms,
    )
    table.no_unknown_keys()
    return retired


def _room_kind(table: Table) -> RoomKind:
    kind = RoomKind(
        id=table.text("id"),
        name=table.text("name"),
        help=table.text("help"),
        default_present=table.flag("default_present"),
        night_route_default=table.flag("night_route_default"),
        stairs=table.flag("stairs"),
    )
    table.no_unknown_keys()
    return kind


@dataclass(frozen=True, slots=True)
class _Hazard:
    """What an item finds and what to do about it (all empty for an item that finds nothing)."""

    severity: Severity | None = None
    hazard_if: tuple[str, ...] = ()
    hazard_below: float | None = None
    hazard_above: float | None = None
    unit: str = ""
    finding: str = ""
    action: Action | None = None


def _item(table: Table, ctx: _Context) -> Item:
    item_id = table.text("id")
    if not ITEM_ID.match(item_id):
        table.fail(f"id '{item_id}' must be dotted lowercase words, like 'room.floors.rugs'")
    page = Page(table.one_of("page", [p.value for p in Page]))
    answer_type = AnswerType(table.one_of("type", [t.value for t in AnswerType]))
    if item_id in STEADI_IDS and (answer_type is not AnswerType.YESNO or page is not Page.PERSON):
        table.fail("Stay Independent items are yes/no items on the person page")
    category = table.one_of("category", sorted(ctx.categories))
    rooms = _rooms(table, ctx, page)
    mode = table.one_of("mode", ["all", "ot"], required=False, default="all")
    applies_if = tuple(_condition(table, text, ctx, rooms) for text in table.texts("applies_if"))
    options = _options(table, answer_type)
    values = answer_values(answer_type, options)
    hazard = _hazard(table, answer_type, values)
    red_flag = _red_flag(table, answer_type, page)
    if red_flag is not None and hazard.severity is not None:
        table.fail("a red-flag question adds no points: it cannot also find a hazard")
    sources = tuple(_citation(t, ctx) for t in table.tables("sources"))
    if not sources:
        table.fail("every item must cite at least one source")
    declared_safe = _declared_safe(table, answer_type, values, hazard, red_flag)
    plausible = _plausible(table, answer_type)
    stable = table.flag("stable")
    if stable and page is not Page.PERSON:
        table.fail("'stable' is only for the person's questions (the rooms' answers always carry)")
    if stable and red_flag is not None:
        table.fail("a red-flag question is asked afresh at every visit: it cannot be 'stable'")
    loinc = table.text("loinc", required=False)
    if loinc and not re.match(r"^\d{1,7}-\d$", loinc):
        table.fail(f"loinc '{loinc}' is not a LOINC code like 97875-9")
    item = Item(
        id=item_id,
        page=page,
        category=category,
        type=answer_type,
        text=table.text("text"),
        help=table.text("help"),
        sources=sources,
        rooms=rooms,
        mode=mode,
        applies_if=applies_if,
        finding=hazard.finding,
        severity=hazard.severity,
        exposure=table.texts("exposure", allowed=EXPOSURES),
        interacts=table.texts("interacts", allowed=INTERACTION_TAGS),
        hazard_if=hazard.hazard_if,
        hazard_below=hazard.hazard_below,
        hazard_above=hazard.hazard_above,
        unit=hazard.unit,
        options=options,
        red_flag=red_flag,
        loinc=loinc,
        action=hazard.action,
        declared_safe=declared_safe,
        plausible=plausible,
        stable=stable,
        label=table.text("label", required=answer_type is AnswerType.MEASURE),
    )
    if item.label and answer_type is not AnswerType.MEASURE:
        table.fail("'label' is only for measure items")
    table.no_unknown_keys()
    return item


def _rooms(table: Table, ctx: _Context, page: Page) -> tuple[str, ...]:
    rooms = table.texts("rooms", required=page is Page.ROOM, allowed=(*sorted(ctx.room_kinds), "*"))
    if page is Page.ROOM and not rooms:
        table.fail("'rooms' must name at least one room kind, or '*'")
    if page is not Page.ROOM and rooms:
        table.fail("'rooms' is only for items on the room page")
    return rooms


def _options(table: Table, answer_type: AnswerType) -> tuple[Option, ...]:
    options = tuple(_option(t) for t in table.tables("options", required=False))
    if answer_type is AnswerType.CHOICE and len(options) < 2:
        table.fail("a choice item needs at least two options")
    if answer_type is not AnswerType.CHOICE and options:
        table.fail("only choice items have options")
    if len({o.value for o in options}) != len(options):
        table.fail("option values must be unique")
    return options


def _hazard(table: Table, answer_type: AnswerType, values: tuple[str, ...]) -> _Hazard:
    severity_text = table.one_of("severity", [s.value for s in Severity], required=False)
    severity = Severity(severity_text) if severity_text else None
    hazard_if = table.texts("hazard_if")
    if answer_type is AnswerType.CHECK:
        if hazard_if and hazard_if != ("no",):
            table.fail("a check's hazard is always the answer 'no' (Yes means safe)")
        hazard_if = ("no",)
    for value in hazard_if:
        if value not in values:
            table.fail(f"hazard_if: '{value}' is not an answer of this item")
    below = table.number("hazard_below", required=False)
    above = table.number("hazard_above", required=False)
    unit = table.one_of("unit", UNITS, required=answer_type is AnswerType.MEASURE)
    if answer_type is not AnswerType.MEASURE and (unit or below or above):
        table.fail("unit and hazard_below/hazard_above are only for measure items")
    if below is not None and above is not None and below >= above:
        table.fail("hazard_below must be less than hazard_above")

    can_be_hazard = bool(hazard_if) or below is not None or above is not None
    finding = table.text("finding", required=can_be_hazard)
    action_table = table.table("action", required=can_be_hazard, where=f"{table.where} action")
    action = read_action(action_table) if action_table is not None else None
    if can_be_hazard and severity is None:
        table.fail("'severity' is missing (every item that can find a hazard needs one)")
    if not can_be_hazard and (severity or action):
        table.fail("severity and action are only for items that can find a hazard")
    return _Hazard(severity, hazard_if, below, above, unit, finding, action)


def _plausible(table: Table, answer_type: AnswerType) -> tuple[float, float] | None:
    """`plausible = [low, high]`: the readings a measurement can really have (in its unit)."""
    if "plausible" not in table.data:
        return None
    value = table.data["plausible"]
    if answer_type is not AnswerType.MEASURE:
        table.fail("'plausible' is only for measure items")
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not 0 <= value[0] < value[1]
    ):
        table.fail("'plausible' must be two numbers [low, high], 0 <= low < high")
    table.mark_read("plausible")
    return float(value[0]), float(value[1])


def _declared_safe(
    table: Table,
    answer_type: AnswerType,
    values: tuple[str, ...],
    hazard: _Hazard,
    red_flag: RedFlag | None,
) -> tuple[str, ...] | None:
    """`safe`: the answers that mean no problem, for a yes/no or choice question whose default
    (no, or the options that find no hazard) would be wrong."""
    if "safe" not in table.data:
        return None
    if answer_type not in (AnswerType.YESNO, AnswerType.CHOICE):
        table.fail("'safe' is only for yes/no and choice questions")
    safe = table.texts("safe", allowed=values)
    if set(safe) & set(hazard.hazard_if) or (red_flag and set(safe) & set(red_flag.values)):
        table.fail("'safe' names an answer that finds a hazard or raises a red flag")
    return safe


def _red_flag(table: Table, answer_type: AnswerType, page: Page) -> RedFlag | None:
    """Every red-flag question reads the same way round: a yes/no question about the person
    whose "yes" is the warning sign (no "Not applicable" to silence it)."""
    flag_table = table.table("red_flag", required=False, where=f"{table.where} red_flag")
    if flag_table is None:
        return None
    if answer_type is not AnswerType.YESNO or page in (Page.ROOM, Page.HOME):
        flag_table.fail("a red-flag question is a yes/no question about the person")
    flag_values = flag_table.texts("if", required=True)
    if flag_values != ("yes",):
        flag_table.fail("a red flag is raised by 'yes' (Yes = the warning sign is there)")
    urgency = Urgency(flag_table.one_of("urgency", [u.value for u in Urgency]))
    red_flag = RedFlag(flag_values, flag_table.text("text"), urgency)
    flag_table.no_unknown_keys()
    return red_flag


def _condition(table: Table, text: str, ctx: _Context, rooms: tuple[str, ...] = ()) -> Condition:
    """A condition of `applies_if`. A question asked in rooms may also follow an earlier
    question asked in the same rooms ("grab bar height" only where there is a grab bar): it is
    then asked in a room when that room's answer holds."""
    try:
        condition = Condition.parse(text)
    except ConditionSyntaxError as exc:
        table.fail(str(exc))
    if condition.subject == MODE_SUBJECT:
        for value in condition.values:
            if value not in ("caregiver", "ot"):
                table.fail(f"condition '{text}': mode is 'caregiver' or 'ot'")
        return condition
    target = ctx.known.get(condition.subject)
    if rooms and target is not None and not target.person_level:
        if "*" not in target.rooms and ("*" in rooms or not set(rooms) <= set(target.rooms)):
            table.fail(
                f"condition '{text}': '{target.id}' is not asked in every room this question is"
            )
        return check_condition_values(condition, target, table, text)
    return check_condition_subject(condition, ctx.known, table, text)


def check_condition_subject(
    condition: Condition, known: dict[str, Item], table: Table, text: str
) -> Condition:
    """A condition must name an earlier person-level item and one of its answers."""
    target = known.get(condition.subject)
    if target is None:
        table.fail(f"condition '{text}' names '{condition.subject}', which is not an earlier item")
    if not target.person_level:
        table.fail(
            f"condition '{text}': '{condition.subject}' is asked per room; "
            "conditions may only use the person's own items"
        )
    return check_condition_values(condition, target, table, text)


def check_condition_values(
    condition: Condition, target: Item, table: Table, text: str
) -> Condition:
    """Every value a condition names must be an answer of its item."""
    allowed = target.allowed_values()
    for value in condition.values:
        if value not in allowed:
            table.fail(
                f"condition '{text}': '{value}' is not an answer of '{target.id}' "
                f"({', '.join(allowed)})"
            )
    return condition


def _option(table: Table) -> Option:
    value = table.text("value")
    if not PLAIN_ID.match(value):
        table.fail(f"option value '{value}' must be lowercase letters, digits and _")
    option = Option(value, table.text("label"))
    table.no_unknown_keys()
    return option


def read_action(table: Table) -> Action:
    """An item's action, or a model factor's advice: what to do, how soon, who, how hard."""
    action = Action(
        text=table.text("text"),
        priority=Priority(table.one_of("priority", [p.value for p in Priority])),
        who=Who(table.one_of("who", [w.value for w in Who])),
        effort=Effort(table.one_of("effort", [e.value for e in Effort])),
        ot_text=table.text("ot_text", required=False),
    )
    table.no_unknown_keys()
    return action


def _citation(table: Table, ctx: _Context) -> Citation:
    source = table.one_of("src", sorted(ctx.sources))
    citation = Citation(source, table.text("ref", required=False))
    table.no_unknown_keys()
    return citation
