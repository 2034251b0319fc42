"""A live server on SQLite for the browser tests of the participant pages."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def sqlite_app(_apps):
    from survey_app.extensions import db
    from tests.conftest import empty_tables

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


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
