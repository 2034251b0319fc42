"""The product before a change and after it, measured in the same run (issue 17: "within
10% of their figures before the change, measured in the same run against the commit
before it").

    python -m bench.before_after                 # against 7d66650 (make bench-compare), 10-14 minutes
    python -m bench.before_after --before REV --rounds 3
    python -m bench.before_after --quick         # tiny sizes, one round: checks that it runs

The commit before the change is checked out into a temporary git worktree (detached,
removed at the end) beside this checkout, with this checkout's virtualenv and node
modules, its stylesheet and catalogues built by its own Makefile. Each side is a process
of bench/compare_side.py running inside its own checkout: the product, and the benchmark
machinery that sets it up (its bench/dataset.py writes the data in its own schema), are
that commit's. Set-up is not measured. Then, round after round, alternating which side
goes first (old, new; new, old; ...), each side measures:

- the respondent journey (bench/journey.py's RespondentJourney) at 8 concurrent virtual
  respondents for a fixed time, each journey its own participant: journeys per second, and
  CPU time per journey of gunicorn's workers and of the PostgreSQL backends serving that
  database (steadier than journeys/s on a shared machine);
- one scheduler pass on a reminder day (`flask mail send-due`, bench/scale.py's set, on a
  fresh copy of the same database each time) sending to an SMTP server on loopback: time,
  CPU time of the pass and of its database's backends, and each reminder received once;
- `flask export --format csv` (long, wide, scores, benchmarks and dictionary) of released
  campaigns whose people all answered everything: across organisations, and of the
  largest organisation alone (`--org`).

Each figure is the median of the rounds; the table gives old, new, new/old and whether
new is within 10% (a rate at least 0.9 of the old one; a time or CPU time at most 1.1
times). Loopback only; every process started is stopped by pid, every database (bench_cmp_*)
dropped, the worktree removed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, Figures, table
from .product import drop_database

BEFORE = "7d66650"
#: figure -> (side's task, how to read it from an answer, unit, "rate" or "cost")
FIGURES = [
    ("journeys/s at 8 concurrent", "journey", lambda a: a["rate"], "journeys/s", "rate"),
    ("CPU per journey: gunicorn", "journey", lambda a: a["server_ms"], "ms", "cost"),
    ("CPU per journey: PostgreSQL", "journey", lambda a: a["database_ms"], "ms", "cost"),
    ("CPU per journey: gunicorn + PostgreSQL", "journey", lambda a: a["server_ms"] + a["database_ms"], "ms", "cost"),
    ("a journey's p50", "journey", lambda a: a["p50"], "ms", "cost"),
    ("scheduler pass: time", "scheduler", lambda a: a["seconds"], "s", "cost"),
    ("scheduler pass: CPU of the process", "scheduler", lambda a: a["cpu"], "s", "cost"),
    ("scheduler pass: CPU of its PostgreSQL backends", "scheduler", lambda a: a["database"], "s", "cost"),
    ("export across organisations: time", "export", lambda a: a["all"]["seconds"], "s", "cost"),
    ("export across organisations: CPU", "export", lambda a: a["all"]["cpu"] + a["all"]["database"], "s", "cost"),
    ("export of the largest organisation: time", "export", lambda a: a["org"]["seconds"], "s", "cost"),
    ("export of the largest organisation: CPU", "export", lambda a: a["org"]["cpu"] + a["org"]["database"], "s",
     "cost"),
]
FULL = {"rounds": 3, "journey_seconds": 20, "journey_links": 900, "scheduler_people": 100_000,
        "export_responses": 10_000, "export_organisations": 5}
QUICK = {"rounds": 1, "journey_seconds": 5, "journey_links": 150, "scheduler_people": 3_000,
         "export_responses": 500, "export_organisations": 5}


def run_quiet(args: list[str], cwd: Path, log) -> None:
    subprocess.run(args, cwd=cwd, check=True, stdout=log, stderr=subprocess.STDOUT, timeout=600)


def old_checkout(revision: str, folder: Path, log) -> Path:
    """A detached worktree of `revision` in `folder`, ready to run: this checkout's
    virtualenv and node modules, its own stylesheet, error pages and Welsh catalogue."""
    path = folder / "before"
    run_quiet(["git", "worktree", "add", "--detach", str(path), revision], ROOT, log)
    for name in (".venv", "node_modules"):
        (path / name).symlink_to((ROOT / name).resolve())
    # built by its own Makefile; the shared virtualenv and node modules are not reinstalled
    run_quiet(["make", "-s", "-o", ".venv/.installed", "-o", "node_modules/.installed", "assets",
               "locales/cy/LC_MESSAGES/messages.mo"], path, log)
    return path


def remove_checkout(path: Path, log) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, stdout=log,
                   stderr=subprocess.STDOUT)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


class SideProcess:
    """bench/compare_side.py in a checkout, spoken to one JSON line at a time."""

    def __init__(self, checkout: Path, name: str, log):
        self.name = name
        self.process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "compare_side.py"), str(checkout), name],
                                        cwd=checkout, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                        text=True, bufsize=1, start_new_session=True,
                                        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})

    def ask(self, do: str, **arguments) -> dict:
        self.process.stdin.write(json.dumps({"do": do, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.name} side ended (see its log)")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the {self.name} side failed at {do}:\n{answer['error']}")
        return answer["ok"]

    def stop(self) -> None:
        """Ask it to quit (it stops its server and drops its databases); SIGTERM, then
        SIGKILL to its process group, by pid, if it does not."""
        if self.process.poll() is None:
            try:
                self.process.stdin.write(json.dumps({"do": "quit"}) + "\n")
                self.process.stdin.close()
                self.process.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.killpg(self.process.pid, sig)
                        self.process.wait(timeout=30)
                        break
                    except (ProcessLookupError, subprocess.TimeoutExpired):
                        continue


def measure(sides: dict[str, SideProcess], rounds: int, echo) -> dict[str, dict[str, list[dict]]]:
    """task -> side -> its answers, round by round, alternating which side goes first."""
    found: dict[str, dict[str, list[dict]]] = {task: {name: [] for name in sides}
                                              for task in ("journey", "scheduler", "export")}
    names = list(sides)
    for r in range(rounds):
        order = names if r % 2 == 0 else names[::-1]
        for task in found:
            for name in order:
                started = time.perf_counter()
                answer = sides[name].ask(task)
                found[task][name].append(answer)
                echo(f"  round {r + 1}, {task}, {name}: {_brief(task, answer)} "
                     f"({time.perf_counter() - started:.0f} s)")
    return found


def _brief(task: str, a: dict) -> str:
    if task == "journey":
        return (f"{a['journeys']} journeys, {a['rate']:.1f}/s, gunicorn {a['server_ms']:.1f} + PostgreSQL "
                f"{a['database_ms']:.1f} ms CPU each, {a['errors']} errors, {a['wrong']} wrong in the database")
    if task == "scheduler":
        return (f"{a['seconds']:.2f} s, CPU {a['cpu']:.2f} + {a['database']:.2f} s, {a['received']} of {a['due']} "
                f"reminders, {a['wrong']} wrong")
    return (f"across {a['all']['seconds']:.2f} s ({a['all']['bytes']:,} bytes), largest organisation "
            f"{a['org']['seconds']:.2f} s")


def summarise(found: dict, figures: Figures) -> list[list[str]]:
    rows = [["figure", "before", "after", "after/before", "within 10%", "rounds (before | after)"]]
    for what, task, read, unit, kind in FIGURES:
        old = [read(a) for a in found[task]["before"]]
        new = [read(a) for a in found[task]["after"]]
        o, n = statistics.median(old), statistics.median(new)
        ratio = n / o if o else float("nan")
        within = ratio >= 0.9 if kind == "rate" else ratio <= 1.1
        shown = ", ".join(f"{v:.3g}" for v in old) + " | " + ", ".join(f"{v:.3g}" for v in new)
        rows.append([what, f"{o:.3g} {unit}", f"{n:.3g} {unit}", f"{ratio:.2f}", "yes" if within else "NO", shown])
        figures.add(what, round(ratio, 3), "after/before",
                    f"before {o:.3g} {unit}, after {n:.3g} {unit} (medians); rounds {shown}; "
                    f"{'within' if within else 'NOT within'} 10%")
    checks = {"journey errors": sum(a["errors"] for s in found["journey"].values() for a in s),
              "journeys wrong in the database": sum(a["wrong"] for s in found["journey"].values() for a in s),
              "reminders missing, extra or repeated": sum(a["wrong"] for s in found["scheduler"].values() for a in s)}
    for what, value in checks.items():
        figures.add(f"{what} (must be 0)", value, "", "both sides, every round")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help=f"the commit before the change (default {BEFORE})")
    parser.add_argument("--rounds", type=int, help="rounds of each measurement per side")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one round: checks that it runs")
    args = parser.parse_args(argv)
    plan = dict(QUICK if args.quick else FULL)
    if args.rounds:
        plan["rounds"] = args.rounds
    rounds = plan.pop("rounds")
    started = time.perf_counter()
    revision = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip())
    figures = Figures("before_after", settings={"before": revision, "after": head + (" (uncommitted changes)" if dirty
                                                                                  else ""), "rounds": rounds, **plan})

    def echo(text: str) -> None:
        print(text, flush=True)

    folder = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    log_path = folder / "run.log"
    sides: dict[str, SideProcess] = {}
    checkout = None
    found = None
    with open(log_path, "w") as log:
        try:
            echo(f"before: {revision}, checked out in a temporary worktree; after: {head}"
                 f"{' + uncommitted changes' if dirty else ''}")
            checkout = old_checkout(revision, folder, log)
            # the older side first: its databases are set up while the machine is as quiet
            sides = {"before": SideProcess(checkout, "before", log), "after": SideProcess(ROOT, "after", log)}
            for name, side in sides.items():
                echo(f"set-up ({name}): {side.ask('setup', journey_rounds=rounds, **plan)}")
            found = measure(sides, rounds, echo)
        except Exception as exc:  # say what failed; the log has the rest
            echo(f"FAILED: {exc}\n(log: {log_path})")
        finally:
            for side in sides.values():
                side.stop()
            for name in ("before", "after"):  # in case a side could not drop its own
                for what in ("journey", "mail", "export", *(f"mail_{r + 1}" for r in range(rounds))):
                    drop_database(f"bench_cmp_{name}_{what}")
            if checkout is not None:
                remove_checkout(checkout, log)
    if found is None:
        return 1
    rows = summarise(found, figures)
    figures.save()
    print("\n" + table(rows))
    for what, value, unit, note in figures.rows[len(FIGURES):]:
        print(f"{what}: {value}")
    print(f"\n{rounds} round(s) in {time.perf_counter() - started:.0f} s; figures in bench/results/before_after.json")
    shutil.rmtree(folder, ignore_errors=True)
    wrong = sum(value for _w, value, _u, _n in figures.rows[len(FIGURES):])
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
