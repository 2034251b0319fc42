"""Extensions, created unbound and attached to the app in the factory."""
import time

from flask_babel import Babel
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
mail = Mail()


#: a pooled connection given back less than this many seconds ago is used without a ping
PING_AFTER_IDLE_SECONDS = 2.0


def ping_when_idle(engine: Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Check a pooled connection is alive before use when it has been idle a while.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: a round trip to the database on
    every request, as many as a page GET's own query needs (bench/RESULTS.md). A connection given back
    moments ago is alive unless the database went away in those moments, and then the
    first statement fails with a disconnect, which makes SQLAlchemy drop every pooled
    connection of the process: one request fails, as it would had the database gone away
    during it. A connection idle longer is pinged, and replaced if dead, as before.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _given_back(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy):
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new (just connected), or given back moments ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("A pooled connection was dead: replaced.") from error
            raise
