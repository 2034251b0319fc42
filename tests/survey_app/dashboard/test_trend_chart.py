"""The trend dot chart's drawing: where the dots and ticks fall on the scale, what joins
them, and an SVG the pages' Content-Security-Policy accepts."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from survey_app.dashboard.trend_chart import Row, year_dots

NS = "{http://www.w3.org/2000/svg}"


def draw(rows, lo=1, hi=7):
    svg = year_dots(rows, lo=lo, hi=hi, ticks=[(v, str(v)) for v in range(lo, hi + 1)], title_id="t1",
                    desc="A <chart> & its figures")
    return svg, ET.fromstring(svg)


def test_dots_and_ticks_fall_on_the_scale():
    svg, root = draw([Row("1999-2004", None, 4.0, baseline=True), Row("2024/25", 1.0, 7.0),
                      Row("2025/26", None, 4.0), Row("2026/27", 7.0, 4.0), Row("2027/28", 4.0, None)])
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t1"
    assert root.find(f"{NS}title").text == "A <chart> & its figures"
    assert "style" not in svg  # presentation attributes only
    # the 1-7 axis: tick 1 at the left of the plot, 7 at its right, 4 half-way
    ticks = {t.text: float(t.get("x")) for t in root.findall(f"{NS}text") if t.text in {"1", "4", "7"}}
    assert ticks["4"] == (ticks["1"] + ticks["7"]) / 2
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.findall(f"{NS}circle")]
    assert [x for x, _y in dots] == [ticks["1"], ticks["7"], ticks["4"]]  # no dot for the baseline or a gap
    rows_y = sorted({y for _x, y in dots})
    assert rows_y == [dots[0][1], dots[1][1], dots[2][1]] and dots[1][1] - dots[0][1] == 2 * (dots[2][1] - dots[1][1])
    lines = root.findall(f"{NS}line")
    medians = [float(line.get("x1")) for line in lines if line.get("stroke-width") == "3"]
    assert medians == [ticks["4"], ticks["7"], ticks["4"], ticks["4"]]
    # one blue segment, between the two consecutive years with a value (none across the gap)
    joins = [line for line in lines if line.get("stroke") == "#1d70b8"]
    assert [(float(j.get("x1")), float(j.get("x2"))) for j in joins] == [(ticks["7"], ticks["4"])]


def test_values_beyond_the_scale_stay_inside_it():
    _svg, root = draw([Row("2026/27", 130.0, -5.0)], lo=0, hi=100)
    ticks = {t.text: float(t.get("x")) for t in root.findall(f"{NS}text") if t.text in {"0", "100"}}
    circle = root.find(f"{NS}circle")
    assert float(circle.get("cx")) == ticks["100"]
    median = [line for line in root.findall(f"{NS}line") if line.get("stroke-width") == "3"][0]
    assert float(median.get("x1")) == ticks["0"]
