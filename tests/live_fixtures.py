"""Fixtures for tests that need a live server or a real Chromium; a conftest.py that wants
them imports them (`from tests.live_fixtures import live_server, sqlite_app`); the
`browser` fixture itself is in tests/conftest.py."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def sqlite_app(_apps):
    from survey_app.extensions import db
    from tests.helpers import empty_tables

    app = _apps("sqlite")
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()


@pytest.fixture
def live_server(sqlite_app):
    """The app served over real HTTP on loopback, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, sqlite_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def axe_violations(page) -> list[tuple[str, list]]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now: (rule, targets)."""
    from tests.helpers import load_axe

    load_axe(page, str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
