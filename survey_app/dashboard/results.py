"""A campaign's results against the benchmark, broken down, with comments, trends over the years
and downloads of the organisation's own data."""
from __future__ import annotations

import math

import pandas as pd
from flask import Response, abort, current_app, render_template, request
from flask_babel import force_locale, get_locale
from flask_login import current_user
from flask_babel import gettext as _

from ..auth.access import signed_in, visible_campaign
from ..extensions import db
from ..models import SubmittedAnswer, SubmittedResponse
from ..results.datasets import Dataset, dataset
from ..results.dictionary import data_dictionary
from ..results.labels import dimension_label, factor_name, group_label, measure_label, metric_label
from ..results.report import ReportError, benchmark_report, campaign_report, dimensions_of, with_organisation
from ..results.tables import remove_email_addresses
from .result_charts import group_charts, section_chart
from scoring.aggregate import sort_metrics
from ..results.baselines import baselines_of
from .trends import template_context as trend_context
from .trends import with_baselines
from ..peers.operations import all_groups, peer_group
from .headline import headline_benchmarks, parse_choice, peer_choices
from .maturity import is_maturity, maturity_context
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
            "kind": kind,
            "rows": [{"label": metric_label(r, report.questionnaire, language), "score": number(r["score"]),
                      "name": factor_name(r, report.questionnaire, language),
                      "n": None if pd.isna(r["n"]) else int(r["n"]), "q1": number(r.get("q1")),
                      "median": number(r.get("median")), "q3": number(r.get("q3")),
                      "band": None if pd.isna(r.get("band")) else int(r["band"]),
                      "factor": r["factor"], "measure": r["measure"]}
                     for r in rows.to_dict("records")],
            "scale": kind in ("factor", "area"),
        })
    return out


def breakdown_table(report, language: str) -> dict | None:
    b = report.breakdown
    if b is None:
        return None
    shown = b.groups.loc[~b.groups["suppressed"]]
    groups = [(g, group_label(b.dimension, g, report.questionnaire, language), int(n))
              for g, n in zip(shown["group"], shown["responses"])]
    hidden = [group_label(b.dimension, g, report.questionnaire, language)
              for g in b.groups.loc[b.groups["suppressed"], "group"]]
    metrics = sort_metrics(b.metrics.loc[b.metrics["kind"].isin(["factor", "area"])], report.data.items)
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
    """The campaign's free-text answers as the organisation may see them: email addresses
    removed as the exports remove them, with no date, and in an order that says nothing of
    when or by whom they were written (question by question, then alphabetical), so that
    neither the live responses-by-day table nor a person's answers to other questions can
    be matched to a comment."""
    text_items = [i.id for i in questionnaire.items if i.type == "text"]
    if not text_items:
        return []
    found = db.session.execute(
        db.select(SubmittedAnswer.item_id, SubmittedAnswer.value)
        .join(SubmittedResponse, SubmittedResponse.id == SubmittedAnswer.response_id)
        .where(SubmittedResponse.campaign_id == campaign.id, SubmittedAnswer.item_id.in_(text_items))
    ).all()
    order = {item_id: i for i, item_id in enumerate(text_items)}
    shown = sorted(((item_id, remove_email_addresses(value)) for item_id, value in found if value and value.strip()),
                   key=lambda c: (order[c[0]], c[1].casefold(), c[1]))
    return [{"question": questionnaire.item(item_id).text, "text": text} for item_id, text in shown]


def provisional(campaign) -> str | None:
    """Why the results are provisional: "open" (still coming in), "unreleased" (closed,
    waiting for the Improve team to release them), or None once released."""
    if campaign.status != "closed":
        return "open"
    return None if campaign.released else "unreleased"


@bp.route("/campaigns/<int:campaign_id>/results")
@signed_in
def results(campaign_id: int):
    campaign = visible_campaign(campaign_id)
    try:
        context = results_context(campaign, str(get_locale()), request.args)
    except ReportError:
        abort(404)
    return render_template(context["page_template"], **context)


def chosen_peers(campaign, value: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """The peer groups offered for the campaign (DESIGN.md definition 7) and the key of the
    one asked for ("all" when none is), or None when it is not one of them."""
    choices = peer_choices(campaign.code, [(g.id, g.name) for g in all_groups()])
    return choices, parse_choice(value, choices)


def results_context(campaign, language: str, args) -> dict:
    """What the results page shows, for the page, the PDF report (pdf.py) and `flask report`:
    `args` are the page's query arguments (`by`, `peers`). Raises ReportError for a bad `by`; call it
    in the locale of `language`, as its titles and chart descriptions are translated here.
    `page_template` and `pdf_template` say which templates show it: an organisation's own
    return (the DMA) has results of its own (maturity.py)."""
    choices, chosen = chosen_peers(campaign, args.get("peers"))
    if chosen is None:
        raise ReportError(f"Unknown peer group {args.get('peers')!r}: use one of "
                          f"{', '.join(key for key, _label in choices)}.")
    if is_maturity(campaign):
        return maturity_context(campaign, language, choices, chosen, provisional(campaign))
    by = args.get("by") or None
    report = campaign_report(campaign, by=by)
    minimum = current_app.config["MIN_PEER_GROUP"]
    # the benchmark counts released campaigns only; this organisation's own values, band
    # and change are counted from its campaigns whether released or not
    bench = with_organisation(benchmark_report(campaign.questionnaire, campaign.year, peers=peer_group(chosen),
                                               minimum=minimum), campaign.organisation_id)
    peers = headline_benchmarks(bench, campaign.organisation_id, campaign.id, language, minimum)
    bench_rows = pd.DataFrame()
    if not bench.organisations.empty or not bench.others.empty:
        everyone = pd.concat([f for f in (bench.organisations, bench.others) if not f.empty])
        mine = everyone.loc[everyone["organisation_id"] == campaign.organisation_id]
        bench_rows = mine[["metric", "q1", "median", "q3", "band"]]
    baselines = baselines_of(campaign.questionnaire)
    found = with_baselines(sections(report, bench_rows, language), baselines)
    for s in found:
        s["chart"] = section_chart(s, campaign.id, language)
    dimensions = [(d, dimension_label(d, report.questionnaire, language)) for d in dimensions_of(report.data)]
    # fewer responses than the threshold are a group too small to show (DESIGN.md 6), as
    # the start page promises: no scores and no comments until there are enough
    responses = len(report.data.respondents)
    too_few = responses < campaign.anonymity_threshold
    return dict(
        campaign=campaign, report=report, sections=found, by=by,
        dimensions=dimensions, breakdown=breakdown_table(report, language),
        group_charts=group_charts(report, by, language),
        comments=[] if too_few else comments(campaign, report.questionnaire), language=language,
        responses=responses, too_few=too_few,
        **trend_context(bench, campaign, report.questionnaire, language, baselines),
        organisations=0 if peers["too_small"] else peers["organisations"], peers=peers, peer_choices=choices,
        formats=DOWNLOAD_FORMATS, provisional=provisional(campaign),
        page_template="dashboard/results.html", pdf_template="dashboard/report/pdf.html",
    )


#: the tables of the export an organisation downloads: figures over groups of at least
#: the threshold, never a response's answers one by one (the long and wide tables list
#: them with the participant list's columns and the time of each, which the start page
#: promises the organisation never sees; the Improve team's exports keep them)
ORGANISATION_TABLES = ("scores", "benchmarks")


def organisation_download(found: Dataset, questionnaire, language: str) -> Dataset:
    """`found` as an organisation may have it: its scores and the benchmarks, and its
    comments as the results page shows them (email addresses removed, no date and no
    response, question by question in alphabetical order)."""
    wide = found.tables["wide"]
    items = [i for i in questionnaire.items if i.type == "text" and i.id in wide.columns]
    rows = sorted(((position, item.id, item.text.get(language), value)
                   for position, item in enumerate(items) for value in wide[item.id]
                   if isinstance(value, str) and value.strip()),
                  key=lambda r: (r[0], r[3].casefold(), r[3]))
    comments_table = pd.DataFrame([r[1:] for r in rows], columns=["question_id", "question", "comment"], dtype=object)
    tables = {name: found.tables[name] for name in ORGANISATION_TABLES}
    tables["comments"] = comments_table
    described = found.tables["dictionary"]
    described = described.loc[described["table"].isin(list(tables))]
    tables["dictionary"] = pd.concat([described, data_dictionary({"comments": comments_table}, None, {}, language)],
                                     ignore_index=True)
    return Dataset(found.basename, tables)


@bp.route("/campaigns/<int:campaign_id>/download.<file_format>")
@signed_in
def download(campaign_id: int, file_format: str):
    """The organisation's own data for the campaign's year, with its comments and name:
    everything for the Improve team, figures and comments for the organisation."""
    campaign = visible_campaign(campaign_id)
    if file_format not in DOWNLOAD_FORMATS:
        abort(404)
    language = str(get_locale())
    # the benchmarks over the peer group the results page shows, withheld where it is too small
    _choices, chosen = chosen_peers(campaign, request.args.get("peers"))
    if chosen is None:
        abort(404)
    with force_locale(language):
        found = dataset(campaign.questionnaire, campaign.year, campaign.organisation, language,
                        peers=peer_group(chosen), minimum=current_app.config["MIN_PEER_GROUP"])
    if found is None:
        abort(404)
    if current_user.role != "improve":
        if len(found.tables["wide"]) < campaign.anonymity_threshold:
            abort(404)  # as the page: no figures until there are enough responses
        with force_locale(language):
            found = organisation_download(found, campaign.questionnaire_version.parsed(), language)
    f = found.download(file_format)
    return Response(f.data, mimetype=f.media_type, headers={
        "Content-Disposition": f'attachment; filename="{f.filename}"', "Cache-Control": "no-store"})
