"""Signing in: the Improve team and organisation admins."""
from __future__ import annotations

from flask import g

from ..extensions import login_manager
from ..models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this request's staff session, found (and checked against the server's
    row) by access.check_staff_session before the request; never from the cookie alone."""
    user = g.get("staff_user")
    return user if user is not None and str(user.id) == user_id else None
