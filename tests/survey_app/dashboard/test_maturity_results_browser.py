"""A Digital Maturity Assessment's results page in a real Chromium: axe-core finds nothing in
English or Welsh, at 320 px nothing scrolls sideways and the grid's counts stay legible, and
the peer group chooser works without JavaScript."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers import signed_in
from tests.survey_app.dashboard.maturity_round import LAST_YEAR, answers_at, make_maturity_round, make_return

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def backend():
    return "postgresql"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("size", ["narrow", "desktop"])
def test_the_results_page_in_chromium(browser, live_server, make_user, check_axe, language, size):
    org, campaign = make_maturity_round()
    make_return(org, answers_at(1), opens=LAST_YEAR, released=True)  # an earlier year, for its charts
    make_user("a@example.org", role="org_admin", organisation=org)
    page = signed_in(browser, live_server, "a@example.org", **(NARROW if size == "narrow" else DESKTOP))
    page.goto(f"{live_server}/campaigns/{campaign.id}/results?lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    for section in ("benchmarks", "functions", "grid", "gaps", "maturity-years"):
        assert page.locator(f"#{section}").is_visible(), section
    check_axe(page, f"DMA results in {language} ({size})")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the results page scrolls sideways by {overflow} px ({size})"
    grid = page.locator(f"svg[aria-labelledby='grid-{campaign.id}-title']")
    assert grid.bounding_box()["width"] <= (300 if size == "narrow" else 760)
    count = grid.locator("text", has_text="1 o 2" if language == "cy" else "1 of 2").first.bounding_box()
    assert count["height"] >= 11, count  # legible, even at 320 px
    # a draft: nothing but where it stands (and the earlier year)
    draft = make_return(org, answers_at(2), opens=LAST_YEAR + timedelta(days=60), submitted=False)
    page.goto(f"{live_server}/campaigns/{draft.id}/results?lang={language}")
    check_axe(page, f"a draft DMA return's results in {language} ({size})")


def test_the_chooser_works_without_javascript(browser, live_server, make_user):
    org, campaign = make_maturity_round()
    make_user("a@example.org", role="org_admin", organisation=org)
    page = signed_in(browser, live_server, "a@example.org", java_script_enabled=False, **NARROW)
    page.goto(f"{live_server}/campaigns/{campaign.id}/results")
    page.select_option("#peers", "nation:wales")
    with page.expect_navigation():
        page.click("form.peer-chooser button")
    assert "peers=nation%3Awales" in page.url and page.locator("#peers").input_value() == "nation:wales"
    assert "too small for a benchmark" in page.locator("main").inner_text()
