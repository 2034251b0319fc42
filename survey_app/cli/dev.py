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

from ..console.operations import create_campaign, create_organisation
from ..extensions import db
from ..models import Campaign, Organisation

DEMO_ORG = {"name": "Demo County Council", "type_letter": "W", "number": 1}


def seed_demo() -> Campaign:
    """The demo organisation and an open User Satisfaction campaign (created once)."""
    org = db.session.execute(
        db.select(Organisation).filter_by(type_letter=DEMO_ORG["type_letter"], number=DEMO_ORG["number"])
    ).scalar_one_or_none()
    if org is None:
        org = create_organisation(**DEMO_ORG)
    campaign = db.session.execute(
        db.select(Campaign).filter_by(organisation_id=org.id, questionnaire="user-satisfaction")
        .order_by(Campaign.id.desc())
    ).scalars().first()
    if campaign is None or not campaign.accepting_responses():
        campaign = create_campaign(organisation=org, questionnaire_id="user-satisfaction", opens=date.today())
    return campaign


@click.command("demo")
@click.option("--seed", is_flag=True, help="Create the demo organisation and campaign if missing.")
@with_appcontext
def demo_command(seed: bool) -> None:
    """Print the demo campaign (and seed it with --seed)."""
    if seed:
        campaign = seed_demo()
        db.session.commit()
    else:
        campaign = db.session.execute(db.select(Campaign).order_by(Campaign.id.desc())).scalars().first()
        if campaign is None:
            click.echo("No campaign yet: run `flask demo --seed`.", err=True)
            sys.exit(1)
    click.echo(f"Demo campaign {campaign.id}: {campaign.organisation.name} ({campaign.code}), "
               f"{campaign.questionnaire}, open until {campaign.closes_at:%Y-%m-%d}")
    for line in current_app.config.get("DEMO_EXTRA_LINES", []):
        click.echo(line)


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
