"""Whether the database's schema is the one this code was written for (/readyz).

A process started from a release whose migrations have not been run yet (`flask db
upgrade`) would fail on its first query of a new column; the load balancer should send it
nothing until they have. "Current" is decided here alone, so that what readiness accepts
can change in one place.
"""
from __future__ import annotations

from functools import cache

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from . import MIGRATIONS


@cache
def script_heads() -> frozenset[str]:
    """The head revisions of the migration scripts this process was started with (read
    from disk once: the scripts do not change under a running process)."""
    return frozenset(ScriptDirectory(MIGRATIONS).get_heads())


def schema_current(connection: Connection) -> bool:
    """The database has been migrated to exactly the scripts' heads: not behind, and not
    ahead at a revision this code does not know (no alembic_version table: not current)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads()) == script_heads()
