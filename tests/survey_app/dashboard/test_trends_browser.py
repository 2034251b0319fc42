"""The trends section (with a historical baseline) in a real Chromium, in English and Welsh, on a phone (320 px) and
a desktop: axe-core finds nothing, nothing scrolls sideways, every chart has a name."""
from __future__ import annotations

import os

import pytest

from tests.helpers import signed_in
from tests.survey_app.dashboard.trend_data import store_1999_2004, three_years

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SCREENS = {"320px": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
           "desktop": {"viewport": {"width": 1280, "height": 900}}}


@pytest.fixture
def backend():
    return "postgresql"


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_trends_section_passes_axe(browser, live_server, make_user, make_response, check_axe, language, screen):
    org, campaign = three_years(make_response)
    store_1999_2004()
    make_user("a@example.org", role="org_admin", organisation=org)
    page = signed_in(browser, live_server, "a@example.org", **SCREENS[screen])
    page.goto(f"{live_server}/campaigns/{campaign.id}/results?lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    section = page.locator("#trends")
    assert section.is_visible()
    charts = page.locator(".trend-chart svg[role=img]")
    assert charts.count() >= 3
    # every chart is named by its own <title>, which lists the years' figures
    names = charts.evaluate_all("svgs => svgs.map(s => document.getElementById("
                                "s.getAttribute('aria-labelledby')).textContent)")
    assert all("2026/27" in n for n in names), names
    assert any("1999-2004: " in n for n in names), names
    check_axe(page, f"results with trends in {language} at {screen}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the results page scrolls sideways by {overflow} px at {screen}"
    # each chart at its own size, every text inside it and at least 13 px
    drawn = charts.evaluate_all("""svgs => svgs.map(svg => {
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll('text')].map(t => [t.getBoundingClientRect(), t.textContent,
            parseFloat(getComputedStyle(t).fontSize) * frame.width / Number(svg.getAttribute('width'))]);
        return {resized: Math.abs(frame.width - Number(svg.getAttribute('width'))) > 1
                         || Math.abs(frame.height - Number(svg.getAttribute('height'))) > 1,
                outside: texts.filter(([b]) => b.left < frame.left - 0.5 || b.right > frame.right + 0.5
                                      || b.top < frame.top - 0.5 || b.bottom > frame.bottom + 0.5).map(t => t[1]),
                smallest: Math.min(...texts.map(t => t[2]))};
    })""")
    assert not any(d["resized"] for d in drawn), drawn
    assert [d["outside"] for d in drawn] == [[]] * len(drawn), drawn
    assert min(d["smallest"] for d in drawn) >= 13, drawn
    if os.environ.get("TREND_SHOTS"):  # a folder to keep screenshots in, to look at by eye
        section.screenshot(path=f"{os.environ['TREND_SHOTS']}/trends-{language}-{screen}.png")
        page.screenshot(path=f"{os.environ['TREND_SHOTS']}/page-{language}-{screen}.png", full_page=True)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_baselines_console_passes_axe(browser, live_server, make_user, check_axe, tmp_path, language, screen):
    store_1999_2004()
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org", **SCREENS[screen])
    page.goto(f"{live_server}/console/baselines?lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    check_axe(page, f"baselines in {language} at {screen}")
    bad = tmp_path / "baseline.csv"
    bad.write_text("factor,measure,median\nS1,satisfaction,4\nS99,satisfaction,4\n", encoding="utf-8")
    page.select_option("#questionnaire", "user-satisfaction")
    page.fill("#label", "First five years")
    page.set_input_files("#file", str(bad))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "S99" in page.locator("#problems + ul").inner_text()
    check_axe(page, f"baseline upload problems in {language} at {screen}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the baselines page scrolls sideways by {overflow} px at {screen}"
    if os.environ.get("TREND_SHOTS"):
        page.screenshot(path=f"{os.environ['TREND_SHOTS']}/baselines-{language}-{screen}.png", full_page=True)
