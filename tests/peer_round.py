"""Six organisations of four types that ran the user satisfaction survey this year, for the
peer-group tests: what each answered is in PLAN, the figures worked out by hand in the tests."""
from __future__ import annotations

from datetime import date, timedelta

from tests.factories import make_campaign, make_org, make_participant

OPENS = date.today() - timedelta(days=1)

#: (type letter, number): (participants, overall satisfaction answers, service improved answers)
PLAN = {
    ("L", 1): (8, ["5", "6", "5", "6"], ["5", "6", "5", "6"]),  # ours: 5.5, 4 of 8 = 50.0%, improved 5.5
    ("L", 2): (4, ["4"], []),                # 4.0, 25.0%
    ("L", 3): (2, ["7"], []),                # 7.0, 50.0%
    ("M", 4): (5, ["3"], []),                # 3.0, 20.0%
    ("E", 5): (3, ["6"], []),                # 6.0, 33.3%
    ("S", 6): (1, ["2"], []),                # 2.0, 100.0%
}


def make_peer_round(make_response, make_user, email: str = "a@example.org"):
    """(our campaign, {(letter, number): code}); `email` is the admin of L..01, ours."""
    campaigns = {}
    for (letter, number), (people, overall, improved) in PLAN.items():
        org = make_org(name=f"Peer Test Council {letter}{number}", type_letter=letter, number=number)
        # released, so they count in the benchmark; ours, with 4 responses, over its threshold of 3
        campaign = campaigns[(letter, number)] = make_campaign(org, opens=OPENS, released=True,
                                                               anonymity_threshold=3)
        persons = [make_participant(campaign) for _ in range(people)]
        for i, score in enumerate(overall):
            answers = {"overall": score}
            if i < len(improved):
                answers["improved"] = improved[i]
            make_response(campaign, answers, participant=persons[i])
    ours = campaigns[("L", 1)]
    make_user(email, role="org_admin", organisation=ours.organisation)
    return ours, {key: c.code for key, c in campaigns.items()}
