"""flask participants link CAMPAIGN EMAIL: a participant's personal link, for support
staff re-sending a lost email. The participant is found by the hash of the address;
the address itself is never printed or logged.

Also the demo respondents that `flask demo --seed` adds, and their links.
"""
from __future__ import annotations

import sys

import click
from flask import current_app

from ..extensions import db
from ..links import respond_url
from ..models import Campaign, Participant
from ..privacy import email_hash
from .params import NUMBER, TEXT
from .participants import participants_cli


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@participants_cli.command("link")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.argument("email", type=TEXT)
def link_command(campaign_id: int, email: str) -> None:
    """Print the personal survey link of the participant with EMAIL in CAMPAIGN (an id)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        _fail(f"No campaign has the id {campaign_id} (see `flask campaign list`).")
    hashed = email_hash(email, current_app.config["EMAIL_HASH_KEY"])
    participant = db.session.execute(
        db.select(Participant).filter_by(campaign_id=campaign.id, email_hash=hashed)
    ).scalar_one_or_none()
    if participant is None:
        _fail(f"No participant in campaign {campaign.id} has that email address.")
    if participant.status == "withdrawn":
        _fail(f"That participant has withdrawn from campaign {campaign.id}; their link no longer works.")
    if not campaign.accepting_responses():
        click.echo(f"Note: campaign {campaign.id} is not open ({campaign.status}); the link shows a page saying so.",
                   err=True)
    click.echo(respond_url(participant.id, current_app.config["SECRET_KEY"], current_app.config["BASE_URL"]))


#: demo respondents: (address, preferred language, what the link shows)
DEMO_PARTICIPANTS = [
    ("demo.english@example.org", "en", "prefers English"),
    ("demo.cymraeg@example.org", "cy", "prefers Welsh"),
    ("demo.browser@example.org", None, "no preference (the browser's language)"),
]


def seed_demo_participants(campaign: Campaign) -> None:
    """A few demo respondents in the campaign (created once)."""
    key = current_app.config["EMAIL_HASH_KEY"]
    for email, language, _note in DEMO_PARTICIPANTS:
        hashed = email_hash(email, key)
        exists = db.session.execute(
            db.select(Participant.id).filter_by(campaign_id=campaign.id, email_hash=hashed)
        ).first()
        if exists is None:
            db.session.add(Participant(campaign_id=campaign.id, email=email, email_hash=hashed, language=language))
    db.session.flush()


def demo_links(campaign: Campaign) -> list[str]:
    """"Respondent links:" and a line per demo respondent in the campaign."""
    config = current_app.config
    lines = []
    for email, _language, note in DEMO_PARTICIPANTS:
        participant_id = db.session.execute(
            db.select(Participant.id).filter_by(campaign_id=campaign.id,
                                                email_hash=email_hash(email, config["EMAIL_HASH_KEY"]))
        ).scalar_one_or_none()
        if participant_id is not None:
            lines.append(f"  {note}: {respond_url(participant_id, config['SECRET_KEY'], config['BASE_URL'])}")
    return ["Respondent links:", *lines] if lines else []
