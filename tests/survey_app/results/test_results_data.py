"""Loading results from the database: what is counted, what is left out."""
from __future__ import annotations

import pytest

from factories import make_campaign, make_org, make_participant
from survey_app.extensions import db
from survey_app.results.data import campaign_data, questionnaire_data


def test_campaign_data_takes_submitted_responses_only(app, make_response):
    campaign = make_campaign()
    people = [make_participant(campaign, attributes={"location": "depot"}) for _ in range(4)]
    make_response(campaign, {"overall": "6", "device": "laptop"}, participant=people[0], device_class="mobile")
    make_response(campaign, {"overall": "2"}, participant=people[1], status="partial")
    make_response(campaign, {"overall": "dont_know", "sat_S1": "5"}, participant=people[2])
    people[3].status = "withdrawn"
    db.session.commit()
    data = campaign_data(campaign.id)
    assert len(data.respondents) == 2
    assert set(data.answers["value"]) == {"6", "laptop", "dont_know", "5"}
    assert data.counts[["submitted", "participants"]].values.tolist() == [[2, 3]]
    row = data.respondents.set_index("response_id").loc[data.answers.iloc[0]["response_id"]]
    assert row["device"] == "laptop" and row["device_class"] == "mobile"
    assert row["organisation_code"] == campaign.code
    assert "email" not in " ".join(data.respondents.columns)
    overall = data.metrics().set_index("metric").loc["OVERALL.satisfaction"]
    assert overall["score"] == 6.0 and overall["n"] == 1
