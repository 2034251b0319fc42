"""The guards against guessing passwords, kept in the database so that every worker and
host shares them.

Each count is one atomic statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING): the
database hands each attempt its own number, however many arrive at once, so no two can
read the same count. The statements run in the caller's transaction; the view commits
it before any password is checked, so that no lock is held during Argon2."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, null, or_

from ..extensions import db
from ..models import AccountGuard, ClientWindow
from ..models.dialect import insert_for
from ..models.types import UTCDateTime

#: an address locks for LOCK_MINUTES once this many attempts have been counted
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: a client (by address) may try this many sign-ins per window, whatever the accounts
#: (the SIGN_IN_CLIENT_LIMIT setting; this is its default)
CLIENT_ATTEMPTS = 20
CLIENT_WINDOW_SECONDS = 300


@dataclass(frozen=True)
class Claim:
    """An attempt's place in its address's count."""

    #: the attempt's number in the count (1 for the first since the count began)
    number: int

    @property
    def may_verify(self) -> bool:
        """Whether this attempt holds one of the MAX_FAILURES places whose password is checked."""
        return self.number <= MAX_FAILURES


def claim_verification(email_hash: str, now: datetime) -> Claim:
    """Count an attempt for the address typed before its password is checked.

    Counted as a failure up front (a success deletes the row): of any number of attempts
    at once, the first MAX_FAILURES get a password checked and the rest none until the
    lock ends. A count whose lock has ended, or which began a lock period ago without
    reaching the limit, starts again."""
    table = AccountGuard.__table__.c
    lock = timedelta(minutes=LOCK_MINUTES)
    over = or_(table.locked_until <= now,
               and_(table.locked_until.is_(None), table.counted_since <= now - lock))
    reaches_limit = table.failures + 1 >= MAX_FAILURES
    statement = insert_for(db.session, AccountGuard).values(
        email_hash=email_hash, failures=1, counted_since=now, locked_until=None)
    statement = statement.on_conflict_do_update(
        index_elements=[table.email_hash],
        set_={
            # past the limit the number stays at MAX_FAILURES + 1: refused, and no overflow
            "failures": case((over, 1), (table.failures > MAX_FAILURES, table.failures),
                             else_=table.failures + 1),
            "counted_since": case((over, literal(now, UTCDateTime)), else_=table.counted_since),
            "locked_until": case((over, null()), (table.locked_until.is_not(None), table.locked_until),
                                 (reaches_limit, literal(now + lock, UTCDateTime)), else_=null()),
        },
    ).returning(table.failures)
    return Claim(number=db.session.execute(statement).scalar_one())


def forget_account(email_hash: str) -> None:
    """Start the address's count again (a successful sign-in, or a new password)."""
    db.session.execute(delete(AccountGuard).where(AccountGuard.email_hash == email_hash))


def count_client_attempt(client: str, now: datetime, limit: int = CLIENT_ATTEMPTS) -> bool:
    """Count a sign-in attempt from `client` (a keyed hash of its address); whether it is
    within `limit` attempts a window. Clears out every count that has run its course when
    the client's window starts: now and then, with no job of its own."""
    table = ClientWindow.__table__.c
    over = table.started_at <= now - timedelta(seconds=CLIENT_WINDOW_SECONDS)
    statement = insert_for(db.session, ClientWindow).values(client_hash=client, attempts=1, started_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[table.client_hash],
        set_={
            "attempts": case((over, 1), (table.attempts > limit, table.attempts),
                             else_=table.attempts + 1),
            "started_at": case((over, literal(now, UTCDateTime)), else_=table.started_at),
        },
    ).returning(table.attempts)
    attempts = db.session.execute(statement).scalar_one()
    if attempts == 1:
        forget_old_counts(now)
    return attempts <= limit


def forget_old_counts(now: datetime) -> None:
    """Delete the counts that no longer hold anything back (each would start again anyway)."""
    lock = timedelta(minutes=LOCK_MINUTES)
    db.session.execute(delete(ClientWindow).where(
        ClientWindow.started_at <= now - timedelta(seconds=CLIENT_WINDOW_SECONDS)))
    db.session.execute(delete(AccountGuard).where(or_(
        AccountGuard.locked_until <= now,
        and_(AccountGuard.locked_until.is_(None), AccountGuard.counted_since <= now - lock))))


def client_hash(address: str | None, key: str) -> str:
    """A keyed hash of the client's address, so the table never holds one.

    An IPv6 address counts by its /64 network: one host is commonly given a whole /64,
    and could otherwise try from a new address each time."""
    text = address or "unknown"
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        if ip.version == 6 and ip.ipv4_mapped is None:
            text = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        elif ip.version == 6:
            text = str(ip.ipv4_mapped)
    return hmac.new(key.encode("utf-8"), b"sign-in client\0" + text.encode("utf-8"), hashlib.sha256).hexdigest()
