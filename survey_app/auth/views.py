"""Sign in and out."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from ..models.types import utcnow
from .access import check_staff_session, lifetimes
from .forms import SignInForm
from .guards import client_hash, count_client_attempt
from .operations import begin_sign_in, check_password, complete_sign_in
from .sessions import COOKIE_KEY, end_session, start_session

bp = Blueprint("auth", __name__, template_folder="templates")
bp.before_app_request(check_staff_session)

#: longer than any path of this site with its query
MAX_NEXT_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (the caller's default page).

    A path begins with one "/" and holds nothing a browser could take for another host
    ("//", "/\\" or any backslash, a scheme) and nothing that could break the Location
    header or be read differently by a browser (control or other unprintable characters,
    dot segments)."""
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target or not target.isprintable():
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    if any(segment in (".", "..") for segment in path.split("/")):
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
        user, problem, status = _attempt(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # nothing from before signing in is carried into the session
            session.permanent = True
            session[COOKIE_KEY] = start_session(user, key=current_app.config["SECRET_KEY"], now=utcnow(),
                                                lifetimes=lifetimes())
            db.session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or landing())
        form.password.data = ""
    elif form.errors:
        status = 400
    return render_template("auth/sign_in.html", form=form, problem=problem), status


def _attempt(email: str, password: str):
    """(user, None, 200) for a right password, else (None, problem, status).

    Real and made-up addresses take the same path: the same statements and one Argon2
    verification each (operations.check_password)."""
    config = current_app.config
    if not count_client_attempt(client_hash(request.remote_addr, config["SECRET_KEY"]), utcnow(),
                                config["SIGN_IN_CLIENT_LIMIT"]):
        db.session.commit()
        return None, _("Too many attempts to sign in. Wait a few minutes and try again."), 429
    attempt = begin_sign_in(email, config["EMAIL_HASH_KEY"])
    db.session.commit()  # counted before the password is checked, with nothing held meanwhile
    user = complete_sign_in(attempt, password) if check_password(attempt, password) else None
    if user is not None:
        return user, None, 200
    if attempt.reason == "locked":
        return None, _("Too many attempts to sign in. Wait 15 minutes and try again."), 429
    return None, _("Enter the email address and password of your account"), 200


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    secret = session.get(COOKIE_KEY)
    if secret is not None:
        end_session(str(secret), current_app.config["SECRET_KEY"])
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
def signed_out():
    return render_template("auth/signed_out.html")
