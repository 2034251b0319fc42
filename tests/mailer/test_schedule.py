"""Invitations and reminders over a campaign's four weeks, driven by an explicit clock,
received by a real SMTP server (both databases)."""
from __future__ import annotations

import io

from tests.factories import make_participant
from tests.mailer.mailtools import answer, fresh, local, mail_pass, outbox_rows, people, scheduled_campaign

from survey_app.extensions import db
from survey_app.models import Campaign, Participant
from survey_app.participants.operations import import_participants
from survey_app.reminders.operations import stop_reminders


def test_one_invitation_per_unique_participant(app, smtp):
    campaign = scheduled_campaign()
    csv = (b"email,language\nann@example.org,en\nbob@example.org,cy\nANN@example.org ,\n"
           b"cat@example.org,\nbob@example.org,en\ndan@example.org,\neve@example.org,\n")
    report = import_participants(campaign, io.BytesIO(csv), hash_key=app.config["EMAIL_HASH_KEY"],
                                 now=local(2030, 2, 1))
    db.session.commit()
    assert report.added == 5 and len(report.duplicates) == 2

    first = mail_pass(app, local(2030, 3, 4, 9))
    assert first["open_campaigns"] == 1
    assert first["plan_messages"].invitations == 5
    assert smtp.count == 5
    assert sorted(smtp.recipients()) == sorted(f"{n}@example.org" for n in ("ann", "bob", "cat", "dan", "eve"))

    # planning and sending again changes nothing
    again = mail_pass(app, local(2030, 3, 4, 10))
    assert again["plan_messages"].invitations == 0 and again["send_outbox"].sent == 0
    assert smtp.count == 5
    assert [r.status for r in outbox_rows()] == ["sent"] * 5


def test_invitation_waits_for_the_opening_and_the_sending_window(app, smtp):
    campaign = scheduled_campaign()
    people(campaign, "en", "cy")
    assert mail_pass(app, local(2030, 3, 3, 12))["plan_messages"].invitations == 0  # Sunday: not open yet
    early = mail_pass(app, local(2030, 3, 4, 6))  # open, but before 08:00
    assert early["plan_messages"].invitations == 2 and early["send_outbox"].outside_window
    assert smtp.count == 0
    mail_pass(app, local(2030, 3, 4, 8, 0))
    assert smtp.count == 2
    assert fresh(Campaign, campaign.id).status == "open"


def test_reminders_only_to_non_finishers_on_the_right_days(app, smtp):
    campaign = scheduled_campaign()
    done, started, silent, stopped = people(campaign, "en", "en", "en", "en")
    counts = {}

    def run(label, *when):
        before = smtp.count
        mail_pass(app, local(*when))
        counts[label] = smtp.count - before

    run("invitations", 2030, 3, 4, 9)
    answer(done, "submitted", local(2030, 3, 5, 12))
    answer(started, "partial", local(2030, 3, 6, 12))
    stop_reminders(db.session.get(Participant, stopped.id), local(2030, 3, 6, 13))
    db.session.commit()
    run("thursday", 2030, 3, 7, 9)
    run("day 7 before the window", 2030, 3, 11, 7, 30)
    run("day 7", 2030, 3, 11, 9)
    run("day 7 later", 2030, 3, 11, 15)
    answer(silent, "submitted", local(2030, 3, 12, 20))
    run("day 14", 2030, 3, 18, 9)
    run("day 21", 2030, 3, 25, 9)
    # the last reminder is due on Saturday 30 March (two days before the close): the window
    # is closed at weekends, so it goes on the Friday before
    run("friday before the close", 2030, 3, 29, 9)
    run("after the close", 2030, 4, 1, 9)
    assert counts == {"invitations": 4, "thursday": 0, "day 7 before the window": 0, "day 7": 2, "day 7 later": 0,
                      "day 14": 1, "day 21": 1, "friday before the close": 1, "after the close": 0}

    to_started = smtp.to(started.email)
    assert [r.subject for r in to_started] == [
        "Have your say: ICT User Satisfaction Survey",
        "Reminder: carry on with the ICT User Satisfaction Survey",
        "Reminder: carry on with the ICT User Satisfaction Survey",
        "Reminder: carry on with the ICT User Satisfaction Survey",
        "Last reminder: ICT User Satisfaction Survey",
    ]
    assert "Carry on where you left off, using your personal link:" in to_started[1].text
    assert "You have started the ICT User Satisfaction Survey" in to_started[1].text
    to_silent = smtp.to(silent.email)
    assert [r.subject for r in to_silent] == ["Have your say: ICT User Satisfaction Survey",
                                              "Reminder: ICT User Satisfaction Survey"]
    assert "Start the survey using your personal link:" in to_silent[1].text
    assert "You have not yet answered" in to_silent[1].text
    assert len(smtp.to(done.email)) == 1 and len(smtp.to(stopped.email)) == 1
    assert fresh(Campaign, campaign.id).status == "closed"


def test_a_reminder_planned_earlier_is_not_sent_to_someone_who_answered_since(app, smtp):
    campaign = scheduled_campaign()
    (person,) = people(campaign, "en")
    mail_pass(app, local(2030, 3, 4, 9))
    planned = mail_pass(app, local(2030, 3, 11, 7))  # planned, but before the window opens
    assert planned["plan_messages"].reminders == 1
    answer(person, "submitted", local(2030, 3, 11, 7, 30))
    result = mail_pass(app, local(2030, 3, 11, 9))
    assert result["send_outbox"].cancelled == 1 and smtp.count == 1
    (reminder,) = outbox_rows(kind="reminder_7")
    assert reminder.status == "cancelled" and reminder.last_error == "The participant has already answered."


def test_nothing_to_withdrawn_bounced_or_opted_out_people(app, smtp):
    campaign = scheduled_campaign()
    active, withdrawn, bounced, opted_out = people(campaign, None, None, None, None)
    mail_pass(app, local(2030, 3, 4, 9))
    assert smtp.count == 4
    for participant, change in ((withdrawn, {"status": "withdrawn", "withdrawn_at": local(2030, 3, 5)}),
                                (bounced, {"status": "bounced", "bounced_at": local(2030, 3, 5)}),
                                (opted_out, {"opted_out_at": local(2030, 3, 5)})):
        row = db.session.get(Participant, participant.id)
        for key, value in change.items():
            setattr(row, key, value)
    db.session.commit()
    mail_pass(app, local(2030, 3, 11, 9))
    assert smtp.count == 5 and smtp.recipients()[-1] == active.email


def test_people_imported_late_are_invited_then_reminded_after_a_gap(app, smtp):
    campaign = scheduled_campaign()
    people(campaign, "en")
    mail_pass(app, local(2030, 3, 4, 9))
    late = make_participant(campaign, email="late@example.org", created_at=local(2030, 3, 9, 12))  # a Saturday
    # Monday 11 March: everyone else's first reminder, the late person's invitation; a
    # minute later their invitation is too recent for that reminder
    mail_pass(app, local(2030, 3, 11, 8))
    mail_pass(app, local(2030, 3, 11, 8, 1))
    assert [r.subject for r in smtp.to(late.email)] == ["Have your say: ICT User Satisfaction Survey"]
    assert len(smtp.to("person1@example.org")) == 2
    mail_pass(app, local(2030, 3, 18, 9))
    assert [r.subject for r in smtp.to(late.email)][-1] == "Reminder: ICT User Satisfaction Survey"


def test_a_scheduler_away_for_a_week_sends_one_reminder_not_two(app, smtp):
    campaign = scheduled_campaign()
    people(campaign, "en", "en")
    mail_pass(app, local(2030, 3, 4, 9))
    mail_pass(app, local(2030, 3, 11, 7))  # reminder_7 planned before the window, then nothing runs
    assert len(outbox_rows(kind="reminder_7", status="pending")) == 2
    result = mail_pass(app, local(2030, 3, 18, 9))
    assert result["plan_messages"].superseded == 2 and result["send_outbox"].sent == 2
    assert smtp.count == 4
    assert {r.status for r in outbox_rows(kind="reminder_7")} == {"cancelled"}
    assert {r.status for r in outbox_rows(kind="reminder_14")} == {"sent"}


def test_no_mail_after_close_and_waiting_mail_is_cancelled(app, smtp):
    campaign = scheduled_campaign()
    people(campaign, "en", "en")
    mail_pass(app, local(2030, 3, 4, 9))
    mail_pass(app, local(2030, 3, 25, 7))  # the third reminder is planned but not yet sent
    assert len(outbox_rows(kind="reminder_21", status="pending")) == 2
    result = mail_pass(app, local(2030, 4, 1, 9))
    assert result["close_campaigns"] == 1 and result["send_outbox"].sent == 0
    assert result["plan_messages"].reminders == 0
    assert smtp.count == 2
    assert {(r.status, r.last_error) for r in outbox_rows(kind="reminder_21")} == {
        ("cancelled", "The campaign closed before this message was sent.")}
    closed = fresh(Campaign, campaign.id)
    assert closed.status == "closed" and closed.closed_at == closed.closes_at


def test_plain_addresses_are_erased_after_the_grace_period(app, smtp):
    campaign = scheduled_campaign()
    (person,) = people(campaign, "en")
    mail_pass(app, local(2030, 4, 2, 9))  # closes (closed_at = 1 April 00:00 BST)
    assert mail_pass(app, local(2030, 4, 30, 9))["erase_emails"] == 0  # 29 days later
    assert fresh(Participant, person.id).email == "person1@example.org"
    assert mail_pass(app, local(2030, 5, 1, 1))["erase_emails"] == 1  # 30 days later
    erased = fresh(Participant, person.id)
    assert erased.email is None and len(erased.email_hash) == 64
    assert fresh(Campaign, campaign.id).emails_erased_at is not None
    assert mail_pass(app, local(2030, 5, 2, 9))["erase_emails"] == 0


def test_messages_rendered_once_per_batch_carry_each_persons_own_links(app, smtp):
    """The wording is rendered once per batch and the links put in per person: every
    message has its own participant's links and no other's."""
    from survey_app.links import respond_url, stop_reminders_url

    campaign = scheduled_campaign()
    folk = people(campaign, "en", "en", "cy", None, "en")
    started = folk[1]
    answer(started, "partial", local(2030, 3, 4, 8))
    mail_pass(app, local(2030, 3, 4, 9))
    assert smtp.count == len(folk)
    secret, base = app.config["SECRET_KEY"], app.config["BASE_URL"]
    links = {p.email: (respond_url(p.id, secret, base), stop_reminders_url(p.id, secret, base)) for p in folk}
    for person in folk:
        [message] = smtp.to(person.email)
        mine = links[person.email]
        for part in (message.text, message.html):
            assert mine[0] in part and mine[1] in part
            assert not any(link in part for email, pair in links.items() if email != person.email for link in pair)
            assert "link.invalid" not in part
        assert f"<{mine[1]}>" in message.message["List-Unsubscribe"]
