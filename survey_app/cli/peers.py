"""flask peers create|list|show|add|remove|rename|delete: the named peer groups."""
from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup

from scoring.peers import PeerGroupError
from scoring.years import data_year

from ..extensions import db
from ..peers.operations import (add_members, all_groups, create_group, delete_group, find_group, member_codes,
                                remove_members, rename_group)
from .params import DATA_YEAR, TEXT
from .questionnaire import format_table

peers_cli = AppGroup("peers", help="Named peer groups: organisations benchmarked together.")


def fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _group(name: str):
    try:
        return find_group(name)
    except PeerGroupError as exc:
        fail(str(exc))


@peers_cli.command("create")
@click.argument("name", type=TEXT)
@click.argument("codes", nargs=-1, type=TEXT)
def peers_create(name: str, codes: tuple[str, ...]) -> None:
    """Create a named peer group, with the organisations the CODES name (any year's code)."""
    try:
        group = create_group(name, codes)
    except PeerGroupError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Created the peer group '{group.name}' (group:{group.id}) with {len(group.members)} organisations.")


@peers_cli.command("list")
def peers_list() -> None:
    """List the named peer groups and how many organisations each has."""
    groups = all_groups()
    if not groups:
        click.echo("No named peer groups yet (see `flask peers create`).")
        return
    rows = [("id", "name", "organisations")] + [(str(g.id), g.name, str(len(g.members))) for g in groups]
    click.echo(format_table(rows))


@peers_cli.command("show")
@click.argument("name", type=TEXT)
@click.option("--year", type=DATA_YEAR, help="Show the codes of this data year (default: this one).")
def peers_show(name: str, year: int | None) -> None:
    """The organisations in a named peer group, by code."""
    group = _group(name)
    codes = member_codes(group, year if year is not None else data_year(date.today()))
    click.echo(f"{group.name} (group:{group.id}): {len(codes)} organisations")
    for code in codes:
        click.echo(code)


@peers_cli.command("add")
@click.argument("name", type=TEXT)
@click.argument("codes", nargs=-1, required=True, type=TEXT)
def peers_add(name: str, codes: tuple[str, ...]) -> None:
    """Add organisations (by code) to a named peer group."""
    group = _group(name)
    try:
        added = add_members(group, codes)
    except PeerGroupError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Added {len(added)} organisations to '{group.name}'; it has {len(group.members)}.")


@peers_cli.command("remove")
@click.argument("name", type=TEXT)
@click.argument("codes", nargs=-1, required=True, type=TEXT)
def peers_remove(name: str, codes: tuple[str, ...]) -> None:
    """Remove organisations (by code) from a named peer group."""
    group = _group(name)
    try:
        removed = remove_members(group, codes)
    except PeerGroupError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Removed {len(removed)} organisations from '{group.name}'; it has {len(group.members)}.")


@peers_cli.command("rename")
@click.argument("name", type=TEXT)
@click.argument("new_name", type=TEXT)
def peers_rename(name: str, new_name: str) -> None:
    """Give a named peer group a new name."""
    group = _group(name)
    old = group.name
    try:
        rename_group(group, new_name)
    except PeerGroupError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Renamed '{old}' to '{group.name}'.")


@peers_cli.command("delete")
@click.argument("name", type=TEXT)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def peers_delete(name: str, yes: bool) -> None:
    """Delete a named peer group (the organisations stay)."""
    group = _group(name)
    if not yes:
        click.confirm(f"Delete the peer group '{group.name}' ({len(group.members)} organisations)?", abort=True)
    delete_group(group)
    db.session.commit()
    click.echo(f"Deleted the peer group '{group.name}'.")
