"""The results page's charts in a real Chromium, in English and Welsh, on a 320 px phone
and a desktop: axe-clean, nothing scrolling sideways, and every label drawn whole (inside
its chart, not clipped) at a size a person reads without zooming."""
from __future__ import annotations

import pytest

from tests.survey_app.dashboard.test_dashboard_browser import NARROW, signed_in
from tests.survey_app.dashboard.test_result_charts import answered

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
#: every chart's text elements: how many charts, the smallest rendered font size, any text
#: whose box reaches outside its chart (clipped, so cut), labels (texts of lines), and any
#: chart not as tall as its height attribute (stretched or squashed)
CHART_TEXT = """() => {
    const svgs = [...document.querySelectorAll('.chart svg')];
    const outside = [];
    let smallest = Infinity, labels = 0;
    for (const svg of svgs) {
        const frame = svg.getBoundingClientRect();
        for (const text of svg.querySelectorAll('text')) {
            const box = text.getBoundingClientRect();
            const size = parseFloat(getComputedStyle(text).fontSize) * frame.width / svg.clientWidth;
            smallest = Math.min(smallest, size);
            if (text.querySelector('tspan')) labels += 1;
            if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5
                || box.bottom > frame.bottom + 0.5) {
                outside.push(`${text.textContent} (${Math.round(box.left - frame.left)}..${Math.round(box.right - frame.left)} of ${Math.round(frame.width)})`);
            }
        }
    }
    const resized = svgs.filter(s => Math.abs(s.getBoundingClientRect().height - Number(s.getAttribute('height'))) > 1)
        .map(s => s.getAttribute('aria-labelledby'));
    return {charts: svgs.length, outside, smallest, labels, resized};
}"""


@pytest.fixture
def backend():
    return "sqlite"  # what the browser draws does not depend on the database


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_results_charts_read_whole_on_a_phone_and_a_desktop(browser, live_server, make_user, make_response,
                                                            check_axe, language, screen):
    org, campaign = answered(make_response)
    make_user("a@example.org", role="org_admin", organisation=org)
    page = signed_in(browser, live_server, "a@example.org", **(NARROW if screen == "phone" else DESKTOP))
    for path in (f"/campaigns/{campaign.id}/results?lang={language}",
                 f"/campaigns/{campaign.id}/results?by=role&lang={language}",
                 f"/campaigns/{campaign.id}/?lang={language}"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.lang") == language, path
        check_axe(page, f"{path} on a {screen}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px on a {screen}"
        found = page.evaluate(CHART_TEXT)
        assert found["charts"] >= (1 if "/results" not in path else 5 + ("by=" in path)), path
        assert found["outside"] == [], f"text cut off at a chart's edge on a {screen}: {found['outside'][:5]}"
        assert found["resized"] == [], "a chart not drawn at its own height"
        assert found["smallest"] >= 13, f"chart text of {found['smallest']} px on a {screen}"
        assert found["labels"] > 0 or "/results" not in path
    page.context.close()
