"""Killing the app's PostgreSQL connections at chosen moments, deterministically: the
backend of the connection about to run a statement is ended with pg_terminate_backend
from another connection (as an administrator, a failover or a pooler would), so the
statement fails as it would in production."""
from __future__ import annotations

import re
from contextlib import contextmanager

import sqlalchemy as sa

from tests.helpers import PG_ADMIN_URL


def terminate(pid: int) -> None:
    """End a backend and wait (up to 5 s) until it has gone."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar_one()


class Killer:
    """Counts what happened: `killed` backends, `statements` seen while armed."""

    def __init__(self) -> None:
        self.killed = 0
        self.statements: list[str] = []


@contextmanager
def kill_before(engine: sa.engine.Engine, statement: str = r".", times: int = 1):
    """While in the block, the first `times` statements matching the regular expression
    `statement` (the first statements of all, by default) each find their connection's
    backend ended just before they run."""
    pattern, killer = re.compile(statement, re.I), Killer()

    def before(conn, _cursor, text, _params, _context, _many):
        killer.statements.append(text)
        if killer.killed < times and pattern.search(text):
            killer.killed += 1
            terminate(conn.connection.dbapi_connection.info.backend_pid)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield killer
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


@contextmanager
def lose_the_connection_after_commit(engine: sa.engine.Engine, times: int = 1):
    """While in the block, the first `times` commits reach the database and are made,
    then the connection dies before the app hears so: the app sees its commit fail
    with a lost connection, as when a server or network fails at that moment."""
    dialect, original = engine.dialect, engine.dialect.do_commit
    killer = Killer()

    def commit_then_die(dbapi_connection):
        original(dbapi_connection)
        if killer.killed < times:
            killer.killed += 1
            terminate(dbapi_connection.driver_connection.info.backend_pid)
            dbapi_connection.driver_connection.execute("SELECT 1")  # what the client meets: psycopg's real error

    dialect.do_commit = commit_then_die
    try:
        yield killer
    finally:
        dialect.do_commit = original
