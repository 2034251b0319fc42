"""Definition 7: peer groups select organisations; a group too small has no benchmark."""
from __future__ import annotations

import pandas as pd
import pytest

from scoring import benchmark
from scoring.peers import (ALL, PeerGroup, PeerGroupError, check_minimum, code_parts, groups_for, nation_of,
                           parse, selects, withhold_small)

#: eight organisations: code -> overall satisfaction
SCORES = {"E2601": 5.0, "L2602": 6.0, "L2603": 4.0, "M2604": 3.0, "L2605": 5.5, "S2606": 2.0,
          "W2607(P)": 6.5, "O2608": 4.5}


def values():
    codes = list(SCORES)
    return pd.DataFrame({"organisation_id": range(1, len(codes) + 1), "organisation_code": codes,
                         "metric": "OVERALL.satisfaction", "score": list(SCORES.values())})


def chosen(group):
    v = values()
    return list(v.loc[selects(group, v["organisation_code"], v["organisation_id"]), "organisation_code"])


def test_each_kind_selects_its_organisations():
    assert chosen(ALL) == list(SCORES)
    assert chosen(None) == list(SCORES)
    assert chosen(parse("type:L")) == ["L2602", "L2603", "L2605"]
    assert chosen(parse("type:ml")) == ["L2602", "L2603", "M2604", "L2605"]
    assert chosen(parse("nation:england")) == ["E2601", "L2602", "L2603", "M2604", "L2605"]
    assert chosen(parse("nation:wales")) == ["W2607(P)"]
    assert chosen(parse("nation:scotland")) == ["S2606"]
    assert chosen(parse("partnership:yes")) == ["W2607(P)"]
    assert "W2607(P)" not in chosen(parse("partnership:no")) and len(chosen(parse("partnership:no"))) == 7
    assert chosen(PeerGroup("group", "3", "Cities", frozenset({2, 4, 8}))) == ["L2602", "M2604", "O2608"]


def test_median_of_a_peer_group_worked_by_hand():
    v = values()
    england = v.loc[selects(parse("nation:england"), v["organisation_code"])]
    row = benchmark(england, organisation="organisation_id").iloc[0]
    # England: 5.0 6.0 4.0 3.0 5.5, sorted 3 4 5 5.5 6; positions (n-1)p = 1, 2, 3
    assert (row["organisations"], row["q1"], row["median"], row["q3"]) == (5, 4.0, 5.0, 5.5)
    # against all eight: sorted 2 3 4 4.5 5 5.5 6 6.5; positions 1.75, 3.5, 5.25
    # q1 = 3 + 0.75 = 3.75; median = 4.5 + 0.25 = 4.75; q3 = 5.5 + 0.25 x 0.5 = 5.625
    row = benchmark(v, organisation="organisation_id").iloc[0]
    assert (row["organisations"], row["q1"], row["median"], row["q3"]) == (8, 3.75, 4.75, 5.625)


def test_a_group_below_the_minimum_has_no_median():
    v = values()
    london = benchmark(v.loc[selects(parse("type:L"), v["organisation_code"])], organisation="organisation_id")
    # London: 6.0 4.0 5.5, sorted 4 5.5 6; positions 0.5, 1, 1.5 -> 4.75, 5.5, 5.75
    assert london.iloc[0]["median"] == 5.5
    withheld = withhold_small(london, 5)
    assert withheld.iloc[0]["organisations"] == 3
    assert withheld[["q1", "median", "q3"]].isna().all(axis=None)
    kept = withhold_small(london, 3)
    assert (kept.iloc[0]["q1"], kept.iloc[0]["median"], kept.iloc[0]["q3"]) == (4.75, 5.5, 5.75)


def test_groups_relative_to_an_organisation():
    assert [g.key for g in groups_for("L2602")] == ["all", "type:L", "nation:england", "partnership:no"]
    assert [g.key for g in groups_for("W2607(P)")] == ["all", "type:W", "nation:wales", "partnership:yes"]
    # type O belongs to no nation
    assert [g.key for g in groups_for("O2608")] == ["all", "type:O", "partnership:no"]
    assert nation_of("D") == "england" and nation_of("O") is None
    assert code_parts("S2017(P)") == ("S", True)


@pytest.mark.parametrize("spec", ["", "some", "type:", "type:X", "type:L1", "nation:france", "partnership:maybe",
                                  "group:", "all:x"])
def test_bad_specs_name_what_is_accepted(spec):
    with pytest.raises(PeerGroupError, match="Unknown peer group .*use all, type:LETTERS"):
        parse(spec)


def test_keys_read_back():
    for key in ("all", "type:LM", "nation:wales", "partnership:yes", "group:12"):
        assert parse(key).key == key
    assert parse(" Type: m, l ").key == "type:LM"


@pytest.mark.parametrize("value", [2, 0, -5, "5", 4.5, True, None])
def test_minimum_below_three_or_not_a_number_refused(value):
    with pytest.raises(ValueError, match="3 or more"):
        check_minimum(value)


def test_minimum_accepted():
    assert check_minimum(3) == 3 and check_minimum(5) == 5
