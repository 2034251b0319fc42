"""Expand, then contract: every migration declares its phase, an expand migration only
adds, `flask schema expand` stops before the first contract migration and `flask schema
contract` finishes, and serving_revisions says which databases a release serves against."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from survey_app.upgrades import PHASES, Step, database_revision, migration_steps, serving_revisions
from tests.helpers import TEST_CONFIG, scratch_database

#: what the previous release cannot run against (PostgreSQL's spelling, as Alembic writes it)
TAKES_AWAY = re.compile(r"\bDROP\s+(TABLE|COLUMN)\b|\bRENAME\b|\bSET\s+NOT\s+NULL\b|\bALTER\s+COLUMN\s+\S+\s+TYPE\b",
                        re.IGNORECASE)


def test_every_migration_declares_a_phase():
    steps = migration_steps()
    assert [s.revision for s in steps][:2] == ["0001", "0002"] and len(steps) >= 11
    undeclared = [s.revision for s in steps if s.phase not in PHASES]
    assert undeclared == [], f"migrations without phase = 'expand' or 'contract': {undeclared}"
    # downtime is a kind of contract: an expand migration never stops the previous release
    assert [s.revision for s in steps if s.needs_downtime and s.phase != "contract"] == []
    assert {s.revision for s in steps if s.phase == "contract"} >= {"0003", "0011"}


def _chain(*phases: str) -> tuple[Step, ...]:
    """Steps r1, r2, ... of the given phases; "contract!" needs downtime."""
    return tuple(Step(f"r{i}", f"r{i - 1}" if i > 1 else None, phase.rstrip("!"), phase.endswith("!"))
                 for i, phase in enumerate(phases, start=1))


def test_serving_revisions_reach_back_over_contract_migrations_to_the_last_expand_one():
    assert serving_revisions(_chain("expand", "expand", "contract", "contract")) == {"r2", "r3", "r4"}
    assert serving_revisions(_chain("expand", "contract", "expand")) == {"r3"}
    assert serving_revisions(_chain("expand", "expand", "contract!")) == {"r3"}
    assert serving_revisions(_chain("expand", "contract!", "contract")) == {"r2", "r3"}
    # this release: 0011 needs downtime, so only the head serves
    assert serving_revisions() == {migration_steps()[-1].revision} == {"0011"}


@contextmanager
def app_without_schema(backend: str, request, tmp_path):
    """An app over a database of its own with no migration run yet, in its app context."""
    from survey_app import create_app
    from survey_app.extensions import db

    with scratch_database(backend, request, tmp_path, "survey_phases") as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def empty_app(backend, request, tmp_path):
    with app_without_schema(backend, request, tmp_path) as app:
        yield app


def _revision() -> str | None:
    from survey_app.extensions import db

    with db.engine.connect() as connection:
        return database_revision(connection)


@pytest.mark.parametrize("start, expanded, next_contract", [("0001", "0002", "0003"), ("0004", "0010", "0011")])
def test_schema_expand_stops_before_the_first_contract_migration_and_contract_finishes(
        empty_app, start, expanded, next_contract):
    from flask_migrate import upgrade

    upgrade(revision=start)
    runner = empty_app.test_cli_runner()

    status = runner.invoke(args=["schema", "status"])
    assert status.exit_code == 0, status.output
    assert f"Database at: {start}" in status.output and "cannot serve" in status.output

    result = runner.invoke(args=["schema", "expand"])
    assert result.exit_code == 0, result.output
    assert _revision() == expanded
    assert f"Next: {next_contract} (contract, needs downtime)" in result.output

    status = runner.invoke(args=["schema", "status"])
    assert f"pending: {next_contract} (contract, needs downtime)" in status.output
    assert "cannot serve against the database until `flask schema contract` has run" in status.output

    again = runner.invoke(args=["schema", "expand"])
    assert again.exit_code == 0 and _revision() == expanded
    assert f"Nothing to expand: the database is at {expanded}." in again.output

    result = runner.invoke(args=["schema", "contract"])
    assert result.exit_code == 0, result.output
    assert _revision() == "0011"
    status = runner.invoke(args=["schema", "status"])
    assert "pending" not in status.output and "This release can serve against the database." in status.output
    assert "Nothing to do" in runner.invoke(args=["schema", "contract"]).output


def test_expand_migrations_only_add(request, tmp_path):
    """Each migration is run on its own against PostgreSQL and every statement it sends is
    kept: an expand migration sends no DROP TABLE, DROP COLUMN, RENAME, SET NOT NULL or
    change of a column's type. (On SQLite, a batch migration copies a table to change a
    constraint, which drops and renames it: SQLite serves one host, which stops to upgrade.)"""
    from flask_migrate import upgrade

    from survey_app.extensions import db

    sent: dict[str, list[str]] = {}
    current: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        current.append(statement)

    with app_without_schema("postgresql", request, tmp_path):
        sa.event.listen(db.engine, "before_cursor_execute", record)
        for step in migration_steps():
            current.clear()
            upgrade(revision=step.revision)
            sent[step.revision] = list(current)

    taking_away = {revision: [s for s in statements if TAKES_AWAY.search(s)] for revision, statements in sent.items()}
    expand = [s.revision for s in migration_steps() if s.phase == "expand"]
    assert {r: taking_away[r] for r in expand if taking_away[r]} == {}
    # the check sees what the contract migrations take away
    assert any("DROP COLUMN" in s for s in taking_away["0003"])
    assert any("SET NOT NULL" in s for s in taking_away["0011"])
    assert all(sent[r] for r in expand), "a migration sent no SQL: the recording missed it"
