"""Submissions to a live campaign as the respondent's submit leaves them (respond/
operations.submit): sealed in the queue with the participant list's values, on the UK day
they came, and the participant marked submitted. Until they are released
(tests.stored.release_all) they count in the live rate but not in results."""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from survey_app.extensions import db
from survey_app.submissions import queue_statement, queued_row


def queue_submission(participant, when: datetime, answers: dict[str, str] | None = None, *,
                     language: str = "en", device_class: str | None = None) -> None:
    """`participant` submits `answers` at `when` (not committed)."""
    participant.submitted = True
    db.session.execute(queue_statement(), queued_row(
        campaign_id=participant.campaign_id, now=when, secret=current_app.config["SECRET_KEY"], language=language,
        device_class=device_class, attributes=dict(participant.attributes or {}), answers=answers or {"overall": "5"}))


def import_response(campaign, when: datetime, answers: dict[str, str] | None = None) -> None:
    """A response imported from paper on `when`'s day: straight into the store."""
    from survey_app.submissions import store_imported, uk_day

    store_imported(db.session, campaign.id, [{"public_id": None, "submitted_on": uk_day(when), "language": "en",
                                              "device_class": None, "answers": answers or {"overall": "5"}}])
