"""Definition 4: the response rate, one decimal rounded half-up, thousands separators."""
from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import ResponseRate


@pytest.mark.parametrize("submitted, participants, percent", [
    (1446, 4014, "36.0"),   # 36.0239...
    (20, 313, "6.4"),       # 6.3897...
    (1, 16, "6.3"),         # exactly 6.25: half-up, where float rounding and half-even give 6.2
    (3, 16, "18.8"),        # exactly 18.75
    (1, 3, "33.3"),
    (2, 3, "66.7"),
    (0, 5, "0.0"),
    (5, 5, "100.0"),
])
def test_percent_is_exact_and_half_up(submitted, participants, percent):
    rate = ResponseRate(submitted, participants)
    assert rate.percent == Decimal(percent) and str(rate.percent) == percent
    assert rate.fraction == submitted / participants


@pytest.mark.parametrize("locale", ["en", "cy"])
def test_numbers_for_people(locale):
    assert ResponseRate(1446, 4014).numbers(locale) == {"percent": "36.0%", "submitted": "1,446",
                                                        "participants": "4,014"}
    assert ResponseRate(20, 313).numbers(locale) == {"percent": "6.4%", "submitted": "20", "participants": "313"}
    assert ResponseRate(123456, 1234567).numbers(locale)["participants"] == "1,234,567"


def test_no_participants():
    rate = ResponseRate(0, 0)
    assert rate.percent is None and rate.fraction is None and rate.numbers()["percent"] == ""
    with pytest.raises(ValueError):
        ResponseRate(-1, 3)


def test_participants_count_paper_forms_and_never_fall_below_the_responses():
    from scoring.response_rate import participants

    assert participants(listed=10, paper_forms=5, submitted=7) == 15   # 7 of 15
    assert participants(listed=2, paper_forms=0, submitted=5) == 5     # 3 imported beyond the list
    assert participants(listed=0, paper_forms=0, submitted=0) == 0


def test_a_rate_never_exceeds_100_percent():
    rate = ResponseRate(5, 2)  # counted elsewhere without participants(): still at most 100%
    assert rate.percent == Decimal("100.0") and rate.fraction == 1.0
