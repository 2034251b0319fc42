"""flask users create|set-password|remove|list"""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..auth.operations import UserError, create_user, find_user, remove_user, set_password
from ..extensions import db
from ..models import Organisation, User
from .params import TEXT
from .questionnaire import format_table

users_cli = AppGroup("users", help="People who sign in: the Improve team and organisation admins.")


@users_cli.command("create")
@click.option("--email", required=True, type=TEXT, help="Their sign-in address (only its hash is kept).")
@click.option("--role", required=True, type=click.Choice(["improve", "org-admin"]))
@click.option("--org", "code", type=TEXT, help="Organisation code, for an org-admin.")
@click.option("--password", type=TEXT, prompt=True, hide_input=True, confirmation_prompt=True,
              help="Asked for when not given.")
def create_command(email: str, role: str, code: str | None, password: str) -> None:
    """Create a user who can sign in."""
    org = None
    if code:
        org = Organisation.by_code(code)
        if org is None:
            click.echo(f"Error: No organisation has the code '{code}'.", err=True)
            sys.exit(1)
    try:
        user = create_user(email=email, password=password, role=role.replace("-", "_"), organisation=org,
                           hash_key=current_app.config["EMAIL_HASH_KEY"])
    except UserError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created user {user.id} ({role}{', ' + code if code else ''}).")


def _existing_user(email: str) -> User:
    user = find_user(email, current_app.config["EMAIL_HASH_KEY"])
    if user is None:
        click.echo("Error: No user has that email address (see flask users list).", err=True)
        sys.exit(1)
    return user


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True,
              help="Asked for when not given.")
def set_password_command(email: str, password: str) -> None:
    """Give a user a new password: every session of theirs ends, and a lock on their address."""
    user = _existing_user(email)
    try:
        ended = set_password(user, password)
    except UserError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"New password set for user {user.id}; {ended} session(s) ended.")


@users_cli.command("remove")
@click.argument("email")
def remove_command(email: str) -> None:
    """Remove a user: they can no longer sign in, and every session of theirs ends."""
    user = _existing_user(email)
    ended = remove_user(user)
    db.session.commit()
    click.echo(f"Removed user {user.id}; {ended} session(s) ended.")


@users_cli.command("list")
def list_command() -> None:
    """List users (their addresses are not stored, only ids, roles and organisations)."""
    rows = [("id", "role", "organisation", "active", "last sign-in")]
    for u in db.session.execute(db.select(User).order_by(User.id)).scalars():
        org = u.organisation.name if u.organisation else "all"
        last = u.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if u.last_sign_in_at else "never"
        rows.append((str(u.id), u.role.replace("_", "-"), org, "yes" if u.active else "no", last))
    click.echo(format_table(rows))
