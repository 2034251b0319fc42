"""/stop-reminders/<token>: a confirmation page, then a POST that stops reminders.

The POST needs no CSRF token: the token in the address is the capability (nobody
can forge a request without it), and mail providers' one-click unsubscribe (RFC 8058,
advertised in the List-Unsubscribe headers) posts without one.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _

from ..extensions import csrf, db
from ..i18n import LANGUAGES
from ..links import STOP_REMINDERS_SALT, is_legacy_token, read_token
from ..models import Participant
from ..models.types import utcnow
from ..respond.limits import SMALL_FORM_BYTES, read_form
from .operations import stop_reminders

bp = Blueprint("reminders", __name__, template_folder="templates")


def _participant(token: str) -> Participant | None:
    participant_id = read_token(token, current_app.config["SECRET_KEY"], STOP_REMINDERS_SALT)
    participant = db.session.get(Participant, participant_id) if participant_id is not None else None
    if participant is not None and is_legacy_token(token) and participant.campaign.has_closed():
        participant = None  # an old-format link works only until its campaign closes (links.py)
    language = request.args.get("lang")
    if language in LANGUAGES:
        g.language = session["language"] = language
    if participant is not None:
        g.preferred_language = participant.language
    return participant


def _page(state: str, participant: Participant | None, status: int = 200):
    language = get_locale().language if get_locale() else "en"
    survey = None
    if participant is not None:
        survey = participant.campaign.questionnaire_version.parsed().title.get(language)
    titles = {"confirm": _("Stop reminders"), "stopped": _("Reminders stopped"),
              "closed": _("This survey has closed"), "invalid": _("This link is not valid"),
              "too_large": _("Reminders were not stopped")}
    other = "en" if language == "cy" else "cy"
    return render_template("reminders/stop.html", state=state, survey=survey, title=titles[state],
                           other_language=other), status


@bp.errorhandler(413)
def too_large(_error):
    return _page("too_large", None, 413)


@bp.get("/stop-reminders/<token>")
def confirm(token: str):
    participant = _participant(token)
    if participant is None:
        return _page("invalid", None, 404)
    if participant.opted_out_at is not None:
        return _page("stopped", participant)
    if not participant.campaign.accepting_responses():
        return _page("closed", participant)
    return _page("confirm", participant)


@bp.post("/stop-reminders/<token>")
@csrf.exempt
def stop(token: str):
    participant = _participant(token)
    if participant is None:
        abort(404)
    read_form(SMALL_FORM_BYTES)  # the form has a button at most; a mail provider's one-click a field
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    stop_reminders(participant, utcnow())
    db.session.commit()
    if one_click:
        return _page("stopped", participant)
    language = get_locale().language if get_locale() else None
    return redirect(url_for(".confirm", token=token, lang=language), 303)
