"""Helpers for the mail tests: a recording SMTP handler that can misbehave, a clock in
UK time, campaigns that open on a known Monday, and one-pass runs of the mail jobs."""
from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

from mailer.render import EmailFacts

from tests.factories import make_campaign, make_org, make_participant

LONDON = ZoneInfo("Europe/London")
#: a Monday; a four-week campaign from it closes on Monday 1 April 2030, just after the
#: clocks go forward (Sunday 31 March)
OPENS = date(2030, 3, 4)
BEFORE_OPENING = datetime(2030, 1, 1, tzinfo=timezone.utc)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in UK time (what an operator would type as --now)."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def to(self) -> str:
        return self.recipients[0]

    @property
    def subject(self) -> str:
        return str(self.message["subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


class SmtpRecorder:
    """aiosmtpd handler: accepts and records, unless told to refuse, fail or stall."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []
        #: address -> reply to RCPT TO (e.g. "550 5.1.1 <x@y>: user unknown")
        self.refuse: dict[str, str] = {}
        #: answer MAIL FROM with this reply this many more times
        self.fail_mail_times = 0
        self.fail_mail_reply = "421 4.3.2 Service shutting down, try again later"
        #: stall the RCPT TO of the n-th transaction (1-based) until released
        self.stall_rcpt_of: int | None = None
        #: record the n-th message, then stall before answering DATA until released
        self.stall_after_data_of: int | None = None
        #: the same for every message from the n-th on (several connections each stall)
        self.stall_after_data_from: int | None = None
        #: hold each MAIL FROM until this many connections have sent one, so that dispatchers
        #: started apart send at the same time (for at most 30 s)
        self.gather = 0
        self.release = threading.Event()
        #: seconds to wait before answering each DATA
        self.delay = 0.0
        self.transactions = 0
        #: the client address of every SMTP connection that started a transaction
        self.peers: set = set()
        self.port = 0

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def recipients(self) -> list[str]:
        with self.lock:
            return [r.to for r in self.received]

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.to == address]

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the SMTP server received {self.count} messages, expected {count}")
            time.sleep(0.02)

    async def _stall(self) -> None:
        while not self.release.is_set():
            await asyncio.sleep(0.02)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.transactions += 1
            self.peers.add(tuple(session.peer))
            if self.fail_mail_times > 0:
                self.fail_mail_times -= 1
                return self.fail_mail_reply
        deadline = time.monotonic() + 30
        while len(self.peers) < self.gather and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        if self.stall_rcpt_of is not None and self.transactions == self.stall_rcpt_of:
            await self._stall()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
            number = len(self.received)
        from_here = self.stall_after_data_from is not None and number >= self.stall_after_data_from
        if self.stall_after_data_of == number or from_here:
            await self._stall()
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Message accepted"


def start_smtp(recorder: SmtpRecorder, port: int) -> Controller:
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    recorder.port = port
    return controller


def mail_pass(app, now: datetime):
    """One `flask mail send-due --now` pass, in process."""
    from mailer.context import fixed_clock
    from mailer.jobs import run_pass
    from survey_app.mailing import mailer_context

    return run_pass(mailer_context(app, clock=fixed_clock(now)), now)


def scheduled_campaign(type_letter: str = "E", language_policy: str | None = None, name: str = "Test Council",
                       name_cy: str | None = None, **overrides):
    """A four-week campaign opening on OPENS, still 'scheduled' (it is created in January)."""
    org = make_org(type_letter=type_letter, language_policy=language_policy, name=name, name_cy=name_cy)
    values = {"opens": OPENS, "now": BEFORE_OPENING}
    values.update(overrides)
    return make_campaign(org, **values)


def people(campaign, *languages: str | None, prefix: str = "person"):
    """One participant per language given (None: no preference)."""
    return [make_participant(campaign, email=f"{prefix}{i}@example.org", language=language)
            for i, language in enumerate(languages, start=1)]


def answer(participant, status: str, when: datetime):
    """Give a participant a partial response (found by their locator) or a submission
    (queued, sealed, as the respondent's submit leaves it; the participant marked submitted)."""
    from flask import current_app

    from survey_app.extensions import db
    from survey_app.links import response_locator
    from survey_app.models import Participant, Response
    from survey_app.submissions import queue_statement, queued_row

    secret = current_app.config["SECRET_KEY"]
    if status == "submitted":
        db.session.execute(queue_statement(), queued_row(
            campaign_id=participant.campaign_id, now=when, secret=secret, language="en", device_class=None,
            attributes={}, answers={}))
        db.session.get(Participant, participant.id).submitted = True
        db.session.commit()
        return None
    response = Response(campaign_id=participant.campaign_id, locator=response_locator(participant.id, secret),
                        started_at=when, updated_at=when)
    db.session.add(response)
    db.session.commit()
    return response


def outbox_rows(**filters):
    from survey_app.extensions import db
    from survey_app.models import OutboxMessage

    db.session.expire_all()
    return db.session.execute(db.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)).scalars().all()


def fresh(model, ident):
    """The row as the database has it now (the jobs write through their own sessions)."""
    from survey_app.extensions import db

    db.session.expire_all()
    return db.session.get(model, ident)


def facts(kind="invitation", started=False, organisation="Demo County Council",
          organisation_cy: str | None = None) -> EmailFacts:
    """A message's facts; without `organisation_cy` the Welsh part names the organisation
    by its English name, as for an organisation with no Welsh name."""
    return EmailFacts(
        kind=kind, started=started, organisation={"en": organisation, "cy": organisation_cy or organisation},
        title={"en": "ICT User Satisfaction Survey", "cy": "Arolwg Boddhad Defnyddwyr TGCh"},
        description={"en": "Tell us what you think of your organisation's ICT service.",
                     "cy": "Dywedwch wrthym beth yw eich barn am wasanaeth TGCh eich sefydliad."},
        minutes=10, last_day=date(2030, 3, 31),
        respond_url="http://survey.test/s/RESPOND-TOKEN", stop_url="http://survey.test/stop-reminders/STOP-TOKEN")


def return_facts(kind="invitation", lead=False, organisation="Demo County Council",
                 organisation_cy: str | None = None) -> EmailFacts:
    """A message to the lead (`lead`) or a contributor of an organisation's return (the
    Digital Maturity Assessment)."""
    return EmailFacts(**{
        **facts(kind, organisation=organisation, organisation_cy=organisation_cy).__dict__,
        "title": {"en": "Digital Maturity Assessment", "cy": "Asesiad Aeddfedrwydd Digidol"},
        "description": {"en": "Where your organisation stands in nine functions of digital practice.",
                        "cy": "Ble mae eich sefydliad yn sefyll mewn naw swyddogaeth o ymarfer digidol."},
        "organisation_return": True, "lead": lead})


#: name -> (facts, languages): the emails the snapshot and accessibility tests render
CASES = {
    "invitation_cy+en": (facts(), "cy+en"),
    "invitation_en+cy": (facts(), "en+cy"),
    "invitation_en": (facts(), "en"),
    "invitation_cy": (facts(), "cy"),
    "reminder_not_started_cy+en": (facts("reminder"), "cy+en"),
    "reminder_started_en": (facts("reminder", started=True), "en"),
    "reminder_started_cy": (facts("reminder", started=True), "cy"),
    "final_reminder_not_started_en": (facts("final_reminder"), "en"),
    "final_reminder_started_cy+en": (facts("final_reminder", started=True), "cy+en"),
    # an organisation with a Welsh name: each part names it in its own language
    "invitation_welsh_name_cy+en": (facts(organisation="Demo County Council",
                                          organisation_cy="Cyngor Sir Enghreifftiol"), "cy+en"),
    "reminder_welsh_name_cy": (facts("reminder", organisation_cy="Cyngor Sir Enghreifftiol"), "cy"),
    # an organisation's return (the DMA): to its lead and to a contributor
    "dma_invitation_lead_en": (return_facts(lead=True), "en"),
    "dma_invitation_lead_cy": (return_facts(lead=True, organisation_cy="Cyngor Sir Enghreifftiol"), "cy"),
    "dma_invitation_contributor_en": (return_facts(), "en"),
    "dma_invitation_contributor_cy": (return_facts(), "cy"),
    "dma_reminder_lead_cy": (return_facts("reminder", lead=True), "cy"),
    "dma_reminder_contributor_en": (return_facts("reminder"), "en"),
    "dma_final_reminder_lead_en+cy": (return_facts("final_reminder", lead=True), "en+cy"),
    "dma_final_reminder_contributor_cy+en": (return_facts("final_reminder"), "cy+en"),
}
