"""The product as the benchmarks run it: a fresh PostgreSQL database migrated by
`flask db upgrade`, the production configuration, and gunicorn (bench/servers.py).

Everything here goes through the product's own code (create_app, the console and
participant operations); only bench/dataset.py writes rows directly, with COPY, to build
very large sets quickly.
"""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from .common import PG_ADMIN_URL, ROOT, fresh_database

SECRET_KEY = "bench-secret-key-0123456789abcdef0123456789abcdef"
EMAIL_HASH_KEY = "bench-email-hash-key-0123456789abcdef0123456789"
PASSWORD = "bench password 0123456789"
IMPROVE_EMAIL = "improve@bench.example"


def product_env(database_url: str, instance: str, **extra) -> dict[str, str]:
    """The environment of a production deployment (README, Deployment), on loopback:
    plain HTTP, so the session cookie is not marked Secure."""
    return {"SURVEY_ENV": "production", "SECRET_KEY": SECRET_KEY, "EMAIL_HASH_KEY": EMAIL_HASH_KEY,
            "DATABASE_URL": database_url, "SURVEY_INSTANCE_PATH": instance, "SESSION_COOKIE_SECURE": "false",
            "BASE_URL": "http://127.0.0.1", **{k: str(v) for k, v in extra.items()}}


def make_app(database_url: str, instance: str, **config):
    from survey_app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": instance, "SECRET_KEY": SECRET_KEY,
                       "EMAIL_HASH_KEY": EMAIL_HASH_KEY, "ENV": "production", **config})


@contextmanager
def product_database(name: str):
    """A fresh, migrated PostgreSQL database and an app bound to it; dropped afterwards."""
    from flask_migrate import upgrade

    url = fresh_database(name)
    instance = tempfile.mkdtemp(prefix="bench-instance-")
    app = make_app(url, instance)
    try:
        with app.app_context():
            upgrade()
        yield app, url, instance
    finally:
        from survey_app.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(name)
        shutil.rmtree(instance, ignore_errors=True)


def drop_database(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def open_campaign(app, number: int = 1, questionnaire: str = "user-satisfaction", type_letter: str = "E"):
    """An organisation and its campaign (the console's operations), open since the day
    before today or before the mail jobs' clock (dataset.bench_now, the last weekday 10:00
    in London that has passed), whichever is earlier: on a Monday morning or a weekend that
    clock reads Friday, and a campaign opened on Sunday had nothing to send then."""
    from survey_app.console.operations import create_campaign, create_organisation
    from survey_app.extensions import db

    from .dataset import bench_now

    with app.app_context():
        org = create_organisation(name=f"Bench Council {number}", type_letter=type_letter, number=number)
        campaign = create_campaign(organisation=org, questionnaire_id=questionnaire,
                                   opens=min(date.today(), bench_now().date()) - timedelta(days=1))
        db.session.commit()
        return campaign.id


def import_people(app, campaign_id: int, emails: list[str]) -> list[tuple[int, str]]:
    """Import people with the product's participant import; (participant id, personal
    link token) of each, in the order given."""
    from survey_app.extensions import db
    from survey_app.links import make_token
    from survey_app.models import Campaign, Participant
    from survey_app.participants.operations import import_participants

    body = "email,language,location,role\n" + "".join(f"{e},en,Head office,Manager\n" for e in emails)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        report = import_participants(campaign, io.BytesIO(body.encode()), hash_key=EMAIL_HASH_KEY, source="bench")
        db.session.commit()
        assert report.added == len(emails), report
        ids = dict(db.session.execute(sa.select(Participant.email, Participant.id)
                                      .where(Participant.campaign_id == campaign_id)).all())
        return [(ids[e], make_token(ids[e], SECRET_KEY)) for e in emails]


def write_links(path: Path, links: list[tuple[int, str]]) -> Path:
    path.write_text("".join(f"{pid} {token}\n" for pid, token in links))
    return path


def create_user(app, email: str, role: str, organisation_id: int | None = None) -> None:
    from survey_app.auth.operations import create_user as create
    from survey_app.extensions import db
    from survey_app.models import Organisation

    with app.app_context():
        org = db.session.get(Organisation, organisation_id) if organisation_id else None
        create(email=email, password=PASSWORD, role=role, organisation=org, hash_key=EMAIL_HASH_KEY)
        db.session.commit()


def wsgi_env(url: str, instance: str) -> dict:
    return {**os.environ, **product_env(url, instance)}


__all__ = ["ROOT", "product_database", "product_env", "open_campaign", "import_people", "write_links", "create_user"]
