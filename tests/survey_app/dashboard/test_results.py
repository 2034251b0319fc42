"""Results against the benchmark, breakdowns with suppression, comments, downloads."""
from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import date, timedelta

from openpyxl import load_workbook

from tests.factories import make_campaign, make_org
from tests.html_tables import table

OPENS = date.today() - timedelta(days=1)  # open now, so results are provisional


def seed(make_response):
    """Four organisations; A's overall satisfaction mean 5.0, B's 4.0, C's 6.0, D's 5.0. A's
    campaign is open (provisional); B's, C's and D's closed early and released, so the
    benchmark is over those three: median of 4, 5 and 6 = 5.0, quartiles 4.5 and 5.5."""
    a, b, c, d = (make_org(name=f"Council {x}") for x in "ABCD")
    ca = make_campaign(a, opens=OPENS, anonymity_threshold=3)
    devices = ["laptop"] * 3 + ["desktop"] * 3 + ["tablet"]
    overall = ["7", "6", "5", "4", "3", "5", "5"]  # mean 35/7 = 5.0
    for i, (device, score) in enumerate(zip(devices, overall)):
        answers = {"device": device, "overall": score, "sat_S1": "6", "imp_S1": "7"}
        if i == 0:
            answers["comments"] = "The new laptops are far better."
        make_response(ca, answers)
    for org, scores in ((b, ["4", "4", "4"]), (c, ["6", "6", "6"]), (d, ["5", "5", "5"])):
        campaign = make_campaign(org, opens=OPENS, released=True)
        for s in scores:
            make_response(campaign, {"overall": s})
    return a, ca


def test_results_page_against_the_benchmark(client, make_user, signer, make_response, monkeypatch):
    monkeypatch.setitem(client.application.config, "MIN_PEER_GROUP", 3)  # three released: a benchmark
    org, campaign = seed(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    page = html.unescape(raw)
    headline = dict(re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
                               r'<dd class="govuk-summary-list__value">(.*?)</dd>', page.split('id="benchmarks"')[0]))
    assert headline == {"Overall satisfaction": "5.00 out of 7 (7 responses)"}
    assert "provisional" in page
    assert "median of the 3 organisations whose results for" in page
    assert re.search(r'<svg [^>]*role="img"', page)
    # each figure in its own row: [your score, responses]
    s1 = "Working relationships"
    tables = {name: table(raw, f"{name}: your scores and the benchmark")
              for name in ("Satisfaction", "Importance", "Gap (satisfaction minus importance)", "Weight gap")}
    # S1 satisfaction 6 for all 7; importance 7 for all 7
    assert tables["Satisfaction"].row(s1)[:2] == ["6.00", "7"]
    assert tables["Importance"].row(s1)[:2] == ["7.00", "7"]
    # gap S1 = 6 - 7 = -1.00; weight gap = -1 x 7 / 7 = -1.00 (no count of their own)
    assert tables["Gap (satisfaction minus importance)"].row(s1)[:2] == ["-1.00", "–"]
    assert tables["Weight gap"].row(s1)[:2] == ["-1.00", "–"]
    assert "The new laptops are far better." in page


def test_breakdown_suppresses_small_and_complementary_groups(client, make_user, signer, make_response):
    org, campaign = seed(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?by=device").text)
    # tablet (1 response) is under the threshold of 3; hiding it alone would let it be
    # worked out from the total, so the next smallest group goes too
    hidden = page.split("Too few responses to show:", 1)[1].split(".", 1)[0]
    assert "A tablet" in hidden
    assert ("A laptop" in hidden) != ("A desktop computer" in hidden)
    assert "3 responses" in page
    assert "1 response)" not in page
    assert client.get(f"/campaigns/{campaign.id}/results?by=shoe_size").status_code == 404


def test_downloads_of_own_data(client, make_user, signer, make_response):
    org, campaign = seed(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    xlsx = client.get(f"/campaigns/{campaign.id}/download.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    # figures and comments, never a response's answers one by one (issue 15 part 8)
    assert set(book.sheetnames) == {"scores", "benchmarks", "comments", "dictionary"}
    zipped = client.get(f"/campaigns/{campaign.id}/download.csv")
    names = zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()
    assert len(names) == 4 and all(n.endswith(".csv") for n in names)
    everything = b"".join(zipfile.ZipFile(io.BytesIO(zipped.data)).read(n) for n in names).decode("utf-8-sig")
    assert "Council A" in everything and "The new laptops are far better." in everything
    assert "Council B" not in everything
    assert client.get(f"/campaigns/{campaign.id}/download.pdf").status_code == 404
