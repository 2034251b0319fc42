"""/dev/mail: a list of the .eml files the mail catcher saved (instance/mail/), and each
message's text and HTML. Registered only when SURVEY_ENV is development; recipients'
addresses are not shown."""
from __future__ import annotations

import email
import email.policy
import re
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import gettext as _

from ..security import sandboxed_document_policy

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail", template_folder="templates")
NAME = re.compile(r"^[\w.-]+\.eml$")


def mail_folder() -> Path:
    return Path(current_app.config.get("MAIL_CATCHER_DIR") or Path(current_app.instance_path) / "mail")


def _read(name: str):
    if not NAME.match(name):
        abort(404)
    path = mail_folder() / name
    if not path.is_file():
        abort(404)
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _part(message, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else None


@bp.get("/")
def index():
    folder = mail_folder()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.is_dir() else []
    messages = []
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        date = message["date"]
        messages.append({"name": path.name, "subject": str(message["subject"] or ""),
                         "languages": str(message["content-language"] or ""),
                         "date": parsedate_to_datetime(date) if date else None})
    return render_template("devmail/index.html", title=_("Mail caught in development"), messages=messages,
                           folder=folder.name)


@bp.get("/<name>")
def show(name: str):
    message = _read(name)
    return render_template("devmail/message.html", title=str(message["subject"] or name), name=name,
                           text=_part(message, "plain"), has_html=_part(message, "html") is not None)


@bp.get("/<name>/html")
def html(name: str):
    body = _part(_read(name), "html")
    if body is None:
        abort(404)
    # shown as sent, but sandboxed: no scripts, no forms, no access to this site, and only
    # the inline styles this message holds
    return Response(body, mimetype="text/html", headers={"Content-Security-Policy": sandboxed_document_policy(body)})
