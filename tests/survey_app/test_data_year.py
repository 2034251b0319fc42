"""The data year (DESIGN.md definition 8, issue 15 part 3): the financial year a campaign
opens in, or the calendar year where the questionnaire says so; in codes, benchmarks and
exports, and worked out again for the campaigns stored before it."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from questionnaires import available, parse
from questionnaires.loader import QUESTIONNAIRE_DIR
from survey_app.console import operations
from survey_app.extensions import db
from survey_app.models import Campaign
from tests.factories import make_campaign, make_org, make_participant

#: opening day -> (data year, label, the code's YY) for a financial-year questionnaire
ROUND = {
    date(2026, 3, 31): (2025, "2025/26", "25"),  # the last day of 2025/26
    date(2026, 4, 1): (2026, "2026/27", "26"),   # the first day of 2026/27 (midnight BST: 23:00 UTC the day before)
    date(2026, 11, 2): (2026, "2026/27", "26"),  # November and January: one round, one year
    date(2027, 1, 11): (2026, "2026/27", "26"),
}


@pytest.fixture
def calendar_questionnaire(monkeypatch):
    """User Skills under another id, declaring `data_year: calendar`, offered beside the
    shipped questionnaires (as a file in questionnaires/ would be)."""
    text = (QUESTIONNAIRE_DIR / "user-skills.yaml").read_text(encoding="utf-8")
    text = text.replace("\nid: user-skills\n", "\nid: calendar-skills\ndata_year: calendar\n", 1)
    questionnaire = parse(text, "calendar-skills.yaml")
    assert questionnaire.data_year == "calendar"
    shipped = available()
    monkeypatch.setattr(operations, "available", lambda: {**shipped, questionnaire.id: questionnaire})
    return questionnaire


def test_31_march_and_1_april_are_different_years_november_and_january_one(app):
    for number, (opens, (year, label, yy)) in enumerate(ROUND.items(), start=1):
        campaign = make_campaign(make_org(type_letter="W", number=number), opens=opens)
        assert (campaign.year, campaign.year_kind, campaign.year_label) == (year, "financial", label), opens
        assert campaign.code == f"W{yy}{number:02d}", opens
        assert campaign.year_file_label == label.replace("/", "-")
    first_of_april = db.session.execute(sa.select(Campaign).filter_by(year=2026)
                                        .order_by(Campaign.opens_at)).scalars().first()
    # the day is the UK's: 1 April at midnight BST is still 31 March in UTC
    assert first_of_april.opens_at == datetime(2026, 3, 31, 23, 0, tzinfo=timezone.utc)


def test_a_calendar_year_questionnaire_keeps_the_calendar_year(app, runner, make_response, tmp_path,
                                                               calendar_questionnaire):
    march = make_campaign(make_org(type_letter="E", number=41), questionnaire_id="calendar-skills",
                          opens=date(2026, 3, 31))
    april = make_campaign(make_org(type_letter="S", number=42), questionnaire_id="calendar-skills",
                          opens=date(2026, 4, 1))
    for campaign in (march, april):
        assert (campaign.year, campaign.year_kind, campaign.year_label, campaign.year_file_label) == (
            2026, "calendar", "2026", "2026")
        make_response(campaign, {"K1": "4"}, participant=make_participant(campaign))
    assert (march.code, april.code) == ("E2641", "S2642")

    result = runner.invoke(args=["benchmark", "calendar-skills", "--year", "2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["year"], data["years"]) == ("2026", ["2026"])
    assert {(o["organisation_code"], o["year"]) for o in data["organisations"]} == {("E2641", "2026"),
                                                                                   ("S2642", "2026")}
    out = tmp_path / "calendar"
    result = runner.invoke(args=["export", "--questionnaire", "calendar-skills", "--year", "2026", "--format", "csv",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"calendar-skills-2026-{t}.csv" for t in
                                                     ("benchmarks", "dictionary", "long", "scores", "wide")]
    wide = list(csv.DictReader(io.StringIO((out / "calendar-skills-2026-wide.csv").read_text("utf-8-sig"))))
    assert sorted((r["organisation_code"], r["year"]) for r in wide) == [("E2641", "2026"), ("S2642", "2026")]
    # no campaign in 2025: the message writes the year as this questionnaire counts them
    result = runner.invoke(args=["benchmark", "calendar-skills", "--year", "2025"])
    assert result.exit_code == 1 and "results for questionnaire 'calendar-skills' in 2025." in result.output


def _stored_years() -> dict[int, int]:
    return dict(db.session.execute(sa.text("SELECT id, year FROM campaign")).all())


def test_the_migration_works_out_the_data_year_of_stored_campaigns(app, calendar_questionnaire):
    """0005 on a database whose campaigns carry the calendar year they opened in (as before
    it): each gets its financial year, from its opening day in the UK; a questionnaire
    frozen with `data_year: calendar` keeps the calendar year. Downgrading puts back the
    calendar years.

    0011 cannot be downgraded (test_foundation.py), so the database is built afresh up to
    0010, whose campaign tables are the ones the models write today."""
    from flask_migrate import downgrade, upgrade

    db.session.close()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
    upgrade(revision="0010")
    made = {opens: make_campaign(make_org(type_letter="D", number=50 + i), opens=opens).id
            for i, opens in enumerate(ROUND)}
    calendar = make_campaign(make_org(type_letter="O", number=60), questionnaire_id="calendar-skills",
                             opens=date(2027, 2, 1)).id
    db.session.close()

    downgrade(revision="0005-1")
    assert "year_kind" not in {c["name"] for c in sa.inspect(db.engine).get_columns("campaign")}
    assert _stored_years() == {**{made[opens]: opens.year for opens in ROUND}, calendar: 2027}
    db.session.close()

    upgrade()
    assert _stored_years() == {**{made[opens]: year for opens, (year, _, _) in ROUND.items()}, calendar: 2027}
    kinds = dict(db.session.execute(sa.text("SELECT id, year_kind FROM campaign")).all())
    assert kinds == {**{i: "financial" for i in made.values()}, calendar: "calendar"}
    assert db.session.get(Campaign, made[date(2027, 1, 11)]).code == "D2653"
