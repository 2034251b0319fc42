"""Submitting a response already submitted (a double click, a retry after the commit went
through, a second tab or device) ends on the confirmation, not "already answered"."""
from __future__ import annotations

from survey_app.extensions import db
from survey_app.models import Response
from tests.respond.helpers import answer_all, form_fields, submit


def test_submitting_again_shows_the_confirmation(client, respondent, new_client):
    other_tab = new_client()
    answer_all(client, respondent)
    old_check = form_fields(client.get(respondent.url + "/check").get_data(as_text=True))
    assert submit(client, respondent).headers["Location"].endswith("/done")
    db.session.expire_all()
    first = db.session.execute(db.select(Response.submitted_at)).scalar_one()
    again = client.post(respondent.url + "/check", data=old_check)  # a double click, a retry
    assert again.status_code == 302 and again.headers["Location"].endswith("/done")
    elsewhere = other_tab.post(respondent.url + "/check", data={})  # another session, no form
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"].endswith("/done")
    assert "Your response has been submitted" in client.get(respondent.url + "/done").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.execute(db.select(Response.status, Response.submitted_at)).one() == ("submitted", first)
