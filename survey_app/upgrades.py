"""Upgrading while the previous release still serves: expand, then contract.

Every migration declares, at module level, which side of a release it is on:

- `phase = "expand"` adds only: new tables, nullable columns or columns with a server
  default, indexes, data the previous release tolerates. The previous release runs
  against the database after it, so it runs first, while the previous release serves.
- `phase = "contract"` takes away: drops, renames, NOT NULL on a column that was there,
  anything the previous release cannot run against. It runs once every host runs the
  new release. The release that ships it no longer uses what it takes away, so that
  release serves on both sides of it.
- A contract migration that its own release needs as well (it moves data into what it
  creates, as 0003 and 0011 do) also says `needs_downtime = True`: neither release
  serves on the other side of it, so every host and scheduler of the previous release
  stops before it runs.

`flask schema expand` runs the pending migrations up to the first contract one;
`flask schema contract` runs the rest (README, "Upgrading"). `serving_revisions()` is
what /readyz compares the database with.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from survey_app import MIGRATIONS

PHASES = ("expand", "contract")


@dataclass(frozen=True)
class Step:
    """One migration: its revision, the one before it, its phase and whether it needs downtime."""

    revision: str
    down_revision: str | None
    phase: str
    needs_downtime: bool = False


@lru_cache(maxsize=1)
def migration_steps() -> tuple[Step, ...]:
    """Every migration, oldest first, as its module declares it (read once per process)."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    scripts = ScriptDirectory.from_config(config)
    steps = [Step(s.revision, s.down_revision, getattr(s.module, "phase", None),
                  bool(getattr(s.module, "needs_downtime", False)))
             for s in scripts.walk_revisions()]
    return tuple(reversed(steps))


def pending(current: str | None, steps: tuple[Step, ...] | None = None) -> list[Step]:
    """The migrations after `current` (None: an empty database), in the order they run."""
    steps = migration_steps() if steps is None else steps
    revisions = [s.revision for s in steps]
    if current is None:
        return list(steps)
    if current not in revisions:
        raise LookupError(f"The database is at revision {current}, which this release does not know: "
                          "it was migrated by a newer release.")
    return list(steps[revisions.index(current) + 1:])


def expand_target(current: str | None, steps: tuple[Step, ...] | None = None) -> str | None:
    """The revision the expand step stops at: the last pending migration before the first
    pending contract one; None when there is no expand migration to run."""
    target = None
    for step in pending(current, steps):
        if step.phase != "expand":
            break
        target = step.revision
    return target


def serving_revisions(steps: tuple[Step, ...] | None = None) -> set[str]:
    """The database revisions this release can serve against: the head, and, walking back
    from it over contract migrations that need no downtime, each revision before them (a
    database expanded but not yet contracted)."""
    steps = migration_steps() if steps is None else steps
    serving = {steps[-1].revision}
    for step in reversed(steps):
        if step.phase != "contract" or step.needs_downtime or step.down_revision is None:
            break
        serving.add(step.down_revision)
    return serving


def database_revision(connection) -> str | None:
    """The revision the database stands at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()
