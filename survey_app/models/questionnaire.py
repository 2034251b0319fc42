"""Questionnaire versions frozen into the database."""
from __future__ import annotations

from sqlalchemy import JSON, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

import questionnaires
from questionnaires.model import Questionnaire

from ..extensions import db
from .types import UTCDateTime, utcnow

_parsed: dict[str, Questionnaire] = {}


class QuestionnaireVersion(db.Model):
    """One version of a questionnaire's content, exactly as campaigns use it."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (UniqueConstraint("questionnaire", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the questionnaire's stable id (e.g. "user-satisfaction")
    questionnaire: Mapped[str] = mapped_column(String(64))
    #: the version string from the YAML
    version: Mapped[str] = mapped_column(String(32))
    #: normalised content (named scales written in place), never changed once stored;
    #: loaded only when asked for (a page needs `parsed()`, which is cached by content_hash)
    content: Mapped[dict] = mapped_column(JSON, deferred=True)
    #: SHA-256 of the canonical JSON of `content`
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    def parsed(self) -> Questionnaire:
        """The questionnaire object, built once per process per content hash."""
        return _questionnaire(self.content_hash, lambda: self.content)


def parsed_version(version_id: int, content_hash: str) -> Questionnaire:
    """The questionnaire of a version whose id and hash a query has just read: its
    content is read from the database only the first time in a process."""
    table = QuestionnaireVersion.__table__
    return _questionnaire(content_hash, lambda: db.session.execute(
        select(table.c.content).where(table.c.id == version_id)).scalar_one())


def _questionnaire(content_hash: str, content) -> Questionnaire:
    """The parsed questionnaire of `content_hash`, its content (`content()`) read and
    parsed only the first time in a process."""
    q = _parsed.get(content_hash)
    if q is None:
        q = _parsed[content_hash] = questionnaires.from_content(content())
    return q
