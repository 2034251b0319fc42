"""Issue 14 row 6: every GET route sends the security headers (HSTS only in production),
the policy is strict, and static files are versioned and cached for a year only when
versioned. What the policy does in a browser: test_csp_browser.py."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from email.message import EmailMessage

import pytest

from survey_app import create_app, security, static_files
from survey_app.auth.operations import create_user
from survey_app.dashboard.charts import Bar, diverging_bars, responses_over_time, score_bars
from survey_app.extensions import db
from survey_app.links import STOP_REMINDERS_SALT, make_token
from survey_app.peers.operations import create_group
from tests.helpers import TEST_CONFIG
from tests.factories import make_campaign, make_org, make_participant

PASSWORD = "correct horse battery staple"
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "X-Content-Type-Options": "nosniff", "X-Robots-Tag": "noindex, nofollow"}
HSTS = "max-age=31536000; includeSubDomains"
EMAIL_HTML = ('<!DOCTYPE html><html lang="en"><head><title>Hello</title><style>p { margin: 0; }</style></head>'
              '<body style="margin: 0; font-family: Arial &amp; sans-serif"><p style="color: #1d70b8;">Hi</p>'
              '<a href="/" style="color: #1d70b8;">Go</a></body></html>')


@pytest.fixture
def backend():
    return "sqlite"  # headers do not depend on the database


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict(policy: str, where: str) -> None:
    found = directives(policy)
    assert found.get("default-src") in (["'self'"], ["'none'"]), where
    assert found.get("object-src") == ["'none'"], where
    assert found.get("base-uri") == ["'none'"], where
    assert found.get("frame-ancestors") == ["'none'"], where
    assert found.get("form-action") == ["'self'"], where
    for name, values in found.items():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, (where, name)
        assert "*" not in values and "http:" not in values and "https:" not in values, (where, name)


def sign_in(client, email: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    assert answer.status_code == 302, answer.status_code


@pytest.fixture
def samples(app, make_response, tmp_path, monkeypatch):
    """A value for every argument of every route, and an Improve user to sign in as."""
    org = make_org(name="Council A")
    campaign = make_campaign(org)
    person, other = make_participant(campaign), make_participant(campaign)
    for i in range(3):  # enough responses for charts and figures on the results page
        make_response(campaign, {"device": "laptop", "overall": str(4 + i), "sat_S1": "5", "imp_S1": "6",
                                 "comments": "Fine."}, participant=make_participant(campaign))
    create_user(email="improve@example.org", password=PASSWORD, role="improve", organisation=None,
                hash_key=app.config["EMAIL_HASH_KEY"])
    group = create_group("Sample peers", [campaign.code])
    db.session.commit()
    mail = EmailMessage()
    mail["Subject"] = "Hello"
    mail.set_content("Hello")
    mail.add_alternative(EMAIL_HTML, subtype="html")
    (tmp_path / "20300304-090000-00001.eml").write_bytes(mail.as_bytes())
    monkeypatch.setitem(app.config, "MAIL_CATCHER_DIR", str(tmp_path))
    secret = app.config["SECRET_KEY"]
    values = {"organisation_id": org.id, "campaign_id": campaign.id, "file_format": "csv",
              "token": make_token(person.id, secret), "page_id": "about-you", "filename": "govuk/survey.css",
              "name": "20300304-090000-00001.eml", "group_id": group.id, "function_id": "vision_leadership"}
    by_endpoint = {"reminders.confirm": {"token": make_token(other.id, secret, STOP_REMINDERS_SALT)}}
    return values, by_endpoint


#: a respondent's pages, visited as a respondent (not signed in as staff)
RESPONDENT = ("/s/", "/stop-reminders/")


def every_get(app, client, samples) -> dict[str, object]:
    """Each GET route (its rule) -> the response to it, signed in as the Improve team (a
    respondent's pages with a client of their own)."""
    values, by_endpoint = samples
    respondent = app.test_client()
    sign_in(client, "improve@example.org")
    adapter = app.url_map.bind("localhost")
    responses = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        missing = [a for a in rule.arguments if a not in values]
        assert not missing, f"no sample value for {missing} of {rule.rule}: add one to samples()"
        args = {a: values[a] for a in rule.arguments} | by_endpoint.get(rule.endpoint, {})
        url = adapter.build(rule.endpoint, args, method="GET")
        response = (respondent if rule.rule.startswith(RESPONDENT) else client).get(url)
        response.close()  # a static file is an open file
        responses[rule.rule] = response
    return responses


def test_every_get_route_sends_every_header_and_no_hsts_outside_production(app, client, samples):
    assert app.config["ENV"] == "development"
    responses = every_get(app, client, samples)
    assert len(responses) >= 20 and "/dev/mail/<name>/html" in responses
    assert responses["/console/"].status_code == 200  # really signed in
    for rule, response in responses.items():
        assert response.status_code < 500, rule
        for name, value in HEADERS.items():
            if not (rule.startswith("/static/") and name == "Cache-Control"):
                assert response.headers.get(name) == value, (rule, name, response.headers.get(name))
        assert_strict(response.headers["Content-Security-Policy"], rule)
        assert "Strict-Transport-Security" not in response.headers, rule
    assert responses["/static/<path:filename>"].headers["Cache-Control"] == static_files.UNVERSIONED


def test_every_get_route_sends_hsts_in_production(app, samples):
    production = create_app({**TEST_CONFIG, "ENV": "production", "INSTANCE_PATH": app.instance_path,
                             "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        production.test_client_class = type(app.test_client())
        client = production.test_client()
        responses = every_get(production, client, samples)
        assert not [rule for rule in responses if rule.startswith("/dev/")]
        for rule, response in responses.items():
            assert response.headers.get("Strict-Transport-Security") == HSTS, rule
            assert response.headers["X-Frame-Options"] == "DENY", rule
            assert_strict(response.headers["Content-Security-Policy"], rule)
        # an error page and a POST's answer too
        assert client.get("/no-such-page").headers["Strict-Transport-Security"] == HSTS
        assert client.post("/sign-in", data={}).headers["Strict-Transport-Security"] == HSTS
    finally:
        with production.app_context():
            db.engine.dispose()


def test_error_pages_and_posts_send_the_headers(app, client, samples):
    for response in (client.get("/no-such-page"), client.get("/s/not-a-token"),
                     client.post("/sign-in", data={}), client.post("/s/not-a-token/check", data={})):
        assert response.status_code in (400, 404), response.status_code
        assert {name: response.headers.get(name) for name in HEADERS} == HEADERS
        assert_strict(response.headers["Content-Security-Policy"], response.request.path)


def test_the_policy_allows_the_templates_inline_scripts_by_their_hashes(app):
    policy = directives(security.content_security_policy(app))
    assert policy["style-src"] == ["'self'"]
    hashes = [v for v in policy["script-src"] if v.startswith("'sha256-")]
    # the GOV.UK template's js-enabled line and the error summary's focus line, read from the templates
    env = app.jinja_env
    govuk = env.loader.get_source(env, "govuk_frontend_jinja/template.html")[0]
    js_enabled = re.search(r"<script[^>]*>(document\.body\.className[^<]*)</script>", govuk).group(1)
    page = env.loader.get_source(env, "respond/page.html")[0]
    focus = re.search(r"<script>([^<]*)</script>", page).group(1)
    assert sorted(hashes) == sorted({security.sha256_source(js_enabled), security.sha256_source(focus)})
    # and they are what the pages really carry
    assert js_enabled in app.test_client().get("/sign-in").get_data(as_text=True)


def test_an_inline_script_that_cannot_be_hashed_stops_start_up(app, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "bad.html").write_text("<p>x</p><script>var who = '{{ name }}';</script>", encoding="utf-8")
    bad = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path)})
    from jinja2 import ChoiceLoader, FileSystemLoader

    bad.jinja_loader = ChoiceLoader([bad.jinja_loader, FileSystemLoader(str(folder))])
    with pytest.raises(RuntimeError, match="bad.html: an inline script must be one line of plain JavaScript"):
        security.content_security_policy(bad)


def test_the_mail_viewer_allows_only_the_styles_of_the_message(app, client, samples):
    policy = client.get("/dev/mail/20300304-090000-00001.eml/html").headers["Content-Security-Policy"]
    assert policy.startswith("sandbox; ")
    styles = directives(policy)["style-src"]
    assert styles[0] == "'unsafe-hashes'"
    # each distinct style attribute (entities decoded, as the browser hashes it) and the <style> element
    expected = {security.sha256_source(s) for s in
                ("margin: 0; font-family: Arial & sans-serif", "color: #1d70b8;", "p { margin: 0; }")}
    assert set(styles[1:]) == expected
    assert "script-src" not in directives(policy)  # default-src 'none': no script at all


def test_charts_carry_no_inline_style():
    curve = responses_over_time([date(2026, 3, 1), date(2026, 3, 2)], [1, 3], date(2026, 3, 28), chart_id="c",
                                title="Responses", desc="Responses", locale="en")
    label = 'Wi-Fi "style" <b>'
    bars = score_bars([Bar(label, 5.5, "5.50", 5.0, 4.0, 6.0), Bar("Laptops", None, "–")], chart_id="b",
                      title="Factors", desc="Factors", locale="en")
    gaps = diverging_bars([Bar("Downtime", -1.2, "-1.20")], chart_id="g", title="Gaps", desc="Gaps", locale="en")
    for svg in (curve, bars, gaps):
        assert "<style" not in svg and not re.search(r"<[^>]*\sstyle=", svg)
        assert 'fill="#1d70b8"' in svg or 'fill="#d4351c"' in svg  # colours as attributes
        assert re.match(r'<svg [^>]*role="img" [^>]*font-family="Arial, sans-serif"', svg)
    assert "Wi-Fi &quot;style&quot; &lt;b&gt;" in bars  # a label's text is escaped, never markup


def fetch(client, url: str, **kwargs):
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()  # a static file is an open file
    return response


def test_static_files_are_versioned_and_cached_for_a_year_only_when_versioned(app, client, repo_root):
    css = repo_root / "survey_app" / "static" / "govuk" / "survey.css"
    assert css.exists(), "run `make assets`"
    version = hashlib.sha256(css.read_bytes()).hexdigest()[:static_files.VERSION_LENGTH]
    page = client.get("/sign-in").get_data(as_text=True)
    assert f'href="/static/govuk/survey.css?v={version}"' in page
    assert re.search(r'href="/static/govuk/admin.css\?v=[0-9a-f]{10}"', page)
    versioned = fetch(client, f"/static/govuk/survey.css?v={version}")
    assert versioned.status_code == 200 and versioned.data == css.read_bytes()
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Expires" not in versioned.headers
    assert versioned.headers["X-Content-Type-Options"] == "nosniff"
    for url in ("/static/govuk/survey.css", "/static/govuk/survey.css?v=0123456789"):  # none, or an old build
        assert fetch(client, url).headers["Cache-Control"] == "public, max-age=300", url
    assert fetch(client, f"/static/no-such-file.css?v={version}").headers["Cache-Control"] == "no-store"
    revalidated = fetch(client, f"/static/govuk/survey.css?v={version}",
                        headers={"If-None-Match": versioned.headers["ETag"]})
    assert revalidated.status_code == 304
    assert revalidated.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_static_versions_are_every_file_under_static(repo_root):
    found = static_files.versions(repo_root / "survey_app" / "static")
    assert {"dashboard.js", "govuk/survey.css", "govuk/admin.css"} <= set(found)
    assert not [name for name in found if name.rsplit("/", 1)[-1].startswith(".")]
    js = (repo_root / "survey_app" / "static" / "dashboard.js").read_bytes()
    assert found["dashboard.js"] == hashlib.sha256(js).hexdigest()[:10]
