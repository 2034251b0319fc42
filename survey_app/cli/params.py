"""Types for command arguments: text that can be stored, numbers that fit a column.

Command lines cannot carry NUL, but they can carry other control characters, and bytes
that are not UTF-8 arrive as lone surrogates, which neither database can take; a number
beyond PostgreSQL's integer overflows in either driver. Both are refused here, before
any query, with click's "Invalid value for '--name'" message.
"""
from __future__ import annotations

import click

from questionnaires.characters import describe, unstorable_character
from scoring.years import parse_year

from ..models.types import INTEGER_MAX


class PlainText(click.ParamType):
    """A string without the characters stored text must not hold."""

    name = "text"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and (char := unstorable_character(value)):
            self.fail(f"contains the {describe(char)}, which cannot be stored", param, ctx)
        return value


TEXT = PlainText()
#: an id or an outbox number
NUMBER = click.IntRange(0, INTEGER_MAX)


class DataYear(click.ParamType):
    """A data year as people write it, `2026/27` or `2026` (the year it starts in); the
    command gets the starting year as a number (scoring/years.py)."""

    name = "year"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        if char := unstorable_character(value):
            self.fail(f"contains the {describe(char)}, which no year holds", param, ctx)
        try:
            return parse_year(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATA_YEAR = DataYear()
