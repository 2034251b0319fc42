"""Definition 5: benchmarks over organisations, quartile bands and trends across years.

The benchmark of a metric is the median over organisations (one value per organisation
for the same questionnaire and year) with the 1st and 3rd quartiles by linear
interpolation: pandas' default, the same as Excel's QUARTILE.INC.

An organisation's quartile band says where its value sits against them (higher is
better for every metric, reverse-keyed items having been reversed):
4 at or above the 3rd quartile, 3 at or above the median, 2 at or above the 1st
quartile, 1 below it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

BENCHMARK_COLUMNS = ["organisations", "q1", "median", "q3"]


def benchmark(values: pd.DataFrame, by: list[str] = (), organisation: str = "organisation",
              metric: str = "metric", value: str = "score") -> pd.DataFrame:
    """[*by, metric, organisations, q1, median, q3] from one value per organisation.

    `values` has one row per organisation and metric (and `by` group, e.g. year); missing
    values are left out. Two values for the same organisation are refused: combine an
    organisation's campaigns before benchmarking.
    """
    keys = [*by, metric]
    data = values.loc[values[value].notna(), [*keys, organisation, value]]
    if data.duplicated([*keys, organisation]).any():
        raise ValueError("more than one value per organisation for a metric: combine them first")
    if data.empty:
        return pd.DataFrame(columns=[*keys, *BENCHMARK_COLUMNS])
    grouped = data.groupby(keys, dropna=False, sort=True)[value]
    quartiles = grouped.quantile([0.25, 0.5, 0.75]).unstack(-1)
    quartiles.columns = ["q1", "median", "q3"]
    out = quartiles.join(grouped.size().rename("organisations"))
    return out.reset_index()[[*keys, *BENCHMARK_COLUMNS]]


def band(values: pd.Series, q1: pd.Series, median: pd.Series, q3: pd.Series) -> pd.Series:
    """The quartile band (1-4, nullable) of each value; missing where there is no value."""
    v = values.to_numpy(dtype=float)
    out = np.select([v >= q3.to_numpy(dtype=float), v >= median.to_numpy(dtype=float),
                     v >= q1.to_numpy(dtype=float), v < q1.to_numpy(dtype=float)], [4, 3, 2, 1], default=0)
    return pd.Series(out, index=values.index, dtype="Int64").mask(out == 0)


def bands(values: pd.DataFrame, benchmarks: pd.DataFrame, by: list[str] = (), metric: str = "metric",
          value: str = "score") -> pd.DataFrame:
    """`values` with the benchmark of its metric (q1, median, q3, organisations) and each
    organisation's quartile `band`."""
    keys = [*by, metric]
    out = values.merge(benchmarks[[*keys, *BENCHMARK_COLUMNS]], on=keys, how="left")
    out["band"] = band(out[value], out["q1"], out["median"], out["q3"])
    return out


def organisation_trend(values: pd.DataFrame, organisation: str = "organisation", year: str = "year",
                       metric: str = "metric", value: str = "score") -> pd.DataFrame:
    """Each organisation's value per metric and year beside its value in the latest
    earlier year it has one: columns previous_year, previous_score and change."""
    data = values.loc[values[value].notna()].sort_values([organisation, metric, year], kind="stable")
    grouped = data.groupby([organisation, metric], dropna=False, sort=False)
    data = data.assign(previous_year=grouped[year].shift(1), previous_score=grouped[value].shift(1))
    data["previous_year"] = data["previous_year"].astype("Int64")
    data["change"] = data[value] - data["previous_score"]
    return data.reset_index(drop=True)
