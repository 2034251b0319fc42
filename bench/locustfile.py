"""Load clients for `bench/load.py` (Locust, headless). Which user class runs is chosen on
the command line; each request is named by the kind of page so percentiles are per kind."""
from __future__ import annotations

import os

from locust import FastHttpUser, constant, task
from locust.exception import StopUser


class BareGet(FastHttpUser):
    """Baseline: a bare Flask app returning a small page."""

    wait_time = constant(0)

    @task
    def page(self):
        self.client.get("/", name="bare GET")


class BareInsert(FastHttpUser):
    """Baseline: a bare Flask app inserting one row per POST into PostgreSQL."""

    wait_time = constant(0)

    @task
    def insert(self):
        self.client.post("/insert", data={"item": "sat_S1", "value": "5"}, name="bare insert POST")


def links() -> list[str]:
    path = os.environ.get("BENCH_LINKS")
    return open(path).read().split() if path else []


_links = links()


def next_link() -> str:
    if not _links:
        raise StopUser()
    return _links.pop()


class RespondentGet(FastHttpUser):
    """The respondent's first page (the personal link) again and again: the page GET ratio."""

    wait_time = constant(0)

    def on_start(self):
        self.link = next_link()

    @task
    def page(self):
        self.client.get(self.link, name="respondent GET")
