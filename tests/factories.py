"""Small factories: make_campaign(**overrides) instead of long set-up in each test."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from survey_app.console.operations import create_campaign, create_organisation
from survey_app.console.release import release_campaign
from survey_app.extensions import db
from survey_app.models import Participant
from survey_app.models.types import utcnow
from survey_app.privacy import email_hash

_numbers = count(1)


def make_org(**overrides):
    values = {"name": "Test Council", "type_letter": "E", "number": next(_numbers) % 99 + 1}
    values.update(overrides)
    org = create_organisation(**values)
    db.session.commit()
    return org


def make_campaign(organisation=None, released=None, **overrides):
    """A campaign open since yesterday unless told otherwise. One that has already closed
    is released, as the Improve team would before it counts in a benchmark, unless
    `released=False` (results stay provisional). `released=True` closes a campaign that is
    not closed yet (early, as by hand) and releases it."""
    values = {"questionnaire_id": "user-satisfaction", "opens": date.today() - timedelta(days=1)}
    values.update(overrides)
    campaign = create_campaign(organisation=organisation or make_org(), **values)
    if released and campaign.status != "closed":
        campaign.status, campaign.closed_at = "closed", utcnow()
    if released or (released is None and campaign.status == "closed"):
        release_campaign(campaign, operator="test factory")
    db.session.commit()
    return campaign


def make_participant(campaign, email=None, **overrides):
    from flask import current_app

    email = email or f"person{next(_numbers)}@example.org"
    values = {"campaign_id": campaign.id, "email": email,
              "email_hash": email_hash(email, current_app.config["EMAIL_HASH_KEY"])}
    values.update(overrides)
    participant = Participant(**values)
    db.session.add(participant)
    db.session.commit()
    return participant


def make_answered_campaign(make_response):
    """Council A's campaign, open since yesterday (anonymity threshold 3), with seven
    responses across three devices and two departments, and one person still to answer:
    enough for every staff page to draw its charts and breakdowns."""
    campaign = make_campaign(make_org(name="Council A"), opens=date.today() - timedelta(days=1),
                             anonymity_threshold=3)
    for i, device in enumerate(["laptop"] * 3 + ["desktop"] * 3 + ["tablet"]):
        person = make_participant(campaign, attributes={"department": "Finance" if i % 2 else "Housing"})
        make_response(campaign, {"device": device, "overall": str(3 + i % 4), "sat_S1": "5", "imp_S1": "6",
                                 "comments": "Fine."}, participant=person)
    return campaign
