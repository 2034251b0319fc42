"""Trends on the results page: the organisation's value in each year beside that year's
benchmark median, worked out by hand over three years and three organisations."""
from __future__ import annotations

from datetime import date

from tests.factories import make_campaign, make_org
from tests.survey_app.dashboard.trend_data import OPENS, run, store_1999_2004, three_years
from tests.html_tables import table

def test_trend_tables_over_three_years(client, make_user, signer, make_response):
    org, campaign = three_years(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    assert 'id="trends"' in raw and "Compared with your earlier years" not in raw

    headline = table(raw, "Headline figures over the years: yours and the benchmark median")
    assert headline.rows[0] == ["Figure", "2024/25: yours", "2024/25: median", "2025/26: yours", "2025/26: median",
                                "2026/27: yours", "2026/27: median"]
    assert headline.row("Response rate") == ["25.0%", "75.0%", "–", "50.0%", "66.7%", "66.7%"]
    # the other two headline rows, in order: overall satisfaction, then service improved (none answered)
    overall = headline.rows[2]
    assert overall[1:] == ["4.00", "5.00", "–", "4.00", "6.00", "4.50"]
    assert len(headline.rows) == 3  # nobody answered "service improved": no benchmark, no row

    satisfaction = table(raw, "Satisfaction over the years: your scores and the benchmark median")
    s1 = satisfaction.rows[1]
    assert s1[0].startswith("Working relationships")
    assert s1[1:] == ["3.00", "5.00", "–", "4.00", "6.50", "5.00"]

    # a chart for every row of the tables, each named by its figures
    assert raw.count('<figure class="trend-chart">') == 2 + (len(satisfaction.rows) - 1)
    assert ("2024/25: yours 25.0%, benchmark median 75.0%. 2025/26: yours none, benchmark median 50.0%. "
            "2026/27: yours 66.7%, benchmark median 66.7%.") in raw


def test_no_trends_in_a_first_year(client, make_user, signer, make_response):
    org = make_org(name="Council A")
    campaign = run(org, 2026, 3, [{"overall": "5"}] * 3, make_response, threshold=3)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    assert 'id="too-few"' not in raw  # the results show (3 responses, threshold 3): yet no trends
    assert 'id="trends"' not in raw


def test_at_most_five_earlier_years(client, make_user, signer, make_response):
    org = make_org(name="Council A")
    for year in range(2019, 2026):
        make_response(make_campaign(org, opens=date(year, 6, 1)), {"overall": "4"})
    campaign = make_campaign(org, opens=OPENS[2026], anonymity_threshold=3)
    for _ in range(3):  # enough for the results to show: (6 + 6 + 6) / 3 = 6.00
        make_response(campaign, {"overall": "6"})
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    headline = table(raw, "Headline figures over the years: yours and the benchmark median")
    years = [h.split(":")[0] for h in headline.rows[0][1::2]]
    assert years == ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    # the response rate first: with no participant list, the people asked are never fewer than
    # the responses, so 1 of 1 each earlier year and 3 of 3 this year
    assert headline.rows[1][0] == "Response rate"
    assert headline.rows[1][1::2] == ["100.0%"] * 6
    # then overall satisfaction: the organisation's own value each year (alone, it may be too few
    # for a median)
    assert headline.rows[2][1::2] == ["4.00"] * 5 + ["6.00"]


def test_a_baseline_beside_the_years(client, make_user, signer, make_response):
    org, campaign = three_years(make_response)
    store_1999_2004()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    assert "The historical baseline is the benchmark median of an earlier period: 1999-2004." in raw
    headline = table(raw, "Headline figures over the years: yours and the benchmark median")
    assert headline.rows[0][:3] == ["Figure", "1999-2004: median", "2024/25: yours"]
    assert headline.row("Response rate") == ["–", "25.0%", "75.0%", "–", "50.0%", "66.7%", "66.7%"]
    assert headline.rows[2][1:] == ["4.60", "4.00", "5.00", "–", "4.00", "6.00", "4.50"]
    satisfaction = table(raw, "Satisfaction over the years: your scores and the benchmark median")
    assert satisfaction.rows[1][1:] == ["4.20", "3.00", "5.00", "–", "4.00", "6.50", "5.00"]
    assert ("over the years. 1999-2004: benchmark median 4.20. 2024/25: yours 3.00, benchmark median 5.00.") in raw


def test_a_baseline_alone_in_a_first_year(client, make_user, signer, make_response):
    org = make_org(name="Council A")
    # three alike, enough for the results to show: S1 (6 + 6 + 6) / 3 = 6.00
    campaign = run(org, 2026, 3, [{"overall": "5", "sat_S1": "6"}] * 3, make_response, threshold=3)
    store_1999_2004()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    satisfaction = table(raw, "Satisfaction over the years: your scores and the benchmark median")
    assert satisfaction.rows[0] == ["Factor", "1999-2004: median", "2026/27: yours", "2026/27: median"]
    assert satisfaction.rows[1][1:3] == ["4.20", "6.00"]


def test_the_baseline_beside_this_years_score_and_median(client, make_user, signer, make_response):
    org, campaign = three_years(make_response)
    store_1999_2004()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    satisfaction = table(raw, "Satisfaction: your scores and the benchmark")
    assert satisfaction.rows[0][:7] == ["Factor", "Your score", "Responses", "1st quartile", "Median", "3rd quartile",
                                        "1999-2004: median"]
    # S1 this year: A's 6.50 (4 responses: (6 + 7 + 6 + 7) / 4); over 3, 4, 5, 5 and 6.5: quartiles 4.00
    # and 5.00, median 5.00
    assert satisfaction.rows[1][1:7] == ["6.50", "4", "4.00", "5.00", "5.00", "4.20"]


def test_trends_of_a_questionnaire_without_headline_factors(client, make_user, signer, make_response):
    """The SDMA has no overall satisfaction: its trends are its response rate and factors."""
    org = make_org(name="Council A")
    for year, value, threshold in ((2025, "2", 5), (2026, "4", 3)):
        campaign = make_campaign(org, questionnaire_id="sdma", opens=OPENS[year], anonymity_threshold=threshold)
        make_response(campaign, {"D1": value})
    for _ in range(2):  # the campaign viewed: three alike, enough for its results to show
        make_response(campaign, {"D1": "4"})
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    assert 'id="trends"' in raw
    # no overall satisfaction and no "service improved": the headline figures are the response rate
    # alone (with no participant list the people asked are never fewer than the responses: 1 of 1,
    # then 3 of 3)
    headline = table(raw, "Headline figures over the years: yours and the benchmark median")
    assert [r[0] for r in headline.rows] == ["Figure", "Response rate"]
    assert headline.row("Response rate")[::2] == ["100.0%", "100.0%"]
    maturity = table(raw, "Maturity over the years: your scores and the benchmark median")
    assert maturity.rows[0][1:] == ["2025/26: yours", "2025/26: median", "2026/27: yours", "2026/27: median"]
    # 2 and 4 (three times) on a 1-5 scale: 1 + 6 x 1/4 = 2.50 and 1 + 6 x 3/4 = 5.50
    assert maturity.rows[1][1::2] == ["2.50", "5.50"]


def test_factors_in_questionnaire_order_whoever_answered_them(client, make_user, signer, make_response):
    """Council A answered S2 only this year, Council B S1 only: A's trends still list S1
    before S2, with no score of A's for S1."""
    a, b = make_org(name="Council A"), make_org(name="Council B")
    make_response(make_campaign(a, opens=OPENS[2025]), {"sat_S1": "5", "sat_S2": "5"})
    campaign = make_campaign(a, opens=OPENS[2026], anonymity_threshold=3)
    for _ in range(3):  # enough for the results to show: S2 (6 + 6 + 6) / 3 = 6.00
        make_response(campaign, {"sat_S2": "6"})
    make_response(make_campaign(b, opens=OPENS[2026]), {"sat_S1": "7"})
    make_user("a@example.org", role="org_admin", organisation=a)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    satisfaction = table(raw, "Satisfaction over the years: your scores and the benchmark median")
    # yours in 2025/26 and 2026/27: S1 (5.00, none), then S2 (5.00, 6.00)
    assert [r[1::2] for r in satisfaction.rows[1:]] == [["5.00", "–"], ["5.00", "6.00"]]
