"""A benchmark report as a terminal table, CSV rows or JSON (flask benchmark). Data years
are written as people write them (2026/27, or 2026 for a calendar-year questionnaire)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from scoring.aggregate import IMPROVED, OVERALL

from .labels import BANDS, metric_label
from .report import RESPONSE_RATE, BenchmarkReport
from .text import format_count, format_number, is_missing, render_table, truncate

HEADLINE_METRICS = [OVERALL, IMPROVED, RESPONSE_RATE]
BENCHMARK_COLUMNS = ["year", "metric", "kind", "factor", "measure", "area", "item_id", "label", "organisations",
                     "q1", "median", "q3"]
ORGANISATION_COLUMNS = ["year", "organisation_code", "metric", "label", "score", "n", "q1", "median", "q3",
                        "band", "previous_year", "previous_score", "change"]


def _clean(row: dict, columns: list[str], report: BenchmarkReport) -> dict:
    out = {}
    for k in columns:
        v = row.get(k)
        if is_missing(v):
            out[k] = None
        elif k in ("year", "previous_year"):
            out[k] = report.label(v)
        elif k in ("organisations", "n", "band"):
            out[k] = int(v)
        elif k in ("q1", "median", "q3", "score", "previous_score", "change"):
            out[k] = float(v)
        else:
            out[k] = v
    return out


def benchmark_rows(report: BenchmarkReport, locale: str) -> list[dict]:
    rows = []
    for r in report.benchmarks.to_dict("records"):
        rows.append(_clean({**r, "label": metric_label(r, report.questionnaire, locale)}, BENCHMARK_COLUMNS,
                           report))
    return rows


def organisation_rows(report: BenchmarkReport, locale: str) -> list[dict]:
    rows = []
    for r in report.organisations.to_dict("records"):
        rows.append(_clean({**r, "label": metric_label(r, report.questionnaire, locale)}, ORGANISATION_COLUMNS,
                           report))
    return rows


def benchmark_json(report: BenchmarkReport, locale: str) -> dict:
    this_year, trend = {}, {}
    for row in benchmark_rows(report, locale):
        if row["year"] == report.label():
            this_year[row["metric"]] = row
        else:
            trend.setdefault(row["metric"], []).append(
                {k: row[k] for k in ("year", "organisations", "q1", "median", "q3")})
    metrics = [{**row, "trend": trend.get(metric, [])} for metric, row in this_year.items()]
    return {"questionnaire": report.questionnaire_id, "year": report.label(),
            "years": [report.label(y) for y in report.years],
            "benchmarks": metrics, "organisations": organisation_rows(report, locale)}


def default_metrics(report: BenchmarkReport) -> list[str]:
    """The headline figures where the questionnaire has them, otherwise its areas."""
    present = set(report.organisations["metric"])
    headline = [m for m in HEADLINE_METRICS if m in present and m != RESPONSE_RATE]
    if not headline:
        areas = report.organisations.loc[report.organisations["kind"] == "area", "metric"]
        headline = list(dict.fromkeys(areas))
    return headline + ([RESPONSE_RATE] if RESPONSE_RATE in present else [])


def benchmark_text(report: BenchmarkReport, locale: str, metrics: list[str]) -> str:
    q = report.questionnaire
    title = q.title.get(locale) if q else report.questionnaire_id
    current = report.benchmarks.loc[report.benchmarks["year"] == report.year]
    organisations = report.organisations["organisation_code"].nunique()
    lines = [f"{title} · {report.label()}",
             ngettext("Benchmark over %(num)d organisation, identified by code only.",
                      "Benchmark over %(num)d organisations, identified by code only.", organisations), ""]
    earlier = [y for y in report.years if y < report.year][-2:][::-1]
    medians = report.benchmarks.set_index(["year", "metric"])["median"]
    headers = [_("Metric"), _("Label"), _("Organisations"), _("1st quartile"), _("Median"), _("3rd quartile")]
    headers += [_("Median %(year)s", year=report.label(y)) for y in earlier]
    rows = []
    for r in current.to_dict("records"):
        places = 1 if r["metric"] == RESPONSE_RATE else 2
        row = [r["metric"], truncate(metric_label(r, q, locale), 40), format_count(r["organisations"], locale)]
        row += [format_number(r[k], locale, places) for k in ("q1", "median", "q3")]
        row += [format_number(medians.get((y, r["metric"])), locale, places) for y in earlier]
        rows.append(row)
    lines.append(render_table(headers, rows, right=set(range(2, len(headers)))))
    for metric in metrics:
        lines += ["", _organisation_table(report, metric, locale)]
    return "\n".join(lines)


def _organisation_table(report: BenchmarkReport, metric: str, locale: str) -> str:
    q = report.questionnaire
    data = report.organisations.loc[report.organisations["metric"] == metric]
    data = data.sort_values("score", ascending=False, kind="stable")
    places = 1 if metric == RESPONSE_RATE else 2
    title = metric_label(data.iloc[0].to_dict(), q, locale) if len(data) else metric
    headers = [_("Organisation"), _("Score"), "n", _("Quartile band"), _("Previous year"), _("Change")]
    rows = []
    for r in data.to_dict("records"):
        band = "" if is_missing(r["band"]) else f"{int(r['band'])} {BANDS[int(r['band'])]}"
        previous = ""
        if not is_missing(r["previous_year"]):
            previous = f"{format_number(r['previous_score'], locale, places)} ({report.label(r['previous_year'])})"
        rows.append([r["organisation_code"], format_number(r["score"], locale, places), format_count(r["n"], locale),
                     band, previous, format_number(r["change"], locale, places, signed=True)])
    return f"{title} ({metric})\n" + render_table(headers, rows, right={1, 2, 4, 5})
