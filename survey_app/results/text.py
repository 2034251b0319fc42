"""Numbers and tables as people read them in a terminal or a spreadsheet cell."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal

#: a spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection)
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text (object or string dtype; not categories)."""
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def is_missing(value) -> bool:
    """None, NaN or pandas' NA."""
    return value is None or bool(pd.isna(value))


def format_number(value, locale: str, places: int = 2, signed: bool = False) -> str:
    """`value` rounded half-up to `places` for display ("" when missing)."""
    if is_missing(value):
        return ""
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(rounded, format=pattern, locale=locale)
    return ("+" + text) if signed and rounded > 0 else text


def format_count(value, locale: str) -> str:
    return "" if is_missing(value) else format_decimal(int(value), format="#,##0", locale=locale)


def truncate(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, made inert with a leading
    apostrophe (the response import takes it off again)."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def render_table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """A plain text table: columns padded, numbers (columns in `right`) right-aligned."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        out = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])
