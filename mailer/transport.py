"""The boundary between the mailer and whatever talks SMTP.

The mailer hands over an `OutgoingEmail` and learns one of three things: it was accepted,
it was refused (a `DeliveryError` saying how far the refusal reaches and whether trying
again could help), or the caller's `at_hand_over` check declined at the last moment.

`at_hand_over` runs after the server has accepted the sender and the recipient and has
been sent the message's whole text, just before the "." line that ends the message and
makes the server take it: the dispatcher records there that the message is being handed
over (see dispatcher.py for why that moment matters). Declined, the connection is closed
without that line, and the server throws the unfinished message away. The Flask-Mail
implementation lives in survey_app/mailing.py.
"""
from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Callable, Protocol

#: a refusal that concerns the whole server or our account: stop the batch, retry later
CONNECTION = "connection"
#: a refusal that concerns this recipient only (RCPT TO)
RECIPIENT = "recipient"
#: a refusal of this message's content (after DATA)
MESSAGE = "message"

_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")


def scrub_addresses(text: str) -> str:
    """Text with every email address replaced, for logs and stored errors: SMTP servers
    like to repeat the recipient's address in their replies."""
    return _ADDRESS.sub("[address]", text)


@dataclass(frozen=True)
class OutgoingEmail:
    recipient: str
    subject: str
    text: str
    html: str
    #: extra headers (List-Unsubscribe, Content-Language, ...)
    headers: dict = field(default_factory=dict)
    #: the same for every try of the same outbox row, so receivers can drop a repeat
    message_id: str | None = None


class DeliveryError(Exception):
    """The SMTP server (or the way to it) refused or failed."""

    def __init__(self, scope: str, permanent: bool, detail: str, code: int | None = None):
        self.scope = scope
        self.permanent = permanent
        self.code = code
        self.detail = scrub_addresses(detail)[:500]
        #: set by the dispatcher: when the message that met this error is due again
        self.retry_at = None
        super().__init__(self.detail)

    @classmethod
    def from_reply(cls, stage: str, code: int, reply: bytes | str) -> "DeliveryError":
        """Classify an SMTP reply code at a stage (mail, rcpt, data)."""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        detail = f"{code} {text}".strip()
        if code == 421 or stage == "mail":
            # 421: the server is closing the connection; a refused sender is our set-up, not
            # the recipient's fault: both affect every message, so retry later
            return cls(CONNECTION, False, detail, code)
        scope = RECIPIENT if stage == "rcpt" else MESSAGE
        return cls(scope, 500 <= code < 600, detail, code)


class Connection(Protocol):
    def deliver(self, email: OutgoingEmail, at_hand_over: Callable[[], bool]) -> bool:
        """Send one message. True when the server accepted it, False when `at_hand_over`
        returned False (the server kept nothing); raises DeliveryError otherwise."""


class Transport(Protocol):
    def connect(self) -> AbstractContextManager[Connection]:
        """A connection, opened lazily at the first delivery and closed at the end."""
