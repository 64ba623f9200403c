"""Checked reading of a parsed document, one field at a time: presence, type (true/false is never
taken for a number), which keys were read, and a place in every message.

The content loader (TOML, `content.tables.Table`) and the interchange reader (JSON,
`exchange.assessment_json`) both read through this one class and only word their errors their
own way: a content author reads "file: item 'x': 'severity' is missing", a user importing a file
reads "answers[3].value: missing". Standard library only, so both layers may use it.
"""

from __future__ import annotations

from typing import Any, NoReturn


class CheckedMapping:
    """One mapping (a TOML table, a JSON object) of a document, read field by field.

    Subclasses say how a problem is reported (`fail`) and may word the two common problems
    (`missing_text`, `wrong_type_text`: format strings of `key`, `expected` and `found`).

    Attributes:
        data: the mapping as parsed.
        place: where it is in the document ("" at the top).
    """

    what = "a table"

    def __init__(self, data: Any, place: str) -> None:
        self.place = place
        if not isinstance(data, dict):
            self.fail(f"expected {self.what}, found {kind_of(data)}")
        self.data: dict[str, Any] = data
        self._read: set[str] = set()

    def fail(self, problem: str, key: str | None = None) -> NoReturn:
        """Raise the reader's error for a problem with this mapping (or one of its keys)."""
        raise NotImplementedError

    missing_text = "'{key}' is missing"
    wrong_type_text = "'{key}' must be {expected}"

    def field(self, key: str, required: bool = True) -> Any:
        """The raw value, or None when absent (JSON null counts as absent)."""
        self._read.add(key)
        value = self.data.get(key)
        if value is None and required:
            self.fail(self.missing_text.format(key=key), key)
        return value

    def typed(
        self,
        key: str,
        kinds: type | tuple[type, ...],
        expected: str,
        required: bool = True,
    ) -> Any:
        """The value if it is one of `kinds` (a bool only where bool is asked for), else fail."""
        value = self.field(key, required)
        if value is None:
            return None
        allowed = kinds if isinstance(kinds, tuple) else (kinds,)
        if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
            problem = self.wrong_type_text.format(key=key, expected=expected, found=kind_of(value))
            self.fail(problem, key)
        return value

    def mark_read(self, *keys: str) -> None:
        self._read.update(keys)

    def unknown_keys(self) -> list[str]:
        """Keys present but never read (nor marked read), in order."""
        return sorted(set(self.data) - self._read)


def kind_of(value: Any) -> str:
    """A parsed value's kind in words: true/false, str, int, list, dict…"""
    return "true/false" if isinstance(value, bool) else type(value).__name__
