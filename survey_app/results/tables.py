"""The Improve team's datasets as DataFrames: long, wide, scores, benchmarks.

Respondents appear only under their response's pseudonymous `response_id`. Without an
organisation (`own_organisation=False`) there are no free-text answers and no names,
only organisation codes; with one, its comments and name are included. Email addresses
typed into comments are removed either way.
"""
from __future__ import annotations

import re

import pandas as pd
from flask_babel import gettext as _

import scoring

from .data import DEVICE_CLASS, ResultsData
from .report import BenchmarkReport, organisation_values

EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")
RESPONSE_COLUMNS = ["response_id", "organisation_code", "campaign_id", "questionnaire", "version", "year",
                    "language", "device_class", "source", "submitted_at"]
ITEM_COLUMNS = ["item_id", "question_id", "factor", "measure", "area", "reverse", "value", "score"]
SCORE_COLUMNS = ["organisation_code", "questionnaire", "year", "dimension", "group", "metric", "kind", "factor",
                 "measure", "area", "item_id", "score", "n", "participants", "suppressed", "q1", "median", "q3",
                 "band", "previous_year", "previous_score", "change"]
BENCHMARK_COLUMNS = ["questionnaire", "year", "metric", "kind", "factor", "measure", "area", "item_id",
                     "organisations", "q1", "median", "q3"]


def dim_column(dimension: str) -> str:
    return f"dim_{dimension}"


def export_values(data: ResultsData, with_text: bool) -> pd.DataFrame:
    """The answers as exported: multiple choices as "a;b", email addresses removed from
    free text, free text left out entirely unless `with_text`."""
    items = data.items[["questionnaire_version_id", "item_id", "type", "position"]]
    answers = data.answers.merge(items, on=["questionnaire_version_id", "item_id"], how="left")
    if not with_text:
        answers = answers.loc[answers["type"] != "text"]
    values = answers["value"].astype(object)
    multiple = (answers["type"] == "multiple_choice").to_numpy()
    if multiple.any():
        # stored as a JSON list of option values, which are [a-z0-9_]+: no quoting to undo
        values[multiple] = values[multiple].str.replace(r'[\[\]" ]', "", regex=True).str.replace(",", ";")
    text = (answers["type"] == "text").to_numpy()
    if text.any():
        values[text] = values[text].str.replace(EMAIL, _("[email address removed]"), regex=True)
    return answers.assign(value=values)


def _responses(data: ResultsData) -> pd.DataFrame:
    campaigns = data.campaigns.set_index("campaign_id")
    r = data.respondents.rename(columns={"public_id": "_public_id"})
    out = pd.DataFrame({"_response": r["response_id"], "response_id": r["_public_id"]})
    out["organisation_code"] = r["organisation_code"]
    out["campaign_id"] = r["campaign_id"]
    out["questionnaire"] = r["campaign_id"].map(campaigns["questionnaire"])
    out["version"] = r["campaign_id"].map(campaigns["version"])
    for column in ("year", "language", "device_class", "source", "submitted_at"):
        out[column] = r[column]
    for dimension in data.dimensions:
        out[dim_column(dimension)] = r[dimension]
    return out


def long_table(data: ResultsData, with_text: bool) -> pd.DataFrame:
    """One row per response and answered item."""
    answers = export_values(data, with_text)
    scored = data.scored[["response_id", "item_id", "factor", "measure", "area", "reverse", "score"]]
    answers = answers.merge(scored, on=["response_id", "item_id"], how="left")
    meta = data.items[["questionnaire_version_id", "item_id", "question_id"]]
    answers = answers.merge(meta, on=["questionnaire_version_id", "item_id"], how="left")
    responses = _responses(data)
    answers = answers.drop(columns=["campaign_id"]).rename(columns={"response_id": "_response"})
    out = responses.merge(answers, on="_response")
    out = out.sort_values(["campaign_id", "submitted_at", "_response", "position"], kind="stable")
    dims = [dim_column(d) for d in data.dimensions]
    return out[RESPONSE_COLUMNS + dims + ITEM_COLUMNS].reset_index(drop=True)


def wide_columns(data: ResultsData, with_text: bool) -> tuple[list[str], list[str]]:
    """(dimension columns, item columns) of the wide table: dimensions that come from the
    participant list (questions are item columns already), then every item in the order
    of the newest questionnaire version."""
    dims = [dim_column(d) for d in data.dimensions if data.dimension_sources.get(d) == "participant list"]
    items = data.items.sort_values(["questionnaire_version_id", "position"], ascending=[False, True])
    if not with_text:
        items = items.loc[items["type"] != "text"]
    return dims, list(dict.fromkeys(items["item_id"]))


def wide_table(data: ResultsData, with_text: bool) -> pd.DataFrame:
    """One row per response: its details and its raw answer to every item (the format
    `flask responses import` reads)."""
    dims, item_columns = wide_columns(data, with_text)
    answers = export_values(data, with_text)
    grid = answers.pivot(index="response_id", columns="item_id", values="value")
    responses = _responses(data)
    grid = grid.reindex(columns=item_columns).astype(object)
    grid.columns.name = None
    out = responses[["_response", *RESPONSE_COLUMNS, *dims]].join(grid, on="_response")
    out = out.sort_values(["campaign_id", "submitted_at", "_response"], kind="stable")
    return out.drop(columns=["_response"]).reset_index(drop=True)


def scores_table(data: ResultsData, bench: BenchmarkReport, organisation_name: str | None = None) -> pd.DataFrame:
    """Each organisation's scores: overall (with benchmark, band and last year's value)
    and broken down by every dimension and the device class, suppressed."""
    questionnaire = data.campaigns["questionnaire"].iloc[0]
    mine = set(data.campaigns["organisation_id"])
    overall = bench.organisations.loc[bench.organisations["organisation_id"].isin(mine)]
    if overall.empty:  # no benchmark rows (e.g. nothing submitted yet): plain values
        overall = organisation_values(data)
    parts = [overall.assign(dimension=None, group=None, suppressed=False)]
    respondents = data.respondents
    thresholds = data.campaigns.groupby("organisation_id")["anonymity_threshold"].max()
    for k, orgs in thresholds.groupby(thresholds):
        subset = respondents.loc[respondents["organisation_id"].isin(orgs.index)]
        scored = data.scored.loc[data.scored["organisation_id"].isin(orgs.index)]
        for dimension in [*data.dimensions, DEVICE_CLASS]:
            b = scoring.breakdown(scored, subset, dimension, int(k), by=["organisation_id"])
            groups = b.groups.assign(metric="responses", kind="responses", n=b.groups["responses"])
            parts.append(groups.drop(columns=["responses"]).assign(dimension=dimension))
            parts.append(b.metrics.assign(dimension=dimension))
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    codes = data.campaigns.drop_duplicates("organisation_id").set_index("organisation_id")["organisation_code"]
    out["organisation_code"] = out["organisation_id"].map(codes)
    out["questionnaire"] = questionnaire
    out["year"] = bench.year if bench is not None else data.campaigns["year"].iloc[0]
    for column in SCORE_COLUMNS:
        if column not in out:
            out[column] = None
    for column in ("n", "participants", "band", "previous_year"):
        out[column] = out[column].astype("Int64")
    out["suppressed"] = out["suppressed"].astype(bool)
    columns = list(SCORE_COLUMNS)
    if organisation_name is not None:
        out.insert(0, "organisation_name", organisation_name)
        columns.insert(0, "organisation_name")
    return out[columns]


def benchmarks_table(bench: BenchmarkReport) -> pd.DataFrame:
    out = bench.benchmarks.assign(questionnaire=bench.questionnaire_id)
    out["organisations"] = out["organisations"].astype("Int64")
    return out[BENCHMARK_COLUMNS].reset_index(drop=True)
