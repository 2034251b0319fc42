"""Releasing a campaign's results, and taking them back. They flush, never commit.

Results are provisional until the Improve team releases them after the campaign closes;
only released campaigns count in benchmarks and in the exports across organisations
(results/data.py). Each release and un-release is recorded with who and when.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from questionnaires.characters import unstorable_character

from ..extensions import db
from ..models import Campaign, CampaignReleaseEvent, User
from ..models.types import utcnow
from .operations import LOCAL

MAX_OPERATOR_LENGTH = 100


class ReleaseError(ValueError):
    """A release or un-release that cannot be done; the message says why (in English,
    for the command line) and `reason` which rule stopped it, for the console's own words:
    not_closed, already_released, not_released, not_improve or operator."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def checked_operator(operator: str | None) -> str:
    """The name the command line gives for who is acting, as it will be stored."""
    operator = (operator or "").strip()
    if not operator:
        raise ReleaseError("Say who is doing this with --operator (a name or initials).", "operator")
    if len(operator) > MAX_OPERATOR_LENGTH:
        raise ReleaseError(f"--operator must be {MAX_OPERATOR_LENGTH} characters or fewer.", "operator")
    if "@" in operator:  # addresses are kept only as hashes: none is stored in plain here
        raise ReleaseError("--operator must be a name or initials, not an email address.", "operator")
    if unstorable_character(operator):
        raise ReleaseError("--operator contains a character that cannot be stored.", "operator")
    return operator


def _who(user: User | None, operator: str | None) -> tuple[User | None, str | None]:
    if (user is None) == (operator is None):
        raise ValueError("give either the console user or the command line's operator")
    if user is not None and user.role != "improve":
        raise ReleaseError("Only the Improve team can release results.", "not_improve")
    return user, (None if operator is None else checked_operator(operator))


def release_campaign(campaign: Campaign, *, user: User | None = None, operator: str | None = None,
                     now: datetime | None = None) -> CampaignReleaseEvent:
    """Release a closed campaign's results: they stop being provisional and count in
    benchmarks. `user` when done from the console, `operator` from the command line."""
    user, operator = _who(user, operator)
    if campaign.status != "closed":
        raise ReleaseError(f"Campaign {campaign.id} ({campaign.code}) is still {_status(campaign)}: "
                           f"its results can be released once it closes "
                           f"({campaign.closes_at.astimezone(LOCAL).date().isoformat()}).", "not_closed")
    if campaign.released_at is not None:
        raise _already_released(campaign)
    now = now or utcnow()
    _change(campaign, Campaign.released_at.is_(None), released_at=now, released_by_id=user.id if user else None,
            released_by_operator=operator)
    return _record(campaign, "release", user, operator, now)


def unrelease_campaign(campaign: Campaign, *, user: User | None = None, operator: str | None = None,
                       now: datetime | None = None) -> CampaignReleaseEvent:
    """Take a campaign's released results back: provisional again, out of benchmarks."""
    user, operator = _who(user, operator)
    if campaign.released_at is None:
        raise _not_released(campaign)
    now = now or utcnow()
    _change(campaign, Campaign.released_at.is_not(None), released_at=None, released_by_id=None,
            released_by_operator=None)
    return _record(campaign, "unrelease", user, operator, now)


def release_history(campaign: Campaign) -> list[CampaignReleaseEvent]:
    """Every release and un-release of a campaign, newest first."""
    return list(db.session.execute(
        db.select(CampaignReleaseEvent).where(CampaignReleaseEvent.campaign_id == campaign.id)
        .order_by(CampaignReleaseEvent.at.desc(), CampaignReleaseEvent.id.desc())).scalars())


def _status(campaign: Campaign) -> str:
    return "open" if campaign.status == "open" else "not yet open"


def _change(campaign: Campaign, expected, **values) -> None:
    """Set `values` on the campaign in one UPDATE whose WHERE clause is the state checked
    above: of two people pressing the same button at once, one changes it, and the other
    is told what the first did (PostgreSQL re-checks the row once the first commits)."""
    changed = db.session.execute(
        sa.update(Campaign).where(Campaign.id == campaign.id, Campaign.status == "closed", expected)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(campaign)
    if changed != 1:
        raise _already_released(campaign) if campaign.released_at is not None else _not_released(campaign)


def _already_released(campaign: Campaign) -> ReleaseError:
    return ReleaseError(f"Campaign {campaign.id} ({campaign.code}) was already released on "
                        f"{campaign.released_at.astimezone(LOCAL).date().isoformat()}.", "already_released")


def _not_released(campaign: Campaign) -> ReleaseError:
    return ReleaseError(f"Campaign {campaign.id} ({campaign.code}) has not been released.", "not_released")


def _record(campaign, action, user, operator, now) -> CampaignReleaseEvent:
    event = CampaignReleaseEvent(campaign_id=campaign.id, action=action, user_id=user.id if user else None,
                                 operator=operator, at=now)
    db.session.add(event)
    db.session.flush()
    return event
