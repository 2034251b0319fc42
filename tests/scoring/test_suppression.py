"""Definition 6: the anonymity threshold and complementary suppression."""
from __future__ import annotations

import pandas as pd
import pytest

from questionnaires import available
from scoring import breakdown, items_frame, score_answers, suppress
from scoring.suppression import NOT_ANSWERED


def groups(counts):
    return pd.DataFrame({"group": list(counts), "n": list(counts.values())})


def hidden(counts, k=5):
    frame = groups(counts)
    return set(frame.loc[suppress(frame, k), "group"])


def test_small_groups_are_suppressed():
    assert hidden({"a": 5, "b": 9, "c": 12}) == set()
    assert hidden({"a": 2, "b": 3, "c": 10, "d": 12}) == {"a", "b"}
    # k = 3: only a is small, so the next smallest (b, with 3) goes with it
    assert hidden({"a": 2, "b": 3, "c": 10}, k=3) == {"a", "b"}


def test_one_suppressed_group_takes_the_next_smallest_with_it():
    # total 24 shown: with only a hidden, a = 24 - 10 - 12 could be worked out
    assert hidden({"a": 2, "b": 10, "c": 12}) == {"a", "b"}
    # a tie for next smallest: the first in order
    assert hidden({"a": 2, "b": 8, "c": 8}) == {"a", "b"}
    # partitions are independent
    frame = pd.DataFrame({"org": ["x", "x", "x", "y", "y"], "group": ["a", "b", "c", "a", "b"],
                          "n": [2, 10, 12, 6, 7]})
    assert frame.loc[suppress(frame, 5, ["org"]), ["org", "group"]].values.tolist() == [["x", "a"], ["x", "b"]]


def test_threshold_never_below_three():
    with pytest.raises(ValueError, match="below 3"):
        suppress(groups({"a": 1}), 2)


def scored_campaign():
    """15 responses: 7 desktop (overall 6), 6 laptop (overall 4), 2 tablet (overall 1),
    and 1 without a device (overall 2)."""
    rows, devices = [], {}
    plan = [("desktop", "6")] * 7 + [("laptop", "4")] * 6 + [("tablet", "1")] * 2 + [(None, "2")]
    for rid, (device, overall) in enumerate(plan, start=1):
        devices[rid] = device
        rows.append((rid, "overall", overall))
    answers = pd.DataFrame(rows, columns=["response_id", "item_id", "value"])
    scored = score_answers(answers, items_frame(available()["user-satisfaction"]))
    respondents = pd.DataFrame({"response_id": list(devices), "device": list(devices.values())})
    return scored, respondents


def test_breakdown_suppresses_and_complements():
    scored, respondents = scored_campaign()
    b = breakdown(scored, respondents, "device", k=5)
    g = b.groups.set_index("group")
    # tablet (2) and not answered (1) are under 5: two hidden, no complement needed
    assert g["suppressed"].to_dict() == {NOT_ANSWERED: True, "desktop": False, "laptop": False, "tablet": True}
    assert g.loc["desktop", "responses"] == 7 and pd.isna(g.loc["tablet", "responses"])
    cells = b.metrics.set_index(["metric", "group"])["score"]
    assert cells.to_dict() == {("OVERALL.satisfaction", "desktop"): 6.0, ("OVERALL.satisfaction", "laptop"): 4.0}


def test_complementary_case_hides_the_next_smallest_group():
    scored, respondents = scored_campaign()
    respondents["device"] = respondents["device"].fillna("desktop")  # 8 desktop, 6 laptop, 2 tablet
    b = breakdown(scored, respondents, "device", k=5)
    assert b.groups.loc[b.groups["suppressed"], "group"].tolist() == ["laptop", "tablet"]
    # the hidden groups are absent from every figure: only desktop remains, its own mean
    # (7 x 6 + 2) / 8 = 5.5
    assert b.metrics["group"].unique().tolist() == ["desktop"]
    assert b.metrics["score"].tolist() == [5.5] and b.metrics["n"].tolist() == [8]
    assert b.groups.loc[b.groups["suppressed"], "responses"].isna().all()


def test_a_figure_on_too_few_answers_is_suppressed_inside_a_shown_group():
    # 6 desktop, 6 laptop; laptop gave only 2 numbers for sat_S1 (4 said not applicable)
    rows, devices = [], {}
    for rid in range(1, 13):
        device = "desktop" if rid <= 6 else "laptop"
        devices[rid] = device
        rows.append((rid, "overall", "5"))
        rows.append((rid, "sat_S1", "7" if device == "desktop" or rid > 10 else "not_applicable"))
        rows.append((rid, "imp_S1", "6"))
    answers = pd.DataFrame(rows, columns=["response_id", "item_id", "value"])
    scored = score_answers(answers, items_frame(available()["user-satisfaction"]))
    respondents = pd.DataFrame({"response_id": list(devices), "device": list(devices.values())})
    m = breakdown(scored, respondents, "device", k=5).metrics.set_index(["metric", "group"])
    assert m.loc[("OVERALL.satisfaction", "laptop"), "score"] == 5.0
    # laptop's S1 satisfaction rests on 2 answers: hidden, and desktop's with it (the total would give it away)
    for group in ("laptop", "desktop"):
        assert m.loc[("S1.satisfaction", group), "suppressed"]
        assert pd.isna(m.loc[("S1.satisfaction", group), "score"]) and pd.isna(m.loc[("S1.satisfaction", group), "n"])
        # and the gaps computed from it
        assert m.loc[("S1.gap", group), "suppressed"] and pd.isna(m.loc[("S1.weight_gap", group), "score"])
    assert m.loc[("S1.importance", "laptop"), "score"] == 6.0 and not m.loc[("S1.importance", "laptop"), "suppressed"]


def test_a_group_already_hidden_stands_in_for_the_complement():
    """Two organisations, each 6 desktop and 6 laptop; laptop gave only 2 numbers for
    sat_S1 in both. In x, 2 tablet users and 1 without a device are hidden as groups, so
    x's published S1 total (12 numbers, including theirs) less desktop's 6 is not laptop's
    figure: desktop's S1 stays shown. In y nothing else is hidden, so desktop's S1 goes
    with laptop's (y's total less desktop would give laptop's away)."""
    rows, respondents = [], []
    sat_desktop = ["7", "7", "6", "6", "5", "4"]  # mean 35 / 6
    plan = ([("desktop", s) for s in sat_desktop] + [("laptop", "not_applicable")] * 4 + [("laptop", "1")] * 2)
    plans = {"x": plan + [("tablet", "1")] * 2 + [(None, "1")], "y": plan}
    rid = 0
    for org, people in plans.items():
        for device, sat in people:
            rid += 1
            respondents.append((rid, org, device))
            rows += [(rid, org, "sat_S1", sat), (rid, org, "imp_S1", "6")]
    answers = pd.DataFrame(rows, columns=["response_id", "organisation_code", "item_id", "value"])
    scored = score_answers(answers, items_frame(available()["user-satisfaction"]))
    frame = pd.DataFrame(respondents, columns=["response_id", "organisation_code", "device"])
    b = breakdown(scored, frame, "device", k=5, by=["organisation_code"])

    g = b.groups.set_index(["organisation_code", "group"])["suppressed"]
    assert g.to_dict() == {("x", NOT_ANSWERED): True, ("x", "desktop"): False, ("x", "laptop"): False,
                           ("x", "tablet"): True, ("y", "desktop"): False, ("y", "laptop"): False}
    m = b.metrics.set_index(["organisation_code", "metric", "group"])
    for org in ("x", "y"):
        assert m.loc[(org, "S1.satisfaction", "laptop"), "suppressed"]
        assert pd.isna(m.loc[(org, "S1.satisfaction", "laptop"), "score"])
    # x: shown, worked out by hand: (7 + 7 + 6 + 6 + 5 + 4) / 6, the gap less importance 6,
    # the weight gap x 6 / 7
    x = m.loc[("x", slice(None), "desktop")]
    assert not x.loc["S1.satisfaction", "suppressed"]
    assert x.loc["S1.satisfaction", "score"] == pytest.approx(35 / 6) and x.loc["S1.satisfaction", "n"] == 6
    assert x.loc["S1.gap", "score"] == pytest.approx(-1 / 6) and not x.loc["S1.gap", "suppressed"]
    assert x.loc["S1.weight_gap", "score"] == pytest.approx(-1 / 7)
    # y: the complement, with its gaps
    y = m.loc[("y", slice(None), "desktop")]
    assert y.loc["S1.satisfaction", "suppressed"] and pd.isna(y.loc["S1.satisfaction", "score"])
    assert y.loc["S1.gap", "suppressed"] and pd.isna(y.loc["S1.weight_gap", "score"])
    # importance rests on 6 numbers in every group shown: never hidden
    assert (m.xs("S1.importance", level="metric")["score"] == 6.0).all()
