"""Bad input is refused with a clear message and stores nothing wrong: out-of-range and
unknown values, over-long text, missing answers, forged or expired links, CSRF."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.respond.helpers import ABOUT_YOU, answer_all, answer_page, close, form_fields, still_partial, submit
from tests.factories import make_campaign
from survey_app.extensions import db
from survey_app.links import make_token, stop_reminders_url
from survey_app.models import Response
from tests import stored
from survey_app.models.types import utcnow

OVERALL_TEXT = "Overall, how satisfied are you with the ICT service?"


def answers_of(participant) -> dict[str, str] | None:
    """The participant's partial answers (None when there is no partial response)."""
    response = stored.partial_of(participant)
    return None if response is None else response.answer_map()


@pytest.mark.parametrize("value", ["9", "0", "-1", "abc", "5.5", "dont_know_really"])
def test_a_value_off_the_scale_is_refused(client, respondent, value):
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    result = answer_page(client, respondent.page_url("overall"), {"overall": value, "improved": "4"})
    html = result.get_data(as_text=True)
    assert result.status_code == 400
    assert f"Select one of the answers given for ‘{OVERALL_TEXT}’" in html
    assert '<a href="#q-overall">' in html  # the error summary links to the field
    assert "<title>Error: The ICT service overall" in html
    assert answers_of(respondent.participant) == ABOUT_YOU  # "improved" was fine, but the page is not saved


def test_an_unknown_option_is_refused(client, respondent):
    result = answer_page(client, respondent.page_url("about-you"), {**ABOUT_YOU, "device": "spaceship"})
    html = result.get_data(as_text=True)
    assert result.status_code == 400
    assert "Select one of the answers given for ‘Which device do you mainly use for your work?’" in html
    assert answers_of(respondent.participant) is None
    # the other answers are kept on the page
    assert 'name="q-location" type="radio" value="home" checked' in html


def test_missing_required_answers_are_listed_and_linked(client, respondent):
    result = answer_page(client, respondent.page_url("about-you"), {"device": "laptop"})
    html = result.get_data(as_text=True)
    assert result.status_code == 400
    assert html.count('<a href="#q-') == 3
    for field, question in [("location", "Where do you mainly work?"),
                            ("role", "Which of these best describes your role?"),
                            ("working_mode", "Which of these best describes how you usually work?")]:
        assert f'<a href="#q-{field}">Select an answer for ‘{question}’</a>' in html
        assert f'id="q-{field}-error"' in html  # the message beside the field
    assert 'value="laptop" checked' in html
    assert answers_of(respondent.participant) is None


def test_over_long_text_is_refused_and_kept_on_the_page(client, respondent):
    answer_all(client, respondent)
    before = answers_of(respondent.participant)
    text = "x" * 2013
    result = answer_page(client, respondent.page_url("comments"), {"comments": text})
    html = result.get_data(as_text=True)
    assert result.status_code == 400
    assert "must be 2,000 characters or fewer: you have 13 characters too many" in html
    assert f">{text}</textarea>" in html
    assert answers_of(respondent.participant) == before
    one_over = answer_page(client, respondent.page_url("comments"), {"comments": "y" * 2001})
    assert "you have 1 character too many" in one_over.get_data(as_text=True)
    exactly = answer_page(client, respondent.page_url("comments"), {"comments": "z" * 2000})
    assert exactly.status_code == 302 and answers_of(respondent.participant)["comments"] == "z" * 2000


COMMENTS_TEXT = {"en": "Is there anything else you would like to tell us about the ICT service?",
                 "cy": "Oes unrhyw beth arall yr hoffech ei ddweud wrthym am y gwasanaeth TGCh?"}
REMOVE_CONTROL = {
    "en": "Remove the hidden characters shown as � from your answer to ‘{}’: they are control characters, "
          "which cannot be saved",
    "cy": "Tynnwch y nodau cudd a ddangosir fel � o'ch ateb i ‘{}’: nodau rheoli ydyn nhw, ac ni ellir eu cadw",
}


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x1b", "\x1f"], ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_control_character_in_free_text_is_refused(client, make_respondent, char, language):
    """Issue 14 row 1: a NUL (%00) in the comment was a 500 on PostgreSQL. Now, on both
    databases: the field's message, the text kept in the box with the character shown
    as �, and nothing stored."""
    from html import unescape

    respondent = make_respondent(language=language)
    answer_all(client, respondent)
    before = answers_of(respondent.participant)
    typed = f"Faster laptops{char}, please.\r\nAnd\tWi-Fi."
    result = answer_page(client, respondent.page_url("comments"), {"comments": typed})
    page = unescape(result.get_data(as_text=True))
    assert result.status_code == 400
    message = REMOVE_CONTROL[language].format(COMMENTS_TEXT[language])
    assert f'<a href="#q-comments">{message}</a>' in page
    assert ">Faster laptops�, please.\r\nAnd\tWi-Fi.</textarea>" in page
    assert char not in page
    assert answers_of(respondent.participant) == before
    # saved for later or with a change of language: never stored either
    for action in ("save-later", "language-cy" if language == "en" else "language-en"):
        result = answer_page(client, respondent.page_url("comments"), {"comments": typed}, action=action)
        assert result.status_code in (302, 400), action
        assert answers_of(respondent.participant) == before, action


def test_a_control_character_in_a_choice_is_refused(client, respondent):
    result = answer_page(client, respondent.page_url("about-you"), {**ABOUT_YOU, "device": "laptop\x00"})
    assert result.status_code == 400
    assert "Select one of the answers given for ‘Which device do you mainly use for your work?’" in (
        result.get_data(as_text=True))
    assert answers_of(respondent.participant) is None


def test_unknown_choices_and_yes_no_values_are_refused(client, make_respondent):
    skills = make_respondent(make_campaign(questionnaire_id="user-skills"))
    result = answer_page(client, skills.page_url("training"), {"training_wanted": ["foundation", "juggling"]})
    assert result.status_code == 400
    assert "Select one of the answers given for ‘Which of these would you like more training or help with?’" in (
        result.get_data(as_text=True))
    q = skills.campaign.questionnaire_version.parsed()
    page = next(p for p in q.pages if any(i.id == "security_training" for qn in p.questions for i in qn.items))
    answers = {i.id: (i.scale.min if i.scale else "yes") for qn in page.questions for i in qn.items}
    result = answer_page(client, skills.page_url(page.id), {**answers, "security_training": "maybe"})
    assert result.status_code == 400
    assert answers_of(skills.participant) is None


def test_fields_that_are_not_on_the_page_are_ignored(client, respondent):
    answer_page(client, respondent.page_url("about-you"), {**ABOUT_YOU, "comments": "sneaked in", "overall": "1"})
    assert answers_of(respondent.participant) == ABOUT_YOU


def forged_tokens(app, respondent) -> dict[str, str]:
    secret = app.config["SECRET_KEY"]
    return {
        "altered": respondent.token[:-3] + ("AAA" if not respondent.token.endswith("AAA") else "BBB"),
        "other key": make_token(respondent.participant.id, "another-secret-" + "x" * 30),
        "nobody": make_token(987654, secret),
        "not a token": "hello",
        "stop-reminders link": stop_reminders_url(respondent.participant.id, secret, "").rsplit("/", 1)[1],
    }


def test_forged_links_get_the_same_plain_not_valid_page(app, client, respondent, make_respondent):
    withdrawn = make_respondent(status="withdrawn", withdrawn_at=utcnow())
    pages = {}
    for name, token in {**forged_tokens(app, respondent), "withdrawn": withdrawn.token}.items():
        for path in ("", "/p/about-you", "/check", "/done"):
            page = client.get(f"/s/{token}{path}")
            assert page.status_code == 404, (name, path)
            html = page.get_data(as_text=True)
            assert "This link is not valid" in html and "Traceback" not in html
            pages[name, path] = html.replace(token, "")
    # nothing on the page tells a withdrawn participant from a link that names nobody
    assert pages["withdrawn", ""] == pages["nobody", ""] == pages["altered", ""]


def test_posting_with_a_forged_link_stores_nothing(app, client, respondent):
    good = client.get(respondent.page_url("about-you")).get_data(as_text=True)
    for token in forged_tokens(app, respondent).values():
        data = {**form_fields(good), "action": "continue", **{f"q-{k}": v for k, v in ABOUT_YOU.items()}}
        assert client.post(f"/s/{token}/p/about-you", data=data).status_code == 404
        assert client.post(f"/s/{token}/check", data=form_fields(good)).status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0


@pytest.mark.parametrize("by_status", [True, False], ids=["closed", "past-closing-time"])
def test_links_stop_working_when_the_campaign_closes(client, make_respondent, by_status):
    respondent = make_respondent(language="cy")
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    page = client.get(respondent.page_url("overall")).get_data(as_text=True)
    close(respondent.campaign, by_status=by_status)
    for path in ("", "/p/overall", "/check"):
        closed = client.get(respondent.url + path)
        assert closed.status_code == 410
        html = closed.get_data(as_text=True)
        assert '<html lang="cy"' in html and "Mae'r arolwg hwn wedi cau" in html
    data = {**form_fields(page), "action": "continue", "q-overall": "5", "q-improved": "5"}
    assert client.post(respondent.page_url("overall"), data=data).status_code == 410
    assert client.post(respondent.url + "/check", data=form_fields(page)).status_code == 410
    assert answers_of(respondent.participant) == ABOUT_YOU


def test_a_campaign_not_yet_open_says_when_it_opens(client, make_respondent):
    from datetime import date

    campaign = make_campaign(opens=date.today() + timedelta(days=7))
    respondent = make_respondent(campaign)
    page = client.get(respondent.url, headers={"Accept-Language": "en"})
    assert page.status_code == 403
    opens = date.today() + timedelta(days=7)
    assert f"It opens on {opens.day} {opens:%B %Y}." in page.get_data(as_text=True)
    assert client.get(respondent.page_url("about-you")).status_code == 403


def test_a_missing_or_wrong_csrf_token_is_refused(client, respondent):
    page = client.get(respondent.page_url("about-you")).get_data(as_text=True)
    answers = {f"q-{k}": v for k, v in ABOUT_YOU.items()}
    fields = form_fields(page)
    for csrf in (None, "forged-token", fields["csrf_token"][:-4] + "abcd"):
        data = {"action": "continue", "shown": fields["shown"], **answers}
        if csrf:
            data["csrf_token"] = csrf
        result = client.post(respondent.page_url("about-you"), data=data)
        assert result.status_code == 400
        html = result.get_data(as_text=True)
        assert "Your answers on this page were not saved" in html
        assert f'href="{respondent.page_url("about-you")}"' in html and "Test Council" in html
    assert answers_of(respondent.participant) is None


def test_submitting_without_csrf_does_not_submit(client, respondent):
    answer_all(client, respondent)
    assert client.post(respondent.url + "/check", data={}).status_code == 400
    assert still_partial(respondent.participant)


def test_after_submitting_a_page_cannot_be_saved_again(client, new_client, respondent):
    other_tab = new_client()
    old_page = other_tab.get(respondent.page_url("overall")).get_data(as_text=True)
    answer_all(client, respondent)
    assert submit(client, respondent).status_code == 302
    before = stored.the_submission().answers
    assert before["overall"] == "6"
    data = {**form_fields(old_page), "action": "continue", "q-overall": "1", "q-improved": "1"}
    late = other_tab.post(respondent.page_url("overall"), data=data)
    assert late.status_code == 302 and late.headers["Location"] == respondent.url
    assert "You have already taken part" in other_tab.get(late.headers["Location"]).get_data(as_text=True)
    assert answers_of(respondent.participant) is None  # no partial response is started again
    assert stored.the_submission().answers == before
    again = other_tab.post(respondent.url + "/check", data=form_fields(old_page))
    assert again.status_code == 302  # a resubmitted form: no error page, nothing changes
    assert answers_of(respondent.participant) is None
    assert stored.the_submission().answers == before
