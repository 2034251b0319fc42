"""Who may see what: the Improve team sees everything, an organisation admin only their
own organisation. Anything else answers 404, so no URL reveals what exists."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user, logout_user

from ..extensions import db
from ..models import Campaign, Organisation


def signed_in(view):
    """Signed-out visitors go to the sign-in page (JSON callers get 401)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
                abort(401)
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def improve_only(view):
    @signed_in
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user.role != "improve":
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def can_see_organisation(organisation_id: int) -> bool:
    return current_user.is_authenticated and (
        current_user.role == "improve" or current_user.organisation_id == organisation_id
    )


def visible_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_see_organisation(campaign.organisation_id):
        abort(404)
    return campaign


def visible_organisation(organisation_id: int) -> Organisation:
    org = db.session.get(Organisation, organisation_id)
    if org is None or not can_see_organisation(org.id):
        abort(404)
    return org


def expire_old_sessions() -> None:
    """Sign out a session older than the absolute limit, however active it has been."""
    started = session.get("signed_in_at")
    if started is None or not current_user.is_authenticated:  # no one signed in: no user to load
        return
    age = datetime.now(timezone.utc).timestamp() - float(started)
    if age > current_app.config["SESSION_ABSOLUTE_LIFETIME"]:
        logout_user()
        session.clear()
