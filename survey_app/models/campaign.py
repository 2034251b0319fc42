"""Campaigns: one organisation answering one questionnaire version over a window."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scoring.years import FINANCIAL, file_label, year_label

from ..extensions import db
from .types import UTCDateTime, utcnow

CAMPAIGN_STATUSES = ("scheduled", "open", "closed")
DEFAULT_REMINDER_DAYS = [7, 14, 21]


class Campaign(db.Model):
    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("anonymity_threshold >= 3", name="anonymity_threshold"),
        CheckConstraint("status IN ('scheduled','open','closed')", name="status"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_at"),
        CheckConstraint("year_kind IN ('financial','calendar')", name="year_kind"),
        CheckConstraint("paper_forms >= 0", name="paper_forms"),
        CheckConstraint("released_at IS NULL OR status = 'closed'", name="released_when_closed"),
        CheckConstraint("(released_at IS NULL AND released_by_id IS NULL AND released_by_operator IS NULL) OR "
                        "(released_at IS NOT NULL AND (released_by_id IS NULL) <> (released_by_operator IS NULL))",
                        name="released_by"),
        Index("ix_campaign_year_questionnaire", "year", "questionnaire"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: the questionnaire id, copied from the version for filtering without a join
    questionnaire: Mapped[str] = mapped_column(String(64))
    #: the data year (DESIGN.md definition 8), as the calendar year it starts in: the
    #: financial year it opens in (2026 for 2026/27), or the calendar year where the
    #: questionnaire says so. Set when the campaign is created (scoring/years.py) and never
    #: changed; the organisation's code, benchmarks and exports use it
    year: Mapped[int]
    #: how `year` was counted, from the questionnaire's `data_year`: financial or calendar
    year_kind: Mapped[str] = mapped_column(String(16), default=FINANCIAL, server_default=FINANCIAL)
    #: when links start working and the invitation is due
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when links stop working; nothing is sent after it
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: days after opening on which non-finishers are reminded
    reminder_days: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_REMINDER_DAYS))
    #: a last reminder this many days before closing (None: no last reminder)
    final_reminder_days_before_close: Mapped[int | None] = mapped_column(default=2)
    #: breakdown groups with fewer responses than this are suppressed (DESIGN.md 6)
    anonymity_threshold: Mapped[int] = mapped_column(default=5)
    #: paper forms handed out (`flask responses import --paper-forms`): counted as
    #: participants in the response rate, as the responses imported from them are counted
    #: as submitted (DESIGN.md definition 4)
    paper_forms: Mapped[int] = mapped_column(default=0, server_default="0")
    #: scheduled -> open -> closed; the scheduler moves it on
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when plain email addresses were erased (after closing plus the grace period)
    emails_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the Improve team released the results (None: provisional). Only a closed
    #: campaign can be released; only released campaigns count in benchmarks and in the
    #: exports across organisations. Every release and un-release is also kept in
    #: campaign_release_event (models/release.py)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: who released them from the console (None when released from the command line)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    #: who the command line said released them (`flask campaign release --operator`)
    released_by_operator: Mapped[str | None] = mapped_column(String(100))

    organisation = relationship("Organisation", back_populates="campaigns", lazy="joined")
    questionnaire_version = relationship("QuestionnaireVersion", lazy="joined")

    @property
    def code(self) -> str:
        """The organisation's confidential code for this campaign's data year."""
        return self.organisation.code_for(self.year)

    @property
    def year_label(self) -> str:
        """The data year as people write it: 2026/27, or 2026 for a calendar year."""
        return year_label(self.year, self.year_kind)

    @property
    def year_file_label(self) -> str:
        """The data year as a file name carries it: 2026-27, or 2026."""
        return file_label(self.year, self.year_kind)

    @property
    def released(self) -> bool:
        """Whether the Improve team has released the results (they are provisional until then)."""
        return self.released_at is not None

    @property
    def weeks(self) -> float:
        return (self.closes_at - self.opens_at) / timedelta(weeks=1)

    def accepting_responses(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.status != "closed" and self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        """Closed early by hand, or past its closing time."""
        return self.status == "closed" or (now or utcnow()) >= self.closes_at

    def reminder_schedule(self) -> list[tuple[str, datetime]]:
        """Every reminder (kind, due time) of this campaign, in order."""
        out = [(f"reminder_{day}", self.opens_at + timedelta(days=day)) for day in sorted(self.reminder_days or [])]
        if self.final_reminder_days_before_close:
            out.append(("final_reminder", self.closes_at - timedelta(days=self.final_reminder_days_before_close)))
        return [(kind, due) for kind, due in out if self.opens_at < due < self.closes_at]
