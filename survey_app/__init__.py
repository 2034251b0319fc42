"""The survey engine's Flask application."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from . import log_redaction, operator_logs, security, static_files
from .extensions import babel, csrf, db, login_manager, mail, migrate, ping_when_idle
from .i18n import init_app as init_i18n
from .i18n import select_locale
from .templating import SurveyEnvironment
from .templating import init_app as init_templating

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. No side effects: nothing touches the database or the network."""
    settings = config_module.Config()
    app = Flask(__name__, instance_path=settings.INSTANCE_PATH)
    app.jinja_environment = SurveyEnvironment  # before anything builds app.jinja_env
    app.config.from_mapping(settings.as_dict())
    if config:
        app.config.from_mapping(config)
    app.config["MAIL_SUPPRESS_SEND"] = False
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # as flaskr does

    app.jinja_loader = ChoiceLoader([
        app.jinja_loader,
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    init_templating(app)

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    init_i18n(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)

    from . import auth, models  # noqa: F401  (registers the user loader and the tables)
    from . import metrics  # here: gunicorn's master imports survey_app, only workers prometheus_client
    from .cli import register_commands
    from .web import register_blueprints

    register_blueprints(app)
    register_commands(app)
    metrics.init_app(app)
    static_files.init_app(app)
    security.init_app(app)  # after the blueprints: it reads their templates' inline scripts
    log_redaction.init_app(app)
    operator_logs.init_app(app)

    config_module.validate(app.config)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client's address and scheme from the
    X-Forwarded-For and X-Forwarded-Proto headers they add (werkzeug's ProxyFix)."""
    count = app.config.get("PROXY_COUNT", 0)
    if not isinstance(count, int) or count < 0:
        raise config_module.ConfigError(f"PROXY_COUNT must be a whole number, 0 or more (it is {count!r}).")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
