"""An organisation's return (the Digital Maturity Assessment) by mail, received by a real
SMTP server (both databases): its lead and contributors are invited, each with their own
link and wording, a contributor added later is invited too, everyone is reminded while
the return is a draft, and nobody once the lead has submitted it."""
from __future__ import annotations

from questionnaires import available
from survey_app.dashboard.return_progress import contributors_of
from survey_app.extensions import db
from survey_app.links import respond_url, stop_reminders_url
from survey_app.maturity.setup import Lead
from survey_app.models import Campaign
from tests.factories import make_campaign, make_org
from tests.mailer.mailtools import BEFORE_OPENING, OPENS, local, mail_pass, outbox_rows, people
from tests.return_setup import add_contributors, lead_of, make_return_campaign, submit

RETURN_SUBMITTED = "The organisation's return has been submitted."


def title(language: str = "en") -> str:
    return available()["dma"].title.get(language)


def return_campaign(**org):
    """A four-week DMA campaign opening on OPENS (Monday 4 March 2030), made in January,
    with its lead and two contributors."""
    campaign = make_return_campaign(make_org(**org), opens=OPENS, now=BEFORE_OPENING)
    sam, ann = add_contributors(campaign, ("sam@example.org", "Sam Jones", None),
                                ("ann@example.org", "Ann Data", "en"), now=BEFORE_OPENING)
    return campaign, lead_of(campaign), sam, ann


def test_the_lead_and_contributors_are_invited_each_with_their_own_words_and_link(app, smtp):
    campaign, lead, sam, ann = return_campaign()
    result = mail_pass(app, local(2030, 3, 4, 9))
    assert result["plan_messages"].invitations == 3 and smtp.count == 3
    secret, base = app.config["SECRET_KEY"], app.config["BASE_URL"]
    [to_lead] = smtp.to("lead@example.org")
    assert to_lead.subject == f"You are the lead for the {title()}"
    assert f"Test Council is taking part in the {title()}, and you have been named the lead for its return." \
        in to_lead.text
    assert "only you can submit the return" in to_lead.text
    for contributor, address in ((sam, "sam@example.org"), (ann, "ann@example.org")):
        [message] = smtp.to(address)
        assert message.subject == f"Please contribute to the {title()}"
        assert "you have been asked to contribute to its return" in message.text
        assert "The lead checks the answers and submits the return for the organisation." in message.text
        assert "The return must be submitted by the end of Sunday 31 March 2030." in message.text
        for part in (message.text, message.html):
            assert respond_url(contributor.participant_id, secret, base) in part
            assert stop_reminders_url(contributor.participant_id, secret, base) in part
            assert respond_url(lead.participant_id, secret, base) not in part
    assert respond_url(lead.participant_id, secret, base) in to_lead.text
    # the dashboard's list now says so
    assert [(p.name, p.invited) for p in contributors_of(db.session.get(Campaign, campaign.id))] == [
        ("Lee Lead, Digital team", True), ("Sam Jones", True), ("Ann Data", True)]


def test_a_contributor_added_later_is_invited_and_reminded(app, smtp):
    campaign, lead, sam, ann = return_campaign()
    mail_pass(app, local(2030, 3, 4, 9))
    add_contributors(campaign, ("late@example.org", "Lowri Late", None), now=local(2030, 3, 5, 10))
    result = mail_pass(app, local(2030, 3, 5, 11))
    assert result["plan_messages"].invitations == 1
    assert [m.subject for m in smtp.to("late@example.org")] == [f"Please contribute to the {title()}"]
    mail_pass(app, local(2030, 3, 11, 9))  # day 7: the late one was invited six days before
    assert [m.subject for m in smtp.to("late@example.org")][-1] == f"Reminder: {title()}"


def test_reminders_go_to_everyone_while_draft_and_stop_when_the_lead_submits(app, smtp):
    campaign, lead, sam, ann = return_campaign()
    staff = make_campaign(make_org(name="Staff Council"), opens=OPENS, now=BEFORE_OPENING)
    (worker,) = people(staff, "en", prefix="worker")
    mail_pass(app, local(2030, 3, 4, 9))
    assert smtp.count == 4

    result = mail_pass(app, local(2030, 3, 11, 9))  # day 7: the return is a draft
    assert result["plan_messages"].reminders == 4 and result["send_outbox"].sent == 4
    [lead_reminder] = smtp.to("lead@example.org")[1:]
    assert lead_reminder.subject == f"Reminder: {title()}"
    assert ("Test Council has not yet submitted its return for the " + title() + ". Only you, as the lead, "
            "can submit it, once its answers are complete.") in lead_reminder.text
    [sam_reminder] = smtp.to("sam@example.org")[1:]
    assert "Any answers you can still give will help: the lead submits it for the organisation." in sam_reminder.text

    # day 14's reminders are planned before the sending window opens; then the lead submits
    assert mail_pass(app, local(2030, 3, 18, 7))["plan_messages"].reminders == 4
    submit(campaign, lead, local(2030, 3, 18, 7, 30))
    result = mail_pass(app, local(2030, 3, 18, 9))
    assert result["send_outbox"].sent == 1 and result["send_outbox"].cancelled == 3  # the staff survey's goes
    assert {(r.participant.email, r.status, r.last_error) for r in outbox_rows(kind="reminder_14")} == {
        ("lead@example.org", "cancelled", RETURN_SUBMITTED), ("sam@example.org", "cancelled", RETURN_SUBMITTED),
        ("ann@example.org", "cancelled", RETURN_SUBMITTED), ("worker1@example.org", "sent", None)}

    # nor is any later reminder planned for the return; the staff survey's go on
    for moment in (local(2030, 3, 25, 9), local(2030, 3, 29, 9)):
        assert mail_pass(app, moment)["plan_messages"].reminders == 1
    for address in ("lead@example.org", "sam@example.org", "ann@example.org"):
        assert len(smtp.to(address)) == 2, address  # the invitation and day 7's reminder
    assert [m.subject for m in smtp.to(worker.email)] == [
        "Have your say: ICT User Satisfaction Survey", "Reminder: ICT User Satisfaction Survey",
        "Reminder: ICT User Satisfaction Survey", "Reminder: ICT User Satisfaction Survey",
        "Last reminder: ICT User Satisfaction Survey"]
    assert not outbox_rows(kind="final_reminder", campaign_id=campaign.id)


def test_a_welsh_lead_of_a_welsh_organisation_is_written_to_in_welsh_first(app, smtp):
    campaign = make_return_campaign(make_org(type_letter="W", name="Test Council", name_cy="Cyngor Prawf"),
                                    lead=Lead(email="arweinydd@example.org", name="Alaw", language="cy"),
                                    opens=OPENS, now=BEFORE_OPENING)
    mail_pass(app, local(2030, 3, 4, 9))
    [message] = smtp.to("arweinydd@example.org")
    assert message.subject == f"Chi yw'r arweinydd ar gyfer yr {title('cy')} / You are the lead for the {title()}"
    welsh, english = message.text.split("-" * 60)
    assert (f"Mae Cyngor Prawf yn cymryd rhan yn yr {title('cy')}, ac rydych chi wedi cael eich enwi'n arweinydd "
            "ar gyfer ei ffurflen.") in welsh
    assert "Rhaid cyflwyno'r ffurflen erbyn diwedd dydd Sul 31 Mawrth 2030." in welsh
    assert "you have been named the lead for its return" in english
    assert message.message["Content-Language"] == "cy, en"
    assert lead_of(campaign).name == "Alaw"


def test_a_staff_surveys_mail_never_reads_the_return_tables(app, smtp):
    """The check that ends a return's reminders costs a staff survey nothing: planning and
    sending its invitations and reminders run no statement on the return's tables, and
    a return's run the check."""
    import sqlalchemy as sa

    staff = make_campaign(make_org(name="Staff Council"), opens=OPENS, now=BEFORE_OPENING)
    people(staff, "en", "cy", None, prefix="worker")
    statements: list[str] = []

    def note(_conn, _cursor, sql, *_args):
        statements.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        mail_pass(app, local(2030, 3, 4, 9))
        mail_pass(app, local(2030, 3, 11, 9))
        assert smtp.count == 6 and statements
        assert not [sql for sql in statements if "maturity_" in sql]
        return_campaign()
        statements.clear()
        mail_pass(app, local(2030, 3, 11, 10))  # the return's invitations, then its day-7 reminders
        mail_pass(app, local(2030, 3, 18, 9))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert smtp.count == 6 + 3 + 3 + 3  # the staff survey's day-14 reminders, the return's three
    assert [sql for sql in statements if "maturity_return" in sql]
