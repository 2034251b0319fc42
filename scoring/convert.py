"""Definition 1: every answer on the common 1-7 scale.

An answer x on a scale lo..hi scores 1 + 6 * (x - lo) / (hi - lo); a reverse-keyed item
scores 8 - that. Yes scores 7 and No 1. "Don't know", "Not applicable", choices and text
have no score (NaN). Full precision is kept; rounding is for display only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

YES_NO = {"yes": 7.0, "no": 1.0}
ITEM_TEXT = ["type", "factor", "measure", "area"]
ITEM_NUMBERS = ["scale_min", "scale_max"]


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(code per cell, distinct values). Answers repeat a handful of values ("1".."7",
    "dont_know"), so converting the distinct values and indexing is far cheaper than
    converting every cell."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _spread(codes: np.ndarray, converted) -> np.ndarray:
    table = np.append(np.asarray(converted, dtype=float), np.nan)
    return table[codes]  # code -1 (no value) picks the trailing NaN


def to_seven(values: pd.Series, item_type: pd.Series, scale_min: pd.Series, scale_max: pd.Series,
             reverse: pd.Series) -> pd.Series:
    """The 1-7 score of each stored answer, given its item's type, scale and direction."""
    codes, uniques = _distinct(values)
    x = _spread(codes, pd.to_numeric(uniques, errors="coerce"))
    lo, hi = scale_min.to_numpy(dtype=float), scale_max.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = 1 + 6 * (x - lo) / (hi - lo)
    scaled = np.where(reverse.fillna(False).to_numpy(dtype=bool), 8 - scaled, scaled)
    yes_no = _spread(codes, uniques.map(YES_NO))
    is_scale = (item_type == "scale").fillna(False).to_numpy(dtype=bool)
    is_yes_no = (item_type == "yes_no").fillna(False).to_numpy(dtype=bool)
    score = np.where(is_scale, scaled, np.where(is_yes_no, yes_no, np.nan))
    return pd.Series(score, index=values.index, name="score", dtype=float)


def score_answers(answers: pd.DataFrame, items: pd.DataFrame, on: list[str] | None = None) -> pd.DataFrame:
    """The answers with their item's type, factor, measure, area and direction, and a
    `score` column. The item columns are categories (cheap to build and to group by).

    `on` names the columns that identify an item; by default `item_id`, plus
    `questionnaire_version_id` when both frames have it (answers from several versions of
    a questionnaire are each scored against their own version's scales).
    """
    if on is None:
        on = ["item_id"]
        if "questionnaire_version_id" in answers and "questionnaire_version_id" in items:
            on = ["questionnaire_version_id", "item_id"]
    meta = items[on + ITEM_TEXT + ITEM_NUMBERS + ["reverse"]].drop_duplicates(on).reset_index(drop=True)
    # each answer's row in `meta` (-1 for an unknown item): a lookup, cheaper than a merge
    index = meta.set_index(on).index
    if len(on) == 1:
        codes, distinct = pd.factorize(answers[on[0]], use_na_sentinel=True)
        row = np.append(index.get_indexer(distinct), -1)[codes]
    else:
        row = index.get_indexer(pd.MultiIndex.from_frame(answers[on]))
    columns = {c: answers[c] for c in answers}  # shared, not copied: pandas copies on write
    for column in ITEM_TEXT:
        codes, categories = pd.factorize(meta[column], use_na_sentinel=True)
        codes = np.append(codes, -1)  # the last code of every item column: no known item
        columns[column] = pd.Categorical.from_codes(codes[row], categories=categories, validate=False)
        if column == "type":
            types = (codes, categories)
    reverse = np.append(meta["reverse"].fillna(False).to_numpy(dtype=bool), False)
    columns["reverse"] = reverse[row]
    # an answer's score depends only on its item and its text: score each pair of an item
    # (or none) and a distinct text (or none) once, then look every answer up
    text, distinct = _distinct(answers["value"])
    texts = np.append(distinct.to_numpy(dtype=object), np.nan)
    at = np.repeat(np.arange(len(meta) + 1), len(texts))
    lo, hi = (np.append(meta[c].to_numpy(dtype=float), np.nan)[at] for c in ITEM_NUMBERS)
    grid = to_seven(pd.Series(np.tile(texts, len(meta) + 1), dtype=object),
                    pd.Series(pd.Categorical.from_codes(types[0][at], categories=types[1])),
                    pd.Series(lo), pd.Series(hi), pd.Series(reverse[at]))
    columns["score"] = grid.to_numpy().reshape(len(meta) + 1, len(texts))[row, text]
    return pd.DataFrame(columns, index=answers.index, copy=False)
