"""Where a respondent is in a questionnaire: which pages, questions and answers count.

Pure functions over a `Questionnaire` and the stored answers (item id -> stored text);
nothing here touches Flask or the database.

A question (or grid row) is shown only while its `show_if` rule holds for the answers
so far; a page is shown when at least one of its items is. An answer to an item that
is not shown does not count: it is never submitted.
"""
from __future__ import annotations

from typing import Any, Mapping

from questionnaires.answers import decode
from questionnaires.model import Item, Page, Question, Questionnaire

CHECK = None  # what next_page() returns after the last page: the check-answers page


def decoded(q: Questionnaire, stored: Mapping[str, str]) -> dict[str, Any]:
    """Stored answers as the values `show_if` rules compare (ints, lists, strings)."""
    out = {}
    for item_id, value in stored.items():
        item = q.item(item_id)
        if item is not None and value is not None:
            out[item_id] = decode(item, value)
    return out


def visible_items(q: Questionnaire, page: Page, stored: Mapping[str, str]) -> list[Item]:
    answers = decoded(q, stored)
    return [i for question in page.questions for i in question.items if q.visible(i, answers)]


def visible_questions(q: Questionnaire, page: Page, stored: Mapping[str, str]) -> list[tuple[Question, list[Item]]]:
    """Each shown question of a page with its shown items (a grid may hide some rows)."""
    answers = decoded(q, stored)
    out = []
    for question in page.questions:
        items = [i for i in question.items if q.visible(i, answers)]
        if items:
            out.append((question, items))
    return out


def visible_pages(q: Questionnaire, stored: Mapping[str, str]) -> list[Page]:
    answers = decoded(q, stored)
    return [p for p in q.pages if any(q.visible(i, answers) for qn in p.questions for i in qn.items)]


def hidden_answers(q: Questionnaire, stored: Mapping[str, str]) -> list[str]:
    """Items with an answer that are no longer shown (their answers must go)."""
    answers = decoded(q, stored)
    return [item_id for item_id in stored if q.item(item_id) is None or not q.visible(q.item(item_id), answers)]


def unanswered_required(q: Questionnaire, stored: Mapping[str, str]) -> list[Item]:
    """Required items that are shown but have no answer, in questionnaire order."""
    answers = decoded(q, stored)
    return [i for i in q.items if i.required and stored.get(i.id) is None and q.visible(i, answers)]


def page_position(q: Questionnaire, stored: Mapping[str, str], page_id: str) -> tuple[int, int]:
    """(number of this page among the shown pages, how many pages are shown)."""
    pages = [p.id for p in visible_pages(q, stored)]
    return (pages.index(page_id) + 1 if page_id in pages else 0), len(pages)


def next_page(q: Questionnaire, stored: Mapping[str, str], page_id: str | None) -> Page | None:
    """The shown page after `page_id` (the first page when None); None after the last."""
    order = [p.id for p in q.pages]
    after = order.index(page_id) if page_id in order else -1
    shown = {p.id for p in visible_pages(q, stored)}
    return next((p for p in q.pages[after + 1:] if p.id in shown), CHECK)


def previous_page(q: Questionnaire, stored: Mapping[str, str], page_id: str | None) -> Page | None:
    """The shown page before `page_id` (the last page when None, i.e. from the check page)."""
    order = [p.id for p in q.pages]
    before = order.index(page_id) if page_id in order else len(order)
    shown = {p.id for p in visible_pages(q, stored)}
    return next((p for p in reversed(q.pages[:before]) if p.id in shown), None)


def first_page_needing_answers(q: Questionnaire, stored: Mapping[str, str]) -> Page | None:
    missing = unanswered_required(q, stored)
    return q.page(missing[0].page_id) if missing else None


def resume_page(q: Questionnaire, stored: Mapping[str, str], last_page: str | None) -> Page | None:
    """Where a returning respondent carries on: the page after the furthest one they
    completed, or an earlier one still missing a required answer; None means the
    check-answers page."""
    target = next_page(q, stored, last_page)
    missing = first_page_needing_answers(q, stored)
    if missing is None:
        return target
    order = [p.id for p in q.pages]
    if target is None or order.index(missing.id) < order.index(target.id):
        return missing
    return target
