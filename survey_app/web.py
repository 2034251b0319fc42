"""Blueprints and the pages every audience shares (home, errors, health)."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import lost_connections
from .extensions import db
from .forms import whole_number
from .models.types import INTEGER_MAX
from .schema_state import schema_current

site = Blueprint("site", __name__)
#: the load balancer's and Prometheus's endpoints: no staff-session look-up, no cookie
HEALTH_ENDPOINTS = frozenset({"site.health", "site.ready", "metrics"})


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


@site.get("/healthz")
def health():
    """The process is alive and answering (a liveness check: it never touches the
    database, so an outage there does not get every worker restarted)."""
    return {"status": "ok"}


@site.get("/readyz")
def ready():
    """Whether to send this process traffic: the database answers and its schema is the
    one this code was written for (schema_state.py). 503 with a short reason otherwise."""
    try:
        with db.engine.connect() as connection:
            current = schema_current(connection)
    except (DBAPIError, PoolTimeout) as error:
        if not lost_connections.database_unavailable(error):
            raise
        return {"status": "unavailable", "reason": "database unreachable"}, 503
    if not current:
        return {"status": "unavailable", "reason": "migrations not current"}, 503
    return {"status": "ready"}


def govuk_item(choice, selected) -> dict:
    """A WTForms choice as a GOV.UK radios/checkboxes item."""
    value, label = choice.value, choice.label
    return {"value": value, "text": str(label), "checked": str(value) == str(selected)}


def govuk_option(choice, selected) -> dict:
    """A WTForms choice as a GOV.UK select item."""
    value, label = choice.value, choice.label
    return {"value": value, "text": str(label), "selected": str(value) == str(selected)}


#: the service's own page for each error status (the respondent's pages have their own
#: for 413, 503 and a failed CSRF check): (title, what to do), in the visitor's language
ERROR_PAGES = {
    400: (_l("Sorry, we could not use what was sent"), _l("Go back to the page, reload it and try again.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    # a console upload over MAX_CONTENT_LENGTH
    413: (_l("What was sent is too big"), _l("Go back and send a smaller file.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later.")),
    # the database could not be used (lost_connections.py)
    503: (_l("Sorry, there is a problem with the service"), _l("Try again later.")),
}


def error_page(error: HTTPException):
    """The service's page for an error status, never Werkzeug's bare one."""
    title, message = ERROR_PAGES[error.code]
    return render_template("error.html", title=title, message=message), error.code


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInteger  # before any route is added
    from .auth.views import bp as auth_bp
    from .console import baselines, participants  # noqa: F401  (add the upload routes to the blueprint)
    from .console import release_views  # noqa: F401  (adds the release route to the blueprint)
    from .console import peer_groups  # noqa: F401  (adds the named peer groups' routes)
    from .console.views import bp as console_bp
    from .dashboard import results  # noqa: F401  (adds the results routes to the blueprint)
    from .dashboard import pdf  # noqa: F401  (adds the PDF report route to the blueprint)
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

    for code in ERROR_PAGES:
        app.register_error_handler(code, error_page)

    lost_connections.init_app(app)

    from .respond.views import bp as respond_bp
    from .maturity.views import bp as maturity_bp

    app.register_blueprint(respond_bp)
    app.register_blueprint(maturity_bp)
