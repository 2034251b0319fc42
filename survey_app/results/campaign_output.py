"""A campaign report as a terminal table, CSV rows or JSON (flask scores)."""
from __future__ import annotations

from flask_babel import gettext as _

from .labels import (dimension_label, group_label, measure_label, metric_label, response_rate_text,
                     suppression_note)
from .report import RESPONSE_RATE, CampaignReport
from .text import format_count, format_number, is_missing, render_table, truncate

CSV_COLUMNS = ["metric", "kind", "factor", "measure", "area", "item_id", "label", "dimension", "group",
               "group_label", "score", "n", "suppressed"]
LABEL_WIDTH = 48


def campaign_summary(report: CampaignReport, locale: str) -> dict:
    c = report.campaign
    rate = report.response_rate
    return {
        "campaign_id": c.id,
        "organisation_code": c.code,
        "questionnaire": c.questionnaire,
        "version": c.questionnaire_version.version,
        "year": c.year_label,
        "anonymity_threshold": c.anonymity_threshold,
        "response_rate": {
            "submitted": rate.submitted,
            "participants": rate.participants,
            "percent": None if rate.percent is None else float(rate.percent),
            "fraction": rate.fraction,
            "text": response_rate_text(rate, locale),
        },
    }


def campaign_rows(report: CampaignReport, locale: str) -> list[dict]:
    """One row per metric (and per group with --by), the columns of CSV_COLUMNS."""
    q, lang = report.questionnaire, locale
    rate = report.response_rate
    rows = [{"metric": RESPONSE_RATE, "kind": RESPONSE_RATE, "label": _("Response rate"),
             "score": rate.fraction * 100 if rate.fraction is not None else None, "n": rate.submitted,
             "suppressed": False}]
    for r in report.metrics.to_dict("records"):
        rows.append({**_metric_fields(r), "label": metric_label(r, q, lang), "score": r["score"], "n": r["n"],
                     "suppressed": False})
    b = report.breakdown
    if b is not None:
        for g in b.groups.to_dict("records"):
            rows.append({"metric": "responses", "kind": "responses", "label": _("Responses"),
                         "dimension": b.dimension, "group": g["group"],
                         "group_label": group_label(b.dimension, g["group"], q, lang),
                         "n": g["responses"], "suppressed": bool(g["suppressed"])})
        for r in b.metrics.to_dict("records"):
            rows.append({**_metric_fields(r), "label": metric_label(r, q, lang), "dimension": b.dimension,
                         "group": r["group"], "group_label": group_label(b.dimension, r["group"], q, lang),
                         "score": r["score"], "n": r["n"], "suppressed": bool(r["suppressed"])})
    out = []
    for row in rows:
        full = {k: row.get(k) for k in CSV_COLUMNS}
        full = {k: (None if is_missing(v) else v) for k, v in full.items()}
        full["n"] = None if full["n"] is None else int(full["n"])
        full["score"] = None if full["score"] is None else float(full["score"])
        out.append(full)
    return out


def _metric_fields(r: dict) -> dict:
    return {k: (None if is_missing(r.get(k)) else r.get(k)) for k in ("metric", "kind", "factor", "measure", "area",
                                                                          "item_id")}


def campaign_json(report: CampaignReport, locale: str) -> dict:
    out = campaign_summary(report, locale)
    out["headline"] = {k: (None if v is None else {"score": v[0], "n": v[1]}) for k, v in report.headline.items()}
    rows = campaign_rows(report, locale)
    out["metrics"] = [_strip(r) for r in rows if r["dimension"] is None and r["kind"] != RESPONSE_RATE]
    if report.breakdown is not None:
        b = report.breakdown
        out["breakdown"] = {
            "dimension": b.dimension,
            "anonymity_threshold": b.threshold,
            "groups": [_strip(r, keep=("group", "group_label", "n", "suppressed")) for r in rows
                       if r["kind"] == "responses"],
            "metrics": [_strip(r) for r in rows if r["dimension"] is not None and r["kind"] != "responses"],
        }
    return out


def _strip(row: dict, keep=None) -> dict:
    if keep:
        return {k: row[k] for k in keep}
    return {k: v for k, v in row.items() if k not in ("dimension",) and not (k == "group" and v is None)
            and not (k == "group_label" and v is None)}


def campaign_text(report: CampaignReport, locale: str) -> str:
    """What a person reads in a terminal."""
    c, q = report.campaign, report.questionnaire
    lines = [f"{c.code} · {q.title.get(locale)} ({c.questionnaire_version.version}) · {c.year_label}",
             _("Response rate: %(rate)s", rate=response_rate_text(report.response_rate, locale))]
    for key, label in (("overall_satisfaction", _("Overall satisfaction")),
                       ("service_improved", _("Service improved"))):
        value = report.headline.get(key)
        if value is not None:
            lines.append(_("%(label)s: %(score)s (n = %(n)s)", label=label, score=format_number(value[0], locale),
                           n=format_count(value[1], locale)))
    if report.metrics.empty:
        lines += ["", _("No submitted responses yet.")]
        return "\n".join(lines)
    if report.breakdown is None:
        lines += ["", _factor_table(report, locale)]
        areas = report.metrics.loc[report.metrics["kind"] == "area"]
        if not areas.empty:
            rows = [[str(r["area"]), truncate(metric_label(r, q, locale), LABEL_WIDTH),
                     format_number(r["score"], locale), format_count(r["n"], locale)] for r in areas.to_dict("records")]
            lines += ["", render_table([_("Area"), _("Label"), _("Score"), "n"], rows, right={2, 3})]
    else:
        lines += ["", _breakdown_table(report, locale)]
    return "\n".join(lines)


def _factor_table(report: CampaignReport, locale: str) -> str:
    q, m = report.questionnaire, report.metrics
    factors = m.loc[m["kind"].isin(["factor", "item"])]
    measures = list(dict.fromkeys(factors["measure"].fillna("")))
    measures.sort(key=lambda m: {"satisfaction": 0, "importance": 1}.get(m, 2))
    gaps = m.loc[m["kind"].isin(["gap", "weight_gap"])].pivot_table(index="factor", columns="kind", values="score",
                                                                       aggfunc="first")
    headers = [_("Factor"), _("Label")]
    for measure in measures:
        headers += [measure_label(measure) or _("Score"), "n"]
    if not gaps.empty:
        headers += [_("Gap"), _("Weight gap")]
    rows = []
    for key, group in factors.groupby(["factor", "item_id"], dropna=False, sort=False):
        first = group.iloc[0].to_dict()
        name = first["factor"] if first["kind"] == "factor" else f"{first['factor']} {first['item_id']}"
        row = [str(name), truncate(metric_label(first, q, locale), LABEL_WIDTH)]
        for measure in measures:
            hit = group.loc[group["measure"].fillna("") == measure]
            row += ([format_number(hit["score"].iloc[0], locale), format_count(hit["n"].iloc[0], locale)]
                    if len(hit) else ["", ""])
        if not gaps.empty:
            g = gaps.loc[first["factor"]] if first["factor"] in gaps.index and first["kind"] == "factor" else None
            row += ([format_number(g.get("gap"), locale), format_number(g.get("weight_gap"), locale)]
                    if g is not None else ["", ""])
        rows.append(row)
    return render_table(headers, rows, right=set(range(2, len(headers))))


def _breakdown_table(report: CampaignReport, locale: str) -> str:
    b, q = report.breakdown, report.questionnaire
    shown = b.groups.loc[~b.groups["suppressed"]]
    hidden = b.groups.loc[b.groups["suppressed"]]
    names = [group_label(b.dimension, g, q, locale) for g in shown["group"]]
    headers = [_("Metric"), _("Label"), _("All responses"), *names]
    overall = report.metrics.set_index("metric")
    cells = b.metrics.set_index(["metric", "group"])
    rows = [[_("Responses"), "", format_count(report.response_rate.submitted, locale),
             *[format_count(n, locale) for n in shown["responses"]]]]
    for metric, r in overall.iterrows():
        row = [str(metric), truncate(metric_label({**r.to_dict(), "metric": metric}, q, locale), 32),
               _cell(r["score"], r["n"], False, locale)]
        for group in shown["group"]:
            if (metric, group) in cells.index:
                c = cells.loc[(metric, group)]
                row.append(_cell(c["score"], c["n"], bool(c["suppressed"]), locale))
            else:
                row.append("")
        rows.append(row)
    out = [_("Breakdown: %(dimension)s", dimension=dimension_label(b.dimension, q, locale)), "",
           render_table(headers, rows, right=set(range(2, len(headers))))]
    if not hidden.empty:
        labels = ", ".join(group_label(b.dimension, g, q, locale) for g in hidden["group"])
        out += ["", _("Too few responses to show: %(groups)s", groups=labels)]
    out += ["", _("* Too few responses to show."), suppression_note(b.threshold)]
    return "\n".join(out)


def _cell(score, n, suppressed: bool, locale: str) -> str:
    if suppressed:
        return "*"
    if is_missing(score):
        return ""
    if is_missing(n):
        return format_number(score, locale)
    return f"{format_number(score, locale)} ({format_count(n, locale)})"

