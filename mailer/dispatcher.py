"""Sending the outbox: claim due rows, check each is still wanted, hand it to SMTP, record.

Claims
    A dispatcher claims a batch in one short transaction: on PostgreSQL
    SELECT ... FOR UPDATE SKIP LOCKED, then an UPDATE that re-checks the rows are still
    claimable; on SQLite (one writer at a time) the re-checking UPDATE alone. A claim sets
    status 'sending', a unique claim token in `claimed_by` and a lease in
    `next_attempt_at`. Nothing is held in any process's memory: a dispatcher that dies
    leaves rows that become claimable when the lease ends, and every later write is fenced
    by the claim token, so a dispatcher whose lease ran out cannot overwrite or resend a
    row someone else has taken over.

Hand-over, and what a kill can do
    Each message is sent in its own SMTP transaction. After the server has accepted the
    sender and the recipient and has been sent the message's whole text, and before the
    "." line that ends it (until which the server keeps nothing), the dispatcher commits
    `sent_at` on the row (the hand-over mark). Then the "." and the server's reply; then
    status 'sent'. If the process is killed, then for the message each of its SMTP
    connections was sending (a pass on PostgreSQL sends over `settings.connections` at
    once, one batch each; on SQLite over one):
    - before the mark: the server has at most an unfinished transaction, which it
      discards. The row is claimed again after the lease and sent: nothing lost or doubled;
    - after the mark, before 'sent' is committed (the "." on its way, the server
      processing the message, or its 250 reply on the way back): the server almost
      certainly has, or will have, the message. Resending would double it. We choose
      at-most-once for these messages, at most one per connection (so up to
      `settings.connections` of them): when the lease ends the next pass
      (mark_interrupted) marks each 'failed' with INTERRUPTED as its error; none is
      resent, `flask mail status` lists them, and `flask mail retry ID` resends one by
      hand. Only a kill in the microseconds between the mark's commit and the "." leaving
      loses a message; the mark used to come before the message's text, and then a kill
      while the text was on its way lost it too (the fault suite saw a quarter of the
      interrupted messages lost that way). The Message-ID is the same on every try of a
      row, so a resend by hand can be recognised as a repeat by the receiving system.
    Every other row of the killed batches (claimed, never marked) is sent exactly once,
    by the first pass after the lease.

Durability
    Only the hand-over mark must be on disk before the message goes: it is what stops a
    second send. The other writes of a message (the check before it, the final status
    after it) are committed without waiting for the disk flush (`durable=False`): were the
    database server to crash and lose one, a lost check leaves the row claimed, to be
    checked again after the lease, and a lost 'sent' leaves a handed-over row that is
    marked interrupted, never resent. One flush per message instead of three.

Failures
    Connection problems, 421 and a refused sender stop the batch: its rows go back to
    'pending' with exponential backoff (1, 2, 4 ... minutes, capped), so nothing is lost
    while the server is down. A 4xx for one recipient or message retries that message
    alone; 5xx to RCPT TO marks the participant bounced and cancels their other mail;
    5xx after DATA fails that message. A message still failing `give_up_after` past its
    due time is marked failed.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from types import SimpleNamespace

from markupsafe import escape
from sqlalchemy import and_, bindparam, exists, or_, select, update

from survey_app.links import respond_url, response_locator, stop_reminders_url
from survey_app.models import Campaign, MaturityContributor, MaturityReturn, OutboxMessage, Participant, Response

from . import metrics
from .context import MailerContext
from .eligibility import reason_not_to_send, template_kind
from .render import EmailFacts
from .transport import CONNECTION, RECIPIENT, DeliveryError, OutgoingEmail, scrub_addresses

log = logging.getLogger(__name__)

INTERRUPTED = ("Interrupted after the message was handed to the mail server: it was probably delivered, so it is "
               "not sent again automatically. `flask mail retry ID` sends it again.")
O = OutboxMessage
OUTBOX = OutboxMessage.__table__


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    bounced: int = 0
    failed: int = 0
    cancelled: int = 0
    interrupted: int = 0
    outside_window: bool = False
    #: why the pass stopped before the outbox was empty (a connection-level failure)
    stopped: str | None = None


def send_due(ctx: MailerContext, now: datetime | None = None, *, budget_seconds: float | None = None) -> SendResult:
    """Send every message due, batch after batch, until none is left, the server fails for
    everyone, the window closes or `budget_seconds` have passed (the next run carries on).
    With `now` given the whole pass runs at that time; without it, at the clock's time.

    On PostgreSQL the pass sends over `settings.connections` SMTP connections at once, one
    thread each, claiming batches as separate dispatchers would (the claims make that
    safe): most of a message's time is spent waiting for the database and the mail
    server, so one process keeps several conversations going (bench/RESULTS.md)."""
    fixed = now is not None
    now = now or ctx.now()
    result = SendResult()
    if not ctx.settings.window.contains(now):
        result.outside_window = True
        return result
    with ctx.transaction() as session:
        result.interrupted = mark_interrupted(session, now)
    if result.interrupted:
        metrics.failed("interrupted", result.interrupted)
    threads = ctx.settings.connections if ctx.engine.dialect.name == "postgresql" else 1
    stop = threading.Event()
    results = [SendResult() for _ in range(threads)]
    loop = partial(_send_loop, ctx, now, fixed, time.monotonic(), budget_seconds, stop)
    if threads == 1:
        loop(results[0])
    else:
        with ThreadPoolExecutor(threads, thread_name_prefix="dispatcher") as pool:
            for done in [pool.submit(loop, r) for r in results]:
                done.result()
    for part in results:
        for name in ("sent", "retrying", "bounced", "failed", "cancelled", "interrupted"):
            setattr(result, name, getattr(result, name) + getattr(part, name))
        result.stopped = result.stopped or part.stopped
    if any((result.sent, result.retrying, result.bounced, result.failed, result.interrupted)):
        log.info("outbox pass: %d sent, %d to retry, %d bounced, %d failed, %d cancelled, %d interrupted",
                 result.sent, result.retrying, result.bounced, result.failed, result.cancelled, result.interrupted)
    if result.stopped:
        log.warning("outbox pass stopped, will retry with backoff: %s", result.stopped)
    return result


def _send_loop(ctx: MailerContext, now: datetime, fixed: bool, started: float, budget_seconds: float | None,
               stop: threading.Event, result: SendResult) -> None:
    """Claim and send batches over one SMTP connection until there is nothing left to do,
    or another connection of the pass has found the server failing (`stop`)."""
    with ctx.transport.connect() as connection:
        while result.stopped is None and not stop.is_set():
            if not fixed:
                now = ctx.now()
                if not ctx.settings.window.contains(now):
                    break
            token = ctx.new_claim_token()
            ids = claim_batch(ctx, now, token)
            if not ids:
                break
            batch = _Batch()
            for position, outbox_id in enumerate(ids):
                outcome = _send_one(ctx, connection, outbox_id, token, now, result, batch)
                if outcome is not None:
                    result.stopped = outcome.detail
                    stop.set()
                    _release(ctx, ids[position + 1:], token, now, outcome)
                    break
            if budget_seconds is not None and time.monotonic() - started > budget_seconds:
                break


def mark_interrupted(session, now: datetime) -> int:
    """Rows whose dispatcher died after handing them to the server (see module doc)."""
    return session.execute(
        update(O).where(O.status == "sending", O.sent_at.is_not(None), O.next_attempt_at <= now)
        .values(status="failed", last_error=INTERRUPTED).execution_options(synchronize_session=False)
    ).rowcount


def claim_batch(ctx: MailerContext, now: datetime, token: str) -> list[int]:
    """Claim up to batch_size due rows for `token`; returns their ids, oldest due first."""
    claimable = and_(O.next_attempt_at <= now,
                     or_(O.status == "pending", and_(O.status == "sending", O.sent_at.is_(None))))
    with ctx.transaction() as session:
        candidates = list(session.execute(
            select(O.id).where(claimable).order_by(O.next_attempt_at, O.id)
            .limit(ctx.settings.batch_size).with_for_update(skip_locked=True)
        ).scalars())
        if not candidates:
            return []
        claimed = session.execute(
            update(O).where(O.id.in_(candidates), claimable)
            .values(status="sending", claimed_by=token, attempts=O.attempts + 1,
                    next_attempt_at=now + ctx.settings.lease)
            .returning(O.id).execution_options(synchronize_session=False)
        ).scalars().all()
    order = {outbox_id: i for i, outbox_id in enumerate(candidates)}
    return sorted(claimed, key=order.__getitem__)


def _send_one(ctx: MailerContext, connection, outbox_id: int, token: str, now: datetime,
              result: SendResult, batch: _Batch) -> DeliveryError | None:
    """Send one claimed row. Returns the error when it concerns every message (stop)."""
    prepared = _prepare(ctx, outbox_id, token, now, result, batch)
    if prepared is None:
        return None
    email, kind = prepared
    handed_over = False

    def hand_over() -> bool:
        nonlocal handed_over
        with ctx.connection() as db_connection:
            handed_over = db_connection.execute(
                update(OUTBOX).where(OUTBOX.c.id == outbox_id, OUTBOX.c.claimed_by == token,
                                     OUTBOX.c.status == "sending", OUTBOX.c.sent_at.is_(None))
                .values(sent_at=now, next_attempt_at=now + ctx.settings.lease)
            ).rowcount == 1
        return handed_over

    try:
        accepted = connection.deliver(email, at_hand_over=hand_over)
    except DeliveryError as error:
        if handed_over and error.code is None:
            # the connection broke after the message was handed over: the server may have it
            _finish(ctx, outbox_id, token, status="failed", last_error=f"{INTERRUPTED} ({error.detail})")
            result.interrupted += 1
            metrics.failed("interrupted")
            log.warning("outbox %d: connection lost after hand-over; not resent", outbox_id)
            return error
        metrics.failed(_failure_class(error))
        if error.scope == CONNECTION:
            error.retry_at = _retry_or_give_up(ctx, outbox_id, token, now, error, result)
            return error
        if error.permanent and error.scope == RECIPIENT:
            _bounce(ctx, outbox_id, token, now, error)
            result.bounced += 1
        elif error.permanent:
            _finish(ctx, outbox_id, token, status="failed", last_error=error.detail)
            result.failed += 1
            log.warning("outbox %d: refused permanently: %s", outbox_id, error.detail)
        else:
            _retry_or_give_up(ctx, outbox_id, token, now, error, result)
        return None
    if accepted:
        _finish(ctx, outbox_id, token, status="sent", last_error=None)
        result.sent += 1
        metrics.sent(kind)
        log.debug("outbox %d: sent", outbox_id)
    return None


def _failure_class(error: DeliveryError) -> str:
    """The failure's label in metrics.FAILURES, as _send_one handles it."""
    if error.scope == CONNECTION:
        return "connection"
    if not error.permanent:
        return "temporary"
    return "bounced" if error.scope == RECIPIENT else "permanent"


@dataclass
class _Batch:
    """What is read or rendered once per claimed batch rather than once per message."""

    #: campaign id -> the Campaign, with its organisation and questionnaire loaded
    campaigns: dict = field(default_factory=dict)
    #: (campaign id, kind, started, languages) -> the message rendered with stand-in links
    rendered: dict = field(default_factory=dict)


def _prepare(ctx: MailerContext, outbox_id: int, token: str, now: datetime, result: SendResult,
             batch: _Batch) -> tuple[OutgoingEmail, str] | None:
    """The email for a claimed row and the row's kind, or None when the claim was lost or
    the message is no longer wanted (then the row is cancelled with the reason).

    The row, its participant and their response are read fresh for every message, as
    plain columns in one query; the campaign (with its organisation and questionnaire)
    once per batch, and the message's text once per batch for all who get the same
    wording (`batch`): building those objects and rendering the templates for every
    message was the largest part of the dispatcher's time (bench/RESULTS.md)."""
    campaigns = batch.campaigns
    with ctx.connection(durable=False) as connection:
        found = connection.execute(
            select(O.id, O.kind, O.language, O.claimed_by, O.status, O.participant_id, Participant.campaign_id,
                   Participant.status.label("participant_status"), Participant.email, Participant.opted_out_at,
                   Participant.submitted)
            .join(Participant, Participant.id == O.participant_id)
            .where(O.id == outbox_id)
        ).one_or_none()
        if found is None or found.claimed_by != token or found.status != "sending":
            return None
        campaign = campaigns.get(found.campaign_id)
        if campaign is None:
            with ctx.transaction() as orm:
                campaign = campaigns[found.campaign_id] = orm.get(Campaign, found.campaign_id)
                campaign.questionnaire_version.parsed()  # loaded (and cached) while the session is open
        row = SimpleNamespace(id=found.id, kind=found.kind, language=found.language,
                              participant_id=found.participant_id)
        if found.submitted:
            response = SimpleNamespace(status="submitted")
        elif found.kind != "invitation" and connection.execute(_HAS_PARTIAL, {"locator": response_locator(
                found.participant_id, ctx.settings.secret_key)}).first() is not None:
            # a reminder to someone half way says their answers so far are saved: their
            # partial response is found by their link's locator, as the pages find it
            response = SimpleNamespace(status="partial")
        else:
            response = None
        participant = SimpleNamespace(id=found.participant_id, status=found.participant_status, email=found.email,
                                      opted_out_at=found.opted_out_at, response=response, lead=False)
        return_submitted = False
        if campaign.questionnaire_version.parsed().is_organisation_return:
            # an organisation return's messages only (a staff survey's cost nothing more):
            # one more query, for whether this is its lead and whether the lead has
            # submitted it (which ends the reminders), read fresh for each message
            participant.lead, return_submitted = _return_facts(connection, found.participant_id, found.campaign_id)
        reason = reason_not_to_send(row, participant, campaign, now, return_submitted=return_submitted)
        if reason is not None:
            _mark(connection, outbox_id, token, status="cancelled", last_error=reason, next_attempt_at=now)
            result.cancelled += 1
            log.debug("outbox %d: cancelled: %s", outbox_id, reason)
            return None
        try:
            email = _compose(ctx, row, participant, campaign, batch.rendered)
        except Exception as exc:  # a template or catalogue bug must not stop the other messages
            _mark(connection, outbox_id, token, status="failed",
                  last_error=scrub_addresses(f"Could not write the message: {exc!r}")[:500])
            result.failed += 1
            metrics.failed("unwritable")
            log.exception("outbox %d: could not be written", outbox_id)
            return None
    return email, found.kind


_HAS_PARTIAL = select(Response.id).where(Response.locator == bindparam("locator"))


def _return_facts(connection, participant_id: int, campaign_id: int) -> tuple[bool, bool]:
    """(the participant is the lead, the campaign's return has been submitted)."""
    submitted = exists().where(MaturityReturn.campaign_id == campaign_id, MaturityReturn.status == "submitted")
    found = connection.execute(
        select(MaturityContributor.is_lead, submitted.label("submitted"))
        .where(MaturityContributor.participant_id == participant_id)
    ).one_or_none()
    if found is None:  # a participant without a contributor row (there should be none): not the lead
        return False, bool(connection.execute(select(submitted)).scalar())
    return bool(found.is_lead), bool(found.submitted)


def _mark(connection, outbox_id: int, token: str, **values) -> None:
    """Change a claimed row (a plain UPDATE of the table, fenced by the claim token)."""
    connection.execute(update(OUTBOX).where(OUTBOX.c.id == outbox_id, OUTBOX.c.claimed_by == token).values(**values))


#: stand-ins for the two personal links while a message is rendered for a whole batch
_RESPOND_MARK = "https://respond.link.invalid/0d9c1e"
_STOP_MARK = "https://stop.link.invalid/5b7a24"


def _compose(ctx: MailerContext, row, participant, campaign, rendered: dict) -> OutgoingEmail:
    """The message for one row. The text and HTML are rendered once per campaign, kind,
    wording and languages in a batch (`rendered`), with stand-ins for the personal links,
    which are then put in; only the links differ between two such messages."""
    settings = ctx.settings
    response = participant.response
    started = response is not None and response.status == "partial"
    key = (campaign.id, row.kind, started, participant.lead, row.language)
    shared = rendered.get(key)
    if shared is None:
        facts = EmailFacts.for_campaign(campaign, template_kind(row.kind), started=started,
                                        respond_url=_RESPOND_MARK, stop_url=_STOP_MARK, zone=settings.window.zone,
                                        lead=participant.lead)
        shared = rendered[key] = ctx.renderer.render(facts, row.language)
    stop = stop_reminders_url(participant.id, settings.secret_key, settings.base_url)
    respond = respond_url(participant.id, settings.secret_key, settings.base_url)

    def personal(text: str, quote=str) -> str:
        return text.replace(_RESPOND_MARK, quote(respond)).replace(_STOP_MARK, quote(stop))

    headers = {
        "List-Unsubscribe": f"<{stop}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "Content-Language": ", ".join(shared.languages),
    }
    return OutgoingEmail(recipient=participant.email, subject=personal(shared.subject), text=personal(shared.text),
                         html=personal(shared.html, lambda url: str(escape(url))), headers=headers,
                         message_id=_message_id(row, settings))


def _message_id(row, settings) -> str:
    """The same for every try of a row, and different between installations that share a
    sender domain (it is keyed with the secret), so a receiver never merges two messages."""
    digest = hmac.new(settings.secret_key.encode(), f"outbox:{row.id}:{row.participant_id}:{row.kind}".encode(),
                      hashlib.sha256).hexdigest()[:20]
    return f"<outbox-{row.id}.{digest}@{settings.sender_domain}>"


def _finish(ctx: MailerContext, outbox_id: int, token: str, *, status: str, last_error: str | None) -> None:
    with ctx.connection(durable=False) as connection:
        _mark(connection, outbox_id, token, status=status, last_error=last_error)


def _retry_or_give_up(ctx: MailerContext, outbox_id: int, token: str, now: datetime, error: DeliveryError,
                      result: SendResult) -> datetime | None:
    """Back to pending with backoff (returns when it is due again), or failed when it has
    been failing for too long."""
    settings = ctx.settings
    with ctx.transaction() as session:
        row = session.get(O, outbox_id)
        if row is None or row.claimed_by != token:
            return None
        row.last_error, row.sent_at = error.detail, None
        if now - row.due_at >= settings.give_up_after:
            row.status = "failed"
            result.failed += 1
            log.warning("outbox %d: gave up after %d attempts: %s", outbox_id, row.attempts, error.detail)
        else:
            row.status = "pending"
            row.next_attempt_at = settings.window.next_open(now + settings.retry_delay(row.attempts))
            result.retrying += 1
            retry_at = row.next_attempt_at
            log.info("outbox %d: temporary failure (attempt %d), retry at %s: %s",
                     outbox_id, row.attempts, row.next_attempt_at.isoformat(), error.detail)
            return retry_at
    return None


def _release(ctx: MailerContext, ids: list[int], token: str, now: datetime, error: DeliveryError) -> None:
    """Rows claimed in a batch that stopped before their turn: back to pending, not
    counted as an attempt, due again when the row that failed is."""
    if not ids:
        return
    retry_at = error.retry_at or ctx.settings.window.next_open(now + ctx.settings.retry_base)
    with ctx.transaction() as session:
        rows = session.execute(select(O).where(O.id.in_(ids), O.claimed_by == token, O.status == "sending",
                                               O.sent_at.is_(None))).scalars().all()
        for row in rows:
            row.attempts = max(row.attempts - 1, 0)
            row.status = "pending"
            row.next_attempt_at = retry_at
            row.last_error = f"Not tried: {error.detail}"


def _bounce(ctx: MailerContext, outbox_id: int, token: str, now: datetime, error: DeliveryError) -> None:
    with ctx.transaction() as session:
        row = session.get(O, outbox_id)
        if row is None or row.claimed_by != token:
            return
        row.status, row.last_error = "failed", error.detail
        participant = row.participant
        if participant.status == "active":
            participant.status, participant.bounced_at = "bounced", now
        session.execute(
            update(O).where(O.participant_id == participant.id, O.status == "pending", O.id != outbox_id)
            .values(status="cancelled", last_error="The address bounced.").execution_options(synchronize_session=False)
        )
    log.warning("outbox %d: address refused permanently, participant %d marked bounced: %s",
                outbox_id, participant.id, error.detail)
