"""Organisation dashboards: an organisation's campaigns and their live response rates."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, jsonify, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from scoring import ResponseRate
from scoring.suppression import NOT_ANSWERED

from ..auth.access import signed_in, visible_campaign, visible_organisation
from ..extensions import db
from ..maturity.setup import is_organisation_return
from ..models import Campaign
from . import charts
from ..results.labels import response_rate_text
from ..results.data import campaign_counts
from .figures import LOCAL, kept_figures, rate_counts, response_rate, shown_rates
from .return_progress import return_progress, return_summaries

bp = Blueprint("dashboard", __name__, template_folder="templates")


def rate_text(rate: ResponseRate) -> str:
    return response_rate_text(rate, str(get_locale()))


ATTRIBUTE_LABELS = {
    "location": lambda: _("location"),
    "role": lambda: _("role"),
    "department": lambda: _("department"),
    "working_mode": lambda: _("working mode"),
    "device": lambda: _("device"),
}


@bp.app_template_global("attribute_label")
def attribute_label(key: str) -> str:
    """A participant-list column as words; unknown columns keep their own name."""
    label = ATTRIBUTE_LABELS.get(key)
    return label() if label else key.replace("_", " ")


@bp.app_template_filter("rate_text")
def rate_text_filter(rate: ResponseRate) -> str:
    return rate_text(rate)


@bp.route("/organisations/<int:organisation_id>/")
@signed_in
def organisation(organisation_id: int):
    org = visible_organisation(organisation_id)
    campaigns = db.session.execute(
        db.select(Campaign).filter_by(organisation_id=org.id).order_by(Campaign.opens_at.desc())
    ).scalars().all()
    returns = return_summaries([c for c in campaigns if is_organisation_return(c)])
    counts = rate_counts([c.id for c in campaigns if c.id not in returns])
    return render_template("dashboard/organisation.html", organisation=org, campaigns=campaigns, counts=counts,
                           returns=returns)


def last_open_day(campaign: Campaign) -> date:
    """The campaign's last day (UK time): the chart of responses over time runs to it."""
    return (campaign.closes_at - timedelta(seconds=1)).astimezone(LOCAL).date()


def live_figures(campaign: Campaign) -> dict:
    read = campaign_counts([campaign.id])[campaign.id]
    counts = response_rate(read)
    days, breakdowns = kept_figures(campaign, counts=read)
    chart = charts.responses_over_time(
        [d for d, _new, _total in days], [total for _d, _n, total in days], last_open_day(campaign),
        first_day=campaign.opens_at.astimezone(LOCAL).date(),
        chart_id=f"curve-{campaign.id}", title=_("Responses over time"), locale=str(get_locale()),
        desc=_("Chart of submitted responses by day, reaching %(rate)s. The same numbers are in the table below.",
               rate=rate_text(counts)),
    )
    # groups too small to show are merged, whoever looks (DESIGN.md definition 6)
    shown = {key: shown_rates(groups, campaign.anonymity_threshold) for key, groups in breakdowns.items()}
    return {"counts": counts, "days": days, "breakdowns": shown, "chart": chart, "no_value": NOT_ANSWERED}


@bp.route("/campaigns/<int:campaign_id>/")
@signed_in
def campaign(campaign_id: int):
    c = visible_campaign(campaign_id)
    if is_organisation_return(c):
        return render_template("dashboard/campaign.html", campaign=c, progress=return_progress(c))
    return render_template("dashboard/campaign.html", campaign=c, progress=None, **live_figures(c))


@bp.route("/campaigns/<int:campaign_id>/rate.json")
@signed_in
def rate_json(campaign_id: int):
    c = visible_campaign(campaign_id)
    if is_organisation_return(c):
        response = jsonify({"applicable": False, "message": _(
            "This campaign is one return for the whole organisation: it has no response rate.")})
        response.headers["Cache-Control"] = "no-store"
        return response, 404
    figures = live_figures(c)
    counts = figures["counts"]
    response = jsonify({
        "submitted": counts.submitted,
        "participants": counts.participants,
        "rate": rate_text(counts),
        "html": render_template("dashboard/_live_figures.html", campaign=c, **figures),
        "language": str(get_locale()),
    })
    response.headers["Cache-Control"] = "no-store"
    return response
