"""The cluster run, inside the client host's namespace (bench/cluster/__main__.py made the
network and starts this there).

1. **One PostgreSQL** of the harness's own (initdb in a temporary folder, on the db host),
   migrated by the product; a campaign open since yesterday with its people imported.
2. **Web hosts** (two or three), each gunicorn with deploy/gunicorn.conf.py and the
   production configuration (2 workers x 2 threads, PROXY_COUNT=1), and **nginx** with
   deploy/nginx.conf on the proxy host load-balancing across them.
3. **Two schedulers** (`flask scheduler`) on their own hosts, sending the campaign's
   invitations to aiosmtpd on the mail host (which records every recipient).
4. **Respondents' journeys** (Locust's RespondentJourney, bench/locustfile.py) through the
   proxy, one per personal link; meanwhile web2 is stopped (SIGTERM, as a deploy or a
   reboot does) and started again once a quarter of the journeys have ended, and sched1 is
   killed (kill -9) once a third of the invitations have arrived.
5. **The count**: journeys completed; client errors by status; responses doubled or lost
   against what each client was told (bench/journey.check_database); emails received
   once, twice or never (never is explained when the killed scheduler's own claims were
   marked interrupted, at most one per SMTP connection, by design); and the live response
   rate read from each web host (signed in once through the proxy) against the database.
6. **Two hosts against one** (not with --quick): journeys per second through the proxy
   with one web host and with two, alternating, every gunicorn of both in one cgroup
   limited to one CPU: the same total CPU.

Every process is started by pid and stopped by pid; nothing listens outside the namespaces.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from ..common import ROOT, table
from ..faults.client import Browser
from ..faults.journeys import FAILURE, doubled_partials, every
from ..faults.nginx import nginx
from ..faults.pages import csrf_token
from ..faults.scheduler import ALWAYS
from ..journey import check_database, read_done
from ..load import failures, run_locust
from ..product import PASSWORD, create_user, import_people, make_app, open_campaign, product_env, write_links
from .network import Network

PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]) \
    if glob.glob("/usr/lib/postgresql/*/bin") else None
DATABASE = "survey"
WEB_PORT, PROXY_PORT, SMTP_PORT, PG_PORT = 8000, 8080, 2525, 5432
#: a dead scheduler's claims last this long (SEND_LEASE_SECONDS; 300 in production)
LEASE = 5
USERS = 16
IMPROVE = "improve@cluster.example"


def wait_for(what: str, check, seconds: float = 60, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if check():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")
        time.sleep(0.2)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, group: bool = True, seconds: float = 40) -> None:
    """Stop a process (and its group) by pid: `sig`, then SIGKILL after `seconds`."""
    if process.poll() is None:
        (os.killpg if group else os.kill)(process.pid, sig)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL) if group else process.kill()
        process.wait()


#: cgroup v1's CPU controllers: separate hierarchies on some machines, one (cpu,cpuacct) on others
CGROUPS = Path("/sys/fs/cgroup")


@dataclass
class Cgroup:
    """A cgroup (v1) of the run's own, in the cpu hierarchy (a limit, optionally) and the
    cpuacct one (the CPU its processes used). Processes join it as they start (`join`), so
    every process they fork is counted too, also those that die."""

    cpu: Path
    cpuacct: Path

    @classmethod
    def make(cls, name: str, cpus: float | None = None) -> "Cgroup":
        group = cls((CGROUPS / "cpu" / name), (CGROUPS / "cpuacct" / name))
        for path in group.paths:
            path.mkdir()
        if cpus:
            (group.cpu / "cpu.cfs_period_us").write_text("100000")
            (group.cpu / "cpu.cfs_quota_us").write_text(str(int(cpus * 100000)))
        return group

    @property
    def paths(self) -> list[Path]:
        """One folder, or two where the controllers are mounted apart."""
        return [self.cpu] if self.cpu.resolve() == self.cpuacct.resolve() else [self.cpu, self.cpuacct]

    @property
    def join(self) -> list[str]:
        """A command prefix that moves the command into the cgroup before it runs."""
        writes = " && ".join(f'echo $$ > "{path}/cgroup.procs"' for path in self.paths)
        return ["sh", "-c", f'{writes} && exec "$@"', "join"]

    def seconds(self) -> float:
        return int((self.cpuacct / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        """Removed once its processes have stopped; if one is left (a run that failed), the
        harness's outer process removes it after deleting the namespaces."""
        for path in self.paths:
            try:
                path.rmdir()
            except OSError:
                pass


@contextmanager
def cgroups(net: Network, *names: str, cpus: float | None = None):
    """The run's cgroups, named after the network, each limited to `cpus` if given;
    removed afterwards (their processes must have stopped)."""
    made: dict[str, Cgroup] = {}
    try:
        for name in names:
            made[name] = Cgroup.make(f"{net.prefix}-{name}", cpus)
        yield made
    finally:
        for group in made.values():
            group.remove()


@contextmanager
def postgres(net: Network, tmp: Path, cgroup: Cgroup):
    """A PostgreSQL server of the harness's own on the db host; yields the product's URL."""
    if PG_BIN is None:
        raise RuntimeError("PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin)")
    data = tmp / "pgdata"
    data.mkdir()
    shutil.chown(data, "postgres", "postgres")
    as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
    subprocess.run([*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "--no-locale", "-E", "UTF8"], check=True, capture_output=True)
    with open(data / "pg_hba.conf", "a") as hba:
        hba.write(f"host all all {net.address('db').rsplit('.', 1)[0]}.0/24 trust\n")
    address = net.address("db")
    log = open(tmp / "postgres.log", "w")
    process = subprocess.Popen([*net.wrap("db"), *cgroup.join, *as_postgres, str(PG_BIN / "postgres"), "-D", str(data),
                                "-c", f"listen_addresses={address}", "-c", f"port={PG_PORT}",
                                "-c", f"unix_socket_directories={data}", "-c", "max_connections=200"],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    admin = f"postgresql+psycopg://postgres@{address}:{PG_PORT}/postgres"
    try:
        engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
        wait_for("PostgreSQL", lambda: engine.connect().close() is None, 60, process)
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
        engine.dispose()
        yield f"postgresql+psycopg://postgres@{address}:{PG_PORT}/{DATABASE}"
    finally:
        stop(process, signal.SIGINT, group=False, seconds=60)  # a fast shutdown
        log.close()


@dataclass
class Hosts:
    """The processes of the run: the web hosts by name, the schedulers by name."""

    net: Network
    env: dict
    tmp: Path
    #: the cgroups the web hosts and the schedulers join
    web_cgroup: Cgroup
    sched_cgroup: Cgroup | None = None
    web: dict[str, subprocess.Popen] = field(default_factory=dict)
    schedulers: dict[str, subprocess.Popen] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def note(self, what: str) -> None:
        self.events.append(f"{time.monotonic() - self.started:6.1f} s  {what}")
        print(f"  [{time.monotonic() - self.started:6.1f} s] {what}", flush=True)

    def base(self, host: str) -> str:
        return f"http://{self.net.address(host)}:{WEB_PORT}"

    def start_web(self, host: str, workers: int = 2) -> None:
        with open(self.tmp / f"{host}.log", "a") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                [*self.net.wrap(host), *self.web_cgroup.join, sys.executable, "-m", "gunicorn",
                 "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app",
                 "--bind", f"{self.net.address(host)}:{WEB_PORT}", "--workers", str(workers),
                 "--access-logfile", str(self.tmp / f"{host}-access.log"),
                 "--error-logfile", str(self.tmp / f"{host}.log")],
                cwd=ROOT, env={**os.environ, **self.env, "SURVEY_INSTANCE_PATH": str(self.tmp / f"instance-{host}")},
                stderr=log, start_new_session=True)
        wait_for(f"gunicorn on {host}", lambda: urllib.request.urlopen(self.base(host) + "/readyz", timeout=2)
                 .status == 200, 90, process)
        self.web[host] = process

    def stop_web(self, host: str) -> None:
        stop(self.web.pop(host))

    def start_scheduler(self, host: str) -> None:
        env = {**os.environ, **self.env, "MAIL_SERVER": self.net.address("mail"), "MAIL_PORT": str(SMTP_PORT),
               "SEND_LEASE_SECONDS": str(LEASE), **{k: str(v) for k, v in ALWAYS.items()}}
        with open(self.tmp / f"{host}.log", "a") as log:  # the child keeps its own copy
            self.schedulers[host] = subprocess.Popen(
                [*self.net.wrap(host), *self.sched_cgroup.join, sys.executable, "-m", "flask", "scheduler"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop_all(self) -> None:
        for name in list(self.web):
            self.stop_web(name)
        for process in self.schedulers.values():
            stop(process)
        self.schedulers.clear()


@contextmanager
def mail_server(net: Network, tmp: Path):
    """aiosmtpd on the mail host; yields the file it writes each recipient to."""
    out = tmp / "mail.txt"
    out.touch()
    process = subprocess.Popen([*net.wrap("mail"), sys.executable, "-m", "bench.cluster.sink", "--host",
                                net.address("mail"), "--port", str(SMTP_PORT), "--out", str(out)],
                               cwd=ROOT, start_new_session=True)
    try:
        wait_for("the mail server", lambda: socket.create_connection((net.address("mail"), SMTP_PORT), 2).close()
                 is None, 30, process)
        yield out
    finally:
        stop(process, seconds=10)


def journeys(proxy: str, links: list[tuple[int, str]], folder: Path, seconds: int) -> tuple[set[int], float, Counter]:
    """Respondents' journeys through the proxy; (completed, journeys/s, client errors by status)."""
    folder.mkdir()
    done_file = folder / "done"
    run_locust("RespondentJourney", proxy, USERS, seconds, csv_dir=folder,
               env={"BENCH_LINKS": str(write_links(folder / "links", links)), "BENCH_DONE": str(done_file)})
    errors: Counter = Counter()
    for _kind, error, times in failures(folder):
        found = FAILURE.search(error)
        errors["no answer" if found and found.group(1) == "0" else found.group(1) if found else "other"] += times
    done, rate = read_done(done_file)
    return done, rate, errors


def settled(url: str, campaign_id: int, count: int) -> bool:
    """Every invitation of the campaign planned, and none waiting or being sent."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        planned, left = conn.execute(sa.text(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('pending', 'sending')) FROM outbox "
            "WHERE campaign_id = :c"), {"c": campaign_id}).one()
    engine.dispose()
    return planned >= count and left == 0


def live_rates(hosts: Hosts, proxy: str, campaign_id: int) -> dict[str, dict]:
    """The live response rate (rate.json) as each web host answers it, for one staff
    session signed in once through the proxy."""
    browser = Browser(proxy, source=hosts.net.address("client"), timeout=30)
    form = {"csrf_token": csrf_token(browser.get("/sign-in").body) or ""}
    signed = browser.post("/sign-in", {**form, "email": IMPROVE, "password": PASSWORD})
    if signed.status != 302:
        raise RuntimeError(f"signing in through the proxy answered {signed.status}")
    out = {}
    for host in sorted(hosts.web):
        answer = Browser(hosts.base(host), source=hosts.net.address("client"), timeout=30,
                         cookies=dict(browser.cookies)).get(f"/campaigns/{campaign_id}/rate.json")
        out[host] = json.loads(answer.body) if answer.status == 200 else {"status": answer.status}
    return out


def database_rate(app, campaign_id: int) -> tuple[int, int]:
    """(submitted, participants) of the campaign in the database: submitted counted from
    the participant rows themselves, participants as the product defines them."""
    from survey_app.extensions import db
    from survey_app.results.data import campaign_counts

    with app.app_context():
        submitted = db.session.execute(sa.text("SELECT count(*) FROM participant WHERE campaign_id = :c AND submitted"),
                                       {"c": campaign_id}).scalar()
        counts = campaign_counts([campaign_id])[campaign_id]
        db.session.remove()
    return int(submitted), int(counts.participants)


def emails(url: str, mail_file: Path, campaign_id: int, addresses: list[str]) -> dict[str, int]:
    """What the mail host received against what the outbox says of each invitation: sent,
    interrupted (claimed by the killed scheduler as it died: never sent again, by design),
    or cancelled (the person answered before their invitation's turn came)."""
    received = Counter(line.strip() for line in mail_file.read_text().splitlines())
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT p.email, o.status, o.last_error FROM outbox o JOIN participant p ON p.id = o.participant_id "
            "WHERE o.campaign_id = :c AND o.kind = 'invitation'"), {"c": campaign_id}).all()
    engine.dispose()
    status = {e: "interrupted" if s == "failed" and (error or "").startswith("Interrupted") else s
              for e, s, error in rows}
    of = {kind: [a for a in addresses if status.get(a) == kind] for kind in ("sent", "interrupted", "cancelled")}
    return {"sent": len(of["sent"]), "once": sum(1 for a in of["sent"] if received[a] == 1),
            "twice": sum(1 for a in addresses if received[a] >= 2),
            "never": sum(1 for a in of["sent"] if received[a] == 0),
            "interrupted": len(of["interrupted"]),
            "interrupted_received": sum(1 for a in of["interrupted"] if received[a]),
            "cancelled": len(of["cancelled"]), "cancelled_received": sum(1 for a in of["cancelled"] if received[a]),
            "unplanned": sum(1 for a in addresses if a not in status),
            "other": dict(Counter(s for s in status.values() if s not in of))}


def main_run(net: Network, quick: bool, web_hosts: list[str], tmp: Path, url: str, app,
             groups: dict[str, Cgroup]) -> tuple[list, list[str]]:
    """Steps 2-5; (table rows, what CI refuses)."""
    count = 160 if quick else 600
    #: half as many again who never answer: their invitations must all go out
    addresses = [f"person-{i}@cluster.example" for i in range(count + count // 2)]
    campaign_id = open_campaign(app, number=1)
    links = import_people(app, campaign_id, addresses)[:count]
    create_user(app, IMPROVE, "improve")
    hosts = Hosts(net, product_env(url, str(tmp / "instance"), PROXY_COUNT=1), tmp, groups["web"], groups["sched"])
    with ExitStack() as stack, mail_server(net, tmp) as mail_file:
        stack.callback(hosts.stop_all)
        for host in web_hosts:
            hosts.start_web(host)
        hosts.note(f"web hosts up: {', '.join(web_hosts)}")
        proxy = stack.enter_context(nginx(upstreams=[f"{net.address(h)}:{WEB_PORT}" for h in web_hosts],
                                          host=net.address("proxy"), port=PROXY_PORT, wrap=net.wrap("proxy")))
        for host in ("sched1", "sched2"):
            hosts.start_scheduler(host)
        # their CPU once started (the app loaded), so what follows is planning and sending
        wait_for("the schedulers", lambda: all("started" in (tmp / f"{h}.log").read_text() for h in hosts.schedulers), 60)
        started_cpu = groups["sched"].seconds()
        hosts.note("schedulers sched1 and sched2 started; journeys start")
        state = {"web2": "up", "sched1": "up"}
        done_file = tmp / "main" / "done"

        def kill_scheduler() -> None:
            if state["sched1"] == "up" and len(mail_file.read_text().splitlines()) >= len(addresses) // 3:
                os.kill(hosts.schedulers["sched1"].pid, signal.SIGKILL)
                state["sched1"] = "killed"
                hosts.note(f"sched1 killed (kill -9) with {len(mail_file.read_text().splitlines())} of {len(addresses)} "
                           "invitations received")

        def restart_web() -> None:
            ended = len(done_file.read_text().splitlines()) if done_file.exists() else 0
            if state["web2"] == "up" and ended >= count // 4:
                hosts.note(f"web2 stopped (SIGTERM) after {ended} journeys")
                hosts.stop_web("web2")
                state["web2"] = "stopped"
                time.sleep(5)
                hosts.start_web("web2")
                state["web2"] = "started again"
                hosts.note("web2 started again and answering")

        with every(0.1, kill_scheduler), every(1.0, restart_web):
            done, rate, errors = journeys(proxy.base, links, tmp / "main", 300)
        hosts.note(f"journeys ended: {len(done)} of {count} completed, {rate:.1f}/s")
        wait_for("the outbox to settle", lambda: settled(url, campaign_id, len(addresses)), 240)
        time.sleep(1)  # the mail server writes the last message down
        hosts.note("every invitation sent or marked")
        scheduler_cpu = groups["sched"].seconds() - started_cpu
        rates = live_rates(hosts, proxy.base, campaign_id)
        mail = emails(url, mail_file, campaign_id, addresses)
    found = check_database(app, links, done)
    lost = (len(done) - found["of_journeys"]) + (found["submitted"] - found["as_sent"])
    doubled = found["stored_twice"] + found["stored_unmarked"] + doubled_partials(
        SimpleNamespace(app=app, database_url=url), links)
    truth = database_rate(app, campaign_id)
    agree = {h: (r.get("submitted"), r.get("participants")) == truth for h, r in rates.items()}
    rows = [["figure", "value", "what it means"],
            ["journeys completed", f"{len(done)} of {count}", "reached the confirmation page through the proxy"],
            ["journeys per second", f"{rate:.1f}", f"{USERS} at a time, while web2 restarted and sched1 died"],
            ["client errors", ", ".join(f"{n} x {s}" for s, n in sorted(errors.items())) or "0",
             "answers a respondent's browser did not expect, by status"],
            ["responses submitted", str(found["submitted"]), "participants marked submitted in the database"],
            ["responses lost", str(lost), "told submitted but not stored as sent, or stored without being told"],
            ["responses doubled", str(doubled), "stored twice, stored unmarked, or a partial response twice"],
            ["invitations", f"{len(addresses)}: {mail['sent']} sent, {mail['interrupted']} interrupted, "
             f"{mail['cancelled']} cancelled", "the outbox at the end (cancelled: the person had answered first)"],
            ["emails once", str(mail["once"]), "of those sent, received by the mail host once"],
            ["emails twice", str(mail["twice"]), "anyone's invitation received two or more times"],
            ["emails never", str(mail["never"]), "marked sent in the outbox but never received"],
            ["interrupted", f"{mail['interrupted']} ({mail['interrupted_received']} received)",
             "claimed by the killed scheduler as it died: marked, never sent again (at most one a connection)"],
            ["cancelled received", str(mail["cancelled_received"]), "cancelled invitations that arrived anyway"],
            *[[f"live rate on {h}", f"{r.get('submitted')} of {r.get('participants')}"
               + (" = database" if agree[h] else f" != database {truth[0]} of {truth[1]}"),
               "rate.json from that host, one session signed in through the proxy"] for h, r in rates.items()],
            ["scheduler CPU per invitation", f"{scheduler_cpu * 1000 / len(addresses):.1f} ms",
             "both schedulers' CPU once started (planning, sending, cancelling) over the invitations; "
             "not their database's"]]
    broken = []
    if lost or doubled:
        broken.append(f"responses lost {lost}, doubled {doubled}")
    if mail["twice"] or mail["never"] or mail["cancelled_received"] or mail["unplanned"] or mail["other"]:
        broken.append(f"emails twice {mail['twice']}, never {mail['never']}, cancelled but received "
                      f"{mail['cancelled_received']}, not planned {mail['unplanned']}, other {mail['other']}")
    if not all(agree.values()):
        broken.append("a host's live rate disagrees with the database")
    if len(done) < count // 2:
        broken.append(f"only {len(done)} of {count} journeys completed")
    if state["web2"] != "started again" or state["sched1"] != "killed":
        broken.append(f"the faults did not all happen: {state}")
    print("\nWhat happened:\n  " + "\n  ".join(hosts.events))
    if broken:
        show_logs(tmp)
    return rows, broken


def show_logs(tmp: Path) -> None:
    """The end of every log of the run, to see why something failed."""
    for log in sorted(tmp.glob("*.log")):
        print(f"\n--- the end of {log.name}:\n{log.read_text(errors='replace')[-1500:]}", flush=True)


def scaling(net: Network, tmp: Path, url: str, app, db: Cgroup, rounds: int, per_round: int) -> list:
    """Step 6: journeys per second with one web host of two workers and with two of one
    worker each, alternating, every gunicorn in one cgroup limited to one CPU: the same
    CPU, workers and threads in all, so what differs is only being two hosts (two masters,
    two connection pools, the proxy balancing). With the CPU per journey of the web hosts
    and of PostgreSQL (no scheduler runs meanwhile)."""
    figures: dict[str, list[tuple[float, float, float]]] = {"one": [], "two": []}
    number = 1
    with cgroups(net, "scaling", cpus=1) as limited:
        web = limited["scaling"]
        for round_ in range(rounds):
            for shape, web_hosts in (("one", ["web1"]), ("two", ["web1", "web2"])):
                number += 1
                campaign_id = open_campaign(app, number=number)
                links = import_people(app, campaign_id, [f"scale{number}-{i}@cluster.example" for i in range(per_round)])
                hosts = Hosts(net, product_env(url, str(tmp / "instance"), PROXY_COUNT=1), tmp, web)
                try:
                    for host in web_hosts:  # two workers in all, as the one host has
                        hosts.start_web(host, workers=2 // len(web_hosts))
                    with nginx(upstreams=[f"{net.address(h)}:{WEB_PORT}" for h in web_hosts], host=net.address("proxy"),
                               port=PROXY_PORT, wrap=net.wrap("proxy")) as proxy:
                        before = web.seconds(), db.seconds()
                        done, rate, errors = journeys(proxy.base, links, tmp / f"scale-{number}", 300)
                        web_ms, db_ms = ((after - start) * 1000 / max(len(done), 1)
                                         for after, start in zip((web.seconds(), db.seconds()), before))
                finally:
                    hosts.stop_all()
                figures[shape].append((rate, web_ms, db_ms))
                print(f"  round {round_ + 1}, {shape} web host{'s' if shape == 'two' else ''}: {len(done)} of "
                      f"{per_round} journeys, {rate:.2f}/s, CPU a journey: gunicorn {web_ms:.0f} ms, PostgreSQL "
                      f"{db_ms:.1f} ms; errors {dict(errors) or 0}", flush=True)
    mean = {shape: [sum(values) / len(values) for values in zip(*f)] for shape, f in figures.items()}
    return [["web hosts (one CPU, two workers in all)", "journeys/s", "gunicorn CPU a journey", "PostgreSQL CPU a journey"],
            *[[shape, f"{m[0]:.2f}", f"{m[1]:.0f} ms", f"{m[2]:.1f} ms"] for shape, m in mean.items()],
            ["two / one", f"{mean['two'][0] / mean['one'][0]:.2f}x", f"{mean['two'][1] / mean['one'][1]:.2f}x",
             f"{mean['two'][2] / mean['one'][2]:.2f}x"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--folder", required=True, help="the run's files (made and removed by __main__)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--ci", action="store_true")
    parser.add_argument("--web-hosts", type=int, default=3)
    args = parser.parse_args(argv)
    ci = args.ci or os.environ.get("CI", "").lower() in ("1", "true", "yes")
    net = Network(prefix=args.prefix)
    web_hosts = [f"web{i}" for i in range(1, args.web_hosts + 1)]
    started = time.perf_counter()
    tmp = Path(args.folder)
    tmp.chmod(0o755)  # the postgres user reaches its data folder through it
    with cgroups(net, "db", "web", "sched") as groups, postgres(net, tmp, groups["db"]) as url:
        from flask_migrate import upgrade

        app = make_app(url, str(tmp / "instance"))
        with app.app_context():
            upgrade()
        print(f"PostgreSQL on {net.address('db')} migrated; {len(web_hosts)} web hosts, 2 schedulers", flush=True)
        try:
            rows, broken = main_run(net, args.quick, web_hosts, tmp, url, app, groups)
        except Exception:
            show_logs(tmp)
            raise
        print("\n" + table(rows), flush=True)
        if not args.quick:
            print("\nTwo web hosts against one, the same total CPU (one CPU, a cgroup):", flush=True)
            print("\n" + table(scaling(net, tmp, url, app, groups["db"], rounds=2, per_round=200)), flush=True)
        from survey_app.extensions import db

        with app.app_context():
            db.engine.dispose()
    print(f"\nThe cluster run took {time.perf_counter() - started:.0f} s{' (quick)' if args.quick else ''}")
    if broken:
        print(("FAILED (CI): " if ci else "Findings CI refuses: ") + "; ".join(broken), file=sys.stderr)
        return 1 if ci else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
