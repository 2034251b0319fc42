"""Interface words for results, in the current locale (Flask-Babel).

Questionnaire text (factor, area and option labels) comes from the frozen questionnaire
in both languages; the words around it come from here.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from scoring import ResponseRate
from scoring.suppression import NOT_ANSWERED

MEASURES = {
    "satisfaction": _l("Satisfaction"),
    "importance": _l("Importance"),
    "improvement": _l("Improvement"),
    "agreement": _l("Agreement"),
    "confidence": _l("Confidence"),
    "maturity": _l("Maturity"),
    "completion": _l("Completion"),
}
DIMENSIONS = {
    "device": _l("Device"),
    "location": _l("Location"),
    "role": _l("Role"),
    "working_mode": _l("Working mode"),
    "device_class": _l("Device used to answer"),
}
DEVICE_CLASSES = {
    "mobile": _l("Mobile phone"),
    "tablet": _l("Tablet"),
    "desktop": _l("Desktop or laptop"),
}
BANDS = {
    4: _l("At or above the 3rd quartile"),
    3: _l("At or above the median"),
    2: _l("At or above the 1st quartile"),
    1: _l("Below the 1st quartile"),
}


def response_rate_text(rate: ResponseRate, locale: str) -> str:
    """'36.0% (1,446 out of 4,014)' in the current language (DESIGN.md definition 4)."""
    numbers = rate.numbers(locale)
    if rate.percent is None:
        return _("No participants yet")
    return _("%(percent)s (%(submitted)s out of %(participants)s)", **numbers)


def measure_label(measure) -> str:
    if measure is None or measure != measure:  # None or NaN
        return ""
    return str(MEASURES.get(measure, measure))


def dimension_label(dimension: str, questionnaire=None, language: str = "en") -> str:
    if questionnaire is not None:
        declared = next((d for d in questionnaire.dimensions if d.id == dimension), None)
        if declared is not None:
            return declared.label.get(language)
    return str(DIMENSIONS.get(dimension, dimension))


def group_label(dimension: str, group: str, questionnaire=None, language: str = "en") -> str:
    """The name of a breakdown group: the option's label where a question asks the
    dimension, the device class's name, or the participant list's own value."""
    if group == NOT_ANSWERED:
        return _("Not answered")
    if dimension == "device_class":
        return str(DEVICE_CLASSES.get(group, group))
    if questionnaire is not None:
        for item in questionnaire.items:
            if item.dimension == dimension and item.option(group) is not None:
                return item.option(group).label.get(language)
    return group


def metric_label(row, questionnaire=None, language: str = "en") -> str:
    """A metric's name for people: the factor's short name (its label in the
    questionnaire, else the text of the question that asks it), the item's question, the
    area's label, or the words for a gap, weight gap or response rate."""
    kind = row["kind"]
    if kind == "response_rate":
        return _("Response rate")
    if kind == "area":
        area = next((a for a in questionnaire.areas if a.id == row["area"]), None) if questionnaire else None
        return area.label.get(language) if area else str(row["area"])
    text = factor_name(row, questionnaire, language)
    if kind == "gap":
        return _("Gap: %(factor)s", factor=text)
    if kind == "weight_gap":
        return _("Weight gap: %(factor)s", factor=text)
    return text


def factor_name(row, questionnaire=None, language: str = "en") -> str:
    """The factor's (or item's) own name, without the words a gap or weight gap adds:
    what a chart of one kind of metric draws beside each bar."""
    found = None
    if questionnaire is not None:
        if row["kind"] == "item":
            item = questionnaire.item(row["item_id"])
            found = item.text if item else None
        elif row["kind"] == "area":
            return metric_label(row, questionnaire, language)
        else:
            found = questionnaire.factor_label(row["factor"])
    return found.get(language) if found else str(row["factor"])


def suppression_note(threshold: int) -> str:
    return ngettext(
        "Groups with fewer than %(num)d response are not shown, nor any group whose figures could be "
        "worked out from them.",
        "Groups with fewer than %(num)d responses are not shown, nor any group whose figures could be "
        "worked out from them.",
        threshold,
    )
