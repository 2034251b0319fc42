"""Issue 18: logs an operator can use. With LOG_FORMAT=json every line gunicorn writes (its
own, the app's, the access log's) is one JSON object; each line of a request carries the id
the proxy sent (when it is safe to log) or one the app made, and the response sends it
back; nothing personal is in any line. Text logs: test_gunicorn_logs.py; the scheduler's
JSON: tests/mailer/test_mail_cli.py."""
from __future__ import annotations

import json
import logging
import re
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import requests
from flask import request

from survey_app import create_app
from survey_app.config import ConfigError
from survey_app.log_redaction import RedactLinks
from survey_app.operator_logs import JsonLines, page_kind
from tests.helpers import TEST_CONFIG
from tests.survey_app.gunicorn_served import database, gunicorn  # noqa: F401  (fixtures)
from tests.survey_app.gunicorn_served import ROOT, journey, personal_values

JOURNEY_ID = "journey-0123.abc_DEF"
FAILURE_ID = "5f1c0e7a9b3d4c2e8f6a1b0c9d8e7f6a"  # as nginx's $request_id looks
GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def gunicorn_settings() -> dict:
    return {"LOG_FORMAT": "json"}


def sent_with_a_bad_id(base: str, value: str) -> requests.Response:
    response = requests.get(f"{base}/", headers={"X-Request-Id": value})
    assert response.status_code == 200
    return response


def folded_header_request(base: str, token: str) -> bytes:
    """GET / with an X-Request-Id folded over two lines (a header "with a newline"), written
    by hand: HTTP clients refuse to send one. Returns what came back."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(f"GET / HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n"
                           f"X-Request-Id: folded\r\n /s/{token}\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def parsed(path) -> list[dict]:
    """Each line of a log file as JSON (a line that is not fails the test, showing it)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            pytest.fail(f"not a JSON line: {line!r}")
    return lines


def test_json_logs_carry_the_request_id_and_nothing_personal(database, gunicorn):
    _url, people = database
    base, access, errors, stop = gunicorn
    journey(base, people, headers={"X-Request-Id": JOURNEY_ID})
    start = requests.get(f"{base}/s/{people['token']}", headers={"X-Request-Id": JOURNEY_ID})
    assert start.headers["X-Request-Id"] == JOURNEY_ID
    stylesheet = re.search(r'href="(/static/[^"?]+)', start.text).group(1)
    assert requests.get(base + stylesheet, headers={"X-Request-Id": JOURNEY_ID}).status_code == 200
    failed = requests.get(f"{base}/s/{people['token']}/fail", headers={"X-Request-Id": FAILURE_ID})
    assert failed.status_code == 500 and failed.headers["X-Request-Id"] == FAILURE_ID
    # an address typed into a path
    assert requests.get(f"{base}/people/ann.jones@example.org").status_code == 404
    # what a client may send as an id but is never logged: replaced by a new one
    bad = ["a" * 65, "has spaces in it", f"/s/{people['token']}", "quote\"brace{}"]
    made = [sent_with_a_bad_id(base, value).headers["X-Request-Id"] for value in bad]
    assert all(GENERATED.fullmatch(value) for value in made) and len(set(made)) == len(made)
    folded = folded_header_request(base, people["token"])
    assert folded.startswith((b"HTTP/1.1 200", b"HTTP/1.1 400")), folded[:100]
    stop()  # every line written and flushed

    access_lines, error_lines = parsed(access), parsed(errors)
    lines = access_lines + error_lines
    for line in lines:  # when (UTC), how bad, from where, what
        assert datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)
        assert {"level", "logger", "message"} <= set(line)
    assert {line["logger"] for line in access_lines} == {"gunicorn.access"}
    assert {"gunicorn.error", "survey_app"} <= {line["logger"] for line in error_lines}

    # the journey's requests under the id the proxy gave them, with the facts of each
    facts = {(line["method"], line["path"], line["status"], line.get("kind")) for line in access_lines
             if line["request_id"] == JOURNEY_ID}
    assert {("GET", "/s/…", 200, "respondent"), ("POST", "/s/…/p/comments", 302, "respondent"),
            ("GET", "/s/…/p/comments", 200, "respondent"), ("POST", "/s/…/check", 302, "respondent"),
            ("GET", "/stop-reminders/…", 200, "respondent"), ("POST", "/sign-in", 200, "staff"),
            ("GET", "/console/", 200, "staff"), ("GET", stylesheet, 200, "static")} <= facts, facts
    assert all(isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0 for line in access_lines)
    assert not [line for line in access_lines if line["path"] == "/healthz"]  # the fixture polled it

    # the failure: its access line and the app's line with the traceback inside, under one id
    [failure] = [line for line in access_lines if line["request_id"] == FAILURE_ID]
    assert (failure["path"], failure["status"]) == ("/s/…/fail", 500)
    [logged] = [line for line in error_lines if line.get("request_id") == FAILURE_ID]
    assert (logged["logger"], logged["level"]) == ("survey_app", "ERROR")
    assert logged["message"] == "Exception on /s/…/fail [GET]"
    assert (logged["method"], logged["path"]) == ("GET", "/s/…/fail")
    assert logged["traceback"].startswith("Traceback (most recent call last):")
    assert logged["traceback"].endswith("RuntimeError: a deliberate failure, to see what the error log writes")

    # the address in a path is not logged, nor any id that was not safe
    assert "[address]" in {line["path"] for line in access_lines if line["status"] == 404}
    for value in made:
        assert [line["path"] for line in access_lines if line["request_id"] == value] == ["/"]
    raw = access.read_text(encoding="utf-8") + errors.read_text(encoding="utf-8")
    everything = raw + "\n".join(str(value) for line in lines for value in line.values())  # as written and as read
    assert [value for value in bad + ["folded"] if value in everything] == []
    assert [value for value in personal_values(people) if value in everything] == []
    assert "@" not in everything


def test_a_record_with_a_traceback_is_one_json_line_without_token_or_address():
    token = "MQ.nGHRz5VnpwrNXnXYdPgY-MwV6dk"
    try:
        raise ValueError(f"550 <ann.jones@example.org> refused for /s/{token}/p/comments")
    except ValueError:
        record = logging.LogRecord("mailer.dispatcher", logging.ERROR, __file__, 1, "outbox %d: could not be written",
                                   (7,), sys.exc_info())
    RedactLinks().filter(record)
    line = JsonLines().format(record)
    assert "\n" not in line
    found = json.loads(line)
    assert found["message"] == "outbox 7: could not be written" and found["level"] == "ERROR"
    assert found["traceback"].endswith("ValueError: 550 <[address]> refused for /s/…/p/comments")
    assert token not in line and "@" not in line


def test_an_unknown_log_format_is_refused_naming_the_setting(tmp_path):
    with pytest.raises(ConfigError, match=r"^LOG_FORMAT must be text or json \(it is 'xml'\)\.$"):
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path),
                    "LOG_FORMAT": "xml"})


def test_gunicorn_refuses_an_unknown_log_format():
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", "127.0.0.1:0", "wsgi:app"]
    refused = subprocess.run(command, cwd=ROOT, env={**os.environ, "LOG_FORMAT": "xml"}, capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode == 1
    assert "Error: LOG_FORMAT must be text or json (it is 'xml')." in refused.stderr


@pytest.mark.parametrize(("path", "kind"), [
    ("/s/a-token", "respondent"), ("/s/a-token/p/comments", "respondent"), ("/s/a-token/return/", "respondent"),
    ("/stop-reminders/a-token", "respondent"), ("/", "respondent"), ("/sign-in", "staff"), ("/console/", "staff"),
    ("/campaigns/1/rate.json", "json"), ("/static/govuk/survey.css", "static"), ("/healthz", "health"),
    ("/no/such/page", None), ("/s/a-token/p/comments/x/y/z", None),
])
def test_the_kind_of_page_is_the_routes(tmp_path, path, kind):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path)})
    with app.test_request_context(path):
        assert page_kind(request) == kind


def test_the_app_sends_back_the_id_it_used(tmp_path):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path)})
    client = app.test_client()
    assert client.get("/", headers={"X-Request-Id": FAILURE_ID}).headers["X-Request-Id"] == FAILURE_ID
    assert client.get("/", headers={"X-Request-Id": "a.b_c-D"}).headers["X-Request-Id"] == "a.b_c-D"
    made = [client.get("/", headers=headers).headers["X-Request-Id"]
            for headers in ({}, {}, {"X-Request-Id": ""}, {"X-Request-Id": "x" * 65}, {"X-Request-Id": "a b"})]
    assert all(GENERATED.fullmatch(value) for value in made) and len(set(made)) == len(made)
