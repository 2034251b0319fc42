"""Definition 6 for people: which live response-rate groups are merged into "Other"."""
from __future__ import annotations

import pytest

from scoring.suppression import small_groups


def test_a_group_of_one_is_hidden_with_the_next_smallest():
    # a alone could be worked out from the total less b and c: b goes with it (2 + 6 >= 5)
    assert small_groups({"a": 1, "b": 6, "c": 8}, 5) == {"a", "b"}
    # ties for next smallest: the name first in order
    assert small_groups({"a": 1, "c": 6, "b": 6}, 5) == {"a", "b"}


def test_nothing_hidden_when_every_group_is_big_enough():
    assert small_groups({"a": 5, "b": 9}, 5) == set()
    assert small_groups({}, 5) == set()


def test_hidden_groups_together_hold_at_least_k_people():
    # a and b hide each other, but 1 + 2 = 3 people together would still be a small group
    assert small_groups({"a": 1, "b": 2, "c": 4, "d": 9}, 5) == {"a", "b", "c"}
    # two small groups already at least k together: nothing more hidden
    assert small_groups({"a": 2, "b": 3, "c": 9, "d": 9}, 5) == {"a", "b"}
    # down to everything: only the total is left
    assert small_groups({"a": 1, "b": 9}, 5) == {"a", "b"}
    assert small_groups({"a": 1}, 3) == {"a"}


def test_threshold_never_below_three():
    with pytest.raises(ValueError, match="below 3"):
        small_groups({"a": 1}, 2)
