"""Questions asked once for the whole home (checklist 2.1): scored once, with no room, and an
earlier checklist's room answers carried over as the least safe of them, only when complete."""

from __future__ import annotations

import json
from dataclasses import replace

from factories import DEFAULT_ROOMS, make_assessment

from safetycheck.content import Content
from safetycheck.domain.assessment import Answer
from safetycheck.domain.checklist import least_safe
from safetycheck.domain.plan import build_plan
from safetycheck.domain.scoring import assess
from safetycheck.exchange.assessment_json import assessment_to_document, parse_assessment

FOOT_DROP = {
    "person.vision": "good",
    "person.medicines": "few",
    "person.night_toilet": "once",
    "person.fd.present": "yes",
    "steadi.si.03": "yes",
}
ALL_NIGHT = tuple((kind, name, True, False) for kind, name, _, _ in DEFAULT_ROOMS)


def test_a_pet_underfoot_is_one_hazard_of_the_home_with_no_room(content: Content) -> None:
    assessment = make_assessment(
        content, person=FOOT_DROP, rooms=ALL_NIGHT, changes={("home.floors.pets", None): "no"}
    )
    result = assess(content.checklist, content.model, assessment)
    found = [h for h in result.hazards if h.item.id == "home.floors.pets"]
    assert len(found) == 1
    assert found[0].room is None
    assert found[0].counted
    (contributor,) = [c for c in result.contributors if c.item == "home.floors.pets"]
    # No room in its words, no night-route weight (every room is on the route here), and the
    # trip interaction with foot drop still applies.
    assert contributor.room is None
    assert contributor.label == "Pet underfoot, with foot drop"
    model = content.model
    severity = content.checklist.item("home.floors.pets").severity
    assert severity is not None
    minor = model.severity[severity].value
    assert contributor.raw == minor * 1.5 * result.environment_scale
    subtotal = next(s for s in result.rooms if s.key is None)
    assert subtotal.name == "Not tied to a room (the person, the whole home)"
    assert subtotal.points >= contributor.points > 0
    plan = build_plan(content.checklist, content.model, result)
    actions = [a for a in plan.actions if a.item == "home.floors.pets"]
    assert len(actions) == 1
    assert actions[0].room is None


def test_unanswered_whole_home_questions_are_unknown_not_safe(content: Content) -> None:
    complete = make_assessment(content, person=FOOT_DROP)
    without = replace(
        complete, answers=tuple(a for a in complete.answers if not a.item.startswith("home."))
    )
    assert assess(content.checklist, content.model, complete).unanswered == 0
    assert assess(content.checklist, content.model, without).unanswered == 2


def test_the_least_safe_answer_of_the_rooms(content: Content) -> None:
    pets = content.checklist.item("home.floors.pets")
    assert least_safe(pets, ["yes", "na", "no", "yes"]) == "no"
    assert least_safe(pets, ["na", "yes", "na"]) == "yes"  # a pet, never underfoot
    assert least_safe(pets, ["na", "na"]) == "na"  # no pets anywhere
    assert least_safe(pets, []) is None


def _as_2_0(content: Content, values: list[str | None], notes: dict[int, str] | None = None):
    """A 2.0 file of the six default rooms with these pets answers (None: not answered), and
    bulbs answered yes everywhere."""
    assessment = make_assessment(content, person=FOOT_DROP)
    answers = [a for a in assessment.answers if not a.item.startswith("home.")]
    for room, value in zip(assessment.rooms, values, strict=True):
        note = (notes or {}).get(int(room.id[1:]), "")
        if value is not None:
            answers.append(Answer("room.floors.pets", room.id, value, note=note))
        answers.append(Answer("room.light.bulbs", room.id, "yes"))
    old = replace(assessment, checklist_version="2.0", answers=tuple(answers))
    return json.dumps(assessment_to_document(old))


def test_a_2_0_file_carries_the_least_safe_room_answer(content: Content) -> None:
    text = _as_2_0(
        content, ["na", "yes", "no", "na", "yes", "na"], notes={3: "the cat sleeps here"}
    )
    read = parse_assessment(text, content.checklist)
    assert read.checklist_version == "2.0"
    pets = read.answer("home.floors.pets")
    assert pets is not None
    assert pets.value == "no"
    assert pets.note == "Living room: the cat sleeps here"
    bulbs = read.answer("home.light.bulbs")
    assert bulbs is not None
    assert bulbs.value == "yes"
    old = read.answer("room.floors.pets", "r3")
    assert old is not None
    assert old.value == "no"
    result = assess(content.checklist, content.model, read)
    assert [h.item.id for h in result.hazards if h.item.id.endswith("pets")] == ["home.floors.pets"]
    assert not [h for h in result.hazards if h.item.id == "room.floors.pets"]  # not scored


def test_a_room_left_unanswered_carries_nothing(content: Content) -> None:
    # Five rooms said "fine": the sixth could hold the hazard, so the home question stays open.
    read = parse_assessment(
        _as_2_0(content, ["yes", "yes", "yes", None, "yes", "yes"]), content.checklist
    )
    assert read.answer("home.floors.pets") is None
    assert read.answer("home.light.bulbs") is not None
    result = assess(content.checklist, content.model, read)
    assert result.unanswered == 1


def test_a_hazard_in_one_room_carries_even_with_another_room_unanswered(
    content: Content,
) -> None:
    # The kitchen's "no" is the home's whatever the unanswered room holds: never dropped.
    read = parse_assessment(
        _as_2_0(content, ["yes", "no", "yes", None, "yes", "yes"]), content.checklist
    )
    carried = read.answer("home.floors.pets")
    assert carried is not None
    assert carried.value == "no"
    result = assess(content.checklist, content.model, read)
    assert "home.floors.pets" in {h.item.id for h in result.hazards}


def test_a_new_answer_is_never_replaced_by_a_carried_one(content: Content) -> None:
    text = _as_2_0(content, ["yes"] * 6)
    document = json.loads(text)
    document["answers"].append({"item": "home.floors.pets", "room": None, "value": "no"})
    read = parse_assessment(json.dumps(document), content.checklist)
    pets = read.answer("home.floors.pets")
    assert pets is not None
    assert pets.value == "no"
    assert sum(1 for a in read.answers if a.item == "home.floors.pets") == 1
