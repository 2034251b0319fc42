"""Releasing submissions from the sealed queue into the submitted store
(survey_app/submissions.py, `flask responses release`, the scheduler's job): in an open
campaign, the submissions of UK days before today once there are at least k of them, all
stamped with the batch's last day and given random ids; in a closed campaign everything
left, a last batch smaller than k merged with the one before it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from survey_app.extensions import db
from survey_app.models import QueuedSubmission, SubmittedResponse
from survey_app.models.types import utcnow
from survey_app.submissions import queue_statement, queued_row, release, uk_day
from tests.factories import make_campaign, make_participant
from tests.stored import submissions

UK = ZoneInfo("Europe/London")
OPENS, CLOSES = date(2030, 6, 3), date(2030, 6, 17)  # British Summer Time throughout


def uk(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UK)


def day(n: int) -> date:
    """The campaign's n-th day (0: the day it opens)."""
    return OPENS + timedelta(days=n)


def secret() -> str:
    from flask import current_app
    return current_app.config["SECRET_KEY"]


def queue(campaign, when: datetime, overall: str = "5", **attributes) -> None:
    """One submission into the queue, as the respondent's submit puts it there."""
    db.session.execute(queue_statement(), queued_row(
        campaign_id=campaign.id, now=when, secret=secret(), language="en", device_class="desktop",
        attributes=attributes, answers={"overall": overall, "comments": f"Said at {when.isoformat()}"}))
    db.session.commit()


def run(now: datetime, k: int | None = 3, campaign_ids=None) -> dict[int, int]:
    released = release(db.session, now, secret(), k, campaign_ids)
    db.session.commit()
    return released


def store_rows(campaign) -> list[SubmittedResponse]:
    db.session.expire_all()
    return db.session.execute(db.select(SubmittedResponse).where(SubmittedResponse.campaign_id == campaign.id)
                              .order_by(SubmittedResponse.id)).scalars().all()


def queued_days(campaign) -> list[date]:
    db.session.expire_all()
    return sorted(db.session.execute(db.select(QueuedSubmission.queued_on)
                                     .where(QueuedSubmission.campaign_id == campaign.id)).scalars())


@pytest.fixture
def campaign(app):
    return make_campaign(opens=OPENS, closes=CLOSES, anonymity_threshold=3)


def test_fewer_than_k_before_today_are_not_released(campaign):
    queue(campaign, uk(day(1), 9))
    queue(campaign, uk(day(2), 17))
    for _ in range(3):
        queue(campaign, uk(day(3), 10))  # today's: never released while the campaign is open
    assert run(uk(day(3), 23, 59)) == {}
    assert run(uk(day(3), 23, 59), k=None) == {}  # k from the campaign's anonymity threshold (3)
    assert store_rows(campaign) == []
    assert queued_days(campaign) == [day(1), day(2), day(3), day(3), day(3)]
    assert {s.where for s in submissions(campaign.id)} == {"queue"}


def test_k_or_more_from_earlier_uk_days_are_released_together_on_the_batch_s_last_day(campaign):
    other = make_campaign(opens=OPENS, closes=CLOSES, anonymity_threshold=3)
    # the list: three in Housing (the threshold), one alone in Finance
    for department in ("Housing", "Housing", "Housing", "Finance"):
        make_participant(campaign, attributes={"department": department})
    queue(campaign, uk(day(1), 8), "1", department="Housing")
    queue(campaign, uk(day(1), 20), "2", department="Finance")
    # 23:30 UTC is half past midnight in the UK, in summer: the next UK day
    queue(campaign, datetime(2030, 6, 5, 23, 30, tzinfo=timezone.utc), "3")
    queue(campaign, uk(day(2), 12), "4")
    queue(campaign, uk(day(4), 9), "6")  # "today" below: it waits
    queue(other, uk(day(1), 9), "7")  # another campaign, one alone: it waits
    assert queued_days(campaign) == [day(1), day(1), day(2), day(3), day(4)]

    assert run(uk(day(4), 0, 5)) == {campaign.id: 4}
    rows = store_rows(campaign)
    assert len(rows) == 4
    assert {r.submitted_on for r in rows} == {day(3)}  # the last day the batch covers, for every one
    assert {r.answer_map()["overall"] for r in rows} == {"1", "2", "3", "4"}
    assert {r.source for r in rows} == {"web"} and {r.language for r in rows} == {"en"}
    # a list value is copied only when at least the threshold's number of people share it:
    # Finance, one person's, would single them out
    assert sorted(r.attributes.get("department", "") for r in rows) == ["", "", "", "Housing"]
    # random ids and public ids: nothing in them says in what order the four came
    ids = [r.id for r in rows]
    assert len(set(ids)) == 4 and all(i > 2 ** 32 for i in ids)
    assert max(ids) - min(ids) > 1000
    assert len({r.public_id for r in rows}) == 4
    assert queued_days(campaign) == [day(4)]
    assert queued_days(other) == [day(1)]

    assert run(uk(day(4), 23)) == {}  # nothing more is due the same day
    assert len(store_rows(campaign)) == 4


def test_a_closed_campaign_releases_everything_and_a_small_last_batch_joins_the_one_before(campaign):
    for hour in (9, 10, 11):
        queue(campaign, uk(day(1), hour), str(hour - 8))
    assert run(uk(day(2), 1)) == {campaign.id: 3}
    first = {r.id: (r.public_id, r.answer_map()) for r in store_rows(campaign)}
    assert {r.submitted_on for r in store_rows(campaign)} == {day(1)}

    queue(campaign, uk(day(5), 15), "7")  # the tail: one, fewer than k
    assert run(uk(day(9), 1)) == {}  # open, and one is not enough
    closing = uk(CLOSES, 0, 1)  # past its closing time (the status may still say open)
    assert run(closing) == {campaign.id: 1}
    rows = store_rows(campaign)
    assert len(rows) == 4
    # the batch before was taken back and released again with the tail: all on the tail's last day
    assert {r.submitted_on for r in rows} == {day(5)}
    assert {r.id: (r.public_id, r.answer_map()) for r in rows if r.id in first} == first
    assert sorted(r.answer_map()["overall"] for r in rows) == ["1", "2", "3", "7"]
    assert queued_days(campaign) == []
    assert run(closing) == {}  # nothing left


def test_a_closed_campaign_releases_a_batch_of_k_or_more_alone(campaign):
    for hour in (9, 10, 11):
        queue(campaign, uk(day(1), hour))
    assert run(uk(day(2), 1)) == {campaign.id: 3}
    for hour in (9, 10, 11):
        queue(campaign, uk(day(6), hour))
    campaign.status, campaign.closed_at = "closed", uk(day(6), 18)
    db.session.commit()
    assert run(uk(day(6), 18)) == {campaign.id: 3}  # closed: today's too
    days = sorted(r.submitted_on for r in store_rows(campaign))
    assert days == [day(1)] * 3 + [day(6)] * 3


def test_only_the_campaigns_asked_for_are_released(campaign):
    other = make_campaign(opens=OPENS, closes=CLOSES, anonymity_threshold=3)
    for c in (campaign, other):
        for hour in (9, 10, 11):
            queue(c, uk(day(1), hour))
    assert run(uk(day(2)), campaign_ids=[other.id]) == {other.id: 3}
    assert store_rows(campaign) == [] and len(store_rows(other)) == 3


def test_the_cli_says_when_nothing_is_due(runner, app):
    current = make_campaign()  # open since yesterday
    result = runner.invoke(args=["responses", "release"])
    assert result.exit_code == 0, result.output
    assert "Nothing is due for release." in result.output
    queue(current, utcnow() - timedelta(days=1))  # one from yesterday: fewer than k (5)
    queue(current, utcnow())
    result = runner.invoke(args=["responses", "release", "--campaign", str(current.id)])
    assert result.exit_code == 0, result.output
    assert "Nothing is due for release." in result.output
    assert store_rows(current) == [] and len(queued_days(current)) == 2


def test_the_cli_releases_a_closed_campaign(runner, app):
    ended = make_campaign(opens=date.today() - timedelta(days=30), weeks=2)  # closed, released
    waiting = make_campaign()
    queue(ended, utcnow() - timedelta(days=17), "2")
    queue(ended, utcnow() - timedelta(days=20), "3")
    queue(waiting, utcnow() - timedelta(days=1))
    result = runner.invoke(args=["responses", "release"])
    assert result.exit_code == 0, result.output
    assert f"Campaign {ended.id}: 2 submission(s) released into the store." in result.output
    assert f"Campaign {waiting.id}" not in result.output
    rows = store_rows(ended)
    assert sorted(r.answer_map()["overall"] for r in rows) == ["2", "3"]
    assert {r.submitted_on for r in rows} == {uk_day(utcnow() - timedelta(days=17))}
    assert queued_days(ended) == [] and len(queued_days(waiting)) == 1
    assert "Nothing is due for release." in runner.invoke(args=["responses", "release"]).output


def test_the_cli_refuses_an_unknown_campaign(runner, app):
    result = runner.invoke(args=["responses", "release", "--campaign", "999"])
    assert result.exit_code != 0
    assert "999" in result.output


def test_the_scheduler_job_releases_what_is_due(app, campaign):
    from mailer.jobs import release_submissions
    from survey_app.mailing import mailer_context

    for hour in (9, 10):
        queue(campaign, uk(day(1), hour))
    ctx = mailer_context(app)
    assert release_submissions(ctx, uk(day(2), 1)) == {}  # two: fewer than the threshold (3)
    queue(campaign, uk(day(1), 11))
    assert release_submissions(ctx, uk(day(2), 1)) == {campaign.id: 3}
    assert {r.submitted_on for r in store_rows(campaign)} == {day(1)} and queued_days(campaign) == []
