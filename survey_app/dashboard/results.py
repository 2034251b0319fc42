"""A campaign's results against the benchmark, broken down, with comments, earlier years
and downloads of the organisation's own data."""
from __future__ import annotations

import math

import pandas as pd
from flask import Response, abort, current_app, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..auth.access import signed_in, visible_campaign
from ..extensions import db
from ..models import Answer
from ..models import Response as SurveyResponse
from ..results.datasets import dataset
from ..results.labels import dimension_label, group_label, measure_label, metric_label
from ..results.report import ReportError, benchmark_report, campaign_report, dimensions_of
from ..peers.operations import all_groups, peer_group
from . import charts
from .headline import headline_benchmarks, parse_choice, peer_choices
from .views import bp

HEADLINE = ("OVERALL.satisfaction", "IMPROVED.improvement")
DOWNLOAD_FORMATS = {"csv": "CSV", "xlsx": "XLSX"}


def number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else float(value)


def sections(report, bench_rows: pd.DataFrame, language: str) -> list[dict]:
    """The metrics as tables: factors by measure, then gaps, weight gaps and areas."""
    metrics = report.metrics.merge(bench_rows, on="metric", how="left") if not bench_rows.empty else \
        report.metrics.assign(q1=None, median=None, q3=None, band=None)
    out = []
    groups = [("factor", m) for m in metrics.loc[metrics["kind"] == "factor", "measure"].dropna().unique()]
    groups += [("gap", None), ("weight_gap", None), ("area", None)]
    titles = {"gap": _("Gap (satisfaction minus importance)"), "weight_gap": _("Weight gap"),
              "area": _("Areas")}
    for kind, measure in groups:
        rows = metrics.loc[(metrics["kind"] == kind) & ~metrics["metric"].isin(HEADLINE)]
        if measure is not None:
            rows = rows.loc[rows["measure"] == measure]
        if rows.empty:
            continue
        out.append({
            "id": f"{kind}-{measure or ''}".strip("-"),
            "title": measure_label(measure) if measure else titles[kind],
            "rows": [{"label": metric_label(r, report.questionnaire, language), "score": number(r["score"]),
                      "n": None if pd.isna(r["n"]) else int(r["n"]), "q1": number(r.get("q1")),
                      "median": number(r.get("median")), "q3": number(r.get("q3")),
                      "band": None if pd.isna(r.get("band")) else int(r["band"])}
                     for r in rows.to_dict("records")],
            "scale": kind in ("factor", "area"),
        })
    return out


def section_chart(section: dict, campaign_id: int) -> str | None:
    if not section["scale"]:
        return None
    rows = section["rows"]
    return charts.factor_bars(
        [r["label"][:60] for r in rows], [r["score"] for r in rows], [r["median"] for r in rows],
        [r["q1"] for r in rows], [r["q3"] for r in rows], title_id=f"chart-{section['id']}-{campaign_id}",
        desc=_("Bar chart of %(title)s scores on the 1 to 7 scale, with the benchmark median as a black line "
               "and the 1st and 3rd quartiles as grey lines. The same numbers are in the table.",
               title=section["title"]),
        x_label=_("Score (1 to 7)"))


def breakdown_table(report, language: str) -> dict | None:
    b = report.breakdown
    if b is None:
        return None
    shown = b.groups.loc[~b.groups["suppressed"]]
    groups = [(g, group_label(b.dimension, g, report.questionnaire, language), int(n))
              for g, n in zip(shown["group"], shown["responses"])]
    hidden = [group_label(b.dimension, g, report.questionnaire, language)
              for g in b.groups.loc[b.groups["suppressed"], "group"]]
    metrics = b.metrics.loc[b.metrics["kind"].isin(["factor", "area"])]
    rows = []
    for metric, frame in metrics.groupby("metric", sort=False):
        first = frame.iloc[0]
        by_group = {r["group"]: (number(r["score"]), None if pd.isna(r["n"]) else int(r["n"]))
                    for r in frame.to_dict("records")}
        rows.append({"label": metric_label(first, report.questionnaire, language),
                     "measure": measure_label(first["measure"]), "cells": [by_group.get(g) for g, _l, _n in groups]})
    return {"dimension": dimension_label(b.dimension, report.questionnaire, language), "groups": groups,
            "hidden": hidden, "rows": rows}


def comments(campaign, questionnaire) -> list[dict]:
    text_items = [i.id for i in questionnaire.items if i.type == "text"]
    if not text_items:
        return []
    found = db.session.execute(
        db.select(Answer.item_id, Answer.value, SurveyResponse.submitted_at)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(SurveyResponse.campaign_id == campaign.id, SurveyResponse.status == "submitted",
               Answer.item_id.in_(text_items))
        .order_by(SurveyResponse.submitted_at.desc())
    ).all()
    return [{"question": questionnaire.item(item_id).text, "text": value, "at": at} for item_id, value, at in found]


def earlier_years(bench, organisation_id: int, questionnaire, language: str) -> list[dict]:
    # the organisation's own rows, whether or not it is in the peer group
    mine = pd.concat([f for f in (bench.organisations, bench.others) if f is not None and not f.empty] or
                     [bench.organisations])
    if mine.empty:
        return []
    mine = mine.loc[(mine["organisation_id"] == organisation_id) & mine["previous_year"].notna()
                    & mine["kind"].isin(["factor", "area", "response_rate"])]
    return [{"label": metric_label(r, questionnaire, language), "year": bench.label(r["previous_year"]),
             "previous": number(r["previous_score"]), "score": number(r["score"]), "change": number(r["change"]),
             "percent": r["kind"] == "response_rate"} for r in mine.to_dict("records")]


@bp.route("/campaigns/<int:campaign_id>/results")
@signed_in
def results(campaign_id: int):
    campaign = visible_campaign(campaign_id)
    language = str(get_locale())
    by = request.args.get("by") or None
    try:
        report = campaign_report(campaign, by=by)
    except ReportError:
        abort(404)
    # the peer group chosen (DESIGN.md definition 7): all organisations unless asked
    choices = peer_choices(campaign.code, [(g.id, g.name) for g in all_groups()])
    chosen = parse_choice(request.args.get("peers"), choices)
    if chosen is None:
        abort(404)
    minimum = current_app.config["MIN_PEER_GROUP"]
    bench = benchmark_report(campaign.questionnaire, campaign.year, peers=peer_group(chosen), minimum=minimum)
    peers = headline_benchmarks(bench, campaign.organisation_id, campaign.id, language, minimum)
    bench_rows = pd.DataFrame()
    if not bench.organisations.empty or not bench.others.empty:
        everyone = pd.concat([f for f in (bench.organisations, bench.others) if not f.empty])
        mine = everyone.loc[everyone["organisation_id"] == campaign.organisation_id]
        bench_rows = mine[["metric", "q1", "median", "q3", "band"]]
    found = sections(report, bench_rows, language)
    for s in found:
        s["chart"] = section_chart(s, campaign.id)
    dimensions = [(d, dimension_label(d, report.questionnaire, language)) for d in dimensions_of(report.data)]
    return render_template(
        "dashboard/results.html", campaign=campaign, report=report, sections=found, by=by,
        dimensions=dimensions, breakdown=breakdown_table(report, language),
        comments=comments(campaign, report.questionnaire), language=language,
        earlier=earlier_years(bench, campaign.organisation_id, report.questionnaire, language),
        organisations=0 if peers["too_small"] else peers["organisations"], peers=peers, peer_choices=choices,
        formats=DOWNLOAD_FORMATS, provisional=campaign.status != "closed",
    )


@bp.route("/campaigns/<int:campaign_id>/download.<file_format>")
@signed_in
def download(campaign_id: int, file_format: str):
    """The organisation's own data for the campaign's year, with its comments and name."""
    campaign = visible_campaign(campaign_id)
    if file_format not in DOWNLOAD_FORMATS:
        abort(404)
    language = str(get_locale())
    # the benchmarks over the peer group the results page shows, withheld where it is too small
    choices = peer_choices(campaign.code, [(g.id, g.name) for g in all_groups()])
    chosen = parse_choice(request.args.get("peers"), choices)
    if chosen is None:
        abort(404)
    with force_locale(language):
        found = dataset(campaign.questionnaire, campaign.year, campaign.organisation, language,
                        peers=peer_group(chosen), minimum=current_app.config["MIN_PEER_GROUP"])
    if found is None:
        abort(404)
    f = found.download(file_format)
    return Response(f.data, mimetype=f.media_type, headers={
        "Content-Disposition": f'attachment; filename="{f.filename}"', "Cache-Control": "no-store"})
