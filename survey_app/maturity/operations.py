"""Changing an organisation's return. Operations flush, never commit."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Campaign, MaturityContributor, MaturityReturn, Participant
from ..participants.operations import check_email
from ..privacy import email_hash

#: why a contributor cannot be added, by reason code (the pages and the CLI word them)
CONTRIBUTOR_REFUSALS = ("email", "duplicate", "second_lead", "name", "language")


class ContributorRefused(ValueError):
    """A contributor who cannot be added; `reason` is one of CONTRIBUTOR_REFUSALS."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def return_of(campaign: Campaign) -> MaturityReturn:
    """The campaign's one return, created as a draft the first time it is needed."""
    found = db.session.execute(
        select(MaturityReturn).where(MaturityReturn.campaign_id == campaign.id)).scalar_one_or_none()
    if found is None:
        found = MaturityReturn(campaign_id=campaign.id, status="draft", source="web")
        db.session.add(found)
        db.session.flush()
    return found


def add_contributor(campaign: Campaign, *, email: str, name: str, language: str | None, hash_key: str,
                    added_by: MaturityContributor | None = None, is_lead: bool = False) -> MaturityContributor:
    """Add a person to the campaign's return: a participant (so they get a personal link,
    an invitation and reminders like anyone invited) with the name the others see.

    Refuses (ContributorRefused) an address that is not one, an address already in the
    campaign, a blank or over-long name, and a second lead."""
    address, problem = check_email(email or "")
    if address is None:
        raise ContributorRefused("email", f"'{problem}': not an email address that mail can be sent to")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ContributorRefused("name", "a name of 1 to 100 characters is needed")
    if language not in (None, "en", "cy"):
        raise ContributorRefused("language", "the language must be en or cy")
    hashed = email_hash(address, hash_key)
    taken = db.session.execute(select(Participant.id).where(
        Participant.campaign_id == campaign.id, Participant.email_hash == hashed)).first()
    if taken is not None:
        raise ContributorRefused("duplicate", "this address is already a contributor")
    if is_lead and db.session.execute(select(MaturityContributor.participant_id).where(
            MaturityContributor.campaign_id == campaign.id, MaturityContributor.is_lead)).first():
        raise ContributorRefused("second_lead", "the campaign already has a lead")
    participant = Participant(campaign_id=campaign.id, email_hash=hashed, email=address, language=language,
                              attributes={}, status="active")
    db.session.add(participant)
    db.session.flush()
    contributor = MaturityContributor(participant_id=participant.id, campaign_id=campaign.id, is_lead=is_lead,
                                      name=name, added_by_id=added_by.participant_id if added_by else None)
    db.session.add(contributor)
    db.session.flush()
    return contributor
