"""Bad input on a return's forms gets a clear message and changes nothing: an over-long
note, a control character, an answer other than Yes or No, a forged revision, a
statement not on the page, a missing CSRF token, a body over the page's limit, and a
contributor's address, name or language that will not do."""
from __future__ import annotations

from html import unescape

import pytest

from survey_app.maturity.forms import NOTE_MAX_LENGTH, body_limit
from tests.maturity.helpers import edit, fill, form_fields, statement_text, stored, text_of

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def answered(client, lead):
    """Two answers stored before each bad save."""
    assert edit(client, lead, {"VL1.1": "yes", "VL1.2": "no"}).status_code == 302
    return stored(lead.campaign)


def test_an_over_long_note_is_refused_and_kept(client, lead, answered):
    text = "x" * (NOTE_MAX_LENGTH + 13)
    refused = edit(client, lead, {"VL2.1": "yes"}, {"VL1.1": text})
    assert refused.status_code == 400
    statement = statement_text(lead.campaign, "VL1.1")
    message = f"Your note on ‘{statement}’ must be 1,000 characters or fewer: you have 13 characters too many"
    assert f'<a href="#note-VL1-1">{message}</a>' in unescape(refused.text)
    assert f">{text}</textarea>" in refused.text
    assert "<title>Error: Vision and Leadership" in refused.text
    assert 'name="answer-VL2-1" type="radio" value="yes" checked' in refused.text  # what else was typed is kept
    assert stored(lead.campaign) == answered  # VL2.1 was fine, but nothing on the page is saved
    assert edit(client, lead, {}, {"VL1.1": "y" * NOTE_MAX_LENGTH}).status_code == 302
    assert stored(lead.campaign)["VL1.1"][1] == "y" * NOTE_MAX_LENGTH


def test_a_control_character_in_a_note_is_refused(client, lead, answered):
    refused = edit(client, lead, {}, {"VL1.2": "Minutes\x00 of May"})
    assert refused.status_code == 400
    assert "Remove the hidden characters shown as � from your note on" in text_of(refused.text)
    assert ">Minutes� of May</textarea>" in refused.text
    assert stored(lead.campaign) == answered


@pytest.mark.parametrize("value", ["maybe", "true", "dont_know", "yes\x00", ["yes", "no"]])
def test_an_answer_other_than_yes_or_no_is_refused(client, lead, answered, value):
    page = client.get(lead.function()).text
    data = fill(page, {"VL1.1": "no"})
    data.setlist("answer-VL2-2", value if isinstance(value, list) else [value])
    refused = client.post(lead.function(), data=data)
    assert refused.status_code == 400
    statement = statement_text(lead.campaign, "VL2.2")
    assert f'<a href="#answer-VL2-2">Select Yes or No for ‘{statement}’</a>' in unescape(refused.text)
    assert stored(lead.campaign) == answered


@pytest.mark.parametrize("revision", ["abc", "0", "-1", "2", "99999999999", "1.0"])
def test_a_forged_revision_is_refused(client, lead, answered, revision):
    data = fill(client.get(lead.function()).text, {"VL1.1": "no", "VL3.1": "yes"})
    data["revision-VL1-1"] = revision
    refused = client.post(lead.function(), data=data)
    assert refused.status_code == 400
    assert "was sent with details this page did not give it, so nothing was saved" in text_of(refused.text)
    assert stored(lead.campaign) == answered


def test_a_revision_for_a_statement_never_answered_is_refused(client, lead, answered):
    data = fill(client.get(lead.function()).text, {"VL4.1": "yes"})
    data["revision-VL4-1"] = "1"
    assert client.post(lead.function(), data=data).status_code == 400
    assert stored(lead.campaign) == answered


@pytest.mark.parametrize("field", ["answer-XX9-9", "note-TE1-1", "revision-VL9-1", "answer-VL1.1"])
def test_a_statement_not_on_the_page_is_refused(client, lead, answered, field):
    data = fill(client.get(lead.function()).text, {"VL2.1": "yes"})
    data[field] = "yes" if field.startswith("answer") else "1"
    refused = client.post(lead.function(), data=data)
    assert refused.status_code == 400
    assert '<a href="#answers">This page sent answers to statements that are not on it, so nothing was saved.' in (
        refused.text)
    assert stored(lead.campaign) == answered


def test_every_post_checks_its_csrf_token(client, lead, answered):
    page = client.get(lead.function()).text
    for path, data in ((lead.function(), fill(page, {"VL1.1": "no"})),
                       (lead.page("check"), {"confirm-unanswered": "yes"}),
                       (lead.page("contributors"), {"email": "x@example.org", "name": "X", "language": "en"})):
        data.pop("csrf_token", None)
        refused = client.post(path, data=data)
        assert refused.status_code == 400 and "Your answers on this page were not saved" in refused.text, path
    assert stored(lead.campaign) == answered


def test_a_body_over_the_limit_is_refused(client, lead, answered):
    from urllib.parse import urlencode

    from survey_app.extensions import db
    from survey_app.models import Campaign

    statements = db.session.get(Campaign, lead.campaign.id).questionnaire_version.parsed().statements_of(
        "vision_leadership")
    limit = body_limit(statements)
    # the largest legitimate page fits: every answer given, every note at its longest in 4-byte characters
    largest = fill(client.get(lead.function()).text, {i.id: "yes" for i in statements},
                   {i.id: "😀" * NOTE_MAX_LENGTH for i in statements}, "language-cy")
    assert len(urlencode(list(largest.items(multi=True))).encode()) < limit
    assert client.post(lead.function(), data=b"x=" + b"y" * limit, content_type=FORM).status_code == 413
    for path in (lead.page("check"), lead.page("contributors")):
        assert client.post(path, data=b"x=" + b"y" * 9000, content_type=FORM).status_code == 413, path
    assert stored(lead.campaign) == answered


@pytest.mark.parametrize("fields, field, message", [
    ({"email": "not an address", "name": "A", "language": "en"}, "email",
     "Enter an email address in the correct format, like name@example.org"),
    ({"email": "", "name": "A", "language": "en"}, "email", "Enter their email address"),
    ({"email": "a@example.org", "name": "  ", "language": "en"}, "name", "Enter their name"),
    ({"email": "a@example.org", "name": "n" * 101, "language": "en"}, "name", "Enter a name of up to 100 characters"),
    ({"email": "a@example.org", "name": "A\x01", "language": "en"}, "name",
     "‘Name’ contains a control character (U+0001), which cannot be saved: remove it"),
    ({"email": "a@example.org", "name": "A"}, "language", "Select the language of their emails"),
    ({"email": "a@example.org", "name": "A", "language": "fr"}, "language", "Select the language of their emails"),
])
def test_a_contributor_that_will_not_do_is_refused(client, lead, fields, field, message):
    from survey_app.extensions import db
    from survey_app.models import MaturityContributor

    data = form_fields(client.get(lead.page("contributors")).text, "add-contributor")
    for name, value in fields.items():
        data[name] = value  # in place of the empty field the page has
    refused = client.post(lead.page("contributors"), data=data)
    assert refused.status_code == 400
    assert f'<a href="#{field}">{message}</a>' in unescape(refused.text)
    assert db.session.scalar(db.select(db.func.count()).select_from(MaturityContributor)) == 1


def test_an_answer_without_the_fields_the_page_gives_it_is_refused(client, lead, answered):
    data = fill(client.get(lead.function()).text, {"VL2.1": "yes", "VL3.1": "yes"})
    del data["revision-VL3-1"]
    refused = client.post(lead.function(), data=data)
    assert refused.status_code == 400
    statement = statement_text(lead.campaign, "VL3.1")
    assert f"‘{statement}’ was sent with details this page did not give it, so nothing was saved." in (
        text_of(refused.text))
    assert stored(lead.campaign) == answered


def test_a_csrf_failure_on_a_link_no_longer_valid(client, lead):
    from survey_app.extensions import db
    from survey_app.models import Participant
    from survey_app.models.types import utcnow

    page = client.get(lead.function()).text
    person = db.session.get(Participant, lead.contributor.participant_id)
    person.status, person.withdrawn_at = "withdrawn", utcnow()
    db.session.commit()
    data = fill(page, {"VL1.1": "yes"})
    del data["csrf_token"]
    refused = client.post(lead.function(), data=data)
    assert refused.status_code == 404 and "This link is not valid" in refused.text
