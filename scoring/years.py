"""Definition 8: the data year a campaign belongs to, and how it is written.

A campaign belongs to the financial year (1 April to 31 March) in which it opens, written
`2026/27`; a questionnaire may declare the calendar year instead, written `2026`. Either
way the data year is held as one whole number, the calendar year it starts in (2026), so
years compare, sort and filter as numbers; only the label differs. The `YY` of an
organisation code is the last two digits of that number (`26` for 2026/27).
"""
from __future__ import annotations

import re
from datetime import date

FINANCIAL, CALENDAR = "financial", "calendar"
#: the ways a questionnaire may count its years (questionnaire YAML `data_year:`)
YEAR_KINDS = (FINANCIAL, CALENDAR)
#: the month a financial year starts in
FINANCIAL_YEAR_START = 4
#: a year as a person types it: `2026/27` or `2026`
YEAR_TEXT = re.compile(r"^([0-9]{4})(?:/([0-9]{2}))?$")


def data_year(opens: date, kind: str = FINANCIAL) -> int:
    """The data year (the calendar year it starts in) of a campaign opening on `opens`,
    the day as it is in the UK. 31 March 2027 is in 2026 (2026/27), 1 April 2027 in 2027."""
    _check_kind(kind)
    if kind == FINANCIAL and opens.month < FINANCIAL_YEAR_START:
        return opens.year - 1
    return opens.year


def year_label(year: int, kind: str = FINANCIAL) -> str:
    """The data year as people write it: `2026/27` (financial) or `2026` (calendar).
    The second part is the next year's last two digits: 2099/00."""
    _check_kind(kind)
    if kind == CALENDAR:
        return f"{year:04d}"
    return f"{year:04d}/{(year + 1) % 100:02d}"


def file_label(year: int, kind: str = FINANCIAL) -> str:
    """The label as a file name can carry it (no `/`): `2026-27` or `2026`."""
    return year_label(year, kind).replace("/", "-")


def parse_year(text: str) -> int:
    """The data year a person typed, as the calendar year it starts in: `2026/27` and
    `2026` both give 2026. Raises ValueError saying what is wrong."""
    value = str(text).strip()
    match = YEAR_TEXT.match(value)
    if not match:
        raise ValueError(f"'{text}' is not a data year: write the financial year as 2026/27, "
                         "or the year it starts in as 2026.")
    start = int(match.group(1))
    if match.group(2) is not None and int(match.group(2)) != (start + 1) % 100:
        raise ValueError(f"'{text}' is not a financial year: the year that starts in {start} "
                         f"is written {year_label(start)}.")
    return start


def _check_kind(kind: str) -> None:
    if kind not in YEAR_KINDS:
        raise ValueError(f"Unknown kind of data year '{kind}': use one of {', '.join(YEAR_KINDS)}.")
