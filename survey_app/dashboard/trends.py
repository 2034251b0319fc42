"""An organisation's results over the years: the headline metrics and every factor, its
value in each year beside the benchmark median of that year, for this year and up to
five earlier ones, with any historical baseline of the questionnaire (a benchmark from
long ago, imported by the Improve team) beside them.

The figures come from `benchmark_report`, which already has every organisation's value
and every year's benchmark; nothing is computed here but their arrangement.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from flask_babel import format_decimal
from flask_babel import gettext as _

from scoring.aggregate import IMPROVED, OVERALL

from ..results.labels import measure_label, metric_label
from ..results.report import RESPONSE_RATE, BenchmarkReport
from . import trend_chart

#: this year and up to five earlier ones
YEARS_SHOWN = 6
HEADLINE = (RESPONSE_RATE, OVERALL, IMPROVED)
SCORE_TICKS = [(v, str(v)) for v in range(1, 8)]
PERCENT_TICKS = [(v, f"{v}%") for v in (0, 25, 50, 75, 100)]


@dataclass
class TrendRow:
    metric: str
    label: str
    #: a percentage (the response rate) rather than a 1-7 score
    percent: bool
    #: per year of the trend, oldest first: (the organisation's value, the benchmark median)
    values: list[tuple[float | None, float | None]]
    #: per baseline: its median for this metric, or None
    baselines: list[float | None] = field(default_factory=list)
    chart: str = ""


@dataclass
class Trends:
    #: the data years shown, oldest first, as people write them
    years: list[str]
    #: the labels of the historical baselines shown (e.g. "1999-2004")
    baselines: list[str]
    #: response rate, overall satisfaction, service improved: those the questionnaire has
    headline: list[TrendRow]
    #: [{"id", "title", "rows"}] one group of factors per measure
    factors: list[dict]


def _number(value) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def trend_years(bench: BenchmarkReport) -> list[int]:
    """The report's year and up to five earlier years with results, oldest first."""
    return sorted({y for y in bench.years if y <= bench.year} | {bench.year})[-YEARS_SHOWN:]


def _rows(frame: pd.DataFrame | None, where=None) -> pd.DataFrame:
    """`frame` (rows matching `where`), or an empty frame when it has no metric columns
    (an empty report's frames have none)."""
    if frame is None or frame.empty or "kind" not in frame:
        return pd.DataFrame(columns=["year", "metric", "kind", "factor", "measure", "organisation_id", "score",
                                     "median"])
    return frame if where is None else frame.loc[where(frame)]


def trends(bench: BenchmarkReport, organisation_id: int, questionnaire, language: str,
           baselines: list = (), chart_id: str = "trend") -> Trends | None:
    """The organisation's trends, or None when there is nothing to compare this year with
    (no earlier year of the questionnaire and no baseline) or nothing this year.

    `baselines` are objects with a `label` and `figures`, a dict (factor, measure) ->
    median (survey_app/results/baselines.py)."""
    years = trend_years(bench)
    if len(years) < 2 and not baselines:
        return None
    shown = _rows(bench.benchmarks, lambda f: f["year"].isin(years))
    medians = {(int(y), m): _number(v) for y, m, v in zip(shown["year"], shown["metric"], shown["median"])}
    values = _rows(bench.values, lambda f: (f["organisation_id"] == organisation_id) & f["year"].isin(years))
    mine = {(int(y), m): _number(v) for y, m, v in zip(values["year"], values["metric"], values["score"])}
    # this year's own values as the report banded them (they may count campaigns the
    # benchmark leaves out, e.g. provisional ones): the same figures as the page's tables
    own = _rows(bench.organisations, lambda f: f["organisation_id"] == organisation_id)
    mine.update({(bench.year, m): _number(v) for m, v in zip(own["metric"], own["score"])})
    # the metrics of this year: the organisation's own, then any only the benchmark has
    now = pd.concat([own, shown.loc[shown["year"] == bench.year]], ignore_index=True)
    now = now.loc[now["kind"].isin(["factor", RESPONSE_RATE])].drop_duplicates("metric")
    if now.empty:
        return None
    if questionnaire is not None:  # in the questionnaire's order, whoever answered what
        order: dict = {}
        for i, item in enumerate(questionnaire.items):
            order.setdefault((item.factor, item.measure), i)
        position = [-1 if k == RESPONSE_RATE else order.get((f, m), len(order))
                    for k, f, m in zip(now["kind"], now["factor"], now["measure"])]
        now = now.assign(_position=position).sort_values("_position", kind="stable")

    def row(r) -> TrendRow:
        metric = r["metric"]
        return TrendRow(
            metric=metric, label=metric_label(r, questionnaire, language), percent=r["kind"] == RESPONSE_RATE,
            values=[(mine.get((y, metric)), medians.get((y, metric))) for y in years],
            baselines=[b.figures.get((r["factor"], r["measure"])) for b in baselines])

    records = now.to_dict("records")
    by_metric = {r["metric"]: r for r in records}
    headline = [row(by_metric[m]) for m in HEADLINE if m in by_metric]
    factors: list[dict] = []
    scored = [r for r in records if r["kind"] == "factor" and r["metric"] not in HEADLINE]
    for measure in dict.fromkeys(r["measure"] for r in scored):
        factors.append({"id": f"trends-{measure}", "title": measure_label(measure),
                        "rows": [row(r) for r in scored if r["measure"] == measure]})
    result = Trends(years=[bench.label(y) for y in years], baselines=[b.label for b in baselines],
                    headline=headline, factors=factors)
    for i, r in enumerate(result.headline + [r for f in result.factors for r in f["rows"]]):
        r.chart = chart(r, result, f"{chart_id}-{i}")
    return result


def template_context(bench: BenchmarkReport, campaign, questionnaire, language: str, baselines: list) -> dict:
    """What report/_trends.html needs, for any page that includes it (the results page,
    the PDF report): the trends and the helpers its macros use."""
    return {"trends": trends(bench, campaign.organisation_id, questionnaire, language, baselines=baselines,
                             chart_id=f"trend-{campaign.id}"),
            "trend_value": value_text, "trend_legend_dot": trend_chart.legend_dot(),
            "trend_legend_tick": trend_chart.legend_tick()}


def with_baselines(sections: list[dict], baselines: list) -> list[dict]:
    """The results page's factor sections (results.sections) with each baseline's median
    beside this year's score and median: `section["baselines"]` the labels of those with
    a figure in the section, `row["baselines"]` their medians (None where none)."""
    for section in sections:
        section["baselines"] = []
        if section.get("kind") != "factor":
            continue
        shown = [b for b in baselines if any((r.get("factor"), r.get("measure")) in b.figures
                                             for r in section["rows"])]
        section["baselines"] = [b.label for b in shown]
        for row in section["rows"]:
            row["baselines"] = [b.figures.get((row.get("factor"), row.get("measure"))) for b in shown]
    return sections


def value_text(value: float | None, percent: bool) -> str:
    """A value as the tables show it: a score to two places, a rate to one place
    rounded half-up with a % sign (DESIGN.md definition 4), or – for none."""
    if value is None:
        return "–"
    if percent:
        tenths = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return format_decimal(tenths, format="#,##0.0") + "%"
    return format_decimal(value, format="0.00")


def chart(row: TrendRow, found: Trends, title_id: str) -> str:
    """The dot chart of one metric, its text alternative listing every figure."""
    def spoken(value: float | None) -> str:
        return _("none") if value is None else value_text(value, row.percent)

    rows, said = [], [_("%(metric)s over the years.", metric=row.label)]
    for label, median in zip(found.baselines, row.baselines):
        if median is None:  # no figure for this metric (never for the response rate): no empty row
            continue
        rows.append(trend_chart.Row(label, None, median, baseline=True))
        said.append(_("%(period)s: benchmark median %(median)s.", period=label,
                      median=spoken(median)))
    for label, (value, median) in zip(found.years, row.values):
        rows.append(trend_chart.Row(label, value, median))
        said.append(_("%(year)s: yours %(value)s, benchmark median %(median)s.", year=label,
                      value=spoken(value), median=spoken(median)))
    lo, hi, ticks = (0, 100, PERCENT_TICKS) if row.percent else (1, 7, SCORE_TICKS)
    return trend_chart.year_dots(rows, lo=lo, hi=hi, ticks=ticks, title_id=re.sub(r"[^\w-]", "-", title_id),
                                 desc=" ".join(said))
