"""Two contributors changing the same answer at once: the later one is told who changed
it, sees the current answer beside their own, and nothing is lost silently; the other
statements of the same save are stored. On SQLite and PostgreSQL through the test client."""
from __future__ import annotations

from datetime import date
from html import unescape

from tests.maturity.helpers import edit, fill, form_fields, statement_text, stored, text_of


def test_the_later_of_two_edits_is_told_and_keeps_their_answer(client, lead, contributor, new_client):
    sam, alex = client, new_client()
    edit(sam, lead, {"VL1.1": "no"}, {"VL1.1": "Draft strategy only"})
    seen_by_sam = sam.get(lead.function()).text
    seen_by_alex = alex.get(contributor.function()).text
    assert edit(sam, lead, {"VL1.1": "yes"}, {"VL1.1": "Strategy adopted"}, page=seen_by_sam).status_code == 302
    late = edit(alex, contributor, {"VL1.1": "no", "VL2.1": "yes"}, {"VL1.1": "Still a draft, I think"},
                page=seen_by_alex)
    assert late.status_code == 409
    html, words = late.text, text_of(late.text)
    statement = statement_text(lead.campaign, "VL1.1")
    summary = f'<a href="#answer-VL1-1">‘{statement}’ was changed by Sam Lead while you were working on it</a>'
    assert summary in unescape(html)
    assert "Sam Lead changed this answer while you were working on it. What you chose here has not been saved" in words
    # the current answer, who changed it and when
    assert "The saved answer is now ‘Yes’." in words and "The saved note is now: ‘Strategy adopted’" in words
    assert f"Last changed by Sam Lead, {date.today().day} {date.today():%B %Y}" in words
    # their own attempt is what the form now holds
    assert 'id="answer-VL1-1-2" name="answer-VL1-1" type="radio" value="no" checked' in html
    assert ">Still a draft, I think</textarea>" in html
    lead_id, alex_id = lead.contributor.participant_id, contributor.contributor.participant_id
    # the other statement of the same save is stored; the clash is not
    assert stored(lead.campaign) == {"VL1.1": ("yes", "Strategy adopted", 2, lead_id),
                                     "VL2.1": ("yes", None, 1, alex_id)}
    # saving the page as it came back replaces Sam's answer, knowingly
    again = alex.post(contributor.function(), data=fill(html))
    assert again.status_code == 302
    assert stored(lead.campaign)["VL1.1"] == ("no", "Still a draft, I think", 3, alex_id)


def test_two_first_answers_to_the_same_statement(client, lead, contributor, new_client):
    alex = new_client()
    seen_by_sam, seen_by_alex = client.get(lead.function()).text, alex.get(contributor.function()).text
    assert edit(client, lead, {"VL3.2": "yes"}, page=seen_by_sam).status_code == 302
    late = edit(alex, contributor, {"VL3.2": "no"}, page=seen_by_alex)
    assert late.status_code == 409 and "was changed by Sam Lead while you were working on it" in text_of(late.text)
    assert stored(lead.campaign)["VL3.2"][:3] == ("yes", None, 1)


def test_the_same_answer_from_both_is_no_conflict(client, lead, contributor, new_client):
    alex = new_client()
    seen_by_sam, seen_by_alex = client.get(lead.function()).text, alex.get(contributor.function()).text
    assert edit(client, lead, {"VL1.1": "yes"}, page=seen_by_sam).status_code == 302
    assert edit(alex, contributor, {"VL1.1": "yes"}, page=seen_by_alex).status_code == 302
    assert stored(lead.campaign)["VL1.1"] == ("yes", None, 1, lead.contributor.participant_id)


def test_a_statement_someone_else_changed_is_left_alone_when_not_touched(client, lead, contributor, new_client):
    alex = new_client()
    seen_by_alex = alex.get(contributor.function()).text
    assert edit(client, lead, {"VL1.1": "yes"}, {"VL1.2": "Sam's note"}).status_code == 302
    # Alex's page still shows VL1.1 unanswered and no note on VL1.2: sending it back unchanged overwrites nothing
    assert edit(alex, contributor, {"VL5.1": "no"}, page=seen_by_alex).status_code == 302
    data = stored(lead.campaign)
    assert data["VL1.1"][:3] == ("yes", None, 1) and data["VL1.2"][:3] == (None, "Sam's note", 1)
    assert data["VL5.1"][:3] == ("no", None, 1)


def test_the_same_person_in_two_tabs(client, lead):
    first, second = client.get(lead.function()).text, client.get(lead.function()).text
    assert edit(client, lead, {"VL1.1": "yes"}, page=first).status_code == 302
    late = edit(client, lead, {"VL1.1": "no"}, page=second)
    assert late.status_code == 409
    assert "You changed this answer in another window or on another device while this page was open" in (
        text_of(late.text))


def test_a_language_switch_saves_and_tells_of_a_conflict_in_the_new_language(client, lead, contributor, new_client):
    alex = new_client()
    seen_by_alex = alex.get(contributor.function()).text
    edit(client, lead, {"VL1.1": "yes"})
    late = alex.post(contributor.function(), data=fill(seen_by_alex, {"VL1.1": "no", "VL1.2": "yes"},
                                                       action="language-cy"))
    assert late.status_code == 409 and '<html lang="cy"' in late.text
    assert "Newidiodd Sam Lead yr ateb hwn tra oeddech chi'n gweithio arno" in text_of(late.text)
    assert stored(lead.campaign)["VL1.2"][:3] == ("yes", None, 1)
    assert form_fields(late.text)["answer-VL1-1"] == "no"
