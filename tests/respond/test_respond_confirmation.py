"""Submitting a response already submitted (a double click, a retry after the commit went
through, a second tab or device) ends on the confirmation, not "already answered"."""
from __future__ import annotations

from survey_app.extensions import db
from survey_app.models import Answer, QueuedSubmission, Response
from tests import stored
from tests.respond.helpers import answer_all, form_fields, submit, submitted_once


def test_submitting_again_shows_the_confirmation(client, respondent, new_client):
    other_tab = new_client()
    answer_all(client, respondent)
    old_check = form_fields(client.get(respondent.url + "/check").get_data(as_text=True))
    assert submit(client, respondent).headers["Location"].endswith("/done")
    first = submitted_once(respondent.participant)
    sealed = db.session.execute(db.select(QueuedSubmission.sealed)).scalar_one()
    again = client.post(respondent.url + "/check", data=old_check)  # a double click, a retry
    assert again.status_code == 302 and again.headers["Location"].endswith("/done")
    elsewhere = other_tab.post(respondent.url + "/check", data={})  # another session, no form
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"].endswith("/done")
    assert "Your response has been submitted" in client.get(respondent.url + "/done").get_data(as_text=True)
    assert submitted_once(respondent.participant) == first  # still one, the same
    assert db.session.execute(db.select(QueuedSubmission.sealed)).scalar_one() == sealed  # not sealed again


def test_after_submitting_nothing_of_the_response_is_left_beside_the_sealed_queue_row(client, make_respondent):
    """The partial response and its answers are deleted; the queue row keeps the day and
    the campaign readable, and not one answer (nor the list's values) in the clear."""
    respondent = make_respondent(attributes={"department": "Housing"})
    answer_all(client, respondent)
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 47  # the partial, before
    assert submit(client, respondent).headers["Location"].endswith("/done")
    submitted_once(respondent.participant)
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
    row = db.session.execute(db.select(QueuedSubmission)).scalar_one()
    sealed = bytes(row.sealed)
    opened = stored.the_submission().answers
    assert opened["comments"] == "Faster laptops, please.\nAnd Wi-Fi in the depot." and len(opened) == 47
    assert stored.the_submission().attributes == {"department": "Housing"}
    for text in ("Housing", "department", "Faster laptops", "Wi-Fi", "depot", "laptop", "hybrid", "manager", "dont_know",
                 "not_applicable", "sat_S1", "imp_S20", "comments", "device"):
        assert text.encode() not in sealed, text
        assert text.encode("utf-16-le") not in sealed, text
    for key in (b'"answers"', b'"language"', b'"attributes"'):  # not even the payload's shape
        assert key not in sealed


def test_a_second_submit_after_a_successful_one_changes_nothing(client, respondent, new_client):
    answer_all(client, respondent)
    check = form_fields(client.get(respondent.url + "/check").get_data(as_text=True))
    assert submit(client, respondent).headers["Location"].endswith("/done")
    before = submitted_once(respondent.participant)
    row_before = db.session.execute(db.select(QueuedSubmission.id, QueuedSubmission.sealed)).one()
    for who in (client, new_client()):
        again = who.post(respondent.url + "/check", data=check if who is client else {})
        assert again.status_code == 302 and again.headers["Location"].endswith("/done")
    assert submitted_once(respondent.participant) == before
    assert db.session.execute(db.select(QueuedSubmission.id, QueuedSubmission.sealed)).one() == row_before
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0  # no new partial either
