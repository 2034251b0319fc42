"""Links already sent in the old, signed format (before the opaque tokens of
survey_app/links.py) keep working until their campaign closes, and only until then."""
from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer

from survey_app.extensions import db
from survey_app.models import Participant, Response
from tests.respond.helpers import ABOUT_YOU, answer_page, close
from tests.stored import partial_of


def old_token(app, participant, salt: str = "respond") -> str:
    """The token the mailer put in links before the change (itsdangerous over the id)."""
    return URLSafeSerializer(app.config["SECRET_KEY"], salt=salt).dumps(participant.id)



def test_the_new_link_is_opaque_and_the_old_one_still_opens_the_survey(app, client, respondent):
    assert "." not in respondent.token and len(respondent.token) == 32
    token = old_token(app, respondent.participant)
    start = client.get(f"/s/{token}")
    assert start.status_code == 200 and "Test Council" in start.get_data(as_text=True)
    assert answer_page(client, f"/s/{token}/p/about-you", ABOUT_YOU).status_code == 302
    # found by the same locator as the new link's: one partial response, the person's
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 1
    assert partial_of(respondent.participant).answer_map() == ABOUT_YOU
    # the same person's new link carries on where the old one left off
    assert "Continue" in client.get(respondent.url).get_data(as_text=True)


@pytest.mark.parametrize("by_status", [True, False], ids=["closed", "past-closing-time"])
def test_an_old_link_stops_working_when_its_campaign_closes(app, client, respondent, by_status):
    token = old_token(app, respondent.participant)
    close(respondent.campaign, by_status=by_status)
    for path in ("", "/p/about-you", "/check", "/done"):
        page = client.get(f"/s/{token}{path}")
        assert page.status_code == 404, path
        assert "This link is not valid" in page.get_data(as_text=True)
    assert client.get(respondent.url).status_code == 410  # the new link says the survey has closed


def test_an_old_stop_reminders_link_works_until_the_campaign_closes(app, client, respondent):
    token = old_token(app, respondent.participant, "stop-reminders")
    assert client.get(f"/stop-reminders/{token}").status_code == 200
    close(respondent.campaign, by_status=True)
    assert client.get(f"/stop-reminders/{token}").status_code == 404
    assert client.post(f"/stop-reminders/{token}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Participant, respondent.participant.id).opted_out_at is None


def test_old_survey_and_stop_reminders_links_are_not_interchangeable(app, client, respondent):
    assert client.get(f"/s/{old_token(app, respondent.participant, 'stop-reminders')}").status_code == 404
    assert client.get(f"/stop-reminders/{old_token(app, respondent.participant)}").status_code == 404
