"""flask responses import|template: responses collected on paper or with another tool."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .. import submissions
from ..models import Campaign, SubmittedResponse
from ..models.types import utcnow
from ..results.importing import READ_COLUMNS, ResponseImportError, decode_file, import_responses, read_responses
from .params import NUMBER

#: more paper forms than this for one campaign is a typing mistake
MAX_PAPER_FORMS = 1_000_000

responses_cli = AppGroup("responses", help="Import responses collected another way; release submissions into the store.")


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
@click.option("--paper-forms", type=click.IntRange(0, MAX_PAPER_FORMS), metavar="N",
              help="How many paper forms were handed out for this campaign in all (replacing any number given "
                   "before): they count as participants in the response rate.")
def import_command(campaign_id: int, path: str, check: bool, paper_forms: int | None) -> None:
    """Import submitted responses from a CSV file (the wide table of `flask export`).

    Every cell is checked against the campaign's questionnaire; every problem is listed
    with its line and column, and nothing is imported unless the whole file is right.
    The responses have no participant: give the number of paper forms handed out with
    --paper-forms, so that the response rate counts the people who were asked.
    """
    campaign = get_campaign(campaign_id)
    try:
        rows = read_responses(campaign, decode_file(Path(path).read_bytes()))
    except ResponseImportError as exc:
        for problem in exc.problems:
            click.echo(problem.describe(path), err=True)
        fail(f"{len(exc.problems)} problem(s) in {path}; nothing was imported.")
    imported = imported_count(campaign) + len(rows)
    if paper_forms is not None and paper_forms < imported:
        fail(f"--paper-forms {paper_forms} is fewer than the {imported} response(s) campaign {campaign.id} would "
             f"then hold without a participant ({len(rows)} in {path}): give the number of paper forms handed out "
             f"in all; nothing was imported.")
    if check:
        click.echo(f"{len(rows)} response(s) checked with no problems; nothing imported (--check).")
        return
    import_responses(campaign, rows)
    if paper_forms is not None:
        campaign.paper_forms = paper_forms
    try:
        db.session.commit()
    except IntegrityError:
        fail("a response id in the file was stored by someone else meanwhile; nothing was imported. "
             "Run the import again to see which.")
    click.echo(f"Imported {len(rows)} response(s) into campaign {campaign.id} ({campaign.code}).")
    if imported > campaign.paper_forms:
        click.echo(f"{imported} response(s) imported in all but {campaign.paper_forms} paper form(s) recorded as "
                   f"handed out: the response rate counts each response beyond them as one more person asked. "
                   f"Give the number handed out with --paper-forms N.", err=True)
    elif paper_forms is not None:
        click.echo(f"{paper_forms} paper form(s) handed out: counted as participants in the response rate.")


def imported_count(campaign: Campaign) -> int:
    """Submitted responses of the campaign that have no participant (imported)."""
    return db.session.scalar(db.select(db.func.count()).select_from(SubmittedResponse).where(
        SubmittedResponse.campaign_id == campaign.id, SubmittedResponse.source == "import"))


@responses_cli.command("release")
@click.option("--campaign", "campaign_id", type=NUMBER, help="Only this campaign.")
def release_command(campaign_id: int | None) -> None:
    """Release the submissions that are due into the submitted store, now.

    The scheduler does this every ten minutes: at the end of each UK day, once k or more
    have waited (SUBMISSION_BATCH_MINIMUM, by default the anonymity threshold), and
    everything when a campaign has closed. Nothing that is not due is released."""
    if campaign_id is not None:
        get_campaign(campaign_id)
    config = current_app.config
    released = submissions.release(db.session, utcnow(), config["SECRET_KEY"],
                                   config.get("SUBMISSION_BATCH_MINIMUM") or None,
                                   None if campaign_id is None else [campaign_id])
    db.session.commit()
    if not released:
        click.echo("Nothing is due for release.")
    for cid, n in sorted(released.items()):
        click.echo(f"Campaign {cid}: {n} submission(s) released into the store.")


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
