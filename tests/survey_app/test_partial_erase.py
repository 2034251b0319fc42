"""Partial responses nobody submitted go with the addresses, once a campaign has been
closed for the grace period; submitted ones, in the store, stay."""
from __future__ import annotations

from datetime import date, timedelta

from mailer.lifecycle import erase_emails
from survey_app.extensions import db
from survey_app.models import Answer, Response, SubmittedResponse
from survey_app.models.types import utcnow
from tests.factories import make_campaign, make_participant


def test_partial_responses_are_erased_with_the_addresses(app, make_response):
    campaign = make_campaign(opens=date.today() - timedelta(days=70))
    other = make_campaign(opens=date.today() - timedelta(days=1))
    half_way, done, still_open = make_participant(campaign), make_participant(campaign), make_participant(other)
    make_response(campaign, {"overall": "5"}, participant=half_way, status="partial")
    make_response(campaign, {"overall": "6"}, participant=done)
    make_response(other, {"overall": "4"}, participant=still_open, status="partial")
    campaign.status, campaign.closed_at = "closed", utcnow() - timedelta(days=31)
    db.session.commit()

    assert erase_emails(db.session, utcnow(), timedelta(days=30)) == 1
    db.session.commit()

    assert [r.campaign_id for r in db.session.execute(db.select(Response)).scalars()] == [other.id]
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(SubmittedResponse)) == 1
    assert db.session.get(type(done), done.id).email is None
