"""What the conftest files and tests share: the test app's configuration, where PostgreSQL
is, emptying every table after a test, and loading axe-core into a page (conftest.py files hold only fixtures)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
    "EMAIL_HASH_KEY": "test-email-hash-key-0123456789abcdef012345",
    "BASE_URL": "http://survey.test",
    # any accidental real send fails loudly: nothing listens on port 9
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_PORT": 9,
    # one SMTP connection per pass, so the fault tests can count which message met which
    # failure; several at once are tested on their own (tests/mailer/test_dispatch_concurrency.py)
    "SEND_CONNECTIONS": 1,
    "WTF_CSRF_ENABLED": True,
}


def empty_tables() -> None:
    from survey_app.extensions import db

    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def load_axe(page, path: str) -> None:
    """axe-core into the page as DevTools would run it: the pages' Content-Security-Policy
    refuses the inline <script> that page.add_script_tag writes."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(Path(path).read_text(encoding="utf-8"))


#: the password the make_user fixture gives staff
STAFF_PASSWORD = "correct horse battery staple"


def signed_in(browser, base: str, email: str, password: str = STAFF_PASSWORD, **context):
    """A new Chromium page of a member of staff signed in at `base` (context: viewport etc.)."""
    page = browser.new_context(locale="en-GB", **context).new_page()
    page.goto(base + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button:has-text('Sign in')")
    return page


def create_database(name: str) -> str:
    """A new, empty PostgreSQL database (dropped first if it was there); its URL."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(backend: str, request, tmp_path, prefix: str):
    """The URL of a database of the test's own, empty, for an app built at another
    migration: a file on SQLite, a database on PostgreSQL dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / (prefix + '.db')}"
        return
    import hashlib

    from tests.conftest import worker_id
    name = f"{prefix}_{hashlib.sha1(str(tmp_path).encode()).hexdigest()[:8]}_{worker_id(request)}"
    try:
        yield create_database(name)
    finally:
        drop_database(name)


def scraped(text: str) -> dict:
    """A Prometheus exposition's samples: {(name, frozenset of label pairs): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def metric_names(text: str) -> set[str]:
    """Every metric an exposition declares (its TYPE lines, a histogram's series too, which
    it has once something is observed), and every sample's name."""
    import re

    declared = re.findall(r"^# TYPE (\S+) (\S+)", text, re.M)
    series = {name + suffix for name, kind in declared if kind == "histogram" for suffix in ("_bucket", "_count", "_sum")}
    return {name for name, _kind in declared} | series | {name for name, _labels in scraped(text)}


def sample(samples: dict, name: str, **labels) -> float:
    """One sample's value (0 when the exposition has no such series yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)
