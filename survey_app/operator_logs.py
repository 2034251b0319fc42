"""Logs an operator can use: one line per event, as text or as JSON (LOG_FORMAT), each line
written during a request carrying that request's id.

The id comes from the reverse proxy (nginx sends `X-Request-Id $request_id` and logs the
same value) when it is a plain word of at most 64 characters; anything else a client could
have sent (a link, an address, a newline) is replaced by a new id, never logged. The id is
kept in the WSGI environ, which the app and gunicorn's access log share, so the access line
carries the id the app used; the app sends it back as the response's X-Request-Id.

Every handler set up here redacts what it writes (survey_app.log_redaction), whichever
logger the record comes from: gunicorn's error log (survey_app.gunicorn_logging, which
also takes the app's own records) and `flask scheduler`'s standard error.
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import datetime, timezone

from flask import Flask, Request, has_request_context, request

from .log_redaction import RedactLinks, redact_path

HEADER = "X-Request-Id"
#: what a request id may be: nginx's $request_id is 32 hex digits
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: where the request's id and kind of page are kept for the access log
ENVIRON_ID = "survey_app.request_id"
ENVIRON_KIND = "survey_app.kind"
#: polled by the load balancer and monitoring every few seconds: no access line each
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
#: the kind of page each blueprint serves (the home page tells a respondent to open their link)
_BLUEPRINT_KINDS = {"respond": "respondent", "maturity": "respondent", "reminders": "respondent",
                    "auth": "staff", "dashboard": "staff", "console": "staff", "devmail": "staff"}
_ENDPOINT_KINDS = {"static": "static", "site.home": "respondent", "dashboard.rate_json": "json"}
#: the request's facts a JSON line carries, when they are known
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "kind")


def request_id(environ: dict) -> str:
    """The request's id, the same each time it is asked for: the proxy's X-Request-Id when
    it is safe to log, else a new one."""
    found = environ.get(ENVIRON_ID)
    if found is None:
        sent = environ.get("HTTP_X_REQUEST_ID", "")
        found = environ[ENVIRON_ID] = sent if _SAFE_ID.fullmatch(sent) else uuid.uuid4().hex
    return found


def page_kind(req: Request, mimetype: str | None = None) -> str | None:
    """respondent, staff, json, static or health, from the route the request matched (never
    from the path, which is the client's); json also for any answer of that type, once the
    `mimetype` of the response is known (the metrics); None when it matched no route.
    The logs and the metrics both use it, so a kind means the same in each."""
    if req.url_rule is None:
        return None
    if req.url_rule.rule in QUIET_PATHS:
        return "health"
    if mimetype == "application/json":
        return "json"
    return _ENDPOINT_KINDS.get(req.endpoint) or _BLUEPRINT_KINDS.get(req.blueprint)


class RequestFields(logging.Filter):
    """Puts the request's id, method, path (redacted) and kind on each record written while
    the app serves it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and getattr(record, "request_id", None) is None:
            record.request_id = request_id(request.environ)
            record.method = request.method
            record.path = redact_path(request.path)
            record.kind = page_kind(request)
        return True


class JsonLines(logging.Formatter):
    """A record as one JSON object on one line; a traceback is a field, not more lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        line.update((name, getattr(record, name)) for name in FIELDS if getattr(record, name, None) is not None)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["traceback"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line)


class TextLines(logging.Formatter):
    """The usual text line, with ` request_id=...` after the message when there is one."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        text = super().formatMessage(record)
        found = getattr(record, "request_id", None)
        return text if found is None else f"{text} request_id={found}"


def prepare(handler: logging.Handler, log_format: str, text_format: str, datefmt: str | None = None) -> None:
    """Give a handler the chosen line format, the redaction and the request's fields."""
    handler.setFormatter(JsonLines() if log_format == "json" else TextLines(text_format, datefmt))
    for kind in (RedactLinks, RequestFields):
        if not any(isinstance(f, kind) for f in handler.filters):
            handler.addFilter(kind())


def init_app(app: Flask) -> None:
    @app.after_request
    def _send_request_id(response):
        """The id back to the client and the proxy, and the kind of page for the access log."""
        response.headers[HEADER] = request_id(request.environ)
        request.environ[ENVIRON_KIND] = page_kind(request)
        return response
