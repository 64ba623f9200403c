"""The assessment file: lossless round trip, and every bad field reported with its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import assessments
from support import EXAMPLES

from safetycheck.content import Content, load_content
from safetycheck.domain.assessment import Assessment, is_hazard
from safetycheck.exchange.assessment_json import (
    assessment_to_document,
    parse_assessment,
    read_assessment_file,
)
from safetycheck.exchange.errors import ExchangeError

CONTENT = load_content()


def round_trip(assessment: Assessment) -> Assessment:
    text = json.dumps(assessment_to_document(assessment), ensure_ascii=False)
    return parse_assessment(text, CONTENT.checklist)


@settings(suppress_health_check=[HealthCheck.too_slow])  # examples: the profile (conftest)
@given(assessments(CONTENT))
def test_round_trip_is_lossless(assessment: Assessment) -> None:
    assert round_trip(assessment) == assessment


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_examples_round_trip_to_the_same_document(path: Path, content: Content) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assessment = read_assessment_file(path, content.checklist)
    assert assessment_to_document(assessment) == document


def bad(document_change: dict[str, object], content: Content) -> str:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document.update(document_change)
    with pytest.raises(ExchangeError) as caught:
        parse_assessment(json.dumps(document), content.checklist)
    return str(caught.value)


def test_wrong_format_name(content: Content) -> None:
    assert "not a safetycheck assessment file" in bad({"format": "other"}, content)


def test_other_checklist_version(content: Content) -> None:
    assert "checklist_version" in bad({"checklist_version": "0.1"}, content)


def test_bad_date(content: Content) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document["assessment"]["date"] = "26/11/2026"
    with pytest.raises(ExchangeError, match=r"assessment.date: '26/11/2026' is not a date"):
        parse_assessment(json.dumps(document), content.checklist)


def test_duplicate_answer(content: Content) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document["answers"].append(dict(document["answers"][0]))
    with pytest.raises(ExchangeError, match=r"a second answer for 'steadi\.si\.01'"):
        parse_assessment(json.dumps(document), content.checklist)


def test_unknown_key_in_an_answer(content: Content) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document["answers"][2]["vale"] = "yes"
    with pytest.raises(ExchangeError, match=r"answers\[2\]: unknown key 'vale'"):
        parse_assessment(json.dumps(document), content.checklist)


def test_measurement_needs_a_number_and_a_known_unit(content: Content) -> None:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    bath = next(r["id"] for r in document["rooms"] if r["kind"] == "bathroom")
    document["answers"].append(
        {"item": "room.bath.ot.toilet_height", "room": bath, "value": "tall"}
    )
    with pytest.raises(ExchangeError, match="needs a number"):
        parse_assessment(json.dumps(document), content.checklist)
    document["answers"][-1] = {
        "item": "room.bath.ot.toilet_height",
        "room": bath,
        "value": 17,
        "unit": "cubits",
    }
    with pytest.raises(ExchangeError, match="'cubits' is not one of mm, in"):
        parse_assessment(json.dumps(document), content.checklist)


def test_measurement_in_inches_is_compared_in_millimetres(content: Content) -> None:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    bath = next(r["id"] for r in document["rooms"] if r["kind"] == "bathroom")
    # 16 inches = 406 mm: below the 430 mm line, so a hazard; 18 inches = 457 mm is fine.
    item = content.checklist.item("room.bath.ot.toilet_height")
    for inches, hazard in ((16, True), (18, False)):
        document["answers"] = [{"item": item.id, "room": bath, "value": inches, "unit": "in"}]
        assessment = parse_assessment(json.dumps(document), content.checklist)
        answer = assessment.answer(item.id, bath)
        assert answer is not None
        assert is_hazard(item, answer) is hazard


def test_nul_characters_are_refused(content: Content) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text())
    document["person"]["name"] = "Ada\x00Byrne"
    with pytest.raises(ExchangeError, match=r"person.name: contains a NUL character"):
        parse_assessment(json.dumps(document), content.checklist)
