"""Stopping reminders. Operations flush, never commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from ..extensions import db
from ..models import OutboxMessage, Participant

STOPPED = "The participant stopped reminders."


def stop_reminders(participant: Participant, now: datetime) -> bool:
    """Record that this person wants no more reminders and cancel those waiting. They stay
    in the campaign and can still answer. Returns False when they had already asked."""
    if participant.opted_out_at is not None:
        return False
    participant.opted_out_at = now
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.participant_id == participant.id, OutboxMessage.kind != "invitation",
               OutboxMessage.status == "pending")
        .values(status="cancelled", last_error=STOPPED)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return True
