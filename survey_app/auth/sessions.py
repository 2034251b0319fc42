"""Server-side staff sessions: the cookie carries a random secret, the database a row
with its keyed hash, and a request counts as signed in only while the row does.

Flushes, never commits."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from ..extensions import db
from ..models import StaffSession, User

#: the key in Flask's (signed) session cookie that holds the session's secret
COOKIE_KEY = "staff_session"
#: last_seen_at is written when it is older than this, not on every request
TOUCH_SECONDS = 60


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lasts without a request (idle) and in all (absolute), in seconds."""

    idle: int
    absolute: int

    def expired(self, now: datetime):
        """A condition on StaffSession: the rows past either limit."""
        return or_(StaffSession.last_seen_at <= now - timedelta(seconds=self.idle),
                   StaffSession.created_at <= now - timedelta(seconds=self.absolute))


def secret_hash(secret: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), b"staff session\0" + secret.encode("utf-8"), hashlib.sha256).hexdigest()


def start_session(user: User, *, key: str, now: datetime, lifetimes: Lifetimes) -> str:
    """A new session for `user`; returns the secret for the cookie (only its hash is kept).

    Every session past its limits is deleted here, whoever's it was: sign-ins are rare
    enough for that, and frequent enough that old rows never pile up."""
    db.session.execute(delete(StaffSession).where(lifetimes.expired(now)))
    secret = secrets.token_urlsafe(32)
    db.session.add(StaffSession(secret_hash=secret_hash(secret, key), user_id=user.id,
                                created_at=now, last_seen_at=now))
    db.session.flush()
    return secret


@dataclass(frozen=True)
class Found:
    #: the signed-in user, or None when the session has ended
    user: User | None
    #: whether anything was written (last seen, or an ended session deleted) for the caller to commit
    wrote: bool


def find_session(secret: str, *, key: str, now: datetime, lifetimes: Lifetimes) -> Found:
    """The user whose session the cookie's secret names, if it is still going.

    One statement when nothing is due; a session past a limit, or of a removed user, is
    deleted; last_seen_at is moved on at most once every TOUCH_SECONDS."""
    row = db.session.execute(
        select(StaffSession, User).join(User, User.id == StaffSession.user_id)
        .where(StaffSession.secret_hash == secret_hash(secret, key))
    ).first()
    if row is None:
        return Found(None, False)
    staff_session, user = row
    if (not user.active or now - staff_session.last_seen_at >= timedelta(seconds=lifetimes.idle)
            or now - staff_session.created_at >= timedelta(seconds=lifetimes.absolute)):
        db.session.delete(staff_session)
        db.session.flush()
        return Found(None, True)
    if now - staff_session.last_seen_at >= timedelta(seconds=TOUCH_SECONDS):
        staff_session.last_seen_at = now
        db.session.flush()
        return Found(user, True)
    return Found(user, False)


def end_session(secret: str, key: str) -> None:
    """Sign out: the row goes, and with it anything a copy of the cookie could do."""
    db.session.execute(delete(StaffSession).where(StaffSession.secret_hash == secret_hash(secret, key)))


def end_user_sessions(user_id: int) -> int:
    """End every session of a user (a new password, or the user removed); how many there were."""
    return db.session.execute(delete(StaffSession).where(StaffSession.user_id == user_id)).rowcount
