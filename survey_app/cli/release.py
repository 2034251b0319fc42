"""flask campaign release|unrelease CAMPAIGN: results stop (or start again) being provisional.

Only released campaigns count in benchmarks and the exports across organisations; each
release and un-release is recorded with the time and the operator named here."""
from __future__ import annotations

import click

from ..console.operations import LOCAL
from ..console.release import ReleaseError, release_campaign, unrelease_campaign
from ..extensions import db
from ..models import Campaign
from .params import NUMBER, TEXT
from .setup import campaign_cli, fail

operator_option = click.option("--operator", required=True, type=TEXT,
                               help="Who is doing it (a name or initials, not an email address): recorded with "
                                    "the time.")


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        fail(f"No campaign has the id {campaign_id} (see `flask campaign list`).")
    return campaign


def _when(event) -> str:
    return event.at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M %Z")


@campaign_cli.command("release")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@operator_option
def release_command(campaign_id: int, operator: str) -> None:
    """Release a closed campaign's results (CAMPAIGN: its id): they stop being provisional
    and count in benchmarks and the exports across organisations."""
    campaign = _campaign(campaign_id)
    try:
        event = release_campaign(campaign, operator=operator)
    except ReleaseError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Released campaign {campaign.id} ({campaign.code}, {campaign.questionnaire}, {campaign.year_label}) "
               f"at {_when(event)}, by {event.operator}.")


@campaign_cli.command("unrelease")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@operator_option
def unrelease_command(campaign_id: int, operator: str) -> None:
    """Take a campaign's released results back (CAMPAIGN: its id): provisional again, and
    out of benchmarks until released again."""
    campaign = _campaign(campaign_id)
    try:
        event = unrelease_campaign(campaign, operator=operator)
    except ReleaseError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Un-released campaign {campaign.id} ({campaign.code}, {campaign.questionnaire}, "
               f"{campaign.year_label}) at {_when(event)}, by {event.operator}: its results are provisional again.")
