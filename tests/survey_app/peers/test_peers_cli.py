"""flask peers (named groups) and flask benchmark --peers: medians worked out by hand."""
from __future__ import annotations

import json
from datetime import date

import pytest

from survey_app.extensions import db
from survey_app.models import NamedPeerGroup
from tests.factories import make_campaign, make_org, make_participant

YEAR = 2025

#: (type letter, number, partnership) -> overall satisfaction of its one response in 2025/26
PLAN = {("L", 1, False): "6", ("L", 2, False): "4", ("L", 3, False): "5", ("M", 4, False): "3",
        ("E", 5, False): "7", ("S", 6, False): "2", ("W", 7, True): "5"}


@pytest.fixture
def organisations(app, make_response):
    orgs = {}
    for (letter, number, partnership), overall in PLAN.items():
        org = make_org(name=f"Council {letter}{number}", type_letter=letter, number=number, partnership=partnership)
        campaign = make_campaign(org, opens=date(YEAR, 6, 2))
        make_response(campaign, {"overall": overall}, participant=make_participant(campaign))
        orgs[org.code_for(YEAR)] = org
    return orgs


def run(runner, *args):
    return runner.invoke(args=[*args])


def overall(runner, *peers):
    result = run(runner, "benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "json", *peers)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    row = next(b for b in data["benchmarks"] if b["metric"] == "OVERALL.satisfaction" and b["year"] == "2025/26")
    codes = sorted({o["organisation_code"] for o in data["organisations"]})
    return data, (row["organisations"], row["q1"], row["median"], row["q3"]), codes


def test_benchmark_over_each_kind_of_peer_group(runner, organisations):
    # all seven: 6 4 5 3 7 2 5, sorted 2 3 4 5 5 6 7; positions 1.5, 3, 4.5 -> 3.5, 5, 5.5
    data, figures, codes = overall(runner)
    assert figures == (7, 3.5, 5.0, 5.5) and len(codes) == 7
    assert data["peer_group"]["key"] == "all" and data["peer_group"]["too_small"] is False
    # England (E, L, M): 6 4 5 3 7, sorted 3 4 5 6 7 -> 4, 5, 6
    data, figures, codes = overall(runner, "--peers", "nation:england")
    assert figures == (5, 4.0, 5.0, 6.0)
    assert codes == ["E2505", "L2501", "L2502", "L2503", "M2504"]
    assert data["peer_group"]["label"] == "Organisations in England"
    # London and metropolitan boroughs: 6 4 5 3, sorted 3 4 5 6; positions 0.75, 1.5, 2.25 -> 3.75, 4.5, 5.25
    data, figures, codes = overall(runner, "--peers", "type:LM")
    assert figures == (4, 3.75, 4.5, 5.25) and data["peer_group"]["too_small"] is True
    bands = {o["organisation_code"]: o["band"] for o in data["organisations"] if o["metric"] == "OVERALL.satisfaction"}
    assert bands == {"L2501": 4, "L2502": 2, "L2503": 3, "M2504": 1}
    # not partnerships: all but W2507(P): 6 4 5 3 7 2, sorted 2 3 4 5 6 7; positions 1.25, 2.5, 3.75
    _data, figures, codes = overall(runner, "--peers", "partnership:no")
    assert figures == (6, 3.25, 4.5, 5.75) and "W2507(P)" not in codes


def test_named_group_life_cycle(runner, organisations):
    out = run(runner, "peers", "create", "Inner cities", "L2501", "l2502", "M2504")
    assert out.exit_code == 0, out.output
    assert "Created the peer group 'Inner cities'" in out.output and "with 3 organisations" in out.output
    # any year's code names the organisation
    assert run(runner, "peers", "add", "inner cities", "E2405", "L2501").output.startswith(
        "Added 1 organisations to 'Inner cities'; it has 4.")
    assert "Inner cities  4" in run(runner, "peers", "list").output
    shown = run(runner, "peers", "show", "Inner cities", "--year", "2025/26").output
    assert shown.splitlines()[1:] == ["E2505", "L2501", "L2502", "M2504"]
    # 6 4 3 7 sorted 3 4 6 7: positions 0.75, 1.5, 2.25 -> 3.75, 5, 6.25
    data, figures, codes = overall(runner, "--peers", "group:Inner cities")
    assert figures == (4, 3.75, 5.0, 6.25) and codes == ["E2505", "L2501", "L2502", "M2504"]
    assert data["peer_group"]["label"] == "Inner cities"
    assert run(runner, "peers", "remove", "Inner cities", "M2504").exit_code == 0
    assert run(runner, "peers", "rename", "Inner cities", "Big cities").output.strip() == \
        "Renamed 'Inner cities' to 'Big cities'."
    group = db.session.scalar(db.select(NamedPeerGroup))
    db.session.refresh(group)
    assert group.name == "Big cities" and len(group.members) == 3
    assert run(runner, "peers", "delete", "Big cities", "--yes").exit_code == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(NamedPeerGroup)) == 0
    assert "No named peer groups yet" in run(runner, "peers", "list").output


def test_table_output_names_the_group_and_flags_a_small_one(runner, organisations):
    out = run(runner, "benchmark", "user-satisfaction", "--year", str(YEAR), "--peers", "type:L").output
    assert out.splitlines()[2] == ("Peer group: London boroughs (type L). Fewer than 5 organisations: "
                                   "organisations are shown no median or quartiles for this group.")
    assert "Benchmark over 3 organisations" in out
    welsh = run(runner, "benchmark", "user-satisfaction", "--year", str(YEAR), "--peers", "nation:wales",
                "--language", "cy").output
    assert welsh.splitlines()[2].startswith("Grŵp cymheiriaid: Sefydliadau yng Nghymru.")


@pytest.mark.parametrize("args, message", [
    (["peers", "create", "Cities", "L2501", "X9999", "L9"], "No organisation has the code 'X9999', 'L9'."),
    (["peers", "create", "   "], "The peer group needs a name."),
    (["peers", "create", "x" * 101], "must be 100 characters or fewer"),
    (["peers", "add", "Nowhere", "L2501"], "No peer group is called 'Nowhere'"),
    (["peers", "remove", "Cities", "S2506"], "Not in the peer group 'Cities': S2506."),
    (["peers", "add", "Cities", "Z2501"], "No organisation has the code 'Z2501'."),
    (["peers", "create", "CITIES"], "There is already a peer group called 'Cities'."),
    (["peers", "rename", "Cities", "cities "], None),
    (["benchmark", "user-satisfaction", "--year", "2025", "--peers", "nation:france"],
     "Unknown peer group 'nation:france': use all, type:LETTERS"),
    (["benchmark", "user-satisfaction", "--year", "2025", "--peers", "group:Nowhere"],
     "No peer group is called 'Nowhere'"),
])
def test_bad_input_is_refused_and_changes_nothing(runner, organisations, args, message):
    assert run(runner, "peers", "create", "Cities", "L2501", "L2502").exit_code == 0
    result = run(runner, *args)
    if message is None:  # a rename to the same name in other case is its own name: allowed
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    assert message in result.output
    groups = db.session.scalars(db.select(NamedPeerGroup)).all()
    assert [g.name for g in groups] == ["Cities"]
    db.session.refresh(groups[0])
    assert sorted(m.organisation.code_for(YEAR) for m in groups[0].members) == ["L2501", "L2502"]


def test_a_group_with_no_results_that_year(runner, organisations):
    make_org(name="Quiet Council", type_letter="C", number=9)
    result = run(runner, "benchmark", "user-satisfaction", "--year", str(YEAR), "--peers", "type:C")
    assert result.exit_code == 1
    assert "No organisation in the peer group type:C has results" in result.output


def read_csv(path):
    import csv
    import io

    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_export_over_a_peer_group(runner, organisations, tmp_path):
    out = tmp_path / "england"
    result = run(runner, "export", "--questionnaire", "user-satisfaction", "--year", "2025/26", "--format", "csv",
                 "--out", str(out), "--peers", "nation:england")
    assert result.exit_code == 0, result.output
    base = "user-satisfaction-2025-26-nation-england"
    assert sorted(p.name for p in out.iterdir()) == [f"{base}-{t}.csv" for t in
                                                      ("benchmarks", "dictionary", "long", "scores", "wide")]
    bench = {r["metric"]: r for r in read_csv(out / f"{base}-benchmarks.csv")}
    overall = bench["OVERALL.satisfaction"]
    # England: 6 4 5 3 7 -> 4, 5, 6 (as flask benchmark --peers nation:england)
    assert (overall["organisations"], overall["q1"], overall["median"], overall["q3"], overall["peer_group"]) == (
        "5", "4.0", "5.0", "6.0", "nation:england")
    # only the group's organisations in the other tables
    codes = {r["organisation_code"] for r in read_csv(out / f"{base}-long.csv")}
    assert codes == {"L2501", "L2502", "L2503", "M2504", "E2505"}
    scores = {(r["organisation_code"], r["metric"]): r for r in read_csv(out / f"{base}-scores.csv")
              if not r["dimension"]}
    assert scores[("M2504", "OVERALL.satisfaction")]["band"] == "1"
    described = {(r["table"], r["column"]): r["description"] for r in read_csv(out / f"{base}-dictionary.csv")}
    assert described[("benchmarks", "peer_group")].startswith("The organisations the benchmark is over: all;")
    # a named group is written by its name
    run(runner, "peers", "create", "Pair", "S2506", "W2507(P)", "L2501")
    named = tmp_path / "named"
    assert run(runner, "export", "--questionnaire", "user-satisfaction", "--year", "2025/26", "--format", "csv",
               "--out", str(named), "--peers", "group:pair").exit_code == 0
    group_id = db.session.scalar(db.select(NamedPeerGroup.id))
    rows = read_csv(named / f"user-satisfaction-2025-26-group-{group_id}-benchmarks.csv")
    assert {r["peer_group"] for r in rows} == {"group:Pair"}


def test_export_refuses_an_unknown_group(runner, organisations, tmp_path):
    result = run(runner, "export", "--questionnaire", "user-satisfaction", "--year", "2025/26", "--format", "csv",
                 "--out", str(tmp_path / "x"), "--peers", "type:Q")
    assert result.exit_code == 1 and "Unknown peer group 'type:Q'" in result.output
    assert not (tmp_path / "x").exists()
    result = run(runner, "export", "--questionnaire", "user-satisfaction", "--year", "2025/26", "--format", "csv",
                 "--out", str(tmp_path / "y"), "--peers", "type:C")
    assert result.exit_code == 1 and "in the peer group type:C" in result.output


@pytest.mark.parametrize("args", [["peers", "create", "Coun\x01cils"], ["peers", "create", "Cities", "L25\x0701"],
                                  ["benchmark", "user-satisfaction", "--year", "2025", "--peers", "type:\x1bL"]])
def test_control_characters_are_refused_before_any_query(runner, organisations, args):
    result = run(runner, *args)
    assert result.exit_code == 2 and "control character" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(NamedPeerGroup)) == 0


def test_delete_asks_first(runner, organisations):
    run(runner, "peers", "create", "Cities", "L2501")
    kept = runner.invoke(args=["peers", "delete", "Cities"], input="n\n")
    assert kept.exit_code == 1 and "Delete the peer group 'Cities' (1 organisations)?" in kept.output
    assert db.session.scalar(db.select(db.func.count()).select_from(NamedPeerGroup)) == 1
    gone = runner.invoke(args=["peers", "delete", "Cities"], input="y\n")
    assert gone.exit_code == 0 and "Deleted the peer group 'Cities'." in gone.output
    assert db.session.scalar(db.select(db.func.count()).select_from(NamedPeerGroup)) == 0
