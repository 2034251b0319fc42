"""flask benchmark: median and quartiles over organisations, bands and trends, by code only."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from tests.factories import make_campaign, make_org, make_participant

YEAR = 2025


@pytest.fixture
def organisations(app, make_response):
    """Four organisations in 2025 with overall satisfaction 6.0, 4.0, 5.5 and 2.5, and
    the first of them also in 2024 (5.0). The third ran two campaigns in 2025, one
    value between them: (5 + 6) / 2 = 5.5."""
    plan = {("E", 1, "Alderley Test Council"): [["7", "5"]], ("S", 2, "Bracken Test Council"): [["4"]],
            ("W", 3, "Cwm Test Council"): [["5"], ["6"]], ("L", 4, "Dunmere Test Council"): [["2", "3"]]}
    orgs = {}
    for (letter, number, name), campaigns in plan.items():
        org = orgs[name] = make_org(name=name, type_letter=letter, number=number)
        for answers in campaigns:
            campaign = make_campaign(org, opens=date(YEAR, 3, 2))
            people = [make_participant(campaign) for _ in range(4)]
            for person, overall in zip(people, answers):
                make_response(campaign, {"overall": overall}, participant=person)
    earlier = make_campaign(orgs["Alderley Test Council"], opens=date(YEAR - 1, 3, 2))
    make_response(earlier, {"overall": "5"}, participant=make_participant(earlier))
    return orgs


def test_json_benchmark_bands_and_trend(runner, organisations):
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    overall = next(b for b in data["benchmarks"] if b["metric"] == "OVERALL.satisfaction")
    # sorted 2.5 4 5.5 6: q1 = 2.5 + 0.75 x 1.5 = 3.625; median = 4.75; q3 = 5.5 + 0.25 x 0.5 = 5.625
    assert (overall["organisations"], overall["q1"], overall["median"], overall["q3"]) == (4, 3.625, 4.75, 5.625)
    assert overall["trend"] == [{"year": YEAR - 1, "organisations": 1, "q1": 5.0, "median": 5.0, "q3": 5.0}]
    orgs = {(o["organisation_code"], o["metric"]): o for o in data["organisations"]}
    assert orgs[("E2501", "OVERALL.satisfaction")]["band"] == 4
    assert orgs[("W2503", "OVERALL.satisfaction")]["score"] == 5.5 and orgs[("W2503", "OVERALL.satisfaction")]["band"] == 3
    assert orgs[("S2502", "OVERALL.satisfaction")]["band"] == 2 and orgs[("L2504", "OVERALL.satisfaction")]["band"] == 1
    first = orgs[("E2501", "OVERALL.satisfaction")]
    assert (first["previous_year"], first["previous_score"], first["change"]) == (YEAR - 1, 5.0, 1.0)
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
    assert line.split()[-5:] == ["4", "3.63", "4.75", "5.63", "5.00"]  # 3.625 shown half-up; median 2024
    band = next(x for x in out.splitlines() if x.startswith("E2501"))
    assert "4 At or above the 3rd quartile" in band and "+1.00" in band and "5.00 (2024)" in band
    rows = list(csv.DictReader(io.StringIO(
        runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "csv"]).output)))
    row = next(r for r in rows if r["table"] == "benchmark" and r["metric"] == "OVERALL.satisfaction"
               and r["year"] == str(YEAR))
    assert (row["q1"], row["median"], row["q3"]) == ("3.625", "4.75", "5.625")
    welsh = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--language", "cy"]).output
    assert "Meincnod dros 4 sefydliad" in welsh and "Canolrif" in welsh and "Chwartel cyntaf" in welsh


def test_refusals(runner, organisations):
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "1999"])
    assert result.exit_code == 1 and "No organisation has results" in result.output
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--metric", "S99.nothing"])
    assert result.exit_code == 1 and "Unknown metric 'S99.nothing'" in result.output
