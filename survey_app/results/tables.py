"""The Improve team's datasets as DataFrames: long, wide, scores, benchmarks.

Respondents appear only under their response's pseudonymous `response_id`. Without an
organisation (`own_organisation=False`) there are no free-text answers and no names,
only organisation codes; with one, its comments and name are included. Email addresses
typed into comments are removed either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from flask_babel import gettext as _

import scoring
from scoring.years import year_label

from .data import DEVICE_CLASS, ResultsData
from .report import BenchmarkReport, organisation_values
from .text import is_text

EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")
RESPONSE_COLUMNS = ["response_id", "organisation_code", "campaign_id", "questionnaire", "version", "year",
                    "language", "device_class", "source", "submitted_on"]
ITEM_COLUMNS = ["item_id", "question_id", "factor", "measure", "area", "reverse", "value", "score"]
SCORE_COLUMNS = ["organisation_code", "questionnaire", "year", "dimension", "group", "metric", "kind", "factor",
                 "measure", "area", "item_id", "score", "n", "participants", "suppressed", "q1", "median", "q3",
                 "band", "previous_year", "previous_score", "change"]
BENCHMARK_COLUMNS = ["questionnaire", "year", "metric", "kind", "factor", "measure", "area", "item_id",
                     "organisations", "q1", "median", "q3", "peer_group"]


def dim_column(dimension: str) -> str:
    return f"dim_{dimension}"


def _factorized(values) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, -1 when missing; the distinct values as an object array)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    return codes, np.asarray(distinct, dtype=object)


def remove_email_addresses(text: str) -> str:
    """Free text with every email address replaced by "[email address removed]": as the
    exports write comments, and as the results page shows them."""
    return EMAIL.sub(_("[email address removed]"), text)


def _export_text(value: str, item_type) -> str:
    """An answer as exported: multiple choices as "a;b", email addresses removed from free text."""
    if item_type == "multiple_choice":
        # stored as a JSON list of option values, which are [a-z0-9_]+: no quoting to undo
        return re.sub(r'[\[\]" ]', "", value).replace(",", ";")
    if item_type == "text":
        return remove_email_addresses(value)
    return value


@dataclass
class ExportedAnswers:
    """What the long and the wide table need of every answer, worked out once, each
    distinct value once: a long table repeats the same few thousand texts millions of
    times. The arrays are aligned with `data.answers`."""

    #: the answers exported: all, or all but free text
    keep: np.ndarray
    #: each answer's value as exported (a code into `texts`)
    value: np.ndarray
    texts: np.ndarray
    #: each answer's item (a code into `item_ids`) and its row in `data.items` (-1: unknown)
    item: np.ndarray
    item_ids: np.ndarray
    item_row: np.ndarray
    #: the responses in export order, and each answer's position among them (-1: none)
    responses: pd.DataFrame
    response: np.ndarray
    #: free text included (one organisation's own export)
    with_text: bool


def export_answers(data: ResultsData, with_text: bool) -> ExportedAnswers:
    """What the long and wide tables need of `data.answers`, free text only `with_text`."""
    answers = data.answers
    item, item_ids = _factorized(answers["item_id"])
    version, versions = pd.factorize(answers["questionnaire_version_id"].to_numpy(dtype=np.int64))
    # the row in data.items of each distinct (version, item) pair, then of each answer
    width = max(len(item_ids), 1)
    pair, pairs = pd.factorize(version.astype(np.int64) * width + item)
    known = pd.MultiIndex.from_frame(data.items[["questionnaire_version_id", "item_id"]])
    item_row = known.get_indexer(pd.MultiIndex.from_arrays([versions[pairs // width], item_ids[pairs % width]]))[pair]
    types = np.append(data.items["type"].to_numpy(dtype=object), None)[item_row]
    keep = np.ones(len(answers), dtype=bool) if with_text else types != "text"
    # each distinct (value, item type) once; an unknown item has no type
    raw, raw_texts = _factorized(answers["value"])
    kind, kinds = _factorized(types)
    kinds = np.append(kinds, None)
    kind = np.where(kind < 0, len(kinds) - 1, kind)
    combined, distinct = pd.factorize(raw.astype(np.int64) * len(kinds) + kind)
    done = [_export_text(raw_texts[c // len(kinds)], kinds[c % len(kinds)]) for c in distinct]
    value, texts = _factorized(np.asarray(done, dtype=object))
    responses = _responses(data)
    response = pd.Index(responses["_response"]).get_indexer(answers["response_id"])
    return ExportedAnswers(keep=keep, value=value[combined], texts=texts, item=item, item_ids=item_ids,
                           item_row=item_row, responses=responses, response=response, with_text=with_text)


def _categories(values) -> pd.Categorical:
    """Text as categories: a long table repeats a few thousand texts millions of times."""
    codes, distinct = _factorized(values)
    return pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype=object))


def _responses(data: ResultsData) -> pd.DataFrame:
    """One row per response: the columns every table starts with, in export order
    (campaign, submission day, response: random within a day)."""
    campaigns = data.campaigns.set_index("campaign_id")
    r = data.respondents.rename(columns={"public_id": "_public_id"})
    out = pd.DataFrame({"_response": r["response_id"], "response_id": r["_public_id"]})
    out["organisation_code"] = r["organisation_code"]
    out["campaign_id"] = r["campaign_id"]
    out["questionnaire"] = r["campaign_id"].map(campaigns["questionnaire"])
    out["version"] = r["campaign_id"].map(campaigns["version"])
    labels = [year_label(int(y), k) for y, k in zip(campaigns["year"], campaigns["year_kind"])]
    out["year"] = r["campaign_id"].map(pd.Series(labels, index=campaigns.index, dtype=object))
    for column in ("language", "device_class", "source", "submitted_on"):
        out[column] = r[column]
    for dimension in data.dimensions:
        out[dim_column(dimension)] = r[dimension]
    return out.sort_values(["campaign_id", "submitted_on", "_response"], kind="stable").reset_index(drop=True)


def long_table(data: ResultsData, answers: ExportedAnswers) -> pd.DataFrame:
    """One row per response and answered item, in the order of the responses and then
    of the questionnaire. Built by position, text columns as categories."""
    chosen = np.flatnonzero(answers.keep & (answers.response >= 0))
    which, rows = answers.response[chosen], answers.item_row[chosen]
    # responses are in export order already; within one, the questionnaire's order
    positions = np.append(data.items["position"].to_numpy(dtype=float), np.nan)[rows]
    last = np.nanmax(positions, initial=0) + 1
    order = np.argsort(which * (last + 1) + np.where(np.isnan(positions), last, positions), kind="stable")
    which, rows, chosen = which[order], rows[order], chosen[order]

    out = {}
    dims = [dim_column(d) for d in data.dimensions]
    for column in RESPONSE_COLUMNS + dims:
        series = answers.responses[column]
        if is_text(series):
            per_response = _categories(series)
            out[column] = pd.Categorical.from_codes(per_response.codes[which], dtype=per_response.dtype)
        else:
            out[column] = series.array.take(which)
    out["item_id"] = _used_categories(answers.item[chosen], answers.item_ids)
    question = _categories(data.items["question_id"])
    out["question_id"] = pd.Categorical.from_codes(np.append(question.codes, -1)[rows], dtype=question.dtype)
    scored = data.scored
    for column in ("factor", "measure", "area", "reverse", "score"):
        out[column] = scored[column].array.take(chosen)
    out["value"] = _used_categories(answers.value[chosen], answers.texts)
    return pd.DataFrame(out, columns=RESPONSE_COLUMNS + dims + ITEM_COLUMNS)


def _used_categories(codes: np.ndarray, texts: np.ndarray) -> pd.Categorical:
    """Codes into `texts` as categories of the texts they use, in order of first use."""
    used, first = pd.factorize(codes)
    return pd.Categorical.from_codes(used, categories=pd.Index(texts[first], dtype=object))


def wide_columns(data: ResultsData, with_text: bool) -> tuple[list[str], list[str]]:
    """(dimension columns, item columns) of the wide table: dimensions that come from the
    participant list (questions are item columns already), then every item in the order
    of the newest questionnaire version."""
    dims = [dim_column(d) for d in data.dimensions if data.dimension_sources.get(d) == "participant list"]
    items = data.items.sort_values(["questionnaire_version_id", "position"], ascending=[False, True])
    if not with_text:
        items = items.loc[items["type"] != "text"]
    return dims, list(dict.fromkeys(items["item_id"]))


def wide_table(data: ResultsData, answers: ExportedAnswers) -> pd.DataFrame:
    """One row per response: its details and its raw answer to every item (the format
    `flask responses import` reads)."""
    dims, item_columns = wide_columns(data, answers.with_text)
    column = np.append(pd.Index(item_columns).get_indexer(answers.item_ids), -1)[answers.item]
    placed = answers.keep & (answers.response >= 0) & (column >= 0)
    grid = np.full((len(answers.responses), len(item_columns)), None, dtype=object)
    grid[answers.response[placed], column[placed]] = answers.texts[answers.value[placed]]
    out = answers.responses[[*RESPONSE_COLUMNS, *dims]].copy()
    return pd.concat([out, pd.DataFrame(grid, columns=item_columns, dtype=object)], axis=1)


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
    out["year"] = bench.label()
    for column in SCORE_COLUMNS:
        if column not in out:
            out[column] = None
    out["previous_year"] = _year_labels(out["previous_year"], bench)
    for column in ("n", "participants", "band"):
        out[column] = out[column].astype("Int64")
    out["suppressed"] = out["suppressed"].astype(bool)
    columns = list(SCORE_COLUMNS)
    if organisation_name is not None:
        out.insert(0, "organisation_name", organisation_name)
        columns.insert(0, "organisation_name")
    return out[columns]


def _year_labels(years: pd.Series, bench: BenchmarkReport) -> pd.Series:
    """Data years as people write them (2026/27), missing ones left missing; each
    distinct year written once (a scores table has a row per group and metric)."""
    labels = years.map({y: bench.label(y) for y in years.dropna().unique()}).astype(object)
    return labels.where(labels.notna(), None)


def benchmarks_table(bench: BenchmarkReport) -> pd.DataFrame:
    out = bench.benchmarks.assign(questionnaire=bench.questionnaire_id)
    out["year"] = _year_labels(out["year"], bench)
    out["organisations"] = out["organisations"].astype("Int64")
    peers = bench.peers
    out["peer_group"] = "all" if peers is None else (f"group:{peers.name}" if peers.kind == "group" else peers.key)
    return out[BENCHMARK_COLUMNS].reset_index(drop=True)
