"""A Digital Maturity Assessment's set-up and progress in a real Chromium: the console's
form reveals the lead's fields under the DMA (and shows them without JavaScript), and
the campaign, organisation and console pages pass axe-core at 320 px in both languages."""
from __future__ import annotations

import pytest

from survey_app.extensions import db
from survey_app.models import Campaign
from tests.factories import make_campaign, make_org
from tests.helpers import signed_in
from tests.return_setup import add_contributors, answer, lead_of, make_return_campaign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def backend():
    return "postgresql"


def fill_campaign(page, org_id: int) -> None:
    page.select_option("#organisation_id", str(org_id))
    page.fill("#opens_day", "2")
    page.fill("#opens_month", "3")
    page.fill("#opens_year", "2026")


def test_the_lead_fields_appear_under_the_dma_and_name_its_lead(browser, live_server, make_user, check_axe):
    org = make_org(name="Council A")
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org", **NARROW)
    page.goto(f"{live_server}/console/campaigns/new")
    assert not page.locator("#lead_name").is_visible()
    page.check("input[name=questionnaire][value=dma]")
    assert page.locator("#lead_name").is_visible() and page.locator("#lead_email").is_visible()
    assert page.locator("input[name=questionnaire][value=dma]").get_attribute("aria-controls") == \
        page.locator(".govuk-radios__conditional").get_attribute("id")
    check_axe(page, "new campaign, DMA chosen")
    page.check("input[name=questionnaire][value=user-satisfaction]")
    assert not page.locator("#lead_name").is_visible()

    # the DMA without a lead: the errors, with the fields in view
    page.check("input[name=questionnaire][value=dma]")
    fill_campaign(page, org.id)
    with page.expect_navigation():
        page.click("button:has-text('Create campaign')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("#lead_name").is_visible()
    assert "Enter the lead's name" in page.locator(".govuk-error-summary").inner_text()
    check_axe(page, "new campaign, DMA without its lead")
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 0

    page.fill("#lead_name", "Lee Lead")
    page.fill("#lead_email", "lead@example.org")
    page.check("input[name=lead_language][value=cy]")
    with page.expect_navigation():
        page.click("button:has-text('Create campaign')")
    campaign = db.session.execute(db.select(Campaign)).scalar_one()
    assert page.url.endswith(f"/campaigns/{campaign.id}/")
    assert lead_of(campaign).name == "Lee Lead"
    assert "Lee Lead" in page.locator("#contributors").inner_text()
    check_axe(page, "a new DMA campaign's page")


def test_without_javascript_the_lead_fields_are_shown(browser, live_server, make_user):
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org", java_script_enabled=False)
    page.goto(f"{live_server}/console/campaigns/new")
    assert page.locator("#lead_name").is_visible() and page.locator("#lead_email").is_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_dma_pages_pass_axe_at_320px(browser, live_server, make_user, check_axe, language):
    org = make_org(name="Council A")
    campaign = make_return_campaign(org)
    (sam,) = add_contributors(campaign, ("sam@example.org", "Sam Jones, Data and Analytics team", None))
    answer(campaign, sam, {"VL1.1": "yes", "DA1.1": "no"})
    make_campaign(org)  # a staff survey beside it in the lists
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org", **NARROW)
    page.goto(f"{live_server}/console/?lang={language}")
    for path in ["/console/", f"/organisations/{org.id}/", f"/campaigns/{campaign.id}/",
                 f"/console/campaigns/{campaign.id}/participants", "/console/campaigns/new"]:
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.lang") == language, path
        check_axe(page, f"{path} in {language} at 320 px")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 320 px"
