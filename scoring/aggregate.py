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

from .codes import Key, groups, means, sizes

OVERALL = "OVERALL.satisfaction"
IMPROVED = "IMPROVED.improvement"
METRIC_COLUMNS = ["metric", "kind", "factor", "measure", "area", "item_id", "score", "n"]

KEYS = ("item_id", "factor", "measure", "area")


class Numbers:
    """Answers that carry a score and belong to a scored item (one with a factor): their
    scores, and each grouping column as integer codes (grouping on codes is several
    times faster than on text; see `codes`)."""

    def __init__(self, scored: pd.DataFrame, rows: np.ndarray, keys: dict[str, Key]):
        self.scored = scored
        self.rows = rows  # positions in `scored`
        self.keys = keys
        self.score = scored["score"].to_numpy(dtype=float)[rows]
        self._cells = None
        self._cell_figures = None
        self._respondent = None

    @classmethod
    def of(cls, scored: pd.DataFrame, by: list[str], rows: np.ndarray | None = None,
           extra: dict[str, Key] | None = None) -> Numbers:
        """The answers of `scored` at positions `rows` (by default every useful one),
        keyed by the `by` columns and the item columns; `extra` has keys that are not
        columns of `scored`, already at `rows`."""
        rows = useful_rows(scored) if rows is None else rows
        extra = extra or {}
        keys = {c: extra[c] if c in extra else Key.of(scored[c], rows) for c in dict.fromkeys([*by, *KEYS])}
        return cls(scored, rows, keys)

    def __len__(self) -> int:
        return len(self.rows)

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """(cell of each answer, first answer of each cell), a cell being the answers with
        the same value of every key: the finest grouping, from which the coarser ones
        are read without going over every answer again."""
        if self._cells is None:
            self._cells = groups(list(self.keys.values()))
        return self._cells

    def cell_groups(self, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(group of each cell, first cell of each group) for the keys `names`."""
        _, first = self.cells()
        return groups([self.keys[c].take(first) for c in names])

    def groups(self, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(group of each answer, first answer of each group) for the keys `names`, in
        order of first appearance."""
        cell, first = self.cells()
        group, group_first = self.cell_groups(names)
        return group[cell], first[group_first]

    def mean_count(self, names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first answer, mean score, n) of each group of the keys `names`. Where every
        group is a single cell (one item per factor, say), its figures are the cell's,
        summed once for all such groupings: the same answers in the same order."""
        cell, first = self.cells()
        group, group_first = self.cell_groups(names)
        if len(group_first) == len(first):
            if self._cell_figures is None:
                self._cell_figures = (means(self.score, cell, len(first)), sizes(cell, len(first)))
            score, n = self._cell_figures
            return first[group_first], score[group_first], n[group_first]
        group = group[cell]
        return first[group_first], means(self.score, group, len(group_first)), sizes(group, len(group_first))

    @property
    def respondent(self) -> Key:
        """The response_id as a key, coded only where needed."""
        if self._respondent is None:
            self._respondent = Key.of(self.scored["response_id"], self.rows)
        return self._respondent

    def where(self, mask: np.ndarray) -> Numbers:
        keep = np.flatnonzero(mask)
        out = Numbers(self.scored, self.rows[keep], {c: k.take(keep) for c, k in self.keys.items()})
        if self._cells is not None and len(keep):
            cell, first = self._cells
            out._cells = groups([Key(cell[keep], len(first))])
        return out


def useful_rows(scored: pd.DataFrame) -> np.ndarray:
    """Positions of the answers that carry a score and belong to a scored item."""
    return np.flatnonzero(scored["score"].notna().to_numpy() & scored["factor"].notna().to_numpy())


def _frame(keys: dict[str, Key], names: list[str], first: np.ndarray, score: np.ndarray, n: np.ndarray) -> pd.DataFrame:
    """[*names, score, n]: one row per group, the key values read at each group's first
    row; item columns as ordinary values."""
    columns = {}
    for name in names:
        values = keys[name].values(first)
        if name in KEYS:
            values = values.astype(object)
        columns[name] = values
    columns["score"] = pd.Series(score, dtype=float)
    columns["n"] = pd.Series(n, dtype=np.int64)
    return pd.DataFrame(columns)


def _mean_count(numbers: Numbers, names: list[str]) -> pd.DataFrame:
    """Score (mean) and n per group of `names`, groups in order of first appearance."""
    if not len(numbers):
        return _frame(numbers.keys, names, np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64))
    return _frame(numbers.keys, names, *numbers.mean_count(names))


def _respondent_means(numbers: Numbers, by: list[str], keys: list[str]) -> pd.DataFrame:
    """Score and n per group, where each respondent first counts once (their own mean)."""
    grouping = [*by, *keys]
    if not _several_items(numbers, keys):
        return _mean_count(numbers, grouping)
    group, first = numbers.groups(grouping)
    # respondent means in order of first appearance, then their mean in each group
    pair, pair_first = groups([Key(group, len(first)), numbers.respondent])
    pair_group = group[pair_first]
    pair_means = means(numbers.score, pair, len(pair_first))
    return _frame(numbers.keys, grouping, first, means(pair_means, pair_group, len(first)),
                  sizes(pair_group, len(first)))


def _several_items(numbers: Numbers, keys: list[str]) -> bool:
    """Whether any group of `keys` has more than one item (a respondent can then have
    several scores in it); read from the cells, one per item and group at most."""
    if not len(numbers):
        return False
    _, pair_first = numbers.cell_groups(["item_id", *keys])
    _, key_first = numbers.cell_groups(keys)
    return len(key_first) < len(pair_first)


def _item_scores(numbers: Numbers, by: list[str]) -> pd.DataFrame:
    return _mean_count(numbers, [*by, "item_id", "factor", "measure", "area"])


def _area_scores(numbers: Numbers, by: list[str]) -> pd.DataFrame:
    return _respondent_means(numbers.where(numbers.keys["area"].codes > 0), by, ["area"])


def item_scores(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, item_id, factor, measure, area, score, n] for every scored item answered."""
    return _item_scores(Numbers.of(scored, list(by)), list(by))


def factor_scores(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, factor, measure, score, n]."""
    return _respondent_means(Numbers.of(scored, list(by)), list(by), ["factor", "measure"])


def area_scores(scored: pd.DataFrame, by: list[str] = ()) -> pd.DataFrame:
    """[*by, area, score, n] over the items of each area."""
    return _area_scores(Numbers.of(scored, list(by)), list(by))


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
    return metrics_of(Numbers.of(scored, by), by)


def metrics_of(numbers: Numbers, by: list[str]) -> pd.DataFrame:
    """`metrics` of answers already coded (see `Numbers`)."""
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
