"""flask demo and flask dev: a seeded demo and every process of a laptop set-up."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from ..console.operations import create_campaign
from ..extensions import db
from ..models import Campaign, Organisation
from .demo_maturity import lead_links
from .demo_round import QUESTIONNAIRE, RoundSummary, seed_round
from .links import demo_links, seed_demo_participants

#: the demo organisation (the first of demo_data.ORGANISATIONS), whose admin signs in
DEMO_ORG = {"name": "Demo County Council", "type_letter": "W", "number": 1}
#: demo sign-ins, created by `flask demo --seed` outside production only
DEMO_IMPROVE = "improve@demo.invalid"
DEMO_ORG_ADMIN = "admin@demo.invalid"
DEMO_PASSWORD = "demo-password-not-for-real-use"


def seed_demo_users(organisation) -> None:
    """An Improve team user and an admin of the demo organisation, with the demo password."""
    from ..auth.operations import create_user, set_password
    from ..models import User
    from ..privacy import email_hash

    key = current_app.config["EMAIL_HASH_KEY"]
    for email, role, org in ((DEMO_IMPROVE, "improve", None), (DEMO_ORG_ADMIN, "org_admin", organisation)):
        user = db.session.execute(db.select(User).filter_by(email_hash=email_hash(email, key))).scalar_one_or_none()
        if user is None:
            create_user(email=email, password=DEMO_PASSWORD, role=role, organisation=org, hash_key=key)
        else:
            set_password(user, DEMO_PASSWORD)


class DemoRefused(Exception):
    """The demo would mix with data that is not the demo's; the message says why."""


def demo_organisation() -> Organisation | None:
    return db.session.execute(
        db.select(Organisation).filter_by(type_letter=DEMO_ORG["type_letter"], number=DEMO_ORG["number"])
    ).scalar_one_or_none()


def seed_demo() -> tuple[Campaign, RoundSummary | None]:
    """The demo round on an empty database (demo_round.py); on one seeded before, the demo
    organisation's campaign again if it has closed since. Returns the demo organisation's
    open campaign, and what was seeded (None when the round was there already)."""
    org = demo_organisation()
    summary = None
    if org is None:
        if db.session.scalar(db.select(db.func.count()).select_from(Organisation)):
            raise DemoRefused("the database already has organisations, and the demo round would mix with them. "
                              "Seed the demo into an empty database (e.g. DATABASE_URL=sqlite:///demo.db "
                              "flask db upgrade, then flask demo --seed).")
        campaign, summary = seed_round()
    else:
        campaign = db.session.execute(
            db.select(Campaign).filter_by(organisation_id=org.id, questionnaire=QUESTIONNAIRE)
            .order_by(Campaign.id.desc())
        ).scalars().first()
        if campaign is None or not campaign.accepting_responses():
            campaign = create_campaign(organisation=org, questionnaire_id=QUESTIONNAIRE, opens=date.today())
    seed_demo_participants(campaign)
    return campaign, summary


@click.command("demo")
@click.option("--seed", is_flag=True, help="Create the demo organisation and campaign if missing.")
@with_appcontext
def demo_command(seed: bool) -> None:
    """Print the demo campaign (and seed it with --seed)."""
    if current_app.config["ENV"] == "production":
        click.echo("Error: the demo is not available in production.", err=True)
        sys.exit(1)
    if seed:
        started = time.monotonic()
        try:
            campaign, summary = seed_demo()
        except DemoRefused as refused:
            db.session.rollback()
            click.echo(f"Error: {refused}", err=True)
            sys.exit(1)
        seed_demo_users(campaign.organisation)
        db.session.commit()
        if summary is not None:
            click.echo(f"{summary.describe()} Seeded in {time.monotonic() - started:.1f} s.")
    else:
        org = demo_organisation()
        campaign = None if org is None else db.session.execute(
            db.select(Campaign).filter_by(organisation_id=org.id, questionnaire=QUESTIONNAIRE)
            .order_by(Campaign.id.desc())).scalars().first()
        if campaign is None:
            click.echo("No demo campaign yet: run `flask demo --seed`.", err=True)
            sys.exit(1)
    click.echo(f"Demo campaign {campaign.id}: {campaign.organisation.name} ({campaign.code}), "
               f"{campaign.questionnaire}, open until {campaign.closes_at:%Y-%m-%d}")
    for line in demo_links(campaign):
        click.echo(line)
    for line in lead_links(campaign.organisation):
        click.echo(line)
    base = current_app.config["BASE_URL"]
    click.echo(f"Admin sign-in: {base}/sign-in as {DEMO_IMPROVE} (Improve team) or {DEMO_ORG_ADMIN} "
               f"(the demo organisation), password: {DEMO_PASSWORD}")


@click.command("dev")
@click.option("--port", default=5000, show_default=True)
def dev_command(port: int) -> None:
    """Run the web app, the scheduler and a local mail catcher until Ctrl+C."""
    env = dict(os.environ)
    # on a laptop mail goes out at any hour, so the demo's invitations show up at once
    for name, value in (("SEND_WINDOW_START_HOUR", "0"), ("SEND_WINDOW_END_HOUR", "24"),
                        ("SEND_WINDOW_WEEKDAYS_ONLY", "false")):
        env.setdefault(name, value)
    flask = [sys.executable, "-m", "flask"]
    mail_folder = os.path.join(current_app.instance_path, "mail")
    commands = [
        ("mail catcher", [sys.executable, "-m", "mailer.catcher", "--port", str(current_app.config["MAIL_PORT"]),
                          "--dir", mail_folder]),
        ("web", flask + ["run", "--port", str(port)]),
    ]
    if "scheduler" in current_app.cli.commands:
        commands.insert(1, ("scheduler", flask + ["scheduler"]))

    def stop(_signum, _frame):  # a SIGTERM (from a supervisor, or `timeout`) stops the children too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    processes = [(name, subprocess.Popen(cmd, env=env)) for name, cmd in commands]
    click.echo(f"Started {', '.join(n for n, _ in processes)}. Open http://127.0.0.1:{port}/ ; Ctrl+C stops.")
    click.echo(f"Mail sent by the scheduler is caught, not delivered: http://127.0.0.1:{port}/dev/mail/ "
               f"(files in {mail_folder}/).")
    try:
        while all(p.poll() is None for _, p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for _, p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
