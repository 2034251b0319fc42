"""Sign in and out."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from .access import expire_old_sessions
from .forms import SignInForm
from .operations import authenticate, throttle

bp = Blueprint("auth", __name__, template_folder="templates")
bp.before_app_request(expire_old_sessions)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def landing() -> str:
    if current_user.role == "improve":
        return url_for("console.campaigns")
    return url_for("dashboard.organisation", organisation_id=current_user.organisation_id)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(landing())
    form = SignInForm()
    problem = None
    status = 200
    if form.validate_on_submit():
        if not throttle.allow(request.remote_addr or "unknown"):
            problem, status = _("Too many attempts to sign in. Wait a few minutes and try again."), 429
        else:
            user, reason = authenticate(form.email.data, form.password.data, current_app.config["EMAIL_HASH_KEY"])
            db.session.commit()
            if user is not None:
                session.clear()
                session.permanent = True
                login_user(user)
                session["signed_in_at"] = datetime.now(timezone.utc).timestamp()
                return redirect(safe_next(request.args.get("next")) or landing())
            if reason == "locked":
                problem, status = _("Too many attempts to sign in. Wait 15 minutes and try again."), 429
            else:
                problem = _("Enter the email address and password of your account")
        form.password.data = ""
    elif form.errors:
        status = 400
    return render_template("auth/sign_in.html", form=form, problem=problem), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    logout_user()
    session.clear()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
def signed_out():
    return render_template("auth/signed_out.html")
