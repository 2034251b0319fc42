"""Health, readiness and the app's Prometheus metrics (issue 18): /healthz never touches the
database; /readyz follows the database going away and coming back, and a schema a
migration behind; /metrics after a respondent's journey and a staff page counts them by
kind of page, never with a token in it, and reads the outbox at scrape time; under
gunicorn with two workers it adds up both workers' counts."""
from __future__ import annotations

import re
import shutil
import socket
import tempfile
from datetime import timedelta
from pathlib import Path

import psutil
import requests
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from bench.servers import gunicorn
from mailer.settings import MailerSettings
from survey_app import MIGRATIONS, create_app
from survey_app.auth.operations import create_user
from survey_app.extensions import db
from survey_app.links import make_token
from survey_app.models import OutboxMessage
from survey_app.models.types import utcnow
from tests.clients import FreshContextClient
from tests.factories import make_campaign, make_participant
from tests.helpers import PG_ADMIN_URL, STAFF_PASSWORD, TEST_CONFIG, metric_names, sample, scraped, scratch_database
from tests.respond.helpers import Respondent, answer_all, form_fields, submit

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = "survey_http_request_duration_seconds_count"
#: the headers survey_app/security.py sends on every response
HARDENING = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
             "Referrer-Policy": "no-referrer"}


def app_on(url: str, tmp_path):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})


def answer(client, path: str):
    """(status, JSON) of a health page, which sets no cookie and sends the hardening headers."""
    response = client.get(path)
    assert "Set-Cookie" not in response.headers, path
    for header, value in HARDENING.items():
        assert response.headers.get(header) == value, (path, header)
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    return response.status_code, response.json


def unreachable_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/no-such-folder/survey.db"
    with socket.socket() as held:  # a loopback port nothing listens on
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/survey?connect_timeout=2"


# --- /healthz and /readyz ---------------------------------------------------------------

def test_ready_when_the_database_answers_and_is_migrated(client):
    assert answer(client, "/readyz") == (200, {"status": "ready"})
    assert answer(client, "/healthz") == (200, {"status": "ok"})
    # the language switch on them changes nothing either (no session is written)
    assert answer(client, "/readyz?lang=cy") == (200, {"status": "ready"})
    assert client.post("/readyz").status_code == 405


def test_alive_but_not_ready_without_a_database(backend, tmp_path):
    down = app_on(unreachable_url(backend, tmp_path), tmp_path)
    client = FreshContextClient(down, down.response_class)
    assert answer(client, "/healthz") == (200, {"status": "ok"})
    assert answer(client, "/readyz") == (503, {"status": "unavailable", "reason": "database unreachable"})
    with down.app_context():
        db.engine.dispose()


def test_readiness_follows_the_database_going_away_and_coming_back(request, tmp_path):
    """PostgreSQL refusing connections to the database (ALLOW_CONNECTIONS false, and every
    connection to it ended, the app's pooled one included), then allowing them again."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def allow(name: str, allowed: bool) -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
            if not allowed:
                connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                           "WHERE datname = :name"), {"name": name})

    with scratch_database("postgresql", request, tmp_path, "survey_ready") as url:
        name = url.rsplit("/", 1)[1]
        app = app_on(url, tmp_path)
        client = FreshContextClient(app, app.response_class)
        try:
            with app.app_context():
                upgrade()
            assert answer(client, "/readyz") == (200, {"status": "ready"})
            allow(name, False)
            gone = {"status": "unavailable", "reason": "database unreachable"}
            assert answer(client, "/readyz") == (503, gone)  # its pooled connection was ended
            assert answer(client, "/readyz") == (503, gone)  # and no new one is allowed
            assert answer(client, "/healthz") == (200, {"status": "ok"})
            allow(name, True)
            assert answer(client, "/readyz") == (200, {"status": "ready"})
        finally:
            allow(name, True)
            with app.app_context():
                db.engine.dispose()
            admin.dispose()


def test_a_database_a_migration_behind_is_not_ready(backend, request, tmp_path):
    (head,) = ScriptDirectory(MIGRATIONS).get_heads()
    behind = ScriptDirectory(MIGRATIONS).get_revision(head).down_revision
    not_current = (503, {"status": "unavailable", "reason": "migrations not current"})
    with scratch_database(backend, request, tmp_path, "survey_behind") as url:
        app = app_on(url, tmp_path)
        client = FreshContextClient(app, app.response_class)
        with app.app_context():
            assert answer(client, "/readyz") == not_current  # never migrated: no alembic_version
            upgrade(revision=behind)
            assert answer(client, "/readyz") == not_current
            upgrade()
            assert answer(client, "/readyz") == (200, {"status": "ready"})
            db.engine.dispose()


def test_a_database_a_later_release_has_expanded_is_ready(backend, request, tmp_path):
    """While the next release's expand step has run and this release still serves (a
    rolling upgrade), the database stands at a revision these scripts do not know: ready.
    Two heads are not."""
    with scratch_database(backend, request, tmp_path, "survey_ahead") as url:
        app = app_on(url, tmp_path)
        client = FreshContextClient(app, app.response_class)
        with app.app_context():
            upgrade()
            db.session.execute(sa.text("UPDATE alembic_version SET version_num = '9999_later_expand'"))
            db.session.commit()
            assert answer(client, "/readyz") == (200, {"status": "ready"})
            (head,) = ScriptDirectory(MIGRATIONS).get_heads()
            db.session.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
            db.session.commit()
            assert answer(client, "/readyz") == (503, {"status": "unavailable", "reason": "migrations not current"})
            db.engine.dispose()


# --- the app's /metrics -------------------------------------------------------------------

def add_outbox(campaign) -> None:
    """A reminder due 20 minutes ago and not sent, a failed invitation, an invitation being
    sent (its lease not over: not due), and a sent one (history: not reported)."""
    now = utcnow()
    people = [make_participant(campaign) for _ in range(3)]
    rows = [(people[0], "reminder_7", "pending", now - timedelta(minutes=20)),
            (people[0], "invitation", "failed", now - timedelta(days=1)),
            (people[1], "invitation", "sending", now + timedelta(minutes=5)),
            (people[2], "invitation", "sent", now - timedelta(days=1))]
    for person, kind, status, next_attempt in rows:
        db.session.add(OutboxMessage(campaign_id=campaign.id, participant_id=person.id, kind=kind, language="en",
                                     due_at=now - timedelta(days=1), status=status, next_attempt_at=next_attempt))
    db.session.commit()


def scrape(client) -> str:
    page = client.get("/metrics")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert page.headers["Cache-Control"] == "no-store"
    return page.get_data(as_text=True)


def test_the_apps_metrics_after_a_respondent_journey_and_a_staff_page(app, client):
    campaign = make_campaign()
    person = make_participant(campaign, email="metrics.person@example.org")
    respondent = Respondent(campaign, person, make_token(person.id, app.config["SECRET_KEY"]))
    add_outbox(campaign)
    before = scraped(scrape(client))

    assert client.get(respondent.url).status_code == 200
    answer_all(client, respondent)
    assert submit(client, respondent).status_code == 302
    create_user(email="metrics.staff@example.org", password=STAFF_PASSWORD, role="improve", organisation=None,
                hash_key=app.config["EMAIL_HASH_KEY"])
    db.session.commit()
    sign_in = client.get("/sign-in")
    assert sign_in.status_code == 200
    signed_in = client.post("/sign-in", data={"email": "metrics.staff@example.org", "password": STAFF_PASSWORD,
                                              "csrf_token": form_fields(sign_in.get_data(as_text=True))["csrf_token"]})
    assert signed_in.status_code == 302
    assert client.get(f"/campaigns/{campaign.id}/rate.json").status_code == 200
    with client.get("/static/govuk/survey.css") as style:  # a file: closed once read
        assert style.status_code == 200
    assert client.get("/no-such-page").status_code == 404
    text = scrape(client)
    after = scraped(text)

    def grew(**labels) -> float:
        return sample(after, REQUESTS, **labels) - sample(before, REQUESTS, **labels)

    # the start page and five question pages and the check page; five saves and the submit
    assert grew(kind="respondent", method="GET", status="2xx") == 7
    assert grew(kind="respondent", method="POST", status="3xx") == 6
    assert grew(kind="staff", method="GET", status="2xx") == 1
    assert grew(kind="staff", method="POST", status="3xx") == 1
    assert grew(kind="json", method="GET", status="2xx") == 1
    assert grew(kind="static", method="GET", status="2xx") == 1
    assert grew(kind="other", method="GET", status="4xx") == 1
    assert grew(kind="health", method="GET", status="2xx") == 1  # the first scrape
    timed = [key for key in after if key[0] == "survey_http_request_duration_seconds_sum"]
    assert timed and all(after[key] > 0 for key in timed)
    assert sample(after, "survey_submissions_total", kind="response") - \
        sample(before, "survey_submissions_total", kind="response") == 1

    # the outbox, read at the scrape: in flight and failed, by kind of message
    assert sample(after, "survey_outbox_messages", kind="reminder", status="pending") == 1
    assert sample(after, "survey_outbox_messages", kind="invitation", status="failed") == 1
    assert sample(after, "survey_outbox_messages", kind="invitation", status="sending") == 1
    assert ("survey_outbox_messages", frozenset({("kind", "invitation"), ("status", "pending")})) in after
    assert not any(labels and ("status", "sent") in labels for _name, labels in after)
    assert 20 * 60 <= sample(after, "survey_outbox_oldest_due_age_seconds") < 21 * 60
    window_open = MailerSettings.from_config(app.config).window.contains(utcnow())
    assert sample(after, "survey_mail_send_window_open") == (1 if window_open else 0)
    # the mailer's own metrics are declared here too (the scheduler's port has their values)
    assert {"survey_mail_sent_total", "survey_mail_send_failures_total",
            "survey_scheduler_job_last_success_timestamp_seconds"} <= metric_names(text)

    # labels name kinds of page, never a path: no token, no address, no answer
    assert respondent.token not in text and "/s/" not in text
    assert "metrics.person" not in text and "metrics.staff" not in text and "example.org" not in text and "Faster laptops" not in text
    assert set(re.findall(r'kind="([^"]*)"', text)) <= {"respondent", "staff", "json", "static", "health",
                                                         "other", "invitation", "reminder", "final_reminder",
                                                         "response", "return"}


def test_with_no_outbox_the_oldest_due_message_is_zero_seconds_old(client):
    assert sample(scraped(scrape(client)), "survey_outbox_oldest_due_age_seconds") == 0


def test_the_metrics_page_ignores_query_strings_and_takes_only_get(client):
    filtered = client.get("/metrics?name[]=survey_submissions_total&lang=cy")
    assert filtered.status_code == 200 and "Set-Cookie" not in filtered.headers
    assert "survey_http_request_duration_seconds_count" in filtered.get_data(as_text=True)  # nothing filtered
    assert client.post("/metrics").status_code == 405
    assert client.put("/metrics").status_code == 405
    # a request a proxy passed on is not answered, whatever the proxy's configuration
    passed_on = client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"})
    assert passed_on.status_code == 404 and "survey_" not in passed_on.get_data(as_text=True)


def test_a_database_down_leaves_the_outbox_out_of_the_scrape(backend, tmp_path):
    down = app_on(unreachable_url(backend, tmp_path), tmp_path)
    client = FreshContextClient(down, down.response_class)
    text = scrape(client)
    assert "survey_http_request_duration_seconds" in text and "survey_outbox_messages" not in text
    with down.app_context():
        db.engine.dispose()


# --- gunicorn's workers, added up ---------------------------------------------------------

def worker_files(directory: Path) -> set[int]:
    """The process ids prometheus_client's files in `directory` are named after."""
    return {int(pid) for path in directory.iterdir() for pid in re.findall(r"_(\d+)\.db$", path.name)}


def test_gunicorn_workers_counts_are_added_up(tmp_path):
    """deploy/gunicorn.conf.py with two workers and PROMETHEUS_MULTIPROC_DIR unset: it makes
    a directory of its own, each worker counts there, and every scrape (whichever worker
    answers it) has every request of both."""
    url = f"sqlite:///{tmp_path / 'survey.db'}"
    with app_on(url, tmp_path).app_context():
        upgrade()
        db.engine.dispose()
    env = {"DATABASE_URL": url, "SURVEY_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
           "EMAIL_HASH_KEY": TEST_CONFIG["EMAIL_HASH_KEY"]}
    with gunicorn("wsgi:app", env, workers=2, threads=1, ready_path="/healthz", production_config=True) as base:
        workers = {child.pid for child in psutil.Process(base.pid).children()}
        assert len(workers) == 2
        # the directory gunicorn.conf.py made: the one its workers write in
        (directory,) = [path for path in Path(tempfile.gettempdir()).glob("survey-metrics-*")
                        if workers <= worker_files(path)]
        try:
            for _ in range(60):  # a new connection each: both workers take some
                assert requests.get(base + "/healthz", headers={"Connection": "close"}, timeout=5).status_code == 200
            for _ in range(6):  # whichever worker answers, it counts both workers' requests
                text = requests.get(base + "/metrics", headers={"Connection": "close"}, timeout=5).text
                assert sample(scraped(text), REQUESTS, kind="health", method="GET", status="2xx") >= 61
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
    assert not directory.exists(), "gunicorn removes the directory it made when it stops"
