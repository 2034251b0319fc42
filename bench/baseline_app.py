"""The baselines: a bare Flask app returning a small page, and one inserting one row per
POST into the same PostgreSQL, served by the same gunicorn settings as the product.

    gunicorn bench.baseline_app:app   (BENCH_DATABASE_URL names the database)
"""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, request

app = Flask(__name__)
_engine: sa.Engine | None = None


def engine() -> sa.Engine:
    global _engine
    if _engine is None:
        _engine = sa.create_engine(os.environ["BENCH_DATABASE_URL"], pool_size=10, max_overflow=20)
    return _engine

rows = sa.Table("bench_row", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("item", sa.String(64)), sa.Column("value", sa.Text))

PAGE = "<!DOCTYPE html><html lang=en><head><title>Baseline</title></head><body><h1>Baseline</h1>" + (
    "<p>A small page of about the size of a survey question.</p>" * 20) + "</body></html>"


@app.get("/")
def page():
    return PAGE


@app.post("/insert")
def insert():
    with engine().begin() as conn:
        conn.execute(rows.insert().values(item=request.form.get("item", "x"), value=request.form.get("value", "1")))
    return "ok"
