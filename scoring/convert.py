"""Definition 1: every answer on the common 1-7 scale.

An answer x on a scale lo..hi scores 1 + 6 * (x - lo) / (hi - lo); a reverse-keyed item
scores 8 - that. Yes scores 7 and No 1. "Don't know", "Not applicable", choices and text
have no score (NaN). Full precision is kept; rounding is for display only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

YES_NO = {"yes": 7.0, "no": 1.0}
ITEM_META = ["type", "factor", "measure", "area", "reverse", "scale_min", "scale_max"]


def _lookup(values: pd.Series, convert) -> np.ndarray:
    """`convert` applied to each distinct value once, spread back over the column.

    Answers repeat a handful of values ("1".."7", "dont_know"), so converting the
    distinct values and indexing is far cheaper than converting every cell.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted = np.append(np.asarray(convert(pd.Series(uniques, dtype=object)), dtype=float), np.nan)
    return converted[codes]  # code -1 (a missing value) picks the trailing NaN


def to_seven(values: pd.Series, item_type: pd.Series, scale_min: pd.Series, scale_max: pd.Series,
             reverse: pd.Series) -> pd.Series:
    """The 1-7 score of each stored answer, given its item's type, scale and direction."""
    item_type = item_type.to_numpy(dtype=object)
    x = _lookup(values, lambda u: pd.to_numeric(u, errors="coerce"))
    lo, hi = scale_min.to_numpy(dtype=float), scale_max.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = 1 + 6 * (x - lo) / (hi - lo)
    scaled = np.where(reverse.fillna(False).to_numpy(dtype=bool), 8 - scaled, scaled)
    yes_no = _lookup(values, lambda u: u.map(YES_NO))
    score = np.where(item_type == "scale", scaled, np.where(item_type == "yes_no", yes_no, np.nan))
    return pd.Series(score, index=values.index, name="score", dtype=float)


def score_answers(answers: pd.DataFrame, items: pd.DataFrame, on: list[str] | None = None) -> pd.DataFrame:
    """The answers with their item's factor, measure, area and type, and a `score` column.

    `on` names the columns that identify an item; by default `item_id`, plus
    `questionnaire_version_id` when both frames have it (answers from several versions of
    a questionnaire are each scored against their own version's scales).
    """
    if on is None:
        on = ["item_id"]
        if "questionnaire_version_id" in answers and "questionnaire_version_id" in items:
            on = ["questionnaire_version_id", "item_id"]
    meta = items[on + ITEM_META].drop_duplicates(on)
    scored = answers.merge(meta, on=on, how="left", validate="many_to_one")
    scored["score"] = to_seven(scored["value"], scored["type"], scored["scale_min"], scored["scale_max"],
                               scored["reverse"])
    return scored.drop(columns=["scale_min", "scale_max"])
