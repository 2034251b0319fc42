"""Campaigns move on with the clock: scheduled -> open -> closed, then addresses are erased.

Each function is one idempotent step over every campaign it concerns, safe to run again
and from two schedulers at once: the WHERE clause of each UPDATE is the state check.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from survey_app.models import Answer, Campaign, OutboxMessage, Participant, Response

CLOSED_BEFORE_SENDING = "The campaign closed before this message was sent."


def open_campaigns(session: Session, now: datetime) -> int:
    """Scheduled campaigns whose opening time has come are opened."""
    result = session.execute(
        update(Campaign)
        .where(Campaign.status == "scheduled", Campaign.opens_at <= now, Campaign.closes_at > now)
        .values(status="open")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def close_campaigns(session: Session, now: datetime) -> int:
    """Campaigns past their closing time are closed (closed_at = the closing time) and
    their unsent mail is cancelled. Returns how many campaigns were closed."""
    due = list(session.execute(
        select(Campaign.id).where(Campaign.status != "closed", Campaign.closes_at <= now)
    ).scalars())
    if not due:
        return 0
    closed = session.execute(
        update(Campaign)
        .where(Campaign.id.in_(due), Campaign.status != "closed")
        .values(status="closed", closed_at=Campaign.closes_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    # rows a live dispatcher holds ('sending') are left to it: it checks the campaign itself
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.campaign_id.in_(due), OutboxMessage.status == "pending")
        .values(status="cancelled", last_error=CLOSED_BEFORE_SENDING)
        .execution_options(synchronize_session=False)
    )
    return closed


def erase_emails(session: Session, now: datetime, grace: timedelta) -> int:
    """Plain addresses of campaigns closed for longer than `grace` are erased (the hashes
    stay, so deduplication and results are unaffected), and so are the partial responses
    nobody submitted: they were never results, and someone with the server's secret
    could tie them to people (docs/confidentiality.md). Returns how many campaigns."""
    due = list(session.execute(
        select(Campaign.id).where(Campaign.status == "closed", Campaign.emails_erased_at.is_(None),
                                  Campaign.closed_at <= now - grace)
    ).scalars())
    for campaign_id in due:
        session.execute(
            update(Participant).where(Participant.campaign_id == campaign_id, Participant.email.is_not(None))
            .values(email=None).execution_options(synchronize_session=False)
        )
        partial = select(Response.id).where(Response.campaign_id == campaign_id)
        session.execute(delete(Answer).where(Answer.response_id.in_(partial)).execution_options(
            synchronize_session=False))
        session.execute(delete(Response).where(Response.campaign_id == campaign_id).execution_options(
            synchronize_session=False))
        session.execute(
            update(Campaign).where(and_(Campaign.id == campaign_id, Campaign.emails_erased_at.is_(None)))
            .values(emails_erased_at=now).execution_options(synchronize_session=False)
        )
    return len(due)
