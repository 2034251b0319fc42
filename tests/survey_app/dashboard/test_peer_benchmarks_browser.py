"""The headline benchmarks in a real Chromium: the peer-group chooser works without
JavaScript, the charts fit a 320 px screen, and the page passes axe-core in both languages."""
from __future__ import annotations

import pytest

from tests.helpers import signed_in
from tests.peer_round import make_peer_round

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def backend():
    return "postgresql"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("size", ["narrow", "desktop"])
def test_benchmarks_section_in_chromium(browser, live_server, make_user, make_response, check_axe, language, size):
    campaign, codes = make_peer_round(make_response, make_user)
    page = signed_in(browser, live_server, "a@example.org", **(NARROW if size == "narrow" else DESKTOP))
    page.goto(f"{live_server}/campaigns/{campaign.id}/results?lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    check_axe(page, f"results with benchmarks in {language} ({size})")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the results page scrolls sideways by {overflow} px ({size})"
    chart = page.locator(f"svg[aria-labelledby='peers-overall-{campaign.id}']")
    # never wider than the page's text column (GOV.UK's 960 px container less its gutters on a desktop)
    assert chart.bounding_box()["width"] <= (300 if size == "narrow" else 760)
    # the codes stay legible: drawn 11 px high or more, even on a 320 px screen
    code = chart.locator("text", has_text=codes[("L", 3)]).first.bounding_box()
    assert code["height"] >= 11, code
    page.goto(f"{live_server}/campaigns/{campaign.id}/results?peers=type:L")
    text = page.locator("main").inner_text()
    assert ("too small for a benchmark" in text) if language == "en" else ("rhy fach ar gyfer meincnod" in text)
    check_axe(page, f"results with a group too small in {language} ({size})")


def test_the_chooser_works_without_javascript(browser, live_server, make_user, make_response):
    campaign, codes = make_peer_round(make_response, make_user)
    page = signed_in(browser, live_server, "a@example.org", java_script_enabled=False, **NARROW)
    page.goto(f"{live_server}/campaigns/{campaign.id}/results?by=device")
    page.select_option("#peers", "nation:england")
    with page.expect_navigation():
        page.click("form.peer-chooser button")
    assert "peers=nation%3Aengland" in page.url and "by=device" in page.url  # the breakdown is kept
    assert page.locator("#peers").input_value() == "nation:england"
    assert codes[("S", 6)] not in page.locator("main").inner_text()
    # and the breakdown form keeps the group
    with page.expect_navigation():
        page.click("button:has-text('Show breakdown')")
    assert "peers=nation%3Aengland" in page.url


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("size", ["narrow", "desktop"])
def test_peer_group_console_pages_in_chromium(browser, live_server, make_user, make_response, check_axe, language,
                                              size):
    _campaign, codes = make_peer_round(make_response, make_user)
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org", **(NARROW if size == "narrow" else DESKTOP))
    page.goto(f"{live_server}/console/peer-groups?lang={language}")
    check_axe(page, f"peer groups, none yet, in {language} ({size})")
    page.fill("#name", "Inner cities")
    page.fill("#codes", f"{codes[('L', 2)]} {codes[('M', 4)]}")
    with page.expect_navigation():
        page.click("form button.govuk-button")
    assert page.locator("h1").inner_text().endswith("Inner cities")
    check_axe(page, f"a peer group in {language} ({size})")
    page.fill("#codes", "X9999")
    with page.expect_navigation():
        page.click("form[action$='/members'] button")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "X9999" in page.locator(".govuk-error-summary").inner_text()
    check_axe(page, f"a peer group with an error in {language} ({size})")
    with page.expect_navigation():
        page.click("a[href$='/delete']")
    check_axe(page, f"deleting a peer group in {language} ({size})")
    for path in ("/console/peer-groups", page.url.rsplit("/delete", 1)[0].split(live_server, 1)[1]):
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px ({size})"
