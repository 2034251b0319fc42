"""flask dma contributors|add-contributor: the people working on an organisation's return
(the Digital Maturity Assessment), for the Improve team.

Contributors are listed by name and role, never by address. A contributor added here is
invited by the scheduler's next planning pass, like a participant imported mid-campaign.
"""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..maturity.operations import ContributorRefused
from ..maturity.setup import ContributorNotAdded, add_contributor_by_hand, is_organisation_return
from ..dashboard.return_progress import contributors_of
from ..models import Campaign
from .params import NUMBER, TEXT
from .questionnaire import format_table

dma_cli = AppGroup("dma", help="The people working on an organisation's return (the Digital Maturity Assessment).")

#: what a refused contributor is told, by ContributorRefused.reason (the operator's own input only)
REFUSALS = {
    "email": "'{email}' is not an email address that mail can be sent to.",
    "duplicate": "that address is already a contributor to this campaign.",
    "second_lead": "the campaign already has a lead.",
    "name": "a name of 1 to 100 characters is needed.",
    "language": "the language must be en or cy.",
}


def refusal(exc: ContributorRefused, email: str) -> str:
    return REFUSALS.get(exc.reason, str(exc)).format(email=email)


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        _fail(f"no campaign has the id {campaign_id} (see `flask campaign list`).")
    return campaign


@dma_cli.command("contributors")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
def contributors_command(campaign_id: int) -> None:
    """List the contributors of an organisation return: name, role and whether invited."""
    campaign = _campaign(campaign_id)
    if not is_organisation_return(campaign):
        _fail(f"campaign {campaign.id} is a staff survey ({campaign.questionnaire}): it has participants, "
              "not contributors.")
    rows = [("name", "role", "invitation")]
    for person in contributors_of(campaign):
        state = "address refused" if person.bounced else ("sent" if person.invited else "not yet sent")
        rows.append((person.name, "lead" if person.is_lead else "contributor", state))
    if len(rows) == 1:
        click.echo(f"Campaign {campaign.id} has no contributors yet.")
        return
    click.echo(format_table(rows))


@dma_cli.command("add-contributor")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.option("--email", required=True, type=TEXT, help="Their email address (their invitation goes there).")
@click.option("--name", required=True, type=TEXT, help="Their name, as the other contributors see it.")
@click.option("--language", type=click.Choice(["en", "cy"]), help="The language they prefer (default: none stated).")
def add_contributor_command(campaign_id: int, email: str, name: str, language: str | None) -> None:
    """Add a contributor to an organisation return; they are invited by the next planning pass."""
    campaign = _campaign(campaign_id)
    try:
        add_contributor_by_hand(campaign, email=email, name=name, language=language,
                                hash_key=current_app.config["EMAIL_HASH_KEY"])
    except ContributorNotAdded as exc:
        _fail(str(exc))
    except ContributorRefused as exc:
        _fail(f"the contributor cannot be added: {refusal(exc, email)}")
    db.session.commit()
    click.echo(f"Added {name.strip()} to campaign {campaign.id}; the invitation goes with the next planning pass.")
