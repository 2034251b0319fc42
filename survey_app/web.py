"""Blueprints and the pages every audience shares (home, errors, health)."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from sqlalchemy import text
from werkzeug.routing import IntegerConverter

from . import lost_connections
from .extensions import db
from .forms import whole_number
from .models.types import INTEGER_MAX

site = Blueprint("site", __name__)


class DatabaseInteger(IntegerConverter):
    """<int:...> in every route: ASCII digits that fit an integer column. A longer number
    matches no route (404) instead of overflowing in PostgreSQL or SQLite's driver (500)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=INTEGER_MAX, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def int_arg(name: str) -> int | None:
    """?name= as a whole number for a database column: None when absent or empty, and
    404 when it is anything else (letters, a sign, too many digits)."""
    value = request.args.get(name)
    if not value:
        return None
    number = whole_number(value)
    if number is None:
        abort(404)
    return number


@site.route("/")
def home():
    return render_template("home.html")


@site.route("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def govuk_item(choice, selected) -> dict:
    """A WTForms choice as a GOV.UK radios/checkboxes item."""
    value, label = choice.value, choice.label
    return {"value": value, "text": str(label), "checked": str(value) == str(selected)}


def govuk_option(choice, selected) -> dict:
    """A WTForms choice as a GOV.UK select item."""
    value, label = choice.value, choice.label
    return {"value": value, "text": str(label), "selected": str(value) == str(selected)}


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInteger  # before any route is added
    from .auth.views import bp as auth_bp
    from .console import participants  # noqa: F401  (adds the upload route to the blueprint)
    from .console.views import bp as console_bp
    from .dashboard import results  # noqa: F401  (adds the results routes to the blueprint)
    from .dashboard.views import bp as dashboard_bp

    app.register_blueprint(site)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(console_bp)
    app.jinja_env.filters["govuk_item"] = govuk_item
    app.jinja_env.filters["govuk_option"] = govuk_option
    app.jinja_env.globals.update(get_locale=get_locale, format_date=format_date,
                                 format_datetime=format_datetime, format_decimal=format_decimal)
    from .reminders.views import bp as reminders

    app.register_blueprint(reminders)
    if app.config.get("ENV") == "development":
        from .devmail.views import bp as devmail

        app.register_blueprint(devmail)

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title=_("Page not found"),
                               message=_("If you typed the web address, check it is correct.")), 404

    @app.errorhandler(400)
    def bad_request(_error):  # a staff form's expired CSRF token, a malformed request
        return render_template("error.html", title=_("Sorry, we could not use what was sent"),
                               message=_("Go back to the page, reload it and try again.")), 400

    @app.errorhandler(405)
    def wrong_method(_error):
        return render_template("error.html", title=_("Page not found"),
                               message=_("If you typed the web address, check it is correct.")), 405

    @app.errorhandler(413)
    def too_large(_error):  # a console upload over MAX_CONTENT_LENGTH (respondents' pages have their own)
        return render_template("error.html", title=_("What was sent is too big"),
                               message=_("Go back and send a smaller file.")), 413

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("error.html", title=_("Sorry, there is a problem with the service"),
                               message=_("Try again later.")), 500

    @app.errorhandler(503)
    def unavailable(_error):  # the database could not be used (lost_connections.py)
        return render_template("error.html", title=_("Sorry, there is a problem with the service"),
                               message=_("Try again later.")), 503

    lost_connections.init_app(app)

    from .respond.views import bp as respond_bp

    app.register_blueprint(respond_bp)
