"""What a return's pages show: GOV.UK macro parameters for a function's statements and the
check-answers cards, in the page's language."""
from __future__ import annotations

from flask import url_for
from flask_babel import format_date, gettext
from markupsafe import Markup, escape

from questionnaires.characters import mark_unstorable
from questionnaires.model import Item, Questionnaire

from ..respond.display import answer_text, choices
from .forms import Posted, field_id, fingerprint
from .reading import StoredAnswer


def last_changed(answer: StoredAnswer | None) -> str | None:
    """"Last changed by Sam, 3 December 2026", or None for a statement nobody has answered."""
    if answer is None:
        return None
    date = format_date(answer.changed_at, "long")
    if answer.changed_by is None:
        return gettext("Last changed on %(date)s", date=date)
    return gettext("Last changed by %(name)s, %(date)s", name=answer.changed_by, date=date)


def _conflict_message(answer: StoredAnswer, own_id: int) -> str:
    if answer.changed_by_id == own_id:
        return gettext("You changed this answer in another window or on another device while this page was open. "
                       "What you chose here has not been saved: it is shown below.")
    return gettext("%(name)s changed this answer while you were working on it. What you chose here has not been "
                   "saved: it is shown below.", name=answer.changed_by or gettext("Someone else"))


def _conflict_summary(item: Item, answer: StoredAnswer, own_id: int, language: str) -> str:
    statement = item.text.get(language)
    if answer.changed_by_id == own_id:
        return gettext("‘%(statement)s’ was changed in another window or on another device while this page was open",
                       statement=statement)
    return gettext("‘%(statement)s’ was changed by %(name)s while you were working on it", statement=statement,
                   name=answer.changed_by or gettext("someone else"))


def _now_saved(item: Item, answer: StoredAnswer, language: str) -> Markup:
    """What is stored now, for a contributor whose change clashed with it."""
    parts = [escape(gettext("The saved answer is now ‘%(answer)s’.",
                           answer=answer_text(item, answer.value, language)))]
    if answer.note:
        parts.append(escape(gettext("The saved note is now: ‘%(note)s’", note=answer.note)))
    else:
        parts.append(escape(gettext("There is no saved note.")))
    return Markup("<br>").join(parts)


def _error(message: str | None) -> dict | None:
    return {"text": message, "visuallyHiddenText": gettext("Error")} if message else None


def _statement(item: Item, answer: StoredAnswer | None, posted: Posted | None, conflict: bool, own_id: int,
               language: str) -> dict:
    errors = posted.errors if posted is not None else {}
    revision = str(answer.revision) if answer else ""
    rendered = fingerprint(answer.value, answer.note) if answer else fingerprint(None, None)
    value, note = (answer.value, answer.note) if answer else (None, None)
    if posted is not None and item.id in posted.typed and (conflict or errors):
        value, note = posted.typed[item.id]
        if not conflict and item.id in posted.bases:  # the page as it was made: its changes still to check
            revision, rendered = posted.bases[item.id]
    answer_id, note_id = field_id("answer", item.id), field_id("note", item.id)
    message = _conflict_message(answer, own_id) if conflict else errors.get(answer_id)
    changed = last_changed(answer)
    hint = (Markup("{}<br>{}").format(_now_saved(item, answer, language), changed) if conflict
            else escape(changed) if changed else None)
    text = item.text.get(language)
    return {
        "id": item.id,
        "revision": {"name": field_id("revision", item.id), "value": revision},
        "rendered": {"name": field_id("rendered", item.id), "value": rendered},
        "radios": {
            "name": answer_id, "idPrefix": answer_id, "classes": "govuk-radios--inline",
            "fieldset": {"legend": {"text": text, "classes": "govuk-fieldset__legend--s"}},
            "hint": {"html": hint} if hint else None,
            "errorMessage": _error(message),
            "items": [{"value": code, "text": label, "checked": value == code}
                      for code, label in choices(item, language)],
        },
        "textarea": {
            "name": note_id, "id": note_id, "rows": 3, "spellcheck": True,
            "label": {"html": Markup(gettext(
                'Note or evidence<span class="govuk-visually-hidden"> for ‘%(statement)s’</span> (optional)',
                statement=escape(text))), "classes": "govuk-label--s"},
            "value": mark_unstorable(note or ""),
            "errorMessage": _error(errors.get(note_id)),
        },
        "answer": answer_text(item, answer.value if answer else None, language),
        "note": answer.note if answer else None,
        "changed": changed,
    }


def function_page(q: Questionnaire, statements: list[Item], answers: dict[str, StoredAnswer], *,
                  posted: Posted | None, conflicts, own_id: int, language: str) -> dict:
    """The statements of one function grouped by layer, each with its answer, note and who
    last changed it; the error summary's items; what was sent but not saved."""
    conflicts = set(conflicts)
    groups = []
    for layer in q.layers:
        items = [i for i in statements if i.layer == layer.level]
        if items:
            groups.append({"level": layer.level, "label": layer.label.get(language),
                           "description": layer.description.get(language) if layer.description else None,
                           "statements": [_statement(i, answers.get(i.id), posted, i.id in conflicts, own_id, language)
                                          for i in items]})
    error_list = []
    errors = posted.errors if posted is not None else {}
    if "answers" in errors:
        error_list.append({"text": errors["answers"], "href": "#answers"})
    for item in statements:
        if item.id in conflicts:
            error_list.append({"text": _conflict_summary(item, answers[item.id], own_id, language),
                               "href": "#" + field_id("answer", item.id)})
        for kind in ("answer", "note"):
            if field_id(kind, item.id) in errors:
                error_list.append({"text": errors[field_id(kind, item.id)], "href": "#" + field_id(kind, item.id)})
    unsaved = []
    if posted is not None:
        by_id = {i.id: i for i in statements}
        unsaved = [{"statement": by_id[sid].text.get(language), "answer": answer_text(by_id[sid], value, language),
                    "note": note} for sid, (value, note, _base) in posted.changes.items()]
    return {"groups": groups, "error_list": error_list, "conflicts": len(conflicts), "unsaved": unsaved}


def check_cards(q: Questionnaire, answers: dict[str, StoredAnswer], *, token: str, editable: bool,
                language: str) -> list[dict]:
    """A summary card per function: each statement's answer and note, with a link to
    change it (or answer it) while the return is a draft."""
    cards = []
    for function in q.functions:
        page = url_for(".function", token=token, function_id=function.id)
        rows, unanswered = [], 0
        for item in q.statements_of(function.id):
            answer = answers.get(item.id)
            value = answer.value if answer else None
            unanswered += value is None
            text = item.text.get(language)
            shown = escape(answer_text(item, value, language))
            if value is None:
                shown = Markup('<strong class="govuk-tag govuk-tag--grey">{}</strong>').format(shown)
            if answer is not None and answer.note:
                shown = Markup('{}<br><span class="govuk-body-s">{}</span>').format(
                    shown, gettext("Note: %(note)s", note=answer.note))
            row = {"key": {"text": text}, "value": {"html": shown}}
            if editable:
                if value is None:
                    link = gettext('Answer<span class="govuk-visually-hidden"> ‘%(statement)s’</span>',
                                   statement=escape(text))
                else:
                    link = gettext('Change<span class="govuk-visually-hidden"> your answer to ‘%(question)s’</span>',
                                   question=escape(text))
                row["actions"] = {"items": [{"href": f"{page}#{field_id('answer', item.id)}", "html": Markup(link)}]}
            rows.append(row)
        cards.append({"id": function.id, "title": function.label.get(language), "rows": rows,
                      "unanswered": unanswered, "href": page})
    return cards
