"""The data year on the staff pages: the console's year filter, the exports page and an
organisation's results, written 2026/27 (DESIGN.md definition 8, issue 15 part 3)."""
from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from datetime import date

from tests.factories import make_campaign, make_org, make_participant


def year_options(page: str) -> list[tuple[str, bool]]:
    """The year select's options: (label, selected)."""
    select = re.search(r'<select class="govuk-select" id="year" name="year">(.*?)</select>', page, re.S).group(1)
    return [(label, "selected" in attrs) for attrs, label in re.findall(r"<option([^>]*)>([^<]*)</option>", select)
            if label and "All years" not in label]


def test_the_console_filters_by_financial_year(client, make_user, signer):
    # 31 March 2026 is the last day of 2025/26; April, November and January are one 2026/27 round
    opening = {"L": date(2026, 3, 31), "E": date(2026, 4, 1), "S": date(2026, 11, 2), "W": date(2027, 1, 11)}
    for letter, opens in opening.items():
        make_campaign(make_org(name=f"Council {letter}", type_letter=letter, number=21), opens=opens)
    make_user("improve@example.org")
    signer(client, "improve@example.org")

    page = html.unescape(client.get("/console/").text)
    assert year_options(page) == [("2026/27", False), ("2025/26", False)]
    assert {"L2521", "E2621", "S2621", "W2621"} <= set(re.findall(r"\b[LESW]2[56]21\b", page))
    for asked in ("2026/27", "2026"):  # the year it starts in means the same year
        page = html.unescape(client.get(f"/console/?year={asked}").text)
        assert set(re.findall(r"\b[LESW]2[56]21\b", page)) == {"E2621", "S2621", "W2621"}, asked
        assert year_options(page) == [("2026/27", True), ("2025/26", False)]
    page = html.unescape(client.get("/console/?year=2025/26").text)
    assert set(re.findall(r"\b[LESW]2[56]21\b", page)) == {"L2521"}
    for wrong in ("2026/28", "2026-27", "26/27"):
        assert client.get(f"/console/?year={wrong}").status_code == 404, wrong


def test_the_exports_page_offers_and_names_the_financial_year(client, make_user, signer, make_response):
    march = make_campaign(make_org(name="Council A", type_letter="E", number=31), opens=date(2026, 3, 31))
    april = make_campaign(make_org(name="Council B", type_letter="E", number=32), opens=date(2026, 4, 1))
    for campaign in (march, april):
        make_response(campaign, {"overall": "5"}, participant=make_participant(campaign))
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    assert year_options(client.get("/console/exports").text) == [("2026/27", False), ("2025/26", False)]

    download = client.get("/console/exports?questionnaire=user-satisfaction&year=2026/27&format=csv")
    assert download.headers["Content-Disposition"] == 'attachment; filename="user-satisfaction-2026-27-csv.zip"'
    files = zipfile.ZipFile(io.BytesIO(download.data))
    assert "user-satisfaction-2026-27-wide.csv" in files.namelist()
    wide = files.read("user-satisfaction-2026-27-wide.csv").decode("utf-8-sig")
    assert "E2632" in wide and ",2026/27," in wide and "E2531" not in wide and "E2631" not in wide
    earlier = client.get("/console/exports?questionnaire=user-satisfaction&year=2025&format=csv")
    assert 'filename="user-satisfaction-2025-26-csv.zip"' in earlier.headers["Content-Disposition"]
    assert client.get("/console/exports?questionnaire=user-satisfaction&year=2024/25&format=csv").status_code == 404


def test_an_organisations_results_name_its_financial_year(client, make_user, signer, make_response):
    """Council A ran the survey in 2025/26 (opening 31 March 2026) and in 2026/27 (opening
    the next day); its results compare the two years by their names."""
    org = make_org(name="Council A", type_letter="W", number=33)
    # three alike each year, the threshold: the results page shows figures from three on
    earlier = make_campaign(org, opens=date(2026, 3, 31), anonymity_threshold=3)
    campaign = make_campaign(org, opens=date(2026, 4, 1), anonymity_threshold=3)
    for _ in range(3):
        make_response(earlier, {"overall": "4", "sat_S1": "4", "imp_S1": "6"}, participant=make_participant(earlier))
        make_response(campaign, {"overall": "6", "sat_S1": "6", "imp_S1": "6"},
                      participant=make_participant(campaign))
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")

    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results").text)
    # one organisation is too few for a benchmark (DESIGN.md definition 7), but the year is named
    assert "Peer group: All organisations, 1 organisation in 2026/27." in page
    trends = page.split('id="trends"', 1)[1].split("</table>", 1)[0]
    assert ">2025/26: yours</th>" in trends and ">2026/27: yours</th>" in trends
    assert "Your 2026/27 data as CSV" in page
    download = client.get(f"/campaigns/{campaign.id}/download.csv")
    assert 'filename="user-satisfaction-2026-27-W2633-csv.zip"' in download.headers["Content-Disposition"]
    files = zipfile.ZipFile(io.BytesIO(download.data))
    scores = csv.DictReader(io.StringIO(files.read("user-satisfaction-2026-27-W2633-scores.csv").decode("utf-8-sig")))
    overall = next(r for r in scores if r["metric"] == "OVERALL.satisfaction" and not r["dimension"])
    assert (overall["organisation_code"], overall["year"], overall["score"]) == ("W2633", "2026/27", "6.0")
    assert (overall["previous_year"], overall["previous_score"], overall["change"]) == ("2025/26", "4.0", "2.0")
