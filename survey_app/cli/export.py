"""flask export: the Improve team's datasets as CSV, XLSX or Parquet files."""
from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import click
from flask_babel import force_locale

from scoring.peers import PeerGroupError
from scoring.years import year_label

from ..models import Organisation
from ..peers.operations import peer_group
from ..results.data import year_kind
from ..results.datasets import dataset
from ..results.exports import EXPORTERS
from ..results.maturity import questionnaire_is_return
from .params import DATA_YEAR, TEXT


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", required=True, type=TEXT, help="Questionnaire id, e.g. user-satisfaction.")
@click.option("--year", type=DATA_YEAR, required=True,
              help="The data year: 2026/27 (April 2026 to March 2027), or 2026 for the year starting in 2026.")
@click.option("--format", "formats", type=click.Choice([*sorted(EXPORTERS), "all"]), required=True, multiple=True,
              help="File format; give it more than once (or 'all') to write several from one load.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory to write to.")
@click.option("--org", "code", type=TEXT, help="Only this organisation (its code for the year); adds its comments and name.")
@click.option("--language", type=click.Choice(["en", "cy"]), default="en", show_default=True,
              help="Language of the data dictionary, and of the organisation's name with --org "
                   "(its Welsh name, when it has one, with cy).")
@click.option("--peers", "peers_spec", type=TEXT, metavar="GROUP",
              help="Benchmarks over a peer group, and across organisations only its organisations: all, type:L "
                   "(or type:LM), nation:england|scotland|wales, partnership:yes|no, or group:NAME.")
def export_command(questionnaire_id: str, year: int, formats: tuple[str, ...], out_dir: str, code: str | None,
                   language: str, peers_spec: str | None) -> None:
    """Export long, wide, scores, benchmarks and data dictionary tables.

    For an organisation's return (the Digital Maturity Assessment) the dictionary lists
    the statements, with their function and layer, and a columns table describes the
    columns.

    Across organisations, organisations appear by code only and free-text comments are
    left out; with --org, that organisation's comments and name are included.
    Respondents appear only under a pseudonymous response_id.
    """
    organisation = None
    label = year_label(year, year_kind(questionnaire_id))
    try:
        peers = peer_group(peers_spec)
    except PeerGroupError as exc:
        fail(str(exc))
    if code:
        organisation = Organisation.by_code(code)
        if organisation is None:
            fail(f"No organisation has the code '{code}'.")
        if organisation.code_for(year) != code.strip().upper():
            fail(f"The code '{code}' is not for {label}: that organisation's code for {label} "
                 f"is {organisation.code_for(year)}.")
    organisation_return = questionnaire_is_return(questionnaire_id)
    click.echo("Loading returns..." if organisation_return else "Loading responses...", err=True)
    with force_locale(language):
        found = dataset(questionnaire_id, year, organisation, language, peers=peers)
    if found is None:
        where = f" for {organisation.code_for(year)}" if organisation else ""
        where += f" in the peer group {peers_spec.strip()}" if peers is not None else ""
        released = "" if organisation else (" Across organisations only released campaigns count "
                                            "(flask campaign release).")
        what = "submitted return" if organisation_return else "campaign"
        fail(f"No {what} of questionnaire '{questionnaire_id}' in {label}{where}.{released}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chosen = sorted(EXPORTERS) if "all" in formats else list(dict.fromkeys(formats))
    names = ", ".join(EXPORTERS[f].verbose_name for f in chosen)
    with click.progressbar(length=found.rows * len(chosen), label=f"Writing {names}", file=sys.stderr) as bar:
        counted = threading.Lock()

        def progress(rows: int) -> None:
            with counted:
                bar.update(rows)

        # the formats at once: most of the work is in Arrow, zlib and Parquet, which let go of the GIL
        with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
            for done in as_completed([pool.submit(found.render, f, progress) for f in chosen]):
                write(out, done.result())


def write(out: Path, files) -> None:
    """The files into `out`, each whole or not at all."""
    for f in files:
        target = out / f.filename
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(f.data)
        os.replace(partial, target)  # a reader never sees half a file
        click.echo(f"{target} ({len(f.data):,} bytes)")
