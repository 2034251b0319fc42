"""The README's reverse proxy (deploy/nginx.conf, Debian's nginx) in front of the app with
PROXY_COUNT=1 (issue 14, row 8): what the app is told about the client, what nginx logs,
compresses, caches and refuses, and the pages it shows for its own errors (the app down,
a body too large) in Welsh and English. nginx runs as this test's own process
(bench/faults/nginx.py), in front of the app or of a port where nothing listens."""
from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from flask import abort, request
from flask_migrate import upgrade
from werkzeug.serving import make_server

from bench.faults.nginx import NGINX, nginx
from survey_app import create_app, error_pages
from survey_app.extensions import csrf
from survey_app.security import BASE_POLICY, inline_scripts, policy, sha256_source

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


def the_app_refuses(code: int):
    """A page where the app itself answers `code` with its own error page."""
    def view(**_kwargs):
        abort(code)
    return view


def need_nginx() -> None:
    if not os.access(NGINX, os.X_OK):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("nginx is required in CI (apt-get install nginx)", pytrace=False)
        pytest.skip("nginx is not installed")


@pytest.fixture
def proxied(tmp_path):
    """The app (PROXY_COUNT=1, with a /who page) served on loopback, nginx in front of it;
    the proxy's `app_base` is the app's own address, its `app` the app (its database, an
    SQLite file of the test's own, is not migrated)."""
    need_nginx()
    app = create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path), "PROXY_COUNT": 1,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'survey.db'}"})
    app.add_url_rule("/who", "who", csrf.exempt(who), methods=["GET", "POST"])
    app.add_url_rule("/s/dies-once/<n>", "respondent_dies", csrf.exempt(dies_once), methods=["GET", "POST"])
    app.add_url_rule("/dies-once/<n>", "staff_dies", csrf.exempt(dies_once), methods=["GET", "POST"])
    for code in (503, 413):
        app.add_url_rule(f"/s/app-answers-{code}", f"app_{code}", csrf.exempt(the_app_refuses(code)),
                         methods=["GET", "POST"])
    SEEN.clear()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with nginx(server.server_port, ready_path="/who") as proxy:
            proxy.app_base = f"http://127.0.0.1:{server.server_port}"
            proxy.app = app
            yield proxy
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def app_down():
    """nginx in front of a loopback port where nothing listens (gunicorn stopped or
    restarting): the port is held, bound but not listening, so no other server takes it."""
    need_nginx()
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        with nginx(held.getsockname()[1], ready_path="/static/govuk/survey.css") as proxy:
            yield proxy


def fetch(proxy, path: str, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None,
          source: str = "127.0.0.1", base: str | None = None) -> http.client.HTTPResponse:
    host, port = (base or proxy.base).removeprefix("http://").split(":")
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


def test_the_app_answers_under_the_request_id_nginx_logs(proxied):
    """nginx's $request_id reaches the app (whatever the client sent as its own), which
    uses it and sends it back: one id finds a request in nginx's log and the app's."""
    answer = fetch(proxied, "/who", headers={"X-Request-Id": "made-by-the-client"})
    seen = json.loads(answer.data)
    assert re.fullmatch(r"[0-9a-f]{32}", seen["request_id"])
    assert answer.headers["X-Request-Id"] == seen["request_id"]
    assert f' {seen["request_id"]}\n' in logged(proxied, ('"GET /who HTTP/1.1" 200',))


def test_the_access_log_holds_no_personal_link_nor_query(proxied):
    paths = [f"/s/{TOKENS[0]}/p/comments?next={TOKENS[1]}", f"/stop-reminders/{TOKENS[2]}", f"//s/{TOKENS[3]}/check",
             f"/%73/{TOKENS[4]}/done", f"/s/{TOKENS[0]}"]
    for path in paths:
        fetch(proxied, path, headers={"Referer": f"https://survey.example/s/{TOKENS[5]}/p/about-you"})
    log = logged(proxied, ('"GET /s/…/p/comments HTTP/1.1" 404', '"GET /stop-reminders/… HTTP/1.1" 404',
                           '"GET /s/…/check HTTP/1.1"', '"GET /s/…/done HTTP/1.1"', '"GET /s/… HTTP/1.1" 404'))
    assert [token for token in TOKENS if token in log] == []
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


def test_the_health_checks_pass_through_unlogged_and_the_metrics_never(proxied):
    """/healthz and /readyz are the app's answers, left out of the access log; /metrics,
    which the app serves to its own host, is the service's "Page not found" through nginx,
    however the address is written."""
    not_current = {"status": "unavailable", "reason": "migrations not current"}
    assert (fetch(proxied, "/readyz").status, json.loads(fetch(proxied, "/readyz").data)) == (503, not_current)
    with proxied.app.app_context():
        upgrade()
    ready = fetch(proxied, "/readyz")
    assert (ready.status, json.loads(ready.data)) == (200, {"status": "ready"})
    assert ready.getheader("Cache-Control") == "no-store" and ready.getheader("Set-Cookie") is None
    assert (fetch(proxied, "/healthz").status, json.loads(fetch(proxied, "/healthz").data)) == (200, {"status": "ok"})

    direct = fetch(proxied, "/metrics", base=proxied.app_base)
    assert direct.status == 200 and b"survey_http_request_duration_seconds" in direct.data
    for path in ("/metrics", "/metrics?name[]=survey_submissions_total", "//metrics", "/%6Detrics", "/./metrics",
                 "/metrics/"):
        hidden = fetch(proxied, path)
        assert hidden.status == 404, path
        assert b"Page not found" in hidden.data and b"# TYPE" not in hidden.data, path
    assert fetch(proxied, "/metrics", method="POST").status in (404, 405)

    log = logged(proxied, ('"GET /metrics HTTP/1.1" 404', '"POST /metrics HTTP/1.1"'))
    assert "/healthz" not in log and "/readyz" not in log and "/not-public" not in log


# --- nginx's own errors: the service's pages, in Welsh and English ---------------------------

#: what each page says, Welsh and English (the catalogue's words, as a reader sees them)
UNAVAILABLE = ("Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth", "Sorry, there is a problem with the service",
               "Rhowch gynnig arall arni yn nes ymlaen.", "Try again later.")
ANSWERS_KEPT = ("Mae eich atebion wedi'u cadw hyd at y dudalen olaf a gadwyd gennych.",
                "Your answers are kept up to the last page you saved.")
NOT_SAVED = ("Nid yw eich atebion ar y dudalen hon wedi'u cadw", "Your answers on this page were not saved",
             "Mae eich atebion blaenorol yn ddiogel.", "Your earlier answers are safe.")
TOO_BIG = ("Mae'r hyn a anfonwyd yn rhy fawr", "What was sent is too big", "Go back and send a smaller file.")
REMINDERS_NOT_STOPPED = ("Nid yw'r nodiadau atgoffa wedi'u stopio", "Reminders were not stopped")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def text(response) -> str:
    return response.data.decode("utf-8").replace("&#39;", "'")


def languages(html: str) -> dict[str, str]:
    """Each lang="..." part of the page's main content -> its text."""
    main = html.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    return {code: re.sub(r"<[^>]+>|\s+", " ", part) for code, part in
            re.findall(r'<div class="govuk-grid-column-one-half" lang="(cy|en)">(.*?)</div>', main, re.S)}


def logged(proxy, lines: tuple[str, ...]) -> str:
    """The access log once it holds every one of `lines` (nginx writes a request's line just
    after its answer has gone), waiting at most 5 s."""
    deadline = time.monotonic() + 5
    while True:
        log = proxy.access_log.read_text() if proxy.access_log.exists() else ""
        missing = [line for line in lines if line not in log]
        if not missing:
            return log
        assert time.monotonic() < deadline, f"not in the access log: {missing}"
        time.sleep(0.05)


def assert_service_page(response, status: int, says: tuple[str, ...], *, not_says: tuple[str, ...] = ()) -> str:
    """nginx answered `status` with the service's bilingual page saying `says`, with the
    app's headers: never stored, a policy like the app's, nosniff."""
    html = text(response)
    assert response.status == status, (response.status, html[:300])
    assert '<html lang="cy"' in html and "govuk-template" in html, html[:300]
    parts = languages(html)
    assert list(parts) == ["cy", "en"], "a Welsh part, then an English one"
    for words in says:
        assert words in html, words
    assert [w for w in not_says if w in html] == []
    assert "Sorry" not in parts["cy"] and "Mae'n ddrwg" not in parts["en"]
    assert "nginx" not in html
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == page_policy(html)
    return html


def page_policy(html: str) -> str:
    """The app's policy (survey_app/security.py) as it would be for this page: its own
    directives, and script-src allowing exactly the page's inline scripts by their hashes."""
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert scripts, "the GOV.UK template's inline script"
    return policy({**BASE_POLICY, "script-src": " ".join(sha256_source(s) for s in scripts), "style-src": "'self'"})


def test_nginx_answers_for_a_stopped_app_with_the_services_page_in_welsh_and_english(app_down):
    respondent = assert_service_page(fetch(app_down, "/s/some-token/p/comments"), 502, UNAVAILABLE + ANSWERS_KEPT)
    # a respondent's save while the app is down: their answers up to the last saved page are kept
    posted = fetch(app_down, "/s/some-token/p/comments", method="POST", body=b"q-comment=hello", headers=FORM)
    assert text(posted) == respondent and posted.status == 502
    assert_service_page(fetch(app_down, "/console/"), 502, UNAVAILABLE, not_says=ANSWERS_KEPT)
    assert_service_page(fetch(app_down, "/stop-reminders/some-token"), 502, UNAVAILABLE, not_says=ANSWERS_KEPT)
    assert_service_page(fetch(app_down, "/static/not-a-file.css"), 502, UNAVAILABLE)
    # its stylesheets come from disk, so they work while the app is down
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', respondent)
    assert len(links) >= 1
    for link in links:
        style = fetch(app_down, link)
        assert (style.status, style.getheader("Content-Type")) == (200, "text/css"), link
        assert style.getheader("Cache-Control") == "public, max-age=31536000, immutable", link
    # the pages are nginx's to show, never a page of their own
    assert fetch(app_down, "/static/errors/unavailable.html").status == 404
    # the access log names each request as the client sent it, not the page it was shown
    log = logged(app_down, ('"GET /s/…/p/comments HTTP/1.1" 502', '"POST /s/…/p/comments HTTP/1.1" 502',
                            '"GET /console/ HTTP/1.1" 502', '"GET /static/errors/unavailable.html HTTP/1.1" 404'))
    assert "some-token" not in log and '"GET /static/errors/respond-unavailable.html' not in log


def test_nginx_refuses_a_body_too_large_with_the_services_page_in_welsh_and_english(proxied):
    body = b"q-comment=" + b"x" * 70_000  # over the respondents' pages' 64 kB
    assert_service_page(fetch(proxied, "/s/some-token/p/comments", method="POST", body=body, headers=FORM), 413,
                        NOT_SAVED + ("Roedden nhw'n rhy hir i'w hanfon.", "They were too long to send."))
    assert_service_page(fetch(proxied, "/stop-reminders/some-token", method="POST", body=body, headers=FORM), 413,
                        REMINDERS_NOT_STOPPED + ("What was sent was too large.",))
    # over the console's 64 MB: nginx answers on the Content-Length, before any of the body
    host, port = proxied.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/console/campaigns/1/participants/upload")
    connection.putheader("Content-Type", "text/csv")
    connection.putheader("Content-Length", str(64 * 1024 * 1024 + 1))
    connection.endheaders()
    response = connection.getresponse()
    response.data = response.read()
    connection.close()
    assert_service_page(response, 413, TOO_BIG)


@pytest.mark.parametrize("code", [503, 413])
def test_the_apps_own_error_pages_pass_through_nginx_as_the_app_wrote_them(proxied, code):
    """nginx shows its pages only for its own errors: the app's 503 (the database down) and
    413 reach the client with the app's body and headers, not nginx's page."""
    path = f"/s/app-answers-{code}"
    direct = fetch(proxied, path, base=proxied.app_base)
    through = fetch(proxied, path)
    assert direct.status == through.status == code
    assert through.data == direct.data and b'lang="cy" class="govuk-template"' not in through.data
    for header in ("Content-Security-Policy", "Cache-Control", "X-Content-Type-Options"):
        assert through.getheader(header) == direct.getheader(header), header
    app = create_app({**SECRETS, "INSTANCE_PATH": "/nonexistent-not-used"})
    assert " ".join(sha256_source(s) for s in inline_scripts(app)) in through.getheader("Content-Security-Policy")


def test_the_error_pages_nginx_serves_are_the_templates_as_they_are_now(tmp_path):
    """`make assets` wrote survey_app/static/errors/ from the templates and catalogue as they
    are: a page changed since would be served stale by nginx (and by the tests above)."""
    app = create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path)})
    folder = STATIC / error_pages.FOLDER
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.html")}
    assert on_disk == error_pages.render_pages(app), "run `make assets` to write the error pages again"
    config = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    named = set(re.findall(r"/static/errors/([\w-]+\.html)", config))
    assert named == set(error_pages.PAGES), "deploy/nginx.conf shows every page, and only those"


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_error_pages_in_chromium_obey_their_policy_and_pass_axe(app_down, browser, check_axe):
    """Chromium shows nginx's pages styled, with no script or style refused by their policy
    (the GOV.UK template's inline script, allowed by its hash, runs), and axe-core finds
    nothing; the too-large page as a browser reaches it, by sending an over-long form."""
    context = browser.new_context(locale="en-GB")
    problems: list[str] = []
    context.expose_function("cspViolation", lambda violation: problems.append(violation))
    context.add_init_script('document.addEventListener("securitypolicyviolation", e => '
                            'window.cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));')
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "status of 5" not in m.text
            and "status of 413" not in m.text else None)
    try:
        for path in ("/s/some-token/p/comments", "/console/"):
            response = page.goto(app_down.base + path)
            assert response.status == 502, path
            assert page.locator("main [lang=cy] h1").inner_text() == UNAVAILABLE[0]
            assert page.locator("main [lang=en] h1").inner_text() == UNAVAILABLE[1]
            assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontWeight") == "700"  # styled
            assert page.evaluate("document.body.classList.contains('js-enabled')"), "the inline script ran"
            check_axe(page, path)
        # a respondent's page with a comment over 64 kB, sent as the browser sends a form
        with page.expect_navigation() as sent:
            page.evaluate("""action => {
                const form = document.createElement("form");
                form.method = "post"; form.action = action;
                const box = document.createElement("textarea");
                box.name = "q-comment"; box.value = "x".repeat(70000);
                form.append(box); document.body.append(form); form.submit();
            }""", "/s/some-token/p/comments")
        assert sent.value.status == 413
        assert page.locator("main [lang=en] h1").inner_text() == NOT_SAVED[1]
        check_axe(page, "the too-large page")
        page.wait_for_timeout(50)  # violation events are queued
        assert problems == []
    finally:
        context.close()
