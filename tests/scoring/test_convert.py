"""Definition 1: conversion to the 1-7 scale, worked out by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from questionnaires import available
from scoring import items_frame, score_answers, to_seven


def convert(values, lo, hi, reverse=False, kind="scale"):
    n = len(values)
    return to_seven(pd.Series(values, dtype=object), pd.Series([kind] * n), pd.Series([lo] * n, dtype=float),
                    pd.Series([hi] * n, dtype=float), pd.Series([reverse] * n)).tolist()


def test_seven_point_scale_is_unchanged_and_reverses_to_eight_minus():
    assert convert(["1", "2", "3", "4", "5", "6", "7"], 1, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert convert(["1", "2", "6", "7"], 1, 7, reverse=True) == [7, 6, 2, 1]


def test_five_point_scale():
    # 1 + 6 * (x - 1) / 4: steps of 1.5
    assert convert(["1", "2", "3", "4", "5"], 1, 5) == [1.0, 2.5, 4.0, 5.5, 7.0]
    # reversed: 8 - that
    assert convert(["1", "2", "3", "4", "5"], 1, 5, reverse=True) == [7.0, 5.5, 4.0, 2.5, 1.0]


def test_ten_point_scale_keeps_full_precision():
    # 1 + 6 * (x - 1) / 9: x=4 -> 3; x=5 -> 1 + 24/9 = 11/3; x=2 -> 1 + 6/9 = 5/3
    scores = convert(["1", "4", "5", "2", "10"], 1, 10)
    assert scores[0] == 1.0 and scores[1] == 3.0 and scores[4] == 7.0
    assert scores[2] == pytest.approx(11 / 3, abs=1e-15) and scores[2] != round(scores[2], 2)
    assert scores[3] == pytest.approx(5 / 3, abs=1e-15)
    # reversed 10-point: 8 - 3 = 5
    assert convert(["4"], 1, 10, reverse=True) == [5.0]
    # an eleven-point 0-10 scale: 1 + 6 * 5 / 10 = 4
    assert convert(["0", "5", "10"], 0, 10) == [1.0, 4.0, 7.0]


def test_yes_no_and_missing_answers():
    assert convert(["yes", "no", None], None, None, kind="yes_no")[:2] == [7.0, 1.0]
    out = convert(["dont_know", "not_applicable", None, ""], 1, 7)
    assert all(math.isnan(v) for v in out)
    assert all(math.isnan(v) for v in convert(["laptop"], None, None, kind="single_choice"))
    assert all(math.isnan(v) for v in convert(["5"], None, None, kind="text"))


def test_score_answers_reads_direction_and_scale_from_the_questionnaire():
    skills = available()["user-skills"]
    items = items_frame(skills)
    answers = pd.DataFrame({
        "response_id": [1, 1, 1, 1, 1],
        "item_id": ["K20", "K21", "K22", "security_training", "training_wanted"],
        "value": ["4", "4", "dont_know", "yes", '["foundation"]'],
    })
    scored = score_answers(answers, items).set_index("item_id")
    assert scored.loc["K20", "score"] == 5.5          # agree5, 4 -> 5.5
    assert scored.loc["K21", "score"] == 2.5          # reverse-keyed: 8 - 5.5
    assert math.isnan(scored.loc["K22", "score"])     # don't know
    assert scored.loc["security_training", "score"] == 7.0  # yes
    assert math.isnan(scored.loc["training_wanted", "score"])
    assert scored.loc["K21", "area"] == "problem_solving" and scored.loc["security_training", "measure"] == "completion"


def test_answers_of_several_versions_use_their_own_scale():
    us = available()["user-satisfaction"]
    v1 = items_frame(us, questionnaire_version_id=1)
    v2 = items_frame(us, questionnaire_version_id=2)
    v2.loc[v2["item_id"] == "overall", ["scale_min", "scale_max"]] = [1.0, 5.0]
    answers = pd.DataFrame({"response_id": [1, 2], "item_id": ["overall", "overall"], "value": ["4", "4"],
                            "questionnaire_version_id": [1, 2]})
    scored = score_answers(answers, pd.concat([v1, v2]))
    assert scored["score"].tolist() == [4.0, 5.5]
