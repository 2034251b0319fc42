"""Releasing results in a real Chromium: the button on the campaign list and the release
page, at 320 px and on a desktop, in English and Welsh, axe-clean; and the organisation's
results page saying its results wait for release."""
from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_campaign, make_org, make_participant
from tests.survey_app.dashboard.test_dashboard_browser import NARROW, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WORDS = {  # what each language's pages say
    "en": {"release": "Release results of", "unrelease": "Un-release", "released": "Released on",
           "waiting": "waiting for the Improve team to release them", "history": "Released"},
    "cy": {"release": "Rhyddhau canlyniadau", "unrelease": "Tynnu'n ôl", "released": "Rhyddhawyd ar",
           "waiting": "aros i dîm Improve eu rhyddhau", "history": "Rhyddhawyd"},
}


@pytest.fixture
def backend():
    return "postgresql"


def no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow} px"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("screen", ["narrow", "desktop"])
def test_improve_team_releases_and_takes_back(browser, live_server, make_user, make_response, check_axe,
                                              language, screen):
    org = make_org(name="Council A", type_letter="W", number=21)
    campaign = make_campaign(org, opens=date(2025, 6, 2), released=False)
    make_response(campaign, {"overall": "5", "sat_S1": "6"}, participant=make_participant(campaign))
    make_user("improve@example.org")
    make_user("a@example.org", role="org_admin", organisation=org)
    words = WORDS[language]
    page = signed_in(browser, live_server, "improve@example.org", **(NARROW if screen == "narrow" else DESKTOP))
    page.goto(f"{live_server}/console/?lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    check_axe(page, f"campaign list with a release button ({language}, {screen})")
    no_sideways_scroll(page, "the campaign list")
    row = page.locator(f"#campaign-{campaign.id}")
    # one button in the row, named for the campaign it releases
    button = row.get_by_role("button", name=f"{words['release']} W2521", exact=True)
    assert row.get_by_role("button").count() == 1 and button.count() == 1
    with page.expect_navigation():
        button.click()
    assert page.locator(".govuk-notification-banner").is_visible()
    assert words["released"] in row.inner_text()
    check_axe(page, f"campaign list after releasing ({language}, {screen})")

    with page.expect_navigation():
        row.locator(f"a[href$='/console/campaigns/{campaign.id}/release']").click()
    assert page.locator("table").inner_text().count(words["history"]) == 1
    check_axe(page, f"release page ({language}, {screen})")
    no_sideways_scroll(page, "the release page")
    with page.expect_navigation():
        page.locator("#release").get_by_role("button", name=words["unrelease"]).click()
    assert page.locator("table tbody tr").count() == 2
    check_axe(page, f"release page after un-releasing ({language}, {screen})")

    admin = signed_in(browser, live_server, "a@example.org", **(NARROW if screen == "narrow" else DESKTOP))
    admin.goto(f"{live_server}/campaigns/{campaign.id}/results?lang={language}")
    assert words["waiting"] in admin.locator(".govuk-warning-text").inner_text()
    check_axe(admin, f"results awaiting release ({language}, {screen})")
    no_sideways_scroll(admin, "the results page")
