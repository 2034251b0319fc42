"""Welsh and English: the participant's preference, else Accept-Language, else English;
a switch on every page that keeps answers; Welsh dates, numbers and plural forms."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.respond.helpers import ABOUT_YOU, ALL_ANSWERS, answer_all, answer_page, form_fields, submit
from survey_app.extensions import db
from survey_app.models import Answer
from tests.respond.helpers import submitted_once
from tests.stored import partial_of

WELSH_MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
                "Tachwedd", "Rhagfyr"]  # locales/GLOSSARY.md


def welsh_date(day: date) -> str:
    return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"


def lang_of(html: str) -> str:
    return re.search(r'<html lang="(\w+)"', html).group(1)


@pytest.mark.parametrize("preference, accept, expected", [
    ("cy", None, "cy"),
    ("cy", "en-GB,en;q=0.9", "cy"),    # the recorded preference wins over the browser
    ("en", "cy-GB,cy;q=0.9", "en"),
    (None, "cy-GB,cy;q=0.9,en;q=0.5", "cy"),
    (None, "en-GB", "en"),
    (None, "fr-FR,de;q=0.5", "en"),    # neither language: English
    (None, None, "en"),
])
def test_the_page_language(client, make_respondent, preference, accept, expected):
    respondent = make_respondent(language=preference)
    headers = {"Accept-Language": accept} if accept else {}
    html = client.get(respondent.url, headers=headers).get_data(as_text=True)
    assert lang_of(html) == expected
    assert ("Dechrau nawr" in html) == (expected == "cy")


def test_the_welsh_start_page(client, make_respondent):
    respondent = make_respondent(language="cy")
    html = client.get(respondent.url).get_data(as_text=True)
    assert "Arolwg Boddhad Defnyddwyr TGCh" in html  # from the questionnaire's YAML
    assert "Mae'n cymryd tua 10 munud." in html
    assert "grwpiau o 5 o ymatebion o leiaf" in html
    last = date.today() + timedelta(days=26)
    assert f"Gallwch ateb tan ddiwedd {welsh_date(last)}." in html
    assert "Neidio i'r prif gynnwys" in html
    # the switch names English in English, and marks its language
    assert re.search(r'<a class="govuk-link" href="[^"]*\?lang=en" hreflang="en" lang="en">English</a>', html)
    assert '<span class="app-language-switch__current" lang="cy" aria-current="true">Cymraeg</span>' in html


def test_the_switch_link_changes_language_for_the_rest_of_the_visit(client, respondent):
    english = client.get(respondent.url).get_data(as_text=True)
    switch = re.search(r'href="([^"]*\?lang=cy)"', english).group(1).replace("&amp;", "&")
    assert lang_of(client.get(switch).get_data(as_text=True)) == "cy"
    assert lang_of(client.get(respondent.page_url("about-you")).get_data(as_text=True)) == "cy"


def test_switching_on_a_question_page_keeps_what_was_answered_there(client, respondent):
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    page = client.get(respondent.page_url("overall")).get_data(as_text=True)
    assert '<button type="submit" form="answers" name="action" value="language-cy"' in page
    # Enter in the form presses the first button of the form: "continue", not the switch
    assert page.index('value="continue" hidden') < page.index('value="language-cy"')
    result = client.post(respondent.page_url("overall"),
                         data={**form_fields(page), "action": "language-cy", "q-overall": "2"})
    assert result.status_code == 302 and result.headers["Location"] == respondent.page_url("overall")
    welsh = client.get(result.headers["Location"]).get_data(as_text=True)
    assert lang_of(welsh) == "cy" and "Y gwasanaeth TGCh yn gyffredinol" in welsh
    assert 'name="q-overall" type="radio" value="2" checked' in welsh
    assert "Tudalen 2 o 5" in welsh
    response = partial_of(respondent.participant)
    assert response.language == "cy" and response.last_page == "about-you"  # this page is not done yet


def test_a_switch_lasts_for_the_visit_and_another_device_starts_from_the_preference(new_client, make_respondent):
    respondent = make_respondent(language=None)
    first = new_client()
    page = first.get(respondent.page_url("about-you") + "?lang=cy").get_data(as_text=True)
    first.post(respondent.page_url("about-you"), data={
        **form_fields(page), "action": "continue", **{f"q-{k}": v for k, v in ABOUT_YOU.items()}})
    assert lang_of(first.get(respondent.url).get_data(as_text=True)) == "cy"
    assert partial_of(respondent.participant).language == "cy"  # recorded with the response
    other_device = new_client()
    assert lang_of(other_device.get(respondent.url, headers={"Accept-Language": "en-GB"}).get_data(as_text=True)) == "en"
    assert lang_of(other_device.get(respondent.url + "?lang=cy").get_data(as_text=True)) == "cy"


def test_welsh_errors_numbers_and_titles(client, make_respondent):
    respondent = make_respondent(language="cy")
    answer_all(client, respondent)
    result = answer_page(client, respondent.page_url("comments"), {"comments": "x" * 2002})
    html = result.get_data(as_text=True)
    assert "<title>Gwall: Eich sylwadau" in html and "Mae problem wedi codi" in html
    assert "fod yn 2,000 o nodau neu lai: mae gennych 2 nod yn ormod" in html
    assert "Gallwch roi hyd at 2,000 o nodau." in html
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html
    missing = answer_page(client, respondent.page_url("about-you"), {"device": "laptop"}).get_data(as_text=True)
    assert "Dewiswch ateb ar gyfer ‘Ble rydych chi'n gweithio gan amlaf?’" in missing.replace("&#39;", "'")


@pytest.mark.parametrize("missing, words", [
    (1, "Mae angen ateb 1 cwestiwn o hyd."),
    (2, "Mae angen ateb 2 gwestiwn o hyd."),     # soft mutation after "dau"
    (3, "Mae angen ateb 3 chwestiwn o hyd."),    # aspirate mutation after "tri"
    (4, "Mae angen ateb 4 cwestiwn o hyd."),
    (6, "Mae angen ateb 6 chwestiwn o hyd."),    # aspirate mutation after "chwe"
])
def test_welsh_plural_forms_on_the_check_page(client, make_respondent, missing, words):
    respondent = make_respondent(language="cy")
    satisfaction = dict(ALL_ANSWERS["satisfaction"])
    for n in range(1, missing + 1):
        del satisfaction[f"sat_S{n}"]
    answer_all(client, respondent, {k: v for k, v in ALL_ANSWERS.items() if k != "satisfaction"})
    answer_page(client, respondent.page_url("satisfaction"), satisfaction, action="save-later")
    result = submit(client, respondent)
    assert result.status_code == 400
    html = result.get_data(as_text=True).replace("&#39;", "'")
    assert words in html
    assert html.count('<a href="/s/') >= missing


@pytest.mark.parametrize("count, words", [
    (0, "Mae'n cymryd tua 0 munud."), (1, "Mae'n cymryd tua 1 munud."), (2, "Mae'n cymryd tua 2 funud."),
    (3, "Mae'n cymryd tua 3 munud."), (4, "Mae'n cymryd tua 4 munud."), (6, "Mae'n cymryd tua 6 munud."),
    (10, "Mae'n cymryd tua 10 munud."), (1000, "Mae'n cymryd tua 1,000 munud."),
])
def test_welsh_minutes(app, count, words):
    from flask_babel import force_locale, format_number, ngettext

    with app.test_request_context("/"), force_locale("cy"):
        assert ngettext("It takes about %(count)s minute.", "It takes about %(count)s minutes.", count,
                        count=format_number(count)) == words
    with app.test_request_context("/"), force_locale("en_GB"):
        english = ngettext("It takes about %(count)s minute.", "It takes about %(count)s minutes.", count,
                           count=format_number(count))
        assert english == ("It takes about 1 minute." if count == 1 else f"It takes about {count:,} minutes.")


def test_welsh_confirmation_and_already_taken_part(client, make_respondent):
    respondent = make_respondent(language="cy")
    answer_all(client, respondent)
    submit(client, respondent)
    done = client.get(respondent.url + "/done").get_data(as_text=True)
    assert "Mae eich ymateb wedi'i gyflwyno" in done.replace("&#39;", "'")
    assert "Rydym wedi cael eich atebion." in done
    submission = submitted_once(respondent.participant)
    assert submission.language == "cy" and len(submission.answers) == 47
    again = client.get(respondent.url).get_data(as_text=True).replace("&#39;", "'")
    assert "Rydych chi eisoes wedi cymryd rhan" in again
    assert "Rydych chi wedi cyflwyno eich atebion." in again
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0  # the partial is gone
