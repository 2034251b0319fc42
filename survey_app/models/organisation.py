"""Organisations: the councils that take part."""
from __future__ import annotations

import re

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

#: type letter -> description (DESIGN.md "organisation")
ORGANISATION_TYPES = {
    "E": "English unitary",
    "S": "Scottish unitary",
    "W": "Welsh unitary",
    "C": "English county",
    "D": "English district",
    "L": "London borough",
    "M": "Metropolitan borough",
    "O": "Other",
}
LANGUAGE_POLICIES = ("bilingual", "english")
CODE_RE = re.compile(r"^([A-Z])(\d{2})(\d{2})(\(P\))?$")


def name_in(language: str, name: str, name_cy: str | None) -> str:
    """An organisation's name for `language`, from its two name columns (for code that
    reads the columns without the object, e.g. the respondent's one-query page)."""
    return name_cy if name_cy and str(language).split("_")[0] == "cy" else name


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("type_letter", "number"),
        CheckConstraint("type_letter IN ('E','S','W','C','D','L','M','O')", name="type_letter"),
        CheckConstraint("number BETWEEN 1 AND 99", name="number"),
        CheckConstraint("language_policy IN ('bilingual','english')", name="language_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the council's name; shown only to itself and the Improve team
    name: Mapped[str] = mapped_column(String(200))
    #: its name in Welsh, if it has one: shown on pages and in emails in Welsh instead
    #: of `name` (which they show when this is empty)
    name_cy: Mapped[str | None] = mapped_column(String(200))
    #: one of ORGANISATION_TYPES
    type_letter: Mapped[str] = mapped_column(String(1))
    #: the two-digit unique id within its type (the "xx" of TYYxx)
    number: Mapped[int]
    #: a partnership of several councils; its code carries "(P)"
    partnership: Mapped[bool] = mapped_column(default=False)
    #: how mail is written: "bilingual" (Welsh Language Standards) or "english"
    #: (English, and Welsh to those who prefer it)
    language_policy: Mapped[str] = mapped_column(String(16), default="english")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    #: loaded when asked for: every campaign loads its organisation, and would otherwise
    #: load all of that organisation's campaigns with it
    campaigns = relationship("Campaign", back_populates="organisation", lazy="select", viewonly=True)

    def name_in(self, language: str) -> str:
        """The name to show in `language` ("cy", or a locale such as "cy_GB"): the Welsh
        name in Welsh when there is one, the English name otherwise."""
        return name_in(language, self.name, self.name_cy)

    def code_for(self, year: int) -> str:
        """The confidential code TYYxx for a data year, e.g. S2017 or S2017(P)."""
        suffix = "(P)" if self.partnership else ""
        return f"{self.type_letter}{year % 100:02d}{self.number:02d}{suffix}"

    @staticmethod
    def default_language_policy(type_letter: str) -> str:
        return "bilingual" if type_letter == "W" else "english"

    @classmethod
    def parse_code(cls, code: str) -> tuple[str, int, int, bool] | None:
        """(type letter, two-digit year, number, partnership) from a code, or None."""
        m = CODE_RE.match(code.strip().upper())
        if not m or m.group(1) not in ORGANISATION_TYPES:
            return None
        return m.group(1), int(m.group(2)), int(m.group(3)), bool(m.group(4))

    @classmethod
    def by_code(cls, code: str) -> "Organisation | None":
        """The organisation a code names, whatever the data year in it."""
        parsed = cls.parse_code(code)
        if parsed is None:
            return None
        letter, _year, number, partnership = parsed
        org = db.session.execute(
            db.select(cls).filter_by(type_letter=letter, number=number)
        ).scalar_one_or_none()
        if org is None or org.partnership != partnership:
            return None
        return org
