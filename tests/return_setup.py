"""Organisation-return campaigns (the Digital Maturity Assessment) for the set-up, mail
and dashboard tests: a campaign with its lead, contributors, answers written straight
into the tables, and the lead's submission."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app

from survey_app.extensions import db
from survey_app.maturity.operations import return_of, submit_return
from survey_app.maturity.setup import Lead, add_contributor_by_hand, set_up_campaign
from survey_app.models import MaturityAnswer, MaturityContributor
from tests.factories import make_org

LEAD = Lead(email="lead@example.org", name="Lee Lead, Digital team")


def make_return_campaign(organisation=None, lead: Lead | None = LEAD, **overrides):
    """A DMA campaign open since yesterday unless told otherwise, with its lead named."""
    values = {"questionnaire_id": "dma", "opens": date.today() - timedelta(days=1)}
    values.update(overrides)
    campaign = set_up_campaign(organisation=organisation or make_org(), lead=lead,
                               hash_key=current_app.config["EMAIL_HASH_KEY"], **values)
    db.session.commit()
    return campaign


def lead_of(campaign) -> MaturityContributor:
    return db.session.execute(db.select(MaturityContributor).filter_by(campaign_id=campaign.id, is_lead=True)
                              ).scalar_one()


def add_contributors(campaign, *people: tuple[str, str, str | None], now: datetime | None = None):
    """(email, name, language) each; committed."""
    added = [add_contributor_by_hand(campaign, email=email, name=name, language=language,
                                     hash_key=current_app.config["EMAIL_HASH_KEY"], now=now)
             for email, name, language in people]
    db.session.commit()
    return added


def answer(campaign, by: MaturityContributor, values: dict[str, str | None], when: datetime | None = None):
    """Answers saved straight into the return: statement id -> yes, no or None (a note only)."""
    found = return_of(campaign)
    for statement_id, value in values.items():
        found.answers.append(MaturityAnswer(statement_id=statement_id, value=value,
                                            note=None if value else "Still to check", revision=1,
                                            changed_by_id=by.participant_id, changed_at=when or found.created_at))
    db.session.commit()
    return found


def submit(campaign, by: MaturityContributor | None, when: datetime):
    """The lead's submission (submit_return), or with `by` None a return the Improve team
    imported, as the tables hold it."""
    if by is not None:
        found = submit_return(campaign, by, when)
    else:
        found = return_of(campaign)
        found.status, found.submitted_at, found.submitted_by_id, found.source = "submitted", when, None, "import"
    db.session.commit()
    return found
