"""Dispatchers at once and dispatchers killed, against a real SMTP server: two processes
sending at once, a dispatcher whose claim was taken over, and a dispatcher killed (SIGKILL)
in the middle of a batch, on SQLite (where the claim's re-checking UPDATE is the only
guard) and PostgreSQL; row locks skipped not waited for, several connections and a kill
with several messages in flight on PostgreSQL. Every test counts exactly what arrived."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
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

MONDAY = local(2030, 3, 4, 9)
#: messages for the two processes at once: enough claims that, without the claim's
#: re-check, two of them meet on the same rows (caught in 10 runs out of 10)
MESSAGES = 80


def plan_only(app, now):
    ctx = mailer_context(app, clock=fixed_clock(now))
    jobs.open_campaigns(ctx, now)
    return jobs.plan_messages(ctx, now)


@pytest.mark.postgres_only
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


@pytest.mark.postgres_only
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


def run_dispatcher(repo_root, app, tmp_path, port: int, now, batch_size: int = 10,
                   connections: int = 1) -> subprocess.Popen:
    """`flask mail send-due --now` in a process of its own, on the test's database."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": TEST_CONFIG["SECRET_KEY"], "EMAIL_HASH_KEY": TEST_CONFIG["EMAIL_HASH_KEY"],
           "BASE_URL": TEST_CONFIG["BASE_URL"], "MAIL_PORT": str(port), "SURVEY_INSTANCE_PATH": str(tmp_path),
           "SEND_BATCH_SIZE": str(batch_size), "SEND_CONNECTIONS": str(connections), "MAIL_TIMEOUT": "60"}
    return subprocess.Popen([sys.executable, "-m", "flask", "mail", "send-due", "--now", now.isoformat()],
                            cwd=repo_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()


def sent_by(process: subprocess.Popen) -> int:
    """Wait for a `flask mail send-due` process to finish; how many it says it sent."""
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        kill(process)
        raise
    text = output.decode()
    assert process.returncode == 0, text
    return int(re.search(r"^  sent: (\d+)$", text, re.M).group(1))


def test_two_dispatcher_processes_at_once_send_every_message_exactly_once(app, smtp, repo_root, tmp_path):
    """On SQLite the claim takes no row lock: both processes can read the same due rows, and
    only the claiming UPDATE's re-check (the rows still claimable) stops the second from
    taking rows the first has just claimed. One row per claim, so they claim all the time."""
    campaign = scheduled_campaign()
    people(campaign, *[None] * MESSAGES)
    assert plan_only(app, MONDAY).invitations == MESSAGES
    # the first holds its first message at MAIL FROM until the second has one going too
    smtp.gather = 2
    first = run_dispatcher(repo_root, app, tmp_path / "first", smtp.port, MONDAY, batch_size=1)
    deadline = time.monotonic() + 60
    while not smtp.peers and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert smtp.transactions == 1, "the first dispatcher never reached the server"
    second = run_dispatcher(repo_root, app, tmp_path / "second", smtp.port, MONDAY, batch_size=1)
    sent = [sent_by(first), sent_by(second)]
    assert smtp.count == MESSAGES
    assert Counter(smtp.recipients()).most_common(1)[0][1] == 1  # nobody twice
    assert sum(sent) == MESSAGES and min(sent) > 0  # both really took part
    rows = outbox_rows()
    assert {r.status for r in rows} == {"sent"}
    assert {r.attempts for r in rows} == {1}  # no row claimed twice
    assert len({r.claimed_by for r in rows}) == MESSAGES


def test_a_dispatcher_whose_claim_was_taken_over_sends_nothing(app, smtp):
    """A dispatcher stalls at RCPT TO past its lease; meanwhile another claims the row. When
    the first gets going again, its hand-over mark is fenced off by the claim token: it sends
    nothing, and the row goes once, later, under a live claim."""
    campaign = scheduled_campaign()
    [person] = people(campaign, None)
    plan_only(app, MONDAY)
    [row] = outbox_rows()
    smtp.stall_rcpt_of = 1
    stale = {}

    def first_dispatcher():
        ctx = mailer_context(app, clock=fixed_clock(MONDAY))
        ctx.worker = "stale"
        stale["result"] = send_due(ctx, MONDAY)

    thread = threading.Thread(target=first_dispatcher)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while smtp.transactions < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert smtp.transactions == 1
        lease = mailer_context(app).settings.lease
        later = MONDAY + lease + timedelta(minutes=1)
        assert claim_batch(mailer_context(app, clock=fixed_clock(later)), later, "other:1:token") == [row.id]
    finally:
        smtp.release.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert smtp.count == 0 and stale["result"].sent == 0
    [row] = outbox_rows()
    assert (row.status, row.claimed_by, row.sent_at) == ("sending", "other:1:token", None)
    # the other claim lapses unused (its dispatcher died before sending): the row goes once
    result = mail_pass(app, later + lease + timedelta(minutes=1))["send_outbox"]
    assert (result.sent, result.interrupted) == (1, 0)
    assert smtp.recipients() == [person.email]
    assert [r.status for r in outbox_rows()] == ["sent"]


def test_killed_after_handing_a_message_over_loses_and_doubles_nothing(app, smtp, repo_root, tmp_path):
    campaign = scheduled_campaign()
    participants = people(campaign, *[None] * 6)
    plan_only(app, MONDAY)
    # the server takes message 3 and then is slow to say so: the dispatcher dies meanwhile
    smtp.stall_after_data_of = 3
    process = run_dispatcher(repo_root, app, tmp_path, smtp.port, MONDAY)
    try:
        smtp.wait_for(3)
    finally:
        kill(process)
    smtp.release.set()
    rows = outbox_rows()
    assert [r.status for r in rows] == ["sent", "sent"] + ["sending"] * 4
    assert rows[2].sent_at is not None and all(r.sent_at is None for r in rows[3:])

    # restarted within the lease: nothing is touched yet
    assert mail_pass(app, MONDAY + timedelta(minutes=1))["send_outbox"].sent == 0
    # after the lease the three never handed over are sent, the one handed over is not resent
    result = mail_pass(app, MONDAY + timedelta(minutes=6))["send_outbox"]
    assert (result.sent, result.interrupted) == (3, 1)
    assert smtp.count == 6
    assert sorted(smtp.recipients()) == sorted(p.email for p in participants)
    rows = outbox_rows()
    assert [r.status for r in rows] == ["sent", "sent", "failed", "sent", "sent", "sent"]
    assert rows[2].last_error == INTERRUPTED


def test_killed_before_the_handover_sends_that_message_later(app, smtp, repo_root, tmp_path):
    campaign = scheduled_campaign()
    participants = people(campaign, *[None] * 5)
    plan_only(app, MONDAY)
    # the server stalls on the recipient of message 3: it never gets that message
    smtp.stall_rcpt_of = 3
    process = run_dispatcher(repo_root, app, tmp_path, smtp.port, MONDAY)
    try:
        smtp.wait_for(2)
        while smtp.transactions < 3:
            threading.Event().wait(0.02)
    finally:
        kill(process)
    smtp.stall_rcpt_of = None
    smtp.release.set()
    assert smtp.count == 2
    result = mail_pass(app, MONDAY + timedelta(minutes=6))["send_outbox"]
    assert (result.sent, result.interrupted) == (3, 0)
    assert smtp.count == 5 and sorted(smtp.recipients()) == sorted(p.email for p in participants)
    assert [r.status for r in outbox_rows()] == ["sent"] * 5


@pytest.mark.postgres_only
def test_killed_while_sending_over_four_connections_leaves_four_messages_interrupted(pg_app, smtp, repo_root,
                                                                                     tmp_path):
    """Row 14: with SEND_CONNECTIONS=4 a scheduler has up to four messages handed over and
    not yet recorded as sent, one per connection; a kill leaves each of them interrupted
    (not resent), and every other row it had claimed is sent once after the lease."""
    campaign = scheduled_campaign()
    participants = people(campaign, *[None] * 12)
    plan_only(pg_app, MONDAY)
    # each connection claims a batch of 3 (all 12 claimed); the server takes the first
    # message of each and is slow to say so: the scheduler dies with four in flight
    smtp.stall_after_data_from = 1
    process = run_dispatcher(repo_root, pg_app, tmp_path, smtp.port, MONDAY, batch_size=3, connections=4)
    try:
        smtp.wait_for(4)
    finally:
        kill(process)
    smtp.release.set()
    assert len(smtp.peers) == 4
    rows = outbox_rows()
    assert {r.status for r in rows} == {"sending"} and len({r.claimed_by for r in rows}) == 4
    handed_over = sorted(r.id for r in rows if r.sent_at is not None)
    assert len(handed_over) == 4
    assert len({r.claimed_by for r in rows if r.sent_at is not None}) == 4  # one per connection

    # after the lease: the four are marked interrupted, not resent; the other eight go once
    result = mail_pass(pg_app, MONDAY + timedelta(minutes=6))["send_outbox"]
    assert (result.sent, result.interrupted) == (8, 4)
    assert smtp.count == 12
    assert sorted(smtp.recipients()) == sorted(p.email for p in participants)
    rows = outbox_rows()
    assert sorted(r.id for r in rows if r.status == "failed") == handed_over
    assert {r.last_error for r in rows if r.status == "failed"} == {INTERRUPTED}
    assert [r.status for r in rows].count("sent") == 8


@pytest.mark.postgres_only
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
