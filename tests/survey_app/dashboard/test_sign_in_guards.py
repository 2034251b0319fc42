"""The guards against guessing passwords (issue 14 rows 2, 3 and 4): the account lock holds
whatever the concurrency, a made-up address cannot be told from a real one, and the
per-client limit is shared by every process."""
from __future__ import annotations

import html
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from tests.clients import FreshContextClient
from flask import current_app

from bench.servers import gunicorn
from survey_app.auth import guards
from survey_app.auth.operations import remove_user
from survey_app.extensions import db
from survey_app.models import AccountGuard, ClientWindow
from survey_app.models.types import utcnow
from survey_app.privacy import email_hash

PASSWORD = "correct horse battery staple"
WRONG = "not the password at all"
#: at most this many Argon2 verifications run at once in these tests, as in the README's
#: deployment (2 gunicorn workers x 2 threads); the claims themselves all race
ARGON2_AT_ONCE = 4


class Verifications:
    """A spy on Argon2: every verification really runs, and which hash it was against is noted."""

    def __init__(self, monkeypatch):
        self.hashes: list[str] = []
        self._lock = threading.Lock()
        self._running = threading.Semaphore(ARGON2_AT_ONCE)
        real = PasswordHasher.verify

        def verify(hasher, stored, password):
            with self._lock:
                self.hashes.append(stored)
            with self._running:
                return real(hasher, stored, password)

        monkeypatch.setattr(PasswordHasher, "verify", verify)

    def against(self, stored: str) -> int:
        with self._lock:
            return sum(1 for h in self.hashes if h == stored)


def client_from(app, address: str):
    app.test_client_class = FreshContextClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def guard(email: str) -> AccountGuard | None:
    db.session.expire_all()
    return db.session.get(AccountGuard, email_hash(email, current_app.config["EMAIL_HASH_KEY"]))


def test_thirty_at_once_check_five_passwords_and_the_right_one_is_refused(app, make_user, csrf, monkeypatch):
    """Row 2: 29 wrong passwords and the right one last, all at once, each from its own
    address: 5 passwords checked, the account locked, the right one refused until the lock ends."""
    user = make_user("lead@example.org")
    real_hash = user.password_hash
    spy = Verifications(monkeypatch)
    clients = [client_from(app, f"198.51.100.{i}") for i in range(30)]
    tokens = [csrf(c.get("/sign-in").text) for c in clients]
    start = threading.Barrier(30)

    def attempt(i: int) -> int:
        start.wait(timeout=30)
        password = WRONG if i < 29 else PASSWORD
        if i == 29:  # the right one goes once five wrong ones are being checked (bounded wait)
            deadline = time.monotonic() + 30
            while spy.against(real_hash) < guards.MAX_FAILURES and time.monotonic() < deadline:
                time.sleep(0.005)
        response = clients[i].post("/sign-in", data={"email": "lead@example.org", "password": password,
                                                     "csrf_token": tokens[i]})
        return response.status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(attempt, range(30)))
    assert spy.against(real_hash) == guards.MAX_FAILURES  # exactly 5 passwords checked
    assert len(spy.hashes) == 30  # and every sign-in did one verification
    assert sorted(statuses[:29]) == [200] * 5 + [429] * 24
    assert statuses[29] == 429
    assert guard("lead@example.org").locked_until > utcnow() + timedelta(minutes=14)

    # no one can sign in until the lock ends, whatever the address they come from
    late = client_from(app, "203.0.113.9")
    refused = late.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD,
                                          "csrf_token": csrf(late.get("/sign-in").text)})
    assert refused.status_code == 429 and "Wait 15 minutes" in refused.text
    assert late.get("/console/").status_code == 302
    # the lock ends: the right password signs in, and the count starts again
    db.session.execute(sa.update(AccountGuard).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    signed_in = late.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD,
                                            "csrf_token": csrf(late.get("/sign-in").text)})
    assert signed_in.status_code == 302 and late.get("/console/").status_code == 200
    assert guard("lead@example.org") is None


def test_a_count_that_never_reached_the_limit_starts_again_after_the_lock_period(client, make_user, signer):
    make_user("lead@example.org")
    for _ in range(4):
        assert signer(client, "lead@example.org", WRONG).status_code == 200
    assert guard("lead@example.org").failures == 4
    db.session.execute(sa.update(AccountGuard).values(
        counted_since=utcnow() - timedelta(minutes=guards.LOCK_MINUTES, seconds=1)))
    db.session.commit()
    assert signer(client, "lead@example.org", WRONG).status_code == 200
    row = guard("lead@example.org")
    assert row.failures == 1 and row.locked_until is None
    assert signer(client, "lead@example.org").status_code == 302


def normalised(text: str, email: str) -> str:
    """The page without its CSRF token (signed afresh, with the time, on every page) and
    with the address typed, which the form shows back, as EMAIL."""
    text = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1TOKEN"', text)
    return html.unescape(text).replace(email, "EMAIL")


def test_real_removed_and_made_up_addresses_are_indistinguishable(app, make_user, csrf, monkeypatch):
    """Row 3: at each of attempts 1 to 7 (the 6th and 7th locked), the same status, the same
    body apart from the CSRF token and the address typed back, the same statements, and
    exactly one Argon2 verification, for a real address, a removed user's and a made-up one."""
    make_user("real@example.org")
    remove_user(make_user("gone@example.org"))
    db.session.commit()
    spy = Verifications(monkeypatch)
    statements: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        statements.append(sql)

    def boundary(name):
        return lambda *_args: statements.append(name)

    listeners = [("before_cursor_execute", statement), ("begin", boundary("BEGIN")),
                 ("commit", boundary("COMMIT")), ("rollback", boundary("ROLLBACK"))]
    for name, listener in listeners:
        sa.event.listen(db.engine, name, listener)
    addresses = {"real": "real@example.org", "removed": "gone@example.org", "made-up": "nope@example.org"}
    clients = {kind: client_from(app, f"192.0.2.{n}") for n, kind in enumerate(addresses, start=1)}
    try:
        for attempt in range(1, 8):
            seen = {}
            for kind, email in addresses.items():
                token = csrf(clients[kind].get("/sign-in").text)
                statements.clear()
                spy.hashes.clear()
                response = clients[kind].post("/sign-in", data={"email": email, "password": WRONG,
                                                                "csrf_token": token})
                seen[kind] = (response.status_code, normalised(response.text, email),
                              list(statements), len(spy.hashes))
            assert seen["real"] == seen["removed"] == seen["made-up"], attempt
            status, body, sql, verifications = seen["real"]
            assert verifications == 1, attempt
            assert status == (200 if attempt <= guards.MAX_FAILURES else 429), attempt
            assert ("Wait 15 minutes" in body) == (attempt > guards.MAX_FAILURES)
            assert any("sign_in_account_guard" in s for s in sql) and any("app_user" in s for s in sql)
    finally:
        for name, listener in listeners:
            sa.event.remove(db.engine, name, listener)
    assert 'value="EMAIL"' in seen["real"][1] and 'value="TOKEN"' in seen["real"][1]  # what was normalised away


def test_the_client_limit_keeps_no_address_and_its_window_ends(client, signer):
    statuses = [signer(client, f"person{i}@example.org", WRONG).status_code for i in range(22)]
    assert statuses == [200] * guards.CLIENT_ATTEMPTS + [429, 429]
    window = db.session.execute(sa.select(ClientWindow)).scalar_one()
    assert window.client_hash == guards.client_hash("127.0.0.1", current_app.config["SECRET_KEY"])
    assert "127.0.0.1" not in window.client_hash and len(window.client_hash) == 64
    # another client's count long over, and a stale account count, go when a window starts
    old = utcnow() - timedelta(hours=1)
    db.session.add(ClientWindow(client_hash="f" * 64, attempts=3, started_at=old))
    db.session.add(AccountGuard(email_hash="e" * 64, failures=2, counted_since=old))
    db.session.execute(sa.update(ClientWindow).where(ClientWindow.client_hash == window.client_hash)
                       .values(started_at=utcnow() - timedelta(seconds=guards.CLIENT_WINDOW_SECONDS + 1)))
    db.session.commit()
    assert signer(client, "person99@example.org", WRONG).status_code == 200
    db.session.expire_all()
    assert [w.attempts for w in db.session.execute(sa.select(ClientWindow)).scalars()] == [1]
    assert db.session.get(AccountGuard, "e" * 64) is None


def test_the_client_limit_is_a_setting(client, signer, monkeypatch):
    """SIGN_IN_CLIENT_LIMIT: where many staff share one address (a council's NAT)."""
    monkeypatch.setitem(client.application.config, "SIGN_IN_CLIENT_LIMIT", 3)
    statuses = [signer(client, f"person{i}@example.org", WRONG).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.parametrize("limit", [0, -1, "20", True])
def test_a_client_limit_that_cannot_work_stops_the_start(limit):
    from survey_app.config import ConfigError, validate

    with pytest.raises(ConfigError, match="SIGN_IN_CLIENT_LIMIT must be a whole number, 1 or more"):
        validate({"SIGN_IN_CLIENT_LIMIT": limit})


def test_ipv6_clients_count_by_their_64_network():
    key = "k" * 32
    assert guards.client_hash("2001:db8:1:2::1", key) == guards.client_hash("2001:db8:1:2:ffff::9", key)
    assert guards.client_hash("2001:db8:1:2::1", key) != guards.client_hash("2001:db8:1:3::1", key)
    assert guards.client_hash("::ffff:192.0.2.1", key) == guards.client_hash("192.0.2.1", key)


def sign_in_over_http(base: str, email: str) -> int:
    """A real browser's sign-in over HTTP: the form (for its CSRF token and cookie), then the POST."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/sign-in", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": WRONG, "csrf_token": token}).encode()
    try:
        return opener.open(base + "/sign-in", data=body, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.timeout(240)
def test_the_client_limit_holds_across_processes(pg_app, tmp_path):
    """Row 4: two gunicorn servers (two processes, as two hosts would be) on one database,
    60 sign-ins from one address shared between them: 20 allowed in all, the rest 429."""
    env = {"DATABASE_URL": pg_app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": pg_app.config["SECRET_KEY"],
           "EMAIL_HASH_KEY": pg_app.config["EMAIL_HASH_KEY"], "SURVEY_ENV": "development",
           "SURVEY_INSTANCE_PATH": str(tmp_path)}
    with gunicorn("wsgi:app", env, workers=1, threads=2) as first, \
            gunicorn("wsgi:app", env, workers=1, threads=2) as second:
        assert first.pid != second.pid
        servers = [first, second]
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda i: sign_in_over_http(servers[i % 2], f"p{i}@example.org"), range(60)))
    assert statuses.count(200) == guards.CLIENT_ATTEMPTS
    assert statuses.count(429) == 60 - guards.CLIENT_ATTEMPTS
    # both processes answered some of the allowed ones and refused some
    assert {s for i, s in enumerate(statuses) if i % 2 == 0} == {200, 429}
    assert {s for i, s in enumerate(statuses) if i % 2 == 1} == {200, 429}
