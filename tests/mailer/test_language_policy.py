"""Which languages a message is written in, and in what order, under each policy."""
from __future__ import annotations

import re

import pytest

from mailer.planner import message_language
from tests.mailer.mailtools import local, mail_pass, people, scheduled_campaign

WELSH_GREETING, ENGLISH_GREETING = "Annwyl gydweithiwr,", "Dear colleague,"


@pytest.mark.parametrize("policy, preference, expected", [
    ("bilingual", "en", "en+cy"), ("bilingual", "cy", "cy+en"), ("bilingual", None, "cy+en"),
    ("english", "en", "en"), ("english", "cy", "cy"), ("english", None, "en"),
])
def test_message_language(policy, preference, expected):
    assert message_language(policy, preference) == expected


def order(text: str) -> list[str]:
    """The languages of a plain-text body, in the order they appear."""
    found = [(text.find(WELSH_GREETING), "cy"), (text.find(ENGLISH_GREETING), "en")]
    return [language for position, language in sorted(found) if position >= 0]


def test_a_welsh_organisation_writes_to_everyone_in_both_languages(app, smtp):
    campaign = scheduled_campaign(type_letter="W")  # bilingual by default
    assert campaign.organisation.language_policy == "bilingual"
    english, welsh, unknown = people(campaign, "en", "cy", None)
    mail_pass(app, local(2030, 3, 4, 9))
    (to_english,), (to_welsh,), (to_unknown,) = smtp.to(english.email), smtp.to(welsh.email), smtp.to(unknown.email)
    assert order(to_english.text) == ["en", "cy"]
    assert order(to_welsh.text) == ["cy", "en"]
    assert order(to_unknown.text) == ["cy", "en"]  # Welsh first when the preference is unknown
    assert to_english.subject == ("Have your say: ICT User Satisfaction Survey / "
                                  "Dweud eich dweud: Arolwg Boddhad Defnyddwyr TGCh")
    assert to_unknown.subject == ("Dweud eich dweud: Arolwg Boddhad Defnyddwyr TGCh / "
                                  "Have your say: ICT User Satisfaction Survey")
    assert to_english.message["Content-Language"] == "en, cy"
    assert to_unknown.message["Content-Language"] == "cy, en"
    # the HTML says the same, each part marked with its language
    assert to_unknown.html.index('<div lang="cy" id="cy">') < to_unknown.html.index('<div lang="en" id="en">')
    assert '<html lang="cy">' in to_unknown.html


def test_an_english_organisation_writes_english_and_welsh_to_those_who_prefer_it(app, smtp):
    campaign = scheduled_campaign(type_letter="E")
    english, welsh, unknown = people(campaign, "en", "cy", None)
    mail_pass(app, local(2030, 3, 4, 9))
    assert order(smtp.to(english.email)[0].text) == ["en"]
    assert order(smtp.to(welsh.email)[0].text) == ["cy"]
    assert order(smtp.to(unknown.email)[0].text) == ["en"]
    assert smtp.to(welsh.email)[0].subject == "Dweud eich dweud: Arolwg Boddhad Defnyddwyr TGCh"


@pytest.mark.parametrize("type_letter, policy, expected", [("W", "english", ["en"]), ("E", "bilingual", ["cy", "en"])])
def test_either_policy_can_be_set_for_any_organisation(app, smtp, type_letter, policy, expected):
    campaign = scheduled_campaign(type_letter=type_letter, language_policy=policy)
    (person,) = people(campaign, None)
    mail_pass(app, local(2030, 3, 4, 9))
    assert order(smtp.to(person.email)[0].text) == expected


# -- issue 15 part 7: the organisation's name in each language --------------------------------

ENGLISH_NAME, WELSH_NAME = "Example County Council", "Cyngor Sir Enghreifftiol"


def parts(received) -> dict[str, tuple[str, str]]:
    """language -> (its plain-text part, its HTML part)."""
    texts = [part.strip() for part in received.text.split("-" * 60)]
    htmls = dict(re.findall(r'<div lang="(\w\w)" id="\w\w">(.*?)</div>', received.html, re.S))
    found = {}
    for text in texts:
        language = "cy" if WELSH_GREETING in text else "en"
        found[language] = (text, htmls[language])
    return found


def names_in(section: tuple[str, str]) -> set[str]:
    text, html_part = section
    return {name for name in (ENGLISH_NAME, WELSH_NAME) if name in text or name in html_part}


def test_a_bilingual_invitation_names_the_organisation_in_each_language(app, smtp):
    campaign = scheduled_campaign(type_letter="W", name=ENGLISH_NAME, name_cy=WELSH_NAME)
    unknown, english = people(campaign, None, "en")
    mail_pass(app, local(2030, 3, 4, 9))
    for person, first in ((unknown, "cy"), (english, "en")):
        (received,) = smtp.to(person.email)
        assert order(received.text) == [first, "cy" if first == "en" else "en"]
        sections = parts(received)
        assert names_in(sections["cy"]) == {WELSH_NAME}
        assert names_in(sections["en"]) == {ENGLISH_NAME}
        assert f"Mae {WELSH_NAME} yn cymryd rhan" in sections["cy"][0]
        assert f"{ENGLISH_NAME} is taking part" in sections["en"][1]


def test_a_welsh_only_invitation_names_the_organisation_in_welsh(app, smtp):
    campaign = scheduled_campaign(type_letter="E", name=ENGLISH_NAME, name_cy=WELSH_NAME)
    welsh, english = people(campaign, "cy", "en")
    mail_pass(app, local(2030, 3, 4, 9))
    (to_welsh,), (to_english,) = smtp.to(welsh.email), smtp.to(english.email)
    assert order(to_welsh.text) == ["cy"] and order(to_english.text) == ["en"]
    assert names_in(parts(to_welsh)["cy"]) == {WELSH_NAME}
    assert names_in(parts(to_english)["en"]) == {ENGLISH_NAME}  # the English email as before


def test_without_a_welsh_name_the_welsh_part_uses_the_english_one(app, smtp):
    campaign = scheduled_campaign(type_letter="W", name=ENGLISH_NAME)
    (person,) = people(campaign, None)
    mail_pass(app, local(2030, 3, 4, 9))
    sections = parts(smtp.to(person.email)[0])
    assert names_in(sections["cy"]) == {ENGLISH_NAME} and names_in(sections["en"]) == {ENGLISH_NAME}
    assert f"Mae {ENGLISH_NAME} yn cymryd rhan" in sections["cy"][0]
