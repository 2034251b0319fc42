"""Save and come back later (and the language switch, which also saves) never drop what
a respondent typed: an answer that is not allowed comes back with its message, as on
Continue, while answers merely missing may wait."""
from __future__ import annotations

from tests.stored import partial_answers
from tests.respond.helpers import ABOUT_YOU, OVERALL, answer_all, answer_page

COMMENTS_ITEM = "Is there anything else you would like to tell us about the ICT service?"


def stored(participant) -> dict[str, str]:
    """The participant's partial answers ({} when none are saved)."""
    return partial_answers(participant)


def test_over_long_text_saved_for_later_comes_back_with_its_message(client, respondent):
    answer_all(client, respondent)
    before = stored(respondent.participant)
    text = ("A comment that goes on. " * 84).rstrip() + "!"
    assert len(text) == 2016  # 16 characters over the limit
    result = answer_page(client, respondent.page_url("comments"), {"comments": text}, action="save-later")
    assert result.status_code == 400
    html = result.get_data(as_text=True)
    assert (f"Your answer to ‘{COMMENTS_ITEM}’ must be 2,000 characters or fewer: "
            "you have 16 characters too many") in html
    assert f">{text}</textarea>" in html  # every character kept in the box
    assert 'class="govuk-error-summary' in html
    assert stored(respondent.participant) == before
    fixed = answer_page(client, respondent.page_url("comments"), {"comments": text[:2000]}, action="save-later")
    assert fixed.status_code == 302 and fixed.headers["Location"].endswith("/saved")
    assert stored(respondent.participant)["comments"] == text[:2000].strip()


def test_a_value_not_allowed_saved_for_later_comes_back_with_its_message(client, respondent):
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    result = answer_page(client, respondent.page_url("overall"), {"overall": "5", "improved": "9"},
                         action="save-later")
    assert result.status_code == 400
    html = result.get_data(as_text=True)
    assert "Select one of the answers given for" in html
    assert 'name="q-overall" type="radio" value="5" checked' in html  # the good answer is still shown
    assert stored(respondent.participant) == ABOUT_YOU


def test_answers_only_missing_still_save_for_later(client, respondent):
    answer_page(client, respondent.page_url("about-you"), ABOUT_YOU)
    result = answer_page(client, respondent.page_url("overall"), {"improved": "3"}, action="save-later")
    assert result.status_code == 302 and result.headers["Location"].endswith("/saved")
    assert stored(respondent.participant) == {**ABOUT_YOU, "improved": "3"}
    nothing = answer_page(client, respondent.page_url("overall"), {}, action="save-later")
    assert nothing.status_code == 302  # a page left blank saves for later too
    assert stored(respondent.participant) == {**ABOUT_YOU, "improved": "3"}


def test_switching_language_with_over_long_text_keeps_it_and_explains_in_the_new_language(client, respondent):
    answer_all(client, respondent, {"about-you": ABOUT_YOU, "overall": OVERALL})
    text = "ŵ" * 2016
    result = answer_page(client, respondent.page_url("comments"), {"comments": text}, action="language-cy")
    assert result.status_code == 400
    html = result.get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert "mae gennych 16 nod yn ormod" in html
    assert f">{text}</textarea>" in html
    assert "comments" not in stored(respondent.participant)
    # the choice of language holds for the rest of the visit
    assert '<html lang="cy"' in client.get(respondent.page_url("overall")).get_data(as_text=True)
