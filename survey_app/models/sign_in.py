"""What signing in keeps on the server: the guards against guessing and the sessions.

The guards are counted in the database, not in a process, so that every worker and host
shares them; each is changed by one atomic statement (auth/guards.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class AccountGuard(db.Model):
    """Sign-in attempts for one address typed, real or made up, so both take one path."""

    __tablename__ = "sign_in_account_guard"

    #: HMAC of the normalised address typed (as app_user.email_hash); no user need have it
    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: attempts counted since `counted_since`, each counted before its password is checked;
    #: a successful sign-in deletes the row
    failures: Mapped[int]
    #: when this count began: a count older than the lock period starts again
    counted_since: Mapped[datetime] = mapped_column(UTCDateTime)
    #: set when `failures` reaches the limit; until then nothing is checked for the address
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ClientWindow(db.Model):
    """Sign-in attempts from one client address in its current time window."""

    __tablename__ = "sign_in_client_window"
    __table_args__ = (Index("ix_sign_in_client_window_started_at", "started_at"),)

    #: keyed hash of the client's address (never the address itself)
    client_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: attempts since `started_at`, refused ones included
    attempts: Mapped[int]
    #: the window's start: the client's first attempt once the previous window had ended
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StaffSession(db.Model):
    """One signed-in browser. Signing out, or the user's password changing or the user
    being removed, deletes the row, and the cookie that named it is worthless."""

    __tablename__ = "staff_session"
    __table_args__ = (Index("ix_staff_session_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: keyed hash of the random secret the session cookie carries (the secret is not stored)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    #: sign-in time: the session ends a fixed time after it however busy it is
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the last request seen, written at most about once a minute: the idle limit runs from it
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
