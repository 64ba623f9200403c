"""Falls since the last visit: how many, and what is known of each.

These are outcome records: later they are what the program's own predictions are measured
against, so they are kept exactly as given. "Not asked" (count None) is never "no falls"
(count 0), and a detail not known is "unknown", never a guess.

Pure: the checks below are shared by the use case that records falls and the reader of the
interchange file, each adding where the value came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

MAX_FALLS = 100  # a count above this is a typing mistake
MAX_TEXT = 2000  # what happened, in the person's or assessor's words
MAX_ROOM_NAME = 200
EARLIEST_YEAR = 1900
HURT_VALUES = ("yes", "no", "unknown")

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_E = TypeVar("_E", bound=StrEnum)


class FallPlace(StrEnum):
    """Where a fall happened: in a room of this home, outside it, elsewhere, or not known."""

    ROOM = "room"
    OUTSIDE = "outside"
    ELSEWHERE = "elsewhere"
    UNKNOWN = "unknown"


class Seen(StrEnum):
    """Whether a doctor or a hospital saw the person after the fall."""

    NO = "no"
    DOCTOR = "doctor"
    HOSPITAL = "hospital"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Fall:
    """One fall as it was described."""

    month: str  # "YYYY-MM", or "" when not known
    hurt: str  # "yes" | "no" | "unknown"
    place: FallPlace
    room_key: str | None  # place ROOM: the room's key across visits (StoredRoom.room_key)
    room_name: str  # the room's name as given at the time ("" unless place ROOM)
    what_happened: str  # free text, may be ""
    seen: Seen


@dataclass(frozen=True, slots=True)
class FallsSinceLastVisit:
    """The falls reported at a follow-up visit, counted from the earlier visit."""

    count: int | None  # None: not asked yet (unknown, never "no falls"); 0: none
    falls: tuple[Fall, ...] = ()  # details given; len(falls) <= count
    since_visit_id: str | None = None
    since_date: date | None = None


class FallValueError(ValueError):
    """A value that cannot be recorded; `field` names the part ("count", "month", ...)."""

    def __init__(self, problem: str, field: str) -> None:
        super().__init__(problem)
        self.field = field


def check_count(count: object, details: int) -> int:
    """The number of falls: a whole number from 0 to MAX_FALLS, at least the falls described."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise FallValueError(f"the number of falls must be a whole number, not {count!r}", "count")
    if not 0 <= count <= MAX_FALLS:
        raise FallValueError(f"the number of falls must be from 0 to {MAX_FALLS}", "count")
    if details > count:
        raise FallValueError(
            f"{details} falls are described but the number of falls is {count}", "count"
        )
    return count


def check_month(month: object, visit_date: date | None) -> str:
    """A month as YYYY-MM, from 1900 and not after the visit's month; "" when not known."""
    if not isinstance(month, str):
        raise FallValueError(f"the month must be text (YYYY-MM), not {month!r}", "month")
    if month == "":
        return ""
    found = _MONTH.fullmatch(month)
    if found is None or not 1 <= int(found[2]) <= 12:
        raise FallValueError(f"'{month}' is not a month (YYYY-MM, such as 2026-03)", "month")
    year, number = int(found[1]), int(found[2])
    if year < EARLIEST_YEAR:
        raise FallValueError(f"'{month}' is before {EARLIEST_YEAR}", "month")
    if visit_date is not None and (year, number) > (visit_date.year, visit_date.month):
        raise FallValueError(f"'{month}' is after the month of the visit", "month")
    return month


def check_text(text: object, what: str, limit: int = MAX_TEXT) -> str:
    """Free text of at most `limit` characters; no control characters but the line break."""
    if not isinstance(text, str):
        raise FallValueError(f"{what} must be text, not {type(text).__name__}", what)
    if len(text) > limit:
        raise FallValueError(f"{what} is longer than {limit:,} characters", what)
    if any(_is_control(ch) and ch != "\n" for ch in text):
        raise FallValueError(f"{what} contains a control character (only line breaks may)", what)
    return text


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0


def check_fall(fall: Fall, visit_date: date | None, room_names: dict[str, str] | None) -> Fall:
    """One fall, checked; returns it as stored (a room's name as the visit has it).

    `room_names` maps the keys of the visit's rooms to their names, and a fall in a room must
    name one of them. None is for a fall read from a file: it names its room by the file's own
    room id (which the reader checks), or only by name when the room was removed from the visit
    after the fall was recorded.
    """
    month = check_month(fall.month, visit_date)
    if not isinstance(fall.hurt, str) or fall.hurt not in HURT_VALUES:
        raise FallValueError(
            f"{fall.hurt!r} is not an answer to 'hurt' ({', '.join(HURT_VALUES)})", "hurt"
        )
    place = _member(FallPlace, fall.place, "place")
    seen = _member(Seen, fall.seen, "seen")
    what_happened = check_text(fall.what_happened, "what happened")
    room_name = check_text(fall.room_name, "the room's name", MAX_ROOM_NAME)
    room_key = fall.room_key
    if place is not FallPlace.ROOM:
        if room_key is not None or room_name:
            raise FallValueError("only a fall in a room of the home names a room", "room")
    elif room_names is None:
        if not room_key and not room_name.strip():
            raise FallValueError("a fall in a room of the home needs the room", "room")
    elif not isinstance(room_key, str) or not room_key:
        raise FallValueError("a fall in a room of the home needs the room", "room")
    elif room_key not in room_names:
        raise FallValueError("the room is not one of this visit's rooms", "room")
    else:
        room_name = room_names[room_key]
    return Fall(month, fall.hurt, place, room_key, room_name, what_happened, seen)


def _member(kind: type[_E], value: object, what: str) -> _E:
    """`value` as a member of `kind` (its own value, or the member itself)."""
    for member in kind:
        if value == member.value:
            return member
    allowed = ", ".join(member.value for member in kind)
    raise FallValueError(f"{value!r} is not an answer to '{what}' ({allowed})", what)


# The Stay Independent question the falls since the last visit answer in part.
FALLEN_IN_THE_PAST_YEAR = "steadi.si.01"


def fell_in_the_past_year(report: FallsSinceLastVisit | None, visit_date: date) -> bool | None:
    """What the falls recorded since the last visit say of "fallen in the past year": True (a
    fall in a month of the last twelve, or any fall when the last visit was within them), None
    (not known: not asked yet, or falls whose months are not known since a visit longer ago),
    False (no falls since a visit within the last twelve months; older falls are another
    matter, so only False when the last visit is that recent)."""
    if report is None or report.count is None:
        return None
    recent = report.since_date is not None and (visit_date - report.since_date).days <= 365
    if report.count == 0:
        return False if recent else None
    year_ago = date(visit_date.year - 1, visit_date.month, 1)
    since = f"{year_ago.year:04d}-{year_ago.month:02d}"
    if recent or any(fall.month and fall.month >= since for fall in report.falls):
        return True
    return None
