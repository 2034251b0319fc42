"""Confidentiality kept where it is promised (issue 15 part 8): comments on the results
page as the exports write them, live rate tables that never single anyone out, and a
start page that says what the organisation will see."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

from tests.factories import make_campaign, make_org

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
