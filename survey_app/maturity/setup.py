"""Setting up an organisation's return: a campaign of an organisation-return
questionnaire (the Digital Maturity Assessment) is created with its lead named, and the
Improve team may add contributors by hand. Operations flush, never commit.

Contributors are never imported from a list (participants/operations.py refuses it):
the return is the organisation's, answered by the few people it names.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from sqlalchemy import select

from questionnaires import Questionnaire, available

from ..console.operations import SetupError, create_campaign
from ..extensions import db
from ..models import Campaign, MaturityContributor, MaturityReturn
from ..models.types import utcnow
from .operations import add_contributor


def is_organisation_return(campaign: Campaign) -> bool:
    """Whether the campaign's questionnaire is one return per organisation (not a staff survey)."""
    return campaign.questionnaire_version.parsed().is_organisation_return


@dataclass(frozen=True)
class Lead:
    """The person named at set-up to lead the return (and alone to submit it)."""

    email: str
    name: str
    #: en, cy or None (no preference)
    language: str | None = None


class LeadProblem(SetupError):
    """A campaign set up without the lead its questionnaire needs, or with one it cannot
    have; `reason` is "missing", "incomplete" or "not_wanted"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def check_lead(questionnaire: Questionnaire, lead: Lead | None) -> None:
    """Refuses (LeadProblem) an organisation return without a lead (or with only part of
    one: an address and a name are both needed), and a lead for a staff survey."""
    if questionnaire.is_organisation_return and lead is None:
        raise LeadProblem("missing", f"Questionnaire '{questionnaire.id}' is one return per organisation: "
                                     "name its lead (the lead's email address and name).")
    if questionnaire.is_organisation_return and not (lead.email.strip() and lead.name.strip()):
        raise LeadProblem("incomplete", "The lead needs both an email address and a name.")
    if not questionnaire.is_organisation_return and lead is not None:
        raise LeadProblem("not_wanted", f"Questionnaire '{questionnaire.id}' is a staff survey, which has no "
                                        "lead: only an organisation return (such as the Digital Maturity "
                                        "Assessment) names one.")


def set_up_campaign(*, lead: Lead | None, hash_key: str, questionnaire_id: str,
                    questionnaires: Mapping[str, Questionnaire] | None = None, **campaign) -> Campaign:
    """create_campaign(), naming the lead when the questionnaire is an organisation return.

    Refuses (LeadProblem) a missing or unwanted lead before anything is created; a lead
    whose address or name cannot be used is refused by add_contributor
    (ContributorRefused) after the campaign was flushed: the caller rolls back."""
    questionnaires = available() if questionnaires is None else questionnaires
    chosen = questionnaires.get(questionnaire_id)
    if chosen is not None:  # an unknown questionnaire is create_campaign's to refuse
        check_lead(chosen, lead)
    made = create_campaign(questionnaire_id=questionnaire_id, questionnaires=questionnaires, **campaign)
    if lead is not None:
        name_lead(made, lead, hash_key=hash_key)
    return made


def name_lead(campaign: Campaign, lead: Lead, *, hash_key: str) -> MaturityContributor:
    """The campaign's lead: a contributor (a participant, invited like anyone) who alone submits."""
    return add_contributor(campaign, email=lead.email, name=lead.name, language=lead.language,
                           hash_key=hash_key, is_lead=True)


class ContributorNotAdded(ValueError):
    """Why a contributor cannot be added to this campaign at all (whoever they are)."""


def add_contributor_by_hand(campaign: Campaign, *, email: str, name: str, language: str | None, hash_key: str,
                            now: datetime | None = None) -> MaturityContributor:
    """A contributor added by the Improve team (not by the lead): refused for a staff
    survey, a campaign that has closed and a return already submitted
    (ContributorNotAdded), and as add_contributor refuses the person (ContributorRefused)."""
    now = now or utcnow()
    if not is_organisation_return(campaign):
        raise ContributorNotAdded(f"campaign {campaign.id} is a staff survey ({campaign.questionnaire}): "
                                  "it has participants, imported with `flask participants import`, not contributors.")
    if campaign.has_closed(now):
        raise ContributorNotAdded(f"campaign {campaign.id} has closed: contributors cannot be added.")
    submitted = db.session.execute(select(MaturityReturn.id).where(
        MaturityReturn.campaign_id == campaign.id, MaturityReturn.status == "submitted")).first()
    if submitted is not None:
        raise ContributorNotAdded(f"the return of campaign {campaign.id} has been submitted: "
                                  "contributors cannot be added.")
    return add_contributor(campaign, email=email, name=name, language=language, hash_key=hash_key)
