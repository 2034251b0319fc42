"""flask schema expand|contract|status: migrations in two steps around a rolling upgrade."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_migrate import upgrade

from ..extensions import db
from ..upgrades import database_revision, expand_target, migration_steps, pending, serving_revisions

schema_cli = AppGroup("schema", help="Migrate in two steps: expand while the previous release serves, "
                                     "contract once every host runs this one (README, \"Upgrading\").")


def _current() -> str | None:
    with db.engine.connect() as connection:
        return database_revision(connection)


def _pending_or_fail(current: str | None):
    try:
        return pending(current)
    except LookupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


def _describe(step) -> str:
    downtime = ", needs downtime" if step.needs_downtime else ""
    return f"{step.revision} ({step.phase}{downtime})"


@schema_cli.command("expand")
def expand_command() -> None:
    """Run the pending expand migrations, stopping before the first contract one.

    Safe while the previous release serves: expand migrations only add."""
    current = _current()
    waiting = _pending_or_fail(current)
    target = expand_target(current)
    if target is not None:
        upgrade(revision=target)
        click.echo(f"Expanded: the database is at {target}.")
    else:
        click.echo(f"Nothing to expand: the database is at {current or 'no revision'}.")
    contract = next((s for s in waiting if s.phase != "expand"), None)
    if contract is None:
        return
    if contract.needs_downtime:
        click.echo(f"Next: {_describe(contract)}. Neither release serves across it: stop every host and "
                   "scheduler, run `flask schema contract`, then start this release.")
    else:
        click.echo(f"Next: {_describe(contract)}. Run `flask schema contract` once every host runs this release.")


@schema_cli.command("contract")
def contract_command() -> None:
    """Run every pending migration, contract ones included, up to the head.

    Only once no host runs the previous release: it cannot run against the result."""
    current = _current()
    if not _pending_or_fail(current):
        click.echo(f"Nothing to do: the database is at {current}, the head.")
        return
    upgrade(revision="head")
    click.echo(f"Contracted: the database is at {migration_steps()[-1].revision}, the head.")


@schema_cli.command("status")
def status_command() -> None:
    """The database's revision, the migrations still to run and whether this release serves now."""
    current = _current()
    waiting = _pending_or_fail(current)
    click.echo(f"Database at: {current or 'no revision'}")
    click.echo(f"This release's head: {migration_steps()[-1].revision}")
    for step in waiting:
        click.echo(f"  pending: {_describe(step)}")
    if current in serving_revisions():
        click.echo("This release can serve against the database.")
    elif expand_target(current) is not None:
        click.echo("This release cannot serve against the database yet: run `flask schema expand`.")
    else:
        click.echo("This release cannot serve against the database until `flask schema contract` has run, "
                   "and the previous release cannot run against it after that: stop it first.")
