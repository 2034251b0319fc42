"""An organisation's own return (the Digital Maturity Assessment): one per campaign.

Unlike a staff survey, the return is the organisation's, not a person's: its lead and
contributors are participants of the campaign (so they get personal links, invitations
and reminders like anyone else), every answer records who last changed it, and only the
lead submits. Nothing here is anonymous, and nothing here needs to be: it is about the
organisation's policies, not about any person's experience.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

MATURITY_VALUES = ("yes", "no")
RETURN_STATUSES = ("draft", "submitted")


class MaturityContributor(db.Model):
    """A participant of an organisation-return campaign, with the name the others see."""

    __tablename__ = "maturity_contributor"
    __table_args__ = (
        # one lead per campaign
        Index("uq_maturity_contributor_lead", "campaign_id", unique=True,
              postgresql_where=text("is_lead"), sqlite_where=text("is_lead")),
        Index("ix_maturity_contributor_campaign_id", "campaign_id"),
    )

    #: the participant (their link, address, language and reminders live there)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    #: copied from the participant, to list a campaign's contributors without a join
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    #: the lead submits the return and adds contributors; exactly one per campaign
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    #: how the others see them beside an answer they changed ("Sam, Data team"); kept
    #: after the address is erased, never in logs or exports
    name: Mapped[str] = mapped_column(String(100))
    #: who added them (None: named at set-up by the Improve team or an organisation admin)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant = relationship("Participant", foreign_keys=[participant_id], lazy="joined")


class MaturityReturn(db.Model):
    """A campaign's one return: a draft everyone works on, until the lead submits it."""

    __tablename__ = "maturity_return"
    __table_args__ = (
        UniqueConstraint("campaign_id"),
        CheckConstraint("status IN ('draft','submitted')", name="status"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_at"),
        CheckConstraint("source IN ('web','import')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the lead who submitted it (None for a return imported by the Improve team)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    #: web (worked on through the links) or import (entered from another tool)
    source: Mapped[str] = mapped_column(String(8), default="web")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    answers = relationship("MaturityAnswer", back_populates="return_", cascade="all, delete-orphan",
                           lazy="selectin", order_by="MaturityAnswer.id")

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    def answer_map(self) -> dict[str, "MaturityAnswer"]:
        return {a.statement_id: a for a in self.answers}


class MaturityAnswer(db.Model):
    """One statement's answer (Yes, No or not yet) and its note, with who last changed it.

    `revision` counts the changes: a save says which revision it was made on, and a
    save made on an older one than the stored is refused (the later contributor is told
    and shown the current answer), so two people never overwrite each other silently.
    """

    __tablename__ = "maturity_answer"
    __table_args__ = (
        UniqueConstraint("return_id", "statement_id"),
        CheckConstraint("value IS NULL OR value IN ('yes','no')", name="value"),
        CheckConstraint("revision >= 1", name="revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("maturity_return.id", ondelete="CASCADE"))
    #: the statement's id in the questionnaire (e.g. "VL1.1")
    statement_id: Mapped[str] = mapped_column(String(64))
    #: yes, no, or None (a note written before the answer is chosen)
    value: Mapped[str | None] = mapped_column(String(8))
    #: the optional note or evidence ("Agreed by Cabinet, March 2026")
    note: Mapped[str | None] = mapped_column(Text)
    #: 1 when first saved, one more at each change
    revision: Mapped[int] = mapped_column(default=1)
    #: the contributor who last changed it (None for an imported return)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    return_ = relationship("MaturityReturn", back_populates="answers")
