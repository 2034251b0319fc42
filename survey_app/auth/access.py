"""Who may see what: the Improve team sees everything, an organisation admin only their
own organisation. Anything else answers 404, so no URL reveals what exists."""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from ..extensions import db
from ..models import Campaign, Organisation
from ..models.types import utcnow
from ..web import HEALTH_ENDPOINTS
from .sessions import COOKIE_KEY, Lifetimes, find_session


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


def lifetimes() -> Lifetimes:
    """The idle limit is the cookie's own lifetime (PERMANENT_SESSION_LIFETIME)."""
    return Lifetimes(idle=int(current_app.permanent_session_lifetime.total_seconds()),
                     absolute=int(current_app.config["SESSION_ABSOLUTE_LIFETIME"]))


def check_staff_session() -> None:
    """Before every request: a cookie that names a staff session counts only while the
    session's row does (not signed out, within its limits, its user not removed).

    Runs first, with nothing else in the transaction, so it may commit what it writes
    (last seen, or an ended session deleted). A request without a staff session in its
    cookie (every respondent's) costs nothing here, nor does a health check or a scrape
    (they never touch the database for it, nor change the cookie)."""
    if request.endpoint in HEALTH_ENDPOINTS:
        return
    secret = session.get(COOKIE_KEY)
    if secret is None:
        return
    found = find_session(str(secret), key=current_app.config["SECRET_KEY"], now=utcnow(), lifetimes=lifetimes())
    if found.wrote:
        db.session.commit()
    if found.user is None:
        logout_user()
        session.pop(COOKIE_KEY, None)
    g.staff_user = found.user
