"""Prometheus metrics of the web app, served at /metrics for a Prometheus on the same host
(deploy/nginx.conf answers /metrics with 404: it is never public).

Every request is timed into one histogram by the kind of page (respondent, staff, json,
static, health, other), its method and its status class; its `_count` is the number of
requests. The kind comes from the request's endpoint and blueprint, never from its path,
so no personal link can reach a label. Submissions are counted by the views once their
transaction has committed. The outbox's state is read from the database only when
/metrics is scraped (mailer/metrics.py), never on a request of any other page.

Under gunicorn with several workers each worker counts its own requests:
PROMETHEUS_MULTIPROC_DIR (set by deploy/gunicorn.conf.py) makes prometheus_client write
them to files there, and whichever worker answers /metrics adds them all up.
"""
from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Callable

from flask import Flask, Response, abort, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, start_http_server
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from sqlalchemy.engine import Engine

from mailer.context import MailerContext, system_clock
from mailer.metrics import OutboxCollector
from mailer.settings import MailerSettings
from mailer.window import SendWindow

from .extensions import db
from .operator_logs import page_kind

#: any other method (a client may send any word) is counted as "other": labels stay few
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram("survey_http_request_duration_seconds",
                            "Time to answer a request, by kind of page, method and status class.",
                            ["kind", "method", "status"])
SUBMISSIONS = Counter("survey_submissions", "Submissions committed: survey responses and organisation returns.",
                      ["kind"])
for _kind in ("response", "return"):
    SUBMISSIONS.labels(_kind)


def submitted(kind: str) -> None:
    """A submission of `kind` ("response" or "return") was committed."""
    SUBMISSIONS.labels(kind).inc()


def scrape_registry(engine: Engine, window: SendWindow, clock: Callable[[], datetime], *,
                    all_workers: bool) -> CollectorRegistry:
    """What a scrape returns: this process's metrics (or, `all_workers`, those of every
    gunicorn worker from PROMETHEUS_MULTIPROC_DIR) and the outbox read at scrape time."""
    registry = CollectorRegistry()
    if all_workers:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(OutboxCollector(engine, window, clock))
    return registry


def serve_scheduler_metrics(ctx: MailerContext, port: int):
    """The scheduler's metrics on 127.0.0.1:`port` in a thread of its own (its jobs' last
    successes, mail sent and failed, the outbox); returns the server, to shut down."""
    registry = scrape_registry(ctx.engine, ctx.settings.window, ctx.clock, all_workers=False)
    server, _thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    return server


def _started() -> None:
    g.setdefault("_metrics_started", time.perf_counter())  # a request run again keeps its first start


def _observe(response: Response) -> Response:
    started = g.get("_metrics_started")
    if started is not None:
        method = request.method if request.method in METHODS else "other"
        kind = page_kind(request, response.mimetype) or "other"
        REQUEST_SECONDS.labels(kind, method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Time every request (from before any other hook) and serve /metrics (GET only; any
    query string is ignored; 404 to a request a proxy passed on, as a second line behind
    deploy/nginx.conf's)."""
    with app.app_context():
        engine = db.engine
    window = MailerSettings.from_config(app.config).window
    registry = scrape_registry(engine, window, system_clock, all_workers="PROMETHEUS_MULTIPROC_DIR" in os.environ)

    def metrics():
        if "X-Forwarded-For" in request.headers:
            abort(404)  # came through a proxy: only a scrape on this host is answered (the README)
        return Response(generate_latest(registry), content_type=CONTENT_TYPE_PLAIN_0_0_4)

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_observe)
