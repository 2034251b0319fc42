"""Backups and restore (README, "Backups and restore"), on PostgreSQL with the real tools.

A campaign's people are invited by a scheduler pass through a real SMTP server (aiosmtpd),
some answer and submit through the respondent's pages, their submissions are released
into the store, one stops half way; the database is dumped with `pg_dump -Fc` and
restored with `pg_restore` into a fresh database, which an app with the same secrets
then serves. There: the results and the response rate are those of the original; a
scheduler pass at the time of the last one before the dump sends nothing; a later pass,
when a reminder falls due, sends it once to each person who has not submitted (telling
the one half way that their answers are saved); and that person resumes by their link.

A dump taken while a scheduler is sending shows what the README promises and warns of:
the restored service does not send again what the dump has as sent, nor the message that
was being handed to the server, and does send again what was still to go at the dump's
moment (which the old service then sent too).
"""
from __future__ import annotations

import shutil
import subprocess
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from survey_app.extensions import db
from survey_app.links import make_token
from survey_app.models import Campaign, OutboxMessage, Participant, QueuedSubmission
from tests.clients import FreshContextClient
from tests.conftest import missing_service
from tests.factories import make_campaign, make_participant
from tests.helpers import TEST_CONFIG, scratch_database
from tests.mailer.mailtools import SmtpRecorder, free_port, mail_pass, start_smtp
from tests.respond.helpers import ALL_ANSWERS, Respondent, answer_all, answer_page, submit

PEOPLE = 8
SUBMITTING = 4
#: mail may go at any hour in this test
OPEN_WINDOW = {"SEND_WINDOW_START_HOUR": 0, "SEND_WINDOW_END_HOUR": 24, "SEND_WINDOW_WEEKDAYS_ONLY": False}
STARTED = "Your answers so far have been saved."


def tool(name: str) -> str:
    """A PostgreSQL client program; missing, the test fails in CI and is skipped elsewhere."""
    path = shutil.which(name)
    if path is None:
        missing_service(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def smtp(pg_app, monkeypatch):
    """A recording SMTP server on loopback; the mail window open at every hour."""
    recorder = SmtpRecorder()
    controller = start_smtp(recorder, free_port())
    for key, value in {**OPEN_WINDOW, "MAIL_PORT": recorder.port}.items():
        monkeypatch.setitem(pg_app.config, key, value)
    yield recorder
    recorder.release.set()
    controller.stop()


def dump_of(app, path):
    """The app's database dumped as the README says (pg_dump's custom format) into `path`."""
    subprocess.run([tool("pg_dump"), "--format=custom", "--file", str(path),
                    "--dbname", libpq_url(app.config["SQLALCHEMY_DATABASE_URI"])], check=True, capture_output=True)
    return path


def figures(campaign_id: int) -> tuple[dict, object]:
    """The campaign's results as its results page computes them (broken down by
    department), and its live response rate as the dashboard counts it."""
    from survey_app.dashboard.figures import rate_counts
    from survey_app.results.campaign_output import campaign_json
    from survey_app.results.report import campaign_report

    campaign = db.session.get(Campaign, campaign_id)
    return campaign_json(campaign_report(campaign, by="department"), "en"), rate_counts([campaign_id])[campaign_id]


def new_mail(recorder: SmtpRecorder, before: int) -> list:
    with recorder.lock:
        return recorder.received[before:]


@pytest.fixture
def restored_app(pg_app, smtp, request, tmp_path):
    """restore(dump file): an app, with the same secrets, over a fresh database that
    pg_restore fills from the dump, migrated as the README's restore steps say."""
    from flask_migrate import upgrade

    from survey_app import create_app

    with scratch_database("postgresql", request, tmp_path, "survey_restored") as url:
        made = []

        def restore(dump):
            subprocess.run([tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
                            "--dbname", libpq_url(url), str(dump)], check=True, capture_output=True)
            app = create_app({**TEST_CONFIG, **OPEN_WINDOW, "MAIL_PORT": smtp.port,
                              "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
            with app.app_context():
                upgrade()
            made.append(app)
            return app

        yield restore
        for app in made:
            with app.app_context():
                db.engine.dispose()


def test_a_restored_dump_shows_the_same_results_sends_nothing_twice_and_resumes_partial_responses(
        pg_app, smtp, restored_app, tmp_path):
    from survey_app.submissions import release

    secret = pg_app.config["SECRET_KEY"]
    campaign = make_campaign(opens=date.today() - timedelta(days=10), anonymity_threshold=3)
    people = [make_participant(campaign, email=f"restore{i}@example.org",
                               attributes={"department": ("North", "South")[i % 2]}) for i in range(PEOPLE)]
    # plain values: an ORM object of this app's session read under the restored app would
    # load itself from the restored database
    campaign_id, emails = campaign.id, [p.email for p in people]
    half_way_id = people[SUBMITTING].id
    invited_at = campaign.opens_at + timedelta(minutes=1)
    mail_pass(pg_app, invited_at)
    assert sorted(smtp.recipients()) == sorted(emails)

    client = FreshContextClient(pg_app, pg_app.response_class, use_cookies=True)
    for person in people[:SUBMITTING]:
        respondent = Respondent(campaign, person, make_token(person.id, secret))
        answer_all(client, respondent)
        assert submit(client, respondent).status_code == 302
    half_way = Respondent(campaign, people[SUBMITTING], make_token(half_way_id, secret))
    for page_id in ("about-you", "overall"):
        assert answer_page(client, half_way.page_url(page_id), ALL_ANSWERS[page_id]).status_code == 302
    now = datetime.now(timezone.utc)
    assert release(db.session, now + timedelta(days=1), secret) == {campaign_id: SUBMITTING}
    db.session.commit()
    original = figures(campaign_id)
    assert original[1].submitted == SUBMITTING and original[1].participants == PEOPLE
    assert original[0]["headline"]["overall_satisfaction"]["n"] == SUBMITTING

    restored = restored_app(dump_of(pg_app, tmp_path / "survey.dump"))
    sent_before_restore = smtp.count

    with restored.app_context():
        assert figures(campaign_id) == original

        mail_pass(restored, invited_at)
        assert new_mail(smtp, sent_before_restore) == []  # no invitation again

        mail_pass(restored, now)  # the seven-day reminder has fallen due
        mail_pass(restored, now + timedelta(hours=1))
        reminders = new_mail(smtp, sent_before_restore)
        assert sorted(m.to for m in reminders) == sorted(emails[SUBMITTING:])
        to_half_way = [m for m in reminders if m.to == emails[SUBMITTING]]
        assert STARTED in to_half_way[0].text
        assert all(STARTED not in m.text for m in reminders if m is not to_half_way[0])

        resumed = FreshContextClient(restored, restored.response_class, use_cookies=True)
        page = resumed.get(half_way.page_url("about-you")).get_data(as_text=True)
        assert 'value="laptop" checked' in page
        answer_all(resumed, half_way, {k: v for k, v in ALL_ANSWERS.items() if k not in ("about-you", "overall")})
        assert submit(resumed, half_way).status_code == 302
        db.session.expire_all()
        assert db.session.get(Participant, half_way_id).submitted
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QueuedSubmission)) == 1


def test_a_dump_taken_while_mail_goes_out_sends_again_only_what_was_still_to_go(pg_app, smtp, restored_app, tmp_path):
    from mailer.dispatcher import INTERRUPTED

    campaign = make_campaign(opens=date.today() - timedelta(days=10))
    for i in range(PEOPLE):
        make_participant(campaign, email=f"inflight{i}@example.org")
    invited_at = campaign.opens_at + timedelta(minutes=1)
    smtp.stall_after_data_of = 3  # the third message handed over, its "." not yet answered
    sending = threading.Thread(target=mail_pass, args=(pg_app, invited_at))
    sending.start()
    try:
        smtp.wait_for(3)
        dump = dump_of(pg_app, tmp_path / "in-flight.dump")
    finally:
        smtp.release.set()
        sending.join(timeout=60)
    in_order = smtp.recipients()
    assert len(in_order) == PEOPLE  # the old service sent every invitation once
    restored = restored_app(dump)

    with restored.app_context():
        mail_pass(restored, invited_at)  # the claims in the dump still hold their lease
        assert new_mail(smtp, PEOPLE) == []
        mail_pass(restored, invited_at + timedelta(seconds=restored.config["SEND_LEASE_SECONDS"] + 60))
        assert [m.to for m in new_mail(smtp, PEOPLE)] == in_order[3:]
        handed_over = db.session.execute(sa.select(OutboxMessage).where(
            OutboxMessage.participant.has(email=in_order[2]))).scalar_one()
        assert handed_over.status == "failed" and handed_over.last_error == INTERRUPTED
