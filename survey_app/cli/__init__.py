"""Command-line commands, registered on the `flask` command."""
from flask import Flask


def register_commands(app: Flask) -> None:
    from .setup import campaign_cli, org_cli
    from .dev import demo_command, dev_command
    from .participants import participants_cli
    from . import participant_import  # noqa: F401  (adds import/withdraw to participants_cli)
    from .mail import mail_cli, scheduler_command
    from .questionnaire import questionnaire_cli

    app.cli.add_command(questionnaire_cli)
    app.cli.add_command(org_cli)
    app.cli.add_command(campaign_cli)
    app.cli.add_command(participants_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(dev_command)
    app.cli.add_command(mail_cli)
    app.cli.add_command(scheduler_command)
