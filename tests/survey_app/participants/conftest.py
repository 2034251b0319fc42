"""A live server on SQLite and a real Chromium for the browser tests of these pages."""
from tests.live_fixtures import live_server, sqlite_app  # noqa: F401  (fixtures)
