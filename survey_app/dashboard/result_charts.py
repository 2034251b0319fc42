"""The charts of the results page (and of the report made from its templates): each
section's factors, the gaps either side of zero, and overall satisfaction by group with
an "all responses" bar. The numbers come from the page's own tables."""
from __future__ import annotations

import pandas as pd
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

import scoring

from ..results.labels import dimension_label, group_label
from ..results.report import CampaignReport
from . import charts

OVERALL = "OVERALL.satisfaction"
DIVERGING = ("gap", "weight_gap")


def score_text(value: float | None) -> str:
    return format_decimal(value, format="0.00") if value is not None else "–"


def section_chart(section: dict, campaign_id: int, language: str) -> str:
    """A section's bars: scores on the 1 to 7 scale, or gaps and weight gaps either side
    of zero; the benchmark's median and quartiles drawn on each bar that has them."""
    bars = [charts.Bar(r["name"], r["score"], score_text(r["score"]), r["median"], r["q1"], r["q3"])
            for r in section["rows"]]
    chart_id = f"chart-{section['id']}-{campaign_id}"
    if section["kind"] in DIVERGING:
        return charts.diverging_bars(bars, chart_id=chart_id, title=section["title"], locale=language, desc=_(
            "Bar chart of %(title)s for each factor, either side of zero: a bar to the left, in red, where "
            "importance is higher than satisfaction. The benchmark median is a black line and the 1st and 3rd "
            "quartiles grey lines where there is a benchmark. The same numbers are in the table.",
            title=section["title"]))
    return charts.score_bars(bars, chart_id=chart_id, title=section["title"], locale=language, desc=_(
        "Bar chart of %(title)s scores on the 1 to 7 scale, with the benchmark median as a black line "
        "and the 1st and 3rd quartiles as grey lines. The same numbers are in the table.", title=section["title"]))


def _option_order(report: CampaignReport, dimension: str) -> dict[str, int]:
    for item in report.questionnaire.items:
        if item.dimension == dimension:
            return {o.value: i for i, o in enumerate(item.options)}
    return {}


def asked(report: CampaignReport, dimension: str) -> bool:
    return any(item.dimension == dimension for item in report.questionnaire.items)


def satisfaction_by_group(report: CampaignReport, dimension: str, language: str,
                          found: scoring.Breakdown | None = None) -> dict | None:
    """Overall satisfaction of each group of `dimension` that may be shown (DESIGN.md
    definition 6: a suppressed group, or a group whose overall figure is suppressed, is
    neither drawn nor listed), after a bar for all responses. None when the
    questionnaire asks no overall satisfaction."""
    overall = report.headline.get("overall_satisfaction")
    if overall is None:
        return None
    threshold = report.campaign.anonymity_threshold
    if found is None:
        found = scoring.breakdown(report.data.scored, report.data.respondents, dimension, threshold)
    cells = found.metrics.loc[(found.metrics["metric"] == OVERALL) & ~found.metrics["suppressed"]]
    scores = {g: (float(s), int(n)) for g, s, n in zip(cells["group"], cells["score"], cells["n"]) if not pd.isna(s)}
    order = _option_order(report, dimension)
    shown = found.groups.loc[~found.groups["suppressed"]]
    groups = sorted(((g, int(r)) for g, r in zip(shown["group"], shown["responses"]) if g in scores),
                    key=lambda gr: (order.get(gr[0], len(order)), charts.natural_key(gr[0])))
    hidden = [group_label(dimension, g, report.questionnaire, language) for g in found.groups["group"]
              if g not in scores]
    name = dimension_label(dimension, report.questionnaire, language)
    rows = [{"label": _("All responses"), "responses": report.response_rate.submitted, "score": overall[0],
             "n": overall[1], "all": True}]
    rows += [{"label": group_label(dimension, g, report.questionnaire, language), "responses": responses,
              "score": scores[g][0], "n": scores[g][1], "all": False} for g, responses in groups]
    in_sentence = name[:1].lower() + name[1:]  # "by device", "yn ôl dyfais"
    title = _("Overall satisfaction by %(dimension)s", dimension=in_sentence)
    bars = [charts.Bar(_("%(group)s (%(responses)s)", group=r["label"], responses=ngettext(
        "%(num)s response", "%(num)s responses", r["n"])), r["score"], score_text(r["score"]), marked=r["all"])
        for r in rows]
    chart = charts.score_bars(
        bars, chart_id=f"chart-by-{dimension}-{report.campaign.id}", title=title, locale=language,
        desc=_("Bar chart of overall satisfaction on the 1 to 7 scale: the first, darker bar for all responses, "
               "then one bar for each %(dimension)s with enough responses to show. The same numbers are in "
               "the table.", dimension=in_sentence))
    return {"id": f"by-{dimension}", "title": title, "dimension": name, "chart": chart, "rows": rows,
            "hidden": hidden}


def group_charts(report: CampaignReport, by: str | None, language: str) -> list[dict]:
    """Overall satisfaction by device (when the questionnaire asks it) and by the
    dimension the page is broken down by (`chosen`: drawn with that breakdown)."""
    out = []
    if asked(report, "device"):
        out.append(satisfaction_by_group(report, "device", language,
                                         report.breakdown if by == "device" else None))
    if by is not None and by != "device" and report.breakdown is not None:
        out.append(satisfaction_by_group(report, by, language, report.breakdown))
    out = [c for c in out if c is not None]
    for chart in out:
        chart["chosen"] = chart["id"] == f"by-{by}"
    return out
