"""gunicorn's logger with no personal link in its access or error log (deploy/gunicorn.conf.py
names it as `logger_class`), in the LOG_FORMAT the app uses (survey_app/operator_logs.py).

Every value an access log format can use is redacted before it is formatted: the request
line and the path lose their tokens and their query string, the query string itself is
not logged, and so on for headers (Referer), response headers (Location of a redirect to
the next page) and the WSGI environment. The finished lines of both logs then go through
the same filter as the app's own log (survey_app.log_redaction), whatever the format.

The app's own records (Flask's error log, the database's warnings) go to the error log's
handlers too, so in JSON every line of both logs is one object. An access line carries the
request's id (the one the app used and sent back) and is not written at all for the
health and metrics paths, which are polled every few seconds.
"""
from __future__ import annotations

import logging
import traceback

from gunicorn.glogging import Logger

from .config import Config, check_log_format
from .log_redaction import add_filter, redact, redact_path
from .operator_logs import ENVIRON_KIND, QUIET_PATHS, prepare, request_id

#: atoms with the query string in them, written without it
_WITHOUT_QUERY = ("{raw_uri}e", "{request_uri}e")


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        add_filter(self.error_log)
        add_filter(self.access_log)
        log_format = check_log_format(Config().LOG_FORMAT)  # before any worker starts the app
        for handler in self.error_log.handlers:
            prepare(handler, log_format, self.error_fmt, self.datefmt)
        for handler in self.access_log.handlers:
            prepare(handler, log_format, self.access_fmt)
        self._take_app_records()

    def _take_app_records(self) -> None:
        """The root logger writes through the error log's handlers (again after a reload:
        the handlers are new then)."""
        root = logging.getLogger()
        for handler in getattr(self, "_app_handlers", ()):
            root.removeHandler(handler)
        self._app_handlers = list(self.error_log.handlers)
        for handler in self._app_handlers:
            root.addHandler(handler)

    def access(self, resp, req, environ, request_time):
        """gunicorn's access line, with the request's facts for a JSON line."""
        if not self.access_log_enabled or environ.get("PATH_INFO") in QUIET_PATHS:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        facts = {"request_id": request_id(environ), "method": environ.get("REQUEST_METHOD"), "path": atoms["U"],
                 "status": getattr(resp, "status_code", None),
                 "duration_ms": round(request_time.total_seconds() * 1000, 1), "kind": environ.get(ENVIRON_KIND)}
        try:
            self.access_log.info(self.cfg.access_log_format, self.atoms_wrapper_class(atoms), extra=facts)
        except Exception:
            self.error(traceback.format_exc())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        clean = {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
        path = redact_path(environ.get("RAW_URI", "").split("?", 1)[0] or environ.get("PATH_INFO", ""))
        clean["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        clean["U"] = redact_path(environ.get("PATH_INFO", ""))
        clean["q"] = "-"
        clean["{query_string}e"] = "-"
        for key in _WITHOUT_QUERY:
            if key in clean:
                clean[key] = path
        # the id as the app used it: a client's header can hold anything
        clean["{x-request-id}i"] = clean["{x-request-id}o"] = clean["{http_x_request_id}e"] = request_id(environ)
        return clean
