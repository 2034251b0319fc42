"""A return from the start link to the lead's submission: the overview, a function's
statements by layer, saving with who changed what, progress, the check page, and the
read-only return after submission."""
from __future__ import annotations

from datetime import date

from tests.factories import make_campaign, make_participant
from tests.maturity.helpers import (FUNCTIONS, VL, VL_STATEMENTS, edit, form_fields, return_row, statement_text,
                                    stored, submit_form, text_of)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_the_start_link_sends_a_contributor_to_the_return(client, lead):
    start = client.get(lead.start)
    assert start.status_code == 302 and start.headers["Location"].endswith(lead.url)
    # any of the respondent's pages does the same: a return has no staff survey pages
    for path in (lead.start + "/p/vision_leadership", lead.start + "/check", lead.start + "/done"):
        assert client.get(path).headers["Location"].endswith(lead.url), path


def test_a_staff_survey_link_is_not_sent_anywhere_and_has_no_return(client, app):
    from survey_app.links import make_token

    person = make_participant(make_campaign())
    token = make_token(person.id, app.config["SECRET_KEY"])
    assert client.get(f"/s/{token}").status_code == 200
    assert client.get(f"/s/{token}/return/").status_code == 404


def test_the_overview(client, lead, contributor):
    html = client.get(lead.url).text
    words = text_of(html)
    assert "Test Council" in words and "Digital Maturity Assessment" in words
    assert "You are Sam Lead, the lead for your organisation's return." in words
    assert html.count('class="govuk-task-list__item') == 9
    for function in FUNCTIONS:
        assert f'href="{lead.function(function)}"' in html
    assert words.count("0 of 10 statements answered") == 9
    assert "Status Draft" in words and "Progress 0 of 90 statements answered" in words
    assert 'id="contributors-link"' in html and "Check the answers and submit the return" in words
    other = text_of(client.get(contributor.url).text)
    assert "You are Alex Data, a contributor to your organisation's return." in other
    assert "Sam Lead, the lead, submits the return." in other
    assert "Contributors: see who is helping" not in other


def test_a_function_page_by_layer(client, lead):
    html = client.get(lead.function()).text
    words = text_of(html)
    assert "<h1 class=\"govuk-heading-l\">Vision and Leadership</h1>" in html
    for level in range(1, 6):
        assert f"Layer {level}: " in words
    for statement in VL_STATEMENTS:
        assert statement_text(lead.campaign, statement) in words
        s = statement.replace(".", "-")
        assert f'id="answer-{s}" name="answer-{s}" type="radio" value="yes"' in html
        assert f'id="answer-{s}-2" name="answer-{s}" type="radio" value="no"' in html
        assert f'<textarea class="govuk-textarea" id="note-{s}" name="note-{s}"' in html
        assert f'name="revision-{s}" value=""' in html
    assert "Last changed" not in words
    assert client.get(lead.function("nothing_like_this")).status_code == 404


def test_saving_records_who_changed_what(client, lead, contributor):
    saved = edit(client, lead, {"VL1.1": "yes", "VL1.2": "no"}, {"VL1.2": "Agreed by Cabinet,\r\nMarch 2026  "})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(lead.function())
    pid = lead.contributor.participant_id
    assert stored(lead.campaign) == {"VL1.1": ("yes", None, 1, pid),
                                     "VL1.2": ("no", "Agreed by Cabinet,\nMarch 2026", 1, pid)}
    page = client.get(lead.function()).text
    words = text_of(page)
    assert "Your answers to ‘Vision and Leadership’ have been saved." in words
    assert words.count(f"Last changed by Sam Lead, {long_date(date.today())}") == 2
    assert 'name="revision-VL1-1" value="1"' in page
    assert ">Agreed by Cabinet,\nMarch 2026</textarea>" in page
    # the contributor changes one of them and adds another: only what they changed is saved
    again = edit(client, contributor, {"VL1.2": "yes", "VL2.1": "yes"}, action="overview")
    assert again.status_code == 302 and again.headers["Location"].endswith(contributor.url)
    other = contributor.contributor.participant_id
    assert stored(lead.campaign) == {"VL1.1": ("yes", None, 1, pid),
                                     "VL1.2": ("yes", "Agreed by Cabinet,\nMarch 2026", 2, other),
                                     "VL2.1": ("yes", None, 1, other)}
    words = text_of(client.get(lead.function()).text)
    assert words.count("Last changed by Alex Data") == 2 and words.count("Last changed by Sam Lead") == 1
    # a save with nothing changed changes nothing
    assert edit(client, lead).status_code == 302
    assert stored(lead.campaign)["VL1.2"][2] == 2


def test_progress_on_the_overview(client, lead):
    edit(client, lead, {s: "yes" for s in VL_STATEMENTS})
    edit(client, lead, {"TE1.1": "no"}, {"TE1.2": "A note alone is no answer"}, function_id="technology")
    words = text_of(client.get(lead.url).text)
    assert "Vision and Leadership 10 of 10 statements answered Completed" in words
    assert "Technology 1 of 10 statements answered In progress" in words
    assert "Agile Working 0 of 10 statements answered Not started" in words
    assert "Progress 11 of 90 statements answered" in words


def test_the_check_page_lists_what_is_unanswered(client, lead, contributor):
    edit(client, lead, {s: "yes" for s in VL_STATEMENTS[:9]}, {"VL1.1": "Board minutes"})
    html = client.get(lead.page("check")).text
    words = text_of(html)
    assert "81 statements are not answered." in words
    assert "Vision and Leadership: 1 not answered" in words and "Technology: 10 not answered" in words
    assert words.count("Not answered") == 81
    assert "Note: Board minutes" in words
    assert f'href="{lead.function()}#answer-VL5-2"' in html  # the unanswered one, to answer it
    assert "Submit the return" in words and 'id="confirm-unanswered"' in html
    assert "Each unanswered statement counts as not in place, the same as No" in words
    other = text_of(client.get(contributor.page("check")).text)
    assert "Only the lead, Sam Lead, can submit the return." in other
    assert 'id="submit-return"' not in client.get(contributor.page("check")).text


def test_the_lead_submits_and_the_return_becomes_read_only(client, lead, contributor, new_client):
    edit(client, lead, {s: "yes" for s in VL_STATEMENTS})
    other = new_client()
    open_meanwhile = other.get(contributor.function()).text  # the contributor is still working
    check = client.get(lead.page("check")).text
    refused = client.post(lead.page("check"), data=submit_form(check))
    assert refused.status_code == 400
    assert "Confirm that the unanswered statements are to count as not in place" in text_of(refused.text)
    assert return_row(lead.campaign).status == "draft"
    done = client.post(lead.page("check"), data=submit_form(check, confirm=True))
    assert done.status_code == 302 and done.headers["Location"].endswith(lead.page("submitted"))
    row = return_row(lead.campaign)
    assert (row.status, row.submitted_by_id) == ("submitted", lead.contributor.participant_id)
    words = text_of(client.get(lead.page("submitted")).text)
    assert "Return submitted" in words
    assert f"Sam Lead submitted your organisation's return on {long_date(date.today())}" in words

    for path in (contributor.url, contributor.function(), contributor.page("check")):
        assert "This return was submitted by Sam Lead on" in text_of(other.get(path).text), path
    page = other.get(contributor.function()).text
    assert 'id="answers"' not in page and "Last changed by Sam Lead" in text_of(page)
    check = client.get(lead.page("check")).text
    assert 'id="submit-return"' not in check and 'Change<span class="govuk-visually-hidden">' not in check
    before = stored(lead.campaign)
    late = edit(other, contributor, {"VL1.1": "no"}, {"VL1.1": "Too late"}, page=open_meanwhile)
    assert late.status_code == 409
    words = text_of(late.text)
    assert "These changes were not saved, because the return was submitted before they were sent" in words
    assert "‘" + statement_text(lead.campaign, "VL1.1") + "’: No (note: Too late)" in words
    assert stored(lead.campaign) == before
    assert 'id="add-contributor"' not in client.get(lead.page("contributors")).text
