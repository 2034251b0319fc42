"""flask baseline import|list|show|delete: historical baselines (results/baselines.py)."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..results.baselines import (COLUMNS, BaselineError, check_label, check_size, decode, delete_baseline,
                                 find_baseline, list_baselines, questionnaire_factors, read_figures, store_baseline)
from .params import TEXT

baseline_cli = AppGroup("baseline", help="Historical baselines: benchmark figures per factor from an earlier "
                                         "period, shown beside this year's results.")


def fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def fail_with(exc: BaselineError, filename: str, nothing: str) -> None:
    for problem in exc.problems:
        click.echo(problem.describe(filename), err=True)
    fail(f"{len(exc.problems)} problem(s) in {filename}; {nothing}")


@baseline_cli.command("import")
@click.argument("questionnaire", type=TEXT)
@click.argument("path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--label", required=True, type=TEXT, help="The period the figures cover, as the results page "
                                                         "shows it, e.g. 1999-2004.")
@click.option("--replace", is_flag=True, help="Replace the questionnaire's baseline of the same label.")
@click.option("--check", is_flag=True, help="Check the file and report problems, but store nothing.")
def import_command(questionnaire: str, path: str, label: str, replace: bool, check: bool) -> None:
    """Import a baseline from a CSV file: factor,measure,median[,q1,q3,organisations].

    Every row is checked against the questionnaire's factors and the 1-7 scale; every
    problem is listed with its line and column, and nothing is stored unless the whole
    file is right (questionnaires/README.md, "Historical baselines")."""
    try:
        label = check_label(questionnaire, label, replace=replace)
        check_size(Path(path).stat().st_size)
        figures = read_figures(questionnaire, decode(Path(path).read_bytes()))
    except BaselineError as exc:
        fail_with(exc, path, "nothing was stored.")
    if check:
        click.echo(f"{len(figures)} figure(s) checked with no problems; nothing stored (--check).")
        return
    store_baseline(questionnaire, label, figures, replace=replace)
    try:
        db.session.commit()
    except IntegrityError:
        fail(f"a baseline labelled '{label}' was stored by someone else meanwhile; nothing was stored.")
    click.echo(f"Stored the baseline '{label}' of {questionnaire}: {len(figures)} figure(s).")


@baseline_cli.command("template")
@click.argument("questionnaire", type=TEXT)
def template_command(questionnaire: str) -> None:
    """An import file to fill in: the header and a row for every factor and measure of
    the questionnaire, the figures left empty."""
    try:
        factors = questionnaire_factors(questionnaire)
    except BaselineError as exc:
        fail(exc.problems[0].message)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for factor, measures in factors.items():
        for measure in measures:
            writer.writerow([factor, measure] + [""] * (len(COLUMNS) - 2))
    click.echo(buffer.getvalue(), nl=False)


@baseline_cli.command("list")
@click.argument("questionnaire", type=TEXT, required=False)
def list_command(questionnaire: str | None) -> None:
    """Every baseline (of one questionnaire), with how many figures it has."""
    found = list_baselines(questionnaire)
    if not found:
        click.echo("No baselines." if questionnaire is None else f"No baselines for {questionnaire}.")
    for b in found:
        click.echo(f"{b.questionnaire}\t{b.label}\t{len(b.figures)} figure(s)\t"
                   f"imported {b.created_at:%Y-%m-%d %H:%M} UTC")


def get_baseline(questionnaire: str, label: str):
    baseline = find_baseline(questionnaire, label)
    if baseline is None:
        fail(f"{questionnaire} has no baseline labelled '{label}' (see `flask baseline list`).")
    return baseline


@baseline_cli.command("show")
@click.argument("questionnaire", type=TEXT)
@click.argument("label", type=TEXT)
def show_command(questionnaire: str, label: str) -> None:
    """A baseline's figures as CSV, in the form `flask baseline import` reads."""
    baseline = get_baseline(questionnaire, label)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in baseline.figures:
        writer.writerow([f.factor, f.measure, *("" if v is None else repr(v) for v in (f.median, f.q1, f.q3)),
                         f.organisations or ""])
    click.echo(buffer.getvalue(), nl=False)


@baseline_cli.command("delete")
@click.argument("questionnaire", type=TEXT)
@click.argument("label", type=TEXT)
def delete_command(questionnaire: str, label: str) -> None:
    """Delete a baseline: the results pages stop showing it."""
    delete_baseline(get_baseline(questionnaire, label))
    db.session.commit()
    click.echo(f"Deleted the baseline '{label}' of {questionnaire}.")
