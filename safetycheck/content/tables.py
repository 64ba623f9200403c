"""Typed, checked access to one TOML table, with errors that say where the problem is."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from safetycheck.checked import CheckedMapping

MAX_NUMBER = 1e6


class ContentError(ValueError):
    """A content or parameter file that cannot be used; the message says file, entry, problem."""


def read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here: ContentError is imported by the window before it paints, TOML later

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: cannot be read ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: not valid TOML ({exc})") from None


class Table(CheckedMapping):
    """One table of a content file; every getter checks type and presence."""

    def __init__(self, data: Any, path: Path, where: str) -> None:
        self.path = path
        super().__init__(data, where)

    @property
    def where(self) -> str:
        return self.place

    @where.setter
    def where(self, value: str) -> None:
        self.place = value

    def fail(self, problem: str, key: str | None = None) -> NoReturn:  # noqa: ARG002
        # The key is already named in every content problem ("'severity' is missing").
        place = f" {self.place}:" if self.place else ""
        raise ContentError(f"{self.path}:{place} {problem}")

    def _get(self, key: str, required: bool) -> Any:
        return self.field(key, required)

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self.typed(key, str, "non-empty text", required)
        if value is None:
            return default
        if required and not value.strip():
            self.fail(f"'{key}' must be non-empty text", key)
        return str(value).strip()

    def one_of(
        self, key: str, allowed: Iterable[str], required: bool = True, default: str = ""
    ) -> str:
        allowed = tuple(allowed)
        value = self.text(key, required, default)
        if (required or value) and value not in allowed:
            self.fail(f"{key} '{value}' is not one of {', '.join(allowed)}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.typed(key, bool, "true or false", required=False)
        return default if value is None else bool(value)

    def number(self, key: str, required: bool = True) -> float | None:
        """A finite number of sensible size (TOML allows nan, inf and 1e308; none is a weight,
        a limit or a multiplier)."""
        value = self.typed(key, (int, float), "a number", required)
        if value is None:
            return None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self.fail(f"'{key}' must be a number between -{MAX_NUMBER:g} and {MAX_NUMBER:g}", key)
        return float(value)

    def positive(self, key: str) -> float:
        value = self.number(key)
        assert value is not None
        if value <= 0:
            self.fail(f"'{key}' must be greater than zero")
        return value

    def texts(
        self, key: str, required: bool = False, allowed: Iterable[str] | None = None
    ) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"'{key}' must be a list of text")
        allowed = tuple(allowed) if allowed is not None else None
        for entry in value:
            if allowed is not None and entry not in allowed:
                self.fail(f"{key}: '{entry}' is not one of {', '.join(allowed)}")
        return tuple(value)

    def table(self, key: str, required: bool = True, where: str = "") -> Table | None:
        value = self._get(key, required)
        if value is None:
            return None
        return Table(value, self.path, where or f"{self.where} {key}".strip())

    def tables(self, key: str, required: bool = True) -> list[Table]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"'{key}' must be a list of tables")
        return [Table(entry, self.path, f"{key}[{n}]") for n, entry in enumerate(value)]

    def no_unknown_keys(self) -> None:
        unknown = self.unknown_keys()
        if unknown:
            self.fail(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
