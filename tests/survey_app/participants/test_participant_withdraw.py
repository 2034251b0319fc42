"""Withdrawing people who have left: by email hash, their waiting mail cancelled."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest

from survey_app.extensions import db
from survey_app.models import OutboxMessage, Participant
from survey_app.participants.operations import withdraw_participants
from survey_app.participants.reports import ParticipantFileError
from tests.factories import make_campaign, make_participant

NOW = datetime(2030, 3, 5, 10, tzinfo=timezone.utc)


def campaign_with(*emails):
    campaign = make_campaign(opens=date(2030, 3, 4), now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    return campaign, [make_participant(campaign, email=e) for e in emails]


def run(app, campaign, data: bytes, **options):
    return withdraw_participants(campaign, io.BytesIO(data), hash_key=app.config["EMAIL_HASH_KEY"],
                                 source="left.csv", now=NOW, **options)


def test_withdraws_by_hash_and_reports_each_line(app):
    campaign, (ann, bob, cat) = campaign_with("ann@example.org", "bob@example.org", "cat@example.org")
    db.session.get(Participant, cat.id).status = "withdrawn"
    db.session.add(OutboxMessage(campaign_id=campaign.id, participant_id=ann.id, kind="invitation", language="en",
                                 due_at=NOW, next_attempt_at=NOW, status="pending"))
    db.session.add(OutboxMessage(campaign_id=campaign.id, participant_id=bob.id, kind="invitation", language="en",
                                 due_at=NOW, next_attempt_at=NOW, status="sent"))
    db.session.commit()
    data = (b"Email,Reason\n ANN@example.org ,left\nbob@example.org,retired\ncat@example.org,\n"
            b"nobody@example.org,\nnot an address,\nann@example.org,again\n")
    report = run(app, campaign, data)
    db.session.commit()
    assert (report.rows, report.withdrawn, report.already_withdrawn) == (6, 2, 1)
    assert report.not_found == [5]
    assert [(d.line, d.first_line) for d in report.duplicates] == [(7, 2)]
    assert [str(r) for r in report.rejected] == ["Line 6: The email address has a space in it."]
    db.session.expire_all()
    assert {p.email: (p.status, p.withdrawn_at) for p in db.session.execute(db.select(Participant)).scalars()} == {
        "ann@example.org": ("withdrawn", NOW), "bob@example.org": ("withdrawn", NOW),
        "cat@example.org": ("withdrawn", None)}
    statuses = {m.participant_id: (m.status, m.last_error) for m in db.session.execute(db.select(OutboxMessage)).scalars()}
    assert statuses == {ann.id: ("cancelled", "The participant was withdrawn."), bob.id: ("sent", None)}


def test_all_or_nothing_withdraws_nobody_when_a_row_is_rejected(app):
    campaign, _people = campaign_with("ann@example.org", "bob@example.org")
    with pytest.raises(ParticipantFileError, match="Nobody was withdrawn, because the withdrawal was all or nothing") as caught:
        run(app, campaign, b"email\nann@example.org\n=bad\nbob@example.org\n", all_or_nothing=True, batch_size=1)
    db.session.rollback()
    assert [str(r) for r in caught.value.report.rejected] == [
        "Line 3: The ‘email’ column starts with ‘=’, which a spreadsheet would run as a formula."]
    db.session.expire_all()
    assert {p.status for p in db.session.execute(db.select(Participant)).scalars()} == {"active"}


def test_a_withdrawal_file_needs_an_email_column(app):
    campaign, _people = campaign_with("ann@example.org")
    with pytest.raises(ParticipantFileError, match="no ‘email’ column"):
        run(app, campaign, b"name\nAnn\n")
