"""A request whose database connection dies is tried once more on a fresh connection;
what still fails is a 503 page ("try again"), never a bare 500.

A connection dies under a request when PostgreSQL restarts or fails over, or an
administrator or a pooler ends it: the request's first statement (or a later one) fails
and SQLAlchemy marks the connection invalidated and drops the process's pool. Run again,
the request gets a new connection and almost always succeeds.

Which requests may run twice:
- every respondent request (the respond and stop-reminders pages), GET or POST, because
  every respondent operation is idempotent: a save writes the same answers again (the
  first run committed them, or its transaction died with its connection), a submit of a
  response already submitted changes nothing (and the check page then shows the
  confirmation, so someone whose commit went through before the connection died is told
  their answers are in), and stopping reminders twice stops them once;
- on every other page, a GET or HEAD only: a staff POST may not be idempotent, so it is
  not run twice but answered with the 503 page (its transaction, if it never committed,
  is rolled back).

"The database is unavailable" also covers a connection that cannot be made, a pool with
no connection free in time, and the other operational errors (a lock or statement time
limit, SQLite's "database is locked"): 503. Any other database error is a bug: 500 as
before.
"""
from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import ServiceUnavailable

from .extensions import db

#: blueprints whose every request may run twice (see above)
IDEMPOTENT_BLUEPRINTS = frozenset({"respond", "reminders"})
SAFE_METHODS = frozenset({"GET", "HEAD"})


def database_unavailable(error: Exception) -> bool:
    """The database could not be used (as against a mistake in a statement)."""
    if isinstance(error, PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and (
        error.connection_invalidated or isinstance(error, (OperationalError, InterfaceError)))


def may_run_again(error: Exception) -> bool:
    """The connection died under this request, and the request is safe to run again."""
    return (isinstance(error, DBAPIError) and error.connection_invalidated
            and not g.get("_ran_again", False)
            and (request.blueprint in IDEMPOTENT_BLUEPRINTS or request.method in SAFE_METHODS))


def _database_error(error: Exception):
    if not database_unavailable(error):
        raise error  # a mistake, not an outage: handled as any other error (500)
    db.session.rollback()  # the transaction went with the connection (and SQLAlchemy emptied the pool)
    where = f"{request.method} {request.endpoint}"  # never the path: it may hold a personal link
    if may_run_again(error):
        g._ran_again = True
        current_app.logger.warning("The database connection was lost during %s: running it again", where)
        try:
            response = current_app.preprocess_request()
            return response if response is not None else current_app.dispatch_request()
        except Exception as again:  # handled as the first run's would be (this handler for another loss)
            return current_app.handle_user_exception(again)
    current_app.logger.error("The database is unavailable for %s: answered 503", where, exc_info=error)
    # the page is the blueprint's own 503 page (the respondent's says their answers are kept)
    return current_app.handle_user_exception(ServiceUnavailable())


def init_app(app: Flask) -> None:
    """Handle the database's errors as above (the 503 pages are the blueprints' own)."""
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeout, _database_error)
