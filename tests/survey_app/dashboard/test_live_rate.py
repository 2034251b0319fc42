"""The live response rate, worked out by hand."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from survey_app.extensions import db
from survey_app.links import response_locator
from survey_app.models import Response
from tests.factories import make_campaign, make_org, make_participant
from tests.html_tables import table
from tests.survey_app.dashboard.live import queue_submission as submit


def build(campaign):
    """9 counted participants (1 withdrawn left out); 3 of them submitted, 1 partial. The
    one who withdrew had submitted first: left out of the rate, but their submission is
    in the queue like the others, with nothing to say whose it is, so the days count it."""
    people = [make_participant(campaign, attributes={"location": "Town Hall" if i < 6 else "Depot",
                                                     "department": "Finance" if i % 2 else "Housing"})
              for i in range(10)]
    people[9].status = "withdrawn"
    day1 = campaign.opens_at + timedelta(hours=10)
    submit(people[0], day1)
    submit(people[1], day1 + timedelta(hours=1))
    submit(people[6], day1 + timedelta(days=1))
    submit(people[9], day1)  # then withdrew: not counted in the rate
    db.session.add(Response(campaign_id=campaign.id, locator=response_locator(people[2].id, current_app.config["SECRET_KEY"])))
    db.session.commit()
    return people


def chart_svg(page: str) -> str:
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"')
    return page[start:page.index("</svg>", start)]


def chart_columns(page: str, top: int) -> list[float]:
    """The responses so far on each day, read back from the chart's blue columns: a
    column's height over the 180 px of the axis, times its top figure `top`."""
    heights = re.findall(r'<rect [^>]*height="([\d.]+)" fill="#1d70b8"/>', chart_svg(page))
    return [round(float(h) / 180 * top, 2) for h in heights]


def chart_labels(page: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", chart_svg(page))


def test_headline_days_and_breakdowns(client, make_user, signer):
    org = make_org(name="Council A")
    # threshold 3, so that every group here is shown (Depot has 3 people)
    campaign = make_campaign(org, opens=datetime.now(timezone.utc).date() - timedelta(days=3), anonymity_threshold=3)
    build(campaign)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    data = client.get(f"/campaigns/{campaign.id}/rate.json").json
    assert (data["submitted"], data["participants"]) == (3, 9)
    assert data["rate"] == "33.3% (3 out of 9)"
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/").text)
    assert "33.3% (3 out of 9)" in page
    # by location: Town Hall 2 of 6 (33.3%), Depot 1 of 3 (33.3%)
    assert "33.3% (2 out of 6)" in page and "33.3% (1 out of 3)" in page
    # by department: Finance (odd i: 1,3,5,7) 1 of 4 = 25.0%; Housing (0,2,4,6,8) 2 of 5 = 40.0%
    assert "25.0% (1 out of 4)" in page and "40.0% (2 out of 5)" in page
    assert page.index("25.0% (1 out of 4)") < page.index("40.0% (2 out of 5)")  # lowest first
    # by day, from the opening day to today: 3 on the first day (the one who withdrew
    # since among them), 1 the next, none since
    first = campaign.opens_at.astimezone(ZoneInfo("Europe/London")).date()
    days = [first + timedelta(days=i) for i in range((date.today() - first).days + 1)]
    assert len(days) == 4
    new = [3, 1, 0, 0]
    by_day = table(page, header=["Day", "Submitted that day", "Submitted so far"])
    assert by_day.rows[1:] == [[f"{d:%A} {d.day} {d:%B}", str(n), str(sum(new[:i + 1]))]
                               for i, (d, n) in enumerate(zip(days, new))]
    # the chart beside it draws the same cumulative figures, one column a day so far, on
    # a whole-number axis up to 4 (not squashed under the 9 participants); the latest
    # column is labelled 4; the dates run across the campaign's four weeks (28 days)
    assert chart_columns(page, top=4) == [3, 4, 4, 4]
    labels = chart_labels(page)
    assert labels[:6] == ["0", "1", "2", "3", "4", "4"]
    last = first + timedelta(days=27)
    assert labels[6] == f"{first.day} {first:%b}" and labels[-1] == f"{last.day} {last:%b}"
    welsh = client.get(f"/campaigns/{campaign.id}/rate.json", headers={"Accept-Language": "cy"}).json
    assert welsh["rate"] == "33.3% (3 allan o 9)"


def test_thousands_and_half_up(app):
    from flask_babel import force_locale

    from scoring import ResponseRate as RateCounts
    from survey_app.dashboard.views import rate_text

    with app.test_request_context():
        with force_locale("en"):
            assert rate_text(RateCounts(1446, 4014)) == "36.0% (1,446 out of 4,014)"
            assert rate_text(RateCounts(20, 313)) == "6.4% (20 out of 313)"
            assert rate_text(RateCounts(1, 8)) == "12.5% (1 out of 8)"  # 12.5 exactly stays
            assert rate_text(RateCounts(1, 16)) == "6.3% (1 out of 16)"  # 6.25 rounds half-up
        with force_locale("cy"):
            assert rate_text(RateCounts(1446, 4014)) == "36.0% (1,446 allan o 4,014)"
