"""Dates in words, the same whatever the computer's language: the documents and the core's
sentences are English ("3 March 2026"), and a letter is read on another computer."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """ "3 March 2026" (strftime's %B would follow the computer's locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
