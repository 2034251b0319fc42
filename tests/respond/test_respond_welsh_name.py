"""Issue 15 part 7: the respondent's pages in Welsh name the organisation by its Welsh
name, read in the page's one statement; in English, or without a Welsh name, by its
English name as before."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from survey_app.extensions import db
from tests.factories import make_campaign, make_org
from tests.respond.helpers import answer_all, submit

ENGLISH, WELSH = "Example County Council", "Cyngor Sir Enghreifftiol"


def header(text: str) -> str:
    """The name in the page's header."""
    found = re.search(r'class="govuk-generic-header__homepage-link">\s*(.*?)\s*</a>', text, re.S)
    assert found, text[:3000]
    return html.unescape(found.group(1))


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def respondent_of(make_respondent, name_cy: str | None, language: str | None):
    return make_respondent(make_campaign(make_org(name=ENGLISH, name_cy=name_cy)), language=language)


def test_the_welsh_pages_name_the_organisation_in_welsh(client, make_respondent):
    respondent = respondent_of(make_respondent, WELSH, "cy")
    start = page(client, respondent.url)
    assert '<html lang="cy"' in start and "Dechrau nawr" in start
    assert header(start) == WELSH and ENGLISH not in start
    question = page(client, respondent.page_url("about-you"))
    assert header(question) == WELSH and ENGLISH not in question
    answer_all(client, respondent)
    check = page(client, respondent.url + "/check")
    assert header(check) == WELSH
    done = client.get(submit(client, respondent).headers["Location"]).get_data(as_text=True)
    assert "Diolch" in done and header(done) == WELSH and ENGLISH not in done
    # the switch to English names it in English, and back
    english = page(client, respondent.url + "?lang=en")
    assert '<html lang="en"' in english and header(english) == ENGLISH and WELSH not in english
    assert header(page(client, respondent.url + "?lang=cy")) == WELSH


@pytest.mark.parametrize("preference, accept", [("en", None), (None, "en-GB"), (None, None)])
def test_the_english_pages_are_unchanged(client, make_respondent, preference, accept):
    respondent = respondent_of(make_respondent, WELSH, preference)
    headers = {"Accept-Language": accept} if accept else {}
    for url in (respondent.url, respondent.page_url("about-you")):
        text = page(client, url, **headers)
        assert '<html lang="en"' in text and header(text) == ENGLISH and WELSH not in text, url


@pytest.mark.parametrize("preference, accept", [("cy", None), (None, "cy-GB,cy;q=0.9")])
def test_without_a_welsh_name_the_welsh_pages_show_the_english_one(client, make_respondent, preference, accept):
    respondent = respondent_of(make_respondent, None, preference)
    headers = {"Accept-Language": accept} if accept else {}
    for url in (respondent.url, respondent.page_url("about-you")):
        text = page(client, url, **headers)
        assert '<html lang="cy"' in text and header(text) == ENGLISH, url


def test_the_welsh_name_is_read_in_the_pages_one_statement(client, make_respondent):
    respondent = respondent_of(make_respondent, WELSH, "cy")
    page(client, respondent.url)  # the questionnaire's parsed content is cached after the first
    statements: list[str] = []

    def note(_conn, _cursor, sql, *_args):
        statements.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        start = page(client, respondent.url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert header(start) == WELSH
    assert len(statements) == 1, statements
    assert "organisation.name_cy" in statements[0] and "FROM participant" in statements[0]
