"""A real gunicorn started with deploy/gunicorn.conf.py on a migrated SQLite database, and a
respondent's whole journey through it, for the tests of what its logs hold (text:
test_gunicorn_logs.py; JSON and request ids: test_operator_logs.py). A test module imports
the fixtures (`from tests.survey_app.gunicorn_served import database, gunicorn, gunicorn_settings`)
and may override `gunicorn_settings` with more environment variables."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from survey_app.auth.operations import create_user
from survey_app.extensions import db
from survey_app.links import STOP_REMINDERS_SALT, make_token
from tests.factories import make_campaign, make_participant
from tests.helpers import TEST_CONFIG
from tests.respond.helpers import ALL_ANSWERS, COMMENTS

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
#: the participants', the Improve user's, and one no account has (signed in with all the same)
ADDRESSES = ("ann.jones@example.org", "bob.evans@example.org", "improve.team@example.org", "made.up@example.org")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SHOWN_RE = re.compile(r'name="shown" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database(tmp_path):
    """A migrated SQLite database with a campaign, two participants and an Improve user."""
    from flask_migrate import upgrade

    from survey_app import create_app

    url = f"sqlite:///{tmp_path / 'survey.db'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        campaign = make_campaign()
        person = make_participant(campaign, email=ADDRESSES[0])
        other = make_participant(campaign, email=ADDRESSES[1])
        create_user(email=ADDRESSES[2], password=PASSWORD, role="improve", organisation=None,
                    hash_key=app.config["EMAIL_HASH_KEY"])
        db.session.commit()
        secret = app.config["SECRET_KEY"]
        people = {"token": make_token(person.id, secret), "other": make_token(other.id, secret),
                  "stop": make_token(other.id, secret, STOP_REMINDERS_SALT)}
        db.engine.dispose()
    return url, people


@pytest.fixture
def gunicorn_settings() -> dict:
    """Environment variables for gunicorn beyond the production ones (none: text logs)."""
    return {}


@pytest.fixture
def gunicorn(database, gunicorn_settings, tmp_path):
    """gunicorn -c deploy/gunicorn.conf.py on a free loopback port, its logs in files;
    yields (base URL, access log, error log, stop); stopped (by its pid) before the logs are read."""
    url, _people = database
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    port = free_port()
    env = {**os.environ, "SURVEY_ENV": "production", "SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
           "EMAIL_HASH_KEY": TEST_CONFIG["EMAIL_HASH_KEY"], "DATABASE_URL": url,
           "SURVEY_INSTANCE_PATH": str(tmp_path), "BASE_URL": f"http://127.0.0.1:{port}",
           "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback: TLS is the proxy's
           **gunicorn_settings}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(access), "--error-logfile", str(errors), "tests.survey_app.failing_wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    stopped = False

    def stop():
        nonlocal stopped
        if not stopped:
            stopped = True
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"gunicorn exited with {process.returncode}: {errors.read_text()}"
            try:
                requests.get(base + "/healthz", timeout=5)
                break
            except requests.RequestException:  # not listening yet, or the workers still loading
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield base, access, errors, stop
    finally:
        stop()


def form(session, url: str) -> dict:
    page = session.get(url)
    assert page.status_code == 200, (url, page.status_code)
    fields = {"csrf_token": CSRF_RE.search(page.text).group(1), "action": "continue"}
    shown = SHOWN_RE.search(page.text)
    return {**fields, "shown": shown.group(1)} if shown else fields


def journey(base: str, people: dict, headers: dict | None = None) -> None:
    """A respondent's whole journey, a stop-reminders link, sign-ins with a personal link in
    `next`, and a failure on a personal link, each request sent with `headers`."""
    token, stop_token = people["token"], people["stop"]
    respondent = requests.Session()
    respondent.headers.update(headers or {})
    start = f"{base}/s/{token}"
    assert respondent.get(start).status_code == 200
    for page_id, answers in ALL_ANSWERS.items():
        url = f"{start}/p/{page_id}"
        data = {**form(respondent, url), **{f"q-{k}": v for k, v in answers.items()}}
        sent = respondent.post(url, data=data)
        assert sent.history and sent.history[0].status_code == 302, (page_id, sent.status_code)
    assert respondent.get(f"{start}/p/comments?lang=cy").status_code == 200  # a query string on a personal link
    done = respondent.post(f"{start}/check", data={"csrf_token": form(respondent, f"{start}/check")["csrf_token"]})
    assert done.url.endswith("/done") and done.status_code == 200
    assert respondent.get(start).status_code == 200  # already taken part
    assert respondent.get(f"{base}/s/{token}x").status_code == 404  # a link altered

    stop_url = f"{base}/stop-reminders/{stop_token}"
    assert respondent.get(f"{stop_url}?lang=cy").status_code == 200
    assert respondent.post(stop_url, data={"List-Unsubscribe": "One-Click"}).status_code == 200

    staff = requests.Session()
    staff.headers.update(headers or {})
    next_path = quote(f"/s/{people['other']}/check", safe="")
    sign_in = f"{base}/sign-in?next={next_path}"
    wrong = staff.post(sign_in, data={"email": ADDRESSES[2], "password": "not the password",
                                      "csrf_token": form(staff, sign_in)["csrf_token"]})
    assert wrong.status_code in (200, 400)
    nobody = staff.post(f"{base}/sign-in", data={"email": ADDRESSES[3], "password": PASSWORD,
                                                 "csrf_token": form(staff, f"{base}/sign-in")["csrf_token"]})
    assert nobody.status_code in (200, 400)
    staff.post(f"{base}/sign-in", data={"email": ADDRESSES[2], "password": PASSWORD,
                                        "csrf_token": form(staff, f"{base}/sign-in")["csrf_token"]})
    assert staff.get(f"{base}/console/").status_code == 200

    assert respondent.get(f"{start}/fail?next=/s/{token}").status_code == 500


def personal_values(people: dict) -> list[str]:
    """What no log line may hold after the journey: the links' tokens, the addresses, the
    passwords and the answer typed, also percent-encoded."""
    found = [people["token"], people["other"], people["stop"], *ADDRESSES, "not the password", PASSWORD,
             COMMENTS["comments"], *COMMENTS["comments"].splitlines()]
    return found + [quote(value, safe="") for value in found]
