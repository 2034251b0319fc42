"""`make run`'s last step: `flask dev` starts the web app, the scheduler and the mail
catcher, and stops all three on SIGTERM as on Ctrl+C."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_flask_dev_runs_everything_and_stops_cleanly(tmp_path, repo_root):
    web, smtp = free_port(), free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.db'}", "SURVEY_INSTANCE_PATH": str(tmp_path),
           "MAIL_PORT": str(smtp), "BASE_URL": f"http://127.0.0.1:{web}"}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run(flask + ["db", "upgrade"], cwd=repo_root, env=env, check=True, capture_output=True)
    seeded = subprocess.run(flask + ["demo", "--seed"], cwd=repo_root, env=env, check=True, capture_output=True,
                            text=True)
    assert f"http://127.0.0.1:{web}/s/" in seeded.stdout and "Admin sign-in:" in seeded.stdout
    log = open(tmp_path / "dev.log", "wb")
    dev = subprocess.Popen(flask + ["dev", "--port", str(web)], cwd=repo_root, env=env, stdout=log,
                           stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{web}/healthz", timeout=2).status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the web app did not start"
                assert dev.poll() is None, (tmp_path / "dev.log").read_text()
                time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", smtp), timeout=5) as s:
            assert s.recv(100).startswith(b"220")  # the mail catcher answers
        children = psutil.Process(dev.pid).children(recursive=True)
        commands = " ".join(" ".join(c.cmdline()) for c in children)
        assert "mailer.catcher" in commands and "scheduler" in commands and " run " in commands
    finally:
        dev.send_signal(signal.SIGTERM)
        dev.wait(timeout=30)
        log.close()
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert alive == []
