"""The headline benchmarks of the results page: response rate, overall satisfaction and
"service improved", each against the chosen peer group's median and quartiles (DESIGN.md
definitions 5 and 7), with a chart of every organisation in the group by code."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from scoring.aggregate import IMPROVED, OVERALL
from scoring.peers import groups_for
from scoring.response_rate import ResponseRate

from ..peers.labels import peer_group_label
from ..results.labels import response_rate_text
from ..results.report import RESPONSE_RATE, BenchmarkReport
from .peer_chart import Bar, peer_bars, percent_scale, seven_point_scale

#: (metric, id in the page, title)
HEADLINE_METRICS = ((RESPONSE_RATE, "rate", _l("Response rate")), (OVERALL, "overall", _l("Overall satisfaction")),
                    (IMPROVED, "improved", _l("Service improved over the last year")))


def peer_choices(code: str, named: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """(key, label) of each group an organisation may compare itself with: all, its type,
    its nation, partnerships or not (as it is one or not), then the named groups."""
    found = [(g.key, peer_group_label(g)) for g in groups_for(code)]
    return found + [(f"group:{group_id}", name) for group_id, name in named]


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def percent_text(value: float, language: str) -> str:
    """A percentage to one decimal place, rounded half-up as response rates are."""
    tenths = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_percent(tenths / 100, format="#,##0.0%", locale=language)


def score_text(value: float, language: str) -> str:
    return format_decimal(value, format="0.00", locale=language)


def _value_text(row: dict, percent: bool, language: str) -> str:
    if percent:
        return ResponseRate(int(row["n"]), int(row["participants"])).numbers(language)["percent"]
    return score_text(row["score"], language)


def headline_benchmarks(bench: BenchmarkReport, organisation_id: int, campaign_id: int, language: str,
                        minimum: int) -> dict:
    """The peer group's figures for the page: its label, how many organisations it has
    this year, and for each headline metric the organisation's value and band, the
    group's median and quartiles (None when the group is too small) and the chart."""
    members = bench.organisations
    this_year = bench.benchmarks.loc[bench.benchmarks["year"] == bench.year] if not bench.benchmarks.empty \
        else bench.benchmarks
    everyone = pd.concat([f for f in (members, bench.others) if f is not None and not f.empty])
    # the organisations the benchmark is over: released members (an organisation's own
    # provisional results are shown against it, never counted in it)
    count = int(pd.to_numeric(this_year["organisations"]).max()) \
        if not this_year.empty and "organisations" in this_year and this_year["organisations"].notna().any() else 0
    metrics = []
    for metric, anchor, title in HEADLINE_METRICS:
        if everyone.empty or metric not in set(everyone["metric"]):
            continue
        percent = metric == RESPONSE_RATE
        fmt = (lambda v: percent_text(v, language)) if percent else (lambda v: score_text(v, language))
        mine = everyone.loc[(everyone["organisation_id"] == organisation_id) & (everyone["metric"] == metric)]
        own = mine.iloc[0].to_dict() if len(mine) and not _missing(mine.iloc[0]["score"]) else None
        group = members.loc[(members["metric"] == metric) & members["score"].notna()] if not members.empty \
            else members
        row = this_year.loc[this_year["metric"] == metric]
        bench_row = row.iloc[0].to_dict() if len(row) else {}
        organisations = int(bench_row.get("organisations") or 0)
        too_small = organisations < minimum or _missing(bench_row.get("median"))
        figure = {
            "id": anchor, "title": str(title), "percent": percent, "organisations": organisations,
            "too_small": too_small, "median": None, "q1": None, "q3": None, "own": None, "rows": [], "chart": None,
        }
        if own is not None:
            detail = response_rate_text(ResponseRate(int(own["n"]), int(own["participants"])), language) \
                if percent else _("%(score)s out of 7 (%(n)s responses)", score=score_text(own["score"], language),
                                  n=format_decimal(int(own["n"]), locale=language))
            figure["own"] = {"code": own["organisation_code"], "text": detail,
                             "band": None if too_small or _missing(own.get("band")) else int(own["band"]),
                             "in_group": bool((group["organisation_id"] == organisation_id).any())}
        if not too_small:
            figure.update(median=fmt(bench_row["median"]), q1=fmt(bench_row["q1"]), q3=fmt(bench_row["q3"]))
            rows = group.to_dict("records")
            if own is not None and not figure["own"]["in_group"]:
                rows.append(own)
            rows.sort(key=lambda r: (-float(r["score"]), r["organisation_code"]))
            figure["rows"] = [{"code": r["organisation_code"], "text": _value_text(r, percent, language),
                               "own": r["organisation_id"] == organisation_id, "score": float(r["score"])}
                              for r in rows]
            figure["chart"] = _chart(figure, bench_row, percent, fmt, f"peers-{anchor}-{campaign_id}", language)
        metrics.append(figure)
    return {"label": peer_group_label(bench.peers), "key": bench.peers.key if bench.peers else "all",
            "organisations": count, "minimum": minimum,
            "too_small": count < minimum, "metrics": metrics}


def _chart(figure: dict, bench_row: dict, percent: bool, fmt, title_id: str, language: str):
    rows = figure["rows"]
    if percent:
        scale = percent_scale(max(r["score"] for r in rows),
                              lambda v: format_percent(v / 100, format="#,##0%", locale=language))
    else:
        scale = seven_point_scale(lambda v: format_decimal(v, locale=language))
    mine = next((r for r in rows if r["own"]), None)
    desc = ngettext(
        "%(title)s of the %(num)s organisations in the peer group, highest first, by code only.",
        "%(title)s of the %(num)s organisations in the peer group, highest first, by code only.",
        figure["organisations"], title=figure["title"])
    if mine is not None:
        desc += " " + _("Yours (%(code)s, the hatched bar marked “you”) is %(value)s.", code=mine["code"],
                        value=mine["text"])
    desc += " " + _("The median, a black line, is %(median)s; the 1st and 3rd quartiles, grey dashed lines, are "
                    "%(q1)s and %(q3)s. The same figures are in the table below.",
                    median=figure["median"], q1=figure["q1"], q3=figure["q3"])
    bars = [Bar(r["code"], r["score"], r["text"], r["own"]) for r in rows]
    return peer_bars(bars, scale, title_id=title_id, desc=desc, you=_("(you)"),
                     median=(float(bench_row["median"]), _("Median: %(value)s", value=figure["median"])),
                     quartiles=(float(bench_row["q1"]), float(bench_row["q3"]),
                                _("1st and 3rd quartiles: %(q1)s and %(q3)s", q1=figure["q1"], q3=figure["q3"])))


def parse_choice(value: str | None, choices: list[tuple[str, str]]) -> str | None:
    """The chosen key when it is one of the choices ("all" when none is given), else None."""
    value = (value or "all").strip()
    return value if value in {key for key, _label in choices} else None
