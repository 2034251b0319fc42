"""Issue 14 row 7: a respondent's whole journey, a stop-reminders link, sign-ins and a
failure on a personal link, through a real gunicorn started with deploy/gunicorn.conf.py:
no line of its access or error log holds a token, an email address or an answer typed.
The same in JSON, with request ids: test_operator_logs.py."""
from __future__ import annotations

import re

from tests.survey_app.gunicorn_served import database, gunicorn, gunicorn_settings  # noqa: F401  (fixtures)
from tests.survey_app.gunicorn_served import journey, personal_values


def test_no_log_line_holds_a_token_an_address_or_an_answer(database, gunicorn):
    _url, people = database
    base, access, errors, stop = gunicorn
    journey(base, people)
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
    # each line of a request carries its id (made by the app: none was sent); the health
    # checks (the fixture waited on /healthz) have no access line
    [failed] = [line for line in access_lines if '"GET /s/…/fail HTTP/1.1" 500' in line]
    failed_id = re.search(r" request_id=([0-9a-f]{32})$", failed).group(1)
    assert any(line.endswith(f"Exception on /s/…/fail [GET] request_id={failed_id}") for line in error_lines)
    assert all(re.search(r" request_id=[0-9a-f]{32}$", line) for line in access_lines)
    assert not [line for line in access_lines if "/healthz" in line]
    # and nothing personal
    leaks = [(secret, line) for line in access_lines + error_lines for secret in personal_values(people)
             if secret in line]
    assert leaks == []
    assert not [line for line in access_lines if "?" in line]  # no query string at all
