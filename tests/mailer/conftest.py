"""A real SMTP server on loopback (aiosmtpd, in this process) for the mail tests.

The `smtp` fixture points the app's MAIL_PORT at it (the test configuration's port 9 makes
any other send fail) and records exactly what it accepted.
"""
from __future__ import annotations

import pytest

from tests.live_fixtures import live_server, sqlite_app  # noqa: F401  (fixtures)
from tests.mailer.mailtools import SmtpRecorder, free_port, start_smtp


@pytest.fixture
def smtp(request, monkeypatch):
    """A recording SMTP server for whichever app the test uses (`app` or `pg_app`)."""
    app = request.getfixturevalue("pg_app" if "pg_app" in request.fixturenames else "app")
    recorder = SmtpRecorder()
    controller = start_smtp(recorder, free_port())
    monkeypatch.setitem(app.config, "MAIL_PORT", recorder.port)
    yield recorder
    recorder.release.set()
    controller.stop()
