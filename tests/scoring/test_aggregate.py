"""Definitions 2 and 3: scores with n, gap and weight gap, areas, headline figures."""
from __future__ import annotations

import pandas as pd
import pytest

from questionnaires import available
from scoring import area_scores, factor_scores, gaps, headline, item_scores, items_frame, metrics, score_answers
from scoring.aggregate import sort_metrics


def scored_frame(questionnaire_id, answers_by_response):
    rows = [(rid, item, value) for rid, answers in answers_by_response.items() for item, value in answers.items()]
    answers = pd.DataFrame(rows, columns=["response_id", "item_id", "value"])
    items = items_frame(available()[questionnaire_id])
    return score_answers(answers, items), items


def test_item_and_factor_scores_count_only_numbers():
    scored, _ = scored_frame("user-satisfaction", {
        1: {"overall": "6", "sat_S1": "6", "imp_S1": "7"},
        2: {"overall": "3", "sat_S1": "4", "imp_S1": "6"},
        3: {"overall": "dont_know", "sat_S1": "5", "imp_S1": "dont_know"},
    })
    items = item_scores(scored).set_index("item_id")
    assert items.loc["overall", "score"] == 4.5 and items.loc["overall", "n"] == 2
    factors = factor_scores(scored).set_index(["factor", "measure"])
    assert factors.loc[("S1", "satisfaction"), "score"] == 5.0 and factors.loc[("S1", "satisfaction"), "n"] == 3
    assert factors.loc[("S1", "importance"), "score"] == 6.5 and factors.loc[("S1", "importance"), "n"] == 2


def test_gap_and_weight_gap_worked_by_hand():
    # S1: satisfaction 6, 4, 5 -> 5.0; importance 7, 6, don't know -> 6.5
    # gap = 5.0 - 6.5 = -1.5; weight gap = -1.5 x 6.5 / 7 = -9.75 / 7 = -1.392857...
    # S2: satisfaction 6, importance 4 -> gap 2, weight gap 2 x 4 / 7 = 8/7
    scored, _ = scored_frame("user-satisfaction", {
        1: {"sat_S1": "6", "imp_S1": "7", "sat_S2": "6", "imp_S2": "4"},
        2: {"sat_S1": "4", "imp_S1": "6"},
        3: {"sat_S1": "5", "imp_S1": "dont_know"},
    })
    g = gaps(factor_scores(scored)).set_index("factor")
    assert g.loc["S1", "gap"] == -1.5
    assert g.loc["S1", "weight_gap"] == pytest.approx(-9.75 / 7, abs=1e-15)
    assert g.loc["S1", "weight_gap"] < 0 < g.loc["S2", "weight_gap"]
    assert g.loc["S2", "weight_gap"] == pytest.approx(8 / 7, abs=1e-15)
    assert (g.loc["S1", "n_satisfaction"], g.loc["S1", "n_importance"]) == (3, 2)
    m = metrics(scored).set_index("metric")
    assert m.loc["S1.weight_gap", "score"] == pytest.approx(-9.75 / 7, abs=1e-15)
    assert m.loc["S1.gap", "kind"] == "gap" and pd.isna(m.loc["S1.gap", "n"])


def test_area_score_is_the_mean_of_respondents_means():
    # SDMA maturity5: 5 -> 7, 1 -> 1, 3 -> 4.
    # respondent 1: D1 7, D2 1 -> 4; respondent 2: D1 4, D2 don't know -> 4. Area: 4, n 2.
    # (The mean of the item means would be (5.5 + 1) / 2 = 3.25: each respondent counts once instead.)
    scored, _ = scored_frame("sdma", {1: {"D1": "5", "D2": "1"}, 2: {"D1": "3", "D2": "dont_know"}})
    areas = area_scores(scored).set_index("area")
    assert areas.loc["user_research", "score"] == 4.0 and areas.loc["user_research", "n"] == 2


def test_user_skills_area_mixes_measures_and_reversed_items():
    # problem_solving: K14-K16 confidence (5-point), K20 agreement, K21 agreement reversed.
    # K14 "5" -> 7; K20 "4" -> 5.5; K21 "4" reversed -> 2.5. Respondent mean (7 + 5.5 + 2.5) / 3 = 5.
    scored, _ = scored_frame("user-skills", {1: {"K14": "5", "K20": "4", "K21": "4"}})
    areas = area_scores(scored).set_index("area")
    assert areas.loc["problem_solving", "score"] == 5.0


def test_headline_and_several_items_per_factor():
    scored, items = scored_frame("user-satisfaction", {
        1: {"overall": "7", "improved": "5"}, 2: {"overall": "4", "improved": "dont_know"},
    })
    m = metrics(scored)
    assert headline(m) == {"overall_satisfaction": (5.5, 2), "service_improved": (5.0, 1)}
    assert "item" not in set(m["kind"])  # one item per factor and measure: the factor is the item
    # two items for one factor and measure: each respondent's mean first, and item rows too
    answers = pd.DataFrame({"response_id": [1, 1, 2], "item_id": ["a", "b", "a"], "value": ["7", "1", "1"]})
    two = pd.DataFrame({"item_id": ["a", "b"], "type": "scale", "factor": "F", "measure": "agreement",
                        "area": None, "reverse": False, "scale_min": 1.0, "scale_max": 7.0, "position": [0, 1]})
    m = metrics(score_answers(answers, two)).set_index("metric")
    assert m.loc["F.agreement", "score"] == 2.5 and m.loc["F.agreement", "n"] == 2  # (4 + 1) / 2
    assert m.loc["item.a", "score"] == 4.0 and m.loc["item.b", "n"] == 1


def test_metrics_come_in_questionnaire_order():
    scored, items = scored_frame("user-satisfaction", {
        1: {"imp_S2": "7", "sat_S2": "3", "imp_S1": "6", "sat_S1": "5", "improved": "4", "overall": "5"},
    })
    ordered = sort_metrics(metrics(scored), items)["metric"].tolist()
    assert ordered == ["OVERALL.satisfaction", "IMPROVED.improvement", "S1.satisfaction", "S1.importance",
                       "S2.satisfaction", "S2.importance", "S1.gap", "S2.gap", "S1.weight_gap", "S2.weight_gap"]


def test_nothing_to_score_gives_an_empty_frame():
    scored, _ = scored_frame("user-satisfaction", {1: {"device": "laptop"}})
    assert metrics(scored).empty and headline(metrics(scored))["overall_satisfaction"] is None
