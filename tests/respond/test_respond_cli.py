"""flask participants link and flask demo: personal links for support staff and demos."""
from __future__ import annotations

from tests.factories import make_campaign, make_participant
from survey_app.cli.links import DEMO_PARTICIPANTS
from survey_app.extensions import db
from survey_app.links import read_token
from survey_app.models import Participant
from survey_app.models.types import utcnow
from survey_app.privacy import email_hash


def token_in(url: str) -> str:
    assert url.startswith("http://survey.test/s/"), url
    return url.rsplit("/", 1)[1]


def test_link_prints_the_participants_personal_link(app, runner):
    campaign = make_campaign()
    make_participant(campaign, email="someone.else@example.org")
    wanted = make_participant(campaign, email="Ann.Jones@Example.org")
    result = runner.invoke(args=["participants", "link", str(campaign.id), "  ann.jones@EXAMPLE.org "])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert read_token(token_in(url), app.config["SECRET_KEY"]) == wanted.id
    assert "ann" not in result.output.lower().replace(url.lower(), "")


def test_link_finds_nobody_without_revealing_the_address(runner):
    campaign = make_campaign()
    make_participant(campaign, email="ann@example.org")
    other = make_campaign()
    for args, message in [
        ([str(campaign.id), "bob@example.org"], f"No participant in campaign {campaign.id} has that email address."),
        ([str(other.id), "ann@example.org"], f"No participant in campaign {other.id} has that email address."),
        (["999", "ann@example.org"], "No campaign has the id 999"),
    ]:
        result = runner.invoke(args=["participants", "link", *args])
        assert result.exit_code == 1
        assert message in result.output
        assert "@example.org" not in result.output


def test_link_refuses_a_withdrawn_participant_and_warns_of_a_closed_campaign(runner):
    campaign = make_campaign()
    make_participant(campaign, email="gone@example.org", status="withdrawn", withdrawn_at=utcnow())
    result = runner.invoke(args=["participants", "link", str(campaign.id), "gone@example.org"])
    assert result.exit_code == 1 and "withdrawn" in result.output
    make_participant(campaign, email="here@example.org")
    campaign.status, campaign.closed_at = "closed", utcnow()
    db.session.commit()
    result = runner.invoke(args=["participants", "link", str(campaign.id), "here@example.org"])
    assert result.exit_code == 0
    assert "is not open (closed)" in result.output and "/s/" in result.output


def test_demo_seeds_participants_once_and_prints_working_links(app, runner, client):
    first = runner.invoke(args=["demo", "--seed"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Demo round: ")  # what was seeded, the first time only
    printed = first.output.split("\n", 1)[1]
    again = runner.invoke(args=["demo", "--seed"])
    assert again.output == printed
    key = app.config["EMAIL_HASH_KEY"]
    demo_people = [email_hash(email, key) for email, _language, _note in DEMO_PARTICIPANTS]
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)
                             .where(Participant.email_hash.in_(demo_people))) == 3
    urls = [line.rsplit(" ", 1)[1] for line in first.output.splitlines()
            if "/s/" in line and "Digital Maturity Assessment" not in line]
    assert len(urls) == 3
    # the demo organisation's DMA lead's link opens their organisation's return
    (lead_line,) = [line for line in first.output.splitlines() if "/s/" in line and "Digital Maturity" in line]
    lead_page = client.get("/s/" + token_in(lead_line.rsplit(" ", 1)[1]))
    assert lead_page.status_code == 302 and "/return/" in lead_page.headers["Location"]
    assert "prefers Welsh" in first.output and "@example.org" not in first.output  # links, never addresses
    pages = [client.get("/s/" + token_in(url), headers={"Accept-Language": "en"}) for url in urls]
    assert [p.status_code for p in pages] == [200, 200, 200]
    languages = [p.get_data(as_text=True).split('<html lang="', 1)[1][:2] for p in pages]
    assert languages == ["en", "cy", "en"]
    assert "Demo County Council" in pages[0].get_data(as_text=True)
    plain = runner.invoke(args=["demo"])
    assert plain.exit_code == 0 and plain.output == printed
