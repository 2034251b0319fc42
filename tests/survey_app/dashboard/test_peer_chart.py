"""The chart of a peer group's organisations: what it draws, where, and nothing inline."""
from __future__ import annotations

import re

from survey_app.dashboard.peer_chart import Bar, percent_scale, peer_bars, seven_point_scale


def draw(**overrides):
    values = dict(bars=[Bar("L2603", 7.0, "7.00"), Bar("L2601", 5.5, "5.50", own=True), Bar("S2606", 1.0, "1.00")],
                  scale=seven_point_scale(str), title_id="t1", desc='Overall "satisfaction" <of> 3', you="(you)",
                  median=(4.0, "Median: 4.00"), quartiles=(2.5, 6.25, "Quartiles: 2.50 and 6.25"))
    values.update(overrides)
    return str(peer_bars(values.pop("bars"), values.pop("scale"), **values))


def test_bars_lines_and_the_own_mark():
    svg = draw()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 340 ')
    assert 'role="img" aria-labelledby="t1"' in svg
    assert '<title id="t1">Overall &#34;satisfaction&#34; &lt;of&gt; 3</title>' in svg
    assert "<style" not in svg and not re.search(r"<[^>]*\sstyle=", svg)
    # codes in the order given, ours in bold; its bar hatched and outlined, its value marked
    assert re.findall(r'text-anchor="end" fill="#0b0c0c"(?: font-weight="bold")?>([^<]+)<', svg) == [
        "L2603", "L2601", "S2606"]
    assert 'font-weight="bold">L2601<' in svg and 'font-weight="bold">5.50 (you)<' in svg
    assert svg.count('fill="url(#t1-own)"') == 1
    # on 1..7 across x = 72..246: 7.0 is a bar 174 wide, 5.5 one of 130.5, 1.0 the 1-unit stub
    widths = re.findall(r'<rect x="72" y="\d+" width="([\d.]+)"', svg)
    assert widths == ["174.0", "130.5", "1.0"]
    # the median at 72 + 174 x 3/6 = 159; the quartiles at 72 + 174 x 1.5/6 = 115.5 and 72 + 174 x 5.25/6 = 224.25
    assert re.search(r'<line x1="159.0" x2="159.0" y1="\d+" y2="\d+" stroke="#0b0c0c" stroke-width="3"/>', svg)
    assert svg.count('stroke-dasharray="4 3"') == 3  # the legend's and the two quartiles
    assert 'x1="115.5"' in svg and 'x1="224.2"' in svg
    assert ">Median: 4.00<" in svg and ">Quartiles: 2.50 and 6.25<" in svg


def test_without_a_benchmark_no_lines_are_drawn():
    svg = draw(median=None, quartiles=None)
    assert 'stroke-width="3"' not in svg and "stroke-dasharray" not in svg


def test_percent_axes():
    assert [t for t, _l in percent_scale(36.0, str).ticks] == [0, 10, 20, 30, 40]
    assert [t for t, _l in percent_scale(50.0, str).ticks] == [0, 10, 20, 30, 40, 50]
    assert [t for t, _l in percent_scale(61.0, str).ticks] == [0, 25, 50, 75]
    assert [t for t, _l in percent_scale(100.0, str).ticks] == [0, 25, 50, 75, 100]
    assert percent_scale(0.0, str).hi == 10
