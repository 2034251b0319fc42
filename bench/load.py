"""Run a Locust user class headless against a base URL and read back its figures."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import ROOT


def run_locust(user_class: str, host: str, users: int, seconds: int, env: dict | None = None,
               csv_dir: Path | None = None) -> dict[str, dict]:
    """Stats per request name: count, failures, rps, p50, p95, p99 (ms); and 'Aggregated'.

    Bounded in time (--run-time, then at most --stop-timeout for journeys under way) and,
    for the journeys, by the links given: a user stops when none is left, and the run ends
    when every link's journey has ended. Locust's CSV files are kept in `csv_dir` if given
    (`failures` reads them)."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(csv_dir or tmp) / "stats"
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


def failures(csv_dir: Path) -> list[tuple[str, str, int]]:
    """(request name, error message, occurrences) of a run whose CSV files were kept."""
    with open(csv_dir / "stats_failures.csv", newline="") as f:
        return [(row["Name"], row["Error"], int(row["Occurrences"])) for row in csv.DictReader(f)]


def _number(text: str) -> float:
    """A percentile from Locust's CSV ('N/A' when nothing was measured)."""
    try:
        return float(text)
    except ValueError:
        return 0.0
