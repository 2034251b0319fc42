"""Signing in: passwords, lockout, throttling, session expiry, users from the CLI."""
from __future__ import annotations

import html

import pytest
from flask import current_app

from survey_app.extensions import db
from survey_app.models import User
from tests.factories import make_org


def test_users_create_from_the_cli(runner):
    org = make_org(type_letter="W", number=5)
    code = org.code_for(2026)
    ok = runner.invoke(args=["users", "create", "--email", "Lead@Council.example", "--role", "org-admin",
                             "--org", code], input="a long enough password\na long enough password\n")
    assert ok.exit_code == 0, ok.output
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.role == "org_admin" and user.organisation_id == org.id
    assert user.password_hash.startswith("$argon2id$")
    assert "council.example" not in user.email_hash and len(user.email_hash) == 64
    refusals = [
        (["--email", "x@example.org", "--role", "org-admin", "--password", "a long enough password"], "needs an organisation"),
        (["--email", "x@example.org", "--role", "improve", "--password", "short"], "at least 12 characters"),
        (["--email", "lead@council.example", "--role", "improve", "--password", "a long enough password"], "already exists"),
        (["--email", "x@example.org", "--role", "org-admin", "--org", "W9999", "--password", "a long enough password"],
         "No organisation has the code"),
    ]
    for args, message in refusals:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    listing = runner.invoke(args=["users", "list"]).output
    assert "org-admin" in listing and "council.example" not in listing


def test_sign_in_lands_by_role_and_wrong_details_say_the_same(client, make_user, signer):
    org = make_org()
    make_user("improve@example.org")
    make_user("admin@example.org", role="org_admin", organisation=org)
    response = signer(client, "IMPROVE@example.org ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/")
    client.post("/sign-out", data={"csrf_token": ""})  # no CSRF token: refused, still signed in
    assert client.get("/console/").status_code == 200

    other = client.application.test_client()
    response = signer(other, "admin@example.org")
    assert response.headers["Location"].endswith(f"/organisations/{org.id}/")

    fresh = client.application.test_client()
    wrong_password = signer(fresh, "admin@example.org", "not the password at all")
    unknown = signer(fresh, "nobody@example.org", "not the password at all")
    message = "Enter the email address and password of your account"
    assert message in html.unescape(wrong_password.text) and message in html.unescape(unknown.text)
    assert wrong_password.status_code == unknown.status_code == 200


def test_account_locks_after_five_failures(client, make_user, signer):
    make_user("improve@example.org")
    for _ in range(5):
        signer(client, "improve@example.org", "wrong password here")
    locked = signer(client, "improve@example.org")  # the right password, but locked
    assert locked.status_code == 429
    assert "Wait 15 minutes" in locked.text
    assert client.get("/console/").status_code == 302


def test_one_client_cannot_try_many_accounts(client, signer):
    statuses = [signer(client, f"person{i}@example.org", "wrong password here").status_code for i in range(22)]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429, 429]


def test_open_redirects_are_refused(client, make_user, signer):
    make_user("improve@example.org")
    response = signer(client, "improve@example.org", next_path="//evil.example/x")
    assert response.headers["Location"].endswith("/console/")


def test_sessions_expire(client, make_user, signer):
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    assert client.get("/console/").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] -= current_app.config["SESSION_ABSOLUTE_LIFETIME"] + 1
    assert client.get("/console/").status_code == 302
    assert current_app.permanent_session_lifetime.total_seconds() == current_app.config["PERMANENT_SESSION_LIFETIME"]


@pytest.mark.parametrize("path", ["/sign-in"])
def test_sign_in_page_in_welsh(client, path):
    page = client.get(path, headers={"Accept-Language": "cy"})
    assert 'lang="cy"' in page.text and "Mewngofnodi" in html.unescape(page.text)
