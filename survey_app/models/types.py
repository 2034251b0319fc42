"""Column types shared by the models."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.types import DateTime, TypeDecorator

#: the largest value of PostgreSQL's integer, the type of every id, year and count column
INTEGER_MAX = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, hands back aware UTC datetimes on SQLite and PostgreSQL alike.

    Refuses naive datetimes so that no local time is ever stored by mistake.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a timezone")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
