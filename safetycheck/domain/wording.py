"""A question worded for the person it is about: "the person" becomes their name, and a question
the person answers about themselves (the Stay Independent items say "you") is put to them
through the one who fills it in ("Ask Margaret: Have you fallen in the past year?").

The meaning never changes: the published wording of a self-report item is kept word for word,
only introduced; every other change is the name in place of "the person".
"""

from __future__ import annotations

import re

_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
_THE_PERSON = re.compile(r"\b([Tt])he person('s)?(?![\w-])")


def is_self_report(text: str) -> bool:
    """Whether the question speaks to the person ("you"), so someone else must ask it."""
    return bool(_SECOND_PERSON.search(text))


def for_person(text: str, name: str) -> str:
    """The question with the person's name in it; unchanged when there is no name."""
    name = " ".join(name.split())
    if not name:
        return text
    if is_self_report(text):
        return f"Ask {name}: {text}"

    def named(match: re.Match[str]) -> str:
        return f"{name}'s" if match.group(2) else name

    return _THE_PERSON.sub(named, text)


def help_for_person(text: str, name: str) -> str:
    """Help text with the name in place of "the person" (help may speak to the reader: kept)."""
    name = " ".join(name.split())
    if not name:
        return text
    return _THE_PERSON.sub(lambda m: f"{name}'s" if m.group(2) else name, text)


__all__ = ["for_person", "help_for_person", "is_self_report"]
