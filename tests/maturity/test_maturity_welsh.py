"""The return in Welsh: a contributor's recorded language, the switch on every page (on a
function page it saves what was typed first), Welsh plurals, dates and messages."""
from __future__ import annotations

import re
from datetime import date

from survey_app.extensions import db
from survey_app.models import Campaign
from tests.maturity.helpers import VL, edit, fill, statement_text, stored, text_of
from tests.respond.test_respond_language import lang_of, welsh_date


def questionnaire(campaign):
    return db.session.get(Campaign, campaign.id).questionnaire_version.parsed()


def test_the_overview_in_welsh(client, dma_campaign, make_person):
    lead = make_person(dma_campaign, "Sam Lead", lead=True, language="cy")
    html = client.get(lead.url).text
    words = text_of(html)
    q = questionnaire(dma_campaign)
    assert lang_of(html) == "cy"
    assert "Asesiad Aeddfedrwydd Digidol" in words and q.function(VL).label.cy in words
    assert "Chi yw Sam Lead, arweinydd ffurflen eich sefydliad." in words
    assert words.count("Atebwyd 0 allan o 10 o ddatganiadau") == 9
    assert "Cynnydd Atebwyd 0 allan o 90 o ddatganiadau" in words and "Drafft" in words
    assert words.count("Heb ddechrau") == 9
    assert re.search(r'<a class="govuk-link" href="[^"]*\?lang=en" hreflang="en" lang="en">English</a>', html)
    english = client.get(lead.url + "?lang=en").text
    assert lang_of(english) == "en" and "You are Sam Lead" in text_of(english)


def test_a_function_page_in_welsh(client, dma_campaign, make_person):
    lead = make_person(dma_campaign, "Sam Lead", lead=True, language="cy")
    q = questionnaire(dma_campaign)
    edit(client, lead, {"VL1.1": "yes"})
    html = client.get(lead.function()).text
    words = text_of(html)
    assert f"Haen 1: {q.layer(1).label.cy}" in words and f"Haen 5: {q.layer(5).label.cy}" in words
    assert statement_text(dma_campaign, "VL1.1", "cy") in words
    assert "Mae eich atebion i ‘" + q.function(VL).label.cy + "’ wedi'u cadw." in words
    assert f"Newidiwyd ddiwethaf gan Sam Lead, {welsh_date(date.today())}" in words
    assert re.search(r'for="answer-VL1-1">\s*Ie\s*</label>', html)
    assert re.search(r'for="answer-VL1-1-2">\s*Na\s*</label>', html)
    assert "Nodyn neu dystiolaeth" in words and "(dewisol)" in words
    too_long = edit(client, lead, {}, {"VL1.2": "x" * 1002})
    assert too_long.status_code == 400
    assert "mae gennych 2 nod yn ormod" in text_of(too_long.text)


def test_the_switch_on_a_function_page_saves_first(client, dma_campaign, make_person):
    lead = make_person(dma_campaign, "Sam Lead", lead=True, language="cy")
    page = client.get(lead.function()).text
    switched = client.post(lead.function(), data=fill(page, {"VL2.2": "no"}, {"VL2.2": "Dim eto"}, "language-en"))
    assert switched.status_code == 302 and switched.headers["Location"].endswith(lead.function())
    assert stored(dma_campaign)["VL2.2"][:2] == ("no", "Dim eto")
    assert lang_of(client.get(lead.function()).text) == "en"


def test_the_check_page_in_welsh(client, dma_campaign, make_person):
    lead = make_person(dma_campaign, "Sam Lead", lead=True, language="cy")
    edit(client, lead, {"VL1.1": "yes", "VL1.2": "no"})
    words = text_of(client.get(lead.page("check")).text)
    assert "Mae 88 o ddatganiadau heb eu hateb." in words
    assert ": 8 heb eu hateb" in words
    assert "Rwy'n deall y bydd 88 o ddatganiadau heb eu hateb yn cyfrif fel Na" in words
    assert "Cyflwyno'r ffurflen" in words and words.count("Heb ateb") == 88
