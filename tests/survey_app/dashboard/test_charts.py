"""The SVG charts on their own: labels wrapped whole, natural order, whole-number count
axes, weight gaps either side of zero, and a first day that reads well."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from survey_app.dashboard.charts import (
    BLUE, COLUMNS, PLOT, RED, WRAP, Bar, diverging_bars, diverging_ticks, integer_ticks, natural_key,
    responses_over_time, score_bars, wrap_label,
)
from tests.questionnaires.test_factor_labels import SEED_NAMES

WELSH = ["Effeithiolrwydd monitro perfformiad yr uned TGCh",
         "Addasrwydd i'r diben y systemau busnes a ddarperir",
         "Cywirdeb staff cymorth TGCh wrth ganfod problemau"]


def text_elements(svg: str) -> list[list[str]]:
    """Each <text> of the SVG as its lines (its <tspan>s), unescaped."""
    out = []
    for body in re.findall(r"<text[^>]*>(.*?)</text>", svg):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", body) or [body]
        out.append([line.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    for line in lines])
    return out


@pytest.mark.parametrize("label", [*SEED_NAMES.values(), *WELSH])
def test_a_label_is_wrapped_between_words_never_cut(label):
    lines = wrap_label(label)
    assert " ".join(lines).split() == label.split()  # every word, whole, in order
    assert all(len(line) <= WRAP for line in lines)


def test_the_longest_seed_names_take_two_lines_and_short_ones_one():
    assert wrap_label("Effectiveness of monitoring the ICT unit's performance") == [
        "Effectiveness of monitoring", "the ICT unit's performance"]
    assert wrap_label("Downtime") == ["Downtime"]


def test_a_word_longer_than_a_line_keeps_a_line_of_its_own_whole():
    word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
    assert wrap_label(f"Offices in {word} and Bangor") == ["Offices in", word, "and Bangor"]


def test_the_chart_draws_every_label_whole_beside_its_figure():
    names = list(SEED_NAMES.values())
    svg = score_bars([Bar(n, 4.0 + i / 10, f"{4 + i / 10:.2f}") for i, n in enumerate(names)], chart_id="f",
                     title="Satisfaction", desc="Bars", locale="en")
    texts = text_elements(svg)
    drawn = [" ".join(t) for t in texts if len(t) > 1 or t[0] in names]
    assert drawn == names  # in the order given, none shortened
    assert "5.90" in [t[0] for t in texts]
    assert re.search(r'<title id="f-title">Satisfaction</title><desc id="f-desc">Bars</desc>', svg)
    assert 'aria-labelledby="f-title" aria-describedby="f-desc"' in svg
    assert "viewBox" not in svg  # drawn at its real size: the text is never scaled down
    assert re.search(r'font-size="16"', svg)


def test_natural_order():
    shuffled = ["S10", "S2", "S1", "S20", "S11", "S3", "S19", "S9"]
    assert sorted(shuffled, key=natural_key) == ["S1", "S2", "S3", "S9", "S10", "S11", "S19", "S20"]
    assert sorted(["K2", "D10", "D9", "K10"], key=natural_key) == ["D9", "D10", "K2", "K10"]


@pytest.mark.parametrize("top, expected", [
    (0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (5, [0, 1, 2, 3, 4, 5]), (7, [0, 2, 4, 6, 8]),
    (23, [0, 5, 10, 15, 20, 25]), (1446, [0, 500, 1000, 1500]), (4014, [0, 1000, 2000, 3000, 4000, 5000]),
])
def test_count_axes_are_whole_numbers(top, expected):
    ticks = integer_ticks(top)
    assert ticks == expected
    assert all(isinstance(t, int) for t in ticks) and ticks[-1] >= top


def axis_numbers(svg: str) -> list[str]:
    return [t[0] for t in text_elements(svg) if re.fullmatch(r"[\d,.\-]+", t[0])]


def test_day_one_one_column_of_a_month_on_a_whole_number_axis():
    opens = date(2026, 12, 7)
    svg = responses_over_time([opens], [3], opens + timedelta(days=27), chart_id="d", title="Responses over time",
                              desc="By day", locale="en")
    columns = re.findall(r'<rect x="([\d.]+)%" y="([\d.]+)" width="([\d.]+)%" height="([\d.]+)" fill="#1d70b8"/>',
                         svg)
    assert len(columns) == 1
    x, _y, width, height = map(float, columns[0])
    assert x < 13 and width < (100 - 12) / 28  # a day's slot of 28, at the left: not the whole width
    assert height == COLUMNS  # 3 of an axis topped at 3: the column stands full height
    assert axis_numbers(svg) == ["0", "1", "2", "3", "3"]  # the axis, then the column's own figure
    dates = [t[0] for t in text_elements(svg) if not re.fullmatch(r"[\d,.\-]+", t[0])]
    assert dates[0] == "7 Dec" and dates[-1] == "3 Jan"


def test_the_count_axis_never_shows_a_fraction_and_welsh_dates():
    first = date(2026, 12, 1)
    svg = responses_over_time([first + timedelta(days=i) for i in range(3)], [1, 4, 7], first + timedelta(days=27),
                              chart_id="d", title="Ymatebion", desc="Yn ôl diwrnod", locale="cy")
    assert axis_numbers(svg) == ["0", "2", "4", "6", "8", "7"]
    assert "1 Rhag" in svg


def bars_of(svg: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(w), fill) for x, w, fill in
            re.findall(r'<rect x="([\d.]+)%" y="[\d.]+" width="([\d.]+)%" height="\d+" fill="(#[0-9a-f]+)"/>', svg)]


def test_weight_gaps_diverge_from_zero():
    """Weight gap = (satisfaction - importance) x importance / 7 (DESIGN.md definition 3):
    satisfaction 5, importance 7 gives -2; satisfaction 7, importance 4 gives 3 x 4 / 7."""
    shortfall, surplus = (5 - 7) * 7 / 7, (7 - 4) * 4 / 7
    assert diverging_ticks([shortfall, surplus]) == [-2, -1, 0, 1, 2]
    svg = diverging_bars([Bar("Downtime", shortfall, "-2.00"), Bar("Lead times", surplus, "1.71")], chart_id="w",
                         title="Weight gap", desc="Bars", locale="en")
    zero = PLOT * 2 / 4  # zero is the middle of -2..2
    (left_x, left_w, left_fill), (right_x, right_w, right_fill) = bars_of(svg)
    assert left_fill == RED and left_x == pytest.approx(0, abs=0.01) and left_x + left_w == pytest.approx(zero, abs=0.01)
    assert right_fill == BLUE and right_x == pytest.approx(zero, abs=0.01)
    assert right_w == pytest.approx(PLOT * surplus / 4, abs=0.01)
    assert axis_numbers(svg)[-5:] == ["-2", "-1", "0", "1", "2"]
    assert f'x1="{zero:.2f}%"' in svg  # the zero line is drawn


def test_scores_start_at_the_bottom_of_the_scale_with_the_benchmark_marked():
    svg = score_bars([Bar("Downtime", 4.0, "4.00", median=5.0, q1=4.5, q3=5.5)], chart_id="s", title="S",
                     desc="D", locale="en")
    [(x, width, fill)] = bars_of(svg)
    assert (x, fill) == (0, BLUE) and width == pytest.approx(PLOT * 3 / 6, abs=0.01)  # 4 on 1..7
    lines = re.findall(r'<line x1="([\d.]+)%" x2="[\d.]+%" y1="\d+" y2="\d+" stroke="(#[0-9a-f]+)" stroke-width="(\d)"',
                       svg)
    marks = {(round(float(x), 2), colour) for x, colour, w in lines if w in ("2", "3")}
    assert marks == {(round(PLOT * 3.5 / 6, 2), "#505a5f"), (round(PLOT * 4.5 / 6, 2), "#505a5f"),
                     (round(PLOT * 4 / 6, 2), "#0b0c0c")}
    assert axis_numbers(svg)[-7:] == ["1", "2", "3", "4", "5", "6", "7"]


def test_before_the_opening_day_the_weeks_to_come_and_no_column():
    opens = date(2026, 12, 7)
    svg = responses_over_time([], [], opens + timedelta(days=27), first_day=opens, chart_id="d", title="T",
                              desc="D", locale="en")
    assert "<rect" not in svg
    assert axis_numbers(svg) == ["0", "1"]
    dates = [t[0] for t in text_elements(svg) if not re.fullmatch(r"[\d,.\-]+", t[0])]
    assert dates[0] == "7 Dec" and dates[-1] == "3 Jan"
