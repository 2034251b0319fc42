"""The email outbox: every message to be sent is a row, written with its cause."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("participant_id", "kind"),
        CheckConstraint("status IN ('pending','sending','sent','failed','cancelled')", name="status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_campaign", "campaign_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    #: invitation, reminder_7, reminder_14, ..., final_reminder
    kind: Mapped[str] = mapped_column(String(32))
    #: languages in the order written: "en", "cy", "cy+en" or "en+cy"
    language: Mapped[str] = mapped_column(String(8))
    #: when it should go out (the sending window may delay it further)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    #: earliest time of the next try; also the lease end while status is "sending"
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: which scheduler process claimed it (host:pid), for diagnosis
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant = relationship("Participant")
