"""flask scores and flask benchmark for the Digital Maturity Assessment: levels and
commitment from the submitted returns in the maturity tables, worked out by hand.

Functions in the questionnaire's order: VL CS UD DS DA TE AW SG SP (DESIGN.md definition 9).
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.factories import make_org
from tests.survey_app.results.maturity_returns import ALL_YES, NOTHING, at_level, make_dma_campaign, make_return

#: council A's return, function by function: level, Yes of 10, and the gaps
#:   VL yy yy yn yy yy  level 2, 9 Yes; gap VL3.2 (No)
#:   CS all Yes         level 5, 10;    none
#:   UD yn ...          level 0, 9;     UD1.2 (No)
#:   DS yy y- -- -- --  level 1, 3;     DS2.2 (unanswered)
#:   DA yy yy yy nn nn  level 3, 6;     DA4.1, DA4.2
#:   TE yy yy yy yy ny  level 4, 9;     TE5.1
#:   AW nothing         level 0, 0;     AW1.1, AW1.2 (unanswered)
#:   SG yy nn nn nn nn  level 1, 2;     SG2.1, SG2.2
#:   SP yy yy nn nn nn  level 2, 4;     SP3.1, SP3.2
#: levels sorted 0 0 1 1 2 2 3 4 5: the median (fifth) is 2; Yes 52 of 90 = 57.8%; 12 gaps
COUNCIL_A = ["yy yy yn yy yy", ALL_YES, "yn yy yy yy yy", "yy y- -- -- --", "yy yy yy nn nn", "yy yy yy yy ny",
             NOTHING, "yy nn nn nn nn", "yy yy nn nn nn"]


@pytest.fixture
def council_a(app):
    campaign = make_dma_campaign(make_org(name="Aberhafren Test Council", type_letter="W", number=1))
    make_return(campaign, COUNCIL_A, notes={"VL3.2": "Strategy refresh due in May"})
    return campaign


def scores(runner, campaign, *extra):
    result = runner.invoke(args=["scores", str(campaign.id), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_scores_table_shows_each_function_and_the_overall_figures(runner, council_a):
    out = scores(runner, council_a)
    assert out.splitlines()[0].startswith("W2601 · ") and "2026/27" in out.splitlines()[0]
    assert "Return submitted on 20 May 2026." in out
    assert "Provisional" not in out  # released
    assert "Overall maturity level: 2.0 (the median of 9 functions)" in out
    assert "Overall commitment: 57.8% (52 of 90 statements answered Yes)" in out
    rows = {line.split("  ")[0]: line.split()[-8:] for line in out.splitlines()
            if line.startswith(("Vision and Leadership", "Culture and Skills", "Agile Working", "Technology "))}
    # level, commitment, Yes of each layer 1-5, next steps
    assert rows["Vision and Leadership"] == ["2", "90.0%", "2/2", "2/2", "1/2", "2/2", "2/2", "1"]
    assert rows["Culture and Skills"] == ["5", "100.0%", "2/2", "2/2", "2/2", "2/2", "2/2", "0"]
    assert rows["Agile Working"] == ["0", "0.0%", "0/2", "0/2", "0/2", "0/2", "0/2", "2"]
    assert rows["Technology"] == ["4", "90.0%", "2/2", "2/2", "2/2", "2/2", "1/2", "1"]
    steps = [line.split()[0] for line in out.split("Next steps: ")[1].splitlines()[3:]]
    assert steps == ["VL3.2", "UD1.2", "DS2.2", "DA4.1", "DA4.2", "TE5.1", "AW1.1", "AW1.2", "SG2.1", "SG2.2",
                     "SP3.1", "SP3.2"]
    ds = next(line for line in out.splitlines() if line.startswith("DS2.2"))
    assert "Not answered" in ds
    # notes are the organisation's own words: not on the command line
    assert "Strategy refresh" not in out and "Aberhafren" not in out


def test_scores_json_and_csv_keep_full_precision(runner, council_a):
    data = json.loads(scores(runner, council_a, "--format", "json"))
    assert data["organisation_code"] == "W2601" and data["submitted"] is True and data["released"] is True
    assert data["overall"] == {"level": 2.0, "commitment": pytest.approx(52 / 90, abs=1e-15), "yes": 52,
                               "statements": 90, "gaps": 12}
    functions = {f["function"]: f for f in data["functions"]}
    assert list(functions)[:3] == ["vision_leadership", "culture_skills", "user_centred_design"]
    vl = functions["vision_leadership"]
    assert (vl["label"], vl["level"], vl["commitment"], vl["yes"], vl["statements"]) == (
        "Vision and Leadership", 2, 0.9, 9, 10)
    assert [layer["state"] for layer in vl["layers"]] == ["complete", "complete", "partial", "complete", "complete"]
    assert [(g["statement_id"], g["layer"], g["value"]) for g in vl["gaps"]] == [("VL3.2", 3, "no")]
    assert [(g["statement_id"], g["value"]) for g in functions["agile_working"]["gaps"]] == [
        ("AW1.1", None), ("AW1.2", None)]
    assert [layer["state"] for layer in functions["data_analytics"]["layers"]] == [
        "complete", "complete", "complete", "not_started", "not_started"]
    rows = list(csv.DictReader(io.StringIO(scores(runner, council_a, "--format", "csv"))))
    assert [r["function"] for r in rows][-2:] == ["suppliers_partnerships", "overall"]
    assert rows[-1]["level"] == "2.0" and float(rows[-1]["commitment"]) == pytest.approx(52 / 90, abs=1e-15)
    assert rows[3] == {"function": "digital_services", "label": rows[3]["label"], "level": "1",
                       "commitment": "0.3", "yes": "3", "statements": "10", "gaps": "1"}


def test_welsh_scores(runner, council_a):
    out = scores(runner, council_a, "--language", "cy")
    assert "Lefel aeddfedrwydd gyffredinol: 2.0 (canolrif 9 o swyddogaethau)" in out
    assert "Ymrwymiad cyffredinol: 57.8% (52 o 90 datganiad wedi'u hateb Ie)" in out
    assert "Heb ateb" in out and "Na" in out


def test_a_draft_return_has_no_results_and_a_submitted_one_is_provisional_until_released(runner, app):
    draft = make_dma_campaign(make_org(type_letter="W", number=2), released=False)
    make_return(draft, ALL_YES, status="draft")
    out = scores(runner, draft)
    assert "The return has not been submitted yet: there are no results." in out and "Overall" not in out
    data = json.loads(scores(runner, draft, "--format", "json"))
    assert data["submitted"] is False and data["functions"] == [] and data["overall"] is None
    assert scores(runner, draft, "--format", "csv").strip() == ",".join(
        ["function", "label", "level", "commitment", "yes", "statements", "gaps"])
    provisional = make_dma_campaign(make_org(type_letter="W", number=3), released=False)
    make_return(provisional, at_level(3))
    out = scores(runner, provisional)
    assert "Provisional: these results count in benchmarks once the Improve team releases them." in out
    # every function at level 3 with 6 Yes of 10: median 3, 54 of 90 = 60.0%
    assert "Overall maturity level: 3.0" in out and "Overall commitment: 60.0% (54 of 90" in out
    assert "No next steps" not in out
    top = make_dma_campaign(make_org(type_letter="W", number=4))
    make_return(top, ALL_YES)
    out = scores(runner, top)
    assert "Overall maturity level: 5.0" in out and "No next steps: every function is at the top layer." in out


def test_scores_bad_input(runner, council_a):
    result = runner.invoke(args=["scores", "999999"])
    assert result.exit_code == 1 and "No campaign has the id 999999" in result.output
    result = runner.invoke(args=["scores", str(council_a.id), "--by", "device"])
    assert result.exit_code == 1
    assert "is an organisation's return (dma), not a staff survey: it has no breakdowns" in result.output


@pytest.fixture
def round_of_returns(app, council_a):
    """Five released returns in 2026/27 (A as above; B at level 1, C 3, D 4, E 5 in every
    function), B's return of 2025/26 (level 0), and two that do not count: F's is
    submitted but not released, G's released campaign has only a draft."""
    b = make_org(name="B", type_letter="W", number=2)
    make_return(make_dma_campaign(b, year=2025), at_level(0))
    make_return(make_dma_campaign(b), at_level(1))
    for letter, number, level in (("L", 3, 3), ("L", 4, 4), ("W", 5, 5)):
        make_return(make_dma_campaign(make_org(type_letter=letter, number=number)), at_level(level))
    make_return(make_dma_campaign(make_org(type_letter="W", number=6), released=False), at_level(5))
    make_return(make_dma_campaign(make_org(type_letter="W", number=7)), at_level(5), status="draft")


def benchmark(runner, *extra):
    result = runner.invoke(args=["benchmark", "dma", "--year", "2026/27", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_benchmark_table_over_released_submitted_returns(runner, round_of_returns):
    out = benchmark(runner)
    assert "Benchmark over 5 organisations, identified by code only." in out
    line = next(line for line in out.splitlines() if line.startswith("overall.level "))
    # overall levels A 2, B 1, C 3, D 4, E 5: sorted 1 2 3 4 5, q1 2, median 3, q3 4; 2025/26: B's 0
    assert line.split()[-5:] == ["5", "2.00", "3.00", "4.00", "0.00"]
    line = next(line for line in out.splitlines() if line.startswith("overall.commitment "))
    # .2, 52/90 = .5778, .6, .8, 1.0: q1 57.8%, median 60.0%, q3 80.0%
    assert line.split()[-5:] == ["5", "57.8%", "60.0%", "80.0%", "0.0%"]
    line = next(line for line in out.splitlines() if line.startswith("culture_skills.level "))
    # A 5, B 1, C 3, D 4, E 5: sorted 1 3 4 5 5
    assert line.split()[-5:] == ["5", "3.00", "4.00", "5.00", "0.00"]
    assert "W2606" not in out and "W2607" not in out
    # the organisations' overall level by default, best first, with band and change
    table = out.split("(overall.level)")[1].split("\n\n")[0].splitlines()[3:]
    assert [row.split()[0] for row in table] == ["W2605", "L2604", "L2603", "W2601", "W2602"]
    w2602 = table[-1].split()
    assert w2602[1:4] == ["1.00", "18/90", "1"] and w2602[-3:] == ["0.00", "(2025/26)", "+1.00"]
    commitment = out.split("(overall.commitment)")[1].splitlines()
    b = next(row for row in commitment if row.startswith("W2602")).split()
    assert b[1] == "20.0%" and b[-3:] == ["0.0%", "(2025/26)", "+20.0"]


def test_benchmark_json_csv_and_a_chosen_metric(runner, round_of_returns):
    data = json.loads(benchmark(runner, "--format", "json"))
    metrics = {m["metric"]: m for m in data["benchmarks"]}
    assert (metrics["overall.level"]["q1"], metrics["overall.level"]["median"], metrics["overall.level"]["q3"]) == (
        2.0, 3.0, 4.0)
    assert metrics["overall.commitment"]["q1"] == pytest.approx(52 / 90, abs=1e-15)
    assert metrics["overall.level"]["trend"] == [{"year": "2025/26", "organisations": 1, "q1": 0.0, "median": 0.0,
                                                  "q3": 0.0}]
    assert metrics["user_centred_design.level"]["median"] == 3.0  # A 0, B 1, C 3, D 4, E 5
    assert data["peer_group"]["organisations"] == 5 and data["peer_group"]["too_small"] is False
    own = [r for r in data["organisations"] if r["organisation_code"] == "W2601"]
    assert len(own) == 20 and own[0]["metric"] == "vision_leadership.level" and own[0]["band"] == 2
    rows = list(csv.DictReader(io.StringIO(benchmark(runner, "--format", "csv"))))
    level = next(r for r in rows if r["table"] == "benchmark" and r["metric"] == "overall.level"
                 and r["year"] == "2026/27")
    assert (level["function"], level["measure"], level["median"], level["peer_group"]) == (
        "overall", "level", "3.0", "all")
    out = benchmark(runner, "--metric", "technology.level")
    # technology: A 4, B 1, C 3, D 4, E 5: sorted 1 3 4 4 5, median 4; A's 4 is at the 3rd quartile (4)
    a = next(row for row in out.split("(technology.level)")[1].splitlines() if row.startswith("W2601")).split()
    assert a[1] == "4.00" and a[3] == "4"


def test_benchmark_over_peer_groups(runner, round_of_returns):
    out = benchmark(runner, "--peers", "type:L")
    line = next(line for line in out.splitlines() if line.startswith("overall.level "))
    # C 3 and D 4: positions 0.25, 0.5, 0.75 -> 3.25, 3.5, 3.75
    assert line.split()[-4:] == ["2", "3.25", "3.50", "3.75"]
    assert "Fewer than 5 organisations" in out
    data = json.loads(benchmark(runner, "--peers", "nation:wales", "--format", "json"))
    level = next(m for m in data["benchmarks"] if m["metric"] == "overall.level")
    # A 2, B 1, E 5 (F not released): sorted 1 2 5 -> 1.5, 2, 3.5
    assert (level["organisations"], level["q1"], level["median"], level["q3"]) == (3, 1.5, 2.0, 3.5)


def test_benchmark_bad_input(runner, round_of_returns):
    result = runner.invoke(args=["benchmark", "dma", "--year", "2027/28"])
    assert result.exit_code == 1
    assert ("No organisation has results for questionnaire 'dma' in 2027/28. Only released campaigns with a "
            "submitted return count") in result.output
    result = runner.invoke(args=["benchmark", "dma", "--year", "2026/27", "--metric", "S1.gap"])
    assert result.exit_code == 1 and "Unknown metric 'S1.gap': use one of vision_leadership.level" in result.output
    result = runner.invoke(args=["benchmark", "dma", "--year", "2026/27", "--peers", "nation:narnia"])
    assert result.exit_code == 1 and "Unknown peer group" in result.output
    result = runner.invoke(args=["benchmark", "dma", "--year", "2026/27", "--peers", "type:O"])
    assert result.exit_code == 1 and "No organisation in the peer group type:O" in result.output
