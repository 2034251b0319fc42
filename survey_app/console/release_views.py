"""Releasing results from the console: a button on the campaign list and on each
campaign's release page, which also lists every release and un-release (who, when)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import improve_only, visible_campaign
from ..extensions import db
from .release import ReleaseError, release_campaign, release_history, unrelease_campaign
from .views import bp

ACTIONS = {"release": release_campaign, "unrelease": unrelease_campaign}
PROBLEMS = {
    "not_closed": lambda: _("The results can be released only once the campaign has closed"),
    "already_released": lambda: _("The results have already been released"),
    "not_released": lambda: _("The results have not been released, so there is nothing to un-release"),
}


def _back(campaign_id: int):
    """Where the button was pressed: the campaign list (with its filters) or this page."""
    form = request.form
    if form.get("from") == "list":
        filters = {k: form[k] for k in ("year", "questionnaire") if form.get(k)}
        return redirect(url_for("console.campaigns", **filters, _anchor=f"campaign-{campaign_id}"))
    return redirect(url_for("console.release", campaign_id=campaign_id))


@bp.route("/campaigns/<int:campaign_id>/release", methods=["GET", "POST"])
@improve_only
def release(campaign_id: int):
    campaign = visible_campaign(campaign_id)
    problem = None
    if request.method == "POST":
        action = request.form.get("action")
        if action not in ACTIONS:
            problem = _("Choose whether to release the results or un-release them")
        else:
            try:
                ACTIONS[action](campaign, user=current_user._get_current_object())
            except ReleaseError as exc:
                db.session.rollback()
                problem = PROBLEMS[exc.reason]() if exc.reason in PROBLEMS else str(exc)
            else:
                db.session.commit()
                flash(_("Results of %(code)s released: they now count in the benchmark.", code=campaign.code)
                      if action == "release" else
                      _("Results of %(code)s un-released: they are provisional again and no longer count in "
                        "the benchmark.", code=campaign.code))
                return _back(campaign.id)
    return render_template("console/release.html", campaign=campaign, history=release_history(campaign),
                           problem=problem), 200 if problem is None else 400
