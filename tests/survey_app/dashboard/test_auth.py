"""Signing in: passwords, lockout, where to go after signing in, users from the CLI (the
guards are in test_sign_in_guards.py, sessions in test_sessions.py)."""
from __future__ import annotations

import html
from urllib.parse import quote

import pytest
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


#: `next` values that must not be followed (row 13): each as the browser would send it
NASTY_NEXT = [
    "next=/%0D%0AX:%20y",                      # CR LF, as in the health check
    "next=/%0d%0aSet-Cookie:%20a=b",           # lower-case escapes
    "next=/console/%0ALocation:%20//evil.example",
    "next=%0D%0A/console/",
    "next=/%5Cevil.example",                   # /\evil.example
    "next=%5C%5Cevil.example",                 # \\evil.example
    "next=//evil.example/x",
    "next=///evil.example",
    "next=https://evil.example/",
    "next=https:/evil.example",
    "next=javascript:alert(1)",
    "next=/%09/evil.example",                  # tab
    "next=%09//evil.example",
    "next=/console/%00",                       # NUL
    "next=/%E2%80%A8",                         # U+2028 line separator
    "next=/..//evil.example",
    "next=%20/console/",
    "next=/" + "a" * 5000,                     # very long
]


@pytest.mark.parametrize("query", NASTY_NEXT, ids=range(len(NASTY_NEXT)))
def test_only_a_same_site_path_is_followed_after_signing_in(client, make_user, csrf, query):
    make_user("improve@example.org")
    token = csrf(client.get("/sign-in").text)
    response = client.post(f"/sign-in?{query}", data={"email": "improve@example.org",
                                                      "password": "correct horse battery staple",
                                                      "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/"


@pytest.mark.parametrize("target", ["/console/campaigns/new", "/console/?year=2026&questionnaire=user-satisfaction",
                                    "/organisations/1/"])
def test_a_same_site_path_is_followed(client, make_user, signer, target):
    make_user("improve@example.org")
    response = signer(client, "improve@example.org", next_path=quote(target, safe="/"))
    assert response.status_code == 302 and response.headers["Location"] == target


@pytest.mark.parametrize("path", ["/sign-in"])
def test_sign_in_page_in_welsh(client, path):
    page = client.get(path, headers={"Accept-Language": "cy"})
    assert 'lang="cy"' in page.text and "Mewngofnodi" in html.unescape(page.text)
