"""Issue 14 row 7: a respondent's whole journey, a stop-reminders link, sign-ins and a
failure on a personal link, through a real gunicorn started with deploy/gunicorn.conf.py:
no line of its access or error log holds a token, an email address or an answer typed."""
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
from tests.helpers import TEST_CONFIG
from tests.factories import make_campaign, make_participant
from tests.respond.helpers import ALL_ANSWERS, COMMENTS

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
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
        person = make_participant(campaign, email="ann.jones@example.org")
        other = make_participant(campaign, email="bob.evans@example.org")
        create_user(email="improve.team@example.org", password=PASSWORD, role="improve", organisation=None,
                    hash_key=app.config["EMAIL_HASH_KEY"])
        db.session.commit()
        secret = app.config["SECRET_KEY"]
        people = {"token": make_token(person.id, secret), "other": make_token(other.id, secret),
                  "stop": make_token(other.id, secret, STOP_REMINDERS_SALT)}
        db.engine.dispose()
    return url, people


@pytest.fixture
def gunicorn(database, tmp_path):
    """gunicorn -c deploy/gunicorn.conf.py on a free loopback port, its logs in files;
    yields (base URL, access log, error log); stopped (by its pid) before the logs are read."""
    url, _people = database
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    port = free_port()
    env = {**os.environ, "SURVEY_ENV": "production", "SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
           "EMAIL_HASH_KEY": TEST_CONFIG["EMAIL_HASH_KEY"], "DATABASE_URL": url,
           "SURVEY_INSTANCE_PATH": str(tmp_path), "BASE_URL": f"http://127.0.0.1:{port}",
           "SESSION_COOKIE_SECURE": "false"}  # plain HTTP on loopback: TLS is the proxy's
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


def test_no_log_line_holds_a_token_an_address_or_an_answer(database, gunicorn):
    _url, people = database
    base, access, errors, stop = gunicorn
    token, stop_token = people["token"], people["stop"]
    respondent = requests.Session()
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
    assert requests.get(f"{stop_url}?lang=cy").status_code == 200
    assert requests.post(stop_url, data={"List-Unsubscribe": "One-Click"}).status_code == 200

    staff = requests.Session()
    next_path = quote(f"/s/{people['other']}/check", safe="")
    sign_in = f"{base}/sign-in?next={next_path}"
    wrong = staff.post(sign_in, data={"email": "improve.team@example.org", "password": "not the password",
                                      "csrf_token": form(staff, sign_in)["csrf_token"]})
    assert wrong.status_code in (200, 400)
    staff.post(f"{base}/sign-in", data={"email": "improve.team@example.org", "password": PASSWORD,
                                        "csrf_token": form(staff, f"{base}/sign-in")["csrf_token"]})
    assert staff.get(f"{base}/console/").status_code == 200

    failed = requests.get(f"{start}/fail?next=/s/{token}")
    assert failed.status_code == 500
    stop()  # every line written and flushed

    access_lines = access.read_text(encoding="utf-8").splitlines()
    error_lines = errors.read_text(encoding="utf-8").splitlines()
    # the logs were written, with the paths in them
    assert any('"POST /s/…/p/comments HTTP/1.1" 302' in line for line in access_lines), access_lines
    assert any('"GET /s/…/p/comments HTTP/1.1" 200' in line for line in access_lines)
    assert any('"POST /s/…/check HTTP/1.1" 302' in line for line in access_lines)
    assert any('"GET /stop-reminders/… HTTP/1.1" 200' in line for line in access_lines)
    assert any('"POST /sign-in HTTP/1.1"' in line for line in access_lines)
    assert any('"GET /s/…/fail HTTP/1.1" 500' in line for line in access_lines)
    assert len(access_lines) >= 25
    assert any("Exception on /s/…/fail [GET]" in line for line in error_lines), error_lines
    assert any("RuntimeError: a deliberate failure" in line for line in error_lines)
    # and nothing personal
    secrets = [token, people["other"], stop_token, "ann.jones@example.org", "bob.evans@example.org",
               "improve.team@example.org", "not the password", PASSWORD, COMMENTS["comments"],
               *COMMENTS["comments"].splitlines()]
    secrets += [quote(s, safe="") for s in secrets]
    leaks = [(secret, line) for line in access_lines + error_lines for secret in secrets if secret in line]
    assert leaks == []
    assert not [line for line in access_lines if "?" in line]  # no query string at all
