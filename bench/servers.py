"""Start and stop servers on loopback for the load benchmarks: gunicorn as in production."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from .common import ROOT

#: gunicorn settings, recorded with the figures (see bench/RESULTS.md for why)
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")


class Server(str):
    """A running server's base URL, which also knows its master process (`pid`)."""

    pid: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict, workers: int = WORKERS, threads: int = THREADS, ready_path: str = "/",
             access_log: str | None = None, error_log: str | None = None, production_config: bool = False):
    """Run `gunicorn app` on a free loopback port; yield its base URL (a `Server`); stop it afterwards.
    With `access_log`, each request is logged as "METHOD PATH PROTOCOL STATUS MS" (the
    time the worker spent on it); BENCH_ACCESS_LOG does the same for any benchmark. With
    `error_log`, gunicorn's log and the app's go to that file instead of stderr. With
    `production_config`, gunicorn reads deploy/gunicorn.conf.py as the README's deployment
    does (its logger and log formats; the port, workers, threads and log files given here win)."""
    access_log = access_log or os.environ.get("BENCH_ACCESS_LOG")
    port = free_port()
    config = ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")] if production_config else []
    access_format = [] if production_config else ["--access-logformat", "%(r)s %(s)s %(M)s"]
    args = [sys.executable, "-m", "gunicorn", *config, app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(threads), "--worker-class", WORKER_CLASS, "--log-level", "warning",
            "--keep-alive", "5", "--timeout", "60"] + (
                ["--access-logfile", access_log, *access_format] if access_log else []) + (
                ["--error-logfile", error_log] if error_log else [])
    # with an error log, what the workers print themselves (libpq's notices) goes there too
    output = open(error_log, "a") if error_log else None
    process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, start_new_session=True, stderr=output)
    base = Server(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with {process.returncode}")
            try:
                urllib.request.urlopen(base + ready_path, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not answer on {base}") from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if output:
            output.close()
