"""The scheduler's Prometheus metrics (issue 18): after a real pass of every job against a
real SMTP server, its loopback port says when each job last succeeded, how much mail went
and how much failed and why, and what the outbox holds; `flask scheduler` serves them with
SCHEDULER_METRICS_PORT set. The example alert rules name only metrics that exist."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import psutil
import yaml
from flask_migrate import upgrade
from prometheus_client import generate_latest
from sqlalchemy import create_engine

from mailer.context import fixed_clock
from mailer.jobs import JOBS, run_job
from mailer.metrics import FAILURES
from survey_app import create_app
from survey_app.extensions import db
from survey_app.mailing import mailer_context
from survey_app.metrics import scrape_registry, serve_scheduler_metrics
from tests.helpers import TEST_CONFIG, metric_names, sample, scraped
from tests.mailer.mailtools import free_port, local, mail_pass, people, scheduled_campaign

ROOT = Path(__file__).resolve().parents[2]
LAST_SUCCESS = "survey_scheduler_job_last_success_timestamp_seconds"


def fetch(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return answer.read().decode()


def test_the_schedulers_metrics_after_a_real_pass(app, smtp):
    campaign = scheduled_campaign()
    ann, bob, cat = people(campaign, "en", "cy", None)
    smtp.refuse[cat.email] = "550 5.1.1 <person3@example.org>: user unknown"
    ctx = mailer_context(app, clock=fixed_clock(local(2030, 3, 4, 9)))  # the campaign's first Monday
    port = free_port()
    server = serve_scheduler_metrics(ctx, port)
    try:
        before = scraped(fetch(port))
        started = time.time()
        for job in JOBS:
            run_job(ctx, job.name)
        finished = time.time()
        text = fetch(port)
    finally:
        server.shutdown()
        server.server_close()
    after = scraped(text)

    def grew(name: str, **labels) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert smtp.count == 2
    assert grew("survey_mail_sent_total", kind="invitation") == 2
    assert grew("survey_mail_sent_total", kind="reminder") == 0
    assert {failure: grew("survey_mail_send_failures_total", failure=failure) for failure in FAILURES} == \
        {failure: 1 if failure == "bounced" else 0 for failure in FAILURES}
    for job in JOBS:
        assert started <= sample(after, LAST_SUCCESS, job=job.name) <= finished, job.name
    # the outbox as the pass left it, read at the scrape with the scheduler's clock
    assert sample(after, "survey_outbox_messages", kind="invitation", status="failed") == 1
    assert sample(after, "survey_outbox_messages", kind="invitation", status="pending") == 0
    assert sample(after, "survey_outbox_oldest_due_age_seconds") == 0
    assert sample(after, "survey_mail_send_window_open") == 1
    assert "example.org" not in text and "user unknown" not in text


def test_a_server_refusing_everyone_counts_as_a_connection_failure(app, smtp):
    """421 to MAIL FROM: the batch stops and waits (nothing sent, nothing bounced)."""
    campaign = scheduled_campaign()
    people(campaign, "en", "en")
    smtp.fail_mail_times = 1
    before = scraped(generate_latest().decode())
    mail_pass(app, local(2030, 3, 4, 9))
    after = scraped(generate_latest().decode())
    assert smtp.count == 0
    assert {failure: sample(after, "survey_mail_send_failures_total", failure=failure)
            - sample(before, "survey_mail_send_failures_total", failure=failure) for failure in FAILURES} == \
        {failure: 1 if failure == "connection" else 0 for failure in FAILURES}
    assert sample(after, "survey_mail_sent_total", kind="invitation") == \
        sample(before, "survey_mail_sent_total", kind="invitation")


def test_a_failing_job_keeps_its_last_success(app, tmp_path):
    """A job that fails leaves its last success where it was (the alert on it then fires);
    the others move on."""
    ctx = mailer_context(app, clock=fixed_clock(local(2030, 3, 4, 9)))
    run_job(ctx, "open_campaigns")
    registry = scrape_registry(ctx.engine, ctx.settings.window, ctx.clock, all_workers=False)
    succeeded = sample(scraped(generate_latest(registry).decode()), LAST_SUCCESS, job="open_campaigns")
    assert succeeded > 0
    failing = replace(ctx, engine=create_engine(f"sqlite:///{tmp_path}/no-such-folder/survey.db"))
    run_job(failing, "open_campaigns")
    run_job(ctx, "close_campaigns")
    after = scraped(generate_latest(registry).decode())
    assert sample(after, LAST_SUCCESS, job="open_campaigns") == succeeded
    assert sample(after, LAST_SUCCESS, job="close_campaigns") >= succeeded


def test_flask_scheduler_serves_its_metrics_on_loopback(tmp_path):
    url = f"sqlite:///{tmp_path / 'survey.db'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SURVEY_INSTANCE_PATH": str(tmp_path),
           "SCHEDULER_METRICS_PORT": str(port), "MAIL_PORT": "9"}
    log = open(tmp_path / "scheduler.log", "wb")
    scheduler = subprocess.Popen([sys.executable, "-m", "flask", "scheduler"], cwd=ROOT, env=env, stdout=log,
                                 stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:  # every job runs once at the start
            assert scheduler.poll() is None, (tmp_path / "scheduler.log").read_text()
            try:
                samples = scraped(fetch(port))
                if all(sample(samples, LAST_SUCCESS, job=job.name) > 0 for job in JOBS):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the scheduler's metrics did not show every job's success"
            time.sleep(0.3)
        listening = [c.laddr for c in psutil.Process(scheduler.pid).net_connections() if c.status == "LISTEN"]
        assert [(address.ip, address.port) for address in listening] == [("127.0.0.1", port)]
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=30)
        log.close()
    assert scheduler.returncode == 0
    assert "Scheduler stopped." in (tmp_path / "scheduler.log").read_text()


def test_the_example_alerts_name_only_metrics_that_exist(app, client):
    """deploy/prometheus-alerts.yml parses, has the alerts the README promises, and every
    metric its expressions name is in the app's or the scheduler's scrape."""
    rules = yaml.safe_load((ROOT / "deploy" / "prometheus-alerts.yml").read_text())
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    assert {"SurveyMailStoppedFlowing", "SurveyOldestDueMessageWaiting", "SurveySchedulerJobNotSucceeding"} <= set(alerts)
    ctx = mailer_context(app)
    scheduler = generate_latest(scrape_registry(ctx.engine, ctx.settings.window, ctx.clock, all_workers=False))
    exposed = metric_names(client.get("/metrics").get_data(as_text=True)) | metric_names(scheduler.decode())
    for name, rule in alerts.items():
        named = set(re.findall(r"\bsurvey_[a-z_]+", rule["expr"]))
        assert named, name
        assert named <= exposed, (name, named - exposed)
        assert rule["annotations"]["summary"] and rule["labels"]["severity"], name
