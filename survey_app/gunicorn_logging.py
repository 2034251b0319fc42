"""gunicorn's logger with no personal link in its access or error log (deploy/gunicorn.conf.py
names it as `logger_class`).

Every value an access log format can use is redacted before it is formatted: the request
line and the path lose their tokens and their query string, the query string itself is
not logged, and so on for headers (Referer), response headers (Location of a redirect to
the next page) and the WSGI environment. The finished lines of both logs then go through
the same filter as the app's own log (survey_app.log_redaction), whatever the format.
"""
from __future__ import annotations

from gunicorn.glogging import Logger

from .log_redaction import add_filter, redact, redact_path

#: atoms with the query string in them, written without it
_WITHOUT_QUERY = ("{raw_uri}e", "{request_uri}e")


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        add_filter(self.error_log)
        add_filter(self.access_log)

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
        return clean
