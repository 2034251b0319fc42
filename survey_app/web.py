"""Blueprints and the pages every audience shares (home, errors, health)."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import text

from .extensions import db

site = Blueprint("site", __name__)


@site.route("/")
def home():
    return render_template("home.html")


@site.route("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def register_blueprints(app: Flask) -> None:
    from .reminders.views import bp as reminders

    app.register_blueprint(site)
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_blueprint(reminders)
    if app.config.get("ENV") == "development":
        from .devmail.views import bp as devmail

        app.register_blueprint(devmail)

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title=_("Page not found"),
                               message=_("If you typed the web address, check it is correct.")), 404

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("error.html", title=_("Sorry, there is a problem with the service"),
                               message=_("Try again later.")), 500
