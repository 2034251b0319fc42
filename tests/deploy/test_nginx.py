"""The README's reverse proxy (deploy/nginx.conf, Debian's nginx) in front of the app with
PROXY_COUNT=1 (issue 14, row 8): what the app is told about the client, what nginx logs,
compresses, caches and refuses. nginx runs as this test's own process (bench/faults/nginx.py)."""
from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import socket
import threading
from collections import Counter
from pathlib import Path

import pytest
from flask import request
from werkzeug.serving import make_server

from bench.faults.nginx import NGINX, nginx
from survey_app import create_app
from survey_app.extensions import csrf

SECRETS = {"SECRET_KEY": "nginx-test-secret-0123456789abcdef0123456789",
           "EMAIL_HASH_KEY": "nginx-test-hash-key-0123456789abcdef012345", "TESTING": True}
STATIC = Path(__file__).resolve().parents[2] / "survey_app" / "static"
TOKENS = ["TOKENinPATHaaaa", "TOKENinQUERYbbb", "TOKENstopccccc", "TOKENdoubledddd", "TOKENencodedeee", "TOKENreferfff"]


#: requests seen by the path, by `dies_once`
SEEN: Counter = Counter()


def dies_once(**_kwargs):
    """The first request to a path loses its worker: the connection closes with no answer,
    as when gunicorn's worker is killed under a request. Later ones are answered."""
    SEEN[request.path] += 1
    if SEEN[request.path] == 1:
        request.environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
    return f"answered after {SEEN[request.path]}"


def who():
    """What the app makes of the request it was handed."""
    return {"addr": request.remote_addr, "scheme": request.scheme, "forwarded_for": request.headers.get("X-Forwarded-For"),
            "request_id": request.headers.get("X-Request-Id"), "host": request.host, "length": len(request.get_data())}


@pytest.fixture
def proxied(tmp_path):
    """The app (PROXY_COUNT=1, with a /who page) served on loopback, nginx in front of it."""
    if not os.access(NGINX, os.X_OK):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("nginx is required in CI (apt-get install nginx)", pytrace=False)
        pytest.skip("nginx is not installed")
    app = create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path), "PROXY_COUNT": 1})
    app.add_url_rule("/who", "who", csrf.exempt(who), methods=["GET", "POST"])
    app.add_url_rule("/s/dies-once/<n>", "respondent_dies", csrf.exempt(dies_once), methods=["GET", "POST"])
    app.add_url_rule("/dies-once/<n>", "staff_dies", csrf.exempt(dies_once), methods=["GET", "POST"])
    SEEN.clear()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with nginx(server.server_port, ready_path="/who") as proxy:
            yield proxy
    finally:
        server.shutdown()
        thread.join(timeout=10)


def fetch(proxy, path: str, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None,
          source: str = "127.0.0.1") -> http.client.HTTPResponse:
    host, port = proxy.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.data = response.read()
    connection.close()
    return response


def test_the_app_sees_the_client_nginx_saw_and_not_what_the_client_claims(proxied):
    seen = json.loads(fetch(proxied, "/who", headers={"X-Forwarded-For": "10.9.9.9"}, source="127.0.0.7").data)
    assert seen["addr"] == "127.0.0.7"  # the sign-in limits count this address
    assert seen["forwarded_for"] == "10.9.9.9, 127.0.0.7"
    assert seen["scheme"] == "http"
    assert re.fullmatch(r"[0-9a-f]{32}", seen["request_id"])


def test_the_access_log_holds_no_personal_link_nor_query(proxied):
    paths = [f"/s/{TOKENS[0]}/p/comments?next={TOKENS[1]}", f"/stop-reminders/{TOKENS[2]}", f"//s/{TOKENS[3]}/check",
             f"/%73/{TOKENS[4]}/done", f"/s/{TOKENS[0]}"]
    for path in paths:
        fetch(proxied, path, headers={"Referer": f"https://survey.example/s/{TOKENS[5]}/p/about-you"})
    log = proxied.access_log.read_text()
    assert [token for token in TOKENS if token in log] == []
    for shown in ('"GET /s/…/p/comments HTTP/1.1" 404', '"GET /stop-reminders/… HTTP/1.1" 404',
                  '"GET /s/…/check HTTP/1.1"', '"GET /s/…/done HTTP/1.1"', '"GET /s/… HTTP/1.1" 404'):
        assert shown in log
    assert "?" not in log and "next=" not in log


def test_text_is_compressed_and_static_files_are_cached_for_a_year(proxied):
    style = fetch(proxied, "/static/govuk/survey.css?v=0123456789", headers={"Accept-Encoding": "gzip"})  # `make`
    assert style.status == 200
    assert style.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    unversioned = fetch(proxied, "/static/govuk/survey.css")
    assert unversioned.status == 200 and unversioned.getheader("Cache-Control") == "public, max-age=300"
    assert style.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(style.data) == (STATIC / "govuk" / "survey.css").read_bytes()
    page = fetch(proxied, "/sign-in", headers={"Accept-Encoding": "gzip"})
    assert page.status == 200 and page.getheader("Content-Encoding") == "gzip"
    assert b"csrf_token" in gzip.decompress(page.data)
    # a name that is not a file is the app's to answer (its own 404 page), never cached
    missing = fetch(proxied, "/static/no-such-file.css")
    assert missing.status == 404 and b"Page not found" in missing.data
    assert "31536000" not in (missing.getheader("Cache-Control") or "")


def test_respondent_pages_take_small_bodies_and_the_console_large_ones(proxied):
    body = b"x" * 100_000
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert fetch(proxied, "/s/anything/p/comments", method="POST", body=body, headers=form).status == 413
    assert fetch(proxied, "/stop-reminders/anything", method="POST", body=body, headers=form).status == 413
    passed = fetch(proxied, "/who", method="POST", body=body, headers=form)
    assert passed.status == 200 and json.loads(passed.data)["length"] == len(body)


def test_a_request_whose_worker_died_is_sent_again_where_that_is_safe(proxied):
    """deploy/nginx.conf sends a request that lost its worker once more (the upstream's
    backup is the same gunicorn): any GET, and respondents' POSTs, which are all safe to run
    twice; a staff POST is not sent again (502), since it may not be."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for path, method in (("/s/dies-once/1", "POST"), ("/s/dies-once/2", "GET"), ("/dies-once/3", "GET")):
        answer = fetch(proxied, path, method=method, body=b"a=1" if method == "POST" else None, headers=form)
        assert (answer.status, answer.data, SEEN[path]) == (200, b"answered after 2", 2), path
    staff_post = fetch(proxied, "/dies-once/4", method="POST", body=b"a=1", headers=form)
    assert staff_post.status == 502 and SEEN["/dies-once/4"] == 1
