"""Bad input in the staff forms and in staff URLs (issue 14, rows 1 and 15): blank,
partial, impossible, non-numeric, negative, huge and control-character values get a
clear message on the field and create nothing; junk in a URL gets a 404; never a 500.
Both databases: PostgreSQL fails on a NUL or an integer beyond its range, SQLite would
store the first and overflows in its driver on the second."""
from __future__ import annotations

import html
import re

import pytest

from tests.factories import make_campaign, make_org
from survey_app.extensions import db
from survey_app.models import Campaign, Organisation, User

HUGE = "99999999999999999999"  # beyond PostgreSQL's integer (and SQLite's)
NEW_CAMPAIGN, NEW_ORGANISATION = "/console/campaigns/new", "/console/organisations/new"


@pytest.fixture
def improve(client, make_user, signer):
    """The client, signed in as a member of the Improve team."""
    make_user("improve@example.org")
    assert signer(client, "improve@example.org").status_code == 302
    return client


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def post(client, csrf, url: str, data: dict):
    """POST the form as a browser would, with the CSRF token of the form's page (read once
    per client: the token lasts the session, and the new-campaign page is slow to build)."""
    if not hasattr(client, "csrf_token"):
        page = client.get(url)
        assert page.status_code == 200
        client.csrf_token = csrf(page.text)
    return client.post(url, data={"csrf_token": client.csrf_token, **data})


def campaign_form(org, **changes) -> dict:
    data = {"organisation_id": str(org.id), "questionnaire": "user-satisfaction", "opens_day": "2",
            "opens_month": "3", "opens_year": "2027", "weeks": "4", "anonymity_threshold": "5"}
    return {**data, **changes}


def organisation_form(**changes) -> dict:
    return {"name": "Cyngor Prawf", "type_letter": "W", "number": "7", "language_policy": "default", **changes}


def refused(response, message: str, field_id: str, case=None) -> str:
    """The page of a refused form: 400, the message in the error summary linking to the
    field and again beside it."""
    assert response.status_code == 400, (case, response.status_code)
    text = html.unescape(response.text)
    assert "There is a problem" in text and "<title>Error:" in text, case
    assert f'<a href="#{field_id}">{message}</a>' in text, (case, text[:4000])
    assert re.search(r'class="govuk-error-message"[^>]*>\s*<span class="govuk-visually-hidden">[^<]*</span>\s*'
                     + re.escape(message), text), case
    return text


def boxes_in_error(text: str) -> set[str]:
    return {m for m in ("day", "month", "year")
            if re.search(rf'<input class="[^"]*govuk-input--error[^"]*" id="opens_{m}"', text)}


# -- row 15: the campaign's opening date -------------------------------------------------

ALL = {"day", "month", "year"}
DATE_CASES = [
    # day, month, year -> message, the boxes highlighted (the summary links to the first)
    ("", "", "", "Enter the date the campaign opens", ALL),
    ("  ", " ", "\t", "Enter the date the campaign opens", ALL),
    ("", "3", "2027", "The date the campaign opens must include a day", {"day"}),
    ("2", "", "2027", "The date the campaign opens must include a month", {"month"}),
    ("2", "3", " ", "The date the campaign opens must include a year", {"year"}),
    ("", "", "2027", "The date the campaign opens must include a day and a month", {"day", "month"}),
    ("", "3", "", "The date the campaign opens must include a day and a year", {"day", "year"}),
    ("2", "", "", "The date the campaign opens must include a month and a year", {"month", "year"}),
    ("31", "2", "2027", "The date the campaign opens must be a real date", ALL),
    ("29", "2", "2027", "The date the campaign opens must be a real date", ALL),
    ("2", "13", "2027", "The date the campaign opens must be a real date", {"month"}),
    ("0", "3", "2027", "The date the campaign opens must be a real date", {"day"}),
    ("32", "3", "2027", "The date the campaign opens must be a real date", {"day"}),
    ("two", "March", "2027", "The date the campaign opens must be a real date", {"day", "month"}),
    ("-2", "3", "2027", "The date the campaign opens must be a real date", {"day"}),
    ("2", "3", "-2027", "The date the campaign opens must be a real date", {"year"}),
    ("2.5", "3", "2027", "The date the campaign opens must be a real date", {"day"}),
    ("٢", "3", "2027", "The date the campaign opens must be a real date", {"day"}),  # int() would take it
    (HUGE, "3", "2027", "The date the campaign opens must be a real date", {"day"}),
    ("2", HUGE, "2027", "The date the campaign opens must be a real date", {"month"}),
    ("2", "3", HUGE, "The year the campaign opens must include 4 numbers", {"year"}),
    ("2", "3", "27", "The year the campaign opens must include 4 numbers", {"year"}),
    ("2", "3", "0000", "The date the campaign opens must be a real date", ALL),
    ("2", "3", "1999", "The date the campaign opens must be between 1 January 2000 and 31 December 2099", {"year"}),
    ("2", "3", "9999", "The date the campaign opens must be between 1 January 2000 and 31 December 2099", {"year"}),
]


def test_the_opening_date(improve, csrf):
    """Every case in one signed-in session (signing in hashes a password: slow on purpose)."""
    org = make_org()
    for day, month, year, message, boxes in DATE_CASES:
        case = (day, month, year[:8])
        data = campaign_form(org, opens_day=day, opens_month=month, opens_year=year)
        first = next(part for part in ("day", "month", "year") if part in boxes)
        text = refused(post(improve, csrf, NEW_CAMPAIGN, data), message, f"opens_{first}", case)
        assert boxes_in_error(text) == boxes, case
        assert text.count(message) == 2, case  # once in the summary, once above the boxes
        for part, typed in (("day", day), ("month", month), ("year", year)):  # what was typed is kept
            assert f'id="opens_{part}" name="opens_{part}" type="text" value="{typed}"' in text, case
    assert count(Campaign) == 0


def test_spaces_around_the_numbers_are_fine(improve, csrf):
    org = make_org()
    response = post(improve, csrf, NEW_CAMPAIGN, campaign_form(
        org, opens_day=" 2 ", opens_month="03 ", opens_year=" 2027", weeks=" 1 ", anonymity_threshold=" 1000 "))
    assert response.status_code == 302
    campaign = db.session.execute(db.select(Campaign)).scalar_one()
    # 2 March 2027: the financial year from April 2026
    assert (campaign.year_label, campaign.anonymity_threshold) == ("2026/27", 1000)
    # a one-week campaign gets the weekly reminders that fit in it: none before it closes
    assert campaign.reminder_days == []


# -- row 15: every number field -----------------------------------------------------------

BAD_NUMBERS = ["", "   ", "abc", "-1", "0", "1.5", "4e1", "٣", HUGE, "1" * 5000]
NUMBER_FIELDS = [
    (NEW_CAMPAIGN, "weeks", "Enter how many weeks it stays open, from 1 to 52", ["53"]),
    (NEW_CAMPAIGN, "anonymity_threshold", "Enter the anonymity threshold, a number from 3 to 1,000", ["2", "1001"]),
    (NEW_ORGANISATION, "number", "Enter the organisation's two-digit id, a number from 1 to 99", ["100"]),
]


@pytest.mark.parametrize("url, field, message, too_big", NUMBER_FIELDS, ids=[f for _u, f, *_ in NUMBER_FIELDS])
def test_every_number_field(improve, csrf, url, field, message, too_big):
    org = make_org()
    data = campaign_form(org) if url == NEW_CAMPAIGN else organisation_form()
    for value in BAD_NUMBERS + too_big:
        text = refused(post(improve, csrf, url, {**data, field: value}), message, field, value[:20])
        if len(value) < 100:
            assert f'value="{value}"' in text, value  # kept in the box
    assert count(Campaign) == 0 and count(Organisation) == 1


def test_the_choices(improve, csrf):
    org = make_org()
    for value in ["", "0", "abc", "-1", HUGE, "2147483647"]:
        refused(post(improve, csrf, NEW_CAMPAIGN, campaign_form(org, organisation_id=value)),
                "Select the organisation", "organisation_id", value)
    for value in ["", "no-such-thing"]:
        refused(post(improve, csrf, NEW_CAMPAIGN, campaign_form(org, questionnaire=value)),
                "Select the questionnaire", "questionnaire", value)
    for field, value, message in [("type_letter", "", "Select the type of organisation"),
                                  ("type_letter", "Q", "Select the type of organisation"),
                                  ("language_policy", "welsh-only", "Select the language of emails"),
                                  ("name", "   ", "Enter the organisation's name")]:
        refused(post(improve, csrf, NEW_ORGANISATION, organisation_form(**{field: value})), message, field, value)
    assert count(Campaign) == 0 and count(Organisation) == 1


# -- row 1: control characters in every field of every staff form -------------------------

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]
ORGANISATION_FIELDS = [("name", "Name", "Cyngor {}Prawf"), ("name_cy", "Name in Welsh (optional)", "Cyngor {}Prawf"),
                       ("type_letter", "Type of organisation", "W{}"),
                       ("number", "Two-digit id", "7{}"), ("language_policy", "Language of emails", "default{}"),
                       ("partnership", "This is a partnership of several organisations", "y{}")]
CAMPAIGN_FIELDS = [("questionnaire", "Questionnaire", "user-satisfaction{}"), ("opens_day", "Day", "2{}"),
                   ("opens_month", "Month", "{}3"), ("opens_year", "Year", "20{}27"), ("weeks", "Weeks open", "4{}"),
                   ("anonymity_threshold", "Anonymity threshold", "5{}"), ("organisation_id", "Organisation", "{}")]


def control_message(label: str, char: str) -> str:
    return f"‘{label}’ contains a control character (U+{ord(char):04X}), which cannot be saved: remove it"


@pytest.mark.parametrize("field, label, template", ORGANISATION_FIELDS, ids=[f for f, *_ in ORGANISATION_FIELDS])
def test_control_characters_in_the_organisation_form(improve, csrf, field, label, template):
    for char in CONTROL:
        response = post(improve, csrf, NEW_ORGANISATION, organisation_form(**{field: template.format(char)}))
        refused(response, control_message(label, char), field, char)
    assert count(Organisation) == 0


@pytest.mark.parametrize("field, label, template", CAMPAIGN_FIELDS, ids=[f for f, *_ in CAMPAIGN_FIELDS])
def test_control_characters_in_the_campaign_form(improve, csrf, field, label, template):
    org = make_org()
    for char in ("\x00", "\x07"):
        value = template.format(char) if field != "organisation_id" else f"{org.id}{char}"
        text = refused(post(improve, csrf, NEW_CAMPAIGN, campaign_form(org, **{field: value})),
                       control_message(label, char), field, char)
        if field.startswith("opens_"):
            assert field.removeprefix("opens_") in boxes_in_error(text)
    assert count(Campaign) == 0


def test_tabs_and_line_breaks_are_ordinary_text(improve, csrf):
    response = post(improve, csrf, NEW_ORGANISATION, organisation_form(name="Cyngor\tPrawf"))
    assert response.status_code == 302
    assert db.session.execute(db.select(Organisation.name)).scalar_one() == "Cyngor\tPrawf"


@pytest.mark.parametrize("field, label", [("email", "Email address"), ("password", "Password")])
def test_control_characters_in_the_sign_in_form(client, csrf, make_user, field, label):
    make_user("improve@example.org")
    for char in ("\x00", "\x1b"):
        data = {"email": "improve@example.org", "password": "correct horse battery staple"}
        data[field] = data[field][:4] + char + data[field][4:]
        refused(post(client, csrf, "/sign-in", data), control_message(label, char), field, char)
        assert client.get("/console/").status_code == 302  # not signed in
    assert count(User) == 1


def test_the_welsh_messages(improve, csrf):
    org = make_org()
    improve.get("/console/?lang=cy")
    response = post(improve, csrf, NEW_CAMPAIGN, campaign_form(org, opens_month="", weeks="\x00"))
    text = html.unescape(response.text)
    assert response.status_code == 400
    assert "Rhaid i'r dyddiad y mae'r ymgyrch yn agor gynnwys mis" in text
    assert "yn cynnwys nod rheoli (U+0000), na ellir ei gadw: tynnwch ef" in text


# -- issue 15 part 7: the organisation's name in Welsh ------------------------------------

def test_the_welsh_name_is_optional_and_no_longer_than_the_english_one(improve, csrf):
    too_long = "C" * 201
    text = refused(post(improve, csrf, NEW_ORGANISATION, organisation_form(name_cy=too_long)),
                   "The name in Welsh must be 200 characters or fewer", "name_cy")
    assert f'value="{too_long}"' in text  # kept in the box to be shortened
    # kept too when another field is wrong
    text = refused(post(improve, csrf, NEW_ORGANISATION, organisation_form(name="", name_cy="Cyngor Sir")),
                   "Enter the organisation's name", "name")
    assert 'value="Cyngor Sir"' in text
    assert count(Organisation) == 0
    improve.get("/console/?lang=cy")
    text = html.unescape(post(improve, csrf, NEW_ORGANISATION, organisation_form(name_cy=too_long)).text)
    assert "Rhaid i'r enw yn Gymraeg fod yn 200 o nodau neu lai" in text and "Enw yn Gymraeg (dewisol)" in text
    assert count(Organisation) == 0
    for number, name_cy, stored in (("7", "   ", None), ("8", "C" * 200, "C" * 200), ("9", " Cyngor ", "Cyngor")):
        made = post(improve, csrf, NEW_ORGANISATION, organisation_form(number=number, name_cy=name_cy))
        assert made.status_code == 302
        assert db.session.execute(db.select(Organisation.name_cy).filter_by(number=int(number))).scalar_one() == stored
    # a form without the field at all (an old page still open): no Welsh name
    assert post(improve, csrf, NEW_ORGANISATION, {k: v for k, v in organisation_form(number="10").items()
                                                  if k != "name_cy"}).status_code == 302
    assert db.session.execute(db.select(Organisation.name_cy).filter_by(number=10)).scalar_one() is None


# -- numbers and text in URLs -------------------------------------------------------------

def junk_urls(campaign_id: int) -> list[str]:
    c = campaign_id
    return [
        f"/campaigns/{HUGE}/", f"/campaigns/{HUGE}/rate.json", f"/campaigns/{HUGE}/results",
        f"/campaigns/{HUGE}/download.csv", f"/organisations/{HUGE}/", f"/console/campaigns/{HUGE}/participants",
        f"/campaigns/{'9' * 5000}/", "/campaigns/2147483648/",
        f"/campaigns/{c}/results?by=%00", f"/campaigns/{c}/results?by=role%01",
        f"/console/?year={HUGE}", "/console/?year=abc", "/console/?year=-1", "/console/?questionnaire=%00sdma",
        f"/console/exports?questionnaire=user-satisfaction&year={HUGE}&format=csv",
        f"/console/exports?questionnaire=user-satisfaction&year={{year}}&format=csv&organisation={HUGE}",
        "/console/exports?questionnaire=user-satisfaction&year={year}&format=csv&organisation=abc",
        "/console/exports?questionnaire=%00&year={year}&format=csv",
    ]


def test_junk_in_a_url_is_not_found(improve, make_response):
    campaign = make_campaign()
    make_response(campaign, {"overall": "5"})
    for url in junk_urls(campaign.id):
        url = url.replace("{year}", str(campaign.year))
        response = improve.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.text, url
    # the same pages with good values still work
    assert improve.get(f"/campaigns/{campaign.id}/results?by=device_class").status_code == 200
    assert improve.get(f"/console/?year={campaign.year}").status_code == 200
    assert improve.get("/console/?year=").status_code == 200
    assert improve.get(f"/console/exports?questionnaire=user-satisfaction&year={campaign.year}&format=csv"
                       f"&organisation={campaign.organisation_id}").status_code == 200
