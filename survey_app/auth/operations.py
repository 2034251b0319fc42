"""Creating, changing and removing users, and checking sign-ins. Flushes, never commits."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..extensions import db
from ..models import Organisation, User
from ..models.types import utcnow
from ..privacy import email_hash
from .guards import Claim, claim_verification, forget_account
from .sessions import end_user_sessions

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12
#: verified against when no password may be checked (no such user, a removed one, or the
#: address locked), so that every sign-in does the same Argon2 work whatever the address
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


def find_user(email: str, hash_key: str) -> User | None:
    """The user with that sign-in address, active or not."""
    return db.session.execute(
        db.select(User).filter_by(email_hash=email_hash(email, hash_key))).scalar_one_or_none()


def set_password(user: User, password: str) -> int:
    """A new password. Every session of the user ends, and so does a lock on their
    address (whoever set the password vouches for the person). Returns how many
    sessions ended."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    user.password_hash = hasher.hash(password)
    forget_account(user.email_hash)
    ended = end_user_sessions(user.id)
    db.session.flush()
    return ended


def remove_user(user: User) -> int:
    """Deactivate a user: they can no longer sign in and every session of theirs ends.
    The row stays (its hash keeps the address from being reused by mistake). Returns how
    many sessions ended."""
    user.active = False
    ended = end_user_sessions(user.id)
    db.session.flush()
    return ended


@dataclass(frozen=True)
class SignInAttempt:
    """A sign-in counted against its address, read before its password is checked."""

    email_hash: str
    claim: Claim
    #: the user whose password may be checked, and that password's hash; None when there
    #: is none (no such user, a removed one, or no place left in the address's count)
    user_id: int | None
    password_hash: str | None

    @property
    def reason(self) -> str:
        """Why a sign-in failed: 'locked' when this attempt had no place left in its
        address's count, else 'invalid' (the same for a wrong password and an unknown address)."""
        return "invalid" if self.claim.may_verify else "locked"


def begin_sign_in(email: str, hash_key: str) -> SignInAttempt:
    """Count the attempt against the address typed, real or made up, and read the user.

    The same two statements whatever the address. The caller commits before
    check_password: the count is kept whatever happens next, and no lock, transaction or
    connection is held while Argon2 runs."""
    digest = email_hash(email, hash_key)
    claim = claim_verification(digest, utcnow())
    user = db.session.execute(db.select(User).filter_by(email_hash=digest)).scalar_one_or_none()
    if user is None or not user.active or not claim.may_verify:
        return SignInAttempt(digest, claim, None, None)
    return SignInAttempt(digest, claim, user.id, user.password_hash)


def check_password(attempt: SignInAttempt, password: str) -> bool:
    """Whether the password is right for the attempt's user. Exactly one Argon2
    verification on every path (against a dummy hash when no password may be checked),
    so the work does not tell a real address from a made-up or locked one."""
    right = _verify(attempt.password_hash or _DUMMY_HASH, password)
    return right and attempt.password_hash is not None


def complete_sign_in(attempt: SignInAttempt, password: str) -> User | None:
    """After a right password: the address's count starts again, the time is noted, and
    a hash made with older Argon2 parameters is made again with the current ones.

    None if the user was removed or given a new password while Argon2 ran (the row is
    locked on PostgreSQL until the caller commits, so neither can slip in after this)."""
    user = db.session.get(User, attempt.user_id, with_for_update=True, populate_existing=True)
    if user is None or not user.active or user.password_hash != attempt.password_hash:
        return None
    forget_account(attempt.email_hash)
    user.last_sign_in_at = utcnow()
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    db.session.flush()
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
