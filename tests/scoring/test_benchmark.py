"""Definition 5: median and quartiles over organisations, bands, trends."""
from __future__ import annotations

import pandas as pd
import pytest

from scoring import bands, benchmark, organisation_trend


def values(scores, metric="OVERALL.satisfaction", year=2026):
    return pd.DataFrame({"organisation": [f"org{i}" for i in range(len(scores))], "metric": metric,
                         "year": year, "score": scores})


def quartiles(frame, metric="OVERALL.satisfaction"):
    row = frame.set_index("metric").loc[metric]
    return row["organisations"], row["q1"], row["median"], row["q3"]


def test_odd_number_of_organisations():
    # seven values, sorted 3.1 4.0 4.4 5.0 5.2 6.0 6.8; positions (n-1)p = 1.5, 3, 4.5
    # q1 = 4.0 + 0.5 x (4.4 - 4.0) = 4.2; median = 5.0; q3 = 5.2 + 0.5 x (6.0 - 5.2) = 5.6
    n, q1, median, q3 = quartiles(benchmark(values([5.0, 6.8, 4.4, 3.1, 6.0, 4.0, 5.2])))
    assert n == 7
    assert q1 == pytest.approx(4.2, abs=1e-12) and median == 5.0 and q3 == pytest.approx(5.6, abs=1e-12)


def test_even_number_of_organisations():
    # 2 3 5 6: positions 0.75, 1.5, 2.25
    # q1 = 2 + 0.75 x 1 = 2.75; median = 3 + 0.5 x 2 = 4; q3 = 5 + 0.25 x 1 = 5.25 (Excel QUARTILE.INC)
    assert quartiles(benchmark(values([6.0, 2.0, 5.0, 3.0]))) == (4, 2.75, 4.0, 5.25)
    # 1 2 3 4 5 10: positions 1.25, 2.5, 3.75 -> 2.25, 3.5, 4.75
    assert quartiles(benchmark(values([10, 1, 2, 3, 4, 5]))) == (6, 2.25, 3.5, 4.75)


def test_missing_values_are_left_out_and_duplicates_refused():
    assert quartiles(benchmark(values([2.0, None, 4.0])))[0] == 2
    doubled = pd.concat([values([2.0, 3.0]), values([5.0])])
    with pytest.raises(ValueError, match="one value per organisation"):
        benchmark(doubled)


def test_quartile_bands():
    data = values([6.0, 2.0, 5.0, 3.0, 4.0, 5.25])
    # sorted 2 3 4 5 5.25 6: q1 = 3 + .25 = 3.25, median = 4.5, q3 = 5 + .75 x .25 = 5.1875
    b = benchmark(data)
    assert quartiles(b) == (6, 3.25, 4.5, 5.1875)
    banded = bands(data, b).set_index("score")["band"]
    assert banded.to_dict() == {6.0: 4, 5.25: 4, 5.0: 3, 4.0: 2, 3.0: 1, 2.0: 1}
    # a value exactly on a boundary goes to the band above it
    on_edges = pd.DataFrame({"metric": "OVERALL.satisfaction", "score": [3.25, 4.5, 5.1875]})
    assert bands(on_edges, b)["band"].tolist() == [2, 3, 4]


def test_benchmarks_per_year_and_each_organisations_trend():
    data = pd.concat([values([3.0, 4.0, 5.0], year=2025), values([4.0, 4.5, 6.0], year=2026)], ignore_index=True)
    per_year = benchmark(data, by=["year"]).set_index("year")["median"]
    assert per_year.to_dict() == {2025: 4.0, 2026: 4.5}
    trend = organisation_trend(data).set_index(["organisation", "year"])
    assert trend.loc[("org2", 2026), "previous_year"] == 2025
    assert trend.loc[("org2", 2026), "previous_score"] == 5.0 and trend.loc[("org2", 2026), "change"] == 1.0
    assert pd.isna(trend.loc[("org0", 2025), "previous_score"])
