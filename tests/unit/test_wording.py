"""Questions worded for the person they are about, without changing what they ask."""

from __future__ import annotations

import pytest

from safetycheck.content import Content
from safetycheck.domain.wording import for_person, help_for_person, is_self_report


def test_the_person_becomes_their_name() -> None:
    text = "Does the person hold on to furniture? Is the person's bed low?"
    assert (
        for_person(text, "Margaret") == "Does Margaret hold on to furniture? Is Margaret's bed low?"
    )
    assert for_person("The person walks with a cane.", "Margaret") == "Margaret walks with a cane."


def test_a_self_report_question_is_put_to_the_person_word_for_word() -> None:
    text = "Have you fallen in the past year?"
    assert is_self_report(text)
    assert for_person(text, "Margaret") == "Ask Margaret: Have you fallen in the past year?"


@pytest.mark.parametrize("name", ["", "   "])
def test_without_a_name_nothing_changes(name: str) -> None:
    assert for_person("Does the person use a cane?", name) == "Does the person use a cane?"
    assert for_person("Have you fallen?", name) == "Have you fallen?"


def test_words_that_only_contain_person_are_left_alone() -> None:
    text = "Is the personal alarm worn? Does the person-centred plan say so?"
    assert for_person(text, "Ana") == text


def test_every_stay_independent_item_keeps_its_published_wording(content: Content) -> None:
    """The CDC items are asked exactly as written, introduced by "Ask <name>:"; every other
    question names the person and says "you" nowhere (the caregiver answers for them)."""
    for item in content.checklist.items:
        worded = for_person(item.text, "Margaret Okafor")
        if item.id.startswith("steadi.si."):
            assert worded == f"Ask Margaret Okafor: {item.text}", item.id
        else:
            assert not is_self_report(item.text), item.id
            assert "the person" not in worded.lower(), item.id


def test_help_names_the_person_too() -> None:
    assert help_for_person("Ask the person's doctor.", "Ana") == "Ask Ana's doctor."
