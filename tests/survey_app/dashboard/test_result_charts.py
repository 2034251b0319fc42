"""The results page's charts, worked out by hand: the factors by their names in their
natural order, the weight gap chart, overall satisfaction by device with an "all
responses" bar and without the groups too small to show."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

from tests.factories import make_campaign, make_org
from tests.html_tables import table
from tests.questionnaires.test_factor_labels import SEED_NAMES

FACTORS = [f"S{i}" for i in range(1, 21)]
PLOT = 80.0  # the share of a chart's width its bars may take


def answered(make_response):
    """Threshold 3. Overall satisfaction: 4 desktops at 6, 4 laptops at 4, 3 tablets at 2,
    1 smartphone at 7. Every factor satisfaction 5 and importance 7, except S3 (Downtime):
    satisfaction 7, importance 4."""
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=date.today() - timedelta(days=1), anonymity_threshold=3)
    factors = {**{f"sat_{f}": "5" for f in FACTORS}, **{f"imp_{f}": "7" for f in FACTORS},
               "sat_S3": "7", "imp_S3": "4"}
    for device, overall, count in (("desktop", "6", 4), ("laptop", "4", 4), ("tablet", "2", 3), ("smartphone", "7", 1)):
        for _ in range(count):
            make_response(campaign, {"device": device, "overall": overall, **factors})
    return org, campaign


def svg_of(page: str, chart_id: str) -> str:
    start = page.index(f'aria-labelledby="{chart_id}-title"')
    return page[page.rindex("<svg", 0, start):page.index("</svg>", start)]


def labels_of(svg: str) -> list[str]:
    """Each label drawn, its lines joined (texts of more than one line, or not a number)."""
    out = []
    for body in re.findall(r"<text[^>]*>(.*?)</text>", svg):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", body)
        if lines:
            out.append(html.unescape(" ".join(lines)))
    return out


def widths(svg: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(w), fill) for x, w, fill in
            re.findall(r'<rect x="([\d.]+)%" y="[\d.]+" width="([\d.]+)%" height="\d+" fill="(#[0-9a-f]+)"/>', svg)]


def test_factors_by_the_benchmarking_report_names_in_natural_order(client, make_user, signer, make_response):
    org, campaign = answered(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    names = [SEED_NAMES[f] for f in FACTORS]
    satisfaction = table(raw, "Satisfaction: your scores and the benchmark")
    assert [r[0] for r in satisfaction.rows[1:]] == names
    assert satisfaction.row("Downtime")[:2] == ["7.00", "12"]
    # the chart draws the same names, whole, in the same order (no 60-character cut)
    assert labels_of(svg_of(raw, f"chart-factor-satisfaction-{campaign.id}")) == names
    # the question keeps the respondent's wording
    assert "Downtime (times when systems are not available)" not in raw

    broken_down = html.unescape(client.get(f"/campaigns/{campaign.id}/results?by=device").text)
    rows = table(broken_down, "Scores by Device").rows[1:]
    order = list(dict.fromkeys(r[0].rsplit(" (", 1)[0] for r in rows))
    assert order == ["Overall satisfaction", *names]  # S1, S2, ... S20; never S1, S10, S11


def test_weight_gap_chart(client, make_user, signer, make_response):
    """Weight gap = (satisfaction - importance) x importance / 7: S1 (5 - 7) x 7 / 7 = -2;
    S3 (7 - 4) x 4 / 7 = 12 / 7 = 1.71. The axis runs -2 to 2, zero in the middle."""
    org, campaign = answered(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    gaps = table(raw, "Weight gap: your scores and the benchmark")
    assert gaps.row("Working relationships")[0] == "-2.00"
    assert gaps.row("Downtime")[0] == "1.71"
    svg = svg_of(raw, f"chart-weight_gap-{campaign.id}")
    bars = widths(svg)
    zero = PLOT / 2
    s1, s2, s3 = bars[:3]
    assert s1 == (0.0, zero, "#d4351c") and s2 == s1  # -2: from zero to the left end, red
    assert s3[0] == zero and s3[2] == "#1d70b8" and abs(s3[1] - PLOT * (12 / 7) / 4) < 0.01
    assert labels_of(svg)[:3] == [SEED_NAMES["S1"], SEED_NAMES["S2"], SEED_NAMES["S3"]]
    assert "in red, is a shortfall" in html.unescape(raw)


def test_overall_satisfaction_by_device_with_all_responses(client, make_user, signer, make_response):
    """The smartphone (1 response) is under the threshold of 3; hiding it alone would let
    it be worked out, so the tablets (3) go too. All responses: (4 x 6 + 4 x 4 + 3 x 2 + 7)
    / 12 = 53 / 12 = 4.42."""
    org, campaign = answered(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    by_device = table(raw, "Overall satisfaction by device")
    assert by_device.rows == [["Device", "Responses", "Overall satisfaction"], ["All responses", "12", "4.42"],
                              ["A desktop computer", "4", "6.00"], ["A laptop", "4", "4.00"]]
    svg = svg_of(raw, f"chart-by-device-{campaign.id}")
    assert labels_of(svg) == ["All responses (12 responses)", "A desktop computer (4 responses)",
                              "A laptop (4 responses)"]
    drawn = widths(svg)
    assert [fill for _x, _w, fill in drawn] == ["#003078", "#1d70b8", "#1d70b8"]  # all responses darker
    assert [round(w, 2) for _x, w, _f in drawn] == [round(PLOT * (53 / 12 - 1) / 6, 2), round(PLOT * 5 / 6, 2),
                                                    round(PLOT * 3 / 6, 2)]
    assert "tablet" not in svg.lower() and "smartphone" not in svg.lower()
    assert "Not shown, too few responses: A smartphone, A tablet." in html.unescape(raw)

    assert raw.index(f"chart-by-device-{campaign.id}") < raw.index("Show breakdown")  # before the choice
    # broken down by device, the chart goes with that breakdown's table, under the choice
    chosen = html.unescape(client.get(f"/campaigns/{campaign.id}/results?by=device").text)
    assert chosen.index("Show breakdown") < chosen.index(f"chart-by-device-{campaign.id}") < chosen.index(
        "Scores by Device")
    assert chosen.count(f'id="chart-by-device-{campaign.id}-title"') == 1
    assert "Not shown, too few responses" not in chosen  # said once, by the breakdown
    assert "Too few responses to show: A smartphone, A tablet." in chosen

    # broken down by another dimension, its own chart joins the device one
    page = client.get(f"/campaigns/{campaign.id}/results?by=device_class").text
    assert table(page, "Overall satisfaction by device").rows[1] == ["All responses", "12", "4.42"]
    assert "Overall satisfaction by device used to answer" in html.unescape(page)


def test_welsh_factor_names_and_chart_words(client, make_user, signer, make_response):
    org, campaign = answered(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?lang=cy").text)
    for name in ("Amser segur", "Prydlondeb staff cymorth TGCh", "Sgiliau gwasanaeth cwsmeriaid staff cymorth TGCh"):
        assert name in page
    assert "Customer service skills" not in page
    assert "Pob ymateb (12 o ymatebion)" in page


def test_a_questionnaire_without_labels_names_factors_by_their_questions(client, make_user, signer, make_response):
    """User Skills gives no factor labels: its charts name each factor by its question,
    wrapped whole, however long; it asks no overall satisfaction, so no chart by group."""
    org = make_org(name="Council A")
    campaign = make_campaign(org, questionnaire_id="user-skills", anonymity_threshold=3)
    for value in ("4", "5", "5"):
        make_response(campaign, {"K1": value, "K2": value})
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    k2 = "Changing settings to make your device easier to use (for example text size, display or sound)"
    svgs = re.findall(r'<svg [^>]*class="app-chart".*?</svg>', raw, re.S)
    drawn = [label for svg in svgs for label in labels_of(svg)]
    assert k2 in drawn and "Turning on your device, signing in and connecting to Wi-Fi" in drawn
    assert "Overall satisfaction by" not in raw


def test_a_campaign_frozen_before_the_labels_keeps_working_beside_a_new_one(client, make_user, signer,
                                                                             make_response):
    """The labels changed the file's content, so it is version 2026.2: a campaign frozen
    with 2026.1 (no labels) keeps its content and names factors by its questions; a new
    campaign freezes 2026.2 beside it, with the labels."""
    from copy import deepcopy

    from questionnaires import available
    from questionnaires.model import content_hash
    from survey_app.extensions import db
    from survey_app.models import QuestionnaireVersion

    old = deepcopy(available()["user-satisfaction"].content)
    del old["factors"]
    old["version"] = "2026.1"
    frozen = QuestionnaireVersion(questionnaire="user-satisfaction", version="2026.1", content=old,
                                  content_hash=content_hash(old))
    db.session.add(frozen)
    db.session.commit()
    before = make_campaign(make_org(name="Council A"), anonymity_threshold=3)
    before.questionnaire_version_id = frozen.id
    db.session.commit()
    after = make_campaign(make_org(name="Council B"), anonymity_threshold=3)
    assert after.questionnaire_version.version == "2026.2" and after.questionnaire_version_id != frozen.id
    for campaign in (before, after):
        for _ in range(3):
            make_response(campaign, {"overall": "5", "sat_S3": "6"})
    make_user("a@example.org", role="org_admin", organisation=before.organisation)
    signer(client, "a@example.org")
    page = client.get(f"/campaigns/{before.id}/results").text
    old_name = "Downtime (times when systems are not available)"
    assert table(page, "Satisfaction: your scores and the benchmark").row(old_name)[:2] == ["6.00", "3"]
    assert old_name in labels_of(svg_of(page, f"chart-factor-satisfaction-{before.id}"))
