"""Who may do what: the lead adds contributors and submits, a contributor answers; a
withdrawn contributor's link stops working; a closed or not yet open assessment says so."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from survey_app.extensions import db
from survey_app.models import MaturityContributor, Participant
from survey_app.models.types import utcnow
from survey_app.privacy import email_hash
from tests.factories import make_campaign
from tests.maturity.helpers import VL_STATEMENTS, edit, form_fields, return_row, stored, submit_form, text_of


def test_a_contributor_can_answer_but_not_add_people_or_submit(client, lead, contributor):
    assert edit(client, contributor, {"VL1.1": "yes"}).status_code == 302
    page = client.get(contributor.page("contributors"))
    assert page.status_code == 403
    assert "Sam Lead, the lead for your organisation's return, adds contributors and submits the return." in (
        text_of(page.text))
    csrf = form_fields(client.get(contributor.function()).text)["csrf_token"]
    added = client.post(contributor.page("contributors"),
                        data={"csrf_token": csrf, "email": "new@example.org", "name": "New", "language": "en"})
    assert added.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)
                             .where(Participant.campaign_id == lead.campaign.id)) == 2
    submitted = client.post(contributor.page("check"), data={"csrf_token": csrf, "confirm-unanswered": "yes"})
    assert submitted.status_code == 403
    assert return_row(lead.campaign).status == "draft"


def test_the_lead_adds_a_contributor(app, client, lead):
    page = client.get(lead.page("contributors")).text
    assert "Sam Lead" in text_of(page) and "Lead" in text_of(page)
    data = form_fields(page, "add-contributor")
    data["email"], data["name"], data["language"] = " Morgan.Evans@Example.org ", "Morgan Evans, Digital team", "cy"
    added = client.post(lead.page("contributors"), data=data)
    assert added.status_code == 302 and added.headers["Location"].endswith(lead.page("contributors"))
    db.session.expire_all()
    person = db.session.execute(db.select(Participant).where(
        Participant.campaign_id == lead.campaign.id,
        Participant.email_hash == email_hash("morgan.evans@example.org", app.config["EMAIL_HASH_KEY"]))).scalar_one()
    # an ordinary participant (so the scheduler invites and reminds them), with their name
    assert (person.status, person.language, person.email) == ("active", "cy", "Morgan.Evans@example.org")
    row = db.session.get(MaturityContributor, person.id)
    assert (row.name, row.is_lead, row.added_by_id) == ("Morgan Evans, Digital team", False,
                                                        lead.contributor.participant_id)
    words = text_of(client.get(lead.page("contributors")).text)
    assert "Morgan Evans, Digital team has been added." in words
    assert "Morgan Evans, Digital team Contributor Emails in Welsh" in words
    # the same address again is refused, on the field, and nothing is added
    again = form_fields(client.get(lead.page("contributors")).text, "add-contributor")
    again["email"], again["name"], again["language"] = "morgan.evans@example.org", "Morgan again", "en"
    refused = client.post(lead.page("contributors"), data=again)
    assert refused.status_code == 400
    assert '<a href="#email">This email address is already a contributor to the return</a>' in refused.text
    assert db.session.scalar(db.select(db.func.count()).select_from(MaturityContributor)
                             .where(MaturityContributor.campaign_id == lead.campaign.id)) == 2


def test_a_withdrawn_contributors_link_stops_working(client, contributor):
    assert client.get(contributor.url).status_code == 200
    person = db.session.get(Participant, contributor.contributor.participant_id)
    person.status, person.withdrawn_at = "withdrawn", utcnow()
    db.session.commit()
    for path in (contributor.start, contributor.url, contributor.function()):
        page = client.get(path)
        assert page.status_code == 404 and "This link is not valid" in page.text, path


def test_a_forged_link_is_not_valid(client, lead):
    forged = lead.token[:-2] + ("AA" if not lead.token.endswith("AA") else "BB")
    page = client.get(f"/s/{forged}/return/")
    assert page.status_code == 404 and "This link is not valid" in page.text


@pytest.mark.parametrize("by_status", [True, False])
def test_a_closed_assessment_says_so(client, lead, by_status):
    edit(client, lead, {s: "yes" for s in VL_STATEMENTS})
    html = client.get(lead.page("check")).text
    client.post(lead.page("check"), data=submit_form(html, confirm=True))
    campaign = db.session.get(type(lead.campaign), lead.campaign.id)
    if by_status:
        campaign.status, campaign.closed_at = "closed", utcnow()
    else:
        campaign.opens_at, campaign.closes_at = utcnow() - timedelta(days=30), utcnow() - timedelta(minutes=1)
    db.session.commit()
    for path in (lead.start, lead.url, lead.function(), lead.page("check"), lead.page("contributors")):
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 410, path
        words = text_of(page.text)
        assert "This assessment has closed" in words and "Sam Lead submitted your organisation's return on" in words


def test_a_closed_assessment_refuses_changes(client, lead):
    page = client.get(lead.function()).text
    campaign = db.session.get(type(lead.campaign), lead.campaign.id)
    campaign.status, campaign.closed_at = "closed", utcnow()
    db.session.commit()
    late = edit(client, lead, {"VL1.1": "yes"}, page=page)
    assert late.status_code == 410 and "Your organisation's return was not submitted before it closed." in (
        text_of(late.text))
    assert stored(lead.campaign) == {}


def test_an_assessment_not_open_yet(client, make_person):
    campaign = make_campaign(questionnaire_id="dma", opens=date.today() + timedelta(days=3))
    lead = make_person(campaign, "Sam Lead", lead=True)
    page = client.get(lead.url)
    assert page.status_code == 403 and "This assessment is not open yet" in page.text
