"""flask responses import|template: responses collected on paper or with another tool."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Campaign
from ..results.importing import READ_COLUMNS, ResponseImportError, decode_file, import_responses, read_responses
from .params import NUMBER

responses_cli = AppGroup("responses", help="Import responses collected another way.")


def fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def get_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        fail(f"No campaign has the id {campaign_id} (see `flask campaign list`).")
    return campaign


@responses_cli.command("import")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Check the file and report problems, but import nothing.")
def import_command(campaign_id: int, path: str, check: bool) -> None:
    """Import submitted responses from a CSV file (the wide table of `flask export`).

    Every cell is checked against the campaign's questionnaire; every problem is listed
    with its line and column, and nothing is imported unless the whole file is right.
    """
    campaign = get_campaign(campaign_id)
    try:
        rows = read_responses(campaign, decode_file(Path(path).read_bytes()))
    except ResponseImportError as exc:
        for problem in exc.problems:
            click.echo(problem.describe(path), err=True)
        fail(f"{len(exc.problems)} problem(s) in {path}; nothing was imported.")
    if check:
        click.echo(f"{len(rows)} response(s) checked with no problems; nothing imported (--check).")
        return
    import_responses(campaign, rows)
    try:
        db.session.commit()
    except IntegrityError:
        fail("a response id in the file was stored by someone else meanwhile; nothing was imported. "
             "Run the import again to see which.")
    click.echo(f"Imported {len(rows)} response(s) into campaign {campaign.id} ({campaign.code}).")


@responses_cli.command("template")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Write here instead of the terminal.")
def template_command(campaign_id: int, out_path: str | None) -> None:
    """An empty import file for a campaign: the header row, a column per question."""
    campaign = get_campaign(campaign_id)
    header = READ_COLUMNS + [item.id for item in campaign.questionnaire_version.parsed().items]
    if out_path:
        with open(out_path, "w", newline="", encoding="utf-8-sig") as f:
            csv.writer(f, lineterminator="\r\n").writerow(header)
        click.echo(out_path)
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(header)
        click.echo(buffer.getvalue(), nl=False)
