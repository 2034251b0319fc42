"""A scheduler killed with kill -9 in the middle of sending a campaign's invitations to a
real SMTP server on loopback (aiosmtpd, bench/smtp_sink.py, counting what each address
receives), then a new one started once the dead one's claims have run out. Each person
should get their invitation exactly once; the ones the dead scheduler was handing to the
server at that moment are marked interrupted and not resent (README, Participants and
email), at most one per SMTP connection (SEND_CONNECTIONS, 4 by default)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import sqlalchemy as sa

from ..common import ROOT
from ..smtp_sink import smtp_sink
from .report import Tally
from .stack import Stack

#: how long a dead scheduler's claims last (SEND_LEASE_SECONDS; 300 in production)
LEASE = 5
#: the sending window open all day, every day, so the suite runs at any hour
ALWAYS = {"SEND_WINDOW_START_HOUR": 0, "SEND_WINDOW_END_HOUR": 24, "SEND_WINDOW_WEEKDAYS_ONLY": "false"}


def send_due(env: dict, log) -> subprocess.Popen:
    """`flask mail send-due`: one pass of every job (the campaign opens, invitations are
    planned and sent)."""
    return subprocess.Popen([sys.executable, "-m", "flask", "mail", "send-due"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def killed_scheduler(quick: bool, stack: Stack) -> Tally:
    """A scheduler (`flask mail send-due`) killed with kill -9 once a third of a campaign's
    invitations have arrived; a new one started when its claims have run out."""
    count = 400 if quick else 2000
    tally = Tally("scheduler killed mid-batch", requests=None)
    emails = [f"mail-{i}@faults.example" for i in range(count)]
    campaign_id, _links = stack.campaign(emails)
    with smtp_sink() as (port, sink), open(stack.tmp / "scheduler.log", "w") as log:
        env = {**os.environ, **stack.env(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, SEND_LEASE_SECONDS=LEASE, **ALWAYS)}
        first = send_due(env, log)
        deadline = time.monotonic() + 300
        while sink.messages < count // 3 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        finished_first = first.poll() is not None
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        at_kill = sink.messages
        time.sleep(LEASE + 1)  # the dead scheduler's claims run out
        second = send_due(env, log)
        if second.wait(timeout=600) != 0:
            log.flush()
            tail = (stack.tmp / "scheduler.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the second scheduler failed; the end of its log:\n{tail}")
        time.sleep(0.5)  # the server finishes with the last message
        received = Counter({e: sink.per_recipient.get(e, 0) for e in emails})
    outbox = _outbox(stack, campaign_id)
    interrupted = [e for e, status, error in outbox if status == "failed" and (error or "").startswith("Interrupted")]
    tally.emails_once = sum(1 for n in received.values() if n == 1)
    tally.emails_twice = sum(1 for n in received.values() if n >= 2)
    tally.emails_never = sum(1 for n in received.values() if n == 0)
    statuses = Counter(status for _e, status, _error in outbox)
    tally.finding = (
        ("the first scheduler FINISHED before it could be killed; " if finished_first else
         f"killed after {at_kill} of {count} invitations had arrived; ")
        + f"marked interrupted (not resent): {len(interrupted)}, of which the server had received "
        f"{sum(1 for e in interrupted if received[e])}; outbox afterwards: "
        + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    return tally


def _outbox(stack: Stack, campaign_id: int) -> list[tuple[str, str, str | None]]:
    """(address, status, last error) of every outbox row of the campaign."""
    engine = sa.create_engine(stack.database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT p.email, o.status, o.last_error FROM outbox o JOIN participant p ON p.id = o.participant_id "
            "WHERE o.campaign_id = :c"), {"c": campaign_id}).all()
    engine.dispose()
    return [tuple(r) for r in rows]
