"""Releasing results from the console, and what the results page says before and after."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

import sqlalchemy as sa

from survey_app.console.release import release_campaign
from survey_app.extensions import db
from survey_app.models import Campaign, CampaignReleaseEvent
from tests.factories import make_campaign, make_org, make_participant
from tests.html_tables import table

YEAR = 2025  # 2025/26, closed long ago
S1 = "Working relationships"  # the factor's short name (its label in the questionnaire)


def events(campaign_id: int) -> list[tuple]:
    return db.session.execute(sa.select(CampaignReleaseEvent.action, CampaignReleaseEvent.user_id,
                                        CampaignReleaseEvent.operator)
                              .where(CampaignReleaseEvent.campaign_id == campaign_id)
                              .order_by(CampaignReleaseEvent.id)).all()


def test_release_and_unrelease_from_the_campaign_list(client, make_user, signer, csrf):
    closed = make_campaign(make_org(name="Council A", type_letter="S", number=17), opens=date(YEAR, 11, 3),
                           released=False)
    still_open = make_campaign(make_org(name="Council B"), opens=date.today() - timedelta(days=1))
    user = make_user("improve@example.org")
    signer(client, "improve@example.org")
    page = client.get(f"/console/?year={YEAR}")
    text = html.unescape(page.text)
    row = text.split(f'id="campaign-{closed.id}"', 1)[1].split("</tr>", 1)[0]
    assert "Closed, not yet released" in row and "Release<span" in row
    assert '<span class="govuk-visually-hidden"> results of S2517</span>' in row
    listing = html.unescape(client.get("/console/").text)
    open_row = listing.split(f'id="campaign-{still_open.id}"', 1)[1].split("</tr>", 1)[0]
    assert "Can be released once closed" in open_row and "<button" not in open_row

    done = client.post(f"/console/campaigns/{closed.id}/release", data={
        "csrf_token": csrf(page.text), "action": "release", "from": "list", "year": f"{YEAR}"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/console/?year={YEAR}#campaign-{closed.id}")
    db.session.expire_all()
    released = db.session.get(Campaign, closed.id)
    assert released.released and released.released_by_id == user.id and released.released_by_operator is None
    assert events(closed.id) == [("release", user.id, None)]
    after = html.unescape(client.get(done.headers["Location"]).text)
    assert "Results of S2517 released: they now count in the benchmark." in after
    row = after.split(f'id="campaign-{closed.id}"', 1)[1].split("</tr>", 1)[0]
    assert re.search(rf"Released on \d+ \w+ \d{{4}}, \d\d:\d\d by user {user.id}", row), row
    assert "Un-release<span" in row

    undone = client.post(f"/console/campaigns/{closed.id}/release", data={
        "csrf_token": csrf(after), "action": "unrelease"})
    assert undone.status_code == 302 and undone.headers["Location"].endswith(f"/console/campaigns/{closed.id}/release")
    history = html.unescape(client.get(undone.headers["Location"]).text)
    assert "Results of S2517 un-released: they are provisional again" in history
    rows = table(history, "Every release and un-release, newest first").rows
    assert [r[1:] for r in rows[1:]] == [["Un-released", f"user {user.id}"], ["Released", f"user {user.id}"]]
    assert events(closed.id) == [("release", user.id, None), ("unrelease", user.id, None)]


def test_the_campaign_page_links_the_improve_team_to_the_release_page(client, make_user, signer):
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=date(YEAR, 6, 2), released=False)
    link = f'href="/console/campaigns/{campaign.id}/release"'
    make_user("improve@example.org")
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "improve@example.org")
    assert link in client.get(f"/campaigns/{campaign.id}/").text
    page = html.unescape(client.get(f"/console/campaigns/{campaign.id}/release").text)
    assert "Closed, not yet released" in page and "The results have never been released." in page
    client.post("/sign-out", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)})
    signer(client, "a@example.org")
    assert link not in client.get(f"/campaigns/{campaign.id}/").text


def test_refusals_change_nothing(client, make_user, signer, csrf):
    still_open = make_campaign(opens=date.today() - timedelta(days=1))
    closed = make_campaign(opens=date(YEAR, 6, 2), released=False)
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    token = csrf(client.get(f"/console/campaigns/{closed.id}/release").text)
    cases = [
        (still_open, "release", "The results can be released only once the campaign has closed"),
        (closed, "unrelease", "The results have not been released, so there is nothing to un-release"),
        (closed, "publish", "Choose whether to release the results or un-release them"),
        (closed, "", "Choose whether to release the results or un-release them"),
    ]
    for campaign, action, message in cases:
        refused = client.post(f"/console/campaigns/{campaign.id}/release",
                              data={"csrf_token": token, "action": action})
        assert refused.status_code == 400, action
        text = html.unescape(refused.text)
        assert "There is a problem" in text and message in text and text.count(message) == 1
        assert "<title>Error:" in text
    no_token = client.post(f"/console/campaigns/{closed.id}/release", data={"action": "release"})
    assert no_token.status_code == 400
    assert client.post("/console/campaigns/999999/release", data={"csrf_token": token, "action": "release"}
                       ).status_code == 404
    db.session.expire_all()
    assert not db.session.get(Campaign, closed.id).released and not db.session.get(Campaign, still_open.id).released
    assert events(closed.id) == [] and events(still_open.id) == []


def test_an_organisation_admin_cannot_release(client, make_user, signer, csrf):
    org = make_org(name="Council A")
    closed = make_campaign(org, opens=date(YEAR, 6, 2), released=False)
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    token = csrf(client.get(f"/campaigns/{closed.id}/").text)
    assert client.post(f"/console/campaigns/{closed.id}/release",
                       data={"csrf_token": token, "action": "release"}).status_code == 404
    db.session.expire_all()
    assert not db.session.get(Campaign, closed.id).released and events(closed.id) == []


def test_results_page_until_and_after_release(client, make_user, signer, make_response, monkeypatch):
    """Benchmarks of three and four organisations (MIN_PEER_GROUP at its smallest, 3).
    S1 satisfaction 2, 4 and 7 in three released campaigns; Council D's closed campaign
    (6) is not released. Its page shows its own 6.00 against the released three: median 4,
    quartiles 3 and 5.5, so at or above the 3rd quartile (top quarter)."""
    monkeypatch.setitem(client.application.config, "MIN_PEER_GROUP", 3)
    for number, value in ((1, "2"), (2, "4"), (3, "7")):
        campaign = make_campaign(make_org(type_letter="E", number=number), opens=date(YEAR, 6, 2))
        make_response(campaign, {"sat_S1": value}, participant=make_participant(campaign))
    org = make_org(name="Council D", type_letter="E", number=4)
    # three responses, at its anonymity threshold of 3: enough for its results page to show them
    mine = make_campaign(org, opens=date(YEAR, 6, 2), released=False, anonymity_threshold=3)
    for _ in range(3):
        make_response(mine, {"sat_S1": "6"}, participant=make_participant(mine))
    earlier = make_campaign(org, opens=date(YEAR - 1, 6, 2))  # 2024/25, released: 3, so +3.00 since
    make_response(earlier, {"sat_S1": "3"}, participant=make_participant(earlier))
    make_user("d@example.org", role="org_admin", organisation=org)
    signer(client, "d@example.org")
    raw = client.get(f"/campaigns/{mine.id}/results").text
    page = html.unescape(raw)
    assert "the survey has closed, and they are waiting for the Improve team to release them" in page
    assert "still open" not in page
    assert "median of the 3 organisations whose results for 2025/26 have been released" in page
    satisfaction = table(raw, "Satisfaction: your scores and the benchmark")
    assert satisfaction.row(S1) == ["6.00", "3", "3.00", "4.00", "5.50", "Top quarter"]
    # over the years: its released 2024/25 (3.00) beside its provisional 2025/26 (6.00)
    trend = table(raw, "Satisfaction over the years: your scores and the benchmark median")
    yours = dict(zip(trend.rows[0][1:], trend.row(S1)))
    assert (yours["2024/25: yours"], yours["2025/26: yours"]) == ("3.00", "6.00")
    welsh = html.unescape(client.get(f"/campaigns/{mine.id}/results?lang=cy").text)
    assert "mae'r arolwg wedi cau, ac maen nhw'n aros i dîm Improve eu rhyddhau" in welsh

    release_campaign(mine, operator="AB")  # as from the command line; then the page again
    db.session.commit()
    raw = client.get(f"/campaigns/{mine.id}/results?lang=en").text
    page = html.unescape(raw)
    assert "provisional" not in page and "These results were released on " in page
    # now in the benchmark: 2 4 6 7, median 5, quartiles 3.5 and 6.25; 6 is above the median
    satisfaction = table(raw, "Satisfaction: your scores and the benchmark")
    assert satisfaction.row(S1) == ["6.00", "3", "3.50", "5.00", "6.25", "Above the median"]


def test_an_open_campaigns_page_says_it_is_still_open(client, make_user, signer, make_response):
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=date.today() - timedelta(days=1), anonymity_threshold=3)
    for _ in range(3):
        make_response(campaign, {"sat_S1": "5"}, participant=make_participant(campaign))
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results").text)
    assert "the survey is still open and they will change as responses arrive" in page
    assert "once the survey has closed and the Improve team has released them" in page
    satisfaction = table(client.get(f"/campaigns/{campaign.id}/results").text,
                         "Satisfaction: your scores and the benchmark")
    assert satisfaction.row(S1) == ["5.00", "3", "–", "–", "–", "–"]  # nothing released: no benchmark
    welsh = html.unescape(client.get(f"/campaigns/{campaign.id}/results?lang=cy").text)
    assert "mae'r arolwg yn dal ar agor" in welsh
