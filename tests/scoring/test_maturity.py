"""Definition 9: DMA levels, commitment, the functions x layers grid and the gaps.

Answers are written as one pattern per function: five groups of two letters, one group
per layer 1..5, one letter per statement ("VL1.1", "VL1.2", "VL2.1", ...):
y Yes, n No, - no answer row at all, . a row with no value (a note written first).
"""
from __future__ import annotations

import pandas as pd
import pytest

from scoring.maturity import (benchmark_maturity, function_scores, gaps, layer_grid, maturity_values,
                              organisation_values, overall_scores, statement_frame)
from scoring.peers import PeerGroup

NINE = ["vision_leadership", "culture_skills", "user_centred_design", "digital_services", "data_analytics",
        "technology", "agile_working", "security_governance", "suppliers_partnerships"]
PREFIX = dict(zip(NINE, ["VL", "CS", "UD", "DS", "DA", "TE", "AW", "SG", "SP"]))


def statements_of(functions=NINE, per_layer=2, layers=5):
    return statement_frame((f"{PREFIX.get(f, f)}{layer}.{n}", f, layer)
                           for f in functions for layer in range(1, layers + 1) for n in range(1, per_layer + 1))


def answers_of(campaigns: dict[int, dict[str, str]], notes: dict | None = None) -> pd.DataFrame:
    rows = []
    for campaign_id, patterns in campaigns.items():
        for function, pattern in patterns.items():
            letters = pattern.replace(" ", "")
            per_layer = len(letters) // 5
            for i, letter in enumerate(letters):
                statement = f"{PREFIX.get(function, function)}{i // per_layer + 1}.{i % per_layer + 1}"
                if letter == "-":
                    continue
                value = {"y": "yes", "n": "no", ".": None}[letter]
                rows.append({"campaign_id": campaign_id, "statement_id": statement, "value": value,
                             "note": (notes or {}).get((campaign_id, statement))})
    return pd.DataFrame(rows, columns=["campaign_id", "statement_id", "value", "note"])


ALL_YES = "yy yy yy yy yy"


def scores_of(frame, campaign_id=1):
    return frame.loc[frame["campaign_id"] == campaign_id].set_index("function")


def test_statement_frame_keeps_the_questionnaires_order_and_refuses_a_duplicate():
    frame = statement_frame([("VL1.1", "vision_leadership", 1), ("CS1.1", "culture_skills", 1)])
    assert frame.columns.tolist() == ["statement_id", "function", "layer"]
    assert frame["statement_id"].tolist() == ["VL1.1", "CS1.1"] and frame["layer"].tolist() == [1, 1]
    with pytest.raises(ValueError, match="'VL1.1' is given more than once"):
        statement_frame([("VL1.1", "vision_leadership", 1), ("VL1.1", "vision_leadership", 2)])


def test_incomplete_layer_one_is_level_zero_whatever_is_above_it():
    statements = statements_of(["vision_leadership", "culture_skills", "technology"])
    answers = answers_of({1: {"vision_leadership": "yn yy yy yy yy",   # a No in layer 1
                              "culture_skills": "y- yy yy yy yy",      # layer 1 half unanswered
                              "technology": "y. yy yy yy yy"}})        # a note, no value yet
    scores = scores_of(function_scores(answers, statements))
    # each: 9 Yes of 10 statements, yet level 0: layer 1 is not all Yes
    assert scores["level"].tolist() == [0, 0, 0]
    assert scores["yes"].tolist() == [9, 9, 9] and scores["statements"].tolist() == [10, 10, 10]
    assert scores["commitment"].tolist() == [0.9, 0.9, 0.9]


def test_a_no_in_layer_three_stops_at_level_two_even_with_layers_four_and_five_all_yes():
    statements = statements_of(["data_analytics"])
    answers = answers_of({1: {"data_analytics": "yy yy yn yy yy"}})
    row = scores_of(function_scores(answers, statements)).loc["data_analytics"]
    # layers 1 and 2 all Yes, layer 3 has DA3.2 = No: level 2; 9 Yes of 10
    assert row["level"] == 2 and row["yes"] == 9 and row["commitment"] == pytest.approx(0.9)
    found = gaps(answers, statements)
    assert found[["function", "layer", "statement_id", "value"]].values.tolist() == [
        ["data_analytics", 3, "DA3.2", "no"]]


def test_all_yes_is_level_five_with_no_gaps():
    statements = statements_of()
    answers = answers_of({1: {f: ALL_YES for f in NINE}})
    scores = function_scores(answers, statements)
    assert scores["level"].tolist() == [5] * 9 and scores["commitment"].tolist() == [1.0] * 9
    overall = overall_scores(answers, statements).iloc[0]
    assert overall["level"] == 5.0 and overall["commitment"] == 1.0
    assert overall["yes"] == 90 and overall["statements"] == 90
    assert gaps(answers, statements).empty
    assert set(layer_grid(answers, statements)["state"]) == {"complete"}


def test_unanswered_statements_count_as_not_yes():
    statements = statements_of(["technology", "agile_working"])
    # technology: layer 1 Yes, TE2.1 Yes, TE2.2 never answered, nothing above: level 1
    # agile_working: no row at all (the function was never opened): level 0, commitment 0
    answers = answers_of({1: {"technology": "yy y- -- -- --"}})
    scores = scores_of(function_scores(answers, statements))
    assert scores.loc["technology", ["level", "yes", "statements"]].tolist() == [1, 3, 10]
    assert scores.loc["technology", "commitment"] == pytest.approx(0.3)
    assert scores.loc["agile_working", ["level", "yes", "statements"]].tolist() == [0, 0, 10]
    assert scores.loc["agile_working", "commitment"] == 0.0
    # gaps: technology's layer 2 unanswered one; agile_working's whole layer 1, unanswered
    found = gaps(answers, statements)
    assert found["statement_id"].tolist() == ["TE2.2", "AW1.1", "AW1.2"]
    assert found["value"].isna().all()


def test_a_campaign_with_no_answer_at_all_is_scored_when_named():
    statements = statements_of(["technology"])
    empty = answers_of({})
    assert function_scores(empty, statements).empty
    scores = function_scores(empty, statements, campaigns=[7])
    assert scores[["campaign_id", "function", "level", "yes", "statements"]].values.tolist() == [
        [7, "technology", 0, 0, 10]]
    assert overall_scores(empty, statements, campaigns=[7])["commitment"].tolist() == [0.0]
    assert layer_grid(empty, statements, campaigns=[7])["state"].tolist() == ["not_started"] * 5
    assert gaps(empty, statements, campaigns=[7])["statement_id"].tolist() == ["TE1.1", "TE1.2"]


def test_overall_level_is_the_median_over_nine_functions():
    statements = statements_of()
    patterns = ["yn yy yy yy yy",   # 0
                "yy nn yy yy yy",   # 1
                "yy yy n- yy yy",   # 2
                "yy yy yy ny yy",   # 3
                "yy yy yy yy yn",   # 4
                ALL_YES,            # 5
                ALL_YES,            # 5
                "yy yy nn nn nn",   # 2
                "yy n- -- -- --"]   # 1
    answers = answers_of({1: dict(zip(NINE, patterns))})
    levels = function_scores(answers, statements)["level"].tolist()
    assert levels == [0, 1, 2, 3, 4, 5, 5, 2, 1]
    overall = overall_scores(answers, statements).iloc[0]
    # sorted 0 1 1 2 2 3 4 5 5: the fifth is 2
    assert overall["level"] == 2.0
    # Yes per function: 9, 8, 8, 9, 9, 10, 10, 4, 2 = 69 of 90
    assert overall["yes"] == 69 and overall["statements"] == 90
    assert overall["commitment"] == pytest.approx(69 / 90)


def test_overall_level_over_an_even_number_of_functions_is_the_mean_of_the_middle_two():
    statements = statements_of(["vision_leadership", "culture_skills", "technology", "agile_working"])
    answers = answers_of({
        1: {"vision_leadership": "yy nn nn nn nn", "culture_skills": "yy yy nn nn nn",     # 1, 2
            "technology": "yy yy yy yy nn", "agile_working": ALL_YES},                   # 4, 5
        2: {"vision_leadership": "yy nn nn nn nn", "culture_skills": "yy yy nn nn nn",     # 1, 2
            "technology": "yy yy yy nn nn", "agile_working": ALL_YES}})                  # 3, 5
    overall = overall_scores(answers, statements).set_index("campaign_id")["level"]
    # campaign 1: 1 2 4 5 -> (2 + 4) / 2 = 3; campaign 2: 1 2 3 5 -> (2 + 3) / 2 = 2.5
    assert overall.to_dict() == {1: 3.0, 2: 2.5}


def test_overall_commitment_is_over_all_statements_not_the_mean_of_the_functions():
    # vision_leadership has 3 statements per layer (15), technology 1 per layer (5)
    statements = pd.concat([statements_of(["vision_leadership"], per_layer=3),
                            statements_of(["technology"], per_layer=1)], ignore_index=True)
    answers = answers_of({1: {"vision_leadership": "yyy yyy yyy nnn nnn",   # 9 of 15 = 0.6
                              "technology": "y n n n n"}})                     # 1 of 5 = 0.2
    scores = scores_of(function_scores(answers, statements))
    assert scores["commitment"].tolist() == [pytest.approx(0.6), pytest.approx(0.2)]
    assert scores["level"].tolist() == [3, 1]
    overall = overall_scores(answers, statements).iloc[0]
    # (9 + 1) / (15 + 5) = 0.5, where the mean of 0.6 and 0.2 would be 0.4
    assert overall["commitment"] == 0.5 and overall["level"] == 2.0


def test_grid_states_per_function_and_layer():
    statements = statements_of(["security_governance"])
    answers = answers_of({1: {"security_governance": "yy yn n- .y --"}})
    grid = layer_grid(answers, statements)
    assert grid.columns.tolist() == ["campaign_id", "function", "layer", "yes", "statements", "state"]
    # layer 1 both Yes; 2 one of two; 3 a No and no answer; 4 a note only and a Yes; 5 nothing
    assert grid[["layer", "yes", "statements", "state"]].values.tolist() == [
        [1, 2, 2, "complete"], [2, 1, 2, "partial"], [3, 0, 2, "not_started"], [4, 1, 2, "partial"],
        [5, 0, 2, "not_started"]]


@pytest.mark.parametrize("pattern, level, gap_ids", [
    ("nn yy yy yy yy", 0, ["SP1.1", "SP1.2"]),
    ("yy ny yy yy yy", 1, ["SP2.1"]),
    ("yy yy -n yy yy", 2, ["SP3.1", "SP3.2"]),
    ("yy yy yy y. nn", 3, ["SP4.2"]),
    ("yy yy yy yy nn", 4, ["SP5.1", "SP5.2"]),
    (ALL_YES, 5, []),
])
def test_gaps_are_the_layer_just_above_the_level(pattern, level, gap_ids):
    statements = statements_of(["suppliers_partnerships"])
    answers = answers_of({1: {"suppliers_partnerships": pattern}})
    assert function_scores(answers, statements)["level"].tolist() == [level]
    found = gaps(answers, statements)
    assert found["statement_id"].tolist() == gap_ids
    assert (found["layer"] == level + 1).all()


def test_gaps_carry_their_notes_and_values():
    statements = statements_of(["culture_skills"])
    answers = answers_of({1: {"culture_skills": "yy n. yy yy yy"}},
                         notes={(1, "CS2.1"): "Skills plan due in May", (1, "CS2.2"): "Not discussed yet"})
    found = gaps(answers, statements)
    assert found.columns.tolist() == ["campaign_id", "function", "layer", "statement_id", "value", "note"]
    assert found[["statement_id", "value", "note"]].values.tolist() == [
        ["CS2.1", "no", "Skills plan due in May"], ["CS2.2", None, "Not discussed yet"]]


def test_several_campaigns_at_once_are_scored_apart():
    statements = statements_of(["vision_leadership", "data_analytics"])
    answers = answers_of({
        10: {"vision_leadership": ALL_YES, "data_analytics": "yy yy yn yy yy"},   # 5, 2
        11: {"vision_leadership": "ny yy yy yy yy", "data_analytics": "yy -- -- -- --"},  # 0, 1
        12: {"data_analytics": ALL_YES}})                                         # 0 (nothing), 5
    scores = function_scores(answers, statements)
    assert scores[["campaign_id", "function", "level", "yes"]].values.tolist() == [
        [10, "vision_leadership", 5, 10], [10, "data_analytics", 2, 9],
        [11, "vision_leadership", 0, 9], [11, "data_analytics", 1, 2],
        [12, "vision_leadership", 0, 0], [12, "data_analytics", 5, 10]]
    overall = overall_scores(answers, statements).set_index("campaign_id")
    # medians of two levels: (5 + 2) / 2, (0 + 1) / 2, (0 + 5) / 2; commitment over 20 statements
    assert overall["level"].to_dict() == {10: 3.5, 11: 0.5, 12: 2.5}
    assert overall["commitment"].to_dict() == {10: 19 / 20, 11: 11 / 20, 12: 10 / 20}
    found = gaps(answers, statements)
    assert found[["campaign_id", "statement_id"]].values.tolist() == [
        [10, "DA3.2"], [11, "VL1.1"], [11, "DA2.1"], [11, "DA2.2"], [12, "VL1.1"], [12, "VL1.2"]]
    grid = layer_grid(answers, statements)
    assert len(grid) == 3 * 2 * 5


def test_answers_to_unknown_statements_are_left_out_and_doubles_refused():
    statements = statements_of(["technology"])
    answers = answers_of({1: {"technology": ALL_YES}})
    removed = pd.concat([answers, pd.DataFrame([{"campaign_id": 1, "statement_id": "XX9.9", "value": "no"}])],
                        ignore_index=True)
    assert function_scores(removed, statements)[["level", "yes", "statements"]].values.tolist() == [[5, 10, 10]]
    with pytest.raises(ValueError, match="more than one answer"):
        function_scores(pd.concat([answers, answers.iloc[:1]]), statements)


def test_values_are_one_long_frame_in_the_questionnaires_order():
    statements = statements_of(["technology", "culture_skills"])
    answers = answers_of({1: {"technology": "yy yn yy yy yy", "culture_skills": "yy yy yy yy yn"}})
    values = maturity_values(answers, statements)
    # technology: level 1, 9/10; culture_skills: level 4, 9/10; overall (1 + 4) / 2 = 2.5, 18/20
    assert values[["metric", "score", "yes", "statements"]].values.tolist() == [
        ["technology.level", 1.0, 9, 10], ["technology.commitment", 0.9, 9, 10],
        ["culture_skills.level", 4.0, 9, 10], ["culture_skills.commitment", 0.9, 9, 10],
        ["overall.level", 2.5, 18, 20], ["overall.commitment", 0.9, 18, 20]]


def test_benchmark_of_levels_and_commitment_over_a_peer_group():
    statements = statements_of(["technology"])
    # five organisations' technology levels 0, 1, 2, 4, 5 and Yes counts 1, 3, 5, 9, 10
    patterns = ["ny -- -- -- --", "yy y- -- -- --", "yy yy y- -- --", "yy yy yy yy ny", ALL_YES]
    answers = answers_of({c: {"technology": p} for c, p in zip(range(1, 6), patterns)})
    campaigns = pd.DataFrame({"campaign_id": [1, 2, 3, 4, 5], "organisation_id": [101, 102, 103, 104, 105],
                              "organisation_code": ["L2601", "L2602", "W2603", "L2604", "W2605"],
                              "year": [2026] * 5})
    values = organisation_values(maturity_values(answers, statements), campaigns)
    assert values.groupby("metric").size().to_dict() == {
        "overall.commitment": 5, "overall.level": 5, "technology.commitment": 5, "technology.level": 5}
    bench = benchmark_maturity(values).set_index("metric")
    # levels 0 1 2 4 5: positions 1, 2, 3 -> q1 1, median 2, q3 4
    assert bench.loc["technology.level", ["organisations", "q1", "median", "q3"]].tolist() == [5, 1.0, 2.0, 4.0]
    # commitment .1 .3 .5 .9 1.0 -> .3, .5, .9
    assert bench.loc["technology.commitment", ["q1", "median", "q3"]].tolist() == pytest.approx([0.3, 0.5, 0.9])
    assert bench.index.tolist() == ["technology.level", "technology.commitment", "overall.level",
                                    "overall.commitment"]
    # London boroughs only: levels 0 1 4 -> positions 0.5, 1, 1.5 -> q1 0.5, median 1, q3 2.5
    london = benchmark_maturity(values, peers=PeerGroup("type", "L")).set_index("metric")
    assert london.loc["technology.level", ["organisations", "q1", "median", "q3"]].tolist() == [3, 0.5, 1.0, 2.5]
    # with a minimum of 5, three organisations get no median or quartiles but keep their count
    withheld = benchmark_maturity(values, peers=PeerGroup("type", "L"), minimum=5).set_index("metric")
    assert withheld.loc["technology.level", "organisations"] == 3
    assert withheld.loc["technology.level", ["q1", "median", "q3"]].isna().all()
    # a named group by ids: 102 and 105 -> levels 1 and 5, median 3
    named = benchmark_maturity(values, peers=PeerGroup("group", "7", members=frozenset({102, 105})))
    assert named.set_index("metric").loc["technology.level", "median"] == 3.0


def test_an_organisations_latest_return_in_a_year_is_the_one_benchmarked():
    statements = statements_of(["technology"])
    answers = answers_of({1: {"technology": "nn -- -- -- --"}, 2: {"technology": ALL_YES},
                          3: {"technology": "yy -- -- -- --"}})
    campaigns = pd.DataFrame({"campaign_id": [1, 2, 3], "organisation_id": [101, 101, 101],
                              "organisation_code": ["L2501", "L2601", "L2601"], "year": [2025, 2026, 2026]})
    values = organisation_values(maturity_values(answers, statements), campaigns)
    levels = values.loc[values["metric"] == "technology.level"]
    # 2025: campaign 1 (level 0); 2026: campaign 3, the later of 2 and 3 (level 1)
    assert levels[["year", "campaign_id", "score"]].values.tolist() == [[2025, 1, 0.0], [2026, 3, 1.0]]
    bench = benchmark_maturity(values).set_index(["year", "metric"])
    assert bench.loc[(2026, "technology.level"), "median"] == 1.0


def test_no_answers_and_no_campaigns_give_empty_frames_with_their_columns():
    statements = statements_of(["technology"])
    empty = answers_of({})
    assert function_scores(empty, statements).columns.tolist() == [
        "campaign_id", "function", "level", "commitment", "yes", "statements"]
    assert overall_scores(empty, statements).columns.tolist() == [
        "campaign_id", "level", "commitment", "yes", "statements"]
    assert gaps(empty, statements).empty and layer_grid(empty, statements).empty
    values = maturity_values(empty, statements)
    campaigns = pd.DataFrame(columns=["campaign_id", "organisation_id", "organisation_code", "year"])
    bench = benchmark_maturity(organisation_values(values, campaigns))
    assert bench.empty and bench.columns.tolist() == ["year", "metric", "organisations", "q1", "median", "q3"]
