"""The datasets of a questionnaire answered by one return per organisation (the Digital
Maturity Assessment), for `flask export`, the console's exports and downloads.

- long: a row per return and statement (every statement, unanswered ones with an empty
  value), with its function, layer and value, and the note in an organisation's own export;
- wide: a row per return, a column per statement;
- scores: each organisation's level and commitment per function and overall, with the
  benchmark, its band and its previous year;
- benchmarks: the median and quartiles of every metric, this year and earlier ones;
- dictionary: every statement with its function, layer and text in English and Welsh;
- columns: every column of the other tables, described.

Only submitted returns are exported; across organisations only released ones, by code.
Who contributed or changed an answer is never exported. Notes are free text, so like the
staff questionnaires' comments they only go to their own organisation, and without
email addresses.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from flask_babel import lazy_gettext as _l

from scoring.peers import PeerGroup
from scoring.years import year_label

from ..models import Organisation
from .dictionary import data_dictionary
from .maturity import MaturityData, maturity_benchmark, questionnaire_maturity, statements_of, with_own_return
from .report import BenchmarkReport
from .tables import remove_email_addresses

RETURN_COLUMNS = ["organisation_code", "campaign_id", "questionnaire", "version", "year", "submitted_at", "source"]
LONG_COLUMNS = [*RETURN_COLUMNS, "statement_id", "function", "layer", "value"]
SCORE_COLUMNS = ["organisation_code", "questionnaire", "year", "metric", "function", "measure", "score", "yes",
                 "statements", "q1", "median", "q3", "band", "previous_year", "previous_score", "change"]
BENCHMARK_COLUMNS = ["questionnaire", "year", "metric", "function", "measure", "organisations", "q1", "median", "q3",
                     "peer_group"]
DICTIONARY_COLUMNS = ["statement_id", "function", "function_label", "layer", "layer_label", "text_en", "text_cy"]
#: the columns whose meaning differs from the staff questionnaires' (dictionary.COLUMNS)
COLUMNS = {
    "campaign_id": _l("Id of the campaign: one organisation's return to one questionnaire version."),
    "submitted_at": _l("When the lead submitted the return, in UTC (ISO 8601)."),
    "source": _l("How the return was made: web (through the contributors' links), or import."),
    "statement_id": _l("Id of the statement (e.g. VL1.1: the function's prefix, the layer, a number)."),
    "function": _l("Id of the function the statement or metric belongs to; overall for the organisation as a "
                   "whole."),
    "function_label": _l("Name of the function, in the language of the export."),
    "layer": _l("Layer of maturity of the statement, from 1 (the foundations) to 5."),
    "layer_label": _l("Name of the layer, in the language of the export."),
    "text_en": _l("The statement in English."),
    "text_cy": _l("The statement in Welsh."),
    "value": _l("The answer: yes or no; empty where the statement was not answered."),
    "note": _l("The organisation's note or evidence for the answer, email addresses removed (only in an export "
               "for that organisation)."),
    "metric": _l("Id of the metric: FUNCTION.level or FUNCTION.commitment, or overall.level and "
                 "overall.commitment for the organisation as a whole."),
    "measure": _l("level or commitment."),
    "score": _l("The level (a function's: the highest layer whose statements, and those of every layer below, are "
                "all Yes, 0 to 5; overall: the median of the functions' levels) or the commitment (the share of "
                "statements answered Yes, 0 to 1)."),
    "yes": _l("Statements answered Yes."),
    "statements": _l("Statements of the function (overall: of every function)."),
}


def maturity_tables(questionnaire_id: str, year: int, organisation: Organisation | None, language: str,
                    peers: PeerGroup | None = None,
                    minimum: int | None = None) -> tuple[BenchmarkReport, dict[str, pd.DataFrame]] | None:
    """(the benchmark, the tables in the current locale), or None when there is no
    submitted return to export: across organisations, released returns of the peer
    group's organisations; for one organisation, its own, provisional ones too."""
    own = organisation is not None
    data = questionnaire_maturity(questionnaire_id, [year], organisation.id if own else None, released_only=not own)
    if data.empty:
        return None
    bench = maturity_benchmark(questionnaire_id, year, peers=peers, minimum=minimum)
    if own:
        bench = with_own_return(bench, organisation.id)
    elif peers is not None:
        members = set(bench.organisations["organisation_id"])
        campaigns = data.campaigns.loc[data.campaigns["organisation_id"].isin(members)]
        data = replace(data, campaigns=campaigns,
                       answers=data.answers.loc[data.answers["campaign_id"].isin(campaigns["campaign_id"])])
        if data.empty:
            return None
    tables = {
        "long": long_table(data, with_notes=own),
        "wide": wide_table(data),
        "scores": scores_table(data, bench, organisation.name_in(language) if own else None),
        "benchmarks": benchmarks_table(bench),
        "dictionary": statements_table(data, language),
    }
    tables["columns"] = columns_table(tables, data, language)
    return bench, tables


def _returns(data: MaturityData) -> pd.DataFrame:
    c = data.campaigns
    out = c[["organisation_code", "campaign_id", "questionnaire", "version"]].copy()
    out["year"] = [year_label(int(y), k) for y, k in zip(c["year"], c["year_kind"])]
    out["submitted_at"] = c["submitted_at"]
    out["source"] = c["source"]
    return out.reset_index(drop=True)


def long_table(data: MaturityData, with_notes: bool) -> pd.DataFrame:
    """A row per return and statement of its questionnaire version, in the
    questionnaire's order."""
    parts = []
    returns = _returns(data)
    for version_id, campaigns in returns.merge(data.campaigns[["campaign_id", "questionnaire_version_id"]],
                                               on="campaign_id").groupby("questionnaire_version_id", sort=False):
        statements = statements_of(data.questionnaires[int(version_id)])
        parts.append(campaigns.drop(columns="questionnaire_version_id").merge(statements, how="cross"))
    columns = LONG_COLUMNS + (["note"] if with_notes else [])
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(returns["campaign_id"])}
    out = out.assign(_order=out["campaign_id"].map(order)).sort_values("_order", kind="stable")
    out = out.merge(data.answers, on=["campaign_id", "statement_id"], how="left")
    out["value"] = out["value"].astype(object).where(out["value"].notna(), None)
    out["layer"] = out["layer"].astype(np.int64)
    if with_notes:
        out["note"] = [None if n is None or n != n else remove_email_addresses(n) for n in out["note"]]
    return out[columns].reset_index(drop=True)


def wide_table(data: MaturityData) -> pd.DataFrame:
    """A row per return, then its answer to every statement of the newest questionnaire
    version (a statement an older version did not have is empty)."""
    returns = _returns(data)
    statements = list(statements_of(data.newest)["statement_id"]) if data.newest else []
    answers = data.answers.loc[data.answers["statement_id"].isin(statements)]
    grid = answers.pivot(index="campaign_id", columns="statement_id", values="value")
    grid = grid.reindex(index=returns["campaign_id"], columns=statements)
    values = grid.to_numpy(dtype=object)
    values = np.where(pd.isna(values), None, values)
    return pd.concat([returns, pd.DataFrame(values, columns=statements, dtype=object)], axis=1)


def _year_labels(years: pd.Series, bench: BenchmarkReport) -> pd.Series:
    labels = years.map({y: bench.label(y) for y in years.dropna().unique()}).astype(object)
    return labels.where(labels.notna(), None)


def benchmarks_table(bench: BenchmarkReport) -> pd.DataFrame:
    """The median and quartiles of every metric, this year and earlier ones."""
    out = bench.benchmarks.assign(questionnaire=bench.questionnaire_id)
    out["year"] = _year_labels(out["year"], bench)
    out["organisations"] = out["organisations"].astype("Int64")
    peers = bench.peers
    out["peer_group"] = "all" if peers is None else (f"group:{peers.name}" if peers.kind == "group" else peers.key)
    return out[BENCHMARK_COLUMNS].reset_index(drop=True)


def scores_table(data: MaturityData, bench: BenchmarkReport, organisation_name: str | None = None) -> pd.DataFrame:
    """Each exported organisation's level and commitment per function and overall, with
    the benchmark, its band and its latest earlier year."""
    mine = set(data.campaigns["organisation_id"])
    # an organisation outside the peer group is banded against it all the same (`others`)
    everyone = pd.concat([f for f in (bench.organisations, bench.others) if f is not None and not f.empty]
                         or [bench.organisations], ignore_index=True)
    out = everyone.loc[everyone["organisation_id"].isin(mine)].copy()
    out["questionnaire"] = bench.questionnaire_id
    for column in ("year", "previous_year"):
        out[column] = _year_labels(out[column], bench)
    for column in ("yes", "statements", "band"):
        out[column] = out[column].astype("Int64")
    columns = list(SCORE_COLUMNS)
    if organisation_name is not None:
        out.insert(0, "organisation_name", organisation_name)
        columns.insert(0, "organisation_name")
    return out[columns].reset_index(drop=True)


def statements_table(data: MaturityData, language: str) -> pd.DataFrame:
    """Every statement of the newest questionnaire version: its function and layer with
    their names, and its text in English and Welsh."""
    q = data.newest
    rows = []
    for item in q.statements:
        function, layer = q.function(item.function), q.layer(item.layer)
        rows.append({"statement_id": item.id, "function": item.function,
                     "function_label": function.label.get(language) if function else None,
                     "layer": int(item.layer), "layer_label": layer.label.get(language) if layer else None,
                     "text_en": item.text.en, "text_cy": item.text.cy})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def columns_table(tables: dict[str, pd.DataFrame], data: MaturityData, language: str) -> pd.DataFrame:
    """[table, column, type, description, values] for every column of `tables`."""
    out = data_dictionary(tables, data.newest, {}, language)
    ours = out["column"].isin(list(COLUMNS))
    out.loc[ours, "description"] = [str(COLUMNS[c]) for c in out.loc[ours, "column"]]
    out.loc[out["column"] == "value", "values"] = "yes; no"
    out.loc[out["column"] == "layer", "type"] = "integer"
    return out
