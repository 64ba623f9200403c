"""Dates as the program shows them: one format everywhere (lists, titles, the summary, the
comparison, the date field), the user's locale's short date with a four-digit year.

The locale's own short format is not used as it is: many locales write a two-digit year
("3/5/26" in en_US, "05.03.26" in de_DE), which reads wrongly for a birth year or an old
visit, and the "C" locale (no language set) writes "5 03 2026". There, ISO 8601 is the one
format nobody misreads.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale

ISO_FORMAT = "yyyy-MM-dd"


def four_digit_years(pattern: str) -> str:
    """The pattern with every year field ("y" or "yy") written "yyyy"; text in quotes (a
    locale's literal words, such as Spanish "'de'") is left as it is."""
    out: list[str] = []
    quoted = False
    run = 0  # the length of the run of "y" being read

    def end_run() -> None:
        nonlocal run
        if run:
            out.append("yyyy" if run < 4 else "y" * run)
            run = 0

    for char in pattern:
        if char == "'":
            end_run()
            quoted = not quoted
            out.append(char)
        elif char == "y" and not quoted:
            run += 1
        else:
            end_run()
            out.append(char)
    end_run()
    return "".join(out)


def date_display_format(locale: QLocale | None = None) -> str:
    """The Qt date pattern the program shows dates in (for QDateEdit.setDisplayFormat too):
    the locale's short date with a four-digit year; ISO 8601 where no language is set."""
    locale = locale if locale is not None else QLocale()
    if locale.language() == QLocale.Language.C:
        return ISO_FORMAT
    return four_digit_years(locale.dateFormat(QLocale.FormatType.ShortFormat))


def format_date(day: date, locale: QLocale | None = None) -> str:
    """A date in the program's one format (date_display_format), with the locale's digits."""
    locale = locale if locale is not None else QLocale()
    return locale.toString(QDate(day.year, day.month, day.day), date_display_format(locale))
