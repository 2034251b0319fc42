"""flask report: a campaign's results as the PDF report the results page offers."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app

from ..extensions import db
from ..models import Campaign
from ..results.report import ReportError
from .params import NUMBER, TEXT
from .results import LANGUAGES, fail


def check_writable(path: Path) -> None:
    folder = path.parent
    if path.is_dir():
        fail(f"Cannot write the PDF to {path}: it is a folder; give a file name, e.g. {path / 'report.pdf'}.")
    if not folder.is_dir():
        fail(f"Cannot write the PDF to {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(f"Cannot write the PDF to {path}: permission denied.")


def write_atomically(path: Path, data: bytes) -> None:
    """The whole file or none of it: written beside `path`, then renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("report")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.option("--pdf", "path", metavar="FILE", type=click.Path(path_type=Path), required=True,
              help="Where to write the PDF (A4), e.g. report.pdf.")
@click.option("--language", type=LANGUAGES, default="en", show_default=True, help="Language of the report.")
@click.option("--by", "dimension", type=TEXT, help="Add a breakdown by a dimension, as on the results page "
                                                   "(device, location, role, working_mode, ...).")
@click.option("--peers", "peers_spec", type=TEXT, metavar="GROUP",
              help="Benchmark over a peer group, as the results page's chooser: all, type:L, nation:wales, "
                   "partnership:yes|no or group:ID.")
def report_command(campaign_id: int, path: Path, language: str, dimension: str | None,
                   peers_spec: str | None) -> None:
    """A campaign's results as a PDF: the results page's sections, charts and tables."""
    from ..dashboard.pdf import report_pdf

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        fail(f"No campaign has the id {campaign_id} (see `flask campaign list`).")
    check_writable(path)
    # the templates build links as the pages do: from the service's own address
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        try:
            args = {k: v for k, v in (("by", dimension), ("peers", peers_spec)) if v}
            data = report_pdf(campaign, language, args or None)
        except ReportError as exc:
            fail(str(exc))
    try:
        write_atomically(path, data)
    except OSError as exc:
        fail(f"Cannot write the PDF to {path}: {exc.strerror or exc}.")
    click.echo(f"Wrote {path} ({len(data):,} bytes, {language}).")
