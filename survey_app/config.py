"""Configuration from environment variables, with safe defaults for a laptop."""
from __future__ import annotations

import os
from pathlib import Path

from scoring.peers import check_minimum

DEV_SECRET = "development-secret-do-not-use-in-production"
DEV_EMAIL_HASH_KEY = "development-email-hash-key-do-not-use-in-production"
ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


class ConfigError(RuntimeError):
    pass


#: one line per event, as people read it or as a log collector parses it (operator_logs.py)
LOG_FORMATS = ("text", "json")


def check_log_format(value) -> str:
    if value not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be {' or '.join(LOG_FORMATS)} (it is {value!r}).")
    return value


class Config:
    """Read once at start-up; a test passes a mapping of overrides instead."""

    def __init__(self) -> None:
        instance = Path(os.environ.get("SURVEY_INSTANCE_PATH", ROOT / "instance"))
        self.INSTANCE_PATH = str(instance)
        self.ENV = os.environ.get("SURVEY_ENV", "development")
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
        #: HMAC key for email hashes; separate from SECRET_KEY so rotating one leaves the other
        self.EMAIL_HASH_KEY = os.environ.get("EMAIL_HASH_KEY", DEV_EMAIL_HASH_KEY)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'survey.db'}")
        # hide_parameters: a database error never repeats the values (addresses) in logs;
        # pooled connections are checked before use when idle (extensions.ping_when_idle)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
        self.BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
        self.MAIL_PORT = _int("MAIL_PORT", 8025)
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ICT user survey <survey@localhost>")
        self.MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 20)
        #: sending window: weekdays between these hours, local time
        self.SEND_WINDOW_TIMEZONE = os.environ.get("SEND_WINDOW_TIMEZONE", "Europe/London")
        self.SEND_WINDOW_START_HOUR = _int("SEND_WINDOW_START_HOUR", 8)
        self.SEND_WINDOW_END_HOUR = _int("SEND_WINDOW_END_HOUR", 18)
        self.SEND_WINDOW_WEEKDAYS_ONLY = _bool("SEND_WINDOW_WEEKDAYS_ONLY", True)
        self.SEND_BATCH_SIZE = _int("SEND_BATCH_SIZE", 200)
        self.SEND_CONNECTIONS = _int("SEND_CONNECTIONS", 4)
        #: a scheduler that dies leaves its claimed mail to others after this long
        self.SEND_LEASE_SECONDS = _int("SEND_LEASE_SECONDS", 300)
        #: temporary SMTP failures: first retry after this, doubling up to the cap
        self.SEND_RETRY_BASE_SECONDS = _int("SEND_RETRY_BASE_SECONDS", 60)
        self.SEND_RETRY_CAP_SECONDS = _int("SEND_RETRY_CAP_SECONDS", 1800)
        #: a message still failing temporarily this long after it was due is marked failed
        self.SEND_GIVE_UP_HOURS = _int("SEND_GIVE_UP_HOURS", 72)
        #: days after a campaign closes before plain email addresses are erased
        self.EMAIL_ERASE_GRACE_DAYS = _int("EMAIL_ERASE_GRACE_DAYS", 30)
        #: submissions released into the submitted store together, at least (0: each
        #: campaign's anonymity threshold); see survey_app/submissions.py
        self.SUBMISSION_BATCH_MINIMUM = _int("SUBMISSION_BATCH_MINIMUM", 0)
        #: `flask scheduler` serves its Prometheus metrics on 127.0.0.1 at this port (0: not at all)
        self.SCHEDULER_METRICS_PORT = _int("SCHEDULER_METRICS_PORT", 0)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", self.ENV == "production")
        #: a signed-in session ends after this long without a request...
        self.PERMANENT_SESSION_LIFETIME = _int("SESSION_IDLE_SECONDS", 2 * 3600)
        #: ...and after this long in any case
        self.SESSION_ABSOLUTE_LIFETIME = _int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
        #: sign-ins one client address may try in 5 minutes, whatever the accounts (raise it
        #: where many staff share one address, e.g. behind a council's NAT)
        self.SIGN_IN_CLIENT_LIMIT = _int("SIGN_IN_CLIENT_LIMIT", 20)
        #: the largest upload accepted (a participant list of a few hundred thousand people)
        self.MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_BYTES", 64 * 1024 * 1024)
        #: reverse proxies in front of the app (the README's nginx: 1). Their X-Forwarded-For
        #: and X-Forwarded-Proto are believed that many hops deep, so request.remote_addr is
        #: the client the sign-in limits count; 0 (no proxy) believes none, as a client can
        #: send those headers itself
        self.PROXY_COUNT = _int("PROXY_COUNT", 0)
        #: a benchmark (median and quartiles) needs at least this many organisations in
        #: the peer group (DESIGN.md definition 7); refused below 3
        self.MIN_PEER_GROUP = _int("MIN_PEER_GROUP", 5)
        self.WTF_CSRF_TIME_LIMIT = None  # a respondent may leave a page open all day
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/London"  # dates are shown in UK time
        self.BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "locales")
        self.TESTING = False
        #: text or json: the app's, gunicorn's and the scheduler's log lines
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def validate(config) -> None:
    """Refuse to start with a setting that cannot work, and a production app with
    development secrets."""
    limit = config.get("SIGN_IN_CLIENT_LIMIT", 20)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ConfigError(f"SIGN_IN_CLIENT_LIMIT must be a whole number, 1 or more (it is {limit!r}).")
    minimum = config.get("MIN_PEER_GROUP", 5)
    try:
        check_minimum(minimum)
    except ValueError as exc:
        raise ConfigError(f"MIN_PEER_GROUP {exc}.") from None
    check_log_format(config.get("LOG_FORMAT", "text"))
    port = config.get("SCHEDULER_METRICS_PORT", 0)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise ConfigError(f"SCHEDULER_METRICS_PORT must be a port number, or 0 for none (it is {port!r}).")
    if config.get("ENV") != "production":
        return
    problems = []
    if config.get("SECRET_KEY") in (None, "", DEV_SECRET) or len(config.get("SECRET_KEY", "")) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if config.get("EMAIL_HASH_KEY") in (None, "", DEV_EMAIL_HASH_KEY) or len(config.get("EMAIL_HASH_KEY", "")) < 32:
        problems.append("EMAIL_HASH_KEY must be set to a random value of at least 32 characters")
    if config.get("EMAIL_HASH_KEY") == config.get("SECRET_KEY"):
        problems.append("EMAIL_HASH_KEY must differ from SECRET_KEY")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))
