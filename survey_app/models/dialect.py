"""SQL that differs between SQLite and PostgreSQL, kept in one place."""
from __future__ import annotations

from sqlalchemy.orm import Session


def insert_ignoring_conflicts(session: Session, model, *index_elements: str):
    """An INSERT that skips rows clashing with the unique constraint on `index_elements`
    (ON CONFLICT DO NOTHING): the database, not the caller, decides what is a duplicate,
    so two writers at once cannot both insert the same row."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(f"no ON CONFLICT support written for {name}")
    return _Ignoring(insert(model), list(index_elements))


class _Ignoring:
    """Builds the statement once the values or the SELECT are known."""

    def __init__(self, insert, index_elements: list[str]):
        self._insert = insert
        self._index = index_elements

    def for_many(self):
        """The statement for executemany (`session.execute(stmt, rows)`): compiled once
        and sent in batches of rows, instead of one statement compiled per batch."""
        return self._insert.on_conflict_do_nothing(index_elements=self._index)

    def values(self, rows):
        return self._insert.values(rows).on_conflict_do_nothing(index_elements=self._index)

    def from_select(self, names, select):
        return self._insert.from_select(names, select).on_conflict_do_nothing(index_elements=self._index)


def insert_for(session: Session, model):
    """The database's own INSERT for `model`, which has ON CONFLICT ... DO UPDATE and
    RETURNING on both databases (SQLite from 3.35): one statement that counts, however
    many writers arrive at once."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(f"no ON CONFLICT support written for {name}")
    return insert(model)
