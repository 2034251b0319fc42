"""Uploading participant lists from the browser: the same operations and report as
`flask participants import|withdraw`."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from questionnaires.characters import strip_unstorable

from ..auth.access import improve_only, visible_campaign
from ..extensions import db
from ..maturity.setup import is_organisation_return
from ..participants.operations import import_participants, withdraw_participants
from ..participants.reports import ParticipantFileError
from .views import bp

MAX_REJECTIONS_SHOWN = 500


@bp.route("/campaigns/<int:campaign_id>/participants", methods=["GET", "POST"])
@improve_only
def participants(campaign_id: int):
    campaign = visible_campaign(campaign_id)
    report = problem = error_field = None
    action = request.form.get("action", "import")
    all_or_nothing = bool(request.form.get("all_or_nothing"))
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        if action not in ("import", "withdraw"):
            problem, error_field = _("Select whether to add or withdraw people"), "action"
        elif upload is None or not upload.filename:
            problem, error_field = _("Select a CSV file of participants"), "file"
        else:
            operation = import_participants if action == "import" else withdraw_participants
            try:
                # the file's name only labels the report (never stored): refusing a file
                # for a control character in its name would help nobody, so it is dropped
                report = operation(campaign, upload.stream, hash_key=current_app.config["EMAIL_HASH_KEY"],
                                   source=strip_unstorable(upload.filename), all_or_nothing=all_or_nothing)
            except ParticipantFileError as exc:
                db.session.rollback()
                problem, error_field, report = exc.message, "file", exc.report
            else:
                db.session.commit()
        if problem:
            status = 400
    return render_template("console/participants.html", campaign=campaign, report=report, problem=problem,
                           error_field=error_field, action=action, all_or_nothing=all_or_nothing,
                           applied=report is not None and problem is None, limit=MAX_REJECTIONS_SHOWN,
                           organisation_return=is_organisation_return(campaign)), status
