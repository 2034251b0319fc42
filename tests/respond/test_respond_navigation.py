"""Which pages and questions a respondent sees, where Continue and Back go, where a
returning respondent resumes: pure functions, checked on a small questionnaire."""
from __future__ import annotations

import pytest

from questionnaires import parse
from survey_app.respond import journey

YAML = """
id: nav
version: "1"
title: {en: Navigation, cy: Llywio}
description: {en: A test., cy: Prawf.}
minutes: 2
pages:
  - id: p1
    title: {en: One, cy: Un}
    questions:
      - id: device
        type: single_choice
        text: {en: Device, cy: Dyfais}
        options:
          - {value: laptop, label: {en: Laptop, cy: Gliniadur}}
          - {value: phone, label: {en: Phone, cy: Ffôn}}
      - id: tools
        type: multiple_choice
        required: false
        text: {en: Tools, cy: Offer}
        options:
          - {value: email, label: {en: Email, cy: E-bost}}
          - {value: chat, label: {en: Chat, cy: Sgwrs}}
  - id: p2
    title: {en: Phone only, cy: Ffôn yn unig}
    questions:
      - id: battery
        type: yes_no
        show_if: {question: device, equals: phone}
        text: {en: Battery lasts, cy: Batri'n para}
      - id: charger
        type: yes_no
        show_if: {question: battery, equals: "no"}
        text: {en: Charger at work, cy: Gwefrydd yn y gwaith}
  - id: p3
    title: {en: Chat, cy: Sgwrs}
    questions:
      - id: chat_rating
        type: scale
        show_if: {question: tools, in: [chat]}
        scale: {min: 1, max: 5, labels: {1: {en: Bad, cy: Gwael}, 5: {en: Good, cy: Da}}}
        text: {en: Chat is good, cy: Sgwrs yn dda}
  - id: p4
    title: {en: End, cy: Diwedd}
    questions:
      - id: comments
        type: text
        required: false
        text: {en: Comments, cy: Sylwadau}
"""


@pytest.fixture(scope="module")
def q():
    return parse(YAML)


def ids(pages):
    return [p.id for p in pages]


def test_pages_shown_follow_the_answers(q):
    assert ids(journey.visible_pages(q, {})) == ["p1", "p4"]
    assert ids(journey.visible_pages(q, {"device": "phone"})) == ["p1", "p2", "p4"]
    assert ids(journey.visible_pages(q, {"device": "laptop", "tools": '["email", "chat"]'})) == ["p1", "p3", "p4"]


def test_a_chain_of_show_if_rules_hides_everything_after_a_hidden_link(q):
    answers = {"device": "phone", "battery": "no", "charger": "yes"}
    assert [i.id for i in journey.visible_items(q, q.page("p2"), answers)] == ["battery", "charger"]
    # switching to a laptop hides "battery", so "charger" goes too, though its rule still matches
    changed = {**answers, "device": "laptop"}
    assert journey.visible_items(q, q.page("p2"), changed) == []
    assert sorted(journey.hidden_answers(q, changed)) == ["battery", "charger"]
    assert journey.hidden_answers(q, {**changed, "ghost": "1"}) == ["battery", "charger", "ghost"]


def test_continue_and_back_skip_hidden_pages(q):
    assert journey.next_page(q, {}, None).id == "p1"
    assert journey.next_page(q, {"device": "laptop"}, "p1").id == "p4"
    assert journey.next_page(q, {"device": "phone"}, "p1").id == "p2"
    assert journey.next_page(q, {}, "p4") is journey.CHECK
    assert journey.previous_page(q, {"device": "laptop"}, "p4").id == "p1"
    assert journey.previous_page(q, {}, "p1") is None
    assert journey.previous_page(q, {}, None).id == "p4"  # from the check page
    assert journey.page_position(q, {"device": "phone"}, "p4") == (3, 3)
    assert journey.page_position(q, {}, "p4") == (2, 2)


def test_required_answers_count_only_when_shown(q):
    assert [i.id for i in journey.unanswered_required(q, {})] == ["device"]
    assert [i.id for i in journey.unanswered_required(q, {"device": "phone"})] == ["battery"]
    assert [i.id for i in journey.unanswered_required(q, {"device": "phone", "battery": "no"})] == ["charger"]
    assert journey.unanswered_required(q, {"device": "laptop", "tools": '["chat"]'})[0].id == "chat_rating"


def test_resume_after_the_last_page_done_or_at_a_page_still_missing_answers(q):
    assert journey.resume_page(q, {}, None).id == "p1"
    assert journey.resume_page(q, {"device": "phone"}, "p1").id == "p2"
    assert journey.resume_page(q, {"device": "laptop"}, "p1").id == "p4"
    assert journey.resume_page(q, {"device": "laptop"}, "p4") is journey.CHECK
    # an answer changed later made an earlier page need answers again
    assert journey.resume_page(q, {"device": "phone"}, "p4").id == "p2"


def test_a_scale_labelled_at_its_ends_shows_numbers_between(q, app):
    from flask_babel import force_locale

    from survey_app.respond.display import choices

    with app.test_request_context("/"), force_locale("cy"):
        assert choices(q.item("chat_rating"), "cy") == [
            ("1", "1 – Gwael"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5 – Da")]
        assert choices(q.item("battery"), "cy") == [("yes", "Ie"), ("no", "Na")]
