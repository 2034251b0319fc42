"""flask participants import|withdraw CAMPAIGN FILE.csv

Exit status: 0 when every row was used, 2 when the file was applied but some rows were
rejected (listed), 1 when nothing was changed (a problem with the file, an unknown
campaign, or an all-or-nothing import with rejected rows).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale, gettext as _

from ..extensions import db
from ..models import Campaign
from ..participants.operations import import_participants, withdraw_participants
from ..participants.reports import ImportReport, ParticipantFileError, WithdrawReport
from .params import NUMBER
from .participants import participants_cli

file_argument = click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
campaign_argument = click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        click.echo(_("Error: no campaign has the id %(id)d (see `flask campaign list`).", id=campaign_id), err=True)
        sys.exit(1)
    return campaign


def _echo_rejections(report) -> None:
    for rejection in report.rejected:
        click.echo(f"  {rejection}")


def _fail(path: str, error: ParticipantFileError) -> None:
    db.session.rollback()
    click.echo(_("Error in %(file)s: %(problem)s", file=Path(path).name, problem=error.message), err=True)
    if error.report is not None and error.report.rejected:
        click.echo(_("Rejected rows: %(num)d", num=len(error.report.rejected)), err=True)
        for rejection in error.report.rejected:
            click.echo(f"  {rejection}", err=True)
    sys.exit(1)


def echo_import_report(report: ImportReport, campaign: Campaign, show_duplicates: bool) -> None:
    click.echo(_("%(file)s: %(rows)d rows read for campaign %(id)d (%(code)s, %(questionnaire)s).",
                 file=report.source, rows=report.rows, id=campaign.id, code=campaign.code,
                 questionnaire=campaign.questionnaire))
    click.echo(_("Added: %(num)d", num=report.added))
    click.echo(_("Duplicates skipped: %(num)d (%(in_file)d repeated in the file, %(in_campaign)d already in the "
                 "campaign)", num=len(report.duplicates), in_file=report.duplicates_in_file,
                 in_campaign=report.duplicates_in_campaign))
    if show_duplicates:
        for duplicate in report.duplicates:
            click.echo(f"  {duplicate}")
    click.echo(_("Rejected: %(num)d", num=len(report.rejected)))
    _echo_rejections(report)


@participants_cli.command("import")
@campaign_argument
@file_argument
@click.option("--all-or-nothing", is_flag=True, help="Import nothing if any row is rejected.")
@click.option("--show-duplicates", is_flag=True, help="List the line of every duplicate.")
def import_command(campaign_id: int, path: str, all_or_nothing: bool, show_duplicates: bool) -> None:
    """Add the people in a CSV file (UTF-8; an `email` column, optional `language` en/cy,
    any other columns kept for breakdowns) to a campaign."""
    with force_locale("en"):
        campaign = _campaign(campaign_id)
        with open(path, "rb") as stream:
            try:
                report = import_participants(campaign, stream, hash_key=current_app.config["EMAIL_HASH_KEY"],
                                             source=Path(path).name, all_or_nothing=all_or_nothing)
            except ParticipantFileError as error:
                _fail(path, error)
        db.session.commit()
        echo_import_report(report, campaign, show_duplicates)
    sys.exit(2 if report.rejected else 0)


@participants_cli.command("withdraw")
@campaign_argument
@file_argument
@click.option("--all-or-nothing", is_flag=True, help="Withdraw nobody if any row is rejected.")
def withdraw_command(campaign_id: int, path: str, all_or_nothing: bool) -> None:
    """Withdraw the people listed in a CSV file (an `email` column) from a campaign: they
    leave the response rate and get no more mail."""
    with force_locale("en"):
        campaign = _campaign(campaign_id)
        with open(path, "rb") as stream:
            try:
                report: WithdrawReport = withdraw_participants(
                    campaign, stream, hash_key=current_app.config["EMAIL_HASH_KEY"], source=Path(path).name,
                    all_or_nothing=all_or_nothing)
            except ParticipantFileError as error:
                _fail(path, error)
        db.session.commit()
        click.echo(_("%(file)s: %(rows)d rows read for campaign %(id)d.", file=report.source, rows=report.rows,
                     id=campaign.id))
        click.echo(_("Withdrawn: %(num)d", num=report.withdrawn))
        click.echo(_("Already withdrawn: %(num)d", num=report.already_withdrawn))
        click.echo(_("Repeated in the file: %(num)d", num=len(report.duplicates)))
        click.echo(_("Not in this campaign: %(num)d", num=len(report.not_found)))
        for line in report.not_found:
            click.echo("  " + _("Line %(line)d: not a participant of this campaign.", line=line))
        click.echo(_("Rejected: %(num)d", num=len(report.rejected)))
        _echo_rejections(report)
    sys.exit(2 if report.rejected else 0)
