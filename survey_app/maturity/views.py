"""An organisation's return at /s/<token>/return/: its contributors' pages.

The personal link is the ordinary participant link (the respondent's start page sends a
contributor here), so these pages share the respondent's machinery: the same link
checks (a forged link, or a withdrawn contributor's, is "not valid"), the same CSRF
and body-size checks before any POST is read, the same error pages and compact HTML.
Every page works without JavaScript. After the lead submits, every page is read-only.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext as _l, refresh
from flask_wtf.csrf import CSRFError

from questionnaires.model import Questionnaire

from .. import metrics
from ..extensions import csrf, db
from ..i18n import LANGUAGES, current_language
from ..models import MaturityContributor
from ..models.types import utcnow
from ..respond import operations as respond_operations
from ..respond.limits import SMALL_FORM_BYTES
from ..respond.views import Stop, closed_on, compact_page, last_day, posted_form
from . import display, forms, operations, reading

bp = Blueprint("maturity", __name__, url_prefix="/s/<token>/return", template_folder="templates")
# as the respondent's pages: each POST checks its CSRF token once its body limit is known
csrf.exempt(bp)
bp.register_error_handler(Stop, lambda stop: stop.response)
bp.after_request(compact_page)
bp.context_processor(lambda: {"last_day": last_day, "closed_on": closed_on})


@dataclass
class ReturnVisit:
    token: str
    participant: respond_operations.ParticipantState
    campaign: respond_operations.CampaignState
    q: Questionnaire
    contributor: MaturityContributor
    return_: reading.ReturnState

    @property
    def is_lead(self) -> bool:
        return self.contributor.is_lead

    def lead_name(self) -> str | None:
        if self.is_lead:
            return self.contributor.name
        return next((c.name for c in reading.contributors(self.campaign.id) if c.is_lead), None)


def _invalid_link():
    return render_template("respond/invalid.html"), 404


def _visit(token: str, *, open_only: bool = True) -> ReturnVisit:
    found = respond_operations.visitor_for_token(token, current_app.config["SECRET_KEY"])
    if found is None or not reading.is_organisation_return(found.questionnaire):
        raise Stop(_invalid_link())
    contributor = reading.contributor(found.participant.id)
    if contributor is None:
        raise Stop(_invalid_link())
    g.preferred_language = found.participant.language
    refresh()  # the language may have been worked out before the participant was known
    visit = g.visit = ReturnVisit(token, found.participant, found.campaign, found.questionnaire, contributor,
                                  reading.return_state(found.campaign.id))
    if open_only and not visit.campaign.accepting_responses():
        raise Stop(_not_open(visit))
    return visit


def _not_open(visit: ReturnVisit):
    if utcnow() < visit.campaign.opens_at and visit.campaign.status != "closed":
        return render_template("maturity/not_open.html", visit=visit), 403
    return render_template("maturity/closed.html", visit=visit), 410


@bp.errorhandler(413)
def _too_large(_error):
    return render_template("respond/too_large.html", visit=g.get("visit")), 413


@bp.errorhandler(503)
def _unavailable(_error):
    return render_template("respond/unavailable.html", visit=g.get("visit")), 503


@bp.errorhandler(CSRFError)
def _csrf_failed(_error):
    try:
        visit = _visit((request.view_args or {}).get("token", ""), open_only=False)
    except Stop as stop:  # a link not valid (any more): its own page
        return stop.response
    return render_template("respond/csrf.html", visit=visit, retry_url=request.path), 400


def _lead_only(visit: ReturnVisit):
    return render_template("maturity/lead_only.html", visit=visit, lead_name=visit.lead_name()), 403


def _switch_language(action: str) -> bool:
    """Whether the button pressed was the language switch (then the page's language is changed)."""
    language = action.removeprefix("language-")
    if action.startswith("language-") and language in LANGUAGES:
        session["language"] = language
        refresh()
        return True
    return False


@bp.get("/")
def overview(token: str):
    visit = _visit(token)
    answers = reading.stored_answers(visit.return_.id)
    q = visit.q
    tasks = [(function, reading.progress(q.statements_of(function.id), answers)) for function in q.functions]
    return render_template("maturity/overview.html", visit=visit, tasks=tasks, lead_name=visit.lead_name(),
                           total=reading.progress(q.statements, answers))


def _function_or_404(visit: ReturnVisit, function_id: str):
    function = visit.q.function(function_id)
    if function is None:
        abort(404)
    return function


def _function_page(visit: ReturnVisit, function, *, posted: forms.Posted | None = None, conflicts=(), status=200):
    statements = visit.q.statements_of(function.id)
    answers = reading.stored_answers(visit.return_.id)
    page = display.function_page(visit.q, statements, answers, posted=posted, conflicts=conflicts,
                                 own_id=visit.participant.id, language=current_language())
    return render_template("maturity/function.html", visit=visit, function=function, page=page,
                           note_max=forms.NOTE_MAX_LENGTH), status


@bp.get("/f/<function_id>")
def function(token: str, function_id: str):
    visit = _visit(token)
    return _function_page(visit, _function_or_404(visit, function_id))


@bp.post("/f/<function_id>")
def save(token: str, function_id: str):
    visit = _visit(token)
    function = _function_or_404(visit, function_id)
    statements = visit.q.statements_of(function.id)
    posted_form(forms.body_limit(statements))
    action = request.form.get("action", "continue")
    switched = _switch_language(action)
    posted = forms.read_statements(request.form, statements, reading.stored_answers(visit.return_.id),
                                   current_language())
    if visit.return_.submitted:  # read-only, saying who submitted it and when, and what was not saved
        return _function_page(visit, function, posted=posted, status=409)
    if posted.errors:
        return _function_page(visit, function, posted=posted, status=400)
    try:
        conflicts = operations.save_answers(visit.campaign, visit.contributor, posted.changes, utcnow())
    except operations.ReturnSubmitted:
        db.session.rollback()
        visit.return_ = reading.return_state(visit.campaign.id)
        return _function_page(visit, function, posted=posted, status=409)
    db.session.commit()
    if conflicts:
        visit.return_ = reading.return_state(visit.campaign.id)
        return _function_page(visit, function, posted=posted, conflicts=conflicts, status=409)
    if not switched:
        flash(gettext("Your answers to ‘%(function)s’ have been saved.",
                      function=function.label.get(current_language())))
    if action == "overview":
        return redirect(url_for(".overview", token=token))
    return redirect(url_for(".function", token=token, function_id=function.id))


def _check_page(visit: ReturnVisit, *, error: str | None = None, status=200):
    answers = reading.stored_answers(visit.return_.id)
    cards = display.check_cards(visit.q, answers, token=visit.token, editable=not visit.return_.submitted,
                                language=current_language())
    unanswered = sum(card["unanswered"] for card in cards)
    return render_template("maturity/check.html", visit=visit, cards=cards, unanswered=unanswered, error=error,
                           lead_name=visit.lead_name()), status


@bp.get("/check")
def check(token: str):
    return _check_page(_visit(token))


@bp.post("/check")
def submit(token: str):
    visit = _visit(token)
    posted_form(SMALL_FORM_BYTES)
    if not visit.is_lead:
        return _lead_only(visit)
    if not visit.return_.submitted:
        answers = reading.stored_answers(visit.return_.id)
        unanswered = len(visit.q.statements) - reading.progress(visit.q.statements, answers).answered
        if unanswered and request.form.get("confirm-unanswered") != "yes":
            return _check_page(visit, status=400, error=gettext(
                "Confirm that the unanswered statements are to count as not in place, or answer them first"))
        # a double click or a second tab: the second changes nothing (operations.submit_return)
        operations.submit_return(visit.campaign, visit.contributor, utcnow())
        db.session.commit()
        metrics.submitted("return")
    return redirect(url_for(".submitted", token=token))


@bp.get("/submitted")
def submitted(token: str):
    visit = _visit(token)
    if not visit.return_.submitted:
        return redirect(url_for(".overview", token=token))
    return render_template("maturity/submitted.html", visit=visit)


def _contributors_page(visit: ReturnVisit, form: forms.ContributorForm, status=200):
    return render_template("maturity/contributors.html", visit=visit, form=form,
                           contributors=reading.contributors(visit.campaign.id)), status


@bp.get("/contributors")
def contributors(token: str):
    visit = _visit(token)
    if not visit.is_lead:
        return _lead_only(visit)
    return _contributors_page(visit, forms.ContributorForm(formdata=None))


#: what the pages say when add_contributor refuses, by its reason: (field, message)
REFUSALS = {
    "email": ("email", _l("Enter an email address in the correct format, like name@example.org")),
    "duplicate": ("email", _l("This email address is already a contributor to the return")),
    "name": ("name", _l("Enter a name of up to 100 characters")),
    "language": ("language", _l("Select the language of their emails")),
    "second_lead": ("email", _l("The return already has a lead")),
}


@bp.post("/contributors")
def add_contributor(token: str):
    visit = _visit(token)
    posted_form(SMALL_FORM_BYTES)
    if not visit.is_lead:
        return _lead_only(visit)
    form = forms.ContributorForm()
    if visit.return_.submitted:
        return _contributors_page(visit, form, status=409)  # read-only, saying who submitted it and when
    if _switch_language(request.form.get("action", "")):
        return _contributors_page(visit, form)  # the form as typed, in the language chosen
    if not form.validate():
        return _contributors_page(visit, form, status=400)
    try:
        added = operations.add_contributor(visit.campaign, email=form.email.data, name=form.name.data,
                                           language=form.language.data,
                                           hash_key=current_app.config["EMAIL_HASH_KEY"], added_by=visit.contributor)
    except operations.ContributorRefused as refused:
        db.session.rollback()
        name, message = REFUSALS[refused.reason]
        form[name].errors = [str(message)]
        return _contributors_page(visit, form, status=400)
    db.session.commit()
    flash(gettext("%(name)s has been added. They will be emailed their own link to the return.", name=added.name))
    return redirect(url_for(".contributors", token=token))
