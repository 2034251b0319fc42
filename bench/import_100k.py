"""How long does importing a 100,000-row participant list take, and does its memory stay
flat as the file grows?

Each size is imported by `flask participants import` in a fresh process against a fresh
database; the figures are the wall time and the process's peak resident memory. The file
is never read whole: only each row's 32-byte email hash and line number are kept (to
report the same person twice in one file), so memory should grow far slower than the file.

    .venv/bin/python bench/import_100k.py [--rows 10000 100000] [--database sqlite postgresql]

Nothing here is asserted.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script too
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
LOCATIONS = ["Head office", "Depot", "At home", "Library", "Leisure centre"]
ROLES = ["Manager or team leader", "Administrative or support", "Front-line or customer-facing"]


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("email,language,location,role,working_mode,department\n")
        for i in range(rows):
            language = ("en", "cy", "")[i % 3]
            f.write(f"person{i}@example.org,{language},{LOCATIONS[i % 5]},{ROLES[i % 3]},hybrid,Department {i % 40}\n")
        # a few duplicates and bad rows, as a real list has
        f.write("person1@example.org,en,,,,\nnot-an-address,,,,,\n")


def _admin(*statements: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    admin.dispose()


def database_url(kind: str, folder: Path, rows: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}"
    name = f"bench_import_{rows}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def flask(args: list[str], env: dict) -> tuple[float, float, str]:
    """Run a flask command; (seconds, peak RSS in MB of this child, output)."""
    start = time.perf_counter()
    from bench.scale import PEAK  # the process's own peak (VmHWM), not its parent's

    done = subprocess.run([sys.executable, "-c", PEAK, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    if done.returncode not in (0, 2) or not peak:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, int(peak[-1].split()[1]) / 1024, done.stdout


def measure(kind: str, rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "SURVEY_INSTANCE_PATH": str(folder), "DATABASE_URL": database_url(kind, folder, rows)}
        for args in (["db", "upgrade"], ["org", "create", "--type", "E", "--id", "1", "--name", "Bench Council"],
                     ["campaign", "create", "--org", "E3001", "--questionnaire", "user-satisfaction",
                      "--opens", "2030-03-04"]):
            flask(args, env)
        csv = folder / "people.csv"
        write_csv(csv, rows)
        baseline_seconds, baseline_mb, _ = flask(["participants", "--help"], env)
        seconds, peak_mb, output = flask(["participants", "import", "1", str(csv)], env)
        if kind == "postgresql":
            _admin(f'DROP DATABASE IF EXISTS "bench_import_{rows}" WITH (FORCE)')
        return {"database": kind, "rows": rows, "file_mb": csv.stat().st_size / 2**20, "seconds": seconds,
                "rows_per_second": rows / seconds, "peak_mb": peak_mb, "baseline_mb": baseline_mb,
                "summary": " | ".join(line for line in output.splitlines()[1:4])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print("database    rows     file MB  seconds  rows/s   peak MB  (flask --help: MB)  report")
    for kind in args.database:
        for rows in args.rows:
            r = measure(kind, rows)
            print(f"{r['database']:<10}  {r['rows']:>7,}  {r['file_mb']:>7.1f}  {r['seconds']:>7.1f}  "
                  f"{r['rows_per_second']:>7,.0f}  {r['peak_mb']:>7.1f}  ({r['baseline_mb']:.1f})  {r['summary']}",
                  flush=True)


if __name__ == "__main__":
    main()
