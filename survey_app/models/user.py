"""People who sign in: the Improve team and organisation admins."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("improve", "org_admin")


class User(UserMixin, db.Model):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("role IN ('improve','org_admin')", name="role"),
        CheckConstraint("role = 'improve' OR organisation_id IS NOT NULL", name="org_admin_has_org"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: HMAC of the normalised sign-in address; the address itself is not stored
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: argon2 hash
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    #: the organisation an org_admin may see (None for the Improve team)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    #: False once removed (`flask users remove`): cannot sign in, and no session of theirs counts
    active: Mapped[bool] = mapped_column(default=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

