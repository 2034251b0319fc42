"""flask benchmark: median and quartiles over organisations, bands and trends, by code only."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from tests.factories import make_campaign, make_org, make_participant

YEAR = 2025
LABEL, EARLIER = "2025/26", "2024/25"  # the financial years from April 2025 and April 2024


@pytest.fixture
def organisations(app, make_response):
    """Four organisations in 2025/26 with overall satisfaction 6.0, 4.0, 5.5 and 2.5, and
    the first of them also in 2024/25 (5.0). The third ran two campaigns in 2025/26, one
    value between them: (5 + 6) / 2 = 5.5."""
    plan = {("E", 1, "Alderley Test Council"): [["7", "5"]], ("S", 2, "Bracken Test Council"): [["4"]],
            ("W", 3, "Cwm Test Council"): [["5"], ["6"]], ("L", 4, "Dunmere Test Council"): [["2", "3"]]}
    orgs = {}
    for (letter, number, name), campaigns in plan.items():
        org = orgs[name] = make_org(name=name, type_letter=letter, number=number)
        for answers in campaigns:
            campaign = make_campaign(org, opens=date(YEAR, 6, 2))
            people = [make_participant(campaign) for _ in range(4)]
            for person, overall in zip(people, answers):
                make_response(campaign, {"overall": overall}, participant=person)
    earlier = make_campaign(orgs["Alderley Test Council"], opens=date(YEAR - 1, 6, 2))
    make_response(earlier, {"overall": "5"}, participant=make_participant(earlier))
    return orgs


def test_json_benchmark_bands_and_trend(runner, organisations):
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    overall = next(b for b in data["benchmarks"] if b["metric"] == "OVERALL.satisfaction")
    # sorted 2.5 4 5.5 6: q1 = 2.5 + 0.75 x 1.5 = 3.625; median = 4.75; q3 = 5.5 + 0.25 x 0.5 = 5.625
    assert (overall["organisations"], overall["q1"], overall["median"], overall["q3"]) == (4, 3.625, 4.75, 5.625)
    assert (data["year"], data["years"]) == (LABEL, [EARLIER, LABEL])
    assert overall["trend"] == [{"year": EARLIER, "organisations": 1, "q1": 5.0, "median": 5.0, "q3": 5.0}]
    orgs = {(o["organisation_code"], o["metric"]): o for o in data["organisations"]}
    assert orgs[("E2501", "OVERALL.satisfaction")]["band"] == 4
    assert orgs[("W2503", "OVERALL.satisfaction")]["score"] == 5.5 and orgs[("W2503", "OVERALL.satisfaction")]["band"] == 3
    assert orgs[("S2502", "OVERALL.satisfaction")]["band"] == 2 and orgs[("L2504", "OVERALL.satisfaction")]["band"] == 1
    first = orgs[("E2501", "OVERALL.satisfaction")]
    assert (first["year"], first["previous_year"], first["previous_score"], first["change"]) == (
        LABEL, EARLIER, 5.0, 1.0)
    # response rates: 2/4, 1/4, 2/8 (two campaigns together), 2/4
    rates = {code: o["score"] for (code, metric), o in orgs.items() if metric == "response_rate"}
    assert rates == {"E2501": 50.0, "S2502": 25.0, "W2503": 25.0, "L2504": 50.0}


def test_organisations_appear_by_code_only(runner, organisations):
    outputs = [runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), *extra]).output
               for extra in ([], ["--format", "csv"], ["--format", "json"], ["--language", "cy"])]
    for out in outputs:
        assert "E2501" in out and "L2504" in out
        assert not any(name.split()[0] in out for name in organisations)


def test_table_and_csv(runner, organisations):
    out = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR),
                              "--metric", "OVERALL.satisfaction"]).output
    assert "Benchmark over 4 organisations, identified by code only." in out
    line = next(x for x in out.splitlines() if x.startswith("OVERALL.satisfaction"))
    assert out.splitlines()[0].endswith(f" · {LABEL}") and f"Median {EARLIER}" in out
    assert line.split()[-5:] == ["4", "3.63", "4.75", "5.63", "5.00"]  # 3.625 shown half-up; median 2024/25
    band = next(x for x in out.splitlines() if x.startswith("E2501"))
    assert "4 At or above the 3rd quartile" in band and "+1.00" in band and f"5.00 ({EARLIER})" in band
    rows = list(csv.DictReader(io.StringIO(
        runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "csv"]).output)))
    row = next(r for r in rows if r["table"] == "benchmark" and r["metric"] == "OVERALL.satisfaction"
               and r["year"] == LABEL)
    assert (row["q1"], row["median"], row["q3"]) == ("3.625", "4.75", "5.625")
    welsh = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--language", "cy"]).output
    assert "Meincnod dros 4 sefydliad" in welsh and "Canolrif" in welsh and "Chwartel cyntaf" in welsh


def test_refusals(runner, organisations):
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "1999"])
    assert result.exit_code == 1 and "No organisation has results for questionnaire 'user-satisfaction' in " \
        "1999/00." in result.output
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--metric", "S99.nothing"])
    assert result.exit_code == 1 and "Unknown metric 'S99.nothing'" in result.output


def test_a_round_from_november_to_january_is_one_financial_year(runner, make_response):
    """Campaigns opening on 1 April 2026, in November 2026 and in January 2027 are one data
    year, 2026/27, whose codes carry 26; one opening the day before, 31 March 2026, is in
    2025/26 with 25 (DESIGN.md definition 8)."""
    opening = {("E", 11): date(2026, 4, 1), ("S", 12): date(2026, 11, 2), ("W", 13): date(2027, 1, 11),
               ("L", 14): date(2026, 3, 31)}
    for (letter, number), opens in opening.items():
        # closed and released, the January one early: only released campaigns count
        campaign = make_campaign(make_org(type_letter=letter, number=number), opens=opens, released=True)
        make_response(campaign, {"overall": str(number - 8)}, participant=make_participant(campaign))
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2026/27", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    overall = next(b for b in data["benchmarks"] if b["metric"] == "OVERALL.satisfaction")
    # 3, 4 and 5 from E, S and W: median 4; L's 6 is a year earlier
    assert (data["year"], overall["organisations"], overall["median"]) == ("2026/27", 3, 4.0)
    codes = {o["organisation_code"] for o in data["organisations"]}
    assert codes == {"E2611", "S2612", "W2613"}
    assert {o["year"] for o in data["organisations"]} == {"2026/27"}
    # the year it starts in means the same year
    same = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2026", "--format", "json"])
    assert json.loads(same.output) == data
    earlier = json.loads(runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2025/26",
                                             "--format", "json"]).output)
    assert {o["organisation_code"] for o in earlier["organisations"]} == {"L2514"}
    assert earlier["years"] == ["2025/26"]


@pytest.mark.parametrize("typed", ["2026/28", "2026-27", "26/27", "next year", "2026\x01"])
def test_a_year_written_any_other_way_is_refused(runner, typed):
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", typed])
    assert result.exit_code == 2
    assert "Invalid value for '--year'" in result.output
    assert ("write the financial year as 2026/27" in result.output or "is written 2026/27" in result.output
            or "control character" in result.output)
