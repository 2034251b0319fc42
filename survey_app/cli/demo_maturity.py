"""The demo round's Digital Maturity Assessment: a return from most demo organisations in
each of the last two data years, so that its results page has peers, a spread of levels,
an earlier year and gaps to show.

Each organisation has a maturity of its own (some barely started, a few near the top),
stronger in some functions than others, and a little further on this year than last. A
function's Yes answers run up through the layers to about that maturity, the layer above
partly done, and now and then a Yes higher up out of order, as real returns have them.
Contributors are added by the operation the pages use (a lead and one or two others);
answers, notes and mail are written in bulk as demo_campaign.py writes a survey's.
Last year's returns are all submitted and released; this year's mostly, but a couple wait
to be released, one was never submitted, and the demo organisation's own is a draft in
progress (its lead's link is printed by `flask demo --seed`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from mailer.planner import message_language, reminder_times
from mailer.settings import MailerSettings

from ..console.operations import create_campaign
from ..extensions import db
from ..links import respond_url
from ..maturity.operations import add_contributor, return_of
from ..models import Campaign, MaturityAnswer, MaturityContributor, OutboxMessage, Participant
from . import demo_data
from .demo_campaign import insert_many, sent_row

DMA = "dma"
#: the share of organisations returning it last year and this year (the demo's always does)
TAKING_PART = (0.85, 0.9)
#: the share of statements with a note
NOTE_SHARE = 0.06
#: a Yes in a layer above the one being worked on
OUT_OF_ORDER = 0.1
#: the demo organisation's draft: the share of its statements answered so far
DRAFT_ANSWERED = 0.6
DEMO = ("W", 1)


@dataclass
class MaturitySummary:
    years: list[int] = field(default_factory=list)
    returns: int = 0
    submitted: int = 0
    released: int = 0

    def describe(self, label) -> str:
        return (f"Digital Maturity Assessment: {self.returns} returns in {label(self.years[0])} and "
                f"{label(self.years[-1])}, {self.submitted} submitted and {self.released} released.")


def seed_maturity(organisations: list, *, years: list[int], window, demo_window, rng, release, now: datetime,
                  settings: MailerSettings, hash_key: str, questionnaires) -> MaturitySummary:
    """Returns for `organisations` (demo_round's, each with `org` and `domain`) in `years`
    (last year, this year). `window(year, rng)` gives a closed campaign's opening day and
    weeks, `demo_window` the demo organisation's open campaign's days, `rng(*key)` a
    seeded generator and `release(campaign, at)` releases one. Flushes, never commits."""
    questionnaire = questionnaires[DMA]
    functions = [f.id for f in questionnaire.functions]
    statements = [(item.id, functions.index(item.function), item.layer) for item in questionnaire.statements]
    summary = MaturitySummary(years=list(years))
    for o in organisations:
        key = (ord(o.org.type_letter), o.org.number)
        spot = (o.org.type_letter, o.org.number)
        r = rng(6, *key)
        # where the organisation stands: its maturity, its strong and weak functions, its progress
        base, growth = float(np.clip(r.normal(2.0, 1.05), 0.1, 4.4)), float(r.uniform(0.15, 0.8))
        offsets = r.normal(0, 0.75, len(functions))
        taking_part = r.random(len(years)) < np.array(TAKING_PART)
        for index, year in enumerate(years):
            this_year = index == len(years) - 1
            if not (taking_part[index] or spot == DEMO):
                continue
            if spot == DEMO and this_year:
                opens, closes = demo_window
                campaign = create_campaign(organisation=o.org, questionnaire_id=DMA, opens=opens, closes=closes,
                                           now=now, questionnaires=questionnaires)
            else:
                opens, weeks = window(year, rng(7, index, *key))
                campaign = create_campaign(organisation=o.org, questionnaire_id=DMA, opens=opens, weeks=weeks,
                                           now=now, questionnaires=questionnaires)
                campaign.closed_at = campaign.closes_at
                if campaign.closes_at + settings.erase_grace <= now:
                    campaign.emails_erased_at = campaign.closes_at + settings.erase_grace
            draft = spot == DEMO and this_year or (this_year and spot in demo_data.DMA_UNSUBMITTED)
            maturity = base + growth * index + offsets + r.normal(0, 0.3, len(functions))
            answers = _answers(statements, maturity, r, draft=draft and spot == DEMO)
            submitted_at = None if draft else campaign.opens_at + (campaign.closes_at - campaign.opens_at) * float(
                r.uniform(0.55, 0.95))
            _fill(campaign, o, answers, submitted_at, r, now=now, settings=settings, hash_key=hash_key)
            summary.returns += 1
            summary.submitted += submitted_at is not None
            released = campaign.closes_at + timedelta(days=4 + index)
            if submitted_at is not None and campaign.status == "closed" and released <= now \
                    and not (this_year and spot in demo_data.DMA_UNRELEASED):
                release(campaign, released)
                summary.released += 1
    return summary


def _answers(statements: list[tuple[str, int, int]], maturity: np.ndarray, r: np.random.Generator,
             draft: bool) -> list[tuple[str, str | None]]:
    """(statement id, yes/no/None) of every statement: Yes through the layers up to the
    function's maturity, the next layer partly Yes, a few out-of-order Yes above it."""
    out = []
    for statement_id, function, layer in statements:
        reached = float(np.clip(maturity[function], 0, 5))
        level = int(reached)
        if layer <= level:
            value = "yes"
        elif layer == level + 1:
            value = "yes" if r.random() < reached - level else "no"
        else:
            value = "yes" if r.random() < OUT_OF_ORDER else "no"
        out.append((statement_id, value, function, layer))
    # a layer just above the level is never all Yes (or the level would be higher)
    for function in {f for _s, _v, f, _l in out}:
        level = int(np.clip(maturity[function], 0, 5))
        above = [i for i, (_s, _v, f, layer) in enumerate(out) if f == function and layer == level + 1]
        if above and all(out[i][1] == "yes" for i in above):
            out[above[-1]] = (*out[above[-1]][:1], "no", *out[above[-1]][2:])
    if draft:  # answered function by function, the last ones not reached yet
        reached = int(len(out) * DRAFT_ANSWERED)
        return [(s, v if i < reached else None) for i, (s, v, _f, _l) in enumerate(out)]
    return [(s, v if r.random() > 0.01 else None) for s, v, _f, _l in out]


def _fill(campaign: Campaign, o, answers: list, submitted_at: datetime | None, r: np.random.Generator, *,
          now: datetime, settings: MailerSettings, hash_key: str) -> None:
    """The return's contributors, answers, notes and mail, as the pages and the scheduler leave them."""
    org = campaign.organisation
    welsh = org.language_policy == "bilingual"
    listed = campaign.opens_at - timedelta(days=3)
    lead_language = "cy" if welsh and r.random() < 0.3 else None
    lead = add_contributor(campaign, email=f"dma.lead@{o.domain}", name=str(r.choice(demo_data.DMA_LEADS)),
                           language=lead_language, hash_key=hash_key, is_lead=True)
    people, languages = [lead], {lead.participant_id: lead_language}
    for number, name in enumerate(r.choice(demo_data.DMA_CONTRIBUTORS, size=int(r.integers(1, 3)), replace=False)):
        people.append(add_contributor(campaign, email=f"dma.contributor{number + 1}@{o.domain}", name=str(name),
                                      language=None, hash_key=hash_key, added_by=lead))
        languages[people[-1].participant_id] = None
    # listed a few days before the assessment opened; addresses erased after it closed
    erased = {"email": None} if campaign.emails_erased_at is not None else {}
    db.session.execute(sa.update(Participant).where(Participant.campaign_id == campaign.id)
                       .values(created_at=listed, **erased), execution_options={"synchronize_session": False})
    db.session.execute(sa.update(MaturityContributor).where(MaturityContributor.campaign_id == campaign.id)
                       .values(added_at=listed), execution_options={"synchronize_session": False})
    returned = return_of(campaign)
    until = submitted_at or min(now, campaign.closes_at)
    returned.created_at = campaign.opens_at + timedelta(hours=10)
    returned.updated_at = until
    if submitted_at is not None:
        returned.status, returned.submitted_at = "submitted", submitted_at
        returned.submitted_by_id = lead.participant_id
    db.session.flush()
    started, return_id = returned.created_at, returned.id
    span = (until - started).total_seconds()
    notes = demo_data.DMA_NOTES["cy" if welsh and r.random() < 0.5 else "en"]
    ids = [person.participant_id for person in people]
    # drawn for every statement at once, whether answered or not, so that one draw never shifts the next
    u = r.random((len(answers), 2))
    who, revision, moment = r.integers(0, len(ids), len(answers)), r.choice([1, 1, 1, 2, 3], len(answers)), \
        r.uniform(0.05, 0.98, len(answers))
    rows = []
    for i, (statement_id, value) in enumerate(answers):
        if value is None and u[i, 0] > 0.05:
            continue  # not reached yet (a few have a note written before the answer)
        kind = notes["yes" if value == "yes" else "no"]
        note = kind[int(u[i, 1] / NOTE_SHARE * len(kind))] if u[i, 1] < NOTE_SHARE else None
        rows.append({"return_id": return_id, "statement_id": statement_id, "value": value, "note": note,
                     "revision": int(revision[i]), "changed_by_id": ids[int(who[i])],
                     "changed_at": started + timedelta(seconds=float(moment[i]) * span)})
    insert_many(MaturityAnswer.__table__, rows)
    # the invitation, and each reminder sent before the return was submitted
    invited_at = settings.window.send_time(campaign.opens_at, campaign.closes_at)
    if invited_at is None or invited_at > now:
        return
    sends = [("invitation", campaign.opens_at, invited_at)]
    sends += [(kind, due, send_at) for kind, due, send_at in reminder_times(campaign, settings)
              if send_at <= now and (submitted_at is None or send_at < submitted_at)]
    insert_many(OutboxMessage.__table__, [
        sent_row(campaign.id, participant_id, kind, message_language(org.language_policy, language), due, send_at)
        for participant_id, language in languages.items() for kind, due, send_at in sends])


def lead_links(organisation) -> list[str]:
    """The personal link of the lead of the organisation's latest assessment, for `flask demo`."""
    from flask import current_app

    found = db.session.execute(
        db.select(Campaign, MaturityContributor)
        .join(MaturityContributor, MaturityContributor.campaign_id == Campaign.id)
        .where(Campaign.organisation_id == organisation.id, Campaign.questionnaire == DMA,
               MaturityContributor.is_lead)
        .order_by(Campaign.id.desc())).first()
    if found is None:
        return []
    campaign, lead = found
    config = current_app.config
    url = respond_url(lead.participant_id, config["SECRET_KEY"], config["BASE_URL"])
    return [f"Digital Maturity Assessment {campaign.year_label} ({campaign.code}, campaign {campaign.id}), "
            f"the lead's link ({lead.name}): {url}"]
