"""The dashboards in a real Chromium: the live rate moving without a reload, results and
a download; the Improve team creating a campaign and uploading a list; axe-core and a
320 px screen on every staff page in both languages."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import signed_in
from tests.factories import make_answered_campaign, make_campaign, make_org, make_participant
from survey_app.links import make_token

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def backend():
    return "postgresql"


def answer_everything(page, start: str) -> None:
    """A respondent answering every page with the first option of each question."""
    page.goto(start)
    with page.expect_navigation():
        page.click("text=Start now")
    while "/p/" in page.url:
        page.evaluate("""() => {
            const names = new Set([...document.querySelectorAll("input[type=radio]")].map(i => i.name));
            names.forEach(n => document.querySelector(`input[type=radio][name="${n}"]`).checked = true);
        }""")
        with page.expect_navigation():
            page.click("form#answers button[value='continue']")
    assert page.url.endswith("/check"), page.url
    with page.expect_navigation():
        page.click("form button[type=submit]:not([hidden])")
    assert page.url.endswith("/done"), page.url


def test_admin_watches_the_rate_rise_then_reads_results_and_downloads(browser, live_server, app, make_user,
                                                                     check_axe, make_response):
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=date.today() - timedelta(days=1), anonymity_threshold=3)
    people = [make_participant(campaign) for _ in range(2)]
    make_user("admin@example.org", role="org_admin", organisation=org)
    admin = signed_in(browser, live_server, "admin@example.org")
    admin.goto(f"{live_server}/campaigns/{campaign.id}/")
    assert admin.locator("#headline-rate").inner_text() == "0.0% (0 out of 2)"
    check_axe(admin, "live response rate")
    admin.evaluate("window.stillThisPage = true")

    respondent = browser.new_context(locale="en-GB").new_page()
    answer_everything(respondent, f"{live_server}/s/{make_token(people[0].id, app.config['SECRET_KEY'])}")

    admin.wait_for_function(
        "() => document.getElementById('headline-rate').textContent.includes('50.0% (1 out of 2)')", timeout=20_000)
    assert admin.evaluate("window.stillThisPage") is True  # updated in place, not reloaded
    # the by-day table, cell by cell: none before the day of the response (UK time), then 1
    by_day = admin.locator("#live-figures table >> nth=0").evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim()))")
    london = ZoneInfo("Europe/London")
    first, answered = campaign.opens_at.astimezone(london).date(), datetime.now(london).date()
    days = [first + timedelta(days=i) for i in range((max(date.today(), answered) - first).days + 1)]
    assert by_day == [["Day", "Submitted that day", "Submitted so far"]] + [
        [f"{d:%A} {d.day} {d:%B}", str(int(d == answered)), str(int(d >= answered))] for d in days]

    # the web response reaches the results when the scheduler releases its batch (here
    # at once); with two paper responses, three, the threshold: the results show figures
    from tests.stored import release_all
    assert release_all() == {campaign.id: 1}
    for overall in ("5", "6"):
        make_response(campaign, {"overall": overall}, source="import")
    with admin.expect_navigation():
        admin.click("a:has-text('Results')")
    assert admin.locator("h1").inner_text().startswith("Results")
    assert "provisional" in admin.content()
    check_axe(admin, "results")
    with admin.expect_download() as info:
        admin.click("a:has-text('as CSV')")
    with open(info.value.path(), "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    scores_csv = next(n for n in archive.namelist() if "scores" in n)
    assert campaign.code in archive.read(scores_csv).decode("utf-8-sig")
    assert not any("long" in n or "wide" in n for n in archive.namelist())  # no response one by one


def test_improve_team_creates_a_campaign_and_uploads_a_list(browser, live_server, make_user, tmp_path, check_axe):
    make_org(name="Cyngor Enghraifft", type_letter="W", number=42)
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org")
    assert page.url.endswith("/console/")
    with page.expect_navigation():
        page.click("a:has-text('Create a campaign')")
    check_axe(page, "create a campaign")
    page.select_option("#organisation_id", label="Cyngor Enghraifft")
    page.check("input[name=questionnaire][value=user-satisfaction]")
    opens = date.today() + timedelta(days=7)
    page.fill("#opens_day", str(opens.day))
    page.fill("#opens_month", str(opens.month))
    page.fill("#opens_year", str(opens.year))
    with page.expect_navigation():
        page.click("button:has-text('Create campaign')")
    assert "Campaign created" in page.content()
    with page.expect_navigation():
        page.click("a:has-text('Participants: upload a list')")
    staff = tmp_path / "staff.csv"
    staff.write_text("email,language,department\nann@example.org,cy,Finance\nbob@example.org,en,Housing\n"
                     "carys@example.org,,Finance\nnot-an-address,en,Finance\n", encoding="utf-8")
    page.set_input_files("#file", str(staff))
    with page.expect_navigation():
        page.click("button:has-text('Upload')")
    report = page.locator("dl.govuk-summary-list").inner_text()
    assert "Added\n3" in report.replace("\t", "\n") and "Rejected\n1" in report.replace("\t", "\n")
    assert "Line 5" in page.content()
    check_axe(page, "upload report")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_staff_pages_pass_axe_at_320px(browser, live_server, make_user, make_response, check_axe, language):
    campaign = make_answered_campaign(make_response)
    org = campaign.organisation
    make_user("improve@example.org")
    page = signed_in(browser, live_server, "improve@example.org", **NARROW)
    paths = ["/console/", "/console/organisations/new", "/console/campaigns/new", "/console/exports",
             f"/console/campaigns/{campaign.id}/participants", f"/organisations/{org.id}/",
             f"/campaigns/{campaign.id}/", f"/campaigns/{campaign.id}/results",
             f"/campaigns/{campaign.id}/results?by=device"]
    page.goto(f"{live_server}/console/?lang={language}")
    for path in paths:
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.lang") == language, path
        check_axe(page, f"{path} in {language} at 320 px")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 320 px"
    # an error page too: the sign-in form sent empty
    page.context.clear_cookies()
    page.goto(f"{live_server}/sign-in?lang={language}")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    check_axe(page, f"sign-in errors in {language}")
