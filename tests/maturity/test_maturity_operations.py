"""The return's operations on their own: submitting once and only by the lead, nothing
saved once submitted, and the return created once however many ask at the same moment."""
from __future__ import annotations

from datetime import timedelta

import pytest

from survey_app.extensions import db
from survey_app.maturity import operations
from survey_app.models import MaturityReturn
from survey_app.models.types import utcnow
from tests.maturity.helpers import stored


def test_submitting_again_changes_nothing(lead):
    first = utcnow()
    submitted = operations.submit_return(lead.campaign, lead.contributor, first)
    db.session.commit()
    again = operations.submit_return(lead.campaign, lead.contributor, first + timedelta(minutes=5))
    db.session.commit()
    assert again.id == submitted.id and again.submitted_at == first
    assert (again.status, again.submitted_by_id) == ("submitted", lead.contributor.participant_id)


def test_only_the_lead_submits(lead, contributor):
    with pytest.raises(operations.NotTheLead):
        operations.submit_return(lead.campaign, contributor.contributor, utcnow())
    db.session.rollback()
    assert db.session.scalar(db.select(MaturityReturn.status)) in (None, "draft")


def test_nothing_is_saved_once_submitted(lead, contributor):
    operations.submit_return(lead.campaign, lead.contributor, utcnow())
    db.session.commit()
    with pytest.raises(operations.ReturnSubmitted):
        operations.save_answers(lead.campaign, contributor.contributor, {"VL1.1": ("yes", None, None)}, utcnow())
    db.session.rollback()
    assert stored(lead.campaign) == {}


def test_a_note_before_the_answer(lead):
    now = utcnow()
    note_only = {"VL1.1": (None, "Asking finance", None)}
    assert operations.save_answers(lead.campaign, lead.contributor, note_only, now) == []
    assert operations.save_answers(lead.campaign, lead.contributor, {"VL1.2": (None, None, None)}, now) == []
    db.session.commit()
    assert stored(lead.campaign) == {"VL1.1": (None, "Asking finance", 1, lead.contributor.participant_id)}


def test_the_return_is_created_once(lead):
    one = operations.return_of(lead.campaign)
    two = operations.return_of(lead.campaign)
    db.session.commit()
    assert one.id == two.id and (one.status, one.source) == ("draft", "web")
    assert db.session.scalar(db.select(db.func.count()).select_from(MaturityReturn)) == 1
