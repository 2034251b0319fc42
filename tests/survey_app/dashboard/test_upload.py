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


def test_a_list_far_bigger_than_any_respondent_form_is_still_taken(client, make_user, signer, csrf):
    # the respondent pages take tens of kB (survey_app/respond/limits.py); the console keeps
    # MAX_CONTENT_LENGTH
    campaign = make_campaign()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    rows = "".join(f"person{n}@example.org,en,Depot number {n}\n" for n in range(4000))
    data = "email,language,location\n" + rows
    assert len(data.encode()) > 150_000
    response = upload(client, csrf, campaign, data)
    assert response.status_code == 200 and count() == 4000


def test_a_control_character_is_reported_by_line_and_column(client, make_user, signer, csrf):
    """Issue 14 row 1 through the upload form: the row with a NUL is listed, and with
    'all or nothing' nothing is added, on both databases."""
    campaign = make_campaign()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    data = "email,role\nann@example.org,Manager\nbob@example.org,Ma\x00nager\n"
    refused = upload(client, csrf, campaign, data, all_or_nothing="y")
    assert refused.status_code == 400 and count() == 0
    message = "Line 3: The ‘role’ column contains a control character (U+0000), which cannot be stored."
    assert message in html.unescape(refused.text)
    page = client.get(f"/console/campaigns/{campaign.id}/participants")
    form = {"csrf_token": csrf(page.text), "action": "import",
            "file": (io.BytesIO(data.encode()), "staff\x01.csv")}
    applied = client.post(f"/console/campaigns/{campaign.id}/participants", data=form,
                          content_type="multipart/form-data")
    text = html.unescape(applied.text)
    assert applied.status_code == 200 and message in text and count() == 1
    assert "What happened to staff.csv" in text  # the name only labels the report: its control character dropped
