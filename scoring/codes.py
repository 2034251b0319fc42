"""Grouping answers on integer codes.

`DataFrame.groupby(keys, sort=False, dropna=False, observed=True)` over millions of
answers spends most of its time hashing keys of which there are only a few distinct
values (items, factors, organisations, breakdown groups). Here each key column becomes
small integer codes once, the codes of several columns are combined by arithmetic, and
the groups are numbered in order of first appearance, as pandas numbers them. The means
are pandas' own (the same compensated sums over the same rows in the same order), so
every figure is identical to grouping the frame itself.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: above this many possible key combinations, combined codes are renumbered by hashing
DENSE_LIMIT = 1 << 24


@dataclass
class Key:
    """A grouping column as codes: 0 for a missing value (a group of its own, as with
    dropna=False), 1.. for the values, all below `size`. A group's value is read from
    `source` at the position `at` of its first row (so it keeps the column's dtype)."""

    codes: np.ndarray
    size: int
    source: pd.Series | None = None
    at: np.ndarray | None = None

    @classmethod
    def of(cls, column: pd.Series, rows: np.ndarray) -> Key:
        """The column's key at positions `rows` (the codes of the whole column, so equal
        values have equal codes whatever rows are taken)."""
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes, size = column.cat.codes.to_numpy(), len(column.dtype.categories)
        elif _narrow_integers(column):
            # e.g. organisation or response ids: the value less the smallest is a code already
            values = column.to_numpy()
            low = int(values.min())
            return cls(values[rows].astype(np.int64) - (low - 1), int(values.max()) - low + 2, column, rows)
        else:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            size = len(uniques)
        return cls(codes[rows].astype(np.int64) + 1, size + 1, column, rows)

    def take(self, rows: np.ndarray) -> Key:
        return Key(self.codes[rows], self.size, self.source, None if self.at is None else self.at[rows])

    def values(self, rows: np.ndarray) -> pd.Series:
        """The key's value at each of `rows`."""
        return self.source.take(self.at[rows]).reset_index(drop=True)


def _narrow_integers(column: pd.Series) -> bool:
    """Whether the column is plain integers spanning no more values than it has rows."""
    if not (isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu" and len(column)):
        return False
    values = column.to_numpy()
    return int(values.max()) - int(values.min()) < max(len(values), 1 << 16)


def groups(keys: list[Key]) -> tuple[np.ndarray, np.ndarray]:
    """(group number of each row, first row of each group) for the combinations of
    `keys`, numbered in order of first appearance."""
    n = len(keys[0].codes)
    combined, size = keys[0].codes, keys[0].size
    for key in keys[1:]:
        if size * key.size > DENSE_LIMIT:
            combined, size = _renumber(combined)
        combined, size = combined * key.size + key.codes, size * key.size
    if size > max(2 * n, 1 << 16):  # few rows over many possible combinations
        combined, size = _renumber(combined)
    first = np.full(size, n, dtype=np.int64)
    np.minimum.at(first, combined, np.arange(n, dtype=np.int64))
    present = np.flatnonzero(first < n)
    order = present[np.argsort(first[present], kind="stable")]
    number = np.zeros(size, dtype=np.int64)
    number[order] = np.arange(len(order))
    return number[combined], first[order]


def _renumber(combined: np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(combined)
    return codes.astype(np.int64), len(uniques)


def means(values: np.ndarray, group: np.ndarray, count: int) -> np.ndarray:
    """The mean of `values` (no NaN among them) in each of `count` groups, by pandas'
    groupby kernel."""
    grouper = pd.Categorical.from_codes(group, categories=pd.RangeIndex(count), validate=False)
    return pd.Series(values, copy=False).groupby(grouper, observed=False).mean().to_numpy()


def sizes(group: np.ndarray, count: int) -> np.ndarray:
    return np.bincount(group, minlength=count).astype(np.int64)
