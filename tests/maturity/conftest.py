"""Fixtures for an organisation's return: a DMA campaign open since yesterday, its lead
and contributors with their personal links, and browsers of their own."""
from __future__ import annotations

import pytest

from tests.clients import FreshContextClient
from tests.factories import make_campaign
from tests.maturity.helpers import Person


@pytest.fixture
def new_client(app):
    """new_client() -> a client with cookies of its own (another person's browser)."""
    return lambda: FreshContextClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def dma_campaign(app):
    return make_campaign(questionnaire_id="dma")


@pytest.fixture
def make_person(app):
    """make_person(campaign, name, lead=False, language=None) -> Person, added as the
    set-up (or the lead) adds them: through operations.add_contributor."""
    from survey_app.extensions import db
    from survey_app.links import make_token
    from survey_app.maturity.operations import add_contributor

    made = iter(range(1, 1000))

    def make(campaign, name: str, *, lead: bool = False, language: str | None = None, email: str | None = None,
             added_by=None) -> Person:
        contributor = add_contributor(campaign, email=email or f"contributor{next(made)}@example.org", name=name,
                                      language=language, hash_key=app.config["EMAIL_HASH_KEY"], is_lead=lead,
                                      added_by=added_by)
        db.session.commit()
        return Person(campaign, contributor, make_token(contributor.participant_id, app.config["SECRET_KEY"]))

    return make


@pytest.fixture
def lead(dma_campaign, make_person) -> Person:
    return make_person(dma_campaign, "Sam Lead", lead=True)


@pytest.fixture
def contributor(dma_campaign, lead, make_person) -> Person:
    return make_person(dma_campaign, "Alex Data", added_by=lead.contributor)
