"""The new confidentiality sections in a real Chromium: the live rate table's "Other or too
small to show" row and its note, and the results page waiting for enough responses,
axe-clean in English and Welsh at 320 px and on a desktop."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_campaign
from tests.survey_app.dashboard.test_confidentiality import live_campaign
from tests.survey_app.dashboard.test_dashboard_browser import NARROW, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def backend():
    return "postgresql"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("size", ["narrow", "desktop"])
def test_other_row_and_too_few_responses_pass_axe(browser, live_server, make_user, make_response, check_axe,
                                                  language, size):
    org, live = live_campaign()
    waiting = make_campaign(org, opens=date.today() - timedelta(days=1), anonymity_threshold=3)
    make_response(waiting, {"overall": "4", "comments": "Only one so far"})
    make_user("a@example.org", role="org_admin", organisation=org)
    page = signed_in(browser, live_server, "a@example.org", **(NARROW if size == "narrow" else DESKTOP))
    page.goto(f"{live_server}/campaigns/{live.id}/?lang={language}")
    other = "Other or too small to show" if language == "en" else "Arall neu'n rhy fach i'w ddangos"
    assert page.locator(f"th:has-text(\"{other}\")").count() == 2
    check_axe(page, f"live rate with merged groups in {language} ({size})")
    page.goto(f"{live_server}/campaigns/{waiting.id}/results")
    assert page.locator("#too-few").count() == 1 and "Only one so far" not in page.content()
    check_axe(page, f"results waiting for responses in {language} ({size})")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
