"""The demo round `flask demo --seed` creates on an empty database: three data years of
the User Satisfaction survey across a few dozen made-up organisations, so that every
benchmark, band, peer group and trend has something to show on a first visit, and two
years of their Digital Maturity Assessment returns (demo_maturity.py).

Organisations and campaigns are created by the console's own operations (codes, data
years and frozen questionnaire versions as in real use); each campaign's people, mail and
answers are written in bulk by demo_campaign.py. Everything comes from random generators
seeded with fixed numbers, so two databases seeded the same day hold the same answers;
only the dates move with today, so that the demo organisation's campaign is always open.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from flask import current_app

from mailer.settings import MailerSettings
from questionnaires import available
from scoring.years import data_year, year_label

from ..console.operations import LOCAL, create_campaign, create_organisation
from ..console.release import release_campaign
from ..extensions import db
from ..peers.operations import create_group
from ..models import Campaign
from ..models.types import utcnow
from . import demo_data
from .demo_campaign import Filled, Tendency, fill_campaign
from .demo_maturity import MaturitySummary, seed_maturity

QUESTIONNAIRE = "user-satisfaction"
SEED = 20260415
#: the demo organisation's campaign opened this many days before today
OPEN_FOR_DAYS = 12
#: the share of organisations taking part in each of the three years (the demo's always does)
TAKING_PART = (0.8, 0.9, 0.93)
WEEKS = (3, 4, 4, 4, 4, 4, 5, 6)


@dataclass
class RoundSummary:
    organisations: int = 0
    campaigns: int = 0
    years: list[int] = field(default_factory=list)
    year_kind: str = "financial"
    filled: Filled = field(default_factory=Filled)
    maturity: MaturitySummary | None = None

    def describe(self) -> str:
        first, last = (year_label(y, self.year_kind) for y in (self.years[0], self.years[-1]))
        out = (f"Demo round: {self.organisations} organisations, {self.campaigns} campaigns from {first} to "
               f"{last}, {self.filled.participants:,} people invited, {self.filled.submitted:,} responses "
               f"submitted and {self.filled.partial:,} in progress.")
        if self.maturity is not None:
            out += " " + self.maturity.describe(lambda y: year_label(y, self.year_kind))
        return out


def release(campaign: Campaign, at: datetime) -> None:
    """The Improve team releases a closed campaign's results some days after it closes
    (issue 15 part 6): the console's own operation, recorded as done by the demo."""
    db.session.flush()
    release_campaign(campaign, operator="demo round", now=at)


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([SEED, *key])


def _key(type_letter: str, number: int) -> tuple[int, int]:
    return ord(type_letter), number


def demo_dates(today: date) -> tuple[date, date]:
    """When the demo organisation's campaign opens and closes: it opened OPEN_FOR_DAYS ago
    and runs four weeks. Early in a financial year (before June), when no other campaign of
    the year could have run and closed yet, it opened in March instead and runs on past
    today, so that it belongs to the year that has finished campaigns around it."""
    opens = today - timedelta(days=OPEN_FOR_DAYS)
    if (today - date(data_year(opens), 4, 1)).days < 61:
        opens = date(data_year(opens), 3, 20)
        return opens, today + timedelta(days=16)
    return opens, opens + timedelta(weeks=4)


def _campaign_window(year: int, this_year: int, today: date, rng: np.random.Generator) -> tuple[date, int]:
    """A closed campaign's opening day and length in weeks: autumn and winter in earlier
    years, any time this year up to a few days before today."""
    weeks = int(rng.choice(WEEKS))
    start = date(year, 4, 1)
    latest = min(start + timedelta(days=330), today - timedelta(days=3 + 7 * weeks))
    earliest = start + timedelta(days=14 if year == this_year else 120)
    earliest = max(earliest, latest - timedelta(days=150)) if year == this_year else earliest
    earliest = min(earliest, latest)
    return earliest + timedelta(days=int(rng.random() * ((latest - earliest).days + 1))), weeks


@dataclass
class _Organisation:
    org: object
    size: int
    level: float
    spread: float
    drift: np.ndarray
    rate: float
    rate_noise: np.ndarray
    profile: dict
    taking_part: np.ndarray
    domain: str
    factors: dict

    def tendency(self, year_index: int) -> Tendency:
        change = float(self.drift[year_index])
        rate = float(np.clip(self.rate + self.rate_noise[year_index], 0.18, 0.72))
        return Tendency(level=self.level + float(np.sum(self.drift[:year_index + 1])), spread=self.spread,
                        improved=4.3 + 2.0 * change, rate=rate, profile=self.profile,
                        bilingual=self.org.language_policy == "bilingual", factors=self.factors)


def _organisation(spec: tuple) -> _Organisation:
    type_letter, number, name, name_cy, partnership, size = spec
    org = create_organisation(name=name, name_cy=name_cy, type_letter=type_letter, number=number,
                              partnership=partnership)
    rng = _rng(1, *_key(type_letter, number))
    profile = {}
    for question, options in demo_data.PROFILE.items():
        shares = np.array([share for share, _effect in options.values()], dtype=float)
        profile[question] = rng.dirichlet(shares / shares.sum() * 60)
    org_state = _Organisation(
        org=org, size=size, level=float(np.clip(rng.normal(4.95, 0.38), 4.1, 5.8)),
        spread=float(rng.uniform(0.75, 1.05)), drift=rng.normal(0.08, 0.2, 3), rate=float(rng.uniform(0.25, 0.65)),
        rate_noise=rng.normal(0, 0.05, 3), profile=profile, taking_part=rng.random(3) < np.array(TAKING_PART),
        domain=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".example.org",
        factors={factor: (float(rng.normal(0, 0.25)), float(rng.normal(0, 0.15))) for factor in demo_data.FACTORS},
    )
    if (type_letter, number) == ("W", 1):  # the demo organisation: taking part each year, and getting better
        org_state.level, org_state.drift, org_state.rate = 4.75, np.array([0.05, 0.2, 0.25]), 0.5
        org_state.taking_part[:] = True
    return org_state


def seed_round(now: datetime | None = None) -> tuple[Campaign, RoundSummary]:
    """Create the whole round; returns the demo organisation's open campaign. Flushes,
    never commits (the command does)."""
    now = now or utcnow()
    today = now.astimezone(LOCAL).date()
    config = current_app.config
    settings = MailerSettings.from_config(config)
    questionnaires = available()
    questionnaire = questionnaires[QUESTIONNAIRE]
    demo_opens, demo_closes = demo_dates(today)
    this_year = data_year(demo_opens, questionnaire.data_year)
    summary = RoundSummary(years=[this_year - 2, this_year - 1, this_year], year_kind=questionnaire.data_year)
    organisations = [_organisation(spec) for spec in demo_data.ORGANISATIONS]
    summary.organisations = len(organisations)
    demo = organisations[0]

    def fill(campaign: Campaign, o: _Organisation, index: int) -> None:
        staff_count = round(o.size * _rng(4, index, *_key(o.org.type_letter, o.org.number)).uniform(0.93, 1.07))
        first = index * round(0.08 * o.size)
        filled = fill_campaign(
            campaign, campaign.questionnaire_version.parsed(), o.tendency(index),
            staff=range(first + 1, first + staff_count + 1), domain=o.domain,
            rng=_rng(2, index, *_key(o.org.type_letter, o.org.number)), now=now, settings=settings,
            hash_key=config["EMAIL_HASH_KEY"], secret=config["SECRET_KEY"])
        summary.campaigns += 1
        for name in ("participants", "submitted", "partial"):
            setattr(summary.filled, name, getattr(summary.filled, name) + getattr(filled, name))

    for index, year in enumerate(summary.years):
        for o in organisations:
            if not o.taking_part[index] or (o is demo and year == this_year):
                continue
            opens, weeks = _campaign_window(year, this_year, today, _rng(3, index, *_key(o.org.type_letter,
                                                                                           o.org.number)))
            campaign = create_campaign(organisation=o.org, questionnaire_id=QUESTIONNAIRE, opens=opens, weeks=weeks,
                                       now=now, questionnaires=questionnaires)
            # closed by the scheduler at its closing time, addresses erased after the grace period
            campaign.closed_at = campaign.closes_at
            if campaign.closes_at + settings.erase_grace <= now:
                campaign.emails_erased_at = campaign.closes_at + settings.erase_grace
            released = campaign.closes_at + timedelta(days=3 + index)
            if released <= now:
                release(campaign, released)
            fill(campaign, o, index)
    # a named peer group the Improve team keeps, with the demo organisation in it (issue 15 part 2)
    name, members = demo_data.PEER_GROUP
    create_group(name, [o.org.code_for(this_year) for o in organisations
                        if (o.org.type_letter, o.org.number) in set(members)])
    campaign = create_campaign(organisation=demo.org, questionnaire_id=QUESTIONNAIRE, opens=demo_opens,
                               closes=demo_closes, now=now, questionnaires=questionnaires)
    fill(campaign, demo, 2)
    # the Digital Maturity Assessment: one return per organisation, last year and this
    summary.maturity = seed_maturity(
        organisations, years=[this_year - 1, this_year],
        window=lambda year, rng: _campaign_window(year, this_year, today, rng), demo_window=(demo_opens, demo_closes),
        rng=_rng, release=release, now=now, settings=settings, hash_key=config["EMAIL_HASH_KEY"],
        questionnaires=questionnaires)
    return campaign, summary
