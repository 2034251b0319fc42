"""Responses: partial ones being answered, and the submitted store.

Confidential by construction (docs/confidentiality.md):

- A **partial response** (`response`, `answer`) is found by its `locator`, a keyed hash of
  the participant's personal link (links.response_locator): no column names the
  participant, so a database reader cannot follow it to anyone without the server's
  secret. It is deleted when it is submitted.
- A submission waits in the **submission queue**, sealed (AES-GCM under a key of the
  server's), until it is released into the store with others in a shuffled batch
  (survey_app/submissions.py).
- The **submitted store** (`submitted_response`, `submitted_answer`) holds no participant
  id, no token, nothing derived from them and no time finer than a day. Its ids are random,
  and the rows of a batch are written in a random order. The participant keeps only
  `submitted` (participant.py).
"""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (JSON, BigInteger, CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

DEVICE_CLASSES = ("mobile", "tablet", "desktop")


def new_public_id() -> str:
    return secrets.token_hex(8)


def new_store_id() -> int:
    """A random positive 63-bit id: it says nothing about when or in what order."""
    return secrets.randbits(62) + 1


class Response(db.Model):
    """A participant's answers while they are being given: partial until submitted, when
    it is deleted and its answers go to the submission queue."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("locator"),
        Index("ix_response_campaign", "campaign_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: HMAC of the participant's link (links.response_locator): found only with the link
    locator: Mapped[str] = mapped_column(String(64))
    #: the language the respondent last used
    language: Mapped[str] = mapped_column(String(2), default="en")
    #: mobile, tablet or desktop, from the user agent (metadata, beside their own answer)
    device_class: Mapped[str | None] = mapped_column(String(16))
    #: the furthest page reached, to resume where they left off
    last_page: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    answers = relationship("Answer", back_populates="response", cascade="all, delete-orphan",
                           lazy="selectin", order_by="Answer.id")

    def answer_map(self) -> dict[str, str]:
        return {a.item_id: a.value for a in self.answers}


class Answer(db.Model):
    """The raw answer to one item of a partial response, as text: "5", "dont_know",
    "yes", an option value, a JSON list of option values (multiple choice) or free text."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)

    response = relationship("Response", back_populates="answers")


class QueuedSubmission(db.Model):
    """A submission waiting to be released into the store, sealed: the day it came and the
    campaign are readable (for the release rule and the day-by-day count), nothing else."""

    __tablename__ = "submission_queue"
    __table_args__ = (Index("ix_submission_queue_campaign", "campaign_id", "queued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: the UK day it was submitted
    queued_on: Mapped[date] = mapped_column(Date)
    #: AES-GCM: 12 bytes of nonce, then the sealed JSON (submissions.seal)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class SubmittedResponse(db.Model):
    """A submitted response in the store: nothing in it points to a person."""

    __tablename__ = "submitted_response"
    __table_args__ = (
        UniqueConstraint("public_id"),
        CheckConstraint("source IN ('web','import')", name="source"),
        Index("ix_submitted_response_campaign", "campaign_id", "source"),
    )

    #: random (new_store_id), never a sequence
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=new_store_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: the pseudonymous id used in exports (random)
    public_id: Mapped[str] = mapped_column(String(16), default=new_public_id)
    language: Mapped[str] = mapped_column(String(2), default="en")
    device_class: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(8), default="web")
    #: the UK day of its batch (the last day the batch covers): never a time
    submitted_on: Mapped[date] = mapped_column(Date)
    #: the participant list's breakdown values, copied when it was submitted
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)

    answers = relationship("SubmittedAnswer", back_populates="response", cascade="all, delete-orphan",
                           lazy="selectin", order_by="SubmittedAnswer.item_id")

    def answer_map(self) -> dict[str, str]:
        return {a.item_id: a.value for a in self.answers}


class SubmittedAnswer(db.Model):
    """One answer of a submitted response (the same text as Answer)."""

    __tablename__ = "submitted_answer"

    response_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("submitted_response.id", ondelete="CASCADE"),
                                             primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    response = relationship("SubmittedResponse", back_populates="answers")
