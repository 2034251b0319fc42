"""flask questionnaire validate|list"""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from questionnaires import QuestionnaireError, available, load_file

questionnaire_cli = AppGroup("questionnaire", help="Check and list questionnaire files.")


@questionnaire_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate_command(paths: tuple[str, ...]) -> None:
    """Validate questionnaire files; exit 1 if any has a problem."""
    failed = False
    for path in paths:
        try:
            q = load_file(path)
        except QuestionnaireError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(problem, err=True)
        else:
            click.echo(f"{path}: ok ({q.id} version {q.version})")
    sys.exit(1 if failed else 0)


@questionnaire_cli.command("list")
def list_command() -> None:
    """List the questionnaires in questionnaires/."""
    try:
        found = available()
    except QuestionnaireError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(1)
    rows = [("id", "version", "pages", "questions", "items")]
    for q in found.values():
        rows.append((q.id, q.version, str(len(q.pages)), str(len(q.questions)), str(len(q.items))))
    click.echo(format_table(rows))


def format_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
