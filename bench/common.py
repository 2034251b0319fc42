"""What every benchmark shares: a results record, timing, peak memory, PostgreSQL."""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@dataclass
class Figures:
    """One benchmark's figures: rows of (name, value, unit, note)."""

    name: str
    rows: list[tuple[str, float | int | str, str, str]] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def add(self, what: str, value, unit: str = "", note: str = "") -> None:
        self.rows.append((what, value, unit, note))
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
        print(f"  {what}: {shown} {unit} {note}".rstrip(), flush=True)

    def save(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        path.write_text(json.dumps({
            "name": self.name, "settings": self.settings, "machine": machine(),
            "rows": [{"what": w, "value": v, "unit": u, "note": n} for w, v, u, n in self.rows],
        }, indent=2))
        return path


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}


@contextmanager
def timed():
    """with timed() as t: ...; then t.seconds"""

    class T:
        seconds = 0.0

    t = T()
    start = time.perf_counter()
    try:
        yield t
    finally:
        t.seconds = time.perf_counter() - start


def run_measured(args: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB of the command, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(args, env={**os.environ, **(env or {})}, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far; a fresh process per job keeps it honest
    return seconds, max(peak, before) / 1024, done.stdout


#: the process's own high-water mark (VmHWM): ru_maxrss would also count the benchmark
#: process it was forked from, which Linux folds in at exec
PRINT_PEAK = ("print('PEAK_KB', next(int(line.split()[1]) for line in open('/proc/self/status') "
              "if line.startswith('VmHWM')), file=sys.stderr)")
PEAK_WRAPPER = ("import sys\ntry:\n    exec(compile(sys.argv[1], 'job', 'exec'), {'__name__': 'job'})\n"
                f"finally:\n    {PRINT_PEAK}")


def python_job(code: str, env: dict | None = None) -> tuple[float, float, str]:
    """Run Python code in a fresh interpreter; (seconds, its own peak RSS in MB, stdout)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, code], env={**os.environ, **(env or {})}, cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    if done.returncode != 0 or not peak:
        raise RuntimeError(f"job failed ({done.returncode}):\n{code}\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds, int(peak[-1].split()[1]) / 1024, done.stdout


def fresh_database(name: str) -> str:
    """Drop and create a PostgreSQL database for a benchmark; return its URL."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)
