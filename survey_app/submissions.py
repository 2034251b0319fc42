"""The way into the submitted store: a submission is sealed into the queue, then released
with others in a shuffled batch; imported responses go straight in, shuffled too.

Why batches (docs/confidentiality.md): the store must not say in what order people
submitted, or a reader who knows when each person submitted (from their mail, or the
order their participant rows changed) could pair them up. So a submission waits, sealed,
in `submission_queue`; at the end of a UK day the day's submissions and any earlier ones
still waiting are released together, once there are at least `k` of them (the setting
SUBMISSION_BATCH_MINIMUM, by default the campaign's anonymity threshold); a campaign that
has closed releases what is left at once. A batch gets random ids, is written in a random
order, and every response in it carries the same day: the last day the batch covers; of
the participant list's values, only those that at least the anonymity threshold's number
of people share are copied. So
the finest thing the store says about a response's time is "one of these k or more,
submitted up to this day", the same size of crowd that the anonymity threshold asks of
every figure. The last batch of a closed campaign is merged with the one before it when it
is smaller than k.

Everything here takes a session and the secret, never Flask: the scheduler, the CLI and
the web call it.
"""
from __future__ import annotations

import json
import os
import secrets
from collections import defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, insert, select, true
from sqlalchemy.orm import Session

from .models import Campaign, Participant, QueuedSubmission, SubmittedAnswer, SubmittedResponse
from .models.response import new_public_id, new_store_id

UK = ZoneInfo("Europe/London")
_queue, _store, _stored_answer = QueuedSubmission.__table__, SubmittedResponse.__table__, SubmittedAnswer.__table__
_shuffle = secrets.SystemRandom().shuffle


def uk_day(moment: datetime) -> date:
    """The UK calendar day a moment falls on."""
    return moment.astimezone(UK).date()


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"survey submission queue v1").derive(secret if isinstance(secret, bytes) else secret.encode())
    return AESGCM(key)


def seal(payload: dict, campaign_id: int, secret: str) -> bytes:
    """AES-GCM over the payload's JSON, bound to its campaign: 12 bytes of nonce, then the rest."""
    nonce = os.urandom(12)
    return nonce + _aead(secret).encrypt(nonce, json.dumps(payload, separators=(",", ":")).encode(),
                                         str(campaign_id).encode())


def unseal(blob: bytes, campaign_id: int, secret: str) -> dict:
    blob = bytes(blob)
    return json.loads(_aead(secret).decrypt(blob[:12], blob[12:], str(campaign_id).encode()))


def queue_statement():
    """INSERT into the queue, for the rows queued_row() makes."""
    return insert(_queue)


def queued_row(*, campaign_id: int, now: datetime, secret: str, language: str, device_class: str | None,
               attributes: dict, answers: dict[str, str]) -> dict:
    """The queue row of one submission (what the respondent's submit inserts)."""
    payload = {"language": language, "device_class": device_class, "attributes": attributes or {},
               "answers": answers}
    return {"campaign_id": campaign_id, "queued_on": uk_day(now), "sealed": seal(payload, campaign_id, secret)}


def shared_values(session: Session, campaign_id: int, k: int) -> set[tuple[str, str]]:
    """The (column, value) pairs of the campaign's participant list that at least k
    people share: the only list values copied onto a stored response. A column that
    names people one by one (a name, a staff number) is never copied, nor a value so rare
    that it would single someone out; a group that small is suppressed in every
    breakdown anyway (DESIGN.md definition 6)."""
    pairs = Participant.attribute_pairs(session.get_bind().dialect.name)
    rows = session.execute(
        select(pairs.c.key, pairs.c.value).select_from(Participant).join(pairs, true())
        .where(Participant.campaign_id == campaign_id)
        .group_by(pairs.c.key, pairs.c.value).having(func.count() >= k))
    return {(str(key), str(value)) for key, value in rows}


def store_rows(campaign_id: int, day: date, responses: list[dict], source: str) -> tuple[list[dict], list[dict]]:
    """The rows of responses as the store holds them, in a random order with random ids,
    each on its own `submitted_on` or else `day`: (submitted_response rows,
    submitted_answer rows). Each dict has language, device_class, attributes, answers,
    and optionally id and public_id (kept)."""
    _shuffle(responses)
    rows, answer_rows = [], []
    for r in responses:
        rid = r.get("id") or new_store_id()
        rows.append({"id": rid, "campaign_id": campaign_id, "public_id": r.get("public_id") or new_public_id(),
                     "language": r.get("language") or "en", "device_class": r.get("device_class"),
                     "source": source, "submitted_on": r.get("submitted_on") or day,
                     "attributes": r.get("attributes") or {}})
        answer_rows += [{"response_id": rid, "item_id": k, "value": v} for k, v in sorted(r["answers"].items())]
    return rows, answer_rows


def _write(session: Session, campaign_id: int, day: date | None, responses: list[dict], source: str) -> None:
    """Store responses (store_rows) in the order store_rows gives them."""
    rows, answer_rows = store_rows(campaign_id, day, responses, source)
    if rows:
        session.execute(insert(_store), rows)
    if answer_rows:
        session.execute(insert(_stored_answer), answer_rows)


def _take_last_batch(session: Session, campaign_id: int) -> tuple[date | None, list[dict]]:
    """Remove the campaign's latest released batch from the store, to be released again
    with a smaller last one; (its day, its responses)."""
    day = session.execute(select(func.max(_store.c.submitted_on)).where(
        _store.c.campaign_id == campaign_id, _store.c.source == "web")).scalar()
    if day is None:
        return None, []
    where = (_store.c.campaign_id == campaign_id) & (_store.c.source == "web") & (_store.c.submitted_on == day)
    found = session.execute(select(_store.c.id, _store.c.public_id, _store.c.language, _store.c.device_class,
                                   _store.c.attributes).where(where)).all()
    ids = [row.id for row in found]
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, item_id, value in session.execute(
            select(_stored_answer.c.response_id, _stored_answer.c.item_id, _stored_answer.c.value)
            .where(_stored_answer.c.response_id.in_(ids))):
        answers[response_id][item_id] = value
    session.execute(delete(_stored_answer).where(_stored_answer.c.response_id.in_(ids)))
    session.execute(delete(_store).where(_store.c.id.in_(ids)))
    return day, [{"id": row.id, "public_id": row.public_id, "language": row.language,
                  "device_class": row.device_class, "attributes": row.attributes or {},
                  "answers": answers[row.id]} for row in found]


def release(session: Session, now: datetime, secret: str, batch_minimum: int | None = None,
            campaign_ids: Iterable[int] | None = None, *, everything: bool = False) -> dict[int, int]:
    """Release what is due into the store; {campaign id: responses released}.

    Due: in an open campaign, the submissions of days before today (UK), once there are
    at least k of them; in a closed campaign, everything. Safe to run from two schedulers
    at once: the rows are taken with DELETE ... RETURNING, so each is released once.
    `everything`: release all that waits as if the campaigns had closed (the demo, tests)."""
    today = uk_day(now)
    stmt = (select(Campaign.id, Campaign.status, Campaign.closes_at, Campaign.anonymity_threshold)
            .where(Campaign.id.in_(select(_queue.c.campaign_id).distinct())))
    if campaign_ids is not None:
        stmt = stmt.where(Campaign.id.in_(list(campaign_ids)))
    released: dict[int, int] = {}
    for campaign_id, status, closes_at, threshold in session.execute(stmt).all():
        closed = everything or status == "closed" or closes_at <= now
        k = max(1, batch_minimum or threshold or 1)
        where = _queue.c.campaign_id == campaign_id
        if not closed:
            where = where & (_queue.c.queued_on < today)
            if session.execute(select(func.count()).where(where)).scalar() < k:
                continue
        with session.begin_nested() as savepoint:
            taken = session.execute(delete(_queue).where(where).returning(
                _queue.c.queued_on, _queue.c.sealed)).all()
            if not taken or (not closed and len(taken) < k):  # another scheduler took them first
                savepoint.rollback()
                continue
            batch = [unseal(sealed, campaign_id, secret) for _day, sealed in taken]
            shared = shared_values(session, campaign_id, threshold or 5)
            for r in batch:
                r["attributes"] = {name: value for name, value in (r.get("attributes") or {}).items()
                                   if (name, str(value)) in shared}
            day = max(queued_on for queued_on, _sealed in taken)
            if closed and len(batch) < k:
                previous_day, previous = _take_last_batch(session, campaign_id)
                batch += previous
                day = max(day, previous_day or day)
            _write(session, campaign_id, day, batch, "web")
            released[campaign_id] = len(taken)
    return released


def batch_days(day_counts: dict[date, int], k: int, *, closed: bool = True) -> dict[date, date]:
    """{day: the day its batch is stamped with}, as `release` run at the end of each day
    would batch submissions that came on these days: days are gathered, in order, until the
    batch holds k or more submissions. In a closed campaign a last batch smaller than k
    joins the one before; in an open one its days are left out (they are still waiting in
    the queue). The same rule as migration 0011's, for the demo."""
    stamps, pending, total = {}, [], 0
    for day, n in sorted(day_counts.items()):
        pending.append(day)
        total += n
        if total >= k:
            stamps.update({d: day for d in pending})
            pending, total = [], 0
    if pending and closed:
        last = max(stamps.values()) if stamps else None
        for d, s in list(stamps.items()):
            if s == last:
                stamps[d] = pending[-1]
        stamps.update({d: pending[-1] for d in pending})
    return stamps


def store_imported(session: Session, campaign_id: int, responses: list[dict]) -> None:
    """Imported responses, straight into the store (shuffled, random ids). Each dict has
    public_id (or None), submitted_on (a day), language, device_class and answers."""
    _write(session, campaign_id, None, [dict(r) for r in responses], "import")
