"""Response-rate figures read straight from the database (no cache that could lag).

The breakdowns and the responses by day are kept per worker under the campaign's counts
(results.data.CampaignCounts, read for the response rate anyway): how many people it
has in each status and how many responses were submitted. Every event that changes a
figure changes one of those counts, and none of them ever goes back, so a kept figure
is never one the database no longer gives: it is reused only while nothing has
happened. The breakdown of 25,000 people costs a hundred milliseconds (bench/RESULTS.md).
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select, true

from scoring import ResponseRate
from scoring.suppression import NOT_ANSWERED, small_groups

from ..extensions import db
from ..models import Campaign, Participant, QueuedSubmission, SubmittedResponse
from ..results.data import CampaignCounts, campaign_counts

LOCAL = ZoneInfo("Europe/London")
#: participant list columns shown as response-rate breakdowns, in this order first
BREAKDOWN_ORDER = ("location", "role", "department", "working_mode")


def rate_counts(campaign_ids: list[int]) -> dict[int, ResponseRate]:
    """The response rate of each campaign (DESIGN.md definition 4), in four queries."""
    return {i: response_rate(counts) for i, counts in campaign_counts(campaign_ids).items()}


def response_rate(counts: CampaignCounts) -> ResponseRate:
    return ResponseRate(counts.submitted, counts.participants)


def responses_by_day(campaign: Campaign, today: date | None = None) -> list[tuple[date, int, int]]:
    """(day, submitted that day, cumulative) from the opening day to today or the close:
    the submitted store by its days, and the submissions still waiting in the queue by the
    day they came (survey_app/submissions.py). So a day with fewer than k submissions is
    counted, once they are released, on the last day of their batch; responses imported
    from paper count on their day, and someone who withdrew after submitting still counts
    (nothing can tell which response was theirs)."""
    per_day: dict[date, int] = defaultdict(int)
    for column, table in ((SubmittedResponse.submitted_on, SubmittedResponse),
                          (QueuedSubmission.queued_on, QueuedSubmission)):
        rows = db.session.execute(select(column, func.count()).where(table.campaign_id == campaign.id)
                                  .group_by(column))
        for day, count in rows:
            if isinstance(day, str):
                day = date.fromisoformat(day)
            per_day[day] += count
    first = campaign.opens_at.astimezone(LOCAL).date()
    last_open_day = (campaign.closes_at - timedelta(seconds=1)).astimezone(LOCAL).date()
    last = min(today or date.today(), last_open_day)
    if per_day:
        last = max(last, max(per_day))
        first = min(first, min(per_day))
    out, total, day = [], 0, first
    while day <= last:
        total += per_day.get(day, 0)
        out.append((day, per_day.get(day, 0), total))
        day += timedelta(days=1)
    return out


def rate_by_attribute(campaign: Campaign) -> dict[str, list[tuple[str, ResponseRate]]]:
    """For each imported participant attribute, the response rate per value, lowest first;
    the people with no value for it are a group of their own (NOT_ANSWERED), so that the
    groups always add up to everyone in the list (DESIGN.md definition 6).

    Counted by the database (GROUP BY over the attributes' JSON), not row by row here."""
    pairs = Participant.attribute_pairs(db.session.get_bind().dialect.name)
    answered = func.count().filter(Participant.submitted)
    listed = and_(Participant.campaign_id == campaign.id, Participant.status != "withdrawn")
    rows = db.session.execute(
        select(pairs.c.key, pairs.c.value, answered, func.count())
        .select_from(Participant).join(pairs, true())
        .where(listed)
        .group_by(pairs.c.key, pairs.c.value)
    )
    counts: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for key, value, submitted, people in rows:
        if value is None or str(value).strip() == "":
            continue  # counted below, with those who have no value at all
        cell = counts[key].setdefault(str(value), [0, 0])
        cell[0] += submitted
        cell[1] += people
    if counts:
        everyone = db.session.execute(select(answered, func.count()).select_from(Participant)
                                      .where(listed)).one()
        for groups in counts.values():
            rest = [everyone[0] - sum(s for s, _p in groups.values()),
                    everyone[1] - sum(p for _s, p in groups.values())]
            if rest[1] > 0:
                groups[NOT_ANSWERED] = rest
    ordered = sorted(counts, key=lambda k: (BREAKDOWN_ORDER.index(k) if k in BREAKDOWN_ORDER else 99, k))
    out = {}
    for key in ordered:
        groups = [(value, ResponseRate(s, p)) for value, (s, p) in counts[key].items()]
        groups.sort(key=lambda g: (g[1].fraction, g[0]))
        out[key] = groups
    return out


@dataclass(frozen=True)
class ShownRates:
    """A breakdown of the live response rate as an organisation may see it: the groups of
    at least `threshold` people, and the rest together as one row (`other`), never on
    their own (scoring.suppression.small_groups)."""

    groups: list[tuple[str, ResponseRate]]
    #: the hidden groups' people and responses together (None: none hidden)
    other: ResponseRate | None
    #: how many groups `other` holds
    hidden: int
    threshold: int


def shown_rates(groups: list[tuple[str, ResponseRate]], threshold: int) -> ShownRates:
    """`groups` (as rate_by_attribute gives them) with the groups too small to show merged."""
    hidden = small_groups({value: rate.participants for value, rate in groups}, threshold)
    if not hidden:
        return ShownRates(list(groups), None, 0, threshold)
    merged = [rate for value, rate in groups if value in hidden]
    other = ResponseRate(sum(r.submitted for r in merged), sum(r.participants for r in merged))
    return ShownRates([g for g in groups if g[0] not in hidden], other, len(hidden), threshold)


#: (database, campaign, its counts, day) -> (responses by day, rate by attribute); per
#: worker, small
_KEPT: OrderedDict = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEEP = 64


def kept_figures(campaign: Campaign, today: date | None = None, counts: CampaignCounts | None = None):
    """(responses_by_day, rate_by_attribute) of the campaign as the database has it now;
    `counts`, when the caller has read them (campaign_counts), are not read again."""
    today = today or date.today()
    counts = counts or campaign_counts([campaign.id])[campaign.id]
    key = (str(db.session.get_bind().url), campaign.id, campaign.created_at, counts, today)
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
            return found
    found = (responses_by_day(campaign, today), rate_by_attribute(campaign))
    with _KEPT_LOCK:
        _KEPT[key] = found
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)
    return found
