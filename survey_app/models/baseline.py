"""Historical baselines: a questionnaire's benchmark from long ago (the benchmarking
report's "first five years", 1999-2004), imported by the Improve team from a CSV of
figures per factor and shown beside this year's results (results/baselines.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

#: how long a baseline's label may be ("1999-2004", "First five years")
LABEL_LENGTH = 40


class BenchmarkBaseline(db.Model):
    __tablename__ = "benchmark_baseline"
    __table_args__ = (UniqueConstraint("questionnaire", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the questionnaire id whose factors the figures are for
    questionnaire: Mapped[str] = mapped_column(String(64))
    #: the period as people name it, shown as is on the results page: "1999-2004"
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    #: deleted with it by the ORM (SQLite does not enforce the foreign key's cascade)
    figures = relationship("BaselineFigure", back_populates="baseline", cascade="all, delete-orphan",
                           order_by="BaselineFigure.id")


class BaselineFigure(db.Model):
    """The benchmark of one factor and measure over the baseline period, on the 1-7 scale."""

    __tablename__ = "benchmark_baseline_figure"
    __table_args__ = (
        UniqueConstraint("baseline_id", "factor", "measure"),
        CheckConstraint("median BETWEEN 1 AND 7", name="median"),
        CheckConstraint("q1 IS NULL OR (q1 BETWEEN 1 AND 7 AND q1 <= median)", name="q1"),
        CheckConstraint("q3 IS NULL OR (q3 BETWEEN 1 AND 7 AND q3 >= median)", name="q3"),
        CheckConstraint("organisations IS NULL OR organisations >= 1", name="organisations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(ForeignKey("benchmark_baseline.id", ondelete="CASCADE"), index=True)
    #: a factor id of the questionnaire (S1, OVERALL, ...)
    factor: Mapped[str] = mapped_column(String(64))
    #: the factor's measure (satisfaction, importance, ...)
    measure: Mapped[str] = mapped_column(String(32))
    #: the median over the period's organisations (DESIGN.md definition 5)
    median: Mapped[float] = mapped_column(Float)
    #: 1st and 3rd quartiles, where the source gives them
    q1: Mapped[float | None] = mapped_column(Float)
    q3: Mapped[float | None] = mapped_column(Float)
    #: how many organisations the figures are over, where the source says
    organisations: Mapped[int | None]

    baseline = relationship("BenchmarkBaseline", back_populates="figures")
