"""The record of releasing a campaign's results and taking them back (who and when)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

RELEASE_ACTIONS = ("release", "unrelease")


class CampaignReleaseEvent(db.Model):
    """One release or un-release of a campaign's results; rows are only ever added."""

    __tablename__ = "campaign_release_event"
    __table_args__ = (
        CheckConstraint("action IN ('release','unrelease')", name="action"),
        CheckConstraint("(user_id IS NULL) <> (operator IS NULL)", name="who"),
        Index("ix_campaign_release_event_campaign_id", "campaign_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: release or unrelease
    action: Mapped[str] = mapped_column(String(16))
    #: the Improve team member who pressed the console's button (None from the command line)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    #: who the command line said did it (`--operator`; None from the console)
    operator: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign = relationship("Campaign")
