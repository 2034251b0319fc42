"""Everything the mailer needs to know, read once from a plain mapping (the app's config).

The mailer never reads Flask's `current_app`: whoever runs it builds these settings and
passes them in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Mapping

from .window import SendWindow

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class MailerSettings:
    #: signs the personal and stop-reminders links
    secret_key: str
    #: the public address the links start with
    base_url: str
    #: the From header, e.g. "ICT user survey <survey@example.org>"
    sender: str = "ICT user survey <survey@localhost>"
    #: where locales/<lang>/LC_MESSAGES/messages.mo are
    translations_dir: str = str(ROOT / "locales")
    window: SendWindow = field(default_factory=SendWindow)
    #: rows claimed per transaction
    batch_size: int = 200
    #: SMTP connections a dispatcher sends over at once, each claiming its own batches
    #: (one on SQLite, which has one writer at a time)
    connections: int = 1
    #: how long a claim lasts: a dispatcher that dies leaves its rows claimable after this
    lease: timedelta = timedelta(minutes=5)
    #: first retry delay after a temporary failure; doubled each time up to `retry_cap`
    retry_base: timedelta = timedelta(minutes=1)
    retry_cap: timedelta = timedelta(minutes=30)
    #: a message still failing temporarily this long after it was due is given up
    give_up_after: timedelta = timedelta(hours=72)
    #: a reminder goes only to people whose invitation went at least this long before it
    reminder_min_gap: timedelta = timedelta(days=2)
    #: plain addresses are erased this long after a campaign closes
    erase_grace: timedelta = timedelta(days=30)
    #: submissions released into the store together, at least (None: the campaign's
    #: anonymity threshold)
    batch_minimum: int | None = None

    @property
    def sender_domain(self) -> str:
        address = parseaddr(self.sender)[1]
        return address.rsplit("@", 1)[1] if "@" in address else "localhost"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "MailerSettings":
        """Settings from the application's configuration mapping (see survey_app/config.py)."""
        get = config.get
        return cls(
            secret_key=config["SECRET_KEY"],
            base_url=config["BASE_URL"],
            sender=get("MAIL_DEFAULT_SENDER") or cls.sender,
            translations_dir=str(get("BABEL_TRANSLATION_DIRECTORIES") or ROOT / "locales").split(";")[0],
            window=SendWindow(
                timezone=get("SEND_WINDOW_TIMEZONE", "Europe/London"),
                start_hour=int(get("SEND_WINDOW_START_HOUR", 8)),
                end_hour=int(get("SEND_WINDOW_END_HOUR", 18)),
                weekdays_only=bool(get("SEND_WINDOW_WEEKDAYS_ONLY", True)),
            ),
            batch_size=int(get("SEND_BATCH_SIZE", 200)),
            connections=max(1, int(get("SEND_CONNECTIONS", 1))),
            lease=timedelta(seconds=int(get("SEND_LEASE_SECONDS", 300))),
            retry_base=timedelta(seconds=int(get("SEND_RETRY_BASE_SECONDS", 60))),
            retry_cap=timedelta(seconds=int(get("SEND_RETRY_CAP_SECONDS", 1800))),
            give_up_after=timedelta(hours=int(get("SEND_GIVE_UP_HOURS", 72))),
            erase_grace=timedelta(days=int(get("EMAIL_ERASE_GRACE_DAYS", 30))),
            batch_minimum=int(get("SUBMISSION_BATCH_MINIMUM") or 0) or None,
        )

    def retry_delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed try: 1, 2, 4, ... minutes, capped."""
        return min(self.retry_base * (2 ** min(max(attempts - 1, 0), 20)), self.retry_cap)
