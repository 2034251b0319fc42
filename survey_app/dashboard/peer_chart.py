"""A chart of every organisation in a peer group by code, as the benchmarking report draws
them: one bar each, highest first, the organisation's own bar marked by a hatched fill,
bold code and the word "you" (never by colour alone), the median as a black line and the
1st and 3rd quartiles as grey dashed lines.

Written as SVG by hand rather than drawn by matplotlib: a few rectangles and lines, text
kept as text at a size that stays legible when the page is 320 px wide, and no inline
style (the pages' Content-Security-Policy allows none). The text alternative is the
<title>; the page puts the same figures in a table beside the chart.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#0b0c0c"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
GREY = "#505a5f"
# drawn 340 wide: on a 320 px screen (about 290 px for the page's content) the text stays
# about 11 px high; the values sit in a column of their own, clear of the lines
WIDTH = 340
LABEL_WIDTH = 72
PLOT_RIGHT = 246
VALUES_X = 254
ROW = 22
BAR = 15
FONT = 13
TOP = 44  # room for the legend


@dataclass(frozen=True)
class Bar:
    code: str
    value: float
    #: the value as the page writes it, e.g. "36.0%" or "5.25"
    text: str
    own: bool = False


@dataclass(frozen=True)
class Scale:
    lo: float
    hi: float
    #: (value, label) of each tick on the axis
    ticks: tuple[tuple[float, str], ...]


def _x(value: float, scale: Scale) -> float:
    span = scale.hi - scale.lo
    clamped = min(max(value, scale.lo), scale.hi)
    return LABEL_WIDTH + (PLOT_RIGHT - LABEL_WIDTH) * (clamped - scale.lo) / span


def peer_bars(bars: list[Bar], scale: Scale, *, title_id: str, desc: str, you: str,
              median: tuple[float, str] | None, quartiles: tuple[float, float, str] | None) -> Markup:
    """The chart as an <svg> element. `median` is (value, legend text) and `quartiles`
    (q1, q3, legend text), or None where the group has no benchmark."""
    height = TOP + ROW * len(bars) + 34
    bottom = TOP + ROW * len(bars)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-labelledby="{title_id}" focusable="false" font-family="Arial, sans-serif" '
           f'font-size="{FONT}" class="peer-chart">',
           f'<title id="{title_id}">{escape(desc)}</title>',
           '<defs><pattern id="{0}-own" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="{1}"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2.5"/></pattern></defs>'
           .format(title_id, DARK_BLUE)]
    # legend: what the lines mean, with their values
    legend_y = 14
    if median is not None:
        out.append(f'<line x1="0" x2="22" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{INK}" stroke-width="3"/>')
        out.append(f'<text x="28" y="{legend_y}" fill="{INK}">{escape(median[1])}</text>')
    if quartiles is not None:
        y = legend_y + 18
        out.append(f'<line x1="0" x2="22" y1="{y - 4}" y2="{y - 4}" stroke="{GREY}" stroke-width="2" '
                   f'stroke-dasharray="4 3"/>')
        out.append(f'<text x="28" y="{y}" fill="{INK}">{escape(quartiles[2])}</text>')
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        end = _x(bar.value, scale)
        fill = f"url(#{title_id}-own)" if bar.own else BLUE
        weight = ' font-weight="bold"' if bar.own else ""
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 3}" text-anchor="end" fill="{INK}"{weight}>'
                   f'{escape(bar.code)}</text>')
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(end - LABEL_WIDTH, 1):.1f}" height="{BAR}" '
                   f'fill="{fill}"' + (f' stroke="{INK}" stroke-width="1"' if bar.own else "") + '/>')
        label = f"{bar.text} {you}" if bar.own else bar.text
        out.append(f'<text x="{VALUES_X}" y="{y + BAR - 3}" fill="{INK}"{weight}>{escape(label)}</text>')
    # the axis, and the lines over the bars
    out.append(f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH}" y1="{TOP - 4}" y2="{bottom}" stroke="{INK}"/>')
    out.append(f'<line x1="{LABEL_WIDTH}" x2="{PLOT_RIGHT}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/>')
    for value, text in scale.ticks:
        x = _x(value, scale)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}" stroke="{INK}"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle" fill="{INK}">{escape(text)}</text>')
    if quartiles is not None:
        for q in quartiles[:2]:
            x = _x(q, scale)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 6}" y2="{bottom}" stroke="{GREY}" '
                       f'stroke-width="2" stroke-dasharray="4 3"/>')
    if median is not None:
        x = _x(median[0], scale)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 8}" y2="{bottom}" stroke="{INK}" stroke-width="3"/>')
    out.append("</svg>")
    return Markup("".join(out))


def percent_scale(highest: float, label) -> Scale:
    """0% up to the next multiple of 10 (25 above 50%) at or above the highest rate."""
    step = 10 if highest <= 50 else 25
    top = min(100, max(step, -(-highest // step) * step))
    return Scale(0, top, tuple((v, label(v)) for v in range(0, int(top) + 1, step)))


def seven_point_scale(label) -> Scale:
    return Scale(1, 7, tuple((v, label(v)) for v in range(1, 8)))
