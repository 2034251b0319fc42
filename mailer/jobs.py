"""Every schedule in one place: what runs, how often, and in which order a pass runs it.

`flask scheduler` runs JOBS with APScheduler (one job at a time, in its own process);
`flask mail send-due [--now ...]` runs one pass of the same jobs in order with an
explicit clock. Each job takes the context and a time, never ORM objects; each is safe to
run again and to overlap with another scheduler (the state columns and the row claims
make it so).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from survey_app.submissions import release

from . import lifecycle, metrics, planner
from .context import MailerContext
from .dispatcher import send_due

log = logging.getLogger(__name__)


def open_campaigns(ctx: MailerContext, now: datetime) -> int:
    with ctx.transaction() as session:
        return lifecycle.open_campaigns(session, now)


def close_campaigns(ctx: MailerContext, now: datetime) -> int:
    with ctx.transaction() as session:
        return lifecycle.close_campaigns(session, now)


def release_submissions(ctx: MailerContext, now: datetime) -> dict[int, int]:
    with ctx.transaction() as session:
        return release(session, now, ctx.settings.secret_key, ctx.settings.batch_minimum)


def plan_messages(ctx: MailerContext, now: datetime) -> planner.PlanResult:
    with ctx.transaction() as session:
        return planner.plan_messages(session, now, ctx.settings)


def send_outbox(ctx: MailerContext, now: datetime | None, budget_seconds: float | None = None):
    return send_due(ctx, now, budget_seconds=budget_seconds)


def erase_emails(ctx: MailerContext, now: datetime) -> int:
    with ctx.transaction() as session:
        return lifecycle.erase_emails(session, now, ctx.settings.erase_grace)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[..., Any]
    what: str


#: in the order a pass runs them: a campaign closes before anything is planned for it,
#: and what was planned is sent in the same pass
JOBS: tuple[Job, ...] = (
    Job("open_campaigns", timedelta(minutes=1), open_campaigns, "scheduled -> open at the opening time"),
    Job("close_campaigns", timedelta(minutes=1), close_campaigns,
        "open -> closed at the closing time; unsent mail cancelled"),
    Job("release_submissions", timedelta(minutes=10), release_submissions,
        "submissions released into the submitted store in shuffled batches (k or more, or at the close)"),
    Job("plan_messages", timedelta(minutes=1), plan_messages, "invitations and reminders that are due, into the outbox"),
    Job("send_outbox", timedelta(minutes=1), send_outbox, "due outbox rows sent in batches, with retries"),
    Job("erase_emails", timedelta(hours=1), erase_emails,
        "plain addresses erased once a campaign has been closed for the grace period"),
)

#: the scheduler's send job stops after this long; the next run carries on
SEND_BUDGET_SECONDS = 50


def run_pass(ctx: MailerContext, now: datetime | None = None) -> dict[str, Any]:
    """Every job once, in order, at `now` (default: the context's clock)."""
    now = now or ctx.now()
    return {job.name: job.run(ctx, now) for job in JOBS}


def run_job(ctx: MailerContext, name: str) -> None:
    """One job at the clock's time, as the scheduler runs it; errors are logged, not raised,
    so one bad run does not stop the scheduler. A success is recorded for metrics (an alert
    on a job that has not succeeded for a while finds the failing ones)."""
    job = next(j for j in JOBS if j.name == name)
    try:
        if job.run is send_outbox:  # a long pass takes the time afresh for each batch
            job.run(ctx, None, SEND_BUDGET_SECONDS)
        else:
            job.run(ctx, ctx.now())
    except Exception:
        log.exception("job %s failed; it runs again at its next time", name)
    else:
        metrics.job_succeeded(name)


def build_scheduler(ctx: MailerContext):
    """A BlockingScheduler with every job, one at a time in a single worker thread."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BlockingScheduler(executors={"default": ThreadPoolExecutor(max_workers=1)}, timezone="UTC",
                                  job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    start = ctx.now()
    for job in JOBS:
        scheduler.add_job(run_job, IntervalTrigger(seconds=int(job.every.total_seconds()), timezone="UTC"),
                          args=(ctx, job.name), id=job.name, name=job.what, next_run_time=start)
    return scheduler
