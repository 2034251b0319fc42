"""Responses and their answers."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

DEVICE_CLASSES = ("mobile", "tablet", "desktop")


def new_public_id() -> str:
    return secrets.token_hex(8)


class Response(db.Model):
    """One participant's answers: partial until submitted, then final."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("participant_id"),
        UniqueConstraint("public_id"),
        CheckConstraint("status IN ('partial','submitted')", name="status"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_at"),
        CheckConstraint("source IN ('web','import')", name="source"),
        Index("ix_response_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: None for responses imported from paper or another tool
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    #: the pseudonymous id used in exports
    public_id: Mapped[str] = mapped_column(String(16), default=new_public_id)
    status: Mapped[str] = mapped_column(String(16), default="partial")
    #: the language the respondent last used
    language: Mapped[str] = mapped_column(String(2), default="en")
    #: mobile, tablet or desktop, from the user agent (metadata, beside their own answer)
    device_class: Mapped[str | None] = mapped_column(String(16))
    #: the furthest page reached, to resume where they left off
    last_page: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(8), default="web")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant = relationship("Participant", back_populates="response")
    answers = relationship("Answer", back_populates="response", cascade="all, delete-orphan",
                           lazy="selectin", order_by="Answer.id")

    def answer_map(self) -> dict[str, str]:
        return {a.item_id: a.value for a in self.answers}


class Answer(db.Model):
    """The raw answer to one item, as text: "5", "dont_know", "yes", an option value,
    a JSON list of option values (multiple choice) or free text."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)

    response = relationship("Response", back_populates="answers")
