"""The respondent journey under load, against the baselines in the same run.

Set-up as in production (README, Deployment): a fresh PostgreSQL database migrated by the
product, one organisation with an open User Satisfaction campaign, its participants
imported with the product's import (one per virtual respondent, so no two journeys share
a response), and gunicorn serving `wsgi:app` on loopback. At each concurrency (1, 8, 32):

1. Locust runs complete journeys (RespondentJourney): the link, every page with valid
   answers, check answers, submit, confirmation; journeys/s, p50/p95/p99 per kind of
   page, errors;
2. a respondent page GET again and again, and an answer POST again and again
   (RespondentGet, RespondentPost);
3. the baselines (bare Flask GET, bare Flask insert into the same PostgreSQL) with the same
   Locust client and gunicorn settings; the ratios.

Afterwards the database is checked: exactly one submission per completed journey (the
participant marked submitted, the answers once in the sealed queue or the store), and every
answer as the client sent it (bench/answers.py works them out again).
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import sqlalchemy as sa

from . import baselines, cpu
from .answers import stored_answers
from .common import Figures
from .load import run_locust
from .product import import_people, open_campaign, product_database, product_env, write_links
from .servers import THREADS, WORKER_CLASS, WORKERS, gunicorn

PAGE_KINDS = ["start GET", "page GET", "answer POST", "check GET", "submit POST", "confirmation GET"]
#: concurrency -> (journey seconds, loop seconds, links for the journeys)
FULL = {1: (20, 10, 600), 8: (30, 10, 2500), 32: (30, 10, 3500)}
QUICK = {8: (5, 3, 300)}
WARM_UP = 40


def read_done(path: Path) -> tuple[set[int], float]:
    """(participants whose journey completed, journeys per second from the first start
    to the last end) from the load client's record."""
    rows = [line.split() for line in path.read_text().splitlines()] if path.exists() else []
    if not rows:
        return set(), 0.0
    span = max(float(r[2]) for r in rows) - min(float(r[1]) for r in rows)
    return {int(r[0]) for r in rows}, len(rows) / span if span > 0 else 0.0


#: the kinds of page as Locust names them, from the server's access log lines
_PAGE = re.compile(r"/s/[^/]+/p/[^/?]+(\?.*)?")
_KINDS = [("GET", re.compile(r"/s/[^/]+"), "start GET"), ("GET", _PAGE, "page GET"), ("POST", _PAGE, "answer POST"),
          ("GET", re.compile(r"/s/[^/]+/check"), "check GET"), ("POST", re.compile(r"/s/[^/]+/check"), "submit POST"),
          ("GET", re.compile(r"/s/[^/]+/done"), "confirmation GET")]


def server_times(log: Path, start: int, end: int) -> dict[str, tuple[int, int]]:
    """(p50, p95) in ms of the time gunicorn's workers spent on each kind of page, from
    the access log lines between two offsets: the rest of what the client measures is
    waiting (in the load client, the network or a worker's queue)."""
    found: dict[str, list[int]] = {}
    with open(log, "rb") as f:
        f.seek(start)
        lines = f.read(end - start).decode().splitlines()
    for line in lines:
        parts = line.split()
        if len(parts) < 5:
            continue
        method, path, took = parts[0], parts[1], parts[-1]
        kind = next((name for m, pattern, name in _KINDS if m == method and pattern.fullmatch(path)), None)
        if kind and took.isdigit():
            found.setdefault(kind, []).append(int(took))
    out = {}
    for kind, times in found.items():
        times.sort()
        out[kind] = (times[len(times) // 2], times[int(len(times) * 0.95)])
    return out


def _fingerprint(answers: dict[str, str]) -> tuple:
    return tuple(sorted(answers.items()))


def check_database(app, links: list[tuple[int, str]], done: set[int]) -> dict[str, int]:
    """Among these participants: those marked submitted, those of completed journeys, those
    whose answers are stored exactly as sent, answers stored more than once, and partial
    responses (journeys cut off when the run stopped).

    Nothing in the database says whose a submission is (docs/confidentiality.md), so it is
    read the way the application could: every submission of the participants' campaigns,
    in the sealed queue (opened with the app's secret) or in the submitted store, is matched
    by its answers to what each participant's client sent (bench/answers.py works those out
    again from the participant id: no two participants send the same). A partial response
    is found by its locator, as the respondent's pages find it."""
    from collections import Counter

    from questionnaires import available
    from survey_app.extensions import db
    from survey_app.links import response_locator
    from survey_app.models import Participant, QueuedSubmission, Response, SubmittedAnswer, SubmittedResponse
    from survey_app.submissions import unseal

    q = available()["user-satisfaction"]
    ids = [pid for pid, _token in links]
    stored: Counter = Counter()  # fingerprint of a submission's answers -> times stored
    with app.app_context():
        secret = app.config["SECRET_KEY"]
        rows = db.session.execute(sa.select(Participant.id, Participant.campaign_id, Participant.submitted)
                                  .where(Participant.id.in_(ids))).all()
        submitted = {pid for pid, _campaign, flag in rows if flag}
        campaigns = sorted({campaign for _pid, campaign, _flag in rows})
        locators = [response_locator(pid, secret, token) for pid, token in links]
        partial = db.session.execute(sa.select(sa.func.count()).select_from(Response)
                                     .where(Response.locator.in_(locators))).scalar()
        for campaign_id, sealed in db.session.execute(
                sa.select(QueuedSubmission.campaign_id, QueuedSubmission.sealed)
                .where(QueuedSubmission.campaign_id.in_(campaigns))):
            stored[_fingerprint(unseal(sealed, campaign_id, secret)["answers"])] += 1
        released: dict[int, dict[str, str]] = {}
        for rid, item_id, value in db.session.execute(
                sa.select(SubmittedAnswer.response_id, SubmittedAnswer.item_id, SubmittedAnswer.value)
                .join(SubmittedResponse, SubmittedResponse.id == SubmittedAnswer.response_id)
                .where(SubmittedResponse.campaign_id.in_(campaigns))):
            released.setdefault(rid, {})[item_id] = value
        stored.update(_fingerprint(answers) for answers in released.values())
        db.session.remove()
    sent = {pid: _fingerprint(stored_answers(pid, q.pages)) for pid in ids}
    return {"submitted": len(submitted), "of_journeys": len(submitted & done),
            "as_sent": sum(1 for pid in submitted if stored[sent[pid]] >= 1),
            "stored_twice": sum(max(0, stored[sent[pid]] - 1) for pid in ids),
            "stored_unmarked": sum(1 for pid in ids if pid not in submitted and stored[sent[pid]]),
            "partial": partial}


def run(quick: bool) -> Figures:
    plan = QUICK if quick else FULL
    figures = Figures("journey", settings={"workers": WORKERS, "threads": THREADS, "worker class": WORKER_CLASS,
                                           "questionnaire": "user-satisfaction",
                                           "levels": {u: {"journey_s": j, "loop_s": s, "links": n}
                                                      for u, (j, s, n) in plan.items()}})
    with product_database("bench_journey") as (app, url, instance), tempfile.TemporaryDirectory() as tmp:
        campaign_id = open_campaign(app)
        wanted = WARM_UP + sum(n + 2 * users for users, (_j, _s, n) in plan.items())
        people = import_people(app, campaign_id, [f"respondent{i}@bench.example" for i in range(wanted)])
        env = product_env(url, instance)
        found = {}
        log = Path(tmp) / "access.log"
        log.touch()
        # gunicorn logs each request's time in the worker
        with gunicorn("wsgi:app", env, access_log=str(log)) as base:
            # every worker loads its templates and catalogues before anything is measured
            warm, people = people[:WARM_UP], people[WARM_UP:]
            run_locust("RespondentJourney", base, 8, 5, env={"BENCH_LINKS": str(write_links(Path(tmp) / "w", warm))})
            for users, (journey_s, loop_s, n) in plan.items():
                journeys, people = people[:n], people[n:]
                loops, people = people[:2 * users], people[2 * users:]
                done_file = Path(tmp) / f"done{users}"
                before = log.stat().st_size
                with cpu.measured(base.pid) as cpu_used:
                    stats = run_locust("RespondentJourney", base, users, journey_s,
                                       env={"BENCH_LINKS": str(write_links(Path(tmp) / f"j{users}", journeys)),
                                            "BENCH_DONE": str(done_file)})
                handled = server_times(log, before, log.stat().st_size)
                get = run_locust("RespondentGet", base, users, loop_s,
                                 env={"BENCH_LINKS": str(write_links(Path(tmp) / f"g{users}", loops[:users]))})
                post = run_locust("RespondentPost", base, users, loop_s,
                                  env={"BENCH_LINKS": str(write_links(Path(tmp) / f"p{users}", loops[users:]))})
                done, rate = read_done(done_file)
                found[users] = (stats, get, post, done, rate, check_database(app, journeys, done), handled,
                                cpu_used)
        for users, (journey_s, loop_s, _n) in plan.items():
            stats, get, post, done, rate, db_check, handled, cpu_used = found[users]
            bare = baselines.measure_at(users, loop_s)
            whole = stats.get("journey", {"p50": 0, "p95": 0})
            errors = sum(s["failures"] for name, s in stats.items() if name != "Aggregated")
            figures.add(f"journeys/s at {users} concurrent", round(rate, 1), "journeys/s",
                        f"{len(done)} journeys in a {journey_s} s run; a journey's p50 {whole['p50']:.0f} ms, "
                        f"p95 {whole['p95']:.0f} ms")
            figures.add(f"errors at {users} concurrent", errors, "requests", "must be 0")
            if done:
                per = {party: 1000 * seconds / len(done) for party, seconds in cpu_used.items()}
                figures.add(f"CPU per journey at {users} concurrent", round(sum(per.values()), 1), "ms",
                            f"gunicorn {per['server']:.1f}, PostgreSQL {per['postgres']:.1f}, load client "
                            f"{per['client']:.1f} ms (CPU time: steadier than journeys/s on a shared machine)")
            for kind in PAGE_KINDS:
                s = stats.get(kind)
                if s:
                    inside = handled.get(kind, (0, 0))
                    figures.add(f"{kind} p95 at {users} concurrent", s["p95"], "ms",
                                f"p50 {s['p50']:.0f}, p99 {s['p99']:.0f}; {s['count']} requests; in the worker "
                                f"p50 {inside[0]}, p95 {inside[1]}")
            wrong = (db_check["submitted"] - db_check["of_journeys"]) + (len(done) - db_check["of_journeys"]) + (
                db_check["submitted"] - db_check["as_sent"]) + db_check["stored_twice"] + db_check["stored_unmarked"]
            figures.add(f"database check at {users} concurrent", wrong, "wrong", "must be 0: "
                        f"{db_check['submitted']} participants submitted for {len(done)} journeys, "
                        f"{db_check['as_sent']} with every answer as sent, {db_check['stored_twice']} stored twice, "
                        f"{db_check['stored_unmarked']} stored for someone not marked submitted; "
                        f"{db_check['partial']} partial (journeys under way when the run stopped)")
            for label, mine, base, key in (("respondent page GET / bare GET", get.get("respondent GET"), bare["get"],
                                            "respondent GET"),
                                           ("answer POST / bare insert", post.get("answer POST"), bare["insert"],
                                            "answer POST")):
                if mine is None or not base["rps"]:  # nothing finished in the time given (a busy machine)
                    figures.add(f"{label} at {users} concurrent", float("nan"), "%",
                                f"no {key if mine is None else 'baseline'} request finished in the {loop_s} s given")
                    continue
                figures.add(f"{label} at {users} concurrent", round(100 * mine["rps"] / base["rps"], 1), "%",
                            f"{mine['rps']:.0f} vs {base['rps']:.0f} req/s; p95 {mine['p95']:.0f} vs "
                            f"{base['p95']:.0f} ms; {mine['failures'] + base['failures']} errors")
    return figures
