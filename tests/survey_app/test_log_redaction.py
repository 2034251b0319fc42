"""Issue 14 row 7 in the process: Flask's error log and the development server's request
log (`flask run`, `make run`) write no personal token and no query string. gunicorn's
logs: test_gunicorn_logs.py."""
from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from survey_app import create_app
from survey_app.log_redaction import redact
from tests.helpers import TEST_CONFIG

TOKEN = "MQ.nGHRz5VnpwrNXnXYdPgY-MwV6dk"


@pytest.mark.parametrize(("text", "logged"), [
    (f"/s/{TOKEN}", "/s/…"),
    (f"/s/{TOKEN}/p/comments", "/s/…/p/comments"),
    (f"Exception on /s/{TOKEN}/p/comments [POST]", "Exception on /s/…/p/comments [POST]"),
    (f'"GET /stop-reminders/{TOKEN}?lang=cy HTTP/1.1" 303 -', '"GET /stop-reminders/… HTTP/1.1" 303 -'),
    (f'"GET /sign-in?next=%2Fs%2F{TOKEN}%2Fcheck HTTP/1.1" 200', '"GET /sign-in HTTP/1.1" 200'),
    (f"http://survey.test/s/{TOKEN}/done", "http://survey.test/s/…/done"),
    (f"a link %2Fs%2F{TOKEN}%2Fcheck", "a link %2Fs%2F…%2Fcheck"),
    ("/campaigns/3/results HTTP/1.1", "/campaigns/3/results HTTP/1.1"),
    ("SELECT 1 WHERE a = ?", "SELECT 1 WHERE a = ?"),
    ("/static/govuk/survey.css?v=0123456789", "/static/govuk/survey.css"),
    ("550 5.1.1 <ann.jones@example.org>: user unknown", "550 5.1.1 <[address]>: user unknown"),
    ('"GET /people/ann.jones@example.org HTTP/1.1" 404', '"GET [address] HTTP/1.1" 404'),
    (f"sign-in refused for bob+survey@example.gov.uk on /s/{TOKEN}", "sign-in refused for [address] on /s/…"),
])
def test_redact(text, logged):
    assert redact(text) == logged


@pytest.fixture
def failing_app(tmp_path):
    """The app (not in testing mode: errors are logged, not raised) with a route that fails."""
    app = create_app({**TEST_CONFIG, "TESTING": False, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "INSTANCE_PATH": str(tmp_path)})

    @app.post("/s/<token>/p/<page_id>/fail")
    def fail(token, page_id):
        raise RuntimeError(f"a deliberate failure on page {page_id}")

    return app


def test_flasks_error_log_names_the_page_not_the_token(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    failing_app.config["WTF_CSRF_ENABLED"] = False
    answer = failing_app.test_client().post(f"/s/{TOKEN}/p/comments/fail?next=/s/{TOKEN}")
    assert answer.status_code == 500
    [record] = [r for r in caplog.records if r.name == failing_app.logger.name]
    assert record.getMessage() == "Exception on /s/…/p/comments/fail [POST]"
    assert "RuntimeError: a deliberate failure on page comments" in caplog.text  # the traceback is kept
    assert TOKEN not in caplog.text


def test_the_development_servers_request_log_holds_no_token(failing_app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, failing_app, threaded=True)  # what `flask run` serves with
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        for path in (f"/s/{TOKEN}/p/about-you?lang=cy", f"/stop-reminders/{TOKEN}", f"/sign-in?next=/s/{TOKEN}"):
            try:
                urllib.request.urlopen(base + path, timeout=10).close()
            except urllib.error.HTTPError as error:
                error.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
    # without its colours (werkzeug adds them on a terminal)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", r.getMessage()) for r in caplog.records if r.name == "werkzeug"]
    for request_line in ("GET /s/…/p/about-you HTTP/1.1", "GET /stop-reminders/… HTTP/1.1", "GET /sign-in HTTP/1.1"):
        assert any(f'"{request_line}"' in line for line in lines), (request_line, lines)
    assert not [line for line in lines if TOKEN in line or "?" in line]
