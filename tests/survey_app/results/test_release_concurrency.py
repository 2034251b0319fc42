"""PostgreSQL: two people releasing the same campaign at the same moment."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from survey_app.console.release import ReleaseError, release_campaign
from survey_app.extensions import db
from survey_app.models import Campaign, CampaignReleaseEvent
from tests.factories import make_campaign

pytestmark = pytest.mark.postgres_only


def test_one_of_two_releases_at_once_is_refused(pg_app):
    campaign_id = make_campaign(opens=date(2025, 6, 2), released=False).id
    loaded = threading.Barrier(2)
    done, refused, errors = [], [], []

    def press(operator: str) -> None:
        try:
            with pg_app.app_context():
                campaign = db.session.get(Campaign, campaign_id)
                assert campaign.released_at is None
                loaded.wait(timeout=30)  # both have read it unreleased before either writes
                try:
                    release_campaign(campaign, operator=operator)
                except ReleaseError as exc:
                    db.session.rollback()
                    refused.append(exc.reason)
                else:
                    db.session.commit()
                    done.append(operator)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(who,)) for who in ("AB", "CD")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(done) == 1 and refused == ["already_released"]
    db.session.expire_all()
    assert db.session.get(Campaign, campaign_id).released_by_operator == done[0]
    events = db.session.execute(db.select(CampaignReleaseEvent.operator)).scalars().all()
    assert events == done
