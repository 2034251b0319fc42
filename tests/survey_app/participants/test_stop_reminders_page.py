"""/stop-reminders/<token>: confirm, then stop reminders (never withdraw), in both
languages; checked with the test client and with axe-core in a real Chromium."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from survey_app.extensions import db
from survey_app.links import make_token, stop_reminders_url
from survey_app.models import OutboxMessage, Participant
from tests.factories import make_campaign, make_org, make_participant
from tests.live_fixtures import axe_violations

NOW = datetime(2030, 3, 5, tzinfo=timezone.utc)


def open_campaign(type_letter="E"):
    return make_campaign(make_org(type_letter=type_letter))  # opened yesterday, four weeks


def path_for(app, participant) -> str:
    return stop_reminders_url(participant.id, app.config["SECRET_KEY"], "")


def fresh(participant) -> Participant:
    db.session.expire_all()
    return db.session.get(Participant, participant.id)


def test_confirm_then_stop(app, client):
    campaign = open_campaign()
    person = make_participant(campaign, language="en")
    for kind, status in (("invitation", "sent"), ("reminder_7", "pending")):
        db.session.add(OutboxMessage(campaign_id=campaign.id, participant_id=person.id, kind=kind, language="en",
                                     due_at=NOW, next_attempt_at=NOW, status=status))
    db.session.commit()
    page = client.get(path_for(app, person))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Stop reminders about this survey?" in html
    assert "You will not get any more reminders about the ICT User Satisfaction Survey." in html
    assert '<html lang="en"' in html and 'hreflang="cy"' in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert fresh(person).opted_out_at is None  # looking changes nothing

    done = client.post(path_for(app, person))  # no CSRF token needed: the token in the path is the key
    assert done.status_code == 303
    stopped = fresh(person)
    assert stopped.opted_out_at is not None and stopped.status == "active"  # not withdrawn
    statuses = {m.kind: m.status for m in db.session.execute(db.select(OutboxMessage)).scalars()}
    assert statuses == {"invitation": "sent", "reminder_7": "cancelled"}
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Reminders stopped" in after and "govuk-panel" in after
    assert "You are not leaving the survey" in after
    # doing it again is harmless
    assert client.post(path_for(app, person)).status_code == 303
    assert fresh(person).opted_out_at == stopped.opted_out_at


def test_the_page_speaks_the_persons_language_and_switches(app, client):
    person = make_participant(open_campaign("W"), language="cy")
    html = client.get(path_for(app, person)).get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert "Stopio nodiadau atgoffa am yr arolwg hwn?" in html
    assert "Ni fyddwch yn cael rhagor o nodiadau atgoffa am yr Arolwg Boddhad Defnyddwyr TGCh." in html
    english = client.get(path_for(app, person) + "?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in english and "Stop reminders about this survey?" in english
    welsh_done = client.post(path_for(app, person) + "?lang=cy")
    assert "lang=cy" in welsh_done.headers["Location"]
    assert "Nodiadau atgoffa wedi" in client.get(welsh_done.headers["Location"]).get_data(as_text=True)


def test_one_click_unsubscribe_from_a_mail_provider(app, client):
    person = make_participant(open_campaign())
    response = client.post(path_for(app, person), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and fresh(person).opted_out_at is not None


@pytest.mark.parametrize("token", ["not-a-token", "respond"])
def test_a_bad_link_says_so_and_reveals_nothing(app, client, token):
    person = make_participant(open_campaign())
    if token == "respond":  # a survey link's token is not a stop-reminders token
        token = make_token(person.id, app.config["SECRET_KEY"])
    page = client.get(f"/stop-reminders/{token}")
    assert page.status_code == 404 and "This link is not valid" in page.get_data(as_text=True)
    assert client.post(f"/stop-reminders/{token}").status_code == 404
    assert fresh(person).opted_out_at is None


def test_a_closed_survey_says_so(app, client):
    campaign = make_campaign(opens=date(2020, 1, 6))
    person = make_participant(campaign)
    html = client.get(path_for(app, person)).get_data(as_text=True)
    assert "This survey has closed" in html and "<form" not in html


@pytest.mark.browser
def test_the_pages_pass_axe_in_chromium(sqlite_app, live_server, browser):
    person = make_participant(open_campaign("W"), language=None)
    url = live_server + path_for(sqlite_app, person)
    page = browser.new_page()
    for language in ("en", "cy"):
        page.goto(f"{url}?lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        assert axe_violations(page) == [], language
    page.goto(f"{url}?lang=en")
    page.get_by_role("button", name="Stop reminders").click()  # a real form POST, no JavaScript needed
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Reminders stopped"
    assert axe_violations(page) == []
    assert fresh(person).opted_out_at is not None
    page.goto(live_server + "/stop-reminders/nonsense")
    assert axe_violations(page) == []
    page.close()
