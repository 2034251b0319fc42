"""Response-rate figures read straight from the database (no cache that could lag)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select

from scoring import ResponseRate

from ..extensions import db
from ..models import Campaign, Participant, Response
from ..results.data import response_counts

LOCAL = ZoneInfo("Europe/London")
#: participant list columns shown as response-rate breakdowns, in this order first
BREAKDOWN_ORDER = ("location", "role", "department", "working_mode")


def rate_counts(campaign_ids: list[int]) -> dict[int, ResponseRate]:
    """The response rate of each campaign (DESIGN.md definition 4), in three queries."""
    if not campaign_ids:
        return {}
    counts = response_counts(Campaign.id.in_(campaign_ids))
    return {int(row.campaign_id): ResponseRate(int(row.submitted), int(row.participants))
            for row in counts.itertuples()}


def responses_by_day(campaign: Campaign, today: date | None = None) -> list[tuple[date, int, int]]:
    """(day, submitted that day, cumulative) from the opening day to today or the close,
    counting what the headline counts (responses imported without a participant too)."""
    times = db.session.execute(
        select(Response.submitted_at)
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .where(Response.campaign_id == campaign.id, Response.status == "submitted",
               or_(Participant.id.is_(None), Participant.status != "withdrawn"))
    ).scalars()
    per_day: dict[date, int] = defaultdict(int)
    for t in times:
        per_day[t.astimezone(LOCAL).date()] += 1
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
    """For each imported participant attribute, the response rate per value, lowest first."""
    rows = db.session.execute(
        select(Participant.attributes, Response.id)
        .outerjoin(Response, and_(Response.participant_id == Participant.id, Response.status == "submitted"))
        .where(Participant.campaign_id == campaign.id, Participant.status != "withdrawn")
    )
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for attributes, response_id in rows:
        for key, value in (attributes or {}).items():
            if value in (None, ""):
                continue
            cell = counts[key][str(value)]
            cell[1] += 1
            if response_id is not None:
                cell[0] += 1
    ordered = sorted(counts, key=lambda k: (BREAKDOWN_ORDER.index(k) if k in BREAKDOWN_ORDER else 99, k))
    out = {}
    for key in ordered:
        groups = [(value, ResponseRate(s, p)) for value, (s, p) in counts[key].items()]
        groups.sort(key=lambda g: (g[1].fraction, g[0]))
        out[key] = groups
    return out
