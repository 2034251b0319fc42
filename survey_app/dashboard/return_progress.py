"""How far an organisation's return has got (the Digital Maturity Assessment), in place of
a response rate: there is one return per organisation, so a rate of people answering
means nothing. Its state, the statements answered in all and per function, and who
works on it (names and roles, never addresses)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from questionnaires.model import Text

from ..extensions import db
from ..models import Campaign, MaturityAnswer, MaturityContributor, MaturityReturn, OutboxMessage, Participant


@dataclass(frozen=True)
class ReturnSummary:
    """A return in one line: its state and the statements answered (Yes or No) of all."""

    #: not_started (nobody has saved anything), draft or submitted
    status: str
    submitted_at: datetime | None
    answered: int
    statements: int


@dataclass(frozen=True)
class FunctionProgress:
    id: str
    label: Text
    answered: int
    statements: int


@dataclass(frozen=True)
class ContributorRow:
    name: str
    is_lead: bool
    #: their invitation has been sent
    invited: bool
    #: their address was refused by the mail server
    bounced: bool


@dataclass(frozen=True)
class ReturnProgress:
    summary: ReturnSummary
    #: the lead's name when submitted (None for a return imported by the Improve team)
    submitted_by: str | None
    functions: list[FunctionProgress]
    contributors: list[ContributorRow]


def return_summaries(campaigns: list[Campaign]) -> dict[int, ReturnSummary]:
    """The summary of each organisation-return campaign given, in one query."""
    if not campaigns:
        return {}
    answered = func.count(MaturityAnswer.id)
    rows = db.session.execute(
        select(MaturityReturn.campaign_id, MaturityReturn.status, MaturityReturn.submitted_at, answered)
        .outerjoin(MaturityAnswer, and_(MaturityAnswer.return_id == MaturityReturn.id,
                                        MaturityAnswer.value.is_not(None)))
        .where(MaturityReturn.campaign_id.in_([c.id for c in campaigns]))
        .group_by(MaturityReturn.campaign_id, MaturityReturn.status, MaturityReturn.submitted_at)
    ).all()
    found = {campaign_id: (status, submitted_at, count) for campaign_id, status, submitted_at, count in rows}
    out = {}
    for campaign in campaigns:
        statements = len(campaign.questionnaire_version.parsed().statements)
        status, submitted_at, count = found.get(campaign.id, ("not_started", None, 0))
        out[campaign.id] = ReturnSummary(status, submitted_at, count, statements)
    return out


def contributors_of(campaign: Campaign) -> list[ContributorRow]:
    """The campaign's contributors, the lead first, then in the order they were added."""
    invitation = aliased(OutboxMessage)
    invited = exists().where(invitation.participant_id == MaturityContributor.participant_id,
                             invitation.kind == "invitation", invitation.status == "sent")
    rows = db.session.execute(
        select(MaturityContributor.name, MaturityContributor.is_lead, invited, Participant.status)
        .join(Participant, Participant.id == MaturityContributor.participant_id)
        .where(MaturityContributor.campaign_id == campaign.id)
        .order_by(MaturityContributor.is_lead.desc(), MaturityContributor.added_at, MaturityContributor.participant_id)
    ).all()
    return [ContributorRow(name, bool(is_lead), bool(sent), status == "bounced")
            for name, is_lead, sent, status in rows]


def return_progress(campaign: Campaign) -> ReturnProgress:
    """Everything the campaign page shows of the return."""
    questionnaire = campaign.questionnaire_version.parsed()
    lead = aliased(MaturityContributor)
    found = db.session.execute(
        select(MaturityReturn.id, MaturityReturn.status, MaturityReturn.submitted_at, lead.name)
        .outerjoin(lead, lead.participant_id == MaturityReturn.submitted_by_id)
        .where(MaturityReturn.campaign_id == campaign.id)
    ).one_or_none()
    answered_ids: set[str] = set()
    if found is not None:
        answered_ids = set(db.session.execute(select(MaturityAnswer.statement_id).where(
            MaturityAnswer.return_id == found.id, MaturityAnswer.value.is_not(None))).scalars())
    functions = []
    for function in questionnaire.functions:
        ids = {item.id for item in questionnaire.statements_of(function.id)}
        functions.append(FunctionProgress(function.id, function.label, len(ids & answered_ids), len(ids)))
    statements = {item.id for item in questionnaire.statements}
    summary = ReturnSummary(found.status if found else "not_started", found.submitted_at if found else None,
                            len(statements & answered_ids), len(statements))
    return ReturnProgress(summary, found.name if found and found.status == "submitted" else None, functions,
                          contributors_of(campaign))
