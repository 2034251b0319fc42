"""PostgreSQL: two dispatchers at once, row locks skipped not waited for, and a dispatcher
killed (SIGKILL) in the middle of a batch. Every test counts exactly what arrived."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from mailer import jobs
from mailer.context import fixed_clock
from mailer.dispatcher import INTERRUPTED, claim_batch, send_due
from survey_app.mailing import mailer_context
from tests.helpers import TEST_CONFIG
from tests.mailer.mailtools import local, mail_pass, outbox_rows, people, scheduled_campaign

pytestmark = pytest.mark.postgres_only
MONDAY = local(2030, 3, 4, 9)


def plan_only(app, now):
    ctx = mailer_context(app, clock=fixed_clock(now))
    jobs.open_campaigns(ctx, now)
    return jobs.plan_messages(ctx, now)


def test_two_dispatchers_at_once_send_every_message_exactly_once(pg_app, smtp, monkeypatch):
    monkeypatch.setitem(pg_app.config, "SEND_BATCH_SIZE", 5)
    campaign = scheduled_campaign()
    people(campaign, *[None] * 40)
    assert plan_only(pg_app, MONDAY).invitations == 40
    smtp.delay = 0.03  # slow enough that both dispatchers are busy at the same time
    start = threading.Barrier(2)
    results, errors = {}, []

    def dispatcher(name):
        try:
            ctx = mailer_context(pg_app, clock=fixed_clock(MONDAY))
            ctx.worker = name
            start.wait(timeout=30)
            results[name] = send_due(ctx, MONDAY)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert smtp.count == 40
    assert Counter(smtp.recipients()).most_common(1)[0][1] == 1  # nobody twice
    assert results["A"].sent + results["B"].sent == 40
    rows = outbox_rows()
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}
    assert {r.claimed_by.split(":")[0] for r in rows} == {"A", "B"}  # both really took part


def test_two_planners_at_once_plan_each_message_once(pg_app):
    campaign = scheduled_campaign()
    people(campaign, *[None] * 30)
    start = threading.Barrier(2)
    counts = []

    def planner():
        start.wait(timeout=30)
        counts.append(plan_only(pg_app, MONDAY).invitations)

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 30 and len(outbox_rows(kind="invitation")) == 30


def test_rows_locked_by_another_transaction_are_skipped_not_waited_for(pg_app):
    campaign = scheduled_campaign()
    people(campaign, *[None] * 6)
    plan_only(pg_app, MONDAY)
    ids = [r.id for r in outbox_rows()]
    other = sa.create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.connect() as conn, conn.begin():
            conn.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
            conn.execute(sa.text("SELECT id FROM outbox WHERE id = ANY(:ids) FOR UPDATE"), {"ids": ids[:3]})
            ctx = mailer_context(pg_app, clock=fixed_clock(MONDAY))
            claimed = claim_batch(ctx, MONDAY, "probe:1:token")  # would wait here without SKIP LOCKED
            assert claimed == ids[3:]
    finally:
        other.dispose()
    assert [r.status for r in outbox_rows()] == ["pending"] * 3 + ["sending"] * 3


def run_dispatcher(repo_root, pg_app, tmp_path, port: int, now) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": pg_app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": TEST_CONFIG["SECRET_KEY"], "EMAIL_HASH_KEY": TEST_CONFIG["EMAIL_HASH_KEY"],
           "BASE_URL": TEST_CONFIG["BASE_URL"], "MAIL_PORT": str(port), "SURVEY_INSTANCE_PATH": str(tmp_path),
           "SEND_BATCH_SIZE": "10", "SEND_CONNECTIONS": "1", "MAIL_TIMEOUT": "60"}
    return subprocess.Popen([sys.executable, "-m", "flask", "mail", "send-due", "--now", now.isoformat()],
                            cwd=repo_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()


def test_killed_after_handing_a_message_over_loses_and_doubles_nothing(pg_app, smtp, repo_root, tmp_path):
    campaign = scheduled_campaign()
    participants = people(campaign, *[None] * 6)
    plan_only(pg_app, MONDAY)
    # the server takes message 3 and then is slow to say so: the dispatcher dies meanwhile
    smtp.stall_after_data_of = 3
    process = run_dispatcher(repo_root, pg_app, tmp_path, smtp.port, MONDAY)
    try:
        smtp.wait_for(3)
    finally:
        kill(process)
    smtp.release.set()
    rows = outbox_rows()
    assert [r.status for r in rows] == ["sent", "sent"] + ["sending"] * 4
    assert rows[2].sent_at is not None and all(r.sent_at is None for r in rows[3:])

    # restarted within the lease: nothing is touched yet
    assert mail_pass(pg_app, MONDAY + timedelta(minutes=1))["send_outbox"].sent == 0
    # after the lease the three never handed over are sent, the one handed over is not resent
    result = mail_pass(pg_app, MONDAY + timedelta(minutes=6))["send_outbox"]
    assert (result.sent, result.interrupted) == (3, 1)
    assert smtp.count == 6
    assert sorted(smtp.recipients()) == sorted(p.email for p in participants)
    rows = outbox_rows()
    assert [r.status for r in rows] == ["sent", "sent", "failed", "sent", "sent", "sent"]
    assert rows[2].last_error == INTERRUPTED


def test_killed_before_the_handover_sends_that_message_later(pg_app, smtp, repo_root, tmp_path):
    campaign = scheduled_campaign()
    participants = people(campaign, *[None] * 5)
    plan_only(pg_app, MONDAY)
    # the server stalls on the recipient of message 3: it never gets that message
    smtp.stall_rcpt_of = 3
    process = run_dispatcher(repo_root, pg_app, tmp_path, smtp.port, MONDAY)
    try:
        smtp.wait_for(2)
        while smtp.transactions < 3:
            threading.Event().wait(0.02)
    finally:
        kill(process)
    smtp.stall_rcpt_of = None
    smtp.release.set()
    assert smtp.count == 2
    result = mail_pass(pg_app, MONDAY + timedelta(minutes=6))["send_outbox"]
    assert (result.sent, result.interrupted) == (3, 0)
    assert smtp.count == 5 and sorted(smtp.recipients()) == sorted(p.email for p in participants)
    assert [r.status for r in outbox_rows()] == ["sent"] * 5


def test_one_pass_over_four_connections_sends_every_message_exactly_once(pg_app, smtp, monkeypatch):
    """SEND_CONNECTIONS: one dispatcher, four SMTP conversations at once, each claiming
    its own batches."""
    monkeypatch.setitem(pg_app.config, "SEND_BATCH_SIZE", 3)
    monkeypatch.setitem(pg_app.config, "SEND_CONNECTIONS", 4)
    campaign = scheduled_campaign()
    people(campaign, *[None] * 30)
    assert plan_only(pg_app, MONDAY).invitations == 30
    smtp.delay = 0.02  # slow enough that the connections overlap
    result = send_due(mailer_context(pg_app, clock=fixed_clock(MONDAY)), MONDAY)
    assert result.sent == 30 and result.stopped is None
    assert smtp.count == 30
    assert Counter(smtp.recipients()).most_common(1)[0][1] == 1  # nobody twice
    rows = outbox_rows()
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}
    assert len({r.claimed_by for r in rows}) == 10  # ten batches of three
    assert len(smtp.peers) > 1  # more than one conversation with the server
