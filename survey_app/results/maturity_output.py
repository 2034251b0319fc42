"""A Digital Maturity Assessment return's results and benchmark as a terminal table, CSV
rows or JSON (flask scores and flask benchmark for a questionnaire answered by one
return per organisation). Levels are whole layers (0-5) per function and a median
overall; commitment is a share of Yes answers, shown as a percentage."""
from __future__ import annotations

import pandas as pd
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext

from ..models import Campaign
from .labels import BANDS
from .maturity import MaturityData
from .report import BenchmarkReport
from .text import format_count, format_number, is_missing, render_table, truncate

OVERALL = "overall"
SCORE_COLUMNS = ["function", "label", "level", "commitment", "yes", "statements", "gaps"]
BENCHMARK_COLUMNS = ["year", "metric", "function", "measure", "label", "organisations", "q1", "median", "q3"]
ORGANISATION_COLUMNS = ["year", "organisation_code", "metric", "function", "measure", "label", "score", "yes",
                        "statements", "q1", "median", "q3", "band", "previous_year", "previous_score", "change"]
DEFAULT_METRICS = ["overall.level", "overall.commitment"]
LABEL_WIDTH = 40


def function_label(function: str, questionnaire, locale: str) -> str:
    """A function's name from the questionnaire ("Data and Analytics"), or "Overall"."""
    if function == OVERALL:
        return _("Overall")
    found = questionnaire.function(function) if questionnaire is not None else None
    return found.label.get(locale) if found is not None else function


def metric_label(row: dict, questionnaire, locale: str) -> str:
    name = function_label(row["function"], questionnaire, locale)
    if row["measure"] == "level":
        return _("%(function)s: maturity level", function=name)
    return _("%(function)s: commitment", function=name)


def value_label(value) -> str:
    return {"yes": _("Yes"), "no": _("No")}.get(value, _("Not answered"))


def percent(fraction, locale: str) -> str:
    """A share as a percentage to one decimal place, half-up ("" when missing)."""
    return "" if is_missing(fraction) else format_number(float(fraction) * 100, locale, 1) + "%"


def metric_value(value, measure: str, locale: str) -> str:
    """A level to two places (quartiles fall on quarters) or a commitment as a percentage."""
    return percent(value, locale) if measure == "commitment" else format_number(value, locale, 2)


# -- flask scores ---------------------------------------------------------------------------

def _function_rows(data: MaturityData, campaign: Campaign, locale: str) -> list[dict]:
    q = data.questionnaire_of(campaign.id)
    functions = data.functions.loc[data.functions["campaign_id"] == campaign.id]
    gaps = data.gaps.loc[data.gaps["campaign_id"] == campaign.id].groupby("function").size()
    rows = [{"function": r["function"], "label": function_label(r["function"], q, locale), "level": int(r["level"]),
             "commitment": float(r["commitment"]), "yes": int(r["yes"]), "statements": int(r["statements"]),
             "gaps": int(gaps.get(r["function"], 0))} for r in functions.to_dict("records")]
    overall = data.overall.loc[data.overall["campaign_id"] == campaign.id].iloc[0]
    rows.append({"function": OVERALL, "label": _("Overall"), "level": float(overall["level"]),
                 "commitment": float(overall["commitment"]), "yes": int(overall["yes"]),
                 "statements": int(overall["statements"]), "gaps": sum(r["gaps"] for r in rows)})
    return rows


def return_rows(data: MaturityData, campaign: Campaign, locale: str) -> list[dict]:
    """One row per function, then the overall figures (SCORE_COLUMNS); none before the
    return is submitted."""
    return [] if data.empty else _function_rows(data, campaign, locale)


def return_json(data: MaturityData, campaign: Campaign, locale: str) -> dict:
    out = {"campaign_id": campaign.id, "organisation_code": campaign.code, "questionnaire": campaign.questionnaire,
           "version": campaign.questionnaire_version.version, "year": campaign.year_label,
           "submitted": not data.empty, "released": campaign.released, "overall": None, "functions": []}
    if data.empty:
        return out
    q = data.questionnaire_of(campaign.id)
    out["submitted_at"] = data.campaigns["submitted_at"].iloc[0].isoformat()
    rows = _function_rows(data, campaign, locale)
    grid = data.grid.loc[data.grid["campaign_id"] == campaign.id]
    gaps = data.gaps.loc[data.gaps["campaign_id"] == campaign.id]
    for row in rows[:-1]:
        layers = grid.loc[grid["function"] == row["function"], ["layer", "yes", "statements", "state"]]
        found = gaps.loc[gaps["function"] == row["function"]]
        out["functions"].append({
            **{k: v for k, v in row.items() if k != "gaps"},
            "layers": [{k: (v if k == "state" else int(v)) for k, v in layer.items()}
                       for layer in layers.to_dict("records")],
            "gaps": [{"statement_id": g["statement_id"], "layer": int(g["layer"]), "value": g["value"],
                      "text": q.item(g["statement_id"]).text.get(locale)} for g in found.to_dict("records")]})
    out["overall"] = {k: v for k, v in rows[-1].items() if k not in ("function", "label")}
    return out


def return_text(data: MaturityData, campaign: Campaign, locale: str) -> str:
    """What a person reads in a terminal: the return's state, the overall figures, a row
    per function with its layers, and the next steps."""
    q = campaign.questionnaire_version.parsed()
    lines = [f"{campaign.code} · {q.title.get(locale)} ({campaign.questionnaire_version.version}) · "
             f"{campaign.year_label}"]
    if data.empty:
        lines.append(_("The return has not been submitted yet: there are no results."))
        return "\n".join(lines)
    submitted = data.campaigns["submitted_at"].iloc[0]
    lines.append(_("Return submitted on %(date)s.", date=format_date(submitted.to_pydatetime(), "d MMMM yyyy")))
    if not campaign.released:
        lines.append(_("Provisional: these results count in benchmarks once the Improve team releases them."))
    rows = _function_rows(data, campaign, locale)
    overall = rows[-1]
    functions = len(rows) - 1
    lines += ["", ngettext("Overall maturity level: %(level)s (the median of %(num)d function)",
                           "Overall maturity level: %(level)s (the median of %(num)d functions)", functions,
                           level=format_number(overall["level"], locale, 1)),
              _("Overall commitment: %(percent)s (%(yes)s of %(statements)s statements answered Yes)",
                percent=percent(overall["commitment"], locale), yes=format_count(overall["yes"], locale),
                statements=format_count(overall["statements"], locale)), ""]
    grid = data.grid.loc[data.grid["campaign_id"] == campaign.id]
    layers = sorted(grid["layer"].unique())
    cells = grid.set_index(["function", "layer"])
    headers = [_("Function"), _("Level"), _("Commitment"), *[str(layer) for layer in layers], _("Next steps")]
    table = []
    for r in rows[:-1]:
        table.append([truncate(r["label"], LABEL_WIDTH), str(r["level"]), percent(r["commitment"], locale),
                      *[_fraction(cells, r["function"], layer, locale) for layer in layers],
                      format_count(r["gaps"], locale)])
    lines.append(render_table(headers, table, right=set(range(1, len(headers)))))
    lines.append(_("Columns %(first)s to %(last)s: the statements of each layer answered Yes, of its statements.",
                   first=layers[0], last=layers[-1]))
    gaps = data.gaps.loc[data.gaps["campaign_id"] == campaign.id]
    if gaps.empty:
        lines += ["", _("No next steps: every function is at the top layer.")]
        return "\n".join(lines)
    lines += ["", _("Next steps: the statements not yet Yes in the layer above each function's level.")]
    steps = [[g["statement_id"], function_label(g["function"], q, locale), str(g["layer"]), value_label(g["value"]),
              truncate(q.item(g["statement_id"]).text.get(locale), 60)] for g in gaps.to_dict("records")]
    lines.append(render_table([_("Statement"), _("Function"), _("Layer"), _("Answer"), _("Text")], steps,
                              right={2}))
    return "\n".join(lines)


def _fraction(cells: pd.DataFrame, function: str, layer: int, locale: str) -> str:
    if (function, layer) not in cells.index:
        return ""
    cell = cells.loc[(function, layer)]
    return f"{format_count(cell['yes'], locale)}/{format_count(cell['statements'], locale)}"


# -- flask benchmark ------------------------------------------------------------------------

def _clean(row: dict, columns: list[str], report: BenchmarkReport) -> dict:
    out = {}
    for k in columns:
        v = row.get(k)
        if is_missing(v):
            out[k] = None
        elif k in ("year", "previous_year"):
            out[k] = report.label(v)
        elif k in ("organisations", "band", "yes", "statements"):
            out[k] = int(v)
        elif k in ("q1", "median", "q3", "score", "previous_score", "change"):
            out[k] = float(v)
        else:
            out[k] = v
    return out


def benchmark_rows(report: BenchmarkReport, locale: str) -> list[dict]:
    q = report.questionnaire
    return [_clean({**r, "label": metric_label(r, q, locale)}, BENCHMARK_COLUMNS, report)
            for r in report.benchmarks.to_dict("records")]


def organisation_rows(report: BenchmarkReport, locale: str) -> list[dict]:
    q = report.questionnaire
    return [_clean({**r, "label": metric_label(r, q, locale)}, ORGANISATION_COLUMNS, report)
            for r in report.organisations.to_dict("records")]


def benchmark_json(report: BenchmarkReport, locale: str) -> dict:
    this_year, trend = {}, {}
    for row in benchmark_rows(report, locale):
        if row["year"] == report.label():
            this_year[row["metric"]] = row
        else:
            trend.setdefault(row["metric"], []).append(
                {k: row[k] for k in ("year", "organisations", "q1", "median", "q3")})
    return {"questionnaire": report.questionnaire_id, "year": report.label(),
            "years": [report.label(y) for y in report.years],
            "benchmarks": [{**row, "trend": trend.get(metric, [])} for metric, row in this_year.items()],
            "organisations": organisation_rows(report, locale)}


def benchmark_text(report: BenchmarkReport, locale: str, metrics: list[str]) -> str:
    q = report.questionnaire
    current = report.benchmarks.loc[report.benchmarks["year"] == report.year]
    organisations = report.organisations["organisation_code"].nunique()
    lines = [f"{q.title.get(locale) if q else report.questionnaire_id} · {report.label()}",
             ngettext("Benchmark over %(num)d organisation, identified by code only.",
                      "Benchmark over %(num)d organisations, identified by code only.", organisations), ""]
    earlier = [y for y in report.years if y < report.year][-2:][::-1]
    medians = report.benchmarks.set_index(["year", "metric"])["median"]
    headers = [_("Metric"), _("Label"), _("Organisations"), _("1st quartile"), _("Median"), _("3rd quartile")]
    headers += [_("Median %(year)s", year=report.label(y)) for y in earlier]
    rows = []
    for r in current.to_dict("records"):
        row = [r["metric"], truncate(metric_label(r, q, locale), LABEL_WIDTH),
               format_count(r["organisations"], locale)]
        row += [metric_value(r[k], r["measure"], locale) for k in ("q1", "median", "q3")]
        row += [metric_value(medians.get((y, r["metric"])), r["measure"], locale) for y in earlier]
        rows.append(row)
    lines.append(render_table(headers, rows, right=set(range(2, len(headers)))))
    for metric in metrics:
        lines += ["", _organisation_table(report, metric, locale)]
    return "\n".join(lines)


def _organisation_table(report: BenchmarkReport, metric: str, locale: str) -> str:
    data = report.organisations.loc[report.organisations["metric"] == metric]
    data = data.sort_values("score", ascending=False, kind="stable")
    title = metric_label(data.iloc[0].to_dict(), report.questionnaire, locale) if len(data) else metric
    headers = [_("Organisation"), _("Score"), _("Yes"), _("Quartile band"), _("Previous year"), _("Change")]
    rows = []
    for r in data.to_dict("records"):
        measure = r["measure"]
        band = "" if is_missing(r["band"]) else f"{int(r['band'])} {BANDS[int(r['band'])]}"
        previous = ""
        if not is_missing(r["previous_year"]):
            previous = f"{metric_value(r['previous_score'], measure, locale)} ({report.label(r['previous_year'])})"
        change = r["change"]
        change = "" if is_missing(change) else (
            format_number(float(change) * 100, locale, 1, signed=True) if measure == "commitment"
            else format_number(change, locale, 2, signed=True))
        rows.append([r["organisation_code"], metric_value(r["score"], measure, locale),
                     f"{format_count(r['yes'], locale)}/{format_count(r['statements'], locale)}", band, previous,
                     change])
    return f"{title} ({metric})\n" + render_table(headers, rows, right={1, 2, 4, 5})
