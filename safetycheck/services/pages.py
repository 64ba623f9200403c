"""A page of a long list, with the total, for paged people and visit lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Items `offset` … `offset + len(items)` of `total`."""

    items: tuple[T, ...]
    total: int
    offset: int
    limit: int


def check_paging(offset: int, limit: int) -> None:
    from safetycheck.services.errors import InvalidInputError

    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInputError(f"a page starts at 0 or later and holds 1 to {MAX_PAGE} rows")
