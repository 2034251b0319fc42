"""Definition 8: the data year follows the financial year, or the calendar year if asked."""
from __future__ import annotations

from datetime import date

import pytest

from scoring.years import data_year, file_label, parse_year, year_label


@pytest.mark.parametrize("opens, year, label", [
    (date(2027, 3, 31), 2026, "2026/27"),   # the last day of 2026/27
    (date(2027, 4, 1), 2027, "2027/28"),    # the first day of 2027/28
    (date(2026, 11, 2), 2026, "2026/27"),   # a November and a January of one round: one year
    (date(2027, 1, 11), 2026, "2026/27"),
    (date(2026, 1, 1), 2025, "2025/26"),
    (date(2026, 12, 31), 2026, "2026/27"),
    (date(2099, 4, 1), 2099, "2099/00"),    # across the century: the next year's last two digits
    (date(2100, 3, 31), 2099, "2099/00"),
    (date(2000, 3, 31), 1999, "1999/00"),
    (date(2009, 6, 1), 2009, "2009/10"),
])
def test_financial_year_of_an_opening_day(opens, year, label):
    assert data_year(opens) == data_year(opens, "financial") == year
    assert year_label(year) == year_label(year, "financial") == label
    assert file_label(year) == label.replace("/", "-")


def test_calendar_year_when_the_questionnaire_says_so():
    assert data_year(date(2027, 3, 31), "calendar") == 2027
    assert data_year(date(2027, 4, 1), "calendar") == 2027
    assert data_year(date(2026, 12, 31), "calendar") == 2026
    assert (year_label(2026, "calendar"), file_label(2026, "calendar")) == ("2026", "2026")


def test_an_unknown_kind_of_year_is_refused():
    with pytest.raises(ValueError, match="Unknown kind of data year 'academic'"):
        data_year(date(2026, 9, 1), "academic")
    with pytest.raises(ValueError, match="use one of financial, calendar"):
        year_label(2026, "Financial")


@pytest.mark.parametrize("text, year", [("2026/27", 2026), ("2026", 2026), (" 2026/27 ", 2026), ("2099/00", 2099),
                                        ("1999/00", 1999)])
def test_a_year_as_people_type_it(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize("text, message", [
    ("2026/28", "'2026/28' is not a financial year: the year that starts in 2026 is written 2026/27."),
    ("2099/01", "the year that starts in 2099 is written 2099/00."),
    ("2026-27", "'2026-27' is not a data year: write the financial year as 2026/27, or the year it starts in as 2026."),
    ("26/27", "is not a data year"), ("2026/2027", "is not a data year"), ("FY2026", "is not a data year"),
    ("", "is not a data year"), ("-1", "is not a data year"), ("２０２６", "is not a data year"),
])
def test_anything_else_is_refused_saying_how_to_write_it(text, message):
    with pytest.raises(ValueError) as caught:
        parse_year(text)
    assert message in str(caught.value)
