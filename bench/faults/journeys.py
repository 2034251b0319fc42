"""Respondents' journeys under a fault: Locust's RespondentJourney (bench/locustfile.py)
through nginx, one journey per personal link, 8 at a time, while a fault strikes every few
seconds; then the database is checked against what each client was told.

- row 9: every 1.5 s, pg_terminate_backend on every PostgreSQL connection of gunicorn's;
- a worker killed: kill -9 of one gunicorn worker (the oldest), which the gunicorn master
  replaces; the next once the site has answered another 100 requests.
"""
from __future__ import annotations

import os
import re
import signal
import threading
import time
from contextlib import contextmanager

import psutil
import sqlalchemy as sa

from ..common import PG_ADMIN_URL
from ..journey import check_database, read_done
from ..load import failures, run_locust
from ..product import write_links
from .client import Browser
from .report import Tally
from .stack import DATABASE, WEB_CONNECTIONS, WORKERS, Stack

USERS = 8
#: a bound on a journeys run; it ends sooner, when every link's journey has
MAX_SECONDS = 300
#: requests the site answers between one worker killed and the next
BETWEEN_KILLS = 100
#: Locust's failure message: "<kind of page>: <status>, expected <status>[ (answers saved)]"
FAILURE = re.compile(r": (\d+), expected \d+( \(answers saved\))?")


@contextmanager
def every(seconds: float, action, first: float | None = None):
    """Run `action()` every `seconds` in a thread while the block runs; yields the list of
    what it returned."""
    results: list = []
    stop = threading.Event()

    def loop():
        wait = seconds if first is None else first
        while not stop.wait(wait):
            results.append(action())
            wait = seconds

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield results
    finally:
        stop.set()
        thread.join()


def run_journeys(stack: Stack, links: list[tuple[int, str]], tally: Tally, name: str) -> set[int]:
    """The journeys of these links through nginx; counts requests and errors into `tally`;
    returns the participants whose journey reached the confirmation page."""
    folder = stack.tmp / name
    folder.mkdir()
    done_file = folder / "done"
    stats = run_locust("RespondentJourney", stack.proxy.base, USERS, MAX_SECONDS, csv_dir=folder,
                       env={"BENCH_LINKS": str(write_links(folder / "links", links)), "BENCH_DONE": str(done_file)})
    tally.requests += sum(s["count"] for kind, s in stats.items() if kind not in ("Aggregated", "journey"))
    for _kind, error, times in failures(folder):
        found = FAILURE.search(error)
        status = found.group(1) if found else "other"
        tally.errors["no answer" if status == "0" else status] += times
        if status == "500" and not found.group(2):
            tally.bare_500 += times
    return read_done(done_file)[0]


def check_answers(stack: Stack, links: list[tuple[int, str]], done: set[int], tally: Tally) -> None:
    """Submitted, doubled and lost responses of these links in the database, against what
    the clients were told (the confirmation page, or an error). A submission is matched to
    its participant by its answers (journey.check_database): the store says nothing else."""
    found = check_database(stack.app, links, done)
    tally.submitted = found["submitted"]
    tally.lost = (len(done) - found["of_journeys"]) + (found["submitted"] - found["as_sent"])
    tally.saved_not_told = found["submitted"] - found["of_journeys"]
    tally.doubled = found["stored_twice"] + found["stored_unmarked"] + doubled_partials(stack, links)


def doubled_partials(stack: Stack, links: list[tuple[int, str]]) -> int:
    """Partial responses of these participants with more than one row, and answers stored
    twice for one item of a partial response (the schema forbids both: this checks it held)."""
    from survey_app.links import response_locator

    secret = stack.app.config["SECRET_KEY"]
    locators = [response_locator(pid, secret, token) for pid, token in links]
    engine = sa.create_engine(stack.database_url)
    with engine.connect() as conn:
        responses = conn.execute(sa.text(
            "SELECT count(*) FROM (SELECT locator FROM response WHERE locator = ANY(:locators) "
            "GROUP BY locator HAVING count(*) > 1) d"), {"locators": locators}).scalar()
        answers = conn.execute(sa.text(
            "SELECT count(*) FROM (SELECT a.response_id FROM answer a JOIN response r ON r.id = a.response_id "
            "WHERE r.locator = ANY(:locators) GROUP BY a.response_id, a.item_id HAVING count(*) > 1) d"),
            {"locators": locators}).scalar()
    engine.dispose()
    return responses + answers


def killed_connections(quick: bool, stack: Stack) -> Tally:
    """Row 9: the app's database connections terminated every 1.5 s during the journeys."""
    count = 40 if quick else 160
    tally = Tally("row 9: DB connections killed")
    links = stack.campaign([f"row9-{i}@faults.example" for i in range(count)])[1]
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def terminate() -> int:
        with admin.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND application_name = :name"), {"db": DATABASE, "name": WEB_CONNECTIONS}).scalar()

    with every(1.5, terminate) as terminated:
        done = run_journeys(stack, links, tally, "row9")
    admin.dispose()
    check_answers(stack, links, done, tally)
    tally.finding = (f"{sum(terminated)} connections terminated in {len(terminated)} rounds; {len(done)} of {count} "
                     "journeys reached the confirmation page")
    return tally


def killed_workers(quick: bool, stack: Stack) -> Tally:
    """A gunicorn worker killed with kill -9 during the journeys, again each time the site
    has since answered another 100 requests."""
    count = 60 if quick else 200
    tally = Tally("worker killed (kill -9)")
    links = stack.campaign([f"kill-{i}@faults.example" for i in range(count)])[1]
    last = {"served": stack.proxy.served()}

    def kill_oldest() -> int:
        # the next kill waits for the site to have served again: killing workers as fast as
        # they start (loading the app takes seconds on a busy machine) shows only that
        served = stack.proxy.served()
        workers = sorted(psutil.Process(stack.web.pid).children(), key=lambda p: p.create_time())
        if served - last["served"] < BETWEEN_KILLS or len(workers) < WORKERS:
            return 0
        os.kill(workers[0].pid, signal.SIGKILL)
        last["served"] = served
        return 1

    last["served"] -= BETWEEN_KILLS  # the first as soon as the journeys are under way
    with every(1.0, kill_oldest, first=1.0) as kills:
        done = run_journeys(stack, links, tally, "kill")
    wait_for_workers(stack)
    check_answers(stack, links, done, tally)
    tally.finding = (f"{sum(kills)} workers killed; {len(done)} of {count} journeys reached the confirmation page")
    return tally


def wait_for_workers(stack: Stack, seconds: float = 60) -> None:
    """Until gunicorn has all its workers again and answers through nginx."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(psutil.Process(stack.web.pid).children()) >= WORKERS and \
                Browser(stack.proxy.base, timeout=5).get("/healthz").status == 200:
            return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not get its workers back within a minute")

