"""Loading results from the database: what is counted, what is left out."""
from __future__ import annotations

from tests.factories import make_campaign, make_org, make_participant
from survey_app.extensions import db
from survey_app.results.data import campaign_data, questionnaire_data, response_rate


def test_campaign_data_takes_submitted_responses_only(app, make_response):
    campaign = make_campaign()
    people = [make_participant(campaign, attributes={"location": "depot"}) for _ in range(4)]
    make_response(campaign, {"overall": "6", "device": "laptop"}, participant=people[0], device_class="mobile")
    make_response(campaign, {"overall": "2"}, participant=people[1], status="partial")
    make_response(campaign, {"overall": "dont_know", "sat_S1": "5"}, participant=people[2])
    make_response(campaign, {"overall": "7"}, participant=people[3])
    people[3].status = "withdrawn"  # answered, then left: out of the response rate, still a result
    db.session.commit()
    data = campaign_data(campaign.id)
    assert len(data.respondents) == 3
    assert set(data.answers["value"]) == {"6", "laptop", "dont_know", "5", "7"}
    assert data.counts[["submitted", "participants"]].values.tolist() == [[2, 3]]
    assert (response_rate(campaign.id).submitted, response_rate(campaign.id).participants) == (2, 3)
    row = data.respondents.loc[data.respondents["device_class"] == "mobile"].iloc[0]
    assert row["device"] == "laptop"
    assert row["organisation_code"] == campaign.code
    assert "email" not in " ".join(data.respondents.columns)
    overall = data.metrics().set_index("metric").loc["OVERALL.satisfaction"]
    assert overall["score"] == 6.5 and overall["n"] == 2


def test_questionnaire_data_spans_organisations_and_can_be_narrowed(app, make_response):
    from datetime import date

    # January 2026 and April 2025 are both in the data year 2025/26; March 2025 in 2024/25
    first = make_campaign(make_org(type_letter="S", number=20), opens=date(2026, 1, 12))
    second = make_campaign(make_org(type_letter="L", number=31, partnership=True), opens=date(2025, 4, 6))
    other_year = make_campaign(first.organisation, opens=date(2025, 3, 4))
    other_questionnaire = make_campaign(first.organisation, opens=date(2026, 1, 12), questionnaire_id="sdma")
    for campaign, overall in ((first, "5"), (other_year, "7")):
        make_response(campaign, {"overall": overall})
    make_response(second, {"overall": "3"}, source="import")
    make_response(other_questionnaire, {"D1": "2"})
    make_response(second, {"overall": "6"}, source="import")
    data = questionnaire_data("user-satisfaction", [2025])
    assert sorted(data.campaigns["organisation_code"]) == ["L2531(P)", "S2520"]
    assert set(data.campaigns["year_kind"]) == {"financial"}
    assert len(data.respondents) == 3 and set(data.answers["value"]) == {"5", "3", "6"}
    per_org = data.metrics(by=["organisation_code"]).set_index(["organisation_code", "metric"])["score"]
    assert per_org[("S2520", "OVERALL.satisfaction")] == 5.0 and per_org[("L2531(P)", "OVERALL.satisfaction")] == 4.5
    counts = data.counts.set_index("campaign_id")
    # no participant list and no paper forms recorded: each response counts as one person asked,
    # so the rate is 2 of 2, never 2 of 0 (issue 15 part 10)
    assert counts.loc[second.id, "submitted"] == 2 and counts.loc[second.id, "participants"] == 2
    narrowed = questionnaire_data("user-satisfaction", [2024, 2025], organisation_id=first.organisation_id)
    assert sorted(narrowed.campaigns["year"]) == [2024, 2025] and len(narrowed.respondents) == 2


def test_results_and_exports_read_the_submitted_store_only(app, runner, make_response, tmp_path):
    """A submission still waiting in the queue counts in the live response rate (the
    participant is marked submitted) but is in no result or export until it is released
    into the store."""
    import csv
    from datetime import date, datetime, timezone

    from survey_app.results.data import response_counts
    from survey_app.models import Campaign
    from tests.stored import release_all, submissions
    from tests.survey_app.dashboard.live import queue_submission

    campaign = make_campaign(opens=date(2026, 5, 4), anonymity_threshold=3)
    people = [make_participant(campaign, attributes={"location": "depot"}) for _ in range(4)]
    make_response(campaign, {"overall": "6"}, participant=people[0],
                  submitted_at=datetime(2026, 5, 5, 9, tzinfo=timezone.utc))
    queue_submission(people[1], datetime(2026, 5, 6, 9, tzinfo=timezone.utc), {"overall": "2", "device": "tablet"})
    db.session.commit()
    assert [s.where for s in submissions(campaign.id)] == ["queue", "store"]

    def export() -> list[dict]:
        out = tmp_path / f"export{len(list(tmp_path.iterdir()))}"
        result = runner.invoke(args=["export", "--questionnaire", "user-satisfaction", "--year", "2026",
                                     "--format", "csv", "--out", str(out)])
        assert result.exit_code == 0, result.output
        with open(out / "user-satisfaction-2026-27-wide.csv", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))

    # live: 2 of 4 submitted; the results: the one in the store
    assert (response_rate(campaign.id).submitted, response_rate(campaign.id).participants) == (2, 4)
    assert response_counts(Campaign.id == campaign.id)["submitted"].tolist() == [2]
    data = campaign_data(campaign.id)
    assert len(data.respondents) == 1 and set(data.answers["value"]) == {"6"}
    assert data.metrics().set_index("metric").loc["OVERALL.satisfaction", "n"] == 1
    assert [(r["overall"], r["submitted_on"]) for r in export()] == [("6", "2026-05-05")]

    assert release_all(datetime(2026, 6, 2, tzinfo=timezone.utc)) == {campaign.id: 1}
    assert [s.where for s in submissions(campaign.id)] == ["store", "store"]
    assert (response_rate(campaign.id).submitted, response_rate(campaign.id).participants) == (2, 4)
    data = campaign_data(campaign.id)
    assert len(data.respondents) == 2 and set(data.answers["value"]) == {"6", "2", "tablet"}
    assert data.metrics().set_index("metric").loc["OVERALL.satisfaction", "score"] == 4.0
    # a last batch smaller than k (3) joins the one before it, on its last day
    assert sorted((r["overall"], r["submitted_on"], r["device"]) for r in export()) == [
        ("2", "2026-05-06", "tablet"), ("6", "2026-05-06", "")]
    assert [s.attributes for s in submissions(campaign.id)] == [{"location": "depot"}] * 2
