"""The data dictionary: every column of every exported table, described."""
from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

COLUMNS = {
    "response_id": _l("Pseudonymous id of the response; the same in every table. Never an email address."),
    "organisation_code": _l("The organisation's confidential code for the data year (TYYxx, e.g. W2617 in "
                            "2026/27: YY is the last two digits of the year the data year starts in)."),
    "organisation_name": _l("The organisation's name (only in an export for that organisation); in a Welsh "
                            "export, its name in Welsh when it has one."),
    "campaign_id": _l("Id of the campaign: one organisation answering one questionnaire version."),
    "questionnaire": _l("Id of the questionnaire."),
    "version": _l("Version of the questionnaire the answers were given to."),
    "year": _l("Data year: the financial year (1 April to 31 March) in which the campaign opened, written "
               "2026/27; or, where the questionnaire counts calendar years, the year it opened, written 2026."),
    "language": _l("Language the respondent last used: en or cy."),
    "device_class": _l("Kind of device the response was given on, from the browser: mobile, tablet or desktop."),
    "source": _l("How the response arrived: web, or import (paper or another tool)."),
    "submitted_on": _l("The UK day the response was submitted (ISO 8601 date): for a response given online, the "
                       "last day of the batch it was stored with, so that no time can tie it to a person."),
    "item_id": _l("Id of the item (a question, or one row of a grid)."),
    "question_id": _l("Id of the question the item belongs to."),
    "question": _l("The question as the respondent read it."),
    "comment": _l("A free-text answer, email addresses removed; without its date or response, question by "
                  "question in alphabetical order."),
    "factor": _l("The scored factor the item measures (e.g. S7); empty for unscored items."),
    "measure": _l("What is asked of the factor: satisfaction, importance, improvement, agreement, and so on."),
    "area": _l("Id of the area the item or metric belongs to (SDMA and User Skills), e.g. leadership; empty "
               "where the questionnaire has no areas."),
    "reverse": _l("True when a high answer means a worse result; its score is reversed."),
    "value": _l("The raw answer: a scale point, dont_know, not_applicable, yes, no, an option value, several "
                "option values separated by ';', or free text."),
    "score": _l("The score on the common 1-7 scale at full precision; empty for Don't know, Not applicable and "
                "unscored answers. For a gap or weight gap, the gap; for the response rate, the percentage."),
    "dimension": _l("The breakdown dimension of the row; empty for the organisation as a whole."),
    "group": _l("The value of the dimension; (none) for responses without one."),
    "metric": _l("Id of the metric: FACTOR.measure, FACTOR.gap, FACTOR.weight_gap, area.AREA, item.ITEM, "
                 "response_rate or responses."),
    "kind": _l("Kind of metric: factor, item, gap, weight_gap, area, response_rate or responses."),
    "n": _l("Respondents who gave a number (for the response rate and responses: submitted responses)."),
    "participants": _l("Participants in the campaign, withdrawn people left out, and paper forms handed out; "
                       "never fewer than the responses (response rate rows)."),
    "suppressed": _l("True when the figure rests on too few responses to show: its score and n are left out."),
    "organisations": _l("Number of organisations in the benchmark: those whose results the Improve team has released."),
    "q1": _l("1st quartile over organisations (linear interpolation, as Excel's QUARTILE.INC)."),
    "median": _l("Median over organisations: the typical organisation."),
    "q3": _l("3rd quartile over organisations."),
    "peer_group": _l("The organisations the benchmark is over: all; type:L (type letters); nation:england, "
                     "scotland or wales; partnership:yes or no; or group:NAME, a named peer group."),
    "band": _l("Quartile band: 4 at or above the 3rd quartile, 3 at or above the median, 2 at or above the 1st "
               "quartile, 1 below it."),
    "previous_year": _l("The latest earlier data year with a value for the same organisation, written as in "
                        "the year column."),
    "previous_score": _l("The organisation's value in that year."),
    "change": _l("Score minus previous score."),
}
TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "true/false", "M": "date-time"}
#: ids and labels: text, even where pandas holds an empty one as numbers (no areas in a
#: questionnaire leaves the area column all missing, which pandas stores as a float)
TEXT_COLUMNS = {"organisation_code", "organisation_name", "questionnaire", "version", "year", "language",
                "device_class", "source", "item_id", "question_id", "factor", "measure", "area", "value",
                "dimension", "group", "metric", "kind", "previous_year"}


def _type(series: pd.Series) -> str:
    if series.name in TEXT_COLUMNS:
        return "text"
    return TYPES.get(series.dtype.kind, "text")


def _allowed(item: dict) -> str:
    kind = item["type"]
    if kind == "scale":
        extra = [v for v in ("dont_know", "not_applicable") if item.get(v)]
        return "; ".join([f"{item['scale_min']:g}-{item['scale_max']:g}", *extra])
    if kind == "yes_no":
        return "yes; no"
    if kind in ("single_choice", "multiple_choice"):
        return "; ".join(item["options"])
    return _("free text")


def data_dictionary(tables: dict[str, pd.DataFrame], questionnaire, dimensions: dict[str, str],
                    language: str) -> pd.DataFrame:
    """[table, column, type, description, values] for every column of `tables`.

    `questionnaire` (the newest version) describes item columns of the wide table;
    `dimensions` maps each dimension to where its values come from.
    """
    items = {i.id: i for i in questionnaire.items} if questionnaire else {}
    rows = []
    for table, frame in tables.items():
        for column in frame.columns:
            values = ""
            if column in COLUMNS:
                description = str(COLUMNS[column])
            elif column.startswith("dim_") and column[4:] in dimensions:
                name = column[4:]
                if dimensions[name] == "question":
                    description = _("Breakdown dimension %(dimension)s, from the answer to its question.",
                                    dimension=name)
                else:
                    description = _("Breakdown dimension %(dimension)s, from the participant list.", dimension=name)
            elif column in items:
                item = items[column]
                description = _("Answer to: %(question)s", question=item.text.get(language))
                values = _allowed({
                    "type": item.type, "options": [o.value for o in item.options],
                    "scale_min": item.scale.min if item.scale else None,
                    "scale_max": item.scale.max if item.scale else None,
                    "dont_know": bool(item.scale and item.scale.dont_know),
                    "not_applicable": bool(item.scale and item.scale.not_applicable),
                })
            else:
                description = ""
            rows.append({"table": table, "column": column, "type": _type(frame[column]),
                         "description": description, "values": values})
    return pd.DataFrame(rows, columns=["table", "column", "type", "description", "values"])
