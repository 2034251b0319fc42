"""The results page's headline benchmarks against a peer group: figures worked out by hand,
the organisations by code only, the too-small group, the chooser and bad input."""
from __future__ import annotations

import html
import re

import pytest

from survey_app.extensions import db
from survey_app.peers.operations import create_group
from tests.html_tables import table
from tests.peer_round import make_peer_round


@pytest.fixture
def six(app, make_response, make_user):
    return make_peer_round(make_response, make_user)


def summary(page: str, metric_id: str) -> dict:
    section = page.split(f'id="benchmark-{metric_id}"', 1)[1].split("</dl>", 1)[0]
    return {k: " ".join(v.split()) for k, v in re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>',
        section, re.S)}


def chart_codes(page: str, metric_id: str, campaign_id: int) -> list[str]:
    svg = page.split(f'aria-labelledby="peers-{metric_id}-{campaign_id}"', 1)[1].split("</svg>", 1)[0]
    return re.findall(r'text-anchor="end" fill="#0b0c0c"(?: font-weight="bold")?>([^<]+)</text>', svg)


def test_against_all_organisations(client, signer, six):
    campaign, codes = six
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    page = html.unescape(raw)
    assert "Peer group: All organisations, 6 organisations in" in page
    # overall: 2 3 4 5.5 6 7; positions 1.25, 2.5, 3.75: q1 = 3 + 0.25 = 3.25;
    # median = 4 + 0.5 x 1.5 = 4.75; q3 = 5.5 + 0.75 x 0.5 = 5.875 (shown 5.88)
    assert summary(page, "overall") == {
        "Your organisation": f"{codes[('L', 1)]}: 5.50 out of 7 (4 responses)",
        "Median (the benchmark)": "4.75", "1st to 3rd quartile": "3.25 to 5.88",
        "Your quartile band": "Above the median"}
    # rates: 20 25 33.33 50 50 100; q1 = 25 + 0.25 x 8.33 = 27.08; median = 33.33 + 0.5 x 16.67 = 41.67; q3 = 50
    assert summary(page, "rate") == {
        "Your organisation": f"{codes[('L', 1)]}: 50.0% (4 out of 8)",
        "Median (the benchmark)": "41.7%", "1st to 3rd quartile": "27.1% to 50.0%",
        "Your quartile band": "Top quarter"}
    # only ours answered "service improved": one organisation, no benchmark
    assert summary(page, "improved") == {
        "Your organisation": f"{codes[('L', 1)]}: 5.50 out of 7 (4 responses)",
        "Benchmark": "Not shown: 1 organisation in the group has this figure, too few for a benchmark."}
    assert f'aria-labelledby="peers-improved-{campaign.id}"' not in raw
    # every organisation by code, highest first, ours marked in the table and the chart
    rows = table(raw, "Overall satisfaction by organisation").rows[1:]
    assert rows == [[codes[("L", 3)], "7.00"], [codes[("E", 5)], "6.00"],
                    [f"{codes[('L', 1)]} (your organisation)", "5.50"], [codes[("L", 2)], "4.00"],
                    [codes[("M", 4)], "3.00"], [codes[("S", 6)], "2.00"]]
    assert chart_codes(raw, "overall", campaign.id) == [codes[k] for k in
                                                        [("L", 3), ("E", 5), ("L", 1), ("L", 2), ("M", 4), ("S", 6)]]
    assert "5.50 (you)" in page and f'url(#peers-overall-{campaign.id}-own)' in raw
    assert table(raw, "Response rate by organisation").rows[1] == [codes[("S", 6)], "100.0%"]
    # the text alternative says the same
    assert ("The median, a black line, is 4.75; the 1st and 3rd quartiles, grey dashed lines, are 3.25 and 5.88."
            in page)
    # organisations by code only: no other council's name
    assert "Peer Test Council L2" not in page and "Peer Test Council S6" not in page


def test_a_nation_and_the_factor_tables_follow_the_group(client, signer, six):
    campaign, codes = six
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results?peers=nation:england").text
    page = html.unescape(raw)
    # England: L L L M E: 5.5 4 7 3 6, sorted 3 4 5.5 6 7 -> 4, 5.5, 6
    assert summary(page, "overall")["Median (the benchmark)"] == "5.50"
    assert summary(page, "overall")["1st to 3rd quartile"] == "4.00 to 6.00"
    assert 'value="nation:england" selected' in raw
    assert "Peer group: Organisations in England, 5 organisations in" in page
    assert codes[("S", 6)] not in page
    assert "median of the 5 organisations" in page


def test_a_group_too_small_shows_no_median(client, signer, six):
    campaign, codes = six
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results?peers=type:L").text
    page = html.unescape(raw)
    assert "Peer group: London boroughs (type L), 3 organisations in" in page
    assert ("This peer group is too small for a benchmark: a benchmark needs at least 5 organisations, so no "
            "median or quartiles are shown. Choose a larger group.") in page
    assert summary(page, "overall") == {
        "Your organisation": f"{codes[('L', 1)]}: 5.50 out of 7 (4 responses)",
        "Benchmark": "Not shown: 3 organisations in the group have this figure, too few for a benchmark."}
    assert "Median (the benchmark)" not in page
    assert "<svg" not in raw.split('id="benchmarks"')[1].split('id="breakdown"')[0]
    assert codes[("L", 2)] not in page  # no other organisation's figure
    assert "organisations that ran this survey" not in page


def test_the_minimum_is_a_setting(client, signer, six, monkeypatch):
    campaign, _codes = six
    monkeypatch.setitem(client.application.config, "MIN_PEER_GROUP", 3)
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?peers=type:L").text)
    # London: 5.5 4 7 -> sorted 4 5.5 7: 4.75, 5.5, 6.25
    assert summary(page, "overall")["1st to 3rd quartile"] == "4.75 to 6.25"
    assert "too small" not in page


def test_a_named_group_is_offered_and_used(client, signer, six):
    campaign, codes = six
    group = create_group("Northern partners", [codes[k] for k in [("L", 2), ("L", 3), ("M", 4), ("E", 5), ("S", 6)]])
    db.session.commit()
    signer(client, "a@example.org")
    first = client.get(f"/campaigns/{campaign.id}/results").text
    assert f'<option value="group:{group.id}" >Northern partners</option>' in first
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?peers=group:{group.id}").text)
    # the five others, not ours: 4 7 3 6 2, sorted 2 3 4 6 7 -> 3, 4, 6; ours 5.5 banded against them
    assert summary(page, "overall") == {
        "Your organisation": f"{codes[('L', 1)]}: 5.50 out of 7 (4 responses) – not in this peer group",
        "Median (the benchmark)": "4.00", "1st to 3rd quartile": "3.00 to 6.00",
        "Your quartile band": "Above the median"}
    # ours is drawn (marked) beside the group
    assert f"{codes[('L', 1)]} (your organisation)" in page


@pytest.mark.parametrize("value", ["type:X", "nation:france", "group:999", "type:M", "group:", "<script>"])
def test_a_group_not_offered_is_not_found(client, signer, six, value):
    campaign, _codes = six
    signer(client, "a@example.org")
    # type:M is a real group, but not one offered to a London borough
    assert client.get(f"/campaigns/{campaign.id}/results", query_string={"peers": value}).status_code == 404


def test_welsh_page(client, signer, six):
    campaign, codes = six
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?lang=cy").text)
    assert "Grŵp cymheiriaid: Pob sefydliad, 6 sefydliad yn" in page
    assert "41.7%" in page and "(chi)" in page


def test_the_download_follows_the_group_and_withholds_a_small_one(client, signer, six):
    import csv
    import io
    import zipfile

    campaign, _codes = six
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?peers=nation:england").text)
    assert f"/campaigns/{campaign.id}/download.csv?peers=nation:england" in page

    def overall(query):
        data = client.get(f"/campaigns/{campaign.id}/download.csv{query}").data
        archive = zipfile.ZipFile(io.BytesIO(data))
        name = next(n for n in archive.namelist() if n.endswith("benchmarks.csv"))
        rows = csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        row = next(r for r in rows if r["metric"] == "OVERALL.satisfaction")
        return row["organisations"], row["q1"], row["median"], row["q3"], row["peer_group"]

    assert overall("?peers=nation:england") == ("5", "4.0", "5.5", "6.0", "nation:england")
    assert overall("") == ("6", "3.25", "4.75", "5.875", "all")
    assert overall("?peers=type:L") == ("3", "", "", "", "type:L")  # too small: withheld
    assert client.get(f"/campaigns/{campaign.id}/download.csv?peers=type:M").status_code == 404
