"""How long does the PDF report take, and what does it cost on top of the figures in it?

A fresh PostgreSQL database is filled with COPY (bench/dataset.py: set-up, not measured):
50 organisations, every submitted response answering the whole User Satisfaction
questionnaire. Then, each in a fresh process, for the largest organisation:

- baseline: WeasyPrint writing a one-paragraph PDF (its import, Pango's start and the
  least layout any PDF costs);
- `flask scores --by device`: the same figures as text (loading, scoring, the benchmark);
- `flask report --pdf --by device` in English and in Welsh: the whole report, every
  chart and table, through the product's own command.

Nothing is asserted; the figures go into bench/RESULTS.md.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import dataset
from .common import Figures, python_job
from .product import product_database, product_env
from .scale import flask_timed

ORGANISATIONS = 50
BASELINE = ("from weasyprint import HTML\n"
            "print(len(HTML(string='<p>One paragraph.</p>').write_pdf()))")


def pages(path: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return "? pages (no pdfinfo)"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")) + " pages"


def cpu_timed(job):
    """(seconds, peak MB, stdout, CPU seconds of the child): the CPU time says what the work
    costs when the machine is shared, where the wall-clock time also counts the waiting."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, peak, out = job()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, peak, out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(quick: bool) -> Figures:
    participants = 2_000 if quick else 40_000
    figures = Figures("report_pdf", settings={"participants": participants, "organisations": ORGANISATIONS})
    with product_database("bench_report_pdf") as (app, url, instance), tempfile.TemporaryDirectory() as tmp:
        data = dataset.build(app, url, participants, ORGANISATIONS, submitted_share=0.5, partial_share=0.0,
                             withdrawn_share=0.0, answers="all", reminder_share=0.0)
        campaign = str(data.largest_campaign)
        env = {**os.environ, **product_env(url, instance)}
        responses = data.sizes[0] // 2
        seconds, peak, _, cpu = cpu_timed(lambda: python_job(BASELINE))
        figures.add("baseline: WeasyPrint, a one-paragraph PDF", round(seconds, 3), "s",
                    f"{cpu:.2f} s CPU; {peak:.0f} MB peak")
        seconds, peak, _, cpu = cpu_timed(lambda: flask_timed(["scores", campaign, "--by", "device"], env))
        figures.add(f"flask scores --by device (about {responses:,} responses)", round(seconds, 3), "s",
                    f"{cpu:.2f} s CPU; {peak:.0f} MB peak")
        for language in ("en", "cy"):
            out = Path(tmp) / f"report-{language}.pdf"
            args = ["report", campaign, "--pdf", str(out), "--language", language, "--by", "device"]
            seconds, peak, _, cpu = cpu_timed(lambda: flask_timed(args, env))  # noqa: B023 (called at once)
            figures.add(f"flask report --pdf --by device, {language}", round(seconds, 3), "s",
                        f"{cpu:.2f} s CPU; {peak:.0f} MB peak; {out.stat().st_size:,} bytes; {pages(out)}")
    return figures
