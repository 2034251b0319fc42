"""The journey through the test client on SQLite and PostgreSQL: start, save each page,
resume, check, submit, already taken part."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

from tests.respond.helpers import (ABOUT_YOU, COMMENTS, IMPORTANCE, OVERALL, PHONE, SATISFACTION, answer_all,
                                   answer_page, still_partial, submit, submitted_once)
from tests.stored import partial_of
from survey_app.models import Response
from survey_app.submissions import uk_day
from survey_app.models.types import utcnow


def stored(participant) -> dict[str, str]:
    """The participant's partial answers (there must be a partial response)."""
    response = partial_of(participant)
    assert response is not None
    return response.answer_map()


def response_of(participant) -> Response | None:
    """The participant's partial response, found by their locator."""
    return partial_of(participant)


def test_start_page_names_the_organisation_and_the_survey(client, respondent):
    page = client.get(respondent.url, headers={"Accept-Language": "en-GB"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="en"' in html
    assert "Test Council" in html and "ICT User Satisfaction Survey" in html
    assert "It takes about 10 minutes." in html
    assert "groups of at least 5 responses" in html
    # the campaign opened yesterday for four weeks: its last day is 27 days from today
    last = date.today() + timedelta(days=26)
    assert f"You can answer until the end of {last.day} {last:%B %Y}." in html
    assert f'href="{respondent.page_url("about-you")}"' in html and "Start now" in html
    assert "GOV.UK" not in html and "govuk-header__logotype" not in html  # no government branding
    # one stylesheet, with only what these pages use (the staff pages add admin.css)
    assert re.findall(r'<link rel="stylesheet" href="([^"?]+)\?v=[0-9a-f]{10}"', html) == ["/static/govuk/survey.css"]
    home = client.get("/").get_data(as_text=True)
    assert re.findall(r'<link rel="stylesheet" href="([^"?]+)\?v=[0-9a-f]{10}"', home) == ["/static/govuk/survey.css",
                                                                           "/static/govuk/admin.css"]
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert response_of(respondent.participant) is None  # looking saves nothing


def test_the_whole_journey_stores_every_answer_and_submits_once(client, respondent):
    client.get(respondent.url)
    answer_all(client, respondent)
    response = response_of(respondent.participant)
    assert still_partial(respondent.participant) and response.last_page == "comments"
    assert stored(respondent.participant) == {
        **ABOUT_YOU, **OVERALL, **SATISFACTION, **IMPORTANCE, "comments": COMMENTS["comments"]}

    check = client.get(respondent.url + "/check").get_data(as_text=True)
    assert "Check your answers" in check
    assert "A laptop" in check and "Hybrid: I split my time between an office and home" in check
    assert "Faster laptops, please.<br>And Wi-Fi in the depot." in check
    assert f'href="{respondent.page_url("about-you")}?return=check#q-device"' in check
    # each Change link says, to a screen reader, which answer it changes and in which section
    assert ('Change<span class="govuk-visually-hidden"> your answer to ‘Which device do you mainly use for your '
            'work?’</span><span class="govuk-visually-hidden"> (About you)</span>') in check.replace("\n", "")

    result = submit(client, respondent)
    assert result.status_code == 302 and result.headers["Location"].endswith("/done")
    done = client.get(respondent.url + "/done").get_data(as_text=True)
    assert "Your response has been submitted" in done
    assert "We have received your answers." in done
    submission = submitted_once(respondent.participant)
    assert submission.answers == {**ABOUT_YOU, **OVERALL, **SATISFACTION, **IMPORTANCE,
                                  "comments": COMMENTS["comments"]}
    assert submission.where == "queue" and submission.day == uk_day(utcnow())
    assert submission.source == "web" and submission.language == "en"

    again = client.get(respondent.url).get_data(as_text=True)
    assert "You have already taken part" in again
    assert "You have submitted your answers." in again
    assert not re.search(r"\d\d:\d\d", again)  # no time of submitting is kept to show


def test_each_page_continues_to_the_next_and_back_links_return(client, respondent):
    result = answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    assert result.headers["Location"] == respondent.page_url("overall")
    page = client.get(respondent.page_url("overall")).get_data(as_text=True)
    assert "Page 2 of 5" in page
    assert f'<a href="{respondent.page_url("about-you")}" class="govuk-back-link">Back</a>' in page
    first = client.get(respondent.page_url("about-you")).get_data(as_text=True)
    assert f'<a href="{respondent.url}" class="govuk-back-link">' in first
    # the saved answer is shown checked
    assert 'id="q-device-2" name="q-device" type="radio" value="laptop" checked' in first


def test_resuming_on_another_device_continues_after_the_last_page_done(new_client, respondent):
    first_device = new_client()
    answer_page(first_device, respondent.page_url("about-you"), ABOUT_YOU)
    answer_page(first_device, respondent.page_url("overall"), OVERALL)
    other_device = new_client()
    start = other_device.get(respondent.url).get_data(as_text=True)
    assert "You have already started this survey. Your answers have been saved." in start
    assert f'href="{respondent.page_url("satisfaction")}"' in start and "Start now" not in start
    overall = other_device.get(respondent.page_url("overall")).get_data(as_text=True)
    assert 'name="q-overall" type="radio" value="6" checked' in overall


def test_save_and_come_back_later_keeps_a_half_answered_page(client, respondent):
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    half = dict(list(SATISFACTION.items())[:10])
    result = answer_page(client, respondent.page_url("overall"), {"overall": "3"}, action="save-later")
    assert result.status_code == 302 and result.headers["Location"].endswith("/saved")
    saved = client.get(result.headers["Location"]).get_data(as_text=True)
    assert "Your answers have been saved" in saved and respondent.page_url("overall") in saved
    assert stored(respondent.participant) == {**ABOUT_YOU, "overall": "3"}
    assert response_of(respondent.participant).last_page == "about-you"  # that page is not done yet
    answer_page(client, respondent.page_url("overall"), OVERALL)
    answer_page(client, respondent.page_url("satisfaction"), half, action="save-later")
    assert stored(respondent.participant) == {**ABOUT_YOU, **OVERALL, **half}
    start = client.get(respondent.url).get_data(as_text=True)
    assert f'href="{respondent.page_url("satisfaction")}"' in start


def test_changing_an_answer_from_check_returns_to_check(client, respondent):
    answer_all(client, respondent)
    result = answer_page(client, respondent.page_url("about-you") + "?return=check", {**ABOUT_YOU, "device": "tablet"})
    assert result.headers["Location"] == respondent.url + "/check"
    assert stored(respondent.participant)["device"] == "tablet"
    page = client.get(respondent.page_url("about-you") + "?return=check").get_data(as_text=True)
    assert f'href="{respondent.url}/check" class="govuk-back-link"' in page


def test_clearing_an_optional_text_answer_removes_it(client, respondent):
    answer_all(client, respondent)
    answer_page(client, respondent.page_url("comments"), {"comments": "   "})
    assert "comments" not in stored(respondent.participant)
    check = client.get(respondent.url + "/check").get_data(as_text=True)
    assert "Not answered" in check


def test_device_class_comes_from_the_user_agent(new_client, respondent, make_respondent):
    phone = new_client()
    phone.environ_base["HTTP_USER_AGENT"] = PHONE["user_agent"]
    answer_page(phone, respondent.page_url("about-you"), ABOUT_YOU)
    assert response_of(respondent.participant).device_class == "mobile"
    tablet_user = make_respondent()
    tablet = new_client()
    tablet.environ_base["HTTP_USER_AGENT"] = ("Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 "
                                              "(KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1")
    answer_page(tablet, tablet_user.page_url("about-you"), ABOUT_YOU)
    assert response_of(tablet_user.participant).device_class == "tablet"
    # the respondent's own answer about their device is kept beside it, unchanged
    assert stored(tablet_user.participant)["device"] == "laptop"


def test_show_if_questions_appear_and_their_answers_go_when_hidden(client, make_respondent):
    from tests.factories import make_campaign

    skills = make_respondent(make_campaign(questionnaire_id="user-skills"))
    q = skills.campaign.questionnaire_version.parsed()
    about = q.page("about-you")
    about_answers = {i.id: i.options[0].value for qn in about.questions for i in qn.items}
    about_answers["device"] = "smartphone"
    assert answer_page(client, skills.page_url("about-you"), about_answers).status_code == 302
    training = client.get(skills.page_url("training")).get_data(as_text=True)
    assert 'name="q-mobile_support"' in training  # shown: the device is a smartphone
    assert 'name="q-security_training_reason"' not in training  # hidden: training not answered "no"
    answer_page(client, skills.page_url("training"), {"mobile_support": "yes", "training_wanted": ["foundation", "safe_legal"]})
    assert stored(skills.participant)["training_wanted"] == json.dumps(["foundation", "safe_legal"])
    assert stored(skills.participant)["mobile_support"] == "yes"
    # a laptop user is not asked about mobile support: the earlier answer is removed
    answer_page(client, skills.page_url("about-you"), {**about_answers, "device": "laptop"})
    assert "mobile_support" not in stored(skills.participant)
    training = client.get(skills.page_url("training")).get_data(as_text=True)
    assert 'name="q-mobile_support"' not in training


def test_answers_hidden_by_show_if_are_left_out_of_the_submission(client, make_respondent, make_response):
    """A hidden answer still in the partial response (saved before the rule hid it) is
    not submitted."""
    from tests.factories import make_campaign

    skills = make_respondent(make_campaign(questionnaire_id="user-skills"))
    answers = {"device": "laptop", "location": "home", "role": "front_line", "working_mode": "hybrid",
               **{f"K{n}": "3" for n in range(1, 29)}, "security_training": "yes",
               "mobile_support": "yes", "security_training_reason": "no_time"}  # both hidden
    make_response(skills.campaign, answers, participant=skills.participant, status="partial")
    assert stored(skills.participant) == answers
    result = submit(client, skills)
    assert result.status_code == 302 and result.headers["Location"].endswith("/done")
    submission = submitted_once(skills.participant)
    assert submission.answers == {k: v for k, v in answers.items()
                                  if k not in ("mobile_support", "security_training_reason")}


def test_a_page_whose_questions_are_all_hidden_is_skipped(client, make_respondent):
    from tests.factories import make_campaign

    from survey_app.respond import journey

    skills = make_respondent(make_campaign(questionnaire_id="user-skills"))
    q = skills.campaign.questionnaire_version.parsed()
    # the pages shown depend on answers: every page of user-skills has an unconditional question
    assert [p.id for p in journey.visible_pages(q, {})] == [p.id for p in q.pages]
    assert journey.page_position(q, {}, q.pages[1].id) == (2, len(q.pages))


def test_unknown_page_is_not_found(client, respondent):
    assert client.get(respondent.page_url("no-such-page")).status_code == 404


def test_empty_check_page_refuses_to_submit_and_lists_what_is_missing(client, respondent):
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    result = submit(client, respondent)
    html = result.get_data(as_text=True)
    assert result.status_code == 400
    assert "There is a problem" in html and "42 questions still need an answer." in html
    assert f'href="{respondent.page_url("overall")}?return=check#q-overall"' in html
    assert still_partial(respondent.participant)
