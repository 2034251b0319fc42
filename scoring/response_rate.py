"""Definition 4: the response rate, exact and as people read it.

Submitted responses over participants (withdrawn participants excluded by the caller;
paper forms handed out counted as participants, `participants()`), never above 100%,
shown with one decimal rounded half-up: 1,446 of 4,014 is 36.0%, 1 of 16 is 6.3% (not
6.2, which float rounding and Babel's half-even default would give). The sentence around
the numbers ("36.0% (1,446 out of 4,014)") is interface text and is translated by the
caller; this module only formats the numbers for a locale with Babel's locale data.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

COUNT = "#,##0"
PERCENT = "#,##0.0%"


@lru_cache(maxsize=None)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@lru_cache(maxsize=32)
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def _format(value, pattern: str, locale: str) -> str:
    """Babel's format_decimal/format_percent with the pattern and locale parsed once
    (a dashboard formats hundreds of rates a page)."""
    return _pattern(pattern).apply(value, _locale(locale))


def participants(listed: int, paper_forms: int, submitted: int) -> int:
    """The people a response rate is over: those in the participant list (withdrawn left
    out) and the paper forms handed out, and never fewer than the responses submitted.

    A response imported without a participant (paper, another tool) counts as one of the
    paper forms; where fewer forms were recorded than came back, each extra response is one
    more person asked, so that a rate never exceeds 100%."""
    return max(listed + paper_forms, submitted)


@dataclass(frozen=True)
class ResponseRate:
    submitted: int
    participants: int

    def __post_init__(self):
        if self.submitted < 0 or self.participants < 0:
            raise ValueError("counts cannot be negative")

    @property
    def fraction(self) -> float | None:
        """Submitted / participants at full precision (None with no participants), at most 1."""
        return min(self.submitted, self.participants) / self.participants if self.participants else None

    @property
    def percent(self) -> Decimal | None:
        """The percentage to one decimal place, rounded half-up, exactly.

        Worked in whole numbers, so no binary fraction or division precision can tip a
        value that is exactly on a half: tenths = floor(1000 x s / p + 1/2).
        """
        if not self.participants:
            return None
        submitted = min(self.submitted, self.participants)  # never above 100% (see participants())
        tenths = (2000 * submitted + self.participants) // (2 * self.participants)
        return Decimal(tenths).scaleb(-1)

    def numbers(self, locale: str = "en") -> dict[str, str]:
        """The three numbers formatted for `locale`: percent ("36.0%", or "" with no
        participants), submitted ("1,446") and participants ("4,014")."""
        return dict(_numbers(self, locale))


@lru_cache(maxsize=4096)
def _numbers(rate: ResponseRate, locale: str) -> tuple[tuple[str, str], ...]:
    """A live page shows the same few dozen rates again and again: each formatted once."""
    percent = rate.percent
    return (
        ("percent", "" if percent is None else _format(percent / 100, PERCENT, locale)),
        ("submitted", _format(rate.submitted, COUNT, locale)),
        ("participants", _format(rate.participants, COUNT, locale)),
    )
