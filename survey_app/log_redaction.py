"""Personal links out of every log line: `/s/<token>/p/comments` is logged as
`/s/…/p/comments`, `/stop-reminders/<token>` as `/stop-reminders/…`, and a query string
is never logged at all (`?next=` or any other parameter may carry a link or an address),
and an email address anywhere (a path typed with one in it, an SMTP reply quoted in a
traceback) is logged as `[address]`.

A token is a capability: whoever reads it in a log can answer as that person, read their
saved answers or stop their reminders. The filter works on the finished message, so it
holds for Flask's "Exception on ... [POST]", the development server's request lines and
anything else, whatever the format; gunicorn's logs use it through
survey_app.gunicorn_logging.
"""
from __future__ import annotations

import logging
import re

from flask import Flask

from mailer.transport import scrub_addresses

ELLIPSIS = "…"
#: the part of a path after /s/ or /stop-reminders/, also percent-encoded (in a query string)
_TOKEN = re.compile(r"((?:/|%2F)(?:s|stop-reminders)(?:/|%2F))[^/?#&%\s\"'<>]+", re.I)
#: a query string after a path (in a request line or a URL), up to the next space or quote
_QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]*")


def redact_path(path: str) -> str:
    """A path with any personal token replaced by an ellipsis and any address by
    `[address]` (the query string kept)."""
    return scrub_addresses(_TOKEN.sub(lambda m: m.group(1) + ELLIPSIS, path))


def redact(text: str) -> str:
    """Text with every personal token, address and query string taken out."""
    return redact_path(_QUERY.sub(r"\1", text))


class RedactLinks(logging.Filter):
    """Rewrites each record's message (and traceback) without tokens, addresses or query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)
            record.exc_info = None  # a formatter would write the traceback again from it
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def add_filter(logger: logging.Logger) -> None:
    """Give a logger the filter once (the factory may run many times in one process)."""
    if not any(isinstance(f, RedactLinks) for f in logger.filters):
        logger.addFilter(RedactLinks())


def init_app(app: Flask) -> None:
    # Flask's own error log (Flask.log_exception) and the development server's request log
    add_filter(app.logger)
    add_filter(logging.getLogger("werkzeug"))
