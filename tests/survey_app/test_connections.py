"""Pooled database connections: checked before use when they have been idle
(extensions.ping_when_idle), and a respondent's page GET, which reads outside a
transaction, gives its connection back in the usual mode."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

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
