"""Definition 6: breakdowns with the anonymity threshold and complementary suppression.

A breakdown group with fewer than `k` responses is suppressed: no number about it appears
in the result, and its answers take no part in any group's figures. Where exactly one
group of a breakdown would be suppressed, its figures could be worked out from the total
and the other groups, so the next smallest group is suppressed too.

The same rule then applies inside the groups that are shown, metric by metric: a figure
resting on fewer than `k` respondents (e.g. most of a group answered "Don't know") is
suppressed, with its complement, and so are the gaps computed from it.

Responses without a value for the dimension form a group of their own (`NOT_ANSWERED`),
so that the groups always add up to the total.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .aggregate import Numbers, metrics_of, useful_rows
from .codes import Key

NOT_ANSWERED = "(none)"
MIN_THRESHOLD = 3


def suppress(frame: pd.DataFrame, k: int, partition: list[str] = (), n: str = "n",
             hidden_elsewhere: pd.Series | None = None) -> pd.Series:
    """Which rows of `frame` to suppress, given counts in column `n`.

    Rows are cells of one or more partitions of a total (`partition` names the columns
    that identify a partition: within one, the rows add up to a total that is shown).
    Rows with 0 < n < k are suppressed; in a partition where that hides exactly one row,
    and `hidden_elsewhere` (a count per row, e.g. groups already removed) is zero, the
    row with the next smallest n is suppressed as well. Ties go to the earlier row, so
    sort the frame first for a stable choice.
    """
    if k < MIN_THRESHOLD:
        raise ValueError(f"the anonymity threshold cannot be below {MIN_THRESHOLD}, not {k}")
    partition = list(partition)
    counts = pd.to_numeric(frame[n], errors="coerce").astype(float)
    small = (counts > 0) & (counts < k)
    candidate = (counts >= k)
    if partition:
        keys = [frame[c] for c in partition]
        small_count = small.groupby(keys, dropna=False).transform("sum")
        rank = counts.where(candidate).groupby(keys, dropna=False).rank(method="first")
    else:
        small_count = pd.Series(int(small.sum()), index=frame.index)
        rank = counts.where(candidate).rank(method="first")
    hidden = small_count if hidden_elsewhere is None else small_count + hidden_elsewhere
    complement = candidate & (small_count == 1) & (hidden == 1) & (rank == 1)
    return (small | complement).astype(bool)


@dataclass
class Breakdown:
    """The result of breaking a campaign's results down by one dimension.

    `groups`: [*by, group, responses, suppressed]; `responses` is missing (NA) for a
    suppressed group. `metrics`: the long metrics frame (see `aggregate.metrics`) for the
    groups shown, with a `suppressed` column; a suppressed figure has no score and no n.
    No row of a suppressed group is in `metrics`.
    """

    dimension: str
    threshold: int
    groups: pd.DataFrame
    metrics: pd.DataFrame


def group_labels(values: pd.Series) -> pd.Series:
    """A dimension's values as group names, with NOT_ANSWERED for no value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    distinct = np.asarray(distinct, dtype=object)
    if all(isinstance(v, str) for v in distinct):  # each distinct text named once
        names = [NOT_ANSWERED if v.strip() == "" else str(v) for v in distinct] + [NOT_ANSWERED]
        return pd.Series(np.array(names, dtype=object)[codes], index=values.index, name=values.name, dtype=object)
    text = values.astype(object).where(values.notna(), None)
    text = text.map(lambda v: NOT_ANSWERED if v is None or str(v).strip() == "" else str(v))
    return text.astype(object)


def breakdown(scored: pd.DataFrame, respondents: pd.DataFrame, dimension: str, k: int,
              by: list[str] = ()) -> Breakdown:
    """Metrics per value of `dimension` (a column of `respondents`), suppressed as above.

    `scored` is the output of `score_answers` with any `by` columns (e.g. one breakdown per
    organisation with by=["organisation_code"]); `respondents` has one row per response
    with `response_id`, the `by` columns and the dimension.
    """
    by = list(by)
    if dimension not in respondents:
        raise KeyError(dimension)
    resp = respondents[[*by, "response_id"]].copy()
    resp["group"] = group_labels(respondents[dimension])
    groups = (resp.groupby([*by, "group"], dropna=False).size().rename("responses").reset_index()
              .sort_values([*by, "group"], kind="stable").reset_index(drop=True))
    groups["suppressed"] = suppress(groups, k, by, n="responses")

    shown = groups.loc[~groups["suppressed"], [*by, "group"]]
    kept = resp.merge(shown, on=[*by, "group"]).set_index("response_id")["group"]
    table = metrics_of(_shown_numbers(scored, by, kept), [*by, "group"])
    table = table.sort_values([*by, "metric", "group"], kind="stable").reset_index(drop=True)

    hidden_groups = groups.groupby(by, dropna=False)["suppressed"].sum() if by else int(groups["suppressed"].sum())
    if by:
        elsewhere = table[by].merge(hidden_groups.rename("hidden").reset_index(), on=by, how="left")["hidden"]
        elsewhere = elsewhere.fillna(0).set_axis(table.index)
    else:
        elsewhere = pd.Series(hidden_groups, index=table.index)
    counted = table["n"].notna()
    table["suppressed"] = False
    if counted.any():
        cells = table.loc[counted]
        table.loc[counted, "suppressed"] = suppress(cells, k, [*by, "metric"], hidden_elsewhere=elsewhere[counted])
    table = _suppress_derived(table, by)
    table.loc[table["suppressed"], "score"] = float("nan")
    table["n"] = table["n"].astype("Int64").mask(table["suppressed"])
    groups["responses"] = groups["responses"].astype("Int64").mask(groups["suppressed"])
    return Breakdown(dimension=dimension, threshold=k, groups=groups, metrics=table)


def _shown_numbers(scored: pd.DataFrame, by: list[str], kept: pd.Series) -> Numbers:
    """The useful answers of the responses in `kept` (response_id -> group shown), keyed
    by `by`, their group and the item columns; a suppressed group's answers take no part."""
    rows = useful_rows(scored)
    label, labels = pd.factorize(kept, use_na_sentinel=True)
    position = _positions(kept.index, scored["response_id"].to_numpy()[rows])
    label = np.append(label, -1)[position]  # -1: not in a group shown
    shown = label >= 0
    rows, label = rows[shown], label[shown]
    group = Key(label.astype(np.int64) + 1, len(labels) + 1, pd.Series(np.asarray(labels, dtype=object)), label)
    return Numbers.of(scored, [*by, "group"], rows, extra={"group": group})


def _positions(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """The position of each value in `index` (unique), -1 where it is not there. Response
    ids are usually integers in a narrow range: a lookup table then beats hashing."""
    if (index.dtype.kind in "iu" and values.dtype.kind in "iu" and len(index) and len(values)
            and index.is_unique and index.min() >= 0 and values.min() >= 0):
        top = max(int(index.max()), int(values.max()))
        if top < 4 * (len(index) + len(values)):
            table = np.full(top + 1, -1, dtype=np.int64)
            table[index.to_numpy()] = np.arange(len(index))
            return table[values]
    return index.get_indexer(values)


def _suppress_derived(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """A gap or weight gap is suppressed when either of the scores it comes from is."""
    derived = table["kind"].isin(["gap", "weight_gap"])
    if not derived.any():
        return table
    inputs = (table["kind"] == "factor") & table["measure"].isin(["satisfaction", "importance"])
    hidden = table.loc[table["suppressed"] & inputs, [*by, "group", "factor"]]
    hidden = hidden.drop_duplicates().assign(_hidden=True)
    marks = table.loc[derived, [*by, "group", "factor"]].merge(hidden, on=[*by, "group", "factor"], how="left")
    table.loc[derived, "suppressed"] = marks["_hidden"].fillna(False).astype(bool).to_numpy()
    return table


def small_groups(sizes: dict[str, int], k: int) -> set[str]:
    """The groups of a partition (name -> people in it) too small to show, for figures
    about people rather than responses, such as a live response rate by location.

    Definition 6 applied to the people in each group: a group of fewer than `k` is hidden;
    where that hides exactly one group, the next smallest is hidden too (its figures could
    be worked out from the total and the rest). As the hidden groups are shown together as
    one row, the next smallest groups are then hidden until they hold at least `k` people
    between them, or until every group is hidden. Ties go to the name first in order.
    """
    if k < MIN_THRESHOLD:
        raise ValueError(f"the anonymity threshold cannot be below {MIN_THRESHOLD}, not {k}")
    hidden = {name for name, n in sizes.items() if 0 < n < k}
    rest = sorted((n, name) for name, n in sizes.items() if name not in hidden)
    while hidden and rest and (len(hidden) == 1 or sum(sizes[name] for name in hidden) < k):
        hidden.add(rest.pop(0)[1])
    return hidden
