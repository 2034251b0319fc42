"""Uploading participant lists from the console: the same report as the command line."""
from __future__ import annotations

import html
import io

from survey_app.extensions import db
from survey_app.models import Participant
from tests.factories import make_campaign

CSV = ("email,language,location\n"
       "ann@example.org,cy,Town Hall\n"
       "bob@example.org,en,Depot\n"
       "ANN@example.org ,,Town Hall\n"
       "not an address,en,Depot\n")


def upload(client, csrf, campaign, data: str, **fields):
    page = client.get(f"/console/campaigns/{campaign.id}/participants")
    form = {"csrf_token": csrf(page.text), "action": "import", **fields,
            "file": (io.BytesIO(data.encode("utf-8")), "staff.csv")}
    return client.post(f"/console/campaigns/{campaign.id}/participants", data=form,
                       content_type="multipart/form-data")


def count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Participant))


def test_upload_reports_added_duplicates_and_rejected_rows(client, make_user, signer, csrf):
    campaign = make_campaign()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    response = upload(client, csrf, campaign, CSV)
    text = html.unescape(response.text)
    assert response.status_code == 200
    assert "What happened to staff.csv" in text
    assert "1 (1 repeated in the file, 0 already in the campaign)" in text
    assert "Line 5:" in text and count() == 2
    assert "ann@example.org" not in text.lower()
    again = html.unescape(upload(client, csrf, campaign, CSV).text)
    assert "3 (1 repeated in the file, 2 already in the campaign)" in again and count() == 2


def test_all_or_nothing_changes_nothing(client, make_user, signer, csrf):
    campaign = make_campaign()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    response = upload(client, csrf, campaign, CSV, all_or_nothing="y")
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "There is a problem" in text and "Nothing was changed" in text and "Line 5:" in text
    assert count() == 0


def test_withdraw_and_bad_files(client, make_user, signer, csrf):
    campaign = make_campaign()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    upload(client, csrf, campaign, CSV)
    withdrawn = html.unescape(upload(client, csrf, campaign, "email\nbob@example.org\n", action="withdraw").text)
    assert "Withdrawn" in withdrawn
    assert db.session.execute(db.select(Participant.status).order_by(Participant.id)).scalars().all() == [
        "active", "withdrawn"]
    no_email = upload(client, csrf, campaign, "name,role\nAnn,Clerk\n")
    assert no_email.status_code == 400 and "email" in html.unescape(no_email.text)
    page = client.get(f"/console/campaigns/{campaign.id}/participants")
    missing = client.post(f"/console/campaigns/{campaign.id}/participants",
                          data={"csrf_token": csrf(page.text), "action": "import"})
    assert missing.status_code == 400 and "Select a CSV file of participants" in missing.text
    assert count() == 2
