"""What every job is given: a database engine, settings, a transport, a renderer, a clock."""
from __future__ import annotations

import os
import secrets
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from .render import Renderer
from .settings import MailerSettings
from .transport import Transport


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def fixed_clock(moment: datetime) -> Callable[[], datetime]:
    """A clock that always says `moment` (flask mail send-due --now)."""
    if moment.tzinfo is None:
        raise ValueError("a fixed clock needs an aware datetime")
    return lambda: moment


@dataclass
class MailerContext:
    engine: Engine
    settings: MailerSettings
    transport: Transport
    renderer: Renderer
    clock: Callable[[], datetime] = system_clock
    #: names this process in claimed rows (host:pid), for diagnosis
    worker: str = field(default_factory=lambda: f"{socket.gethostname()[:60]}:{os.getpid()}")

    def now(self) -> datetime:
        return self.clock()

    def new_claim_token(self) -> str:
        """Unique per claim: it fences off a dispatcher whose claim was taken over."""
        return f"{self.worker}:{secrets.token_hex(4)}"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block (rolled back on error)."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def connection(self, durable: bool = True) -> Iterator[Connection]:
        """transaction() without the ORM: a Core connection in a transaction, for the
        dispatcher's few statements per message.

        `durable=False` (PostgreSQL) does not wait for the commit to reach the disk: only
        a crash of the database server itself could lose it. For writes that are safe to
        lose that way (dispatcher.py says which), it saves a disk flush per message."""
        with self.engine.begin() as connection:
            if not durable and self.engine.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
            yield connection
