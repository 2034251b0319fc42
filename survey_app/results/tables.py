"""The Improve team's datasets as DataFrames: long, wide, scores, benchmarks.

Respondents appear only under their response's pseudonymous `response_id`. Without an
organisation (`own_organisation=False`) there are no free-text answers and no names,
only organisation codes; with one, its comments and name are included. Email addresses
typed into comments are removed either way.
"""
from __future__ import annotations

import re

import numpy as np
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


def _item_rows(data: ResultsData) -> np.ndarray:
    """Each answer's row in `data.items` (-1 for an item its questionnaire version lacks)."""
    on = ["questionnaire_version_id", "item_id"]
    return pd.MultiIndex.from_frame(data.items[on]).get_indexer(pd.MultiIndex.from_frame(data.answers[on]))


def _item_types(data: ResultsData, rows: np.ndarray) -> np.ndarray:
    """Each answer's item type (None for an unknown item)."""
    return np.append(data.items["type"].to_numpy(dtype=object), None)[rows]


def export_values(data: ResultsData, with_text: bool) -> tuple[np.ndarray, np.ndarray]:
    """(which answers are exported, their values as exported): multiple choices as "a;b",
    email addresses removed from free text, free text left out entirely unless
    `with_text`. Both are aligned with `data.answers`."""
    types = _item_types(data, _item_rows(data))
    keep = np.ones(len(types), dtype=bool) if with_text else types != "text"
    values = data.answers["value"].to_numpy(dtype=object).copy()
    multiple = types == "multiple_choice"
    if multiple.any():
        # stored as a JSON list of option values, which are [a-z0-9_]+: no quoting to undo
        values[multiple] = (pd.Series(values[multiple], dtype=object).str.replace(r'[\[\]" ]', "", regex=True)
                            .str.replace(",", ";").to_numpy(dtype=object))
    text = (types == "text") & keep
    if text.any():
        values[text] = (pd.Series(values[text], dtype=object)
                        .str.replace(EMAIL, _("[email address removed]"), regex=True).to_numpy(dtype=object))
    return keep, values


def _categories(values) -> pd.Categorical:
    """Text as categories: a long table repeats a few thousand texts millions of times."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(np.asarray(distinct, dtype=object), dtype=object))


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def _responses(data: ResultsData) -> pd.DataFrame:
    """One row per response: the columns every table starts with, in export order
    (campaign, submission time, response)."""
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
    return out.sort_values(["campaign_id", "submitted_at", "_response"], kind="stable").reset_index(drop=True)


def long_table(data: ResultsData, with_text: bool) -> pd.DataFrame:
    """One row per response and answered item, in the order of the responses and then
    of the questionnaire. Built by position (each answer's response and item looked up
    once), text columns as categories."""
    keep, values = export_values(data, with_text)
    responses = _responses(data)
    which = pd.Index(responses["_response"]).get_indexer(data.answers["response_id"])
    rows = _item_rows(data)
    chosen = np.flatnonzero(keep & (which >= 0))
    which, rows = which[chosen], rows[chosen]
    # responses are in export order already; within one, the questionnaire's order
    positions = np.append(data.items["position"].to_numpy(dtype=float), np.nan)[rows]
    last = np.nanmax(positions, initial=0) + 1
    order = np.argsort(which * (last + 1) + np.where(np.isnan(positions), last, positions), kind="stable")
    which, rows, chosen = which[order], rows[order], chosen[order]

    out = {}
    dims = [dim_column(d) for d in data.dimensions]
    for column in RESPONSE_COLUMNS + dims:
        series = responses[column]
        if _is_text(series):
            per_response = _categories(series)
            out[column] = pd.Categorical.from_codes(per_response.codes[which], dtype=per_response.dtype)
        else:
            out[column] = series.array.take(which)
    out["item_id"] = _categories(data.answers["item_id"].to_numpy(dtype=object)[chosen])
    question = _categories(data.items["question_id"])
    out["question_id"] = pd.Categorical.from_codes(np.append(question.codes, -1)[rows], dtype=question.dtype)
    scored = data.scored
    for column in ("factor", "measure", "area", "reverse", "score"):
        out[column] = scored[column].array.take(chosen)
    out["value"] = _categories(values[chosen])
    return pd.DataFrame(out, columns=RESPONSE_COLUMNS + dims + ITEM_COLUMNS)


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
    keep, values = export_values(data, with_text)
    responses = _responses(data)
    which = pd.Index(responses["_response"]).get_indexer(data.answers["response_id"])
    column = pd.Index(item_columns).get_indexer(data.answers["item_id"])
    placed = keep & (which >= 0) & (column >= 0)
    grid = np.full((len(responses), len(item_columns)), None, dtype=object)
    grid[which[placed], column[placed]] = values[placed]
    out = responses[[*RESPONSE_COLUMNS, *dims]].copy()
    return pd.concat([out, pd.DataFrame(grid, columns=item_columns)], axis=1)


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
