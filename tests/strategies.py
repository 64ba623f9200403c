"""Hypothesis strategies: random homes and answers drawn from the real checklist."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from safetycheck.content import Content
from safetycheck.domain.assessment import Answer, Assessment, Assessor, Person, RoomInstance
from safetycheck.domain.checklist import AnswerType, Item, Mode

# Names as people type them: any letters, marks, digits, punctuation and spaces, no control
# characters (the interchange reader refuses NUL, which PostgreSQL cannot store).
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)  # a name of spaces only is refused by the reader


def value_for(item: Item) -> st.SearchStrategy[str | float]:
    if item.type is AnswerType.MEASURE:
        # Gait tests around their cut-offs (15 s, 0.8 m/s); lengths up to 3 m.
        low, top = 0.0, 3000.0
        if item.plausible is not None:  # gait tests: around their cut-offs (15 s, 0.8 m/s)
            low, top = item.plausible[0], min(item.plausible[1], 40.0)
        return st.floats(min_value=low, max_value=top, allow_nan=False).map(
            lambda v: float(max(low, round(v, 1)))
        )
    return st.sampled_from(item.allowed_values())


@st.composite
def rooms(draw: st.DrawFn, content: Content) -> tuple[RoomInstance, ...]:
    kinds = [kind.id for kind in content.checklist.room_kinds]
    chosen = draw(st.lists(st.sampled_from(kinds), min_size=0, max_size=8))
    return tuple(
        RoomInstance(f"r{n}", kind, f"{kind.title()} {n}", draw(st.booleans()), draw(st.booleans()))
        for n, kind in enumerate(chosen, start=1)
    )


@st.composite
def assessments(draw: st.DrawFn, content: Content) -> Assessment:
    """Any home, any mode, each item answered with any allowed value or left unanswered."""
    checklist = content.checklist
    home = draw(rooms(content))
    mode = draw(st.sampled_from(list(Mode)))
    answers: list[Answer] = []
    for item in checklist.items:
        places: list[str | None]
        if item.person_level:
            places = [None]
        else:
            places = [room.id for room in home if item.applies_to_room(room.kind)]
        for place in places:
            if draw(st.integers(0, 4)) == 0:
                continue  # unanswered
            value = draw(value_for(item))
            unit = ""
            if item.type is AnswerType.MEASURE:
                unit = draw(st.sampled_from(["mm", "in"])) if item.unit == "mm" else item.unit
            note = draw(st.sampled_from(["", "", "see photo", "Ω <b>&amp; ünïcode"]))
            seconds = draw(st.integers(0, 10**7))
            answered_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
            answers.append(
                Answer(item.id, place, value, note=note, unit=unit, answered_at=answered_at)
            )
    return Assessment(
        id="a-prop",
        person=Person(draw(st.uuids()).hex, draw(NAMES), None),
        assessor=Assessor("Assessor", mode),
        mode=mode,
        date=date(2026, 11, 26),
        checklist_version=checklist.version,
        model_version=content.model.version,
        rooms=home,
        answers=tuple(answers),
    )
