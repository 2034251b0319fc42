"""Command-line commands, registered on the `flask` command."""
from flask import Flask


def register_commands(app: Flask) -> None:
    from .setup import campaign_cli, org_cli
    from . import release  # noqa: F401  (adds release/unrelease to campaign_cli)
    from .dev import demo_command, dev_command
    from . import links  # noqa: F401  (adds `participants link`)
    from .participants import participants_cli
    from . import participant_import  # noqa: F401  (adds import/withdraw to participants_cli)
    from .mail import mail_cli, scheduler_command
    from .questionnaire import questionnaire_cli
    from .users import users_cli
    from .export import export_command
    from .responses import responses_cli
    from .results import benchmark_command, scores_command
    from .report import report_command
    from .baseline import baseline_cli
    from .peers import peers_cli
    from .dma import dma_cli
    from .schema import schema_cli
    from ..error_pages import error_pages_command

    app.cli.add_command(questionnaire_cli)
    app.cli.add_command(org_cli)
    app.cli.add_command(campaign_cli)
    app.cli.add_command(participants_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(dev_command)
    app.cli.add_command(scores_command)
    app.cli.add_command(benchmark_command)
    app.cli.add_command(report_command)
    app.cli.add_command(baseline_cli)
    app.cli.add_command(peers_cli)
    app.cli.add_command(dma_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(responses_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(error_pages_command)
    app.cli.add_command(schema_cli)
