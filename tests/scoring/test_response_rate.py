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
