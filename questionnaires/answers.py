"""Checking and storing answers, the same way for the web form and for imports.

Answers are stored as text (see `survey_app.models.response.Answer`):
a scale point "5" or "dont_know"/"not_applicable", "yes"/"no", an option value,
a JSON list of option values for multiple choice (in the questionnaire's order),
or the free text itself.
"""
from __future__ import annotations

import json
from typing import Any

from .characters import describe, unstorable_character
from .model import Item

MESSAGES = {
    "required": "an answer is required",
    "not_a_number": "'{value}' is not a whole number: use {accepted}",
    "missing_label": "'{value}' is written {accepted} in an import file",
    "out_of_range": "{value} is not on the scale {min} to {max}",
    "unknown_option": "'{value}' is not one of the options ({options})",
    "not_yes_no": "'{value}' is not yes or no",
    "too_long": "the answer is {length} characters long; the most allowed is {max_length}",
    "too_many_choices": "{count} options chosen; the most allowed is {max_choices}",
    "not_allowed": "'{value}' is not allowed here",
    "unstorable": "the answer contains the {character}, which cannot be stored: remove it",
}


class AnswerError(ValueError):
    """An answer that does not fit its item. `code` and `params` let each interface
    word the message in its own language; `message` is plain English."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)


def clean(item: Item, raw: Any) -> str | None:
    """The stored form of an answer, or None for no answer. Raises AnswerError.

    `raw` is what a form or a CSV cell gives: a string, or for multiple choice a list
    of strings (or one string with values separated by ';').
    """
    for value in raw if isinstance(raw, (list, tuple)) else [raw]:
        # first, so that no other message repeats the character back
        if isinstance(value, str) and (char := unstorable_character(value)):
            raise AnswerError("unstorable", character=describe(char))
    if item.type == "multiple_choice":
        values = raw if isinstance(raw, (list, tuple)) else [v for v in str(raw or "").split(";")]
        values = [str(v).strip() for v in values if str(v).strip()]
        if not values:
            return None
        options = [o.value for o in item.options]
        for v in values:
            if v not in options:
                raise AnswerError("unknown_option", value=v, options=", ".join(options))
        chosen = [o for o in options if o in set(values)]
        if item.max_choices and len(chosen) > item.max_choices:
            raise AnswerError("too_many_choices", count=len(chosen), max_choices=item.max_choices)
        return json.dumps(chosen)
    if raw is None:
        return None
    if item.type == "text":
        text = str(raw).replace("\r\n", "\n").strip()
        if not text:
            return None
        if len(text) > (item.max_length or 0):
            raise AnswerError("too_long", length=len(text), max_length=item.max_length)
        return text
    value = str(raw).strip()
    if not value:
        return None
    if item.type == "scale":
        if value in item.scale.missing_values:
            return value
        try:
            number = int(value)
        except ValueError:
            code = _missing_value_named(item, value)
            if code is not None:  # "Don't know" typed as the respondent reads it
                raise AnswerError("missing_label", value=value, accepted=code) from None
            raise AnswerError("not_a_number", value=value, accepted=_accepted(item)) from None
        if number not in item.scale.points:
            raise AnswerError("out_of_range", value=number, min=item.scale.min, max=item.scale.max)
        return str(number)
    if item.type == "yes_no":
        lowered = value.lower()
        if lowered not in ("yes", "no"):
            raise AnswerError("not_yes_no", value=value)
        return lowered
    if item.type == "single_choice":
        if item.option(value) is None:
            raise AnswerError("unknown_option", value=value, options=", ".join(o.value for o in item.options))
        return value
    raise AnswerError("not_allowed", value=value)


def _words(text: str) -> str:
    """Text compared for meaning: lower case, curly apostrophes straight, no punctuation
    or spacing ("Don’t know", "dont know" and "DON'T KNOW" are the same)."""
    return "".join(c for c in text.replace("’", "'").casefold() if c.isalnum())


def _missing_value_named(item: Item, value: str) -> str | None:
    """The stored code ("dont_know") of a scale's non-numeric answer whose label (in
    either language) or code `value` spells, in other words or case."""
    wanted = _words(value)
    for code in item.scale.missing_values:
        label = item.scale.missing_label(code)
        if wanted in {_words(code), _words(label.en), _words(label.cy)}:
            return code
    return None


def _accepted(item: Item) -> str:
    """The answers a scale item accepts, as an import file writes them."""
    numbers = f"a whole number from {item.scale.min} to {item.scale.max}"
    missing = item.scale.missing_values
    if not missing:
        return numbers
    return f"{numbers}, or {' or '.join(missing)}"


def decode(item: Item, stored: str | None) -> Any:
    """The Python value of a stored answer: int for a scale point, a list for multiple
    choice, otherwise the string."""
    if stored is None:
        return None
    if item.type == "multiple_choice":
        return json.loads(stored)
    if item.type == "scale" and stored not in item.scale.missing_values:
        return int(stored)
    return stored
