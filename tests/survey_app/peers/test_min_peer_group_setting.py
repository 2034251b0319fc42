"""MIN_PEER_GROUP: the smallest peer group given a benchmark, read at start-up, never below 3."""
from __future__ import annotations

import pytest

from survey_app import create_app
from survey_app.config import ConfigError, validate


@pytest.mark.parametrize("value", ["2", "0", "-4"])
def test_a_minimum_below_three_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("MIN_PEER_GROUP", value)
    with pytest.raises(ConfigError, match=f"MIN_PEER_GROUP must be a whole number, 3 or more \\(it is {value}\\)"):
        create_app()


@pytest.mark.parametrize("value", [2, "5", 4.0, True, None])
def test_a_minimum_that_is_not_a_whole_number_is_refused(value):
    with pytest.raises(ConfigError, match="MIN_PEER_GROUP must be a whole number, 3 or more"):
        validate({"MIN_PEER_GROUP": value})


def test_the_default_is_five_and_three_is_allowed(monkeypatch):
    monkeypatch.delenv("MIN_PEER_GROUP", raising=False)
    assert create_app().config["MIN_PEER_GROUP"] == 5
    monkeypatch.setenv("MIN_PEER_GROUP", "3")
    assert create_app().config["MIN_PEER_GROUP"] == 3
