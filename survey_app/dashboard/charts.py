"""Server-rendered SVG charts, written out directly. Each has a <title> and a <desc>, and
the pages show the same numbers in a table beside it.

The SVG has no viewBox: it is as wide as its column and as tall as its rows (its height
attribute, which CSS `height: auto` keeps), so its text keeps its real size (16 px, the
pages' text on a phone) on a phone and on a desktop, never scaled down to a few pixels.
Across, everything is placed in percentages of the width; labels sit on their own lines
above each bar, wrapped between words for the narrowest column (320 px screens), never
cut. Only presentation attributes are used: the pages' Content-Security-Policy allows no
inline style.
"""
from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal

INK = "#0b0c0c"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
RED = "#d4351c"
GREY = "#505a5f"
LIGHT = "#b1b4b6"
FONT = "Arial, sans-serif"
#: characters of a label line: under 290 px of 16 px text, a 320 px screen's column
WRAP = 30
SIZE, SMALL = 16, 14  # px: the pages' body text on a phone, and their small print
LINE = 20  # px between label lines
BAR = 18  # px, a bar's thickness
GAP = 14  # px below each bar
#: the share of the width for the bars; the rest, on the right, holds each bar's figure
PLOT = 80.0


def wrap_label(text: str, width: int = WRAP) -> list[str]:
    """The label on as many lines as it needs, broken only between words: a word longer
    than a line keeps a line of its own, whole."""
    return textwrap.wrap(" ".join(text.split()), width, break_long_words=False, break_on_hyphens=False) or [""]


def natural_key(text: str) -> tuple:
    """Sorts S2 before S10 (and S1 first): runs of digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", str(text)) if part != "")


def integer_ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 up to at least `top`, at most `most` steps of 1, 2 or 5
    times a power of ten: counts are never drawn at 0.5."""
    top = max(1, math.ceil(top))
    step = 1
    while math.ceil(top / step) > most:
        step = _next_step(step)
    return list(range(0, step * math.ceil(top / step) + 1, step))


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, ..."""
    magnitude = 10 ** int(math.log10(step))
    lead = step // magnitude
    return {1: 2, 2: 5, 5: 10}[lead] * magnitude


def diverging_ticks(values: list[float | None], most: int = 6) -> list[float]:
    """Ticks for figures either side of zero (gaps, weight gaps): zero always among them,
    the range just wide enough for the largest figure on each side."""
    found = [v for v in values if v is not None]
    lo, hi = min([0.0, *found]), max([0.0, *found])
    if lo == hi:
        hi = 1.0
    for step in (0.25, 0.5, 1, 2, 5):
        first, last = math.floor(lo / step), math.ceil(hi / step)
        if last - first <= most:
            return [round(i * step, 2) for i in range(first, last + 1)]
    return [round(lo, 2), 0.0, round(hi, 2)]


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its figure (None draws no bar) and that figure as text."""

    label: str
    value: float | None
    text: str
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    #: drawn darker: the "all responses" bar beside the groups
    marked: bool = False


def _escape(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _pc(value: float) -> str:
    return f"{value:.2f}%"


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
            f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false" '
            f'width="100%" height="{height}" font-family="{FONT}" font-size="{SIZE}" fill="{INK}">',
            f'<title id="{chart_id}-title">{_escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{_escape(desc)}</desc>']


def _label(lines: list[str], y: int) -> str:
    # x 1, not 0: a round first letter (C, O) reaches a pixel left of its origin
    spans = "".join(f'<tspan x="1" y="{y + i * LINE}">{_escape(line)}</tspan>' for i, line in enumerate(lines))
    return f"<text>{spans}</text>"


def bar_chart(bars: list[Bar], *, chart_id: str, title: str, desc: str, ticks: list[float], tick_text: list[str],
              base: float | None = None) -> str:
    """Horizontal bars, each under its wrapped label, its figure at the right.

    The axis runs from the first tick to the last. Bars start at `base` (the scale's
    bottom for scores), or at zero when the ticks run either side of it, where the
    bars below zero are drawn red: a weight gap chart. A bar's median is a black line
    across it and its quartiles grey lines, as the benchmarking report draws them."""
    lo, hi = ticks[0], ticks[-1]
    start = base if base is not None else (0.0 if lo <= 0 <= hi else lo)

    def x(value: float) -> float:
        return PLOT * (min(max(value, lo), hi) - lo) / (hi - lo)

    rows, y = [], 6
    for bar in bars:
        lines = wrap_label(bar.label)
        rows.append(_label(lines, y + SIZE - 2))
        top = y + len(lines) * LINE + 2
        # the grid behind the bar only: lines through the label would strike its words out
        rows += [f'<line x1="{_pc(x(t))}" x2="{_pc(x(t))}" y1="{top - GAP // 2}" y2="{top + BAR + GAP // 2}" '
                 f'stroke="{INK if t == 0 and lo < 0 else LIGHT}" stroke-width="1"/>' for t in ticks]
        if bar.value is not None:
            left, right = sorted((x(start), x(bar.value)))
            colour = DARK_BLUE if bar.marked else RED if bar.value < start else BLUE
            rows.append(f'<rect x="{_pc(left)}" y="{top}" width="{_pc(max(right - left, 0.3))}" height="{BAR}" '
                        f'fill="{colour}"/>')
        for mark, colour, width, reach in ((bar.q1, GREY, 2, 3), (bar.q3, GREY, 2, 3), (bar.median, INK, 3, 5)):
            if mark is not None:
                rows.append(f'<line x1="{_pc(x(mark))}" x2="{_pc(x(mark))}" y1="{top - reach}" '
                            f'y2="{top + BAR + reach}" stroke="{colour}" stroke-width="{width}"/>')
        rows.append(f'<text x="{_pc(PLOT)}" dx="8" y="{top + BAR - 4}" font-weight="bold">{_escape(bar.text)}</text>')
        y = top + BAR + GAP
    labels = [f'<text x="{_pc(x(t))}" y="{y + SMALL}" font-size="{SMALL}" '
              f'text-anchor="{"start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"}">{_escape(text)}</text>'
              for i, (t, text) in enumerate(zip(ticks, tick_text))]
    height = y + SMALL + 6
    return "".join(_open(chart_id, title, desc, height) + rows + labels + ["</svg>"])


def score_bars(bars: list[Bar], *, chart_id: str, title: str, desc: str, locale: str, lo: int = 1,
               hi: int = 7) -> str:
    """Scores on the 1 to 7 scale, the axis marked at every point."""
    ticks = list(range(lo, hi + 1))
    return bar_chart(bars, chart_id=chart_id, title=title, desc=desc, ticks=ticks,
                     tick_text=[format_decimal(t, locale=locale) for t in ticks], base=lo)


def diverging_bars(bars: list[Bar], *, chart_id: str, title: str, desc: str, locale: str) -> str:
    """Figures either side of zero (gaps, weight gaps: DESIGN.md definition 3), the bars
    growing left, in red, where importance exceeds satisfaction."""
    ticks = diverging_ticks([b.value for b in bars])
    return bar_chart(bars, chart_id=chart_id, title=title, desc=desc, ticks=ticks,
                     tick_text=[format_decimal(t, format="0.##", locale=locale) for t in ticks])


#: the share of the width left of the columns, for the count axis's figures
COUNT_AXIS = 12.0
COLUMNS = 180  # px, the height of the tallest possible column


def responses_over_time(days: list[date], cumulative: list[int], last_day: date, *, chart_id: str, title: str,
                        desc: str, locale: str, first_day: date | None = None) -> str:
    """Responses submitted so far, one column a day across the whole campaign (`first_day`,
    its opening, to `last_day`), so the first day's responses are one column of a month
    still to come, not a line squashed against an axis. The count axis is in whole
    numbers up to a little above the count so far, and the latest column carries its
    figure. Before the opening day there is no column, only the weeks to come."""
    first = min(d for d in (first_day, days[0] if days else None, last_day) if d is not None)
    slots = max((max(last_day, days[-1] if days else last_day) - first).days + 1, 1)
    ticks = integer_ticks(max(cumulative, default=0))
    top, height = ticks[-1], COLUMNS
    y0 = 10 + height
    width = (100 - COUNT_AXIS) / slots
    parts = []
    for t in ticks:
        y = y0 - height * t / top
        parts.append(f'<line x1="{_pc(COUNT_AXIS)}" x2="100%" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{INK if t == 0 else LIGHT}" stroke-width="1"/>')
        parts.append(f'<text x="{_pc(COUNT_AXIS - 1)}" y="{y + 4:.1f}" text-anchor="end" font-size="{SMALL}">'
                     f'{_escape(format_decimal(t, locale=locale))}</text>')
    pad = width * 0.15 if slots <= 60 else 0
    for i, (day, total) in enumerate(zip(days, cumulative)):
        slot = (day - first).days
        h = height * total / top
        parts.append(f'<rect x="{_pc(COUNT_AXIS + slot * width + pad)}" y="{y0 - h:.1f}" '
                     f'width="{_pc(width - 2 * pad)}" height="{h:.1f}" fill="{BLUE}"/>')
    if days:
        slot = (days[-1] - first).days
        right_half = slot >= slots / 2
        x = COUNT_AXIS + (slot + (1 if right_half else 0)) * width
        y = y0 - height * cumulative[-1] / top - 6
        parts.append(f'<text x="{_pc(x)}" y="{max(y, SIZE):.1f}" text-anchor="{"end" if right_half else "start"}" '
                     f'font-weight="bold">{_escape(format_decimal(cumulative[-1], locale=locale))}</text>')
    shown = _day_ticks(slots)
    for slot in shown:
        x = COUNT_AXIS + (slot + 0.5) * width
        anchor = "start" if slot == 0 and slots > 1 else "end" if slot == slots - 1 and slots > 1 else "middle"
        if anchor == "start":
            x = COUNT_AXIS + slot * width
        elif anchor == "end":
            x = 100.0
        parts.append(f'<text x="{_pc(x)}" y="{y0 + SMALL + 6}" text-anchor="{anchor}" font-size="{SMALL}">'
                     f'{_escape(format_date(first + timedelta(days=slot), "d MMM", locale=locale))}</text>')
    return "".join(_open(chart_id, title, desc, y0 + SMALL + 12) + parts + ["</svg>"])


def _day_ticks(slots: int, most: int = 4) -> list[int]:
    """The days to name under the columns: the first, the last and a few evenly between,
    never so many that their dates run into each other on a phone."""
    if slots <= most:
        return list(range(slots))
    step = math.ceil((slots - 1) / (most - 1))
    shown = list(range(0, slots - 1, step))
    if slots - 1 - shown[-1] < step / 2 and len(shown) > 1:
        shown.pop()
    return [*shown, slots - 1]
