"""The data jobs at 100,000, each in a fresh process (time and peak RSS), with baselines
measured in the same run on the same data:

- import 100,000 participants from CSV (`flask participants import`), against pandas
  reading the same CSV and PostgreSQL COPY of the same rows into a bare table;
- plan their invitations (the scheduler's planner, one pass);
- export 100,000 complete User Satisfaction responses (`flask export`, CSV, XLSX and
  Parquet), against PostgreSQL COPY of the same answers to CSV.

Scoring 100,000 responses is bench/score_100k.py; 10,000 emails bench/mail_10k.py.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from scoring.years import data_year, year_label

from . import dataset
from .common import Figures, python_job
from .import_100k import write_csv
from .product import make_app, open_campaign, product_database, product_env
from .scale import flask_timed

IMPORT_BASELINE_PANDAS = "import pandas, sys; frame = pandas.read_csv(sys.argv[2]); print(len(frame))"
IMPORT_BASELINE_COPY = """
import os, sys, psycopg
with psycopg.connect(os.environ['BENCH_PG']) as conn:
    conn.execute('CREATE TABLE bench_people (email text, language text, location text, role text, '
                 'working_mode text, department text)')
    with conn.cursor().copy("COPY bench_people FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \\
            open(sys.argv[2], 'rb') as f:
        while block := f.read(1 << 20):
            copy.write(block)
    print(conn.execute('SELECT count(*) FROM bench_people').fetchone()[0])
    conn.execute('DROP TABLE bench_people')
"""
PLAN = """
import os
from datetime import datetime
from bench.product import make_app
from mailer.context import fixed_clock
from mailer.jobs import open_campaigns, plan_messages
from survey_app.mailing import mailer_context
app = make_app(os.environ['DATABASE_URL'], os.environ['SURVEY_INSTANCE_PATH'])
now = datetime.fromisoformat(os.environ['BENCH_NOW'])
ctx = mailer_context(app, clock=fixed_clock(now))
open_campaigns(ctx, now)
print(plan_messages(ctx, now).invitations)
"""
EXPORT_BASELINE_COPY = """
import os, psycopg
query = ('SELECT r.public_id, a.item_id, a.value FROM submitted_answer a '
         'JOIN submitted_response r ON r.id = a.response_id')
with psycopg.connect(os.environ['BENCH_PG']) as conn, open(os.environ['BENCH_OUT'], 'wb') as f:
    with conn.cursor().copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
        for block in copy:
            f.write(block)
print(os.path.getsize(os.environ['BENCH_OUT']))
"""


def _pg(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def imports(figures: Figures, rows: int) -> None:
    """Import and plan invitations, with the baselines."""
    with product_database("bench_data_import") as (app, url, instance), tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "people.csv"
        write_csv(csv, rows)
        campaign_id = open_campaign(app)
        env = product_env(url, instance)
        seconds, peak, _ = python_job(IMPORT_BASELINE_PANDAS.replace("sys.argv[2]", repr(str(csv))))
        figures.add(f"baseline: pandas.read_csv of the {rows:,}-row CSV", round(seconds, 3), "s", f"{peak:.0f} MB peak")
        seconds, peak, out = python_job(IMPORT_BASELINE_COPY.replace("sys.argv[2]", repr(str(csv))),
                                        {"BENCH_PG": _pg(url)})
        figures.add(f"baseline: PostgreSQL COPY of the same {int(out):,} rows", round(seconds, 3), "s",
                    f"{peak:.0f} MB peak")
        _, baseline_mb, _ = python_job("import survey_app, wsgi")
        seconds, peak, out = flask_timed(["participants", "import", str(campaign_id), str(csv)],
                                         {**_os_env(), **env}, ok=(0, 2))
        added = [line for line in out.splitlines() if line.startswith("Added")]
        figures.add(f"import {rows:,} participants (flask participants import)", round(seconds, 3), "s",
                    f"{peak:.0f} MB peak ({baseline_mb:.0f} MB for the app alone); {added[0] if added else out}")
        seconds, peak, out = python_job(PLAN, {**env, "BENCH_NOW": dataset.bench_now().isoformat()})
        figures.add(f"plan their invitations (one planner pass)", round(seconds, 3), "s",
                    f"{peak:.0f} MB peak; {int(out):,} invitations planned")


def exports(figures: Figures, responses: int) -> None:
    with product_database("bench_data_export") as (app, url, instance), tempfile.TemporaryDirectory() as tmp:
        data = dataset.build(app, url, responses, 50, submitted_share=1.0, partial_share=0.0, withdrawn_share=0.0,
                             answers="all", reminder_share=0.0)
        dataset.release_all(url, data.now)  # only released campaigns are exported across organisations
        # the data year of the campaigns (they open three days before now): 2026/27 from April
        year = year_label(data_year(data.now.date() - __import__("datetime").timedelta(days=3)))
        env = {**_os_env(), **product_env(url, instance)}
        seconds, peak, out = python_job(EXPORT_BASELINE_COPY, {"BENCH_PG": _pg(url), "BENCH_OUT": f"{tmp}/copy.csv"})
        figures.add(f"baseline: PostgreSQL COPY of the {responses:,} responses' answers to CSV", round(seconds, 3),
                    "s", f"{peak:.0f} MB peak; {int(out):,} bytes")
        # every format from one load, as the Improve team would run it
        _export(figures, env, year, ("all",), f"{tmp}/all", responses, "target: 30 s")
    # each format alone, on a fiftieth of the responses (about one large council's)
    smaller = max(responses // 50, 100)
    with product_database("bench_data_export") as (app, url, instance), tempfile.TemporaryDirectory() as tmp:
        data = dataset.build(app, url, smaller, 50, submitted_share=1.0, partial_share=0.0, withdrawn_share=0.0,
                             answers="all", reminder_share=0.0)
        dataset.release_all(url, data.now)
        env = {**_os_env(), **product_env(url, instance)}
        for file_format in ("csv", "xlsx", "parquet"):
            _export(figures, env, year, (file_format,), f"{tmp}/{file_format}", smaller)


FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "parquet": "Parquet", "all": "CSV, XLSX and Parquet"}


def _export(figures: Figures, env: dict, year: str, formats: tuple[str, ...], out: str, responses: int,
            note: str = "") -> float:
    options = [part for f in formats for part in ("--format", f)]
    seconds, peak, _ = flask_timed(["export", "--questionnaire", "user-satisfaction", "--year", year,
                                    *options, "--out", out], env)
    files = list(Path(out).iterdir())
    names = " and ".join(FORMAT_NAMES[f] for f in formats)
    figures.add(f"export {responses:,} responses as {names} (one flask export)", round(seconds, 3), "s",
                f"{peak:.0f} MB peak; {sum(f.stat().st_size for f in files):,} bytes in {len(files)} files"
                + (f"; {note}" if note else ""))
    return seconds


def _os_env() -> dict:
    import os

    return dict(os.environ)


def run(quick: bool) -> Figures:
    rows, responses = (2_000, 500) if quick else (100_000, 100_000)
    figures = Figures("data_100k", settings={"participants": rows, "responses": responses})
    imports(figures, rows)
    exports(figures, responses)
    return figures


__all__ = ["run", "make_app"]
