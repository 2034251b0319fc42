"""Pooled database connections: checked before use when they have been idle
(extensions.ping_when_idle), and a respondent's page GET, which reads outside a
transaction, gives its connection back in the usual mode."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from tests.clients import FreshContextClient

from tests.helpers import PG_ADMIN_URL, TEST_CONFIG
from survey_app import create_app
from tests.factories import make_campaign, make_participant
from survey_app.extensions import db, ping_when_idle
from survey_app.links import make_token
from survey_app.models import Participant


def _engine(app, idle_seconds: float) -> sa.engine.Engine:
    engine = sa.create_engine(db.engine.url, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds)
    return engine


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _kill(pid: int) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()
    time.sleep(0.1)  # the backend exits


@pytest.mark.postgres_only
def test_an_idle_connection_that_died_is_replaced_before_use(pg_app):
    engine = _engine(pg_app, idle_seconds=0.2)
    first = _backend_pid(engine)
    _kill(first)
    time.sleep(0.3)
    assert _backend_pid(engine) != first  # pinged, found dead, replaced: no error
    engine.dispose()


@pytest.mark.postgres_only
def test_a_connection_given_back_moments_ago_is_used_unpinged_and_one_failure_clears_the_pool(pg_app):
    engine = _engine(pg_app, idle_seconds=60)
    first = _backend_pid(engine)
    _kill(first)
    with pytest.raises(sa.exc.OperationalError) as failed:
        _backend_pid(engine)
    assert failed.value.connection_invalidated
    assert _backend_pid(engine) != first  # the next request gets a new connection
    engine.dispose()


def test_a_page_get_gives_its_connection_back_in_a_transaction_mode(app):
    participant = make_participant(make_campaign(), language="en")
    db.session.commit()
    token = make_token(participant.id, app.config["SECRET_KEY"])
    # the same database through an app with one pooled connection, so every request and
    # the check below use the same one
    single = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": str(db.engine.url.render_as_string(False)),
                         "INSTANCE_PATH": app.instance_path,
                         "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0}})
    client = single.test_client()
    assert client.get(f"/s/{token}/p/about-you").status_code == 200
    assert client.get(f"/s/{token}").status_code == 200
    with single.app_context():
        # a change rolled back is gone: the connection is not left in autocommit
        db.session.execute(sa.update(Participant).where(Participant.id == participant.id).values(language="cy"))
        db.session.rollback()
        assert db.session.scalar(sa.select(Participant.language).where(Participant.id == participant.id)) == "en"
        db.session.remove()
        db.engine.dispose()


# -- a request whose connection dies (survey_app/lost_connections.py) ---------------------

def _csrf(html: str) -> str:
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _staff_client(app):
    from flask import current_app

    from survey_app.auth.operations import create_user

    create_user(email="improve@example.org", password="correct horse battery staple", role="improve",
                organisation=None, hash_key=current_app.config["EMAIL_HASH_KEY"])
    db.session.commit()
    client = FreshContextClient(app, app.response_class, use_cookies=True)
    signed_in = client.post("/sign-in", data={"email": "improve@example.org", "password": "correct horse battery staple",
                                              "csrf_token": _csrf(client.get("/sign-in").get_data(as_text=True))})
    assert signed_in.status_code == 302
    return client


@pytest.mark.postgres_only
def test_a_staff_page_whose_connection_dies_is_served_or_is_a_503_page(pg_app):
    from tests.db_faults import kill_before

    make_campaign()
    client = _staff_client(pg_app)
    with kill_before(db.engine) as killer:
        page = client.get("/console/")
    assert killer.killed == 1 and page.status_code == 200  # run again on a fresh connection
    assert "Test Council" in page.get_data(as_text=True)
    with kill_before(db.engine, times=2) as killer:
        page = client.get("/console/")
    assert killer.killed == 2 and page.status_code == 503
    html = page.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in html and "Try again later." in html
    assert 'class="govuk-template"' in html and "govuk-footer" in html  # the service's own page, not a bare error


@pytest.mark.postgres_only
def test_a_staff_post_whose_connection_dies_is_not_run_twice(pg_app):
    from survey_app.models import Organisation
    from tests.db_faults import kill_before

    client = _staff_client(pg_app)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    form = {"csrf_token": _csrf(client.get("/console/organisations/new").get_data(as_text=True)), "name": "New Council", "type_letter": "E", "number": "42",
            "language_policy": "default"}
    with kill_before(db.engine, r"^INSERT INTO organisation\b") as killer:
        page = client.post("/console/organisations/new", data=form)
    assert killer.killed == 1 and page.status_code == 503
    assert sum(s.startswith("INSERT INTO organisation") for s in killer.statements) == 1  # once only
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == before
    assert client.post("/console/organisations/new", data=form).status_code == 302  # trying again works


def test_a_database_that_cannot_be_reached_is_a_503_page(app, tmp_path):

    participant = make_participant(make_campaign(), language="cy")
    db.session.commit()
    token = make_token(participant.id, app.config["SECRET_KEY"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        nowhere = f"sqlite:///{tmp_path}/no-such-folder/survey.db"
    else:  # a port on loopback that nothing listens on
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{port}/survey?connect_timeout=2"
    down = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": nowhere, "INSTANCE_PATH": app.instance_path})
    client = FreshContextClient(down, down.response_class)
    page = client.get(f"/s/{token}", headers={"Accept-Language": "cy"})
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert '<html lang="cy"' in html and "Mae eich atebion wedi'u cadw hyd at y dudalen olaf" in html
    assert client.get("/readyz").status_code == 503 and client.get("/healthz").status_code == 200
    with down.app_context():
        db.engine.dispose()


def test_no_connection_free_in_time_is_a_503_page(app):
    participant = make_participant(make_campaign(), language="en")
    db.session.commit()
    token = make_token(participant.id, app.config["SECRET_KEY"])
    busy = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": str(db.engine.url.render_as_string(False)),
                       "INSTANCE_PATH": app.instance_path,
                       "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}})
    client = FreshContextClient(busy, busy.response_class)
    with busy.app_context():
        with db.engine.connect():  # the pool's only connection, held elsewhere
            page = client.get(f"/s/{token}")
        assert page.status_code == 503
        assert "Your answers are kept up to the last page you saved." in page.get_data(as_text=True)
        assert client.get(f"/s/{token}").status_code == 200  # free again
        db.engine.dispose()
