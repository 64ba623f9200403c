"""A page of a long list (people, visits), read by keyset: a page starts just after the last
row of the page before, so any page costs one index seek, however far down the list it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows of a list in its order; no count of the whole list (it would cost a scan).

    Attributes:
        items: the rows of this page.
        after: an opaque cursor (the sort key of the last row; None for an empty page): hand
            it back as given to get the rows that follow.
        has_more: whether any row follows this page.
    """

    items: tuple[T, ...]
    after: str | None
    has_more: bool


# C0 and C1 control characters (and DEL): Unicode's category Cc, all of U+0000–U+001F and
# U+007F–U+009F. No name holds one, and PostgreSQL refuses a NUL in any text.
_CONTROL = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])


def search_text(search: str) -> str:
    """What a list searches for: the text typed without its control characters (a NUL, a
    tab, an escape…) and without spaces at either end. Plain text for the store, which must
    never fail because of it."""
    return search.translate(_CONTROL).strip()


def check_paging(limit: int) -> None:
    from safetycheck.services.errors import InvalidInputError

    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInputError(f"a page holds 1 to {MAX_PAGE} rows")


def bad_cursor() -> Exception:
    """What a cursor that was not handed out by the same list raises."""
    from safetycheck.services.errors import InvalidInputError

    return InvalidInputError("that place in the list is not known; start from the top")
