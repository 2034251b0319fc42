"""What the mailer tells Prometheus: mail sent and failed as it happens, each scheduled
job's last success, and the outbox's state read from the database when scraped.

Counters and gauges live in the process that sends (the scheduler, or `flask mail
send-due`); the scheduler serves them on its own loopback port (SCHEDULER_METRICS_PORT).
The outbox's state is read at scrape time only, in two indexed queries
(`OutboxCollector`), by whichever process is scraped: the app's /metrics and the
scheduler's. No label ever holds an address, a link or a message's id.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Callable, Iterator

from prometheus_client import Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from survey_app.models import OutboxMessage as O

from .eligibility import template_kind
from .window import SendWindow

log = logging.getLogger(__name__)

#: the kinds of message as labels: every reminder_N is a "reminder" (bounded label values)
KINDS = ("invitation", "reminder", "final_reminder")
#: why a send failed, as the dispatcher tells them apart (dispatcher.py, "Failures"):
#: connection: the server or the way to it failed for every message (retried with backoff);
#: temporary: a 4xx for one message (retried); bounced: a 5xx to the recipient;
#: permanent: a 5xx to the message; interrupted: the connection broke after the hand-over,
#: or the dispatcher died then (not resent); unwritable: the message could not be rendered
#: (a template bug)
FAILURES = ("connection", "temporary", "bounced", "permanent", "interrupted", "unwritable")
#: outbox statuses reported as gauges: in flight or needing attention. 'sent' and
#: 'cancelled' are history, as large as every campaign's mail: counting them would scan
#: the table at every scrape, and survey_mail_sent_total already says mail flows.
WATCHED_STATUSES = ("pending", "sending", "failed")

MAILS_SENT = Counter("survey_mail_sent", "Messages accepted by the SMTP server.", ["kind"])
SEND_FAILURES = Counter("survey_mail_send_failures", "Sends that failed, by why.", ["failure"])
JOB_LAST_SUCCESS = Gauge("survey_scheduler_job_last_success_timestamp_seconds",
                         "When each scheduled job last finished without an error (Unix time).", ["job"],
                         multiprocess_mode="max")
for _kind in KINDS:
    MAILS_SENT.labels(_kind)
for _failure in FAILURES:
    SEND_FAILURES.labels(_failure)


def sent(outbox_kind: str) -> None:
    MAILS_SENT.labels(template_kind(outbox_kind)).inc()


def failed(failure: str, count: int = 1) -> None:
    SEND_FAILURES.labels(failure).inc(count)


def job_succeeded(name: str) -> None:
    """Wall-clock time, whatever the jobs' own clock: alerts compare it with Prometheus's time()."""
    JOB_LAST_SUCCESS.labels(name).set(time.time())


class OutboxCollector:
    """The outbox at scrape time: messages by kind and status (pending, sending, failed),
    the age of the oldest message due and not yet sent, and whether the sending window is
    open (mail due outside it waits, and alerts must not fire for that).

    Two queries, both on the (status, next_attempt_at) index. When the database cannot be
    read, the outbox's figures are left out of the scrape (readiness reports the outage)."""

    def __init__(self, engine: Engine, window: SendWindow, clock: Callable[[], datetime]):
        self.engine = engine
        self.window = window
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock()
        window = GaugeMetricFamily("survey_mail_send_window_open", "1 while the sending window is open, else 0.")
        window.add_metric([], 1 if self.window.contains(now) else 0)
        yield window
        try:
            counts, oldest = self._read(now)
        except SQLAlchemyError as error:
            log.warning("the outbox could not be read for metrics: %s", type(error).__name__)
            return
        messages = GaugeMetricFamily("survey_outbox_messages", "Outbox messages in flight or failed, by kind and status.",
                                     labels=["kind", "status"])
        for (kind, status), count in sorted(counts.items()):
            messages.add_metric([kind, status], count)
        yield messages
        yield GaugeMetricFamily("survey_outbox_oldest_due_age_seconds",
                                "Seconds since the oldest message still to be sent became due (0 if none).",
                                value=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)

    def _read(self, now: datetime) -> tuple[dict[tuple[str, str], int], datetime | None]:
        counts = {(kind, status): 0 for kind in KINDS for status in WATCHED_STATUSES}
        with self.engine.connect() as connection:
            for kind, status, count in connection.execute(
                    select(O.kind, O.status, func.count()).where(O.status.in_(WATCHED_STATUSES))
                    .group_by(O.kind, O.status)):
                counts[template_kind(kind), status] += count
            # due: waiting for its first try or a retry, or claimed by a dispatcher whose lease ran out
            oldest = connection.execute(select(func.min(O.next_attempt_at)).where(
                O.status.in_(("pending", "sending")), O.next_attempt_at <= now)).scalar()
        return counts, oldest
