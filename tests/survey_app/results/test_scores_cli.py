"""flask scores: a campaign's results in a terminal, as CSV and as JSON."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.factories import make_campaign, make_org, make_participant
from survey_app.extensions import db


@pytest.fixture
def campaign(app, make_response):
    """4 participants (and 1 withdrawn), 2 submitted responses and 1 partial."""
    campaign = make_campaign(make_org(name="Aberhafren Test Council", type_letter="W", number=7))
    people = [make_participant(campaign) for _ in range(5)]
    people[4].status = "withdrawn"
    db.session.commit()
    make_response(campaign, {"overall": "7", "improved": "5", "sat_S1": "6", "imp_S1": "7", "device": "laptop"},
                  participant=people[0])
    make_response(campaign, {"overall": "4", "improved": "dont_know", "sat_S1": "4", "imp_S1": "5",
                             "device": "desktop"}, participant=people[1])
    make_response(campaign, {"overall": "1"}, participant=people[2], status="partial")
    return campaign


def test_table_shows_the_headline_figures(runner, campaign):
    result = runner.invoke(args=["scores", str(campaign.id)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Response rate: 50.0% (2 out of 4)" in out
    assert "Overall satisfaction: 5.50 (n = 2)" in out       # (7 + 4) / 2; the partial response is left out
    assert "Service improved: 5.00 (n = 1)" in out           # don't know is not a number
    # S1: satisfaction (6 + 4) / 2 = 5, importance 6, gap -1, weight gap -1 x 6 / 7 = -0.857...
    s1 = next(line for line in out.splitlines() if line.startswith("S1 "))
    assert s1.split()[-6:] == ["5.00", "2", "6.00", "2", "-1.00", "-0.86"]
    assert campaign.code in out and "Aberhafren" not in out


def test_welsh_table(runner, campaign):
    out = runner.invoke(args=["scores", str(campaign.id), "--language", "cy"]).output
    assert "Cyfradd ymateb: 50.0% (2 allan o 4)" in out
    assert "Boddhad cyffredinol: 5.50 (n = 2)" in out
    assert "Arolwg Boddhad Defnyddwyr TGCh" in out and "Pwysigrwydd" in out and "Bwlch wedi'i bwysoli" in out


def test_json_keeps_full_precision(runner, campaign):
    result = runner.invoke(args=["scores", str(campaign.id), "--format", "json"])
    data = json.loads(result.output)
    assert data["response_rate"] == {"submitted": 2, "participants": 4, "percent": 50.0, "fraction": 0.5,
                                     "text": "50.0% (2 out of 4)"}
    assert data["headline"]["overall_satisfaction"] == {"score": 5.5, "n": 2}
    metrics = {m["metric"]: m for m in data["metrics"]}
    assert metrics["S1.weight_gap"]["score"] == pytest.approx(-6 / 7, abs=1e-15)
    assert metrics["S1.importance"]["n"] == 2 and "breakdown" not in data


def test_csv_has_a_row_per_metric(runner, campaign):
    result = runner.invoke(args=["scores", str(campaign.id), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    by_metric = {r["metric"]: r for r in rows}
    assert by_metric["response_rate"]["score"] == "50.0" and by_metric["response_rate"]["n"] == "2"
    assert float(by_metric["S1.gap"]["score"]) == -1.0 and by_metric["S1.gap"]["n"] == ""
    assert by_metric["OVERALL.satisfaction"]["label"] == "Overall satisfaction"


@pytest.fixture
def devices(app, make_response):
    """A campaign with threshold 3: desktop 4 (overall 6), laptop 3 (overall 2), tablet 2 (overall 1)."""
    campaign = make_campaign(anonymity_threshold=3)
    plan = [("desktop", "6")] * 4 + [("laptop", "2")] * 3 + [("tablet", "1")] * 2
    for device, overall in plan:
        make_response(campaign, {"overall": overall, "device": device},
                      device_class="mobile" if device == "tablet" else "desktop")
    return campaign


def test_breakdown_suppresses_small_groups_and_their_complement(runner, devices):
    result = runner.invoke(args=["scores", str(devices.id), "--by", "device"])
    assert result.exit_code == 0, result.output
    out = result.output
    # tablet (2) is under 3; hiding it alone would let it be worked out, so laptop (3) goes too
    assert "A desktop computer" in out and "6.00 (4)" in out
    assert "Too few responses to show: A laptop, A tablet" in out
    assert "2.00" not in out and "1.00" not in out  # laptop's and tablet's scores appear nowhere
    data = json.loads(runner.invoke(args=["scores", str(devices.id), "--by", "device", "--format", "json"]).output)
    groups = {g["group"]: g for g in data["breakdown"]["groups"]}
    assert groups["desktop"] == {"group": "desktop", "group_label": "A desktop computer", "n": 4, "suppressed": False}
    assert groups["tablet"]["n"] is None and groups["laptop"]["n"] is None and groups["laptop"]["suppressed"]
    assert {m["group"] for m in data["breakdown"]["metrics"]} == {"desktop"}
    rows = list(csv.DictReader(io.StringIO(
        runner.invoke(args=["scores", str(devices.id), "--by", "device", "--format", "csv"]).output)))
    assert not any(r["group"] in ("laptop", "tablet") and (r["score"] or r["n"]) for r in rows)


def test_breakdown_by_device_class_and_participant_attribute(runner, app, make_response):
    campaign = make_campaign(anonymity_threshold=3)
    for i in range(8):
        person = make_participant(campaign, attributes={"department": "housing" if i < 4 else "finance"})
        make_response(campaign, {"overall": "5" if i < 4 else "3"}, participant=person,
                      device_class="mobile" if i % 2 else "desktop")
    out = runner.invoke(args=["scores", str(campaign.id), "--by", "device_class"]).output
    assert "Mobile phone" in out and "Desktop or laptop" in out and "4.00 (4)" in out
    data = json.loads(runner.invoke(args=["scores", str(campaign.id), "--by", "department", "--format", "json"]).output)
    scores = {m["group"]: m["score"] for m in data["breakdown"]["metrics"] if m["metric"] == "OVERALL.satisfaction"}
    assert scores == {"housing": 5.0, "finance": 3.0}


def test_refusals(runner, campaign):
    result = runner.invoke(args=["scores", "999999"])
    assert result.exit_code == 1 and "No campaign has the id 999999" in result.output
    result = runner.invoke(args=["scores", str(campaign.id), "--by", "shoe_size"])
    assert result.exit_code == 1 and "Unknown dimension 'shoe_size'" in result.output


def test_a_campaign_with_no_responses(runner, app):
    campaign = make_campaign()
    out = runner.invoke(args=["scores", str(campaign.id)]).output
    assert "No participants yet" in out and "No submitted responses yet." in out
