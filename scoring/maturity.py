"""Definition 9: the Digital Maturity Assessment's levels, commitment, grid and gaps.

Every statement is Yes or No and belongs to one function and one layer (1-5); the
questionnaire file says which (questionnaires/dma.yaml), so nothing here names them.

- A function's **level** is the highest layer L such that every statement of layers
  1..L is Yes: 0 when layer 1 has a No or an unanswered statement. A Yes above the first
  incomplete layer raises the commitment, never the level.
- Its **commitment** is Yes answers / statements, an unanswered statement counting as
  not Yes.
- The organisation's level is the median of its functions' levels (a half where the
  number of functions is even), its commitment the share of Yes over all statements.
- The **gaps** are the statements No or unanswered in the layer just above a function's
  level: what to do next. A function at the top layer has none.
- The **grid** says of each function and layer whether it is complete (every statement
  Yes), not started (no Yes) or partly done.

Callers pass plain frames: the statements (`statement_frame`) and the answers, one row
per stored answer with columns campaign_id, statement_id and value ("yes", "no" or
missing); a campaign is one organisation's return. A statement with no row is
unanswered. Answers to statements that are not in the statements frame (a statement
since removed) are left out.

`maturity_values` and `benchmark_maturity` turn the scores into one value per
organisation, year and metric and benchmark them over a peer group with definition 5's
median and quartiles (scoring.benchmark).
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .benchmark import benchmark
from .peers import PeerGroup, selects, withhold_small

STATEMENT_COLUMNS = ["statement_id", "function", "layer"]
FUNCTION_COLUMNS = ["campaign_id", "function", "level", "commitment", "yes", "statements"]
OVERALL_COLUMNS = ["campaign_id", "level", "commitment", "yes", "statements"]
GRID_COLUMNS = ["campaign_id", "function", "layer", "yes", "statements", "state"]
GAP_COLUMNS = ["campaign_id", "function", "layer", "statement_id", "value"]
VALUE_COLUMNS = ["campaign_id", "metric", "function", "measure", "score", "yes", "statements"]
STATES = ("complete", "partial", "not_started")
#: the metric of the organisation as a whole, beside its functions' ids
OVERALL = "overall"
MEASURES = ("level", "commitment")


def statement_frame(statements: Iterable[tuple[str, str, int]]) -> pd.DataFrame:
    """[statement_id, function, layer] from (statement id, function id, layer) triples, in
    the order given (the questionnaire's), which is the order of every result."""
    frame = pd.DataFrame(list(statements), columns=STATEMENT_COLUMNS)
    if frame["statement_id"].duplicated().any():
        twice = frame.loc[frame["statement_id"].duplicated(), "statement_id"].iloc[0]
        raise ValueError(f"statement {twice!r} is given more than once")
    frame["statement_id"] = frame["statement_id"].astype(object)
    frame["function"] = frame["function"].astype(object)
    frame["layer"] = frame["layer"].astype(np.int64)
    return frame


def _cells(answers: pd.DataFrame, statements: pd.DataFrame, campaigns: Iterable | None = None) -> pd.DataFrame:
    """Every campaign x statement, with its value (missing when unanswered), whether it is
    Yes, and the positions that keep the questionnaire's order."""
    if answers[["campaign_id", "statement_id"]].duplicated().any():
        raise ValueError("more than one answer to a statement in a campaign")
    ids = list(dict.fromkeys([*(campaigns if campaigns is not None else []), *answers["campaign_id"].tolist()]))
    known = statements.assign(statement_position=np.arange(len(statements)))
    order = {f: i for i, f in enumerate(dict.fromkeys(statements["function"]))}
    known["function_position"] = known["function"].map(order)
    grid = pd.DataFrame({"campaign_id": pd.Series(ids, dtype=answers["campaign_id"].dtype
                                                  if len(answers) else object)}).merge(known, how="cross")
    extra = [c for c in answers.columns if c not in ("campaign_id", "statement_id")]
    grid = grid.merge(answers[["campaign_id", "statement_id", *extra]], on=["campaign_id", "statement_id"],
                      how="left")
    if "value" not in grid:
        grid["value"] = None
    grid["value"] = grid["value"].astype(object).where(grid["value"].notna(), None)
    grid["is_yes"] = (grid["value"] == "yes").astype(np.int64)
    return grid


def layer_grid(answers: pd.DataFrame, statements: pd.DataFrame, campaigns: Iterable | None = None) -> pd.DataFrame:
    """[campaign_id, function, layer, yes, statements, state] for every function and layer
    of every campaign: complete (every statement Yes), not_started (no Yes) or partial.
    `campaigns` adds campaigns with no answer at all (everything not started)."""
    return _grid(_cells(answers, statements, campaigns)).drop(columns="function_position")


def _grid(cells: pd.DataFrame) -> pd.DataFrame:
    keys = ["campaign_id", "function_position", "function", "layer"]
    grid = cells.groupby(keys, sort=False).agg(yes=("is_yes", "sum"), statements=("is_yes", "size")).reset_index()
    grid = grid.sort_values(["campaign_id", "function_position", "layer"], kind="stable")
    grid["state"] = np.select([grid["yes"] == grid["statements"], grid["yes"] == 0],
                              ["complete", "not_started"], default="partial")
    grid["yes"] = grid["yes"].astype(np.int64)
    grid["statements"] = grid["statements"].astype(np.int64)
    return grid[GRID_COLUMNS + ["function_position"]].reset_index(drop=True)


def _function_scores(grid: pd.DataFrame, top: int) -> pd.DataFrame:
    """Levels from the grid: the layer below the lowest incomplete one, or the top layer
    when none is incomplete (a layer a function has no statement in cannot stop it)."""
    keys = ["campaign_id", "function_position", "function"]
    incomplete = grid["layer"].where(grid["state"] != "complete")
    scores = grid.assign(incomplete=incomplete).groupby(keys, sort=False).agg(
        first_incomplete=("incomplete", "min"), yes=("yes", "sum"), statements=("statements", "sum")).reset_index()
    scores["level"] = (scores["first_incomplete"] - 1).fillna(top).astype(np.int64)
    scores["commitment"] = scores["yes"] / scores["statements"]
    return scores[FUNCTION_COLUMNS + ["function_position"]]


def function_scores(answers: pd.DataFrame, statements: pd.DataFrame,
                    campaigns: Iterable | None = None) -> pd.DataFrame:
    """[campaign_id, function, level, commitment, yes, statements]: one row per campaign
    and function, functions in the questionnaire's order. Level is a whole number 0-5,
    commitment a fraction 0-1. `campaigns` adds campaigns with no answer at all."""
    grid = _grid(_cells(answers, statements, campaigns))
    return _function_scores(grid, _top(statements)).drop(columns="function_position").reset_index(drop=True)


def _top(statements: pd.DataFrame) -> int:
    return int(statements["layer"].max()) if len(statements) else 0


def overall_scores(answers: pd.DataFrame, statements: pd.DataFrame,
                   campaigns: Iterable | None = None) -> pd.DataFrame:
    """[campaign_id, level, commitment, yes, statements]: one row per campaign. Level is
    the median of its functions' levels (so 2.5 between 2 and 3), commitment the share
    of Yes over all statements (not the mean of the functions' commitments, which would
    differ where functions have different numbers of statements)."""
    functions = function_scores(answers, statements, campaigns)
    return _overall(functions)


def _overall(functions: pd.DataFrame) -> pd.DataFrame:
    grouped = functions.groupby("campaign_id", sort=False)
    out = grouped.agg(level=("level", "median"), yes=("yes", "sum"), statements=("statements", "sum")).reset_index()
    out["level"] = out["level"].astype(float)
    out["commitment"] = out["yes"] / out["statements"]
    out["yes"] = out["yes"].astype(np.int64)
    out["statements"] = out["statements"].astype(np.int64)
    return out[OVERALL_COLUMNS]


def gaps(answers: pd.DataFrame, statements: pd.DataFrame, campaigns: Iterable | None = None) -> pd.DataFrame:
    """[campaign_id, function, layer, statement_id, value]: the statements No or
    unanswered (value missing) in the layer just above each function's level, in the
    questionnaire's order; none for a function at the top layer. Any other column of
    `answers` (a note, say) comes along."""
    cells = _cells(answers, statements, campaigns)
    grid = _grid(cells)
    levels = _function_scores(grid, _top(statements))[["campaign_id", "function", "level"]]
    cells = cells.merge(levels, on=["campaign_id", "function"])
    out = cells.loc[(cells["layer"] == cells["level"] + 1) & (cells["is_yes"] == 0)]
    out = out.sort_values(["campaign_id", "function_position", "statement_position"], kind="stable")
    extra = [c for c in answers.columns if c not in ("campaign_id", "statement_id", "value")]
    return out[GAP_COLUMNS + extra].reset_index(drop=True)


def maturity_values(answers: pd.DataFrame, statements: pd.DataFrame,
                    campaigns: Iterable | None = None) -> pd.DataFrame:
    """Every score as one long frame [campaign_id, metric, function, measure, score, yes,
    statements]: metric "<function>.level" and "<function>.commitment" for each function,
    in the questionnaire's order, then "overall.level" and "overall.commitment"."""
    functions = function_scores(answers, statements, campaigns)
    overall = _overall(functions).assign(function=OVERALL)
    parts = []
    for frame in (functions, overall):
        for measure in MEASURES:
            parts.append(frame[["campaign_id", "function", "yes", "statements"]].assign(
                measure=measure, score=frame[measure].astype(float)))
    out = pd.concat(parts, ignore_index=True)
    out["metric"] = out["function"] + "." + out["measure"]
    position = {f: i for i, f in enumerate(dict.fromkeys([*statements["function"], OVERALL]))}
    measure_position = {m: i for i, m in enumerate(MEASURES)}
    out["order"] = (out["function"].map(position).astype(np.int64) * len(MEASURES)
                    + out["measure"].map(measure_position).astype(np.int64))
    out = out.sort_values(["campaign_id", "order"], kind="stable")
    return out[VALUE_COLUMNS].reset_index(drop=True)


def organisation_values(values: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    """One value per organisation, year and metric: `values` (maturity_values) with each
    campaign's organisation_id, organisation_code and year from `campaigns`. An
    organisation with several returns in a year counts by its latest (highest
    campaign_id): a return is a statement of policy at a date, not a sample to pool."""
    meta = campaigns[["campaign_id", "organisation_id", "organisation_code", "year"]]
    latest = meta.sort_values("campaign_id").drop_duplicates(["organisation_id", "year"], keep="last")
    out = values.merge(latest, on="campaign_id")
    first = ["year", "organisation_id", "organisation_code", "campaign_id"]
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def benchmark_maturity(values: pd.DataFrame, peers: PeerGroup | None = None, minimum: int | None = None,
                       by: list[str] = ("year",)) -> pd.DataFrame:
    """[*by, metric, organisations, q1, median, q3]: definition 5's median and quartiles of
    each metric over the organisations of the peer group (all by default), from
    `organisation_values`. With `minimum`, a metric given by fewer organisations has its
    median and quartiles withheld (definition 7)."""
    by = list(by)
    in_group = selects(peers, values["organisation_code"], values["organisation_id"])
    out = benchmark(values.loc[in_group], by=by, organisation="organisation_id")
    if minimum is not None:
        out = withhold_small(out, minimum)
    order = {m: i for i, m in enumerate(dict.fromkeys(values["metric"]))}
    out = out.assign(order=out["metric"].map(order)).sort_values([*by, "order"], kind="stable")
    return out.drop(columns="order").reset_index(drop=True)
