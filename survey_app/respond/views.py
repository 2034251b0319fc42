"""The respondent's journey at /s/<token>: start, one page at a time, check, submit.

Every page works without JavaScript. A link that is forged, names nobody or names a
withdrawn participant gets the same "not valid" page (404), so nothing about who is
invited can be learnt from it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext, refresh
from flask_wtf.csrf import CSRFError

from questionnaires.model import Page, Questionnaire

from .. import metrics
from ..extensions import csrf, db
from ..i18n import LANGUAGES, current_language
from ..maturity.reading import is_organisation_return
from ..models.types import utcnow
from . import display, journey, operations
from .device import device_class
from .forms import check_answers, field_name, page_form_class, stored_to_form
from .limits import SMALL_FORM_BYTES, page_body_limit, read_form

bp = Blueprint("respond", __name__, url_prefix="/s", template_folder="templates")
# The app-wide CSRF check would read a POST's body before the page, and so the largest
# body it may take, is known: every POST here checks its CSRF token in posted_form.
csrf.exempt(bp)


class Stop(Exception):
    """Ends a request early with a finished response (an explanation page or a redirect)."""

    def __init__(self, response):
        self.response = response


@bp.errorhandler(Stop)
def _stop(exc: Stop):
    return exc.response


@dataclass
class Visit:
    token: str
    participant: operations.ParticipantState
    campaign: operations.CampaignState
    q: Questionnaire
    response: operations.ResponseState | None

    @property
    def stored(self) -> dict[str, str]:
        """The answers saved when the request began (read with the visitor)."""
        return dict(self.response.answers) if self.response is not None else {}


def _invalid_link():
    return render_template("respond/invalid.html"), 404


def _visit(token: str, *, open_only: bool = True) -> Visit:
    if request.method in ("GET", "HEAD"):
        operations.read_only()
    found = operations.visitor_for_token(token, current_app.config["SECRET_KEY"])
    if found is None:
        raise Stop(_invalid_link())
    if is_organisation_return(found.questionnaire):  # one return per organisation: its own pages
        raise Stop(redirect(url_for("maturity.overview", token=token)))
    g.preferred_language = found.participant.language
    refresh()  # the language may have been worked out before the participant was known
    visit = g.visit = Visit(token, found.participant, found.campaign, found.questionnaire, found.response)
    if visit.response is not None and visit.response.status == "submitted" and open_only:
        raise Stop(redirect(url_for(".start", token=token)))
    if open_only and not visit.campaign.accepting_responses():
        raise Stop(_not_open(visit))
    return visit


def posted_form(limit: int) -> None:
    """Read the POSTed form, no bigger than `limit` bytes (413 beyond), and check its
    CSRF token: the first thing every POST view does once its visit and page are known."""
    read_form(limit)
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()


@bp.errorhandler(413)
def _too_large(_error):
    return render_template("respond/too_large.html", visit=g.get("visit")), 413


@bp.errorhandler(503)
def _unavailable(_error):
    # the database could not be used, even on a second try (lost_connections.py)
    return render_template("respond/unavailable.html", visit=g.get("visit")), 503


def _not_open(visit: Visit):
    now = utcnow()
    if now < visit.campaign.opens_at and visit.campaign.status != "closed":
        return render_template("respond/not_open.html", visit=visit), 403
    return render_template("respond/closed.html", visit=visit), 410


@bp.context_processor
def _dates():
    return {"last_day": last_day, "closed_on": closed_on}


def last_day(campaign: operations.CampaignState):
    """The last moment answers are taken (closes_at is midnight at the end of that day)."""
    return campaign.closes_at - timedelta(seconds=1)


def closed_on(campaign: operations.CampaignState):
    return min(campaign.closed_at or campaign.closes_at, campaign.closes_at)


@bp.after_request
def compact_page(response):
    # no-store, no-referrer and the rest are sent on every page (survey_app/security.py)
    if response.mimetype == "text/html" and not response.direct_passthrough:
        response.set_data(compact_html(response.get_data(as_text=True)))
    return response


_TEXTAREA = re.compile(r"(<textarea\b.*?</textarea>)", re.S)
_INDENT = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """Drop the templates' indentation (a sixth of a grid page), leaving what the
    respondent typed in a textarea exactly as it was."""
    parts = _TEXTAREA.split(html)
    return "".join(part if i % 2 else _INDENT.sub("\n", part) for i, part in enumerate(parts))


@bp.errorhandler(CSRFError)
def _csrf_failed(_error):
    token = (request.view_args or {}).get("token", "")
    try:
        visit = _visit(token, open_only=False)
    except Stop as stop:
        return stop.response
    return render_template("respond/csrf.html", visit=visit, retry_url=request.path), 400


def _page_url(visit: Visit, page: Page | None, **args) -> str:
    if page is None:
        return url_for(".check", token=visit.token)
    return url_for(".page", token=visit.token, page_id=page.id, **args)


@bp.get("/<token>")
def start(token: str):
    visit = _visit(token, open_only=False)
    if visit.response is not None and visit.response.status == "submitted":
        return render_template("respond/already.html", visit=visit)
    if not visit.campaign.accepting_responses():
        return _not_open(visit)
    stored = visit.stored
    resume = journey.resume_page(visit.q, stored, visit.response.last_page if visit.response else None)
    started = bool(stored)
    first = journey.next_page(visit.q, stored, None)
    return render_template("respond/start.html", visit=visit, started=started,
                           start_url=_page_url(visit, resume if started else first))


def _page_or_404(visit: Visit, page_id: str) -> Page:
    page = visit.q.page(page_id)
    if page is None:
        abort(404)
    return page


def _render_page(visit: Visit, page: Page, stored: dict, values: dict, errors: dict, *, added=False, status=200):
    language = current_language()
    shown = journey.visible_questions(visit.q, page, stored)
    questions = [display.question_params(qn, items, values, errors, language) for qn, items in shown]
    error_list = [{"text": errors[i.id], "href": "#" + field_name(i)}
                  for _, items in shown for i in items if i.id in errors]
    number, total = journey.page_position(visit.q, stored, page.id)
    back = journey.previous_page(visit.q, stored, page.id)
    returning = request.args.get("return") == "check"
    back_href = (url_for(".check", token=visit.token) if returning
                 else _page_url(visit, back) if back else url_for(".start", token=visit.token))
    return render_template("respond/page.html", visit=visit, page=page, questions=questions,
                           shown=" ".join(i.id for _, items in shown for i in items),
                           error_list=error_list, number=number, total=total, back_href=back_href,
                           added=added, returning=returning), status


@bp.get("/<token>/p/<page_id>")
def page(token: str, page_id: str):
    visit = _visit(token)
    page = _page_or_404(visit, page_id)
    stored = visit.stored
    if not journey.visible_questions(visit.q, page, stored):  # hidden by earlier answers
        return redirect(_page_url(visit, journey.next_page(visit.q, stored, page.id)))
    # the answers as the form would show them (no form is needed to show them)
    values = {i.id: stored_to_form(i, stored.get(i.id)) for qn in page.questions for i in qn.items}
    return _render_page(visit, page, stored, values, {})


@bp.post("/<token>/p/<page_id>")
def save(token: str, page_id: str):
    visit = _visit(token)
    page = _page_or_404(visit, page_id)
    posted_form(page_body_limit(page))
    language = current_language()
    action = request.form.get("action", "continue")
    form = page_form_class(page)()
    stored = visit.stored
    page_items = [i for qn in page.questions for i in qn.items]
    cleaned, errors = check_answers(form, page_items, language)
    merged = {k: v for k, v in stored.items() if k not in cleaned}
    merged.update({k: v for k, v in cleaned.items() if v is not None})
    visible = journey.visible_items(visit.q, page, merged)
    values = {i.id: cleaned.get(i.id) for i in visible if i.id not in errors}
    values.update({i.id: None for i in page_items if i not in visible})
    shown_before = set((form.shown.data or "").split())
    appeared = [i for i in visible if i.id not in shown_before]
    errors = {k: v for k, v in errors.items() if k in shown_before and any(i.id == k for i in visible)}
    # answers given but not allowed (too long, not an option): saving for later or
    # switching language must not drop them silently, where an answer merely missing may wait
    wrong = [k for k in errors if k not in cleaned]

    if action.startswith("language-") and action.removeprefix("language-") in LANGUAGES:
        session["language"] = action.removeprefix("language-")
        if wrong:  # the page again in the language chosen, with the messages and what was typed
            refresh()
            _, errors = check_answers(form, page_items, current_language())
            return _refused(visit, page, merged, form, {k: errors[k] for k in wrong})
        _store(visit, page, values, completed=False, language=session["language"])
        return redirect(_page_url(visit, page, **({"return": "check"} if request.args.get("return") else {})))
    if action == "save-later":
        if wrong:
            return _refused(visit, page, merged, form, {k: errors[k] for k in wrong})
        _store(visit, page, values, completed=False)
        return redirect(url_for(".saved", token=token))
    if errors:
        return _refused(visit, page, merged, form, errors)
    if appeared:
        _store(visit, page, values, completed=False)
        return _render_page(visit, page, merged, _typed(form, page), {}, added=True)
    _store(visit, page, values, completed=True)
    after = {**merged, **{k: v for k, v in values.items() if v is not None}}
    if request.args.get("return") == "check":
        target = journey.first_page_needing_answers(visit.q, after)
        return redirect(_page_url(visit, target, **({"return": "check"} if target else {})))
    return redirect(_page_url(visit, journey.next_page(visit.q, after, page.id)))


def _typed(form, page: Page) -> dict:
    """The page's answers exactly as they were sent, to show them again."""
    return {i.id: form[field_name(i)].data for qn in page.questions for i in qn.items}


def _refused(visit: Visit, page: Page, merged: dict, form, errors: dict):
    """The page again with its error messages and everything typed kept: nothing is saved."""
    return _render_page(visit, page, merged, _typed(form, page), errors, status=400)


def _store(visit: Visit, page: Page, values: dict, *, completed: bool, language: str | None = None) -> None:
    """Save a page's answers and commit, or (submitted meanwhile) change nothing."""
    language, device = language or current_language(), device_class(request.user_agent.string)
    response = visit.response or operations.start_response(visit.participant, language=language,
                                                           device_class=device)
    if not operations.save_page(response, visit.q, page, values, completed=completed, language=language,
                                device_class=device):
        db.session.rollback()
        raise Stop(redirect(url_for(".start", token=visit.token)))
    db.session.commit()


#: stands for the token in the Change links of the check page's rows, which are rendered
#: once for everyone (templating.summary_card puts the visitor's own token in)
TOKEN_MARK = "~token~"


def _check_page(visit: Visit, stored: dict, missing=(), status=200):
    language = current_language()
    cards = []
    for page in journey.visible_pages(visit.q, stored):
        items = journey.visible_items(visit.q, page, stored)
        change = url_for(".page", token=TOKEN_MARK, page_id=page.id, **{"return": "check"})
        rows = display.summary_rows(items, stored, language, lambda i: change + "#" + field_name(i))
        cards.append({"title": page.title.get(language), "rows": rows})
    error_list = [{"text": gettext("Answer ‘%(question)s’", question=i.text.get(language)),
                   "href": _page_url(visit, visit.q.page(i.page_id), **{"return": "check"}) + "#" + field_name(i)}
                  for i in missing]
    last = journey.previous_page(visit.q, stored, None)
    return render_template("respond/check.html", visit=visit, cards=cards, error_list=error_list,
                           links={f"/s/{TOKEN_MARK}/": f"/s/{visit.token}/"},
                           back_href=_page_url(visit, last) if last else url_for(".start", token=visit.token)), status


@bp.get("/<token>/check")
def check(token: str):
    visit = _visit(token)
    return _check_page(visit, visit.stored)


@bp.post("/<token>/check")
def submit(token: str):
    visit = _visit(token, open_only=False)
    if visit.response is not None and visit.response.status == "submitted":
        # a second try after the commit went through, a double click, a second tab: the
        # answers are in (submitting again would change nothing), so say so
        return redirect(url_for(".done", token=token))
    if not visit.campaign.accepting_responses():
        return _not_open(visit)
    posted_form(SMALL_FORM_BYTES)
    language, device = current_language(), device_class(request.user_agent.string)
    response = visit.response or operations.start_response(visit.participant, language=language,
                                                           device_class=device)
    result = operations.submit(response, visit.q, visit.participant, language=language, device_class=device,
                               secret=current_app.config["SECRET_KEY"])
    if result.missing:
        db.session.rollback()
        return _check_page(visit, visit.stored, result.missing, status=400)
    db.session.commit()
    if result.submitted:
        metrics.submitted("response")
    return redirect(url_for(".done", token=token))


@bp.get("/<token>/done")
def done(token: str):
    visit = _visit(token, open_only=False)
    if visit.response is None or visit.response.status != "submitted":
        return redirect(url_for(".start", token=token))
    return render_template("respond/done.html", visit=visit)


@bp.get("/<token>/saved")
def saved(token: str):
    visit = _visit(token)
    resume = journey.resume_page(visit.q, visit.stored, visit.response.last_page if visit.response else None)
    return render_template("respond/saved.html", visit=visit, resume_url=_page_url(visit, resume))
