"""The Improve team's console: every campaign at a glance, creating organisations and
campaigns."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice

from questionnaires import available
from questionnaires.characters import unstorable_character
from scoring.years import parse_year, year_label

from ..auth.access import improve_only
from ..dashboard.figures import rate_counts
from ..dashboard.return_progress import return_summaries
from ..extensions import db
from ..maturity.operations import ContributorRefused
from ..maturity.setup import Lead, is_organisation_return, set_up_campaign
from ..models import Campaign, Organisation
from ..peers.labels import every_peer_group
from ..peers.operations import all_groups, peer_group
from ..results.datasets import dataset
from ..web import int_arg
from .forms import CampaignForm, OrganisationForm
from .operations import SetupError, create_organisation

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")


def year_arg() -> int | None:
    """?year= as a data year (2026/27, or 2026 for the year starting in 2026): None when
    absent or empty, and 404 when it is anything else."""
    value = request.args.get("year")
    if not value:
        return None
    try:
        return parse_year(value)
    except ValueError:
        abort(404)


def data_years() -> list[tuple[int, str]]:
    """Every data year with a campaign, newest first: (year, label), one label per way of
    counting years in use (2026/27, and 2026 if a calendar-year questionnaire ran then)."""
    found = db.session.execute(db.select(Campaign.year, Campaign.year_kind).distinct()).all()
    return sorted({(year, year_label(year, kind)) for year, kind in found}, reverse=True)


def chosen_year(years: list[tuple[int, str]], year: int | None) -> str | None:
    """The label to show as chosen: the one asked for, or the first of that year's."""
    asked = request.args.get("year")
    labels = [label for y, label in years if y == year]
    return asked if asked in labels else next(iter(labels), None)


@bp.route("/")
@improve_only
def campaigns():
    year = year_arg()
    questionnaire = request.args.get("questionnaire") or None
    if questionnaire and unstorable_character(questionnaire):  # PostgreSQL would fail on a NUL
        abort(404)
    query = db.select(Campaign).order_by(Campaign.opens_at.desc(), Campaign.id.desc())
    if year:
        query = query.where(Campaign.year == year)
    if questionnaire:
        query = query.where(Campaign.questionnaire == questionnaire)
    found = db.session.execute(query).scalars().all()
    years = data_years()
    names = sorted(db.session.execute(db.select(Campaign.questionnaire).distinct()).scalars())
    returns = return_summaries([c for c in found if is_organisation_return(c)])
    return render_template("console/campaigns.html", campaigns=found, returns=returns,
                           counts=rate_counts([c.id for c in found if c.id not in returns]), years=years,
                           questionnaires=names, year=chosen_year(years, year), questionnaire=questionnaire)


def organisations_by_name(language: str) -> list[Organisation]:
    """Every organisation, in the order of the names shown in `language` (Welsh names
    on Welsh pages)."""
    orgs = db.session.execute(db.select(Organisation)).scalars().all()
    return sorted(orgs, key=lambda o: (o.name_in(language).casefold(), o.id))


@bp.route("/organisations/new", methods=["GET", "POST"])
@improve_only
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = create_organisation(
                name=form.name.data, name_cy=form.name_cy.data, type_letter=form.type_letter.data,
                number=form.number.data, partnership=form.partnership.data,
                language_policy=None if form.language_policy.data == "default" else form.language_policy.data)
        except SetupError:
            db.session.rollback()
            form.number.errors.append(_("That type and two-digit id are already used by another organisation"))
        else:
            db.session.commit()
            flash(_("Organisation %(name)s added.", name=org.name_in(get_locale().language)))
            return redirect(url_for("console.new_campaign", organisation=org.id))
    return render_template("console/new_organisation.html", form=form), 400 if form.errors else 200


@bp.route("/campaigns/new", methods=["GET", "POST"])
@improve_only
def new_campaign():
    form = CampaignForm()
    language = get_locale().language
    orgs = organisations_by_name(language)
    form.organisation_id.choices = [SelectChoice(0, _("Select an organisation"))] + [
        SelectChoice(o.id, o.name_in(language)) for o in orgs]
    found = available()
    form.questionnaire.choices = [SelectChoice(q.id, q.title.get(language)) for q in found.values()]
    form.organisation_returns = frozenset(q.id for q in found.values() if q.is_organisation_return)
    if request.method == "GET" and request.args.get("organisation", type=int):
        form.organisation_id.data = request.args.get("organisation", type=int)
    if form.validate_on_submit():
        org = db.session.get(Organisation, form.organisation_id.data)
        if org is None:
            form.organisation_id.errors.append(_("Select the organisation"))
        else:
            lead = None
            if form.questionnaire.data in form.organisation_returns:
                lead = Lead(email=form.lead_email.data, name=form.lead_name.data, language=form.lead_language_code)
            try:
                campaign = set_up_campaign(organisation=org, questionnaire_id=form.questionnaire.data,
                                           opens=form.opens_date, weeks=form.weeks.data,
                                           anonymity_threshold=form.anonymity_threshold.data, lead=lead,
                                           hash_key=current_app.config["EMAIL_HASH_KEY"], questionnaires=found)
            except ContributorRefused as exc:
                db.session.rollback()
                field, message = LEAD_REFUSALS.get(exc.reason, ("lead_email", None))
                form[field].errors.append(message() if message else str(exc))
            except SetupError as exc:
                db.session.rollback()
                form.opens_day.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Campaign created. Its lead will be invited by email once it is open.") if lead
                      else _("Campaign created. Add its participants next."))
                return redirect(url_for("dashboard.campaign", campaign_id=campaign.id))
    return render_template("console/new_campaign.html", form=form, organisations=orgs), 400 if form.errors else 200


#: a lead the form let through but add_contributor refused: the field and what it says
LEAD_REFUSALS = {
    "email": ("lead_email", lambda: _("Enter the lead's email address in the correct format, like name@example.org")),
    "name": ("lead_name", lambda: _("Enter the lead's name")),
    "language": ("lead_language", lambda: _("Select the language the lead prefers")),
}


EXPORT_FORMATS = {"csv": "CSV", "xlsx": "XLSX", "parquet": "Parquet"}


@bp.route("/exports")
@improve_only
def exports():
    """The Improve team's datasets, across organisations (codes only, no comments) or for
    one organisation, as in `flask export`."""
    years = data_years()
    names = sorted(db.session.execute(db.select(Campaign.questionnaire).distinct()).scalars())
    orgs = organisations_by_name(get_locale().language)
    args = request.args
    problem = None
    groups = every_peer_group([(g.id, g.name) for g in all_groups()])
    if args.get("questionnaire") and args.get("year") and args.get("format"):
        questionnaire, year, file_format = args["questionnaire"], year_arg(), args["format"]
        if file_format not in EXPORT_FORMATS or questionnaire not in names or year not in {y for y, label in years}:
            abort(404)
        organisation = db.session.get(Organisation, int_arg("organisation") or 0)
        language = str(get_locale())
        peers = args.get("peers") or "all"
        if peers not in {key for key, _label in groups}:
            abort(404)
        found = dataset(questionnaire, year, organisation, language, peers=peer_group(peers))
        if found is not None:
            f = found.download(file_format)
            return Response(f.data, mimetype=f.media_type, headers={
                "Content-Disposition": f'attachment; filename="{f.filename}"', "Cache-Control": "no-store"})
        problem = _("There are no responses to export for that questionnaire, year and organisation.")
    return render_template("console/exports.html", years=years, year=chosen_year(years, year_arg()),
                           questionnaires=names, organisations=orgs,
                           formats=EXPORT_FORMATS, problem=problem, args=args,
                           peer_groups=groups), 200 if problem is None else 404
