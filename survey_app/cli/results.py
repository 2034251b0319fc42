"""flask scores and flask benchmark: results on the command line."""
from __future__ import annotations

import csv
import io
import json
import sys

import click
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..models import Campaign
from ..results.benchmark_output import (BENCHMARK_COLUMNS, ORGANISATION_COLUMNS, benchmark_json, benchmark_rows,
                                        benchmark_text, default_metrics, organisation_rows)
from ..results.campaign_output import CSV_COLUMNS, campaign_json, campaign_rows, campaign_text
from ..results import maturity_output
from ..results.maturity import campaign_maturity, is_organisation_return, maturity_benchmark, questionnaire_is_return
from ..results.report import RESPONSE_RATE, ReportError, benchmark_report, campaign_report
from ..results.text import neutralise
from ..peers.labels import peer_group_label
from ..peers.operations import peer_group
from scoring.peers import PeerGroupError
from .params import DATA_YEAR, NUMBER, TEXT

FORMATS = click.Choice(["table", "csv", "json"])
LANGUAGES = click.Choice(["en", "cy"])


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def write_csv(rows: list[dict], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise("" if row.get(k) is None else row[k]) for k in columns})
    click.echo(buffer.getvalue(), nl=False)


def write_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.command("scores")
@click.argument("campaign_id", metavar="CAMPAIGN", type=NUMBER)
@click.option("--by", "dimension", type=TEXT, help="Break down by a dimension: device, location, role, working_mode, "
                                         "device_class, another questionnaire dimension or a participant list column.")
@click.option("--format", "output", type=FORMATS, default="table", show_default=True)
@click.option("--language", type=LANGUAGES, default="en", show_default=True, help="Language of labels and text.")
def scores_command(campaign_id: int, dimension: str | None, output: str, language: str) -> None:
    """A campaign's results: response rate, factor, gap and area scores, breakdowns."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        fail(f"No campaign has the id {campaign_id} (see `flask campaign list`).")
    if is_organisation_return(campaign.questionnaire_version.parsed()):
        _return_scores(campaign, dimension, output, language)
        return
    try:
        report = campaign_report(campaign, by=dimension)
    except ReportError as exc:
        fail(str(exc))
    with force_locale(language):
        if output == "json":
            write_json(campaign_json(report, language))
        elif output == "csv":
            write_csv(campaign_rows(report, language), CSV_COLUMNS)
        else:
            click.echo(campaign_text(report, language))


def _return_scores(campaign: Campaign, dimension: str | None, output: str, language: str) -> None:
    """An organisation's return (the DMA): levels and commitment per function and overall."""
    if dimension is not None:
        fail(f"Campaign {campaign.id} is an organisation's return ({campaign.questionnaire}), not a staff survey: "
             f"it has no breakdowns, so --by does not apply.")
    data = campaign_maturity(campaign.id)
    with force_locale(language):
        if output == "json":
            write_json(maturity_output.return_json(data, campaign, language))
        elif output == "csv":
            write_csv(maturity_output.return_rows(data, campaign, language), maturity_output.SCORE_COLUMNS)
        else:
            click.echo(maturity_output.return_text(data, campaign, language))


@click.command("benchmark")
@click.argument("questionnaire", type=TEXT)
@click.option("--year", type=DATA_YEAR, required=True,
              help="The data year: 2026/27 (April 2026 to March 2027), or 2026 for the year starting in 2026.")
@click.option("--metric", "metrics", multiple=True,
              help="Show each organisation's value and band for this metric (repeatable), "
                   "e.g. OVERALL.satisfaction, S7.gap, area.leadership, response_rate; for the DMA "
                   "e.g. data_analytics.level, overall.commitment.")
@click.option("--peers", "peers_spec", type=TEXT, metavar="GROUP",
              help="Benchmark over a peer group: all, type:L (or type:LM), nation:england|scotland|wales, "
                   "partnership:yes|no, or group:NAME (see `flask peers list`).")
@click.option("--format", "output", type=FORMATS, default="table", show_default=True)
@click.option("--language", type=LANGUAGES, default="en", show_default=True, help="Language of labels and text.")
def benchmark_command(questionnaire: str, year: int, metrics: tuple[str, ...], peers_spec: str | None, output: str,
                      language: str) -> None:
    """The benchmark over organisations (median and quartiles), by organisation code only.

    Every figure is shown to the Improve team; a group smaller than MIN_PEER_GROUP is
    flagged, as organisations are shown no median or quartiles for it."""
    try:
        peers = peer_group(peers_spec)
    except PeerGroupError as exc:
        fail(str(exc))
    organisation_return = questionnaire_is_return(questionnaire)
    if organisation_return:
        report = maturity_benchmark(questionnaire, year, peers=peers)
    else:
        report = benchmark_report(questionnaire, year, peers=peers)
    if report.year not in report.years:
        submitted = " with a submitted return" if organisation_return else ""
        fail(f"No organisation has results for questionnaire '{questionnaire}' in {report.label()}. "
             f"Only released campaigns{submitted} count (flask campaign release).")
    if report.empty and peers is not None and not report.others.empty:
        fail(f"No organisation in the peer group {peers.key} has results for questionnaire '{questionnaire}' "
             f"in {report.label()}.")
    if organisation_return:
        _return_benchmark(report, metrics, output, language)
        return
    # the response rate is a metric of every questionnaire, with a value or not (no one in
    # a participant list yet): asked for, it lists the organisations that have one
    known = set(report.organisations.get("metric", [])) | {RESPONSE_RATE}
    unknown = [m for m in metrics if m not in known]
    if unknown:
        fail(f"Unknown metric {', '.join(repr(m) for m in unknown)}: use one of {', '.join(sorted(known))}.")
    with force_locale(language):
        if output == "json":
            write_json({**benchmark_json(report, language), "peer_group": _peers_json(report)})
        elif output == "csv":
            rows = [{**r, "table": "benchmark"} for r in benchmark_rows(report, language)]
            rows += [{**r, "table": "organisation"} for r in organisation_rows(report, language)]
            rows = [{**r, "peer_group": report.peers.key if report.peers else "all"} for r in rows]
            write_csv(rows, ["table", "peer_group"] + list(dict.fromkeys(BENCHMARK_COLUMNS + ORGANISATION_COLUMNS)))
        else:
            lines = benchmark_text(report, language, list(metrics) or default_metrics(report)).split("\n")
            click.echo("\n".join([*lines[:2], _peers_line(report), *lines[2:]]))


def _return_benchmark(report, metrics: tuple[str, ...], output: str, language: str) -> None:
    """The benchmark of an organisation return's levels and commitment (the DMA)."""
    known = list(dict.fromkeys(report.organisations["metric"]))
    unknown = [m for m in metrics if m not in known]
    if unknown:
        fail(f"Unknown metric {', '.join(repr(m) for m in unknown)}: use one of {', '.join(known)}.")
    with force_locale(language):
        if output == "json":
            write_json({**maturity_output.benchmark_json(report, language), "peer_group": _peers_json(report)})
        elif output == "csv":
            rows = [{**r, "table": "benchmark"} for r in maturity_output.benchmark_rows(report, language)]
            rows += [{**r, "table": "organisation"} for r in maturity_output.organisation_rows(report, language)]
            rows = [{**r, "peer_group": report.peers.key if report.peers else "all"} for r in rows]
            write_csv(rows, ["table", "peer_group"] + list(dict.fromkeys(
                maturity_output.BENCHMARK_COLUMNS + maturity_output.ORGANISATION_COLUMNS)))
        else:
            chosen = list(metrics) or [m for m in maturity_output.DEFAULT_METRICS if m in known]
            lines = maturity_output.benchmark_text(report, language, chosen).split("\n")
            click.echo("\n".join([*lines[:2], _peers_line(report), *lines[2:]]))


def _too_small(report) -> bool:
    count = report.organisations["organisation_code"].nunique()
    return count < current_app.config["MIN_PEER_GROUP"]


def _peers_json(report) -> dict:
    return {"key": report.peers.key if report.peers else "all", "label": peer_group_label(report.peers),
            "organisations": int(report.organisations["organisation_code"].nunique()),
            "minimum": current_app.config["MIN_PEER_GROUP"], "too_small": _too_small(report)}


def _peers_line(report) -> str:
    line = _("Peer group: %(group)s.", group=peer_group_label(report.peers))
    if _too_small(report):
        line += " " + _("Fewer than %(num)s organisations: organisations are shown no median or quartiles "
                        "for this group.", num=current_app.config["MIN_PEER_GROUP"])
    return line
