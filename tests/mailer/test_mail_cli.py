"""flask mail send-due|status|retry and flask scheduler, as an operator runs them."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from mailer.jobs import JOBS, build_scheduler
from survey_app.mailing import mailer_context
from tests.helpers import TEST_CONFIG
from tests.factories import make_campaign, make_org
from tests.mailer.mailtools import outbox_rows, people, scheduled_campaign


def test_send_due_prints_what_it_did(app, runner, smtp):
    campaign = scheduled_campaign()
    people(campaign, "en", "cy")
    result = runner.invoke(args=["mail", "send-due", "--now", "2030-03-04T09:00"])  # UK time, no offset
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "At 2030-03-04T09:00+00:00:"
    assert "  campaigns opened: 1" in lines and "  invitations planned: 2" in lines and "  sent: 2" in lines
    assert smtp.count == 2
    weekend = runner.invoke(args=["mail", "send-due", "--now", "2030-03-09T10:00+00:00"])
    assert "Nothing sent: outside the sending window (weekdays 08:00-18:00 Europe/London)." in weekend.output


def test_send_due_reads_a_time_without_offset_as_uk_time(app, runner, smtp):
    result = runner.invoke(args=["mail", "send-due", "--now", "2030-07-01T09:00"])
    assert result.output.splitlines()[0] == "At 2030-07-01T09:00+01:00:"  # British Summer Time


def test_send_due_refuses_a_bad_time(app, runner):
    result = runner.invoke(args=["mail", "send-due", "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "'next tuesday' is not an ISO date-time such as 2026-03-02T09:00" in result.output


def test_status_and_retry(app, runner, smtp):
    campaign = scheduled_campaign()
    ok, gone = people(campaign, None, None)
    smtp.refuse[gone.email] = f"550 5.1.1 <{gone.email}> unknown"
    runner.invoke(args=["mail", "send-due", "--now", "2030-03-04T09:00"])
    status = runner.invoke(args=["mail", "status"])
    assert status.exit_code == 0
    lines = status.output.splitlines()
    assert lines[0].split() == ["campaign", "kind", "pending", "sending", "sent", "failed", "cancelled"]
    assert lines[2].split() == [str(campaign.id), "invitation", "0", "0", "1", "1", "0"]
    (failed,) = outbox_rows(status="failed")
    assert f"  {failed.id} (campaign {campaign.id}, invitation, 1 attempts): 550 5.1.1 <[address]> unknown" in lines
    assert "@" not in status.output
    # a bounced person is not sent to even when the message is queued again
    retry = runner.invoke(args=["mail", "retry", str(failed.id), "999999"])
    assert retry.exit_code == 1 and "1 of 2 message(s) queued again." in retry.output
    again = runner.invoke(args=["mail", "send-due", "--now", "2030-03-04T10:00"])
    assert "  cancelled (no longer wanted): 1" in again.output.splitlines()
    assert smtp.count == 1
    assert runner.invoke(args=["mail", "status", "--campaign", "999999"]).output == "The outbox is empty.\n"


def test_every_job_is_scheduled_once(app):
    scheduler = build_scheduler(mailer_context(app))
    jobs = {job.id: job.trigger.interval.total_seconds() for job in scheduler.get_jobs()}
    assert jobs == {job.name: job.every.total_seconds() for job in JOBS}
    assert jobs == {"open_campaigns": 60, "close_campaigns": 60, "plan_messages": 60, "send_outbox": 60,
                    "erase_emails": 3600, "release_submissions": 600}


@pytest.mark.postgres_only
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_scheduler_process_sends_and_stops_cleanly(pg_app, smtp, repo_root, tmp_path, log_format):
    today = datetime.now(timezone.utc).date()
    campaign = make_campaign(make_org(), opens=date.fromordinal(today.toordinal() - 1))
    people(campaign, "en", "cy", None)
    env = {**os.environ, "DATABASE_URL": pg_app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": TEST_CONFIG["SECRET_KEY"], "EMAIL_HASH_KEY": TEST_CONFIG["EMAIL_HASH_KEY"],
           "BASE_URL": TEST_CONFIG["BASE_URL"], "MAIL_PORT": str(smtp.port), "SURVEY_INSTANCE_PATH": str(tmp_path),
           # whatever the time of the test run, the window is open
           "SEND_WINDOW_START_HOUR": "0", "SEND_WINDOW_END_HOUR": "24", "SEND_WINDOW_WEEKDAYS_ONLY": "false",
           "LOG_FORMAT": log_format}
    process = subprocess.Popen([sys.executable, "-m", "flask", "scheduler"], cwd=repo_root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        smtp.wait_for(3, timeout=120)
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Scheduler stopped." in output and "send_outbox every 0:01:00" in output
    assert smtp.count == 3 and "@" not in output
    assert {r.status for r in outbox_rows()} == {"sent"}
    if log_format == "json":  # every line an object: when, how bad, from where, what
        lines = [json.loads(line) for line in output.splitlines()]
        assert {tuple(line) for line in lines} == {("time", "level", "logger", "message")}
        assert lines[0]["message"].startswith("Scheduler ") and lines[-1]["message"] == "Scheduler stopped."
        passes = [re.match(r"outbox pass: (\d+) sent", line["message"]) for line in lines
                  if line["logger"] == "mailer.dispatcher" and line["level"] == "INFO"]
        assert sum(int(found.group(1)) for found in passes if found) == 3
        assert all(datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0) for line in lines)


def test_preview_prints_a_campaigns_email(app, runner):
    campaign = scheduled_campaign(type_letter="W")
    result = runner.invoke(args=["mail", "preview", str(campaign.id), "--kind", "reminder", "--started"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Subject: Nodyn atgoffa: parhewch â'r Arolwg Boddhad Defnyddwyr TGCh / "
                        "Reminder: carry on with the ICT User Satisfaction Survey")
    assert "Mae'r arolwg yn cau ar ddiwedd dydd Sul 31 Mawrth 2030." in lines  # closes Monday 1 April
    assert "http://survey.test/s/PERSONAL-LINK" in lines
    html = runner.invoke(args=["mail", "preview", str(campaign.id), "--language", "en", "--html"])
    assert '<html lang="en">' in html.output and "Have your say" in html.output
    assert runner.invoke(args=["mail", "preview", "999999"]).exit_code == 1
