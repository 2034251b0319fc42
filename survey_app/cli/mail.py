"""flask scheduler, and flask mail send-due|status|retry: the outbox from the command line."""
from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from flask.logging import default_handler
from sqlalchemy import func, select, update

from mailer.context import fixed_clock
from mailer.jobs import JOBS, build_scheduler, run_pass

from ..extensions import db
from ..mailing import mailer_context
from ..metrics import serve_scheduler_metrics
from ..models import OutboxMessage
from ..operator_logs import prepare
from .params import NUMBER
from .questionnaire import format_table

log = logging.getLogger(__name__)
mail_cli = AppGroup("mail", help="Send due email and look at the outbox.")


def parse_now(value: str | None) -> datetime | None:
    """An ISO date-time; without an offset it is read as local time in the sending window's
    time zone (Europe/London by default), the way an operator thinks of it."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO date-time such as 2026-03-02T09:00 "
                                 "or 2026-03-02T09:00+00:00.", param_hint="--now") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config.get("SEND_WINDOW_TIMEZONE", "Europe/London")))
    return moment


@mail_cli.command("send-due")
@click.option("--now", "now_text", metavar="ISO-DATETIME",
              help="Run as if it were this time (default: now). Without an offset: local time.")
def send_due_command(now_text: str | None) -> None:
    """One pass of every scheduled job: open and close campaigns, plan invitations and
    reminders, send what is due, erase addresses past the grace period."""
    now = parse_now(now_text)
    ctx = mailer_context(current_app, clock=fixed_clock(now)) if now else mailer_context(current_app)
    now = ctx.now()
    results = run_pass(ctx, now)
    plan, sent = results["plan_messages"], results["send_outbox"]
    click.echo(f"At {now.isoformat(timespec='minutes')}:")
    rows = [
        ("campaigns opened", results["open_campaigns"]), ("campaigns closed", results["close_campaigns"]),
        ("invitations planned", plan.invitations), ("reminders planned", plan.reminders),
        ("reminders replaced by a later one", plan.superseded),
        ("sent", sent.sent), ("to retry later", sent.retrying), ("bounced", sent.bounced),
        ("failed", sent.failed), ("cancelled (no longer wanted)", sent.cancelled),
        ("interrupted after hand-over (not resent)", sent.interrupted),
        ("campaigns whose addresses were erased", results["erase_emails"]),
    ]
    for label, count in rows:
        click.echo(f"  {label}: {count}")
    if sent.outside_window:
        click.echo(f"  Nothing sent: outside the sending window ({ctx.settings.window.describe()}).")
    if sent.stopped:
        click.echo(f"  Sending stopped early and will be retried: {sent.stopped}")


@mail_cli.command("status")
@click.option("--campaign", "campaign_id", type=NUMBER, help="Only this campaign.")
def status_command(campaign_id: int | None) -> None:
    """Outbox counts by campaign, kind and status, then every failed message."""
    o = OutboxMessage
    query = select(o.campaign_id, o.kind, o.status, func.count()).group_by(o.campaign_id, o.kind, o.status)
    failed = select(o).where(o.status == "failed").order_by(o.id)
    if campaign_id is not None:
        query, failed = query.where(o.campaign_id == campaign_id), failed.where(o.campaign_id == campaign_id)
    counts: dict[tuple[int, str], dict[str, int]] = {}
    for cid, kind, status, n in db.session.execute(query):
        counts.setdefault((cid, kind), {})[status] = n
    if not counts:
        click.echo("The outbox is empty.")
        return
    statuses = ("pending", "sending", "sent", "failed", "cancelled")
    rows = [("campaign", "kind") + statuses]
    for (cid, kind), by_status in sorted(counts.items()):
        rows.append((str(cid), kind) + tuple(str(by_status.get(s, 0)) for s in statuses))
    click.echo(format_table(rows))
    failures = db.session.execute(failed).scalars().all()
    if failures:
        click.echo("")
        click.echo("Failed messages:")
        for row in failures:
            click.echo(f"  {row.id} (campaign {row.campaign_id}, {row.kind}, {row.attempts} attempts): {row.last_error}")


@mail_cli.command("retry")
@click.argument("outbox_ids", nargs=-1, type=NUMBER, required=True)
def retry_command(outbox_ids: tuple[int, ...]) -> None:
    """Send failed messages again (by outbox id), e.g. one interrupted after hand-over once
    you know it did not arrive. It is still checked for eligibility when sent."""
    o = OutboxMessage
    now = datetime.now(ZoneInfo("UTC"))
    done = db.session.execute(
        update(o).where(o.id.in_(outbox_ids), o.status == "failed")
        .values(status="pending", next_attempt_at=now, sent_at=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    click.echo(f"{done} of {len(outbox_ids)} message(s) queued again.")
    if done < len(outbox_ids):
        click.echo("The others do not exist or have not failed.", err=True)
        sys.exit(1)


@mail_cli.command("preview")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.option("--kind", type=click.Choice(["invitation", "reminder", "final_reminder"]), default="invitation",
              show_default=True)
@click.option("--started", is_flag=True, help="As sent to someone with a partial response.")
@click.option("--language", "languages", type=click.Choice(["en", "cy", "cy+en", "en+cy"]),
              help="Default: as sent to someone with no stated preference under the organisation's policy.")
@click.option("--html", is_flag=True, help="Print the HTML version instead of the text.")
@click.option("--lead", is_flag=True, help="An organisation return (the DMA): as sent to its lead, not a contributor.")
def preview_command(campaign_id: int, kind: str, started: bool, languages: str | None, html: bool,
                    lead: bool) -> None:
    """Print a campaign's email as it will be sent (with example links), to check it."""
    from mailer.planner import message_language
    from mailer.render import EmailFacts

    from ..models import Campaign

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        click.echo(f"Error: no campaign has the id {campaign_id} (see `flask campaign list`).", err=True)
        sys.exit(1)
    ctx = mailer_context(current_app)
    languages = languages or message_language(campaign.organisation.language_policy, None)
    base = ctx.settings.base_url
    facts = EmailFacts.for_campaign(campaign, kind, started, respond_url=f"{base}/s/PERSONAL-LINK",
                                    stop_url=f"{base}/stop-reminders/PERSONAL-LINK", zone=ctx.settings.window.zone,
                                    lead=lead)
    email = ctx.renderer.render(facts, languages)
    click.echo(f"Subject: {email.subject}\n")
    click.echo(email.html if html else email.text)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the jobs on their schedules until stopped (Ctrl+C or SIGTERM)."""
    handler = logging.StreamHandler()
    prepare(handler, current_app.config["LOG_FORMAT"], "%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    current_app.logger.removeHandler(default_handler)  # the app's records through the one above only
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    ctx = mailer_context(current_app)
    scheduler = build_scheduler(ctx)

    def stop(*_args) -> None:
        if scheduler.running:  # a second signal (Ctrl+C twice, make's TERM after ours) is a no-op
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # logged, not printed: in JSON (LOG_FORMAT) every line the scheduler writes is an object
    log.info("Scheduler %s started; sending window %s.", ctx.worker, ctx.settings.window.describe())
    for job in JOBS:
        log.info("Job %s every %s: %s", job.name, job.every, job.what)
    port = current_app.config.get("SCHEDULER_METRICS_PORT")
    server = serve_scheduler_metrics(ctx, port) if port else None
    if server is not None:
        log.info("Metrics at http://127.0.0.1:%s/metrics", port)
    scheduler.start()
    if server is not None:
        server.shutdown()
    log.info("Scheduler stopped.")
