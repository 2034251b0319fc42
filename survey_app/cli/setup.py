"""flask org create|rename|list and flask campaign create|list (release: cli/release.py)"""
from __future__ import annotations

import sys
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from scoring.years import data_year

from ..console.operations import LOCAL, SetupError, create_organisation, rename_organisation
from ..extensions import db
from ..maturity.operations import ContributorRefused
from ..maturity.setup import Lead, set_up_campaign
from ..models import Campaign, Organisation
from .dma import refusal
from .params import NUMBER, TEXT
from .questionnaire import format_table

org_cli = AppGroup("org", help="Create, rename and list organisations.")
campaign_cli = AppGroup("campaign", help="Create, list and release campaigns.")


def fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@org_cli.command("create")
@click.option("--type", "type_letter", required=True, type=TEXT, help="Type letter: E S W C D L M O.")
@click.option("--id", "number", required=True, type=NUMBER, help="Two-digit unique id (1-99).")
@click.option("--name", required=True, type=TEXT, help="The organisation's name.")
@click.option("--name-cy", type=TEXT,
              help="Its name in Welsh, if it has one (shown on Welsh pages and in Welsh emails).")
@click.option("--partnership", is_flag=True, help="A partnership of several organisations.")
@click.option("--language-policy", type=click.Choice(["bilingual", "english"]),
              help="How mail is written (default: bilingual for Welsh organisations).")
def org_create(type_letter: str, number: int, name: str, name_cy: str | None, partnership: bool,
               language_policy: str | None) -> None:
    """Create an organisation and print its code for this data year (financial)."""
    try:
        org = create_organisation(name=name, name_cy=name_cy, type_letter=type_letter, number=number,
                                  partnership=partnership, language_policy=language_policy)
    except SetupError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(org.code_for(data_year(date.today())))


@org_cli.command("rename")
@click.argument("code", type=TEXT)
@click.option("--name", type=TEXT, help="The organisation's new name.")
@click.option("--name-cy", type=TEXT, help="Its new name in Welsh; \"\" removes it (the English name is then shown).")
def org_rename(code: str, name: str | None, name_cy: str | None) -> None:
    """Change an organisation's name, its name in Welsh, or both (CODE: its code for any year)."""
    org = Organisation.by_code(code)
    if org is None:
        fail(f"No organisation has the code '{code}'.")
    try:
        rename_organisation(org, name=name, name_cy=name_cy)
    except SetupError as exc:
        fail(str(exc))
    db.session.commit()
    welsh = org.name_cy or "none (the English name is shown in Welsh)"
    click.echo(f"{org.code_for(date.today().year)}: {org.name}; in Welsh: {welsh}")


@org_cli.command("list")
def org_list() -> None:
    """List organisations with their codes for this data year (financial)."""
    year = data_year(date.today())
    orgs = db.session.execute(db.select(Organisation).order_by(Organisation.type_letter, Organisation.number)).scalars()
    rows = [("code", "name", "name in Welsh", "language policy")]
    rows += [(o.code_for(year), o.name, o.name_cy or "", o.language_policy) for o in orgs]
    click.echo(format_table(rows))


@campaign_cli.command("create")
@click.option("--org", "code", required=True, type=TEXT, help="Organisation code, e.g. S2617.")
@click.option("--questionnaire", "questionnaire_id", required=True, type=TEXT, help="Questionnaire id.")
@click.option("--opens", required=True, type=TEXT, help="Opening date, YYYY-MM-DD.")
@click.option("--weeks", default=4, show_default=True, type=NUMBER, help="How many weeks it stays open.")
@click.option("--closes", type=TEXT, help="Closing date, YYYY-MM-DD (instead of --weeks).")
@click.option("--anonymity-threshold", default=5, show_default=True, type=NUMBER)
@click.option("--lead-email", type=TEXT,
              help="An organisation return (the DMA) only, and required for one: its lead's email address.")
@click.option("--lead-name", type=TEXT, help="The lead's name, as the other contributors see it.")
@click.option("--lead-language", type=click.Choice(["en", "cy"]),
              help="The language the lead prefers (default: none stated).")
def campaign_create(code: str, questionnaire_id: str, opens: str, weeks: int, closes: str | None,
                    anonymity_threshold: int, lead_email: str | None, lead_name: str | None,
                    lead_language: str | None) -> None:
    """Freeze the current questionnaire version into a new campaign; print its id.

    A questionnaire of one return per organisation (the Digital Maturity Assessment)
    needs its lead named (--lead-email and --lead-name), who is invited like a
    participant once the campaign opens; a staff survey has no lead."""
    org = Organisation.by_code(code)
    if org is None:
        fail(f"No organisation has the code '{code}'.")
    try:
        opens_day = date.fromisoformat(opens)
    except ValueError:
        fail(f"--opens '{opens}' is not a date written YYYY-MM-DD.")
    closes_day = None
    if closes:
        try:
            closes_day = date.fromisoformat(closes)
        except ValueError:
            fail(f"--closes '{closes}' is not a date written YYYY-MM-DD.")
    lead = None
    if lead_email is not None or lead_name is not None or lead_language is not None:
        lead = Lead(email=lead_email or "", name=lead_name or "", language=lead_language)
    try:
        campaign = set_up_campaign(organisation=org, questionnaire_id=questionnaire_id, opens=opens_day,
                                   weeks=weeks, closes=closes_day, anonymity_threshold=anonymity_threshold,
                                   lead=lead, hash_key=current_app.config["EMAIL_HASH_KEY"])
    except SetupError as exc:
        fail(str(exc))
    except ContributorRefused as exc:
        fail(f"The lead cannot be named: {refusal(exc, lead_email)}")
    db.session.commit()
    click.echo(campaign.id)


@campaign_cli.command("list")
def campaign_list() -> None:
    """List campaigns."""
    campaigns = db.session.execute(db.select(Campaign).order_by(Campaign.opens_at, Campaign.id)).scalars()
    rows = [("id", "organisation", "questionnaire", "version", "opens", "closes", "status", "results")]
    for c in campaigns:
        results = f"released {c.released_at.astimezone(LOCAL).date().isoformat()}" if c.released else "provisional"
        rows.append((str(c.id), c.code, c.questionnaire, c.questionnaire_version.version,
                     c.opens_at.astimezone(LOCAL).date().isoformat(), c.closes_at.astimezone(LOCAL).date().isoformat(),
                     c.status, results))
    click.echo(format_table(rows))
