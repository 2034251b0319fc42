"""Server-side staff sessions (issue 14 row 5): signing out, a new password, removing a
user and the idle and absolute limits end a session on the server, so a copied cookie
is worthless afterwards."""
from __future__ import annotations

import html
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import current_app

from tests.factories import make_campaign, make_org
from survey_app.auth.sessions import COOKIE_KEY, TOUCH_SECONDS, secret_hash
from survey_app.extensions import db
from survey_app.models import StaffSession, User
from survey_app.models.types import utcnow

EMAIL = "improve@example.org"
NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def pages(app, make_user, make_response):
    """A signed-in user's pages: the console, a dashboard page and a download."""
    make_user(EMAIL)
    org = make_org()
    campaign = make_campaign(org)
    make_response(campaign, {"overall": "5"})
    return ["/console/", f"/organisations/{org.id}/", f"/campaigns/{campaign.id}/download.csv"]


def copy_of(client):
    """Another browser holding a copy of `client`'s session cookie."""
    other = client.application.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def assert_signed_out(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path


def sessions() -> list[StaffSession]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(StaffSession).order_by(StaffSession.id)).scalars())


def test_a_cookie_copied_before_signing_out_is_worthless_after(client, pages, signer, csrf):
    signer(client, EMAIL)
    copy = copy_of(client)
    for path in pages:
        assert client.get(path).status_code == 200, path
        assert copy.get(path).status_code == 200, path  # the copy works while the session lasts
    signed_out = client.post("/sign-out", data={"csrf_token": csrf(client.get("/console/").text)})
    assert signed_out.status_code == 302
    assert sessions() == []
    assert_signed_out(copy, pages)
    assert_signed_out(client, pages)


def test_signing_out_ends_only_that_session_and_each_sign_in_has_its_own_secret(client, pages, signer, csrf):
    signer(client, EMAIL)
    other = client.application.test_client()
    signer(other, EMAIL)
    with client.session_transaction() as one, other.session_transaction() as two:
        secrets = [one[COOKIE_KEY], two[COOKIE_KEY]]
    stored = [s.secret_hash for s in sessions()]
    key = current_app.config["SECRET_KEY"]
    assert secrets[0] != secrets[1] and stored == [secret_hash(s, key) for s in secrets]
    assert not {s for s in secrets} & {s for s in stored}  # only the hash is kept
    client.post("/sign-out", data={"csrf_token": csrf(client.get("/console/").text)})
    assert_signed_out(client, pages[:1])
    assert other.get("/console/").status_code == 200


def test_idle_and_absolute_limits_are_kept_by_the_server(client, pages, signer):
    idle = current_app.permanent_session_lifetime.total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    assert (idle, absolute) == (2 * 3600, 12 * 3600)
    signer(client, EMAIL)
    now = utcnow()
    # just inside the idle limit: still signed in, and the last request noted
    db.session.execute(sa.update(StaffSession).values(last_seen_at=now - timedelta(seconds=idle - 5)))
    db.session.commit()
    assert client.get("/console/").status_code == 200
    assert sessions()[0].last_seen_at >= now
    # idle too long: signed out, the row gone
    db.session.execute(sa.update(StaffSession).values(last_seen_at=now - timedelta(seconds=idle + 1)))
    db.session.commit()
    assert_signed_out(client, pages[:1])
    assert sessions() == []
    # busy all along but signed in too long ago: signed out
    signer(client, EMAIL)
    db.session.execute(sa.update(StaffSession).values(created_at=now - timedelta(seconds=absolute + 1)))
    db.session.commit()
    assert_signed_out(client, pages[:1])
    assert sessions() == []


def test_last_seen_is_written_about_once_a_minute_not_on_every_request(client, pages, signer):
    signer(client, EMAIL)
    updates: list[str] = []

    def note(_conn, _cursor, sql, *_args):
        if sql.lstrip().upper().startswith("UPDATE STAFF_SESSION"):
            updates.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        for _ in range(3):
            assert client.get("/console/").status_code == 200
        assert updates == []
        db.session.execute(sa.update(StaffSession).values(
            last_seen_at=utcnow() - timedelta(seconds=TOUCH_SECONDS + 1)))
        db.session.commit()
        updates.clear()
        for _ in range(3):
            assert client.get("/console/").status_code == 200
        assert len(updates) == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)


def test_set_password_ends_every_session_of_the_user(client, pages, signer, runner):
    signer(client, EMAIL)
    other = client.application.test_client()
    signer(other, EMAIL)
    result = runner.invoke(args=["users", "set-password", EMAIL.upper()], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "2 session(s) ended" in result.output and EMAIL not in result.output
    assert sessions() == []
    assert_signed_out(client, pages)
    assert_signed_out(other, pages)
    fresh = client.application.test_client()
    assert signer(fresh, EMAIL).status_code == 200  # the old password no longer works
    assert signer(fresh, EMAIL, NEW_PASSWORD).status_code == 302


def test_set_password_refuses_what_it_cannot_do_and_changes_nothing(client, pages, signer, runner):
    signer(client, EMAIL)
    short = runner.invoke(args=["users", "set-password", EMAIL, "--password", "short"])
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    unknown = runner.invoke(args=["users", "set-password", "nobody@example.org", "--password", NEW_PASSWORD])
    assert unknown.exit_code == 1 and "No user has that email address" in unknown.output
    assert client.get("/console/").status_code == 200 and len(sessions()) == 1


def test_set_password_ends_a_lock(client, pages, signer, runner):
    for _ in range(6):
        signer(client, EMAIL, "wrong password here")
    assert signer(client, EMAIL).status_code == 429
    assert runner.invoke(args=["users", "set-password", EMAIL, "--password", NEW_PASSWORD]).exit_code == 0
    assert signer(client, EMAIL, NEW_PASSWORD).status_code == 302


def test_removing_a_user_ends_their_sessions_and_sign_ins(client, pages, signer, runner):
    signer(client, EMAIL)
    result = runner.invoke(args=["users", "remove", EMAIL])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output, result.output
    assert_signed_out(client, pages)
    refused = signer(client.application.test_client(), EMAIL)
    assert refused.status_code == 200
    assert "Enter the email address and password of your account" in html.unescape(refused.text)
    listed = runner.invoke(args=["users", "list"]).output.splitlines()[2].split()
    assert listed[1:4] == ["improve", "all", "no"], listed
    unknown = runner.invoke(args=["users", "remove", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No user has that email address" in unknown.output


def test_a_user_deactivated_in_the_database_is_signed_out(client, pages, signer):
    signer(client, EMAIL)
    db.session.execute(sa.update(User).values(active=False))
    db.session.commit()
    assert_signed_out(client, pages)
    assert sessions() == []


@pytest.mark.parametrize("change", ["new password", "removed"])
def test_a_user_changed_while_their_password_is_checked_is_not_signed_in(client, pages, signer, monkeypatch, change):
    """set-password and remove commit while Argon2 checks the old password: no session
    may start from it (operations.complete_sign_in reads the user again)."""
    real = PasswordHasher.verify

    def verify_while_changing(hasher, stored, password):
        values = {"password_hash": real_hasher.hash(NEW_PASSWORD)} if change == "new password" else {"active": False}
        with db.engine.begin() as conn:
            conn.execute(sa.update(User).values(**values))
        return real(hasher, stored, password)

    real_hasher = PasswordHasher()
    monkeypatch.setattr(PasswordHasher, "verify", verify_while_changing)
    response = signer(client, EMAIL)
    assert response.status_code == 200
    assert "Enter the email address and password of your account" in html.unescape(response.text)
    assert sessions() == [] and client.get("/console/").status_code == 302


def test_a_signed_in_staff_member_can_open_a_respondents_link(client, app, make_user, signer):
    """The staff session is read before the respondent's page runs its one statement
    outside a transaction: that read must not leave the page's connection half set up
    (SQLAlchemy warned, and warnings are errors here, so this was a 500 in the tests)."""
    from tests.factories import make_participant
    from survey_app.links import make_token

    make_user(EMAIL)
    participant = make_participant(make_campaign(make_org()))
    signer(client, EMAIL)
    assert client.get("/console/").status_code == 200
    page = client.get(f"/s/{make_token(participant.id, current_app.config['SECRET_KEY'])}")
    assert page.status_code == 200
    assert "Start now" in page.text
