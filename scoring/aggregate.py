"""Definitions 2 and 3: item, factor and area scores with their n; gap and weight gap.

- Item score: the mean of respondents' 1-7 scores for the item; n counts the respondents
  who gave a number ("Don't know" and "Not applicable" are not numbers).
- Factor score (per measure): each respondent's mean over the factor's items for that
  measure, then the mean over respondents; n counts respondents with at least one
  number. With one item per factor and measure, as in the shipped questionnaires, this
  is exactly the item score.
- Area score: the same over the items of an area (SDMA areas, User Skills areas).
- Gap = mean satisfaction - mean importance; weight gap = gap x mean importance / 7.

`by` names grouping columns of the scored frame (an organisation, a breakdown group):
every result has one row per group and metric.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

OVERALL = "OVERALL.satisfaction"
IMPROVED = "IMPROVED.improvement"
METRIC_COLUMNS = ["metric", "kind", "factor", "measure", "area", "item_id", "score", "n"]


NUMBER_COLUMNS = ["response_id", "item_id", "factor", "measure", "area", "score"]
KEYS = ("item_id", "factor", "measure", "area")


def _numbers(scored: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Only answers that carry a score and belong to a scored item (one with a factor),
    with just the columns aggregation needs and the keys as categories (grouping on
    category codes is several times faster than on text)."""
    keep = scored["score"].notna().to_numpy() & scored["factor"].notna().to_numpy()
    numbers = scored.loc[keep, list(dict.fromkeys([*by, *NUMBER_COLUMNS]))]
    for column in KEYS:
        numbers[column] = numbers[column].astype("category")
    return numbers


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Category keys back to ordinary values for the caller."""
    for column in KEYS:
        if column in frame and isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


def _respondent_means(numbers: pd.DataFrame, by: list[str], keys: list[str]) -> pd.DataFrame:
    """Score and n per group, where each respondent first counts once (their own mean)."""
    grouping = [*by, *keys]
    if _several_items(numbers, keys):
        numbers = numbers.groupby([*grouping, "response_id"], dropna=False, observed=True,
                                  sort=False)["score"].mean().reset_index()
    out = numbers.groupby(grouping, dropna=False, observed=True, sort=False)["score"].agg(["mean", "count"])
    return _plain(out.reset_index().rename(columns={"mean": "score", "count": "n"}))


def _several_items(numbers: pd.DataFrame, keys: list[str]) -> bool:
    """Whether any group of `keys` has more than one item (a respondent can then have
    several scores in it). Grouping on category codes makes this cheap."""
    pairs = numbers.groupby(["item_id", *keys], dropna=False, observed=True).size().reset_index()
    return bool(pairs[keys].duplicated().any())


def _item_scores(numbers: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    out = numbers.groupby([*by, "item_id", "factor", "measure", "area"], dropna=False, observed=True,
                          sort=False)["score"].agg(["mean", "count"])
    return _plain(out.reset_index().rename(columns={"mean": "score", "count": "n"}))


def _area_scores(numbers: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return _respondent_means(numbers.loc[numbers["area"].notna()], by, ["area"])


def item_scores(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, item_id, factor, measure, area, score, n] for every scored item answered."""
    return _item_scores(_numbers(scored, list(by)), list(by))


def factor_scores(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, factor, measure, score, n]."""
    return _respondent_means(_numbers(scored, list(by)), list(by), ["factor", "measure"])


def area_scores(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, area, score, n] over the items of each area."""
    return _area_scores(_numbers(scored, list(by)), list(by))


def gaps(factors: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, factor, satisfaction, importance, gap, weight_gap, n_satisfaction, n_importance]
    for every factor asked both as satisfaction and as importance."""
    keys = [*by, "factor"]
    sat = factors.loc[factors["measure"] == "satisfaction", [*keys, "score", "n"]]
    imp = factors.loc[factors["measure"] == "importance", [*keys, "score", "n"]]
    out = sat.merge(imp, on=keys, suffixes=("_s", "_i"))
    out = out.rename(columns={"score_s": "satisfaction", "score_i": "importance",
                              "n_s": "n_satisfaction", "n_i": "n_importance"})
    out["gap"] = out["satisfaction"] - out["importance"]
    out["weight_gap"] = out["gap"] * out["importance"] / 7
    return out[[*keys, "satisfaction", "importance", "gap", "weight_gap", "n_satisfaction", "n_importance"]]


def factor_metric(factor: pd.Series, measure: pd.Series) -> pd.Series:
    """The metric id of a factor score: "S7.satisfaction" (or "S7" with no measure)."""
    return factor.astype(object).where(measure.isna(), factor.astype(str) + "." + measure.astype(str))


def metrics(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """Every metric as one long frame: [*by, metric, kind, factor, measure, area, item_id, score, n].

    Kinds: `factor` ("S7.satisfaction"), `gap` ("S7.gap"), `weight_gap` ("S7.weight_gap"),
    `area` ("area.user_research") and `item` ("item.sat_S7"). Item rows appear only where a
    factor has more than one item for a measure; otherwise the factor row is the item.
    """
    by = list(by)
    numbers = _numbers(scored, by)  # once for every step below
    factors = _respondent_means(numbers, by, ["factor", "measure"])
    parts = []
    f = factors.assign(metric=factor_metric(factors["factor"], factors["measure"]), kind="factor")
    parts.append(f)
    g = gaps(factors, by)
    for kind in ("gap", "weight_gap"):
        parts.append(g[[*by, "factor"]].assign(metric=g["factor"] + "." + kind, kind=kind, score=g[kind]))
    a = _area_scores(numbers, by)
    parts.append(a.assign(metric="area." + a["area"].astype(str), kind="area"))
    items = _item_scores(numbers, by)
    shared = items.groupby([*by, "factor", "measure"], dropna=False)["item_id"].transform("size") > 1
    items = items.loc[shared]
    parts.append(items.assign(metric="item." + items["item_id"].astype(str), kind="item"))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if out is None:
        out = pd.DataFrame(columns=[*by, *METRIC_COLUMNS])
    for column in METRIC_COLUMNS:
        if column not in out:
            out[column] = np.nan
    out["n"] = out["n"].astype("Int64")
    out["score"] = out["score"].astype(float)
    return out[[*by, *METRIC_COLUMNS]].reset_index(drop=True)


def headline(metric_frame: pd.DataFrame) -> dict:
    """Overall satisfaction and "service improved" from one group's metrics:
    {"overall_satisfaction": (score, n), "service_improved": (score, n)}, None where absent."""
    out = {}
    for name, metric in (("overall_satisfaction", OVERALL), ("service_improved", IMPROVED)):
        row = metric_frame.loc[metric_frame["metric"] == metric]
        out[name] = None if row.empty else (float(row["score"].iloc[0]), int(row["n"].iloc[0]))
    return out


KIND_ORDER = {"response_rate": 0, "factor": 1, "item": 1, "gap": 2, "weight_gap": 3, "area": 4}


def sort_metrics(metric_frame: pd.DataFrame, items: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """Metrics in the order a reader expects: factors as the questionnaire first asks
    them, then gaps, weight gaps and areas, each in questionnaire order."""
    first = items.groupby("factor", dropna=True)["position"].min()
    first_area = items.groupby("area", dropna=True)["position"].min()
    item_position = items.drop_duplicates("item_id").set_index("item_id")["position"]
    position = metric_frame["factor"].map(first)
    position = position.where(metric_frame["kind"] != "area", metric_frame["area"].map(first_area))
    position = position.where(metric_frame["kind"] != "item", metric_frame["item_id"].map(item_position) + 0.5)
    measure_rank = metric_frame["measure"].map({"satisfaction": 0, "importance": 1}).fillna(2)
    keys = pd.DataFrame({"kind": metric_frame["kind"].map(KIND_ORDER).fillna(9), "position": position.fillna(1e9),
                         "measure": measure_rank, "metric": metric_frame["metric"]})
    for column in by:
        keys[column] = metric_frame[column]
    order = keys.sort_values([*by, "kind", "position", "measure", "metric"], kind="stable").index
    return metric_frame.loc[order].reset_index(drop=True)
