"""Responses from paper forms: the forms handed out join the response rate's
participants, and no rate ever exceeds 100% (issue 15 part 10)."""
from __future__ import annotations

import json
from datetime import date

from survey_app.extensions import db
from survey_app.models import Campaign, Response
from survey_app.results.data import response_rate
from tests.factories import make_campaign, make_org, make_participant

YEAR = 2025


def write(tmp_path, rows: int, name="paper.csv"):
    path = tmp_path / name
    path.write_text("response_id,overall\n" + "".join(f",{3 + i % 5}\n" for i in range(rows)), encoding="utf-8")
    return str(path)


def count_responses(campaign) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Response)
                             .where(Response.campaign_id == campaign.id))


def test_paper_forms_handed_out_join_the_participants(runner, app, tmp_path, make_response):
    campaign = make_campaign()
    people = [make_participant(campaign) for _ in range(10)]
    for person in people[:4]:
        make_response(campaign, {"overall": "5"}, participant=person)
    result = runner.invoke(args=["responses", "import", str(campaign.id), write(tmp_path, 3), "--paper-forms", "5"])
    assert result.exit_code == 0, result.output
    assert "5 paper form(s) handed out" in result.output
    assert db.session.get(Campaign, campaign.id).paper_forms == 5
    # 4 online + 3 on paper out of 10 listed + 5 forms: 7 / 15 = 46.67% -> 46.7%
    rate = response_rate(campaign.id)
    assert (rate.submitted, rate.participants, str(rate.percent)) == (7, 15, "46.7")
    # a second batch back from the same forms: the number handed out is given in all, not added
    result = runner.invoke(args=["responses", "import", str(campaign.id), write(tmp_path, 2), "--paper-forms", "5"])
    assert result.exit_code == 0, result.output
    rate = response_rate(campaign.id)
    assert (rate.submitted, rate.participants, str(rate.percent)) == (9, 15, "60.0")


def test_more_responses_than_forms_is_refused_and_changes_nothing(runner, app, tmp_path):
    campaign = make_campaign()
    path = write(tmp_path, 3)
    result = runner.invoke(args=["responses", "import", str(campaign.id), path, "--paper-forms", "2"])
    assert result.exit_code == 1
    assert (f"--paper-forms 2 is fewer than the 3 response(s) campaign {campaign.id} would then hold without "
            f"a participant (3 in {path})") in result.output
    assert "nothing was imported" in result.output
    assert count_responses(campaign) == 0 and db.session.get(Campaign, campaign.id).paper_forms == 0
    result = runner.invoke(args=["responses", "import", str(campaign.id), path, "--paper-forms", "-1"])
    assert result.exit_code == 2 and "--paper-forms" in result.output


def test_a_rate_never_exceeds_100_percent_without_a_count_of_forms(runner, app, tmp_path, make_response):
    org = make_org(name="Paper Council", type_letter="W", number=7)
    campaign = make_campaign(org, opens=date(YEAR, 6, 2))
    people = [make_participant(campaign) for _ in range(2)]
    for person in people:
        make_response(campaign, {"overall": "6"}, participant=person)
    result = runner.invoke(args=["responses", "import", str(campaign.id), write(tmp_path, 3)])
    assert result.exit_code == 0, result.output
    assert "3 response(s) imported in all but 0 paper form(s) recorded" in result.output
    # 2 listed, 2 + 3 submitted: each response beyond the list is one more person, 5 / 5
    # (it was 5 / 2 = 250%)
    rate = response_rate(campaign.id)
    assert (rate.submitted, rate.participants, str(rate.percent)) == (5, 5, "100.0")
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "json",
                                 "--metric", "response_rate"])
    assert result.exit_code == 0, result.output
    rates = [o for o in json.loads(result.output)["organisations"] if o["metric"] == "response_rate"]
    assert [(o["organisation_code"], o["score"], o["n"]) for o in rates] == [("W2507", 100.0, 5)]
