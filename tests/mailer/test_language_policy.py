"""Which languages a message is written in, and in what order, under each policy."""
from __future__ import annotations

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
