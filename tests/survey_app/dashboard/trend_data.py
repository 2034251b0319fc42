"""Three years of results of three organisations, for the trend tests (page and browser)."""
from __future__ import annotations

from datetime import date

from tests.factories import make_campaign, make_org, make_participant

#: opening days in the financial years 2024/25, 2025/26 and 2026/27
OPENS = {2024: date(2024, 6, 3), 2025: date(2025, 6, 2), 2026: date(2026, 6, 1)}


def run(org, year, participants, answers, make_response, threshold=5):
    """A campaign of `org` in `year` with `participants` people, the first of whom gave
    `answers` (one dict per response), and an anonymity threshold of `threshold` (the
    campaign a test views needs at least that many responses for its results to show)."""
    campaign = make_campaign(org, opens=OPENS[year], anonymity_threshold=threshold)
    people = [make_participant(campaign) for _ in range(participants)]
    for person, given in zip(people, answers):
        make_response(campaign, given, participant=person)
    return campaign


def three_years(make_response):
    """Council A and five others over three years (overall satisfaction, S1 satisfaction),
    at least five organisations a year, so that every year has a benchmark:

    2024/25  A: 4 people, one answer (4, 3): 25.0%      B: 1 person (6, 6): 100%
             C: 2 people, one answer (5, 5): 50%         D: 4 people, three answers (3, 4): 75%
             E: 2 people, two answers (7, 7), (5, 5): 100%, overall 6, S1 6
             medians: rate 75.0% (of 25, 50, 75, 100, 100), overall 5.00 (3, 4, 5, 6, 6),
             S1 5.00 (3, 4, 5, 6, 6)
    2025/26  A: did not take part    B: 1 person (5, 5): 100%   C: 2 people, one answer (3, 2): 50%
             D: 2 people, one answer (4, 4): 50%   E: 4 people, one answer (6, 6): 25%
             F: 2 people, two answers (2, 3), (4, 5): 100%, overall 3, S1 4
             medians: rate 50.0% (25, 50, 50, 100, 100), overall 4.00 (3, 3, 4, 5, 6),
             S1 4.00 (2, 4, 4, 5, 6)
    2026/27  A (the campaign viewed, anonymity threshold 3): 6 people, four answers (5, 6), (7, 7),
             (5, 6), (7, 7): 66.7%, overall 6.00 (24 / 4), S1 6.50 (26 / 4)
             B: 2 people, one answer (3, 4): 50%   C: 2 people, two answers (4, 5), (5, 5): 100%
             D: 1 person (5, 5): 100%   E: 4 people, one answer (2, 3): 25%
             medians: rate 66.7% (25, 50, 66.67, 100, 100), overall 4.50 (2, 3, 4.5, 5, 6),
             S1 5.00 (3, 4, 5, 5, 6.5; quartiles 4.00 and 5.00)
    """
    a, b, c, d, e, f = (make_org(name=f"Council {letter}") for letter in "ABCDEF")

    def given(overall, s1):
        return {"overall": str(overall), "sat_S1": str(s1)}

    run(a, 2024, 4, [given(4, 3)], make_response)
    run(b, 2024, 1, [given(6, 6)], make_response)
    run(c, 2024, 2, [given(5, 5)], make_response)
    run(d, 2024, 4, [given(3, 4)] * 3, make_response)
    run(e, 2024, 2, [given(7, 7), given(5, 5)], make_response)
    run(b, 2025, 1, [given(5, 5)], make_response)
    run(c, 2025, 2, [given(3, 2)], make_response)
    run(d, 2025, 2, [given(4, 4)], make_response)
    run(e, 2025, 4, [given(6, 6)], make_response)
    run(f, 2025, 2, [given(2, 3), given(4, 5)], make_response)
    now = run(a, 2026, 6, [given(5, 6), given(7, 7)] * 2, make_response, threshold=3)
    run(b, 2026, 2, [given(3, 4)], make_response)
    run(c, 2026, 2, [given(4, 5), given(5, 5)], make_response)
    run(d, 2026, 1, [given(5, 5)], make_response)
    run(e, 2026, 4, [given(2, 3)], make_response)
    return a, now


def store_1999_2004():
    """The baseline "1999-2004" of user-satisfaction: S1 satisfaction 4.2, overall 4.6."""
    from survey_app.extensions import db
    from survey_app.results.baselines import Figure, store_baseline

    store_baseline("user-satisfaction", "1999-2004", [Figure(2, "S1", "satisfaction", 4.2, 3.9, 4.5, 28),
                                                      Figure(3, "OVERALL", "satisfaction", 4.6)])
    db.session.commit()
