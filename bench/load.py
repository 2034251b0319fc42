"""Run a Locust user class headless against a base URL and read back its figures."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import ROOT


def run_locust(user_class: str, host: str, users: int, seconds: int, env: dict | None = None) -> dict[str, dict]:
    """Stats per request name: count, failures, rps, p50, p95, p99 (ms); and 'Aggregated'.

    Bounded in time (--run-time, then at most --stop-timeout for journeys under way) and,
    for the journeys, by the links given: a user stops when none is left."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "stats"
        args = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), user_class,
                "--headless", "--host", host, "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s",
                "--stop-timeout", "10", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                "--exit-code-on-error", "0"]
        subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})}, check=True, capture_output=True,
                       text=True, timeout=seconds + 120)
        out = {}
        with open(f"{prefix}_stats.csv", newline="") as f:
            for row in csv.DictReader(f):
                name = row["Name"]
                out[name] = {
                    "count": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": _number(row["50%"]),
                    "p95": _number(row["95%"]),
                    "p99": _number(row["99%"]),
                }
        return out


def _number(text: str) -> float:
    """A percentile from Locust's CSV ('N/A' when nothing was measured)."""
    try:
        return float(text)
    except ValueError:
        return 0.0
