"""The forms of a return's pages: a function's statements (read from the POSTed fields by
hand, as its statements come from the frozen questionnaire) and adding a contributor.

Each statement on a function page sends four fields: its answer (`answer-VL1-1`: yes or
no), its note (`note-VL1-1`), the revision of the stored answer the page was made from
(`revision-VL1-1`, empty when there was none) and a fingerprint of the answer and note the
page showed (`rendered-VL1-1`). A statement whose answer and note still match their
fingerprint was not changed by this contributor and is left alone, whoever changed it
meanwhile; a changed one is saved only if its stored revision is still the one sent.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from flask_babel import format_number, gettext, lazy_gettext as _l, ngettext
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from questionnaires.answers import AnswerError, clean
from questionnaires.model import Item

from ..forms import StaffForm, whole_number
from ..respond.limits import BYTES_PER_CHARACTER, FIELD_ALLOWANCE, FORM_ALLOWANCE, TEXT_HEADROOM
from .operations import Changes
from .reading import StoredAnswer

#: the longest note or evidence a statement takes, in characters
NOTE_MAX_LENGTH = 1000
FIELDS = ("answer", "note", "revision", "rendered")


def slug(statement_id: str) -> str:
    """A statement id as element ids carry it: VL1.1 -> VL1-1 (a '.' would read as a
    class in a CSS selector)."""
    return statement_id.replace(".", "-")


def field_id(kind: str, statement_id: str) -> str:
    return f"{kind}-{slug(statement_id)}"


def fingerprint(value: str | None, note: str | None) -> str:
    """A short digest of an answer and its note as a page shows them."""
    return hashlib.sha256(f"{value or ''}\x1f{note or ''}".encode()).hexdigest()[:16]


def body_limit(statements: list[Item]) -> int:
    """The most bytes a POST of a function page may carry (see respond/limits.py): each
    note at twice its longest, encoded at its largest."""
    per_statement = len(FIELDS) * FIELD_ALLOWANCE + TEXT_HEADROOM * BYTES_PER_CHARACTER * NOTE_MAX_LENGTH
    return FORM_ALLOWANCE + per_statement * len(statements)


@dataclass
class Posted:
    """What a function page sent: the changes to save, or the messages that stop it."""

    #: statement id -> (answer, note) exactly as sent, to show again
    typed: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    changes: Changes = field(default_factory=dict)
    #: field id -> message (nothing is saved while there is any)
    errors: dict[str, str] = field(default_factory=dict)
    #: statement id -> (revision, fingerprint) as sent, for the page shown again with its
    #: messages (a statement whose revision the page could not have sent has none)
    bases: dict[str, tuple[str, str]] = field(default_factory=dict)


def _one(form: MultiDict, name: str) -> str | None:
    """The one value of a field, None when it was not sent, and "\x00" (which no check
    lets through) when it was sent more than once: no page sends two."""
    values = form.getlist(name)
    return values[0] if len(values) == 1 else (None if not values else "\x00")


def _note_item(item: Item) -> Item:
    return replace(item, type="text", max_length=NOTE_MAX_LENGTH, required=False)


def note_message(item: Item, error: AnswerError, language: str) -> str:
    statement = item.text.get(language)
    if error.code == "too_long":
        over = error.params["length"] - error.params["max_length"]
        return ngettext(
            "Your note on ‘%(statement)s’ must be %(max)s characters or fewer: you have %(count)s character too many",
            "Your note on ‘%(statement)s’ must be %(max)s characters or fewer: you have %(count)s characters too many",
            over, statement=statement, max=format_number(error.params["max_length"]), count=format_number(over))
    return gettext("Remove the hidden characters shown as � from your note on ‘%(statement)s’: they are control "
                   "characters, which cannot be saved", statement=statement)


def _not_from_this_page(statement: str) -> str:
    return gettext("‘%(statement)s’ was sent with details this page did not give it, so nothing was saved. Open the "
                   "page again and make your changes again.", statement=statement)


def read_statements(form: MultiDict, statements: list[Item], stored: dict[str, StoredAnswer],
                    language: str) -> Posted:
    """The changes a function page sent, checked: answers other than Yes or No, notes too
    long or with control characters, and revisions or statements the page could not have
    sent each get a message (then nothing is to be saved)."""
    posted = Posted()
    on_page = {slug(s.id): s for s in statements}
    for name in form:
        kind, _, key = name.partition("-")
        if kind in FIELDS and key not in on_page:
            posted.errors["answers"] = gettext("This page sent answers to statements that are not on it, so nothing "
                                               "was saved. Open the page again and make your changes again.")
    for item in statements:
        revision_raw = _one(form, field_id("revision", item.id))
        raw_value, raw_note = _one(form, field_id("answer", item.id)), _one(form, field_id("note", item.id))
        statement = item.text.get(language)
        if revision_raw is None:  # not on the form that was sent: left as it is, unless answered all the same
            if raw_value is not None or raw_note is not None:
                posted.errors[field_id("answer", item.id)] = _not_from_this_page(statement)
            continue
        posted.typed[item.id] = (raw_value, raw_note)
        try:
            value = clean(item, raw_value)
        except AnswerError:
            posted.errors[field_id("answer", item.id)] = gettext("Select Yes or No for ‘%(statement)s’",
                                                                 statement=statement)
            value = None
        try:
            note = clean(_note_item(item), raw_note)
        except AnswerError as error:
            posted.errors[field_id("note", item.id)] = note_message(item, error, language)
            note = None
        base = whole_number(revision_raw) if revision_raw else None
        current = stored.get(item.id)
        if revision_raw and (base is None or base < 1 or current is None or base > current.revision):
            # no page shows a revision that was never stored
            posted.errors.setdefault(field_id("answer", item.id), _not_from_this_page(statement))
            continue
        rendered = _one(form, field_id("rendered", item.id)) or ""
        posted.bases[item.id] = (revision_raw, rendered)
        if fingerprint(value, note) != rendered:
            posted.changes[item.id] = (value, note, base)
    return posted


class ContributorForm(StaffForm):
    """Adding a contributor: their address, the name the others see, their language."""

    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter their email address")),
        Length(max=320, message=_l("Enter an email address of up to 320 characters"))])
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter their name")), Length(max=100, message=_l("Enter a name of up to 100 characters"))])
    # each language named in itself, as the language switch names them
    language = RadioField(_l("Language of their emails"),
                          choices=[SelectChoice("en", "English"), SelectChoice("cy", "Cymraeg")],
                          validators=[InputRequired(_l("Select the language of their emails"))],
                          invalid_choice_message=_l("Select the language of their emails"))
