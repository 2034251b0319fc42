"""The results page of a Digital Maturity Assessment campaign (DESIGN.md definition 9): the
organisation's level and commitment overall and per function against the peer group's
median and quartiles (definitions 5 and 7), against its own earlier years, the functions
x layers grid and the gaps, for the page, the PDF report and `flask report`.

Only a submitted return has results. The benchmark is `flask benchmark dma`'s
(results/maturity.py): over the released campaigns' submitted returns of the same data year
in the peer group, one per organisation (its latest). The campaign's own return is shown
against it whether released or not, and counted in it only once released, as the other
questionnaires' benchmarks do.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from babel.numbers import format_decimal, format_percent
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from scoring.benchmark import band
from scoring.peers import selects
from scoring.years import year_label

from ..extensions import db
from ..models import MaturityAnswer, MaturityReturn
from ..peers.labels import peer_group_label
from ..peers.operations import peer_group
from ..results.maturity import (MaturityData, campaign_maturity, maturity_benchmark, questionnaire_maturity,
                                years_with_returns)
from . import maturity_chart
from .headline import percent_text
from .peer_chart import Bar, Scale, peer_bars, percent_scale

PAGE_TEMPLATE = "dashboard/maturity.html"
PDF_TEMPLATE = "dashboard/report/maturity/pdf.html"
#: this year and up to five earlier ones
YEARS_SHOWN = 6
OVERALL = "overall"


def is_maturity(campaign) -> bool:
    """Whether the campaign is an organisation's own return (the DMA) rather than a staff survey."""
    return campaign.questionnaire_version.parsed().is_organisation_return


def level_text(value, language: str) -> str:
    """A level as people read it: 3, or 2.5 for a median between two."""
    return format_decimal(float(value), format="0.##", locale=language)


def commitment_text(value, language: str) -> str:
    return percent_text(100 * float(value), language)


def _missing(value) -> bool:
    return value is None or pd.isna(value)


def maturity_context(campaign, language: str, choices: list, chosen: str, provisional: str | None) -> dict:
    """What the DMA results page and its PDF show (see the module's docstring). `choices` and
    `chosen` are the peer groups offered and the key of the one asked for
    (results.chosen_peers); `provisional` is results.provisional(campaign)."""
    q = campaign.questionnaire_version.parsed()
    minimum = current_app.config["MIN_PEER_GROUP"]
    peers = peer_group(chosen)
    # the same benchmark as `flask benchmark dma`: released, submitted returns, one per organisation
    bench = maturity_benchmark(campaign.questionnaire, campaign.year, peers=peers, minimum=minimum)
    now = bench.benchmarks.loc[bench.benchmarks["year"] == campaign.year].set_index("metric") \
        if "median" in bench.benchmarks else pd.DataFrame(columns=["organisations", "q1", "median", "q3"])
    organisations = int(pd.to_numeric(now["organisations"]).max()) if len(now) else 0
    group = bench.organisations
    own = campaign_maturity(campaign.id)
    status = db.session.scalar(sa.select(MaturityReturn.status).where(MaturityReturn.campaign_id == campaign.id))
    submitted = not own.empty
    member = bool(selects(peers, pd.Series([campaign.code]), pd.Series([campaign.organisation_id])).iloc[0])
    context = {
        "campaign": campaign, "questionnaire": q, "language": language, "provisional": provisional,
        "page_template": PAGE_TEMPLATE, "pdf_template": PDF_TEMPLATE, "status": status, "submitted": submitted,
        "answered": int(own.answers["value"].notna().sum()) if submitted else _saved(campaign),
        "statements": len(q.statements), "top_level": len(q.layers), "peer_choices": choices, "by": None,
        "peers": {"label": peer_group_label(peers), "key": peers.key if peers else "all",
                  "organisations": organisations, "minimum": minimum, "too_small": organisations < minimum},
        "organisations": organisations if organisations >= minimum else 0,
        "years": _years(campaign, own, q, language),
    }
    if not submitted:
        return context
    mine = own.values.set_index("metric")["score"]
    own_counted = not group.empty and campaign.id in set(group["campaign_id"])
    figures = _Figures(now, group, mine, campaign, member, own_counted, language, minimum)
    functions = [_function_row(f, figures, language) for f in q.functions]
    totals = own.overall.iloc[0]
    own_level = _("%(level)s out of %(top)s", level=level_text(totals["level"], language), top=len(q.layers))
    own_commitment = ngettext("%(percent)s (%(yes)s of %(num)s statement answered Yes)",
                              "%(percent)s (%(yes)s of %(num)s statements answered Yes)", int(totals["statements"]),
                              percent=commitment_text(totals["commitment"], language), yes=int(totals["yes"]))
    context.update(
        overall=[figures.overall(metric, title, text, own) for metric, title, text, own in (
            (f"{OVERALL}.level", _("Overall maturity level"), lambda v: level_text(v, language), own_level),
            (f"{OVERALL}.commitment", _("Overall commitment"), lambda v: commitment_text(v, language),
             own_commitment))],
        own_counted=own_counted, functions=functions,
        function_charts=maturity_chart.function_charts(functions, len(q.layers), campaign.id, language),
        grid=_grid(own, campaign, q, language), gaps=_gaps(own, q, language),
    )
    return context


def _saved(campaign) -> int:
    """Statements answered Yes or No so far in a return not yet submitted."""
    return int(db.session.scalar(
        sa.select(sa.func.count()).select_from(MaturityAnswer)
        .join(MaturityReturn, MaturityReturn.id == MaturityAnswer.return_id)
        .where(MaturityReturn.campaign_id == campaign.id, MaturityAnswer.value.is_not(None))) or 0)


class _Figures:
    """The benchmark of each metric and the organisation's value against it."""

    def __init__(self, bench, group, mine, campaign, member, counted, language, minimum):
        self.bench, self.group, self.mine, self.campaign = bench, group, mine, campaign
        self.member, self.counted, self.language, self.minimum = member, counted, language, minimum

    def benchmark_of(self, metric: str) -> dict:
        row = self.bench.loc[metric] if not self.bench.empty and metric in self.bench.index else None
        organisations = int(row["organisations"]) if row is not None else 0
        too_small = row is None or _missing(row["median"])
        out = {"organisations": organisations, "too_small": too_small, "median": None, "q1": None, "q3": None,
               "band": None}
        if not too_small:
            out.update(median=float(row["median"]), q1=float(row["q1"]), q3=float(row["q3"]))
            value = self.mine.get(metric)
            if not _missing(value):
                out["band"] = int(band(pd.Series([float(value)]), pd.Series([out["q1"]]), pd.Series([out["median"]]),
                                       pd.Series([out["q3"]])).iloc[0])
        return out

    def overall(self, metric: str, title: str, text, own_text: str) -> dict:
        """A headline figure, shaped as headline.headline_benchmarks shapes its own: `text`
        writes a value, `own_text` is the organisation's value in words."""
        figure = {"id": metric.replace(".", "-"), "title": title, **self.benchmark_of(metric), "rows": [],
                  "chart": None}
        value = float(self.mine[metric])
        figure["own"] = {"code": self.campaign.code, "text": own_text, "short": text(value), "band": figure["band"],
                         "in_group": self.member, "counted": self.counted}
        if figure["too_small"]:
            return figure
        for key in ("median", "q1", "q3"):
            figure[key + "_text"] = text(figure[key])
        rows = self.group.loc[(self.group["metric"] == metric)
                              & (self.group["organisation_id"] != self.campaign.organisation_id)]
        rows = [{"code": r["organisation_code"], "score": float(r["score"]), "own": False}
                for r in rows.to_dict("records")]
        rows.append({"code": self.campaign.code, "score": value, "own": True})
        rows.sort(key=lambda r: (-r["score"], r["code"]))
        for r in rows:
            r["text"] = text(r["score"])
        figure["rows"] = rows
        percent = metric.endswith(".commitment")
        figure["chart"] = _peer_chart(figure, percent, self.campaign, self.language)
        return figure


def _peer_chart(figure: dict, percent: bool, campaign, language: str):
    """Every organisation in the group by code, as the headline benchmarks draw them."""
    factor = 100 if percent else 1
    if percent:
        scale = percent_scale(max(r["score"] * 100 for r in figure["rows"]),
                              lambda v: format_percent(v / 100, format="#,##0%", locale=language))
    else:
        scale = Scale(0, 5, tuple((v, format_decimal(v, locale=language)) for v in range(6)))
    desc = ngettext("%(title)s of the %(num)s organisations in the peer group, highest first, by code only.",
                    "%(title)s of the %(num)s organisations in the peer group, highest first, by code only.",
                    len(figure["rows"]), title=figure["title"])
    desc += " " + _("Yours (%(code)s, the hatched bar marked “you”) is %(value)s.", code=figure["own"]["code"],
                    value=figure["own"]["short"])
    desc += " " + _("The median, a black line, is %(median)s; the 1st and 3rd quartiles, grey dashed lines, are "
                    "%(q1)s and %(q3)s. The same figures are in the table below.",
                    median=figure["median_text"], q1=figure["q1_text"], q3=figure["q3_text"])
    bars = [Bar(r["code"], r["score"] * factor, r["text"], r["own"]) for r in figure["rows"]]
    return peer_bars(bars, scale, title_id=f"maturity-{figure['id']}-{campaign.id}", desc=desc, you=_("(you)"),
                     median=(figure["median"] * factor, _("Median: %(value)s", value=figure["median_text"])),
                     quartiles=(figure["q1"] * factor, figure["q3"] * factor,
                                _("1st and 3rd quartiles: %(q1)s and %(q3)s", q1=figure["q1_text"],
                                  q3=figure["q3_text"])))


def _function_row(function, figures: _Figures, language: str) -> dict:
    row = {"id": function.id, "label": function.label.get(language)}
    for measure, text in (("level", lambda v: level_text(v, language)),
                          ("commitment", lambda v: commitment_text(v, language))):
        metric = f"{function.id}.{measure}"
        value = figures.mine.get(metric)
        found = figures.benchmark_of(metric)
        row[measure] = None if _missing(value) else float(value)
        row[measure + "_text"] = "–" if _missing(value) else text(value)
        row[measure + "_benchmark"] = found
        for key in ("median", "q1", "q3"):
            found[key + "_text"] = "–" if found[key] is None else text(found[key])
    return row


def _grid(own: MaturityData, campaign, q, language: str) -> dict:
    """The functions x layers grid: each cell complete, partly done or not started."""
    grid = own.grid
    cells = {(r["function"], int(r["layer"])): r for r in grid.to_dict("records")}
    names = {"complete": _("Complete"), "partial": _("Partly done"), "not_started": _("Not started")}
    rows = []
    for function in q.functions:
        row = {"id": function.id, "label": function.label.get(language), "cells": []}
        for layer in q.layers:
            cell = cells.get((function.id, layer.level))
            if cell is None:
                continue
            state = cell["state"]
            row["cells"].append({
                "layer": layer.level, "state": state, "name": names[state], "yes": int(cell["yes"]),
                "statements": int(cell["statements"]),
                "count": _("%(yes)s of %(statements)s", yes=int(cell["yes"]), statements=int(cell["statements"])),
                "text": ngettext("%(state)s: %(yes)s of %(num)s statement Yes",
                                 "%(state)s: %(yes)s of %(num)s statements Yes", int(cell["statements"]),
                                 state=names[state], yes=int(cell["yes"]))})
        rows.append(row)
    layers = [{"level": layer.level, "label": layer.label.get(language)} for layer in q.layers]
    return {"rows": rows, "layers": layers, "names": names,
            "chart": maturity_chart.layer_grid(rows, layers, names, chart_id=f"grid-{campaign.id}",
                                               language=language)}


def _gaps(own: MaturityData, q, language: str) -> list[dict]:
    """Per function, the statements of the layer just above its level that are not Yes,
    with their notes: what to do next (none for a function at the top level)."""
    gaps = own.gaps
    levels = own.functions.set_index("function")["level"]
    out = []
    for function in q.functions:
        level = int(levels.get(function.id, 0))
        mine = gaps.loc[gaps["function"] == function.id]
        layer = q.layer(level + 1) if level < len(q.layers) else None
        statements = []
        for statement_id, value, note in zip(mine["statement_id"], mine["value"], mine["note"]):
            item = q.item(statement_id)
            statements.append({"id": statement_id, "text": item.text.get(language) if item else statement_id,
                               "answer": _("No") if value == "no" else _("Not answered"),
                               "note": note if isinstance(note, str) and note.strip() else None})
        out.append({"id": function.id, "label": function.label.get(language), "level": level,
                    "layer": None if layer is None else {"level": layer.level, "label": layer.label.get(language)},
                    "statements": statements})
    return out


def _years(campaign, own: MaturityData, q, language: str) -> dict | None:
    """The organisation's own submitted returns year by year, oldest first (its latest of
    each earlier year, released or not, and this one when it is submitted), or None when
    it has no earlier year to compare with."""
    earlier = years_with_returns(campaign.questionnaire, campaign.year - 1, released_only=False,
                                 organisation_id=campaign.organisation_id)[-(YEARS_SHOWN - 1):]
    if not earlier:
        return None
    data = questionnaire_maturity(campaign.questionnaire, earlier, organisation_id=campaign.organisation_id,
                                  released_only=False)
    kinds = data.campaigns.set_index("campaign_id")
    years = [{"label": year_label(int(year), kinds.loc[frame["campaign_id"].iloc[0], "year_kind"]),
              "provisional": not bool(kinds.loc[frame["campaign_id"].iloc[0], "released"]),
              "values": frame.set_index("metric")["score"]}
             for year, frame in data.values.groupby("year", sort=True)]
    if not own.empty:
        years.append({"label": campaign.year_label, "provisional": not campaign.released,
                      "values": own.values.set_index("metric")["score"]})
    rows = []
    for key, label in [(OVERALL, _("Overall")), *((f.id, f.label.get(language)) for f in q.functions)]:
        cells = []
        for year in years:
            level, commitment = year["values"].get(f"{key}.level"), year["values"].get(f"{key}.commitment")
            cells.append(("–" if _missing(level) else level_text(level, language),
                          "–" if _missing(commitment) else commitment_text(commitment, language)))
        rows.append({"id": key, "label": label, "cells": cells})
    charts = maturity_chart.year_charts(years, len(q.layers), campaign.id, language)
    return {"years": [{"label": y["label"], "provisional": y["provisional"]} for y in years], "rows": rows,
            "charts": charts}
