"""Confidentiality kept where it is promised (issue 15 part 8): comments on the results
page as the exports write them, live rate tables that never single anyone out, and a
start page that says what the organisation will see."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

from survey_app.extensions import db
from survey_app.models import Response
from tests.factories import make_campaign, make_org, make_participant
from tests.html_tables import table

OPENS = date.today() - timedelta(days=3)


def comments_on_page(page: str) -> list[str]:
    found = re.search(r'<ul class="govuk-list comments">(.*?)</ul>', page, re.S).group(1)
    return [html.unescape(t) for t in re.findall(r'<p class="govuk-body">(.*?)</p>', found, re.S)]


def test_results_page_comments_without_addresses_dates_or_order_of_arrival(client, make_user, signer,
                                                                            make_response):
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS, anonymity_threshold=3)
    day = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    texts = ["Zebra crossing: ask Jo.Bloggs@Example.org or jo@council.gov.uk", "apples are fine", "Middle"]
    for i, text in enumerate(texts):
        make_response(campaign, {"overall": "5", "comments": text}, submitted_at=day + timedelta(hours=i))
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    page = html.unescape(raw)
    assert "@Example.org" not in page and "jo@council.gov.uk" not in page and "Bloggs" not in page
    # exactly as the exports write it, and the order says nothing of who answered when
    assert comments_on_page(raw) == ["apples are fine", "Middle",
                                     "Zebra crossing: ask [email address removed] or [email address removed]"]
    # no day date anywhere on the page (the comments were all written on `day`)
    shown = day.date()
    for written in (f"{shown.day} {shown:%B} {shown.year}", shown.isoformat(), f"{shown:%d/%m/%Y}"):
        assert written not in page
    welsh = html.unescape(client.get(f"/campaigns/{campaign.id}/results", headers={"Accept-Language": "cy"}).text)
    assert "[email address removed]" not in welsh and "council.gov.uk" not in welsh
    assert "Bloggs" not in welsh


def submit(campaign, participant, when):
    db.session.add(Response(campaign_id=campaign.id, participant_id=participant.id, status="submitted",
                            submitted_at=when))


def live_campaign():
    """Threshold 5; 16 people, 7 of whom answered:
    location  Library 8 (4 answered), Town Hall 6 (3), Depot 1 (0), none recorded 1 (0)
    department Housing 14 (7), Finance 1 (0), none recorded 1 (0)."""
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS)
    when = campaign.opens_at + timedelta(hours=2)
    for i in range(8):
        person = make_participant(campaign, attributes={"location": "Library", "department": "Housing"})
        if i < 4:
            submit(campaign, person, when)
    for i in range(6):
        person = make_participant(campaign, attributes={"location": "Town Hall", "department": "Housing"})
        if i < 3:
            submit(campaign, person, when)
    make_participant(campaign, attributes={"location": "Depot", "department": "Finance"})
    make_participant(campaign, attributes={})
    db.session.commit()
    return org, campaign


def test_live_rate_tables_never_show_a_group_of_one(client, make_user, signer):
    org, campaign = live_campaign()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/").text
    by_location = table(raw, "Response rate by location, lowest first")
    by_department = table(raw, "Response rate by department, lowest first")
    # Depot (1) and the one with no location (1) are small; together only 2, so the next
    # smallest, Town Hall (6), goes with them: 0 + 0 + 3 of 1 + 1 + 6 = 3 of 8 = 37.5%
    assert by_location.rows[1:] == [["Library", "50.0% (4 out of 8)"],
                                    ["Other or too small to show", "37.5% (3 out of 8)"]]
    # Finance (1) and no department (1) are small, 2 together: Housing goes too, and only
    # the total is left: 7 of 16 = 43.75% -> 43.8%
    assert by_department.rows[1:] == [["Other or too small to show", "43.8% (7 out of 16)"]]
    page = html.unescape(raw)
    assert "out of 1)" not in page and "Depot" not in page and "Finance" not in page
    assert "Town Hall" not in page and "Housing" not in page
    assert "3 groups are counted together in “Other or too small to show”." in page
    assert "Groups of fewer than 5 people are never shown on their own" in page
    live = client.get(f"/campaigns/{campaign.id}/rate.json").json
    assert "Depot" not in live["html"] and "out of 1)" not in live["html"]
    welsh = html.unescape(client.get(f"/campaigns/{campaign.id}/", headers={"Accept-Language": "cy"}).text)
    assert "Arall neu'n rhy fach i'w ddangos" in welsh and "Depot" not in welsh
    assert "Mae 3 grŵp wedi'u cyfrif gyda'i gilydd yn “Arall neu'n rhy fach i'w ddangos”." in welsh


def test_live_rate_tables_show_groups_of_at_least_k(client, make_user, signer):
    """With threshold 3 every group here is big enough except Depot and 'none', which (two
    groups, 2 people) take Town Hall with them; Housing (14) is shown beside 'Other'."""
    org, campaign = live_campaign()
    campaign.anonymity_threshold = 3
    extra = [make_participant(campaign, attributes={"location": "Depot", "department": "Finance"}) for _ in range(2)]
    submit(campaign, extra[0], campaign.opens_at + timedelta(hours=3))
    db.session.commit()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/").text
    # location: Depot 3 (1 answered) shown; none recorded 1 alone hidden, so the next
    # smallest (Depot, 3) goes with it: 1 of 4 = 25.0%
    assert table(raw, "Response rate by location, lowest first").rows[1:] == [
        ["Library", "50.0% (4 out of 8)"], ["Town Hall", "50.0% (3 out of 6)"],
        ["Other or too small to show", "25.0% (1 out of 4)"]]
    # department: Finance 3 (1 answered), Housing 14 (7), none 1 (0) hidden with Finance
    assert table(raw, "Response rate by department, lowest first").rows[1:] == [
        ["Housing", "50.0% (7 out of 14)"], ["Other or too small to show", "25.0% (1 out of 4)"]]
    assert "2 groups are counted together" in html.unescape(raw)
