"""A small dot chart of one metric over the years, written as SVG by hand.

One row per year (oldest at the top, a historical baseline above them), the metric's
scale across: the organisation's value as a blue dot, joined year to year, and the
benchmark median of that year as a black tick. Row labels are horizontal text of their
own column, so a year is never cut or turned; the chart is drawn at its own size in
pixels and only ever shrinks to fit, so its text stays legible on a phone.

Presentation attributes only: the pages' Content-Security-Policy allows no inline style.
"""
from __future__ import annotations

from dataclasses import dataclass

BLUE = "#1d70b8"
INK = "#0b0c0c"
GRID = "#b1b4b6"
#: at most the width of a 320 px phone's column (290 px), so the chart is never shrunk
WIDTH = 288
ROW = 28
TOP = 6
AXIS = 28
FONT = 15
#: about the width of a character of the label font, to fit the label column to its labels
CHAR = 8.6


@dataclass(frozen=True)
class Row:
    label: str
    #: the organisation's value (None: none that year, or a baseline row)
    value: float | None
    #: the benchmark median (None where there is none)
    median: float | None
    #: a historical baseline, not a year of results: not joined to the years' line
    baseline: bool = False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def year_dots(rows: list[Row], *, lo: float, hi: float, ticks: list[tuple[float, str]], title_id: str,
              desc: str) -> str:
    """The chart as an SVG element with `desc` as its accessible name (role img)."""
    label_width = min(max((len(r.label) for r in rows), default=4) * CHAR + 10, 150)
    left, right = label_width, WIDTH - 22  # room for half of "100%" under the end
    height = TOP + ROW * len(rows) + AXIS

    def x(value: float) -> float:
        value = min(max(value, lo), hi)
        return left + (right - left) * (value - lo) / (hi - lo)

    def y(index: int) -> float:
        return TOP + ROW * index + ROW / 2

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id}" focusable="false" '
           f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="Arial, sans-serif" '
           f'font-size="{FONT}" fill="{INK}">',
           f'<title id="{title_id}">{_escape(desc)}</title>']
    bottom = TOP + ROW * len(rows)
    for value, text in ticks:
        out.append(f'<line x1="{_num(x(value))}" y1="{TOP}" x2="{_num(x(value))}" y2="{bottom}" stroke="{GRID}" '
                   f'stroke-width="1"/>')
        out.append(f'<text x="{_num(x(value))}" y="{bottom + 19}" text-anchor="middle">{_escape(text)}</text>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>')
    previous = None
    for i, row in enumerate(rows):
        out.append(f'<text x="{_num(left - 8)}" y="{_num(y(i) + 4.5)}" text-anchor="end">{_escape(row.label)}</text>')
        if row.baseline:
            previous = None
            continue
        if row.value is not None and previous is not None:
            out.append(f'<line x1="{_num(x(previous[1]))}" y1="{_num(y(previous[0]))}" x2="{_num(x(row.value))}" '
                       f'y2="{_num(y(i))}" stroke="{BLUE}" stroke-width="2"/>')
        previous = (i, row.value) if row.value is not None else None
    for i, row in enumerate(rows):  # the tick over the dot: both show where they meet
        if row.value is not None and not row.baseline:
            out.append(f'<circle cx="{_num(x(row.value))}" cy="{_num(y(i))}" r="5.5" fill="{BLUE}"/>')
        if row.median is not None:
            out.append(f'<line x1="{_num(x(row.median))}" y1="{_num(y(i) - 9)}" x2="{_num(x(row.median))}" '
                       f'y2="{_num(y(i) + 9)}" stroke="{INK}" stroke-width="3"/>')
    out.append("</svg>")
    return "".join(out)


def legend_dot() -> str:
    """The legend's swatch for the organisation's value (decorative: the words say it)."""
    return (f'<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
            f'<circle cx="7" cy="7" r="5.5" fill="{BLUE}"/></svg>')


def legend_tick() -> str:
    """The legend's swatch for the benchmark median."""
    return (f'<svg width="14" height="18" viewBox="0 0 14 18" aria-hidden="true" focusable="false">'
            f'<line x1="7" y1="1" x2="7" y2="17" stroke="{INK}" stroke-width="3"/></svg>')
