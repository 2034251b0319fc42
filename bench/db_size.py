"""How much disk a round takes in PostgreSQL (docs/capacity.md): a fresh database filled by
bench/dataset.py as a round leaves it (participants, sent invitations, 40% submitted with
every answer in the store, 10% part way), then VACUUM ANALYZE, measured with
pg_total_relation_size per table (indexes and TOAST included) and pg_database_size.

    .venv/bin/python -m bench.db_size [--participants 100000]
"""
from __future__ import annotations

import argparse

import sqlalchemy as sa

from . import dataset
from .common import table
from .product import product_database

ORGANISATIONS = 300


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    args = parser.parse_args(argv)
    with product_database("bench_db_size") as (app, url, _instance):
        dataset.build(app, url, args.participants, ORGANISATIONS, answers="all")
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            whole = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
            sizes = conn.execute(sa.text(
                "SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
                "ORDER BY 2 DESC")).all()
        engine.dispose()
    total = sum(size for _name, size, _rows in sizes)
    rows = [["table", "rows", "MB", "bytes a participant"],
            *[[name, f"{rows:,}", f"{size / 2**20:,.1f}", f"{size / args.participants:,.0f}"]
              for name, size, rows in sizes if size > 100_000],
            ["all tables", "", f"{total / 2**20:,.1f}", f"{total / args.participants:,.0f}"],
            ["the database", "", f"{whole / 2**20:,.1f}", f"{whole / args.participants:,.0f}"]]
    print(f"{args.participants:,} participants in {ORGANISATIONS} organisations:\n" + table(rows))


if __name__ == "__main__":
    main()
