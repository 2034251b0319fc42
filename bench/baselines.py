"""The baselines alone: a bare Flask GET and a bare Flask insert into PostgreSQL, under
the same gunicorn settings and the same Locust client as the respondent journey
(bench/journey.py measures them in its own run, beside the product, for the ratios)."""
from __future__ import annotations

import sqlalchemy as sa

from . import baseline_app
from .common import Figures, fresh_database
from .load import run_locust
from .product import drop_database
from .servers import THREADS, WORKERS, gunicorn

DATABASE = "bench_baseline"
#: the stats of a request none of which finished in the time given (a busy machine)
NONE_FINISHED = {"count": 0, "failures": 0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0}


def measure_at(users: int, seconds: int) -> dict[str, dict]:
    """Locust stats of the bare GET and the bare insert at `users` concurrent users."""
    url = fresh_database(DATABASE)
    engine = sa.create_engine(url)
    baseline_app.rows.metadata.create_all(engine)
    engine.dispose()
    try:
        with gunicorn("bench.baseline_app:app", {"BENCH_DATABASE_URL": url}) as base:
            get = run_locust("BareGet", base, users, seconds).get("bare GET", NONE_FINISHED)
            insert = run_locust("BareInsert", base, users, seconds).get("bare insert POST", NONE_FINISHED)
    finally:
        drop_database(DATABASE)
    return {"get": get, "insert": insert}


def run(quick: bool) -> Figures:
    figures = Figures("baselines", settings={"workers": WORKERS, "threads": THREADS})
    for users in ([8] if quick else [1, 8, 32]):
        found = measure_at(users, 3 if quick else 15)
        for kind, stats in found.items():
            figures.add(f"bare {kind} at {users} concurrent", round(stats["rps"], 1), "req/s",
                        f"p95 {stats['p95']:.0f} ms, {stats['failures']} errors")
    return figures
