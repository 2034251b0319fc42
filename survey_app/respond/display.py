"""What the respondent's pages show: GOV.UK macro parameters for each question, and the
rows of the check-answers page, in the page's language."""
from __future__ import annotations

import json

from flask_babel import format_number, get_locale, gettext
from markupsafe import Markup, escape

from questionnaires.characters import mark_unstorable
from questionnaires.model import Item, Question

from .forms import field_name

MULTIPLE_CHOICE_SEPARATOR = Markup("<br>")


def _optional(text: str, required: bool) -> str:
    return text if required else gettext("%(question)s (optional)", question=text)


def _point_label(item: Item, point: int, language: str) -> str:
    label = item.scale.labels.get(point)
    if label is None:
        return format_number(point)
    if len(item.scale.labels) == len(item.scale.points):
        return label.get(language)
    return f"{format_number(point)} – {label.get(language)}"


#: (item object id, language, locale) -> (the item, its choices): a questionnaire's items live as long
#: as the process (models.questionnaire caches them), and a grid page asks for 20 items'
#: choices, each scale point formatted by Babel
_choices: dict[tuple[int, str, str], tuple[Item, list[tuple[str, str]]]] = {}


def choices(item: Item, language: str) -> list[tuple[str, str]]:
    """(value, label) of each possible answer, "Don't know" and the like last."""
    key = (id(item), language, str(get_locale()))
    found = _choices.get(key)
    if found is None or found[0] is not item:
        found = _choices[key] = (item, _choices_of(item, language))
    return found[1]


def _choices_of(item: Item, language: str) -> list[tuple[str, str]]:
    if item.type == "scale":
        out = [(str(p), _point_label(item, p, language)) for p in item.scale.points]
        return out + [(v, item.scale.missing_label(v).get(language)) for v in item.scale.missing_values]
    if item.type == "yes_no":
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    return [(o.value, o.label.get(language)) for o in item.options]


def _error(errors: dict[str, str], item: Item) -> dict | None:
    message = errors.get(item.id)
    return {"text": message, "visuallyHiddenText": gettext("Error")} if message else None


def _radio_items(item: Item, language: str, value) -> list[dict]:
    out = []
    missing = set(item.scale.missing_values) if item.type == "scale" else set()
    for code, label in choices(item, language):
        if code in missing and not any("divider" in i for i in out):
            out.append({"divider": gettext("or")})
        out.append({"value": code, "text": label, "checked": value == code})
    return out


def question_params(question: Question, items: list[Item], values: dict, errors: dict[str, str],
                    language: str) -> dict:
    """{"kind": radios|checkboxes|textarea|grid, ...} for the page template."""
    text = question.text.get(language)
    hint = question.hint.get(language) if question.hint else None
    if question.type == "grid":
        rows = []
        for item in items:
            rows.append({
                "name": field_name(item), "classes": "govuk-radios--small",
                "formGroup": {"classes": "app-grid-row"},
                "fieldset": {"legend": {"text": _optional(item.text.get(language), item.required),
                                        "classes": "govuk-fieldset__legend--s"}},
                "items": _radio_items(item, language, values.get(item.id)),
                "errorMessage": _error(errors, item),
            })
        return {"kind": "grid", "id": "grid-" + question.id, "text": text, "hint": hint, "rows": rows}
    item = items[0]
    legend = {"text": _optional(text, item.required), "classes": "govuk-fieldset__legend--m"}
    hint_param = {"text": hint} if hint else None
    if item.type == "text":
        limit = gettext("You can enter up to %(max)s characters.", max=format_number(item.max_length))
        return {"kind": "textarea", "params": {
            "name": field_name(item), "id": field_name(item), "rows": 8, "spellcheck": True,
            "label": {"text": _optional(text, item.required), "classes": "govuk-label--m"},
            "hint": {"text": f"{hint} {limit}" if hint else limit},
            # typed text sent back with an error: control characters, which a textarea
            # would hide, shown as � so that the message about them can be acted on
            "value": mark_unstorable(values.get(item.id) or ""), "errorMessage": _error(errors, item)}}
    if item.type == "multiple_choice":
        chosen = values.get(item.id) or []
        return {"kind": "checkboxes", "params": {
            "name": field_name(item), "idPrefix": field_name(item), "fieldset": {"legend": legend},
            "hint": hint_param, "errorMessage": _error(errors, item),
            "items": [{"value": v, "text": label, "checked": v in chosen} for v, label in choices(item, language)]}}
    return {"kind": "radios", "params": {
        "name": field_name(item), "idPrefix": field_name(item), "fieldset": {"legend": legend},
        "hint": hint_param, "errorMessage": _error(errors, item),
        "classes": "govuk-radios--inline" if item.type == "yes_no" else None,
        "items": _radio_items(item, language, values.get(item.id))}}


def answer_text(item: Item, stored: str | None, language: str):
    """An answer as the check-answers page shows it (text or safe HTML)."""
    if stored is None:
        return gettext("Not answered")
    labels = dict(choices(item, language)) if item.type != "text" else {}
    if item.type == "multiple_choice":
        return MULTIPLE_CHOICE_SEPARATOR.join(escape(labels.get(v, v)) for v in json.loads(stored))
    if item.type == "text":
        return Markup("<br>").join(escape(line) for line in stored.split("\n"))
    return labels.get(stored, stored)


def summary_rows(items: list[Item], stored: dict[str, str], language: str, change_url) -> list[dict]:
    """Rows of a summary card: each item's answer with a Change link to its page."""
    rows = []
    for item in items:
        value = answer_text(item, stored.get(item.id), language)
        change = Markup(gettext('Change<span class="govuk-visually-hidden"> your answer to ‘%(question)s’</span>',
                               question=escape(item.text.get(language))))
        rows.append({"key": {"text": item.text.get(language)},
                     "value": {"html": value} if isinstance(value, Markup) else {"text": value},
                     "actions": {"items": [{"href": change_url(item), "html": change}]}})
    return rows
