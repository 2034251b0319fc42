"""The return's pages in a real headless Chromium: axe-core on every page (with its
messages showing) in English and Welsh, 320 px wide without sideways scrolling, and a
save, a conflict and the submission with JavaScript turned off."""
from __future__ import annotations

import pytest

from tests.maturity.helpers import VL_STATEMENTS, edit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NARROW = {"viewport": {"width": 320, "height": 640}}


@pytest.fixture
def backend():
    return "postgresql"


def fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{what} is {width} px wide at 320 px"


def click_to_navigate(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_page_is_accessible_at_320_px(browser, live_server, client, lead, contributor, check_axe, language):
    edit(client, lead, {"VL1.1": "yes"}, {"VL1.1": "Agreed by Cabinet"})
    context = browser.new_context(**NARROW, locale="en-GB")
    page = context.new_page()

    def visit(path: str, what: str) -> None:
        page.goto(live_server + path + ("?lang=cy" if language == "cy" and "?" not in path else ""))
        assert page.evaluate("document.documentElement.lang") == language, what
        fits(page, what)
        check_axe(page, f"{what} ({language})")

    visit(lead.url, "overview")
    visit(lead.function(), "function page")
    page.fill("#note-VL1-2", "x" * 1001)
    click_to_navigate(page, "#save")
    assert page.locator(".govuk-error-summary").is_visible()
    fits(page, "function page with an error")
    check_axe(page, f"function page with an error ({language})")
    alex = browser.new_context(**NARROW, locale="en-GB").new_page()  # a conflict: the page loaded before a save
    alex.goto(live_server + contributor.function() + ("?lang=cy" if language == "cy" else ""))
    edit(client, lead, {"VL1.2": "yes"})
    alex.check("#answer-VL1-2-2")
    click_to_navigate(alex, "#save")
    assert alex.locator(".govuk-error-summary").is_visible()
    fits(alex, "function page with a conflict")
    check_axe(alex, f"function page with a conflict ({language})")
    visit(lead.page("check"), "check page")
    click_to_navigate(page, "#submit")
    assert page.locator(".govuk-error-summary").is_visible()
    check_axe(page, f"check page with an error ({language})")
    visit(lead.page("contributors"), "contributors")
    click_to_navigate(page, "#add")
    assert page.locator(".govuk-error-summary").is_visible()
    check_axe(page, f"contributors with errors ({language})")
    other = browser.new_context(**NARROW, locale="en-GB").new_page()
    other.goto(live_server + contributor.page("contributors") + ("?lang=cy" if language == "cy" else ""))
    check_axe(other, f"lead only ({language})")
    page.goto(live_server + lead.page("check"))
    page.check("#confirm-unanswered")
    click_to_navigate(page, "#submit")
    fits(page, "submitted")
    check_axe(page, f"submitted ({language})")
    visit(lead.function(), "read-only function page")
    context.close()


def test_the_journey_without_javascript(browser, live_server, lead, contributor):
    # (no page.evaluate here: Playwright's needs the page's JavaScript)
    sam = browser.new_context(**NARROW, locale="en-GB", java_script_enabled=False).new_page()
    alex = browser.new_context(**NARROW, locale="en-GB", java_script_enabled=False).new_page()
    sam.goto(live_server + lead.start)  # the link in the email
    assert sam.url.endswith(lead.url)
    click_to_navigate(sam, "a[href$='/f/vision_leadership']")
    alex.goto(live_server + contributor.function())
    for statement in VL_STATEMENTS:
        sam.check(f"#answer-{statement.replace('.', '-')}")
    sam.fill("#note-VL1-1", "Strategy agreed by Cabinet")
    click_to_navigate(sam, "#save-overview")
    assert "10 of 10 statements answered" in sam.inner_text("main")
    # Alex's page was loaded before Sam saved: Alex is told, and sees both answers
    alex.check("#answer-VL1-1-2")
    alex.fill("#note-VL1-1", "Not yet published")
    click_to_navigate(alex, "#save")
    assert "was changed by Sam Lead while you were working on it" in alex.inner_text(".govuk-error-summary")
    assert alex.is_checked("#answer-VL1-1-2") and alex.input_value("#note-VL1-1") == "Not yet published"
    assert "The saved note is now: ‘Strategy agreed by Cabinet’" in alex.inner_text("main")
    sam.goto(live_server + lead.page("check"))
    sam.check("#confirm-unanswered")
    click_to_navigate(sam, "#submit")
    assert "Return submitted" in sam.inner_text("main")
