"""Fixtures for the respondent's journey: a respondent with a personal link, a real
server thread for browsers and concurrent requests, and a headless Chromium."""
from __future__ import annotations

import pytest

from tests.clients import FreshContextClient
from tests.factories import make_campaign, make_participant
from tests.respond.helpers import Respondent


@pytest.fixture
def new_client(app):
    """new_client() -> a client with cookies of its own (another browser or device)."""
    return lambda: FreshContextClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def make_respondent(app):
    """make_respondent(campaign=None, **participant fields) -> Respondent."""
    from survey_app.links import make_token

    def make(campaign=None, **overrides) -> Respondent:
        campaign = campaign or make_campaign()
        participant = make_participant(campaign, **overrides)
        return Respondent(campaign, participant, make_token(participant.id, app.config["SECRET_KEY"]))

    return make


@pytest.fixture
def respondent(make_respondent) -> Respondent:
    return make_respondent()
