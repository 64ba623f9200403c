"""Applicability and trait conditions: `<item> == <value>`, `!=`, `in a|b`, and `mode == ot`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_CLAUSE = re.compile(r"^\s*([a-z0-9_.]+)\s*(==|!=|\bin\b)\s*([a-z0-9_|]+)\s*$")

MODE_SUBJECT = "mode"


class ConditionSyntaxError(ValueError):
    """A condition string that does not parse."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One clause: a subject (an item id, or `mode`) compared with one or more values."""

    subject: str
    operator: str
    values: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Condition:
        match = _CLAUSE.match(text)
        if match is None:
            raise ConditionSyntaxError(
                f"condition {text!r} is not of the form '<item> == <value>', "
                "'<item> != <value>' or '<item> in <value>|<value>'"
            )
        subject, operator, raw_values = match.groups()
        values = tuple(value for value in raw_values.split("|") if value)
        if operator in ("==", "!=") and len(values) != 1:
            raise ConditionSyntaxError(
                f"condition {text!r}: use 'in' to compare with several values"
            )
        if not values:
            raise ConditionSyntaxError(f"condition {text!r} names no value")
        return cls(subject, operator, values)

    def holds(self, facts: Mapping[str, str]) -> bool:
        """True when the fact is known and matches; an unknown fact satisfies no condition."""
        value = facts.get(self.subject)
        if value is None:
            return False
        if self.operator == "!=":
            return value != self.values[0]
        return value in self.values

    def __str__(self) -> str:
        joined = "|".join(self.values)
        return f"{self.subject} {self.operator} {joined}"


def all_hold(conditions: tuple[Condition, ...], facts: Mapping[str, str]) -> bool:
    return all(condition.holds(facts) for condition in conditions)


def any_holds(conditions: tuple[Condition, ...], facts: Mapping[str, str]) -> bool:
    return any(condition.holds(facts) for condition in conditions)
