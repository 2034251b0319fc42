"""The SMTP server refusing connections, saying 421 then recovering, refusing one
recipient with 550, or failing for days: exact counts received, nothing lost or doubled."""
from __future__ import annotations

from datetime import timedelta

from tests.mailer.mailtools import SmtpRecorder, free_port, fresh, local, mail_pass, outbox_rows, people, \
    scheduled_campaign, start_smtp

from survey_app.models import Participant

MONDAY = local(2030, 3, 4, 9)


def test_connection_refused_then_the_server_comes_back(app, monkeypatch):
    campaign = scheduled_campaign()
    people(campaign, "en", "cy", None)
    port = free_port()  # nothing listens here yet
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    first = mail_pass(app, MONDAY)["send_outbox"]
    assert first.sent == 0 and first.retrying == 1 and "ConnectionRefusedError" in first.stopped
    rows = outbox_rows()
    assert [r.status for r in rows] == ["pending"] * 3
    assert [r.attempts for r in rows] == [1, 0, 0]  # the two not tried are not counted as tries
    assert {r.next_attempt_at for r in rows} == {MONDAY + timedelta(minutes=1)}

    recorder = SmtpRecorder()
    controller = start_smtp(recorder, port)
    try:
        assert mail_pass(app, MONDAY + timedelta(seconds=30))["send_outbox"].sent == 0  # backing off
        assert mail_pass(app, MONDAY + timedelta(minutes=1))["send_outbox"].sent == 3
        assert recorder.count == 3 and len(set(recorder.recipients())) == 3
        mail_pass(app, MONDAY + timedelta(minutes=30))
        assert recorder.count == 3
    finally:
        controller.stop()


def test_nothing_is_lost_when_the_server_is_down_for_an_hour(app, monkeypatch):
    campaign = scheduled_campaign()
    people(campaign, *[None] * 6)
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    for minute in range(0, 61):  # the scheduler runs every minute while the server is down
        assert mail_pass(app, MONDAY + timedelta(minutes=minute))["send_outbox"].sent == 0
    first = outbox_rows()[0]
    # backing off: tried at 0, 1, 3, 7, 15, 31 minutes, then every 30 minutes (at 61)
    assert first.attempts == 6 and first.next_attempt_at == MONDAY + timedelta(minutes=61)
    recorder = SmtpRecorder()
    controller = start_smtp(recorder, port)
    try:
        for minute in range(61, 92):
            mail_pass(app, MONDAY + timedelta(minutes=minute))
        assert recorder.count == 6 and len(set(recorder.recipients())) == 6
        assert [r.status for r in outbox_rows()] == ["sent"] * 6
    finally:
        controller.stop()


def test_421_twice_then_the_server_recovers(app, smtp):
    campaign = scheduled_campaign()
    people(campaign, *[None] * 4)
    smtp.fail_mail_times = 2
    assert mail_pass(app, MONDAY)["send_outbox"].sent == 0
    assert smtp.count == 0
    assert mail_pass(app, MONDAY + timedelta(minutes=1))["send_outbox"].sent == 0
    assert smtp.count == 0
    assert "421" in outbox_rows()[0].last_error
    assert mail_pass(app, MONDAY + timedelta(minutes=2))["send_outbox"].sent == 0  # backing off: 2 minutes
    assert mail_pass(app, MONDAY + timedelta(minutes=3))["send_outbox"].sent == 4
    assert smtp.count == 4 and len(set(smtp.recipients())) == 4
    assert smtp.transactions == 6  # two refused, then one per message


def test_550_for_one_recipient_bounces_them_and_only_them(app, smtp):
    campaign = scheduled_campaign()
    ok1, gone, ok2 = people(campaign, None, None, None)
    smtp.refuse[gone.email] = f"550 5.1.1 <{gone.email}>: Recipient address rejected: User unknown"
    result = mail_pass(app, MONDAY)["send_outbox"]
    assert (result.sent, result.bounced) == (2, 1)
    assert sorted(smtp.recipients()) == sorted([ok1.email, ok2.email])
    bounced = fresh(Participant, gone.id)
    assert bounced.status == "bounced" and bounced.bounced_at == MONDAY
    (row,) = outbox_rows(participant_id=gone.id)
    assert row.status == "failed" and row.last_error.startswith("550 5.1.1 <[address]>: Recipient address rejected")
    assert gone.email not in row.last_error
    # no reminders to a bounced address, the others still get theirs
    mail_pass(app, local(2030, 3, 11, 9))
    assert smtp.count == 4 and len(smtp.to(gone.email)) == 0


def test_a_temporary_refusal_for_one_recipient_is_retried_alone(app, smtp):
    campaign = scheduled_campaign()
    busy, other = people(campaign, None, None)
    smtp.refuse[busy.email] = "450 4.2.1 Mailbox busy, try later"
    result = mail_pass(app, MONDAY)["send_outbox"]
    assert (result.sent, result.retrying) == (1, 1) and smtp.recipients() == [other.email]
    del smtp.refuse[busy.email]
    assert mail_pass(app, MONDAY + timedelta(minutes=1))["send_outbox"].sent == 1
    assert smtp.recipients() == [other.email, busy.email]
    assert fresh(Participant, busy.id).status == "active"


def test_a_message_failing_for_three_days_is_given_up(app, smtp):
    campaign = scheduled_campaign()
    (person,) = people(campaign, None)
    smtp.refuse[person.email] = "451 4.3.0 Temporary local problem"
    mail_pass(app, MONDAY)
    (row,) = outbox_rows()
    assert row.status == "pending"
    # due at the opening (Monday 00:00); three days later it is given up
    result = mail_pass(app, local(2030, 3, 7, 9))["send_outbox"]
    assert result.failed == 1
    (row,) = outbox_rows()
    assert row.status == "failed" and row.last_error.startswith("451")
    assert smtp.count == 0
