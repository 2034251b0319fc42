"""The engine at 10,000, 100,000 and 1,000,000 participants across 300 organisations on
PostgreSQL, and how each cost grows.

At each size a fresh database is filled with COPY (bench/dataset.py: set-up, not
measured as the product), then, each in its own process or under gunicorn as in
production:

- the live response-rate page of the largest organisation (and its rate.json) and the
  Improve team's console, under Locust: p50/p95, requests/s, errors;
- `flask scores` of the largest organisation: time and peak memory;
- one scheduler pass on a reminder day, by two `flask mail send-due` processes at once,
  to an SMTP server on loopback that counts what it receives: each person due a reminder
  must get exactly one;
- `flask participants import` of a file of as many people as the set (into a new
  campaign of the same database): time and peak memory.

The growth table gives each cost's exponent from one size to the next (1.0 = linear);
anything above 1.1 is called out as worse than linear.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from . import dataset
from .common import PRINT_PEAK, ROOT, Figures
from .import_100k import write_csv
from .load import run_locust
from .product import IMPROVE_EMAIL, PASSWORD, create_user, product_database, product_env
from .servers import THREADS, WORKERS, gunicorn
from .smtp_sink import smtp_sink

ORGANISATIONS = 300
ADMIN_EMAIL = "admin@bench.example"
PEAK = ("import sys\nfrom flask.cli import main\nsys.argv = ['flask'] + sys.argv[1:]\n"
        f"try:\n    main()\nfinally:\n    {PRINT_PEAK}")


def start_flask(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PEAK, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, ok=(0,)) -> tuple[float, str]:
    """(peak RSS in MB, stdout) of a flask process started by start_flask."""
    out, err = process.communicate(timeout=1800)
    peak = [line for line in err.splitlines() if line.startswith("PEAK_KB")]
    if process.returncode not in ok or not peak:
        raise RuntimeError(f"{process.args[3:]} failed ({process.returncode}):\n{out}\n{err[-3000:]}")
    return int(peak[-1].split()[1]) / 1024, out


def flask_timed(args: list[str], env: dict, ok=(0,)) -> tuple[float, float, str]:
    started = time.perf_counter()
    peak, out = finish(start_flask(args, env), ok)
    return time.perf_counter() - started, peak, out


def measure(size: int, quick: bool) -> dict[str, tuple[float, str]]:
    """figure name -> (value, note) at one size."""
    found: dict[str, tuple[float, str]] = {}
    name = f"bench_scale_{size}"
    with product_database(name) as (app, url, instance), tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        data = dataset.build(app, url, size, ORGANISATIONS)
        found["set-up with COPY (not the product)"] = (time.perf_counter() - started, "s")
        largest = data.largest_campaign
        env = {**os.environ, **product_env(url, instance)}
        with app.app_context():
            from survey_app.models import Campaign
            from survey_app.extensions import db

            org_id = db.session.get(Campaign, largest).organisation_id
            db.session.remove()
        create_user(app, ADMIN_EMAIL, "org_admin", org_id)
        create_user(app, IMPROVE_EMAIL, "improve")
        seconds = 5 if quick else 15
        load_env = {"BENCH_ADMIN_EMAIL": ADMIN_EMAIL, "BENCH_IMPROVE_EMAIL": IMPROVE_EMAIL,
                    "BENCH_PASSWORD": PASSWORD, "BENCH_CAMPAIGN_ID": str(largest)}
        # every Locust user signs in from 127.0.0.1: the warm-ups and both pages at every size
        # are more than the 20 sign-ins in 5 minutes one address is allowed (README)
        with gunicorn("wsgi:app", product_env(url, instance, SIGN_IN_CLIENT_LIMIT=1000)) as base:
            for warm_up in ("LiveRatePage", "ConsolePage"):  # templates compiled, first chart drawn
                run_locust(warm_up, base, 4, 3, env=load_env)
            rate = run_locust("LiveRatePage", base, 8, seconds, env=load_env)
            console = run_locust("ConsolePage", base, 8, seconds, env=load_env)
        for label, stats, key in (("response-rate page", rate, "response-rate page"), ("rate.json", rate, "rate.json"),
                                  ("console", console, "console")):
            s = stats.get(key)
            if s is None:  # every user was still signing in when the time ran out (a busy machine)
                found[f"{label} p95 (8 concurrent)"] = (float("nan"), "ms; no request finished in the time given")
                continue
            found[f"{label} p95 (8 concurrent)"] = (s["p95"], f"ms; p50 {s['p50']:.0f}, {s['rps']:.0f} req/s, "
                                                                f"{s['failures']} errors")
        largest_size = data.sizes[0]
        seconds_taken, peak, _out = flask_timed(["scores", str(largest), "--format", "csv"], env)
        found["score the largest organisation"] = (seconds_taken, f"s; {peak:.0f} MB peak; {largest_size:,} people, "
                                                                  f"{data.submitted[largest]:,} responses")
        with smtp_sink() as (port, sink):
            mail_env = {**env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)}
            now = data.now.isoformat()
            started = time.perf_counter()
            both = [start_flask(["mail", "send-due", "--now", now], mail_env) for _ in range(2)]
            peaks = [finish(p)[0] for p in both]
            seconds_taken = time.perf_counter() - started
            wrong = abs(sink.messages - data.reminder_due) + sink.repeated
            found["scheduler pass, two at once"] = (
                seconds_taken, f"s; {sink.messages:,} reminders received for {data.reminder_due:,} due, "
                               f"{sink.repeated} people more than once; peak {max(peaks):.0f} MB")
            found["scheduler pass: reminders wrong (must be 0)"] = (wrong, "missing, extra or repeated")
        csv = Path(tmp) / "people.csv"
        write_csv(csv, size)
        with app.app_context():
            from survey_app.console.operations import create_campaign, create_organisation
            from survey_app.extensions import db

            org = create_organisation(name="Bench Import Council", type_letter="O", number=99)
            campaign = create_campaign(organisation=org, questionnaire_id="user-satisfaction",
                                       opens=data.now.date() + __import__("datetime").timedelta(days=30))
            db.session.commit()
            campaign_id = campaign.id
            db.session.remove()
        seconds_taken, peak, _out = flask_timed(["participants", "import", str(campaign_id), str(csv)], env, ok=(0, 2))
        found["import participants (flask participants import)"] = (seconds_taken, f"s; {peak:.0f} MB peak; "
                                                                    f"{size:,} rows into a {size:,}-row table")
    return found


def growth(sizes: list[int], values: list[float]) -> str:
    parts = []
    for (s1, v1), (s2, v2) in zip(zip(sizes, values), zip(sizes[1:], values[1:])):
        if v1 > 0 and v2 > 0:
            exponent = math.log(v2 / v1) / math.log(s2 / s1)
            parts.append(f"{s1:,}->{s2:,}: x{v2 / v1:.1f} (exponent {exponent:.2f}"
                         f"{', WORSE THAN LINEAR' if exponent > 1.1 else ''})")
    return "; ".join(parts)


def run(quick: bool) -> Figures:
    sizes = [3_000] if quick else [10_000, 100_000, 1_000_000]
    figures = Figures("scale", settings={"organisations": ORGANISATIONS, "sizes": sizes, "workers": WORKERS,
                                         "threads": THREADS, "load_users": 8})
    results = {size: measure(size, quick) for size in sizes}
    for size in sizes:
        for what, (value, note) in results[size].items():
            figures.add(f"{what} at {size:,}", round(value, 3) if isinstance(value, float) else value,
                        note.split(";")[0], note.split(";", 1)[1].strip() if ";" in note else "")
    if len(sizes) > 1:
        for what in results[sizes[0]]:
            values = [results[s][what][0] for s in sizes]
            figures.add(f"growth: {what}", " / ".join(f"{v:,.3g}" for v in values), "", growth(sizes, values))
    return figures
