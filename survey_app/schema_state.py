"""Whether the database's schema is one this code can serve against (/readyz).

A process started from a release whose migrations have not been run yet would fail on its
first query of a new column; the load balancer should send it nothing until they have.
During a rolling upgrade across several hosts (README, "Upgrading") two releases serve
one database for a while, so "current" is not only "at the scripts' head":

- **the head**, or a revision from which only contract migrations that need no downtime
  lead to it (`upgrades.serving_revisions`): the new release, after the expand step and
  before the contract step;
- **a revision these scripts do not know**: a later release has run its expand step while
  this one still serves (expand migrations only add, so this release runs on). A later
  release's contract step runs only once no host runs this one.

Behind (a known revision outside that set), never migrated, or with two heads: not ready.
Decided here alone, so what readiness accepts can change in one place.
"""
from __future__ import annotations

from functools import cache

from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from .upgrades import migration_steps, serving_revisions


@cache
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(the revisions this release serves against, every revision it knows), worked out
    once per process: /readyz is polled every few seconds and the scripts do not change."""
    return frozenset(serving_revisions()), frozenset(step.revision for step in migration_steps())


def schema_current(connection: Connection) -> bool:
    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) != 1:
        return False
    (revision,) = heads
    serving, known = _revisions()
    return revision in serving or revision not in known
