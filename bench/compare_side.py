"""One side of bench/before_after.py: the product of one checkout (the commit before a
change, or this one), measured on request. Run as a script by before_after.py:

    python bench/compare_side.py CHECKOUT NAME

It imports the product and the benchmark machinery of CHECKOUT (its bench/product.py,
dataset.py, journey.py, servers.py, load.py and cpu.py: what `make bench` runs there), so
each side is set up the way its own commit's benchmarks set it up. It reads one JSON
command a line on stdin and answers each with one JSON line on stdout (everything else it
or its children print goes to stderr):

    {"do": "setup", ...sizes}   fresh databases, the journey's server warmed up
    {"do": "journey"}           one run of the journey benchmark at the fixed concurrency
    {"do": "scheduler"}         one scheduler pass on a reminder day, on a fresh copy of its set
    {"do": "export"}            `flask export` across organisations, and of the largest one
    {"do": "quit"}              stop the server, drop the databases, exit

Every database it makes is named bench_cmp_NAME_*; every process it starts is stopped by
pid, also on SIGTERM.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import threading
import time
import traceback
from contextlib import ExitStack
from pathlib import Path

CHECKOUT = Path(sys.argv[1]).resolve()
NAME = sys.argv[2]
HERE = Path(__file__).resolve().parent
# the checkout's packages, never this file's folder or another checkout's
sys.path = [str(CHECKOUT)] + [p for p in sys.path if p and Path(p).resolve() != HERE]
os.chdir(CHECKOUT)

# the answers go to the real stdout; anything printed (alembic, a child process) to stderr
_answers = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

import sqlalchemy as sa  # noqa: E402

from bench import cpu, dataset  # noqa: E402
from bench.common import PG_ADMIN_URL  # noqa: E402
from bench.journey import check_database, read_done  # noqa: E402
from bench.load import run_locust  # noqa: E402
from bench.product import (import_people, open_campaign, product_database, product_env,  # noqa: E402
                           write_links)
from bench.scale import finish, start_flask  # noqa: E402
from bench.servers import gunicorn  # noqa: E402
from bench.smtp_sink import smtp_sink  # noqa: E402

USERS = 8
WARM_UP = 40


class DatabaseCpu:
    """CPU seconds of the PostgreSQL backends serving some databases, polled from /proc
    (a backend's process title names its database), so that nothing else the shared
    machine's PostgreSQL does is counted. A backend that ends loses at most one poll's
    CPU time (0.05 s)."""

    def __init__(self, databases: list[str]):
        self.names = [f" {d} ".encode() for d in databases]
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _poll(self, initial: bool = False) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
                if not title.startswith(b"postgres:") or not any(n in title + b" " for n in self.names):
                    continue
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            pid, seconds = int(entry.name), (int(fields[11]) + int(fields[12])) / cpu.TICKS
            self.first.setdefault(pid, seconds if initial else 0.0)
            self.last[pid] = seconds

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self._poll()

    def __enter__(self):
        self._poll(initial=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._poll()

    @property
    def seconds(self) -> float:
        return sum(self.last[pid] - self.first.get(pid, 0.0) for pid in self.last)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def create_from(template: str, name: str) -> str:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _dispose(app) -> None:
    from survey_app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Side:
    def __init__(self, stack: ExitStack, tmp: Path):
        self.stack, self.tmp = stack, tmp
        self.rounds = {"journey": 0, "scheduler": 0, "export": 0}

    def db(self, what: str) -> str:
        return f"bench_cmp_{NAME}_{what}"

    def setup(self, journey_links: int, journey_rounds: int, journey_seconds: int, scheduler_people: int,
              export_responses: int, export_organisations: int) -> dict:
        started = time.perf_counter()
        self.journey_seconds = journey_seconds
        # the journey: one campaign, a participant per journey, gunicorn as `make bench` runs it
        app, url, instance = self.stack.enter_context(product_database(self.db("journey")))
        self.journey_app = app
        campaign = open_campaign(app)
        people = import_people(app, campaign, [f"respondent{i}@bench.example"
                                               for i in range(WARM_UP + journey_links * journey_rounds)])
        warm, people = people[:WARM_UP], people[WARM_UP:]
        self.journey_links = [people[i * journey_links:(i + 1) * journey_links] for i in range(journey_rounds)]
        self.base = self.stack.enter_context(gunicorn("wsgi:app", product_env(url, instance)))
        run_locust("RespondentJourney", self.base, USERS, 5,
                   env={"BENCH_LINKS": str(write_links(self.tmp / "w", warm))})
        # the scheduler: a set on a reminder day (bench/scale.py's), copied fresh for each pass
        app, url, instance = self.stack.enter_context(product_database(self.db("mail")))
        data = dataset.build(app, url, scheduler_people, 300)
        _dispose(app)
        self.mail = (instance, data.now, data.reminder_due)
        # the exports: every participant submitted, answering everything, campaigns released
        app, url, instance = self.stack.enter_context(product_database(self.db("export")))
        data = dataset.build(app, url, export_responses, export_organisations, submitted_share=1.0,
                             partial_share=0.0, withdrawn_share=0.0, answers="all", reminder_share=0.0)
        dataset.release_all(url, data.now)
        from scoring.years import data_year, year_label
        from survey_app.extensions import db
        from survey_app.models import Campaign

        from datetime import timedelta
        year = data_year(data.now.date() - timedelta(days=3))
        with app.app_context():
            organisation = db.session.get(Campaign, data.largest_campaign).organisation
            code = organisation.code_for(year)
            db.session.remove()
        self.export = (url, instance, year_label(year), code, data.sizes[0])
        return {"seconds": round(time.perf_counter() - started, 1), "reminders_due": self.mail[2]}

    def journey(self) -> dict:
        links = self.journey_links[self.rounds["journey"]]
        self.rounds["journey"] += 1
        done_file = self.tmp / f"done{self.rounds['journey']}"
        with cpu.measured(self.base.pid) as used, DatabaseCpu([self.db("journey")]) as database:
            stats = run_locust("RespondentJourney", self.base, USERS, self.journey_seconds,
                               env={"BENCH_LINKS": str(write_links(self.tmp / f"j{self.rounds['journey']}", links)),
                                    "BENCH_DONE": str(done_file)})
        done, rate = read_done(done_file)
        found = check_database(self.journey_app, links, done)
        wrong = (found["submitted"] - found["of_journeys"]) + (len(done) - found["of_journeys"]) + (
            found["submitted"] - found["as_sent"]) + found.get("stored_twice", 0) + found.get("stored_unmarked", 0)
        n = max(1, len(done))
        # each journey's time from the load client's record (Locust's own leaves out those
        # that end while it stops)
        times = sorted(float(end) - float(start) for _pid, start, end in
                       (line.split() for line in done_file.read_text().splitlines())) if done else [0.0]
        return {"journeys": len(done), "rate": rate, "p50": 1000 * times[len(times) // 2],
                "p95": 1000 * times[int(len(times) * 0.95)],
                "errors": sum(s["failures"] for name, s in stats.items() if name != "Aggregated"),
                "wrong": wrong, "server_ms": 1000 * used["server"] / n, "database_ms": 1000 * database.seconds / n,
                "client_ms": 1000 * used["client"] / n}

    def scheduler(self) -> dict:
        self.rounds["scheduler"] += 1
        instance, now, due = self.mail
        name = f"{self.db('mail')}_{self.rounds['scheduler']}"
        url = create_from(self.db("mail"), name)
        try:
            with smtp_sink() as (port, sink):
                env = {**os.environ, **product_env(url, instance), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)}
                before = children_cpu()
                with DatabaseCpu([name]) as database:
                    started = time.perf_counter()
                    peak, _out = finish(start_flask(["mail", "send-due", "--now", now.isoformat()], env))
                    seconds = time.perf_counter() - started
                time.sleep(0.3)  # the server finishes with the last message
                received, repeated = sink.messages, sink.repeated
            return {"seconds": seconds, "cpu": children_cpu() - before, "database": database.seconds, "peak_mb": peak,
                    "received": received, "due": due, "wrong": abs(received - due) + repeated}
        finally:
            drop(name)

    def export_(self) -> dict:
        self.rounds["export"] += 1
        url, instance, year, code, largest = self.export
        env = {**os.environ, **product_env(url, instance)}
        out = {}
        for label, extra in (("all", []), ("org", ["--org", code])):
            folder = self.tmp / f"export-{label}-{self.rounds['export']}"
            before = children_cpu()
            with DatabaseCpu([self.db("export")]) as database:
                started = time.perf_counter()
                peak, _out = finish(start_flask(["export", "--questionnaire", "user-satisfaction", "--year", year,
                                                 "--format", "csv", "--out", str(folder), *extra], env))
                seconds = time.perf_counter() - started
            out[label] = {"seconds": seconds, "cpu": children_cpu() - before, "database": database.seconds,
                          "peak_mb": peak, "bytes": sum(f.stat().st_size for f in folder.iterdir())}
        out["largest"] = largest
        return out


def main() -> int:
    def stop(_signum, _frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, stop)
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix=f"bench-cmp-{NAME}-") as tmp:
        side = Side(stack, Path(tmp))
        for line in sys.stdin:
            command = json.loads(line)
            what = command.pop("do")
            if what == "quit":
                break
            try:
                answer = {"ok": getattr(side, {"export": "export_"}.get(what, what))(**command)}
            except Exception:
                answer = {"error": traceback.format_exc()}
            _answers.write(json.dumps(answer) + "\n")
            if "error" in answer and what == "setup":
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
