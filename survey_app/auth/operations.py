"""Creating users and checking sign-ins. Flushes, never commits."""
from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..extensions import db
from ..models import Organisation, User
from ..models.types import utcnow
from ..privacy import email_hash

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12
#: an account locks for LOCK_MINUTES after this many failures in a row
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: a client (by IP) may try this many sign-ins per window, whatever the accounts
CLIENT_ATTEMPTS = 20
CLIENT_WINDOW_SECONDS = 300
#: verified against when no account matches, so timing does not tell whether one exists
_DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


class UserError(ValueError):
    pass


def create_user(*, email: str, password: str, role: str, organisation: Organisation | None,
                hash_key: str) -> User:
    if role not in ("improve", "org_admin"):
        raise UserError(f"Unknown role '{role}': use improve or org-admin.")
    if role == "org_admin" and organisation is None:
        raise UserError("An organisation admin needs an organisation (--org CODE).")
    if role == "improve" and organisation is not None:
        raise UserError("An Improve team user sees every organisation: leave out --org.")
    if "@" not in email or len(email.strip()) < 3:
        raise UserError("That is not an email address.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    digest = email_hash(email, hash_key)
    if db.session.execute(db.select(User.id).filter_by(email_hash=digest)).first():
        raise UserError("A user with that email address already exists.")
    user = User(email_hash=digest, password_hash=hasher.hash(password), role=role,
                organisation_id=organisation.id if organisation else None)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    user.password_hash = hasher.hash(password)
    user.failed_sign_ins = 0
    user.locked_until = None


class ClientThrottle:
    """Sign-in attempts per client address in a sliding window (per process).

    The per-account lock is kept in the database and so holds across processes; this
    one stops one client trying many accounts."""

    def __init__(self, limit: int = CLIENT_ATTEMPTS, window: float = CLIENT_WINDOW_SECONDS):
        self.limit, self.window = limit, window
        self.attempts: dict[str, deque] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            seen = self.attempts.setdefault(client, deque())
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            if len(self.attempts) > 10000:  # forget idle clients
                for key in [k for k, v in self.attempts.items() if not v]:
                    del self.attempts[key]
            return True

    def reset(self) -> None:
        with self.lock:
            self.attempts.clear()


throttle = ClientThrottle()


def authenticate(email: str, password: str, hash_key: str) -> tuple[User | None, str | None]:
    """(user, None) on success, else (None, reason) with reason 'invalid' or 'locked'.

    The same answer is given for an unknown address and a wrong password."""
    user = db.session.execute(
        db.select(User).filter_by(email_hash=email_hash(email, hash_key))
    ).scalar_one_or_none()
    now = utcnow()
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return None, "invalid"
    if user.locked_until and user.locked_until > now:
        return None, "locked"
    if not _verify(user.password_hash, password):
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_sign_ins = 0
        db.session.flush()
        return None, "invalid"
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    db.session.flush()
    return user, None


def _verify(stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
