"""One date format everywhere: the locale's short date with a four-digit year, ISO 8601 where
no language is set; the date field shows exactly what the lists show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit
from pytestqt.qtbot import QtBot

from safetycheck_ui.dates import date_display_format, format_date, four_digit_years
from safetycheck_ui.models import short_date

DAY = date(2026, 3, 5)


@pytest.fixture
def locale_named() -> Iterator[None]:
    """Each test sets the default locale; it is put back afterwards."""
    kept = QLocale()
    yield
    QLocale.setDefault(kept)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("C", "2026-03-05"),  # not "5 03 2026"
        ("en_US", "3/5/2026"),  # not "3/5/26"
        ("en_GB", "05/03/2026"),
        ("de_DE", "05.03.2026"),  # not "05.03.26"
        ("es_ES", "5/3/2026"),
        ("ko_KR", "2026. 3. 5."),
        ("ja_JP", "2026/03/05"),
    ],
)
@pytest.mark.usefixtures("locale_named")
def test_the_locale_short_date_with_a_four_digit_year(name: str, shown: str) -> None:
    QLocale.setDefault(QLocale(name))
    assert format_date(DAY) == shown
    assert short_date(DAY) == shown  # the lists' older name says the same
    assert date_display_format().count("yyyy") == 1


@pytest.mark.parametrize("name", ["C", "en_US", "de_DE", "fr_FR", "ar_EG", "hu_HU"])
@pytest.mark.usefixtures("locale_named")
def test_the_date_field_shows_what_the_lists_show(qtbot: QtBot, name: str) -> None:
    QLocale.setDefault(QLocale(name))
    edit = QDateEdit()
    qtbot.addWidget(edit)
    edit.setDisplayFormat(date_display_format())
    edit.setDate(QDate(DAY.year, DAY.month, DAY.day))
    assert edit.text() == format_date(DAY)


def test_quoted_words_in_a_pattern_are_kept() -> None:
    assert four_digit_years("d 'de' MMMM 'yy' yy") == "d 'de' MMMM 'yy' yyyy"
    assert four_digit_years("yyyy/M/d") == "yyyy/M/d"
    assert four_digit_years("d.M.y") == "d.M.yyyy"
