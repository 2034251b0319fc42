"""Fixtures for the results tests: stored responses with answers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest


@pytest.fixture
def make_response(app):
    """make_response(campaign, {"item_id": "value", ...}, participant=None, ...): a stored
    response, submitted unless status="partial"."""
    from survey_app.extensions import db
    from survey_app.models import Answer, Response

    def make(campaign, answers, *, participant=None, status="submitted", language="en", device_class=None,
             submitted_at=None, source="web", public_id=None):
        now = datetime.now(timezone.utc)
        response = Response(
            campaign_id=campaign.id, participant_id=participant.id if participant else None, status=status,
            language=language, device_class=device_class, source=source,
            started_at=now - timedelta(minutes=10),
            submitted_at=(submitted_at or now) if status == "submitted" else None,
            answers=[Answer(item_id=k, value=v) for k, v in answers.items()],
        )
        if public_id:
            response.public_id = public_id
        db.session.add(response)
        db.session.commit()
        return response

    return make
