"""Released results only in benchmarks and the exports across organisations; flask campaign
release|unrelease, recorded with who and when, and what they refuse."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from survey_app.console.release import ReleaseError, release_campaign, unrelease_campaign
from survey_app.extensions import db
from survey_app.models import Campaign, CampaignReleaseEvent
from survey_app.results.datasets import dataset
from tests.factories import make_campaign, make_org, make_participant

YEAR = 2025  # 2025/26, closed long ago


def overall_benchmark(runner) -> dict:
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    overall = next(b for b in data["benchmarks"] if b["metric"] == "OVERALL.satisfaction")
    codes = sorted({o["organisation_code"] for o in data["organisations"]})
    return {"codes": codes, **{k: overall[k] for k in ("organisations", "q1", "median", "q3")}}


@pytest.fixture
def four(app, make_response):
    """Overall satisfaction 2, 4 and 7 in three released campaigns of 2025/26, and 6 in a
    fourth that closed but is not released."""
    campaigns = {}
    for number, overall in ((1, "2"), (2, "4"), (3, "7"), (4, "6")):
        campaign = make_campaign(make_org(type_letter="E", number=number), opens=date(YEAR, 6, 2),
                                 released=number != 4)
        make_response(campaign, {"overall": overall}, participant=make_participant(campaign))
        campaigns[number] = campaign
    return campaigns


def test_the_benchmark_counts_released_campaigns_only(runner, four):
    assert four[4].status == "closed" and not four[4].released
    # released: 2 4 7. median 4; q1 = 2 + 0.5 x (4 - 2) = 3; q3 = 4 + 0.5 x (7 - 4) = 5.5
    assert overall_benchmark(runner) == {"codes": ["E2501", "E2502", "E2503"], "organisations": 3,
                                         "q1": 3.0, "median": 4.0, "q3": 5.5}
    released = runner.invoke(args=["campaign", "release", str(four[4].id), "--operator", "AB"])
    assert released.exit_code == 0, released.output
    assert f"Released campaign {four[4].id} (E2504, user-satisfaction, 2025/26) at " in released.output
    assert released.output.rstrip().endswith(", by AB.")
    # 2 4 6 7: median 5; q1 = 2 + 0.75 x 2 = 3.5; q3 = 6 + 0.25 x 1 = 6.25
    assert overall_benchmark(runner) == {"codes": ["E2501", "E2502", "E2503", "E2504"], "organisations": 4,
                                         "q1": 3.5, "median": 5.0, "q3": 6.25}
    taken_back = runner.invoke(args=["campaign", "unrelease", str(four[4].id), "--operator", "CD"])
    assert taken_back.exit_code == 0 and "its results are provisional again" in taken_back.output
    assert overall_benchmark(runner)["median"] == 4.0
    # nothing released in a year: the benchmark says so
    for c in four.values():
        if c.released:
            unrelease_campaign(c, operator="AB")
    db.session.commit()
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", str(YEAR)])
    assert result.exit_code == 1 and "No organisation has results for questionnaire 'user-satisfaction' in " \
        "2025/26. Only released campaigns count (flask campaign release)." in result.output


def test_flask_export_across_organisations_needs_a_released_campaign(runner, app, make_response, tmp_path):
    campaign = make_campaign(make_org(type_letter="W", number=9), opens=date(YEAR, 6, 2), released=False)
    make_response(campaign, {"overall": "5"}, participant=make_participant(campaign))
    base = ["export", "--questionnaire", "user-satisfaction", "--year", str(YEAR), "--format", "csv"]
    result = runner.invoke(args=[*base, "--out", str(tmp_path / "all")])
    assert result.exit_code == 1 and "No campaign of questionnaire 'user-satisfaction' in 2025/26. Across " \
        "organisations only released campaigns count (flask campaign release)." in result.output
    assert not (tmp_path / "all").exists()
    own = runner.invoke(args=[*base, "--out", str(tmp_path / "own"), "--org", "W2509"])
    assert own.exit_code == 0, own.output
    assert "W2509" in (tmp_path / "own" / "user-satisfaction-2025-26-W2509-long.csv").read_text(encoding="utf-8-sig")


def test_release_and_unrelease_are_recorded_with_who_and_when(runner, four, make_response):
    campaign = four[4]
    at = datetime(2026, 2, 3, 10, 30, tzinfo=timezone.utc)
    release_campaign(campaign, operator="  AB  ", now=at)
    unrelease_campaign(campaign, operator="CD", now=at + timedelta(hours=1))
    release_campaign(campaign, operator="EF", now=at + timedelta(hours=2))
    db.session.commit()
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    assert (campaign.released_at, campaign.released_by_operator, campaign.released_by_id) == (
        at + timedelta(hours=2), "EF", None)
    events = db.session.execute(sa.select(CampaignReleaseEvent.action, CampaignReleaseEvent.operator,
                                          CampaignReleaseEvent.at)
                                .where(CampaignReleaseEvent.campaign_id == campaign.id)
                                .order_by(CampaignReleaseEvent.id)).all()
    assert events == [("release", "AB", at), ("unrelease", "CD", at + timedelta(hours=1)),
                      ("release", "EF", at + timedelta(hours=2))]
    listing = runner.invoke(args=["campaign", "list"]).output.splitlines()
    assert listing[0].split()[-1] == "results"
    assert next(line for line in listing if line.startswith(f"{campaign.id} ")).endswith("released 2026-02-03")
    assert next(line for line in listing if line.startswith(f"{four[1].id} ")).split()[-2] == "released"
    open_one = make_campaign(make_org(type_letter="O"), opens=date.today() - timedelta(days=1))
    assert next(line for line in runner.invoke(args=["campaign", "list"]).output.splitlines()
                if line.startswith(f"{open_one.id} ")).split()[-2:] == ["open", "provisional"]


def events_of(campaign_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(CampaignReleaseEvent.campaign_id == campaign_id))


def test_release_is_refused_while_the_campaign_is_open_or_not_yet_open(runner, app):
    now_open = make_campaign(opens=date.today() - timedelta(days=1))
    later = make_campaign(opens=date.today() + timedelta(days=10))
    for campaign, status in ((now_open, "open"), (later, "not yet open")):
        result = runner.invoke(args=["campaign", "release", str(campaign.id), "--operator", "AB"])
        closes = campaign.closes_at.date().isoformat()
        assert result.exit_code == 1
        assert (f"Error: Campaign {campaign.id} ({campaign.code}) is still {status}: its results can be released "
                f"once it closes ({closes}).") in result.output
        db.session.expire_all()
        assert db.session.get(Campaign, campaign.id).released_at is None and events_of(campaign.id) == 0
        with pytest.raises(ReleaseError) as refused:
            release_campaign(campaign, operator="AB")
        assert refused.value.reason == "not_closed"
        db.session.rollback()


@pytest.mark.parametrize("args, message", [
    (["release", "999999", "--operator", "AB"], "No campaign has the id 999999 (see `flask campaign list`)."),
    (["release", "twelve", "--operator", "AB"], "Invalid value for 'CAMPAIGN': 'twelve' is not a valid integer"),
    (["release", "--operator", "AB", "--", "-3"], "Invalid value for 'CAMPAIGN'"),
    (["release", "99999999999", "--operator", "AB"], "Invalid value for 'CAMPAIGN'"),
    (["release", "{id}"], "Missing option '--operator'"),
    (["release", "{id}", "--operator", "   "], "Say who is doing this with --operator (a name or initials)."),
    (["release", "{id}", "--operator", "ab@example.org"],
     "--operator must be a name or initials, not an email address."),
    (["release", "{id}", "--operator", "A" * 101], "--operator must be 100 characters or fewer."),
    (["release", "{id}", "--operator", "A\x01B"], "Invalid value for '--operator'"),
    (["release", "{released}", "--operator", "AB"], "was already released on "),
    (["unrelease", "{id}", "--operator", "AB"], "has not been released."),
    (["unrelease", "{id}", "--operator", ""], "Say who is doing this with --operator"),
    (["release"], "Missing argument 'CAMPAIGN'"),
])
def test_cli_bad_input_changes_nothing(runner, app, args, message):
    closed = make_campaign(opens=date(YEAR, 6, 2), released=False)
    released = make_campaign(opens=date(YEAR, 6, 2))
    before = {c.id: (events_of(c.id), c.released_at) for c in (closed, released)}
    args = [a.format(id=closed.id, released=released.id) for a in args]
    result = runner.invoke(args=["campaign", *args])
    assert result.exit_code in (1, 2) and message in result.output, result.output
    db.session.expire_all()
    assert {c.id: (events_of(c.id), db.session.get(Campaign, c.id).released_at)
            for c in (closed, released)} == before


def test_the_database_keeps_the_rules(app):
    campaign = make_campaign(opens=date.today() - timedelta(days=1))
    campaign.released_at, campaign.released_by_operator = datetime.now(timezone.utc), "AB"
    with pytest.raises(sa.exc.IntegrityError):  # released while open
        db.session.commit()
    db.session.rollback()
    closed = make_campaign(opens=date(YEAR, 6, 2), released=False)
    closed.released_at = datetime.now(timezone.utc)
    with pytest.raises(sa.exc.IntegrityError):  # released by nobody
        db.session.commit()
    db.session.rollback()
    db.session.add(CampaignReleaseEvent(campaign_id=closed.id, action="release", operator=None,
                                        at=datetime.now(timezone.utc)))
    with pytest.raises(sa.exc.IntegrityError):  # an event by nobody
        db.session.commit()
    db.session.rollback()
    db.session.add(CampaignReleaseEvent(campaign_id=closed.id, action="publish", operator="AB",
                                        at=datetime.now(timezone.utc)))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_exports_across_organisations_leave_out_unreleased_campaigns(app, four):
    everyone = dataset("user-satisfaction", YEAR, None, "en")
    assert sorted(set(everyone.tables["long"]["organisation_code"])) == ["E2501", "E2502", "E2503"]
    assert sorted(set(everyone.tables["scores"]["organisation_code"])) == ["E2501", "E2502", "E2503"]
    bench = everyone.tables["benchmarks"].set_index("metric").loc["OVERALL.satisfaction"]
    assert (bench["organisations"], bench["median"]) == (3, 4.0)
    # the organisation's own export holds its provisional results, banded against the released three
    own = dataset("user-satisfaction", YEAR, four[4].organisation, "en")
    assert set(own.tables["long"]["organisation_code"]) == {"E2504"}
    overall = own.tables["scores"].set_index("metric").loc["OVERALL.satisfaction"]
    overall = overall.loc[overall["dimension"].isna()] if overall.ndim > 1 else overall
    row = overall if overall.ndim == 1 else overall.iloc[0]
    assert (row["score"], row["median"], row["q3"], row["band"]) == (6.0, 4.0, 5.5, 4)  # 6 >= q3 5.5: band 4
    own_bench = own.tables["benchmarks"].set_index("metric").loc["OVERALL.satisfaction"]
    assert (own_bench["organisations"], own_bench["median"]) == (3, 4.0)
