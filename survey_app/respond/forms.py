"""Forms built at run time from a campaign's frozen questionnaire: one field per item.

Fields do no checking of their own: every answer is checked by
`questionnaires.answers.clean` (the same rules as imports), and its AnswerError codes
become messages in the respondent's language here.
"""
from __future__ import annotations

import json
from functools import lru_cache

from babel import support
from flask_babel import format_number, get_locale, gettext, ngettext
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField

from questionnaires.answers import AnswerError, clean
from questionnaires.model import Item, Page

FIELD_PREFIX = "q-"


def field_name(item: Item) -> str:
    """The form field (and element id) of an item: prefixed so that no item id can
    clash with the page's own names (csrf_token, action, main-content...)."""
    return FIELD_PREFIX + item.id


def _field(item: Item):
    if item.type == "multiple_choice":
        return SelectMultipleField(choices=[o.value for o in item.options], validate_choice=False)
    if item.type == "text":
        return TextAreaField()
    if item.type == "scale":
        choices = [str(p) for p in item.scale.points] + list(item.scale.missing_values)
        return RadioField(choices=choices, validate_choice=False)
    if item.type == "yes_no":
        return RadioField(choices=["yes", "no"], validate_choice=False)
    return RadioField(choices=[o.value for o in item.options], validate_choice=False)


@lru_cache(maxsize=8)
def _wtforms_translations(locale: str):
    """WTForms' own messages in a language, read from disk once per process (Flask-WTF
    reads them again for every request)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _PageForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale() or "en"))


#: page object id -> (the page, its form class): a questionnaire's pages live as long as
#: the process (models.questionnaire caches them), and so do their form classes
_form_classes: dict[int, tuple[Page, type[FlaskForm]]] = {}


def page_form_class(page: Page) -> type[FlaskForm]:
    """A form class for one page of a questionnaire (built once per page)."""
    found = _form_classes.get(id(page))
    if found is None or found[0] is not page:
        attrs = {field_name(item): _field(item) for question in page.questions for item in question.items}
        attrs["shown"] = StringField()  # the items the page showed, to notice questions that appear
        found = _form_classes[id(page)] = (page, type(f"PageForm_{page.id}", (_PageForm,), attrs))
    return found[1]


def raw_value(form: FlaskForm, item: Item):
    field = form[field_name(item)]
    return field.data if field.data not in ("", []) else None


def stored_to_form(item: Item, stored: str | None):
    """A stored answer as the form shows it."""
    if stored is None:
        return None
    if item.type == "multiple_choice":
        return json.loads(stored)
    return stored


def error_message(item: Item, error: AnswerError | None, language: str) -> str:
    """The message for an answer that is missing (`error` None) or does not fit."""
    question = item.text.get(language)
    if error is None:
        if item.type == "multiple_choice":
            return gettext("Select at least one option for ‘%(question)s’", question=question)
        if item.type == "text":
            return gettext("Enter an answer for ‘%(question)s’", question=question)
        return gettext("Select an answer for ‘%(question)s’", question=question)
    if error.code == "too_long":
        over = error.params["length"] - error.params["max_length"]
        return ngettext(
            "Your answer to ‘%(question)s’ must be %(max)s characters or fewer: you have %(count)s character too many",
            "Your answer to ‘%(question)s’ must be %(max)s characters or fewer: you have %(count)s characters too many",
            over, question=question, max=format_number(error.params["max_length"]), count=format_number(over))
    if error.code == "unstorable" and item.type == "text":
        # the box shows the text again with each such character as � (display.py)
        return gettext("Remove the hidden characters shown as � from your answer to ‘%(question)s’: they are "
                       "control characters, which cannot be saved", question=question)
    if error.code == "too_many_choices":
        most = error.params["max_choices"]
        return ngettext("Select no more than %(count)s option for ‘%(question)s’",
                        "Select no more than %(count)s options for ‘%(question)s’",
                        most, question=question, count=format_number(most))
    # unknown_option, out_of_range, not_a_number, not_yes_no, not_allowed, or a control
    # character in a choice: only a forged or stale form sends these
    return gettext("Select one of the answers given for ‘%(question)s’", question=question)


def check_answers(form: FlaskForm, items: list[Item], language: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """(stored values for the items that passed, messages by item id for those that did not)."""
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for item in items:
        try:
            value = clean(item, raw_value(form, item))
        except AnswerError as exc:
            errors[item.id] = error_message(item, exc, language)
            continue
        if value is None and item.required:
            errors[item.id] = error_message(item, None, language)
        values[item.id] = value
    return values, errors
