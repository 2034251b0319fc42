"""The Flask side of the mailer: Flask-Mail over SMTP, and the context jobs run with.

Flask-Mail builds each message (MIME parts, encoded headers, sanitised addresses) and
opens the SMTP connection from the MAIL_* settings. The SMTP transaction itself is driven
step by step (MAIL FROM, RCPT TO, then the hand-over check, then DATA) instead of with
`sendmail`, so that the dispatcher can record the hand-over between the recipient being
accepted and the message being sent (mailer/dispatcher.py explains why).
"""
from __future__ import annotations

import io
import re
import smtplib
import socket
import time
from contextlib import contextmanager
from email import policy
from email.generator import BytesGenerator
from typing import Callable, Iterator

import flask_mail
from flask import Flask

from mailer.context import MailerContext, system_clock
from mailer.render import Renderer
from mailer.settings import MailerSettings
from mailer.transport import CONNECTION, MESSAGE, DeliveryError, OutgoingEmail

from .extensions import db

_renderers: dict[str, Renderer] = {}


class _TimedConnection(flask_mail.Connection):
    """Flask-Mail's connection with a socket timeout (Flask-Mail passes none, and a server
    that stops answering would hang the scheduler)."""

    def __init__(self, state, timeout: float):
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self):
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, timeout=self.timeout)
        # the "." that ends a message goes on its own, after the hand-over mark (deliver):
        # with Nagle's algorithm it would wait for the server's delayed ACK of the text,
        # about 40 ms a message
        host.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def _connection_error(exc: BaseException) -> DeliveryError:
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(CONNECTION, False, f"{exc.smtp_code} {exc.smtp_error!r}", exc.smtp_code)
    return DeliveryError(CONNECTION, False, f"{type(exc).__name__}: {exc}")


class FlaskMailConnection:
    """One SMTP connection, opened at the first message, reopened once if the server
    dropped an idle connection."""

    def __init__(self, app: Flask, state, timeout: float):
        self.app = app
        self.state = state
        self.timeout = timeout
        self.connection: _TimedConnection | None = None

    def _host(self) -> smtplib.SMTP:
        if self.connection is None:
            connection = _TimedConnection(self.state, self.timeout)
            try:
                connection.host = connection.configure_host()
            except (OSError, smtplib.SMTPException) as exc:
                raise _connection_error(exc) from None
            self.connection = connection
        return self.connection.host

    def close(self) -> None:
        if self.connection is not None and self.connection.host is not None:
            try:
                self.connection.host.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.host.close()
        self.connection = None

    def _message(self, email: OutgoingEmail) -> flask_mail.Message:
        with self.app.app_context():  # Flask-Mail reads its settings from the app
            message = flask_mail.Message(subject=email.subject, recipients=[email.recipient], body=email.text,
                                         html=email.html, sender=self.state.default_sender,
                                         extra_headers=dict(email.headers), date=time.time())
            if email.message_id:
                message.msgId = email.message_id
            if message.has_bad_headers():
                raise DeliveryError(MESSAGE, True, "The message has a header with a line break in it.")
            return message

    def _start(self, sender: str) -> tuple[smtplib.SMTP, tuple[int, bytes]]:
        """MAIL FROM on an open connection; a reused connection the server has dropped
        in the meantime is reopened once."""
        for attempt in (1, 2):
            reused = self.connection is not None
            host = self._host()
            try:
                host.ehlo_or_helo_if_needed()
                return host, host.mail(sender)
            except smtplib.SMTPServerDisconnected as exc:
                self.close()
                if not (reused and attempt == 1):
                    raise _connection_error(exc) from None
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise _connection_error(exc) from None
        raise AssertionError("unreachable")

    def deliver(self, email: OutgoingEmail, at_hand_over: Callable[[], bool]) -> bool:
        message = self._message(email)
        with self.app.app_context():
            payload = _as_bytes(message)
        sender = flask_mail.sanitize_address(message.sender)
        recipient = flask_mail.sanitize_address(email.recipient)
        try:
            host, (code, reply) = self._start(sender)
            if code != 250:
                raise DeliveryError.from_reply("mail", code, reply)
            code, reply = host.rcpt(recipient)
            if code not in (250, 251):
                raise DeliveryError.from_reply("rcpt", code, reply)
            # DATA as smtplib's data() sends it, but with the hand-over recorded between the
            # message's text and the "." that ends it: until that dot the server keeps
            # nothing, after it the server has the message (transport.py)
            code, reply = host.docmd("data")
            if code != 354:
                raise DeliveryError.from_reply("data", code, reply)
            host.send(_dot_stuffed(payload))
            if not at_hand_over():
                self.close()  # a message that never ended is thrown away by the server
                return False
            host.send(b"." + smtplib.bCRLF)
            code, reply = host.getreply()
            if code != 250:
                raise DeliveryError.from_reply("data", code, reply)
        except DeliveryError as error:
            self._reset_after(error)
            raise
        except smtplib.SMTPResponseException as exc:  # DATA refused before the message was sent
            error = DeliveryError.from_reply("data", exc.smtp_code, exc.smtp_error)
            self._reset_after(error)
            raise error from None
        except UnicodeEncodeError:
            self._reset_after(DeliveryError(MESSAGE, True, ""))
            raise DeliveryError(MESSAGE, True, "The address needs SMTPUTF8, which is not used.") from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise _connection_error(exc) from None
        with self.app.app_context():
            flask_mail.email_dispatched.send(self.app, message=message)
        return True

    def _reset_after(self, error: DeliveryError) -> None:
        if error.scope == CONNECTION:
            self.close()
            return
        try:
            if self.connection is not None:
                self.connection.host.rset()
        except (OSError, smtplib.SMTPException):
            self.close()


def _dot_stuffed(payload: bytes) -> bytes:
    """The message's text as DATA carries it (RFC 5321 4.5.2, as smtplib.SMTP.data does):
    a line starting with "." gets another, and the text ends with a line break, ready for
    the "." line that ends the message."""
    text = re.sub(rb"(?m)^\.", b"..", payload)
    return text if text.endswith(smtplib.bCRLF) else text + smtplib.bCRLF


#: the message's bytes as the email package's original generator writes them. Flask-Mail's
#: as_bytes() re-parses every header with the newer policy's header classes, which was a
#: quarter of the dispatcher's time (bench/RESULTS.md); the headers it sets are already
#: encoded, so the bytes mean the same (tests/mailer read every message back).
_WIRE = policy.compat32.clone(linesep="\r\n")


def _as_bytes(message: flask_mail.Message) -> bytes:
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False, policy=_WIRE).flatten(message._message())
    return buffer.getvalue()


class FlaskMailTransport:
    """Sends with Flask-Mail using the app's MAIL_* settings as they are now."""

    def __init__(self, app: Flask):
        self.app = app

    @contextmanager
    def connect(self) -> Iterator[FlaskMailConnection]:
        state = flask_mail.Mail().init_mail(self.app.config, self.app.debug, testing=False)
        connection = FlaskMailConnection(self.app, state, float(self.app.config.get("MAIL_TIMEOUT", 20)))
        try:
            yield connection
        finally:
            connection.close()


def mailer_context(app: Flask, clock=system_clock) -> MailerContext:
    """The context the jobs run with, from the app's configuration and database."""
    app = getattr(app, "_get_current_object", lambda: app)()  # jobs run in other threads: no proxies
    settings = MailerSettings.from_config(app.config)
    renderer = _renderers.get(settings.translations_dir)
    if renderer is None:
        renderer = _renderers[settings.translations_dir] = Renderer(settings.translations_dir)
    with app.app_context():
        engine = db.engine
    return MailerContext(engine=engine, settings=settings, transport=FlaskMailTransport(app),
                         renderer=renderer, clock=clock)
