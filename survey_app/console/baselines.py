"""Historical baselines in the browser: the same checks and operations as
`flask baseline import|delete` (results/baselines.py)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import get_locale

from questionnaires import QuestionnaireError, available

from ..auth.access import improve_only
from ..extensions import db
from ..models import BenchmarkBaseline
from ..results.baselines import (MAX_BYTES, BaselineError, check_label, decode, delete_baseline, list_baselines,
                                 read_figures, store_baseline)
from .views import bp

MAX_PROBLEMS_SHOWN = 100


def questionnaire_choices(language: str) -> list[tuple[str, str]]:
    try:
        found = available()
    except QuestionnaireError:
        found = {}
    return [(q.id, q.title.get(language)) for q in found.values()]


@bp.route("/baselines", methods=["GET", "POST"])
@improve_only
def baselines():
    language = get_locale().language
    choices = questionnaire_choices(language)
    form = {"questionnaire": request.form.get("questionnaire", ""), "label": request.form.get("label", ""),
            "replace": bool(request.form.get("replace"))}
    errors: dict[str, str] = {}
    problems = []
    if request.method == "POST":
        upload = request.files.get("file")
        if form["questionnaire"] not in {c for c, _t in choices}:
            errors["questionnaire"] = _("Select the questionnaire the figures are for")
        if upload is None or not upload.filename:
            errors["file"] = _("Select a CSV file of baseline figures")
        if not errors:
            try:
                label = check_label(form["questionnaire"], form["label"], replace=form["replace"])
            except BaselineError as exc:
                errors["label"] = exc.problems[0].message
        if not errors:
            try:
                # read one byte past the limit, so that a larger file is refused unread
                figures = read_figures(form["questionnaire"], decode(upload.stream.read(MAX_BYTES + 1)))
            except BaselineError as exc:
                problems = exc.problems
                errors["file"] = _("The file has problems: nothing was stored. Correct them and upload it again.")
        if not errors:
            store_baseline(form["questionnaire"], label, figures, replace=form["replace"])
            db.session.commit()
            flash(ngettext("Baseline ‘%(label)s’ stored: %(num)d figure.",
                           "Baseline ‘%(label)s’ stored: %(num)d figures.", len(figures), label=label))
            return redirect(url_for("console.baselines"))
        db.session.rollback()
    items = [{"value": "", "text": _("Select a questionnaire")}] + [
        {"value": c, "text": t, "selected": c == form["questionnaire"]} for c, t in choices]
    return render_template(
        "console/baselines.html", baselines=list_baselines(), choices=dict(choices), form=form, errors=errors,
        error_list=[{"text": message, "href": "#problems" if field == "file" and problems else f"#{field}"}
                    for field, message in errors.items()],
        questionnaire_items=items, problems=problems[:MAX_PROBLEMS_SHOWN],
        more=max(0, len(problems) - MAX_PROBLEMS_SHOWN), max_kb=MAX_BYTES // 1024), 400 if errors else 200


@bp.route("/baselines/<int:baseline_id>/delete", methods=["POST"])
@improve_only
def delete_baseline_view(baseline_id: int):
    baseline = db.get_or_404(BenchmarkBaseline, baseline_id)
    label = baseline.label
    delete_baseline(baseline)
    db.session.commit()
    flash(_("Baseline ‘%(label)s’ deleted.", label=label))
    return redirect(url_for("console.baselines"))
