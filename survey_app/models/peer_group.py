"""Named peer groups: sets of organisations the Improve team keeps to benchmark against
(DESIGN.md definition 7). The other peer groups (by type, nation, partnership) are rules
over organisation codes in scoring/peers.py and need no table."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

MAX_NAME_LENGTH = 100


class NamedPeerGroup(db.Model):
    __tablename__ = "peer_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the name the Improve team gives it, unique (also regardless of case, checked by
    #: survey_app/peers/operations.py); shown to organisations choosing a peer group
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    members = relationship("PeerGroupMember", cascade="all, delete-orphan", passive_deletes=True,
                           lazy="selectin", back_populates="group")

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.members)


class PeerGroupMember(db.Model):
    """One organisation in a named group (whatever the data year: membership follows the
    organisation, not one of its yearly codes)."""

    __tablename__ = "peer_group_member"

    peer_group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True,
                                                 index=True)

    group = relationship("NamedPeerGroup", back_populates="members")
    organisation = relationship("Organisation", lazy="joined")
