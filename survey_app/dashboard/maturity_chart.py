"""The Digital Maturity Assessment's charts, as SVG written out directly (charts.py's way):
levels and commitment by function against the peer group, the organisation's own years,
and the functions x layers grid.

The grid never tells a cell's state by colour alone: a complete layer is solid, a layer
partly done is hatched and one not started is empty, and every cell carries its count of
Yes answers as text. Presentation attributes only: the pages' Content-Security-Policy
allows no inline style.
"""
from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import gettext as _

from . import charts, trend_chart
from .headline import percent_text
from .charts import BLUE, DARK_BLUE, INK, LINE, SIZE, SMALL, _escape, _label, _open, _pc, wrap_label

#: the share of the width between two cells of the grid
CELL_GAP = 1.5
CELL = 30  # px, a cell's height
ROW_GAP = 14  # px below each row of cells
SWATCH = 28  # px, a legend swatch's width
PERCENT_TICKS = [0, 25, 50, 75, 100]


def function_charts(functions: list[dict], top: int, campaign_id: int, language: str) -> dict:
    """Bar charts of the level (0 to `top`) and the commitment of each function, each with
    the peer group's median (a black line) and quartiles (grey lines) where it has them."""
    def marks(found: dict, factor: float) -> dict:
        return {key: None if found[key] is None else found[key] * factor for key in ("median", "q1", "q3")}

    level_bars = [charts.Bar(f["label"], f["level"], f["level_text"], **marks(f["level_benchmark"], 1))
                  for f in functions]
    commitment_bars = [charts.Bar(f["label"], None if f["commitment"] is None else 100 * f["commitment"],
                                  f["commitment_text"], **marks(f["commitment_benchmark"], 100)) for f in functions]
    benchmarked = any(f["level_benchmark"]["median"] is not None for f in functions)
    lines = _("The peer group's median is a black line across each bar, its 1st and 3rd quartiles grey lines.") \
        if benchmarked else _("The peer group is too small for a benchmark, so no median or quartiles are drawn.")
    levels = list(range(0, top + 1))
    return {
        "level": charts.bar_chart(
            level_bars, chart_id=f"maturity-levels-{campaign_id}", title=_("Maturity level by function"),
            desc=" ".join([_("Your maturity level in each function, from 0 to %(top)s.", top=top), lines,
                           _("The same figures are in the table below.")]),
            ticks=levels, tick_text=[format_decimal(v, locale=language) for v in levels], base=0),
        "commitment": charts.bar_chart(
            commitment_bars, chart_id=f"maturity-commitment-{campaign_id}", title=_("Commitment by function"),
            desc=" ".join([_("Your commitment in each function: the share of its statements answered Yes."), lines,
                           _("The same figures are in the table below.")]),
            ticks=PERCENT_TICKS, tick_text=[f"{format_decimal(v, locale=language)}%" for v in PERCENT_TICKS],
            base=0),
    }


def year_charts(years: list[dict], top: int, campaign_id: int, language: str) -> list[dict]:
    """Dot charts of the overall level and commitment, one row per year, oldest first."""
    out = []
    for metric, title, lo, hi, ticks, factor in (
            ("overall.level", _("Overall maturity level"), 0, top,
             [(v, format_decimal(v, locale=language)) for v in range(top + 1)], 1),
            ("overall.commitment", _("Overall commitment"), 0, 100, [(v, f"{v}%") for v in (0, 25, 50, 75, 100)],
             100)):
        rows, said = [], [_("%(metric)s over the years.", metric=title)]
        for year in years:
            value = year["values"].get(metric)
            value = None if value is None or value != value else float(value)
            rows.append(trend_chart.Row(year["label"], None if value is None else value * factor, None))
            shown = _("none") if value is None else (
                format_decimal(value, format="0.##", locale=language) if factor == 1
                else percent_text(100 * value, language))
            said.append(_("%(year)s: %(value)s.", year=year["label"], value=shown))
        out.append({"title": title, "chart": trend_chart.year_dots(
            rows, lo=lo, hi=hi, ticks=ticks, title_id=f"maturity-years-{metric.replace('.', '-')}-{campaign_id}",
            desc=" ".join(said))})
    return out


def _cell_x(index: int, count: int) -> tuple[float, float]:
    """The left edge and width (percentages) of the index-th of `count` cells across."""
    width = (100 - CELL_GAP * (count - 1)) / count
    return index * (width + CELL_GAP), width


def _fill(state: str, chart_id: str) -> str:
    return {"complete": DARK_BLUE, "partial": f"url(#{chart_id}-partial)", "not_started": "#ffffff"}[state]


def layer_grid(rows: list[dict], layers: list[dict], names: dict, *, chart_id: str, language: str) -> str:
    """One row of cells per function, one cell per layer (1 on the left), each function's
    name on its own lines above its row."""
    count = len(layers)
    parts = [f'<defs><pattern id="{chart_id}-partial" width="8" height="8" patternUnits="userSpaceOnUse" '
             f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
             f'<line x1="0" y1="0" x2="0" y2="8" stroke="{BLUE}" stroke-width="4"/></pattern></defs>']
    y = 4
    for state in ("complete", "partial", "not_started"):  # the legend, one line each for a narrow screen
        parts.append(f'<rect x="1" y="{y}" width="{SWATCH}" height="18" fill="{_fill(state, chart_id)}" '
                     f'stroke="{INK}" stroke-width="1"/>')
        parts.append(f'<text x="{SWATCH + 10}" y="{y + 15}">{_escape(names[state])}</text>')
        y += 26
    y += 8
    heading = _("Layers 1 to %(top)s, left to right", top=count)
    parts.append(f'<text x="1" y="{y + SMALL}" font-size="{SMALL}" font-weight="bold">{_escape(heading)}</text>')
    y += LINE + 4
    for i, layer in enumerate(layers):
        left, width = _cell_x(i, count)
        parts.append(f'<text x="{_pc(left + width / 2)}" y="{y + SMALL}" text-anchor="middle" font-size="{SMALL}" '
                     f'font-weight="bold">{_escape(format_decimal(layer["level"], locale=language))}</text>')
    y += LINE + 2
    said = [_("Each function's layers: complete, partly done or not started.")]
    for row in rows:
        lines = wrap_label(row["label"])
        parts.append(_label(lines, y + SIZE - 2))
        top = y + len(lines) * LINE + 2
        for i, cell in enumerate(row["cells"]):
            left, width = _cell_x(i, count)
            parts.append(f'<rect x="{_pc(left)}" y="{top}" width="{_pc(width)}" height="{CELL}" '
                         f'fill="{_fill(cell["state"], chart_id)}" stroke="{INK}" stroke-width="1"/>')
            middle = _pc(left + width / 2)
            if cell["state"] == "partial":  # the count on a white ground, clear of the hatching
                parts.append(f'<rect x="{_pc(left + width * 0.12)}" y="{top + 5}" width="{_pc(width * 0.76)}" '
                             f'height="{CELL - 10}" fill="#ffffff"/>')
            colour = "#ffffff" if cell["state"] == "complete" else INK
            parts.append(f'<text x="{middle}" y="{top + CELL / 2 + 5}" text-anchor="middle" font-size="{SMALL}" '
                         f'font-weight="bold" fill="{colour}">{_escape(cell["count"])}</text>')
        states = [_("layer %(layer)s: %(state)s", layer=c["layer"], state=c["name"]) for c in row["cells"]]
        said.append(_("%(function)s: %(cells)s.", function=row["label"], cells="; ".join(states)))
        y = top + CELL + ROW_GAP
    said.append(_("The same is in the table below."))
    return "".join(_open(chart_id, _("Functions and layers"), " ".join(said), y + 4) + parts + ["</svg>"])
