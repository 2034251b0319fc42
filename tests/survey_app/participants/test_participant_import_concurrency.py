"""PostgreSQL: two imports of overlapping files into one campaign at the same time."""
from __future__ import annotations

import io
import threading
from datetime import date, datetime, timezone

import pytest

from survey_app.extensions import db
from survey_app.models import Campaign, Participant
from survey_app.participants.operations import import_participants
from tests.factories import make_campaign

pytestmark = pytest.mark.postgres_only


def test_two_imports_at_once_never_create_a_duplicate(pg_app):
    campaign_id = make_campaign(opens=date(2030, 3, 4), now=datetime(2030, 1, 1, tzinfo=timezone.utc)).id
    first = b"email\n" + b"".join(b"p%d@example.org\n" % i for i in range(0, 600))
    second = b"email\n" + b"".join(b"P%d@Example.org\n" % i for i in range(300, 900))  # 300 in common
    start = threading.Barrier(2)
    reports, errors = [], []

    def importer(data):
        try:
            with pg_app.app_context():
                target = db.session.get(Campaign, campaign_id)
                start.wait(timeout=30)
                reports.append(import_participants(target, io.BytesIO(data), batch_size=50,
                                                   hash_key=pg_app.config["EMAIL_HASH_KEY"]))
                db.session.commit()
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=importer, args=(data,)) for data in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count()).select_from(Participant)).scalar_one() == 900
    assert sum(r.added for r in reports) == 900
    assert sum(r.duplicates_in_campaign for r in reports) == 300
