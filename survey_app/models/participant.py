"""Participants: the people invited to a campaign."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, false, func, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

PARTICIPANT_STATUSES = ("active", "withdrawn", "bounced")


class Participant(db.Model):
    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("campaign_id", "email_hash"),
        CheckConstraint("status IN ('active','withdrawn','bounced')", name="status"),
        CheckConstraint("language IS NULL OR language IN ('en','cy')", name="language"),
        Index("ix_participant_campaign_status", "campaign_id", "status"),
        # the few who withdrew, found without reading everyone (response counts)
        Index("ix_participant_withdrawn", "campaign_id", postgresql_where=text("status = 'withdrawn'"),
              sqlite_where=text("status = 'withdrawn'")),
        # the submitted, counted for the response rate without reading everyone
        Index("ix_participant_submitted", "campaign_id", postgresql_where=text("submitted"),
              sqlite_where=text("submitted")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: HMAC-SHA256(EMAIL_HASH_KEY, normalised email), hex; the only identity kept for good
    email_hash: Mapped[str] = mapped_column(String(64))
    #: the plain address, kept only while mail must be sent; erased after the campaign
    email: Mapped[str | None] = mapped_column(String(320))
    #: preferred language ("en" or "cy"), None when unknown
    language: Mapped[str | None] = mapped_column(String(2))
    #: imported columns for breakdowns (location, role, working_mode, department, ...)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    #: active, withdrawn (left: excluded from the response rate) or bounced
    status: Mapped[str] = mapped_column(String(16), default="active")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: asked for no more reminders (still free to answer)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: has submitted: all that is kept of their response on this side (no time, no link to
    #: it), for reminders and the response rate
    submitted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    campaign = relationship("Campaign", lazy="joined")

    @staticmethod
    def attribute_pairs(dialect: str):
        """Each participant's attributes as (key, value text) rows: a table-valued JSON
        function, by dialect (join it to Participant ON true)."""
        if dialect == "postgresql":
            return func.json_each_text(Participant.attributes).table_valued("key", "value").lateral()
        return func.json_each(Participant.attributes).table_valued("key", "value")
