"""Fixtures shared by every test.

Database tests run against SQLite and PostgreSQL (the `app` fixture is parametrised),
each xdist worker with databases of its own, migrated once per session. Tests commit for
real (the CLI, live servers and concurrent workers all see the same data) and every
table is emptied after each test.

In CI (CI=true) a missing PostgreSQL, Chromium or LibreOffice is an error, never a skip.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
import hashlib
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.clients import FreshContextClient
from tests.helpers import PG_ADMIN_URL, TEST_CONFIG, create_database, empty_tables, load_axe

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LIBREOFFICE = os.environ.get("LIBREOFFICE_PATH") or shutil.which("libreoffice") or shutil.which("soffice")


def missing_service(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (required in CI)", pytrace=False)
    pytest.skip(message)


def worker_id(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def postgres_url(request) -> str:
    # one database per checkout and worker, so parallel checkouts never share one
    checkout = hashlib.sha1(str(Path(__file__).resolve().parent).encode()).hexdigest()[:8]
    name = f"survey_test_{checkout}_{worker_id(request)}"
    try:
        return create_database(name)
    except sa.exc.OperationalError as exc:
        missing_service(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc.orig}")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def _apps(request, tmp_path_factory):
    """One migrated app per backend per worker, built on first use."""
    built: dict = {}

    def get(backend: str):
        if backend not in built:
            from flask_migrate import upgrade

            from survey_app import create_app

            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
            else:
                url = postgres_url(request)
            instance = tmp_path_factory.mktemp("instance")
            app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(instance)})
            with app.app_context():
                upgrade()
            built[backend] = app
        return built[backend]

    yield get
    from survey_app.extensions import db

    for app in built.values():
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(_apps, backend):
    """The app for this backend, in an app context; every table emptied afterwards."""
    from survey_app.extensions import db

    app = _apps(backend)
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def pg_app(_apps):
    """PostgreSQL only, for row locks and true concurrency."""
    from survey_app.extensions import db

    app = _apps("postgresql")
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        missing_service(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def libreoffice_path() -> str:
    """Debian's LibreOffice, for reading exported spreadsheets back as a user would."""
    if not LIBREOFFICE or not Path(LIBREOFFICE).exists():
        missing_service("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return LIBREOFFICE


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture
def make_response(app):
    """make_response(campaign, {"item_id": "value", ...}, participant=None, ...): a stored
    response. Submitted (the default): straight into the submitted store, as a release
    would put it, with the participant's list values copied and the participant marked
    submitted (a web response given without a participant gets one of its own, as the
    journey would have). status="partial": a partial response found by the participant's
    locator."""
    from survey_app.extensions import db
    from survey_app.links import response_locator
    from survey_app.models import Answer, Response, SubmittedAnswer, SubmittedResponse
    from survey_app.submissions import uk_day
    from tests.factories import make_participant

    def make(campaign, answers, *, participant=None, status="submitted", language="en", device_class=None,
             submitted_at=None, source="web", public_id=None):
        now = datetime.now(timezone.utc)
        if status == "partial":
            response = Response(
                campaign_id=campaign.id, locator=response_locator(participant.id, app.config["SECRET_KEY"]),
                language=language, device_class=device_class, started_at=now - timedelta(minutes=10),
                answers=[Answer(item_id=k, value=v) for k, v in answers.items()])
        else:
            response = SubmittedResponse(
                campaign_id=campaign.id, language=language, device_class=device_class, source=source,
                submitted_on=uk_day(submitted_at or now),
                attributes=dict(participant.attributes or {}) if participant is not None else {},
                answers=[SubmittedAnswer(item_id=k, value=v) for k, v in answers.items()])
            if public_id:
                response.public_id = public_id
            if participant is None and source == "web":
                # someone answered online, so someone was invited: a participant of their own,
                # marked submitted, as the journey leaves them (the rate counts people)
                participant = make_participant(campaign)
            if participant is not None:
                participant.submitted = True
        db.session.add(response)
        db.session.commit()
        return response

    return make


# -- a real server, for browsers and concurrent requests --------------------------------

@pytest.fixture
def live_server(app):
    """The app served by a threaded werkzeug server on 127.0.0.1 (a free port), against
    the same test database; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# -- Chromium, shared by every browser test (one per worker) ------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_path(repo_root):
    path = repo_root / "node_modules" / "axe-core" / "axe.min.js"
    assert path.exists(), "axe-core is missing: run `npm ci`"
    return str(path)



@pytest.fixture
def check_axe(axe_path):
    """check_axe(page, what): no WCAG 2.2 A/AA violation on the page as it is now."""

    def check(page, what: str) -> None:
        load_axe(page, axe_path)
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})")
        problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"]]
        assert problems == [], f"axe-core on {what}: {problems}"
        assert result["passes"], f"axe-core ran no rule on {what}"

    return check
