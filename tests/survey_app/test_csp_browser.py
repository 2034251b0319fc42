"""Issue 14 row 6 in a real Chromium: under the strict Content-Security-Policy nothing on
the respondent's journey, the sign-in page, the live campaign page (its chart and its
refresh script), the results page (its charts), the console, the error pages and the mail
viewer is refused; the inline scripts allowed by hash really run; the charts keep their
colours; axe-core stays clean."""
from __future__ import annotations

from email.message import EmailMessage

import pytest

from tests.factories import make_answered_campaign, make_campaign, make_participant
from mailer.render import Renderer
from survey_app.auth.operations import create_user
from survey_app.extensions import db
from survey_app.links import STOP_REMINDERS_SALT, make_token
from tests.mailer.mailtools import CASES
from tests.respond.helpers import ALL_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "correct horse battery staple"
BLUE = "rgb(29, 112, 184)"  # charts.BLUE, as the browser computes it
#: what Chromium says of a page answered with an error status (the error pages are visited on purpose)
ERROR_STATUS = "Failed to load resource: the server responded with a status of 4"
#: reports every violation of the page's policy, on every page the tab opens
LISTEN = """document.addEventListener("securitypolicyviolation", e =>
    window.cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${document.location.pathname}`));"""


@pytest.fixture
def backend():
    return "sqlite"  # the policy does not depend on the database


class Tab:
    """A Chromium tab that records every policy violation, console error and page error."""

    def __init__(self, browser, **context):
        self.context = browser.new_context(locale="en-GB", **context)
        self.problems: list[str] = []
        self.context.expose_function("cspViolation", lambda text: self.problems.append(text))
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type == "error" and not m.text.startswith(ERROR_STATUS) else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def open(self, url: str, status: int = 200):
        response = self.page.goto(url)
        assert response.status == status, (url, response.status)
        assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"], url
        return response

    def click(self, selector: str):
        with self.page.expect_navigation():
            self.page.click(selector)

    def settled(self, what: str) -> None:
        """No violation so far, and the GOV.UK template's inline script ran."""
        self.page.wait_for_timeout(50)  # violation events are queued
        assert self.problems == [], (what, self.problems)
        assert self.page.evaluate("document.body.classList.contains('js-enabled')"), what

    def error_summary_focused(self) -> bool:
        return self.page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")


def fill_page(page, answers: dict) -> None:
    for item, value in answers.items():
        field = page.locator(f"[name='q-{item}']")
        if field.first.get_attribute("type") == "radio":
            page.check(f"input[name='q-{item}'][value='{value}']")
        else:
            field.fill(value)


def test_the_respondents_pages_run_under_the_policy(browser, live_server, app, check_axe):
    campaign = make_campaign()
    person = make_participant(campaign)
    token = make_token(person.id, app.config["SECRET_KEY"])
    tab = Tab(browser)
    page = tab.page

    tab.open(f"{live_server}/s/{token}")
    tab.settled("start")
    check_axe(page, "start")
    tab.click("text=Start now")
    tab.click("form#answers button[value='continue']")  # nothing answered
    assert page.locator(".govuk-error-summary").is_visible()
    assert tab.error_summary_focused()  # the inline focus script ran: its hash is in the policy
    tab.settled("a page with errors")
    check_axe(page, "a page with errors")

    tab.open(f"{live_server}/s/{token}/check")
    tab.click("form button[type=submit]:not([hidden])")  # submitting with questions unanswered
    assert page.locator(".govuk-error-summary").is_visible() and tab.error_summary_focused()
    tab.settled("check answers with errors")

    for page_id, answers in ALL_ANSWERS.items():
        tab.open(f"{live_server}/s/{token}/p/{page_id}")
        fill_page(page, answers)
        tab.settled(page_id)
        tab.click("form#answers button[value='continue']")
    assert page.url.endswith("/check"), page.url
    tab.settled("check answers")
    check_axe(page, "check answers")
    tab.click("form button[type=submit]:not([hidden])")
    assert page.url.endswith("/done")
    tab.settled("confirmation")
    tab.open(f"{live_server}/s/{token}")
    tab.settled("already taken part")

    tab.open(f"{live_server}/s/not-a-link", status=404)
    tab.settled("a link that is not valid")
    check_axe(page, "a link that is not valid")
    other = make_participant(campaign)
    tab.open(f"{live_server}/stop-reminders/{make_token(other.id, app.config['SECRET_KEY'], STOP_REMINDERS_SALT)}")
    tab.settled("stop reminders")
    tab.click("form button[type=submit]")
    tab.settled("reminders stopped")

    # the listener does hear a violation (so the silence above means something)
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(50)
    assert any(p.startswith("style-src-attr blocked inline") for p in tab.problems), tab.problems
    tab.context.close()


def test_sign_in_dashboards_console_and_errors_run_under_the_policy(browser, live_server, app, make_response,
                                                                     check_axe):
    campaign = make_answered_campaign(make_response)
    org = campaign.organisation
    make_participant(campaign)  # one still to answer
    create_user(email="improve@example.org", password=PASSWORD, role="improve", organisation=None,
                hash_key=app.config["EMAIL_HASH_KEY"])
    db.session.commit()
    tab = Tab(browser)
    page = tab.page

    tab.open(f"{live_server}/sign-in")
    tab.settled("sign-in")
    check_axe(page, "sign-in")
    tab.click("form button[type=submit]")  # sent empty
    assert page.locator(".govuk-error-summary").is_visible()
    tab.settled("sign-in with errors")
    page.fill("#email", "improve@example.org")
    page.fill("#password", PASSWORD)
    tab.click("form button[type=submit]")
    assert page.url.endswith("/console/")
    tab.settled("console")

    # the live page: its chart, then its script replacing the figures with fresh ones
    with page.expect_response(lambda r: r.url.endswith("/rate.json"), timeout=20_000) as refreshed:
        tab.open(f"{live_server}/campaigns/{campaign.id}/")
        assert page.locator("#live-note").inner_text().startswith("These figures update by themselves")
        assert page.evaluate("getComputedStyle(document.querySelector('#live-figures svg [fill=\"#1d70b8\"]')).fill") \
            == BLUE
        page.evaluate("document.querySelector('#live-figures svg').dataset.first = 'yes'")
    assert refreshed.value.status == 200
    page.wait_for_function("() => !document.querySelector('#live-figures svg').dataset.first")  # replaced
    assert page.evaluate("getComputedStyle(document.querySelector('#live-figures svg [fill=\"#1d70b8\"]')).fill") \
        == BLUE
    assert page.locator("#headline-rate").inner_text() == "87.5% (7 out of 8)"
    tab.settled("live campaign page after a refresh")
    check_axe(page, "live campaign page")

    tab.open(f"{live_server}/campaigns/{campaign.id}/results")
    assert page.locator(".chart svg").count() >= 2
    bars = page.evaluate("""[...document.querySelectorAll('.chart svg [fill="#1d70b8"]')]
                            .map(e => getComputedStyle(e).fill)""")
    assert bars and set(bars) == {BLUE}
    # the text of the charts keeps its size and face from the attributes
    assert page.evaluate("getComputedStyle(document.querySelector('.chart svg text')).fontFamily") \
        == "Arial, sans-serif"
    tab.settled("results")
    check_axe(page, "results")

    for path in ("/console/", "/console/organisations/new", "/console/campaigns/new", "/console/exports",
                 f"/console/campaigns/{campaign.id}/participants", f"/organisations/{org.id}/"):
        tab.open(live_server + path)
        tab.settled(path)
    check_axe(page, "participants upload")
    tab.open(f"{live_server}/no-such-page", status=404)
    tab.settled("page not found")
    check_axe(page, "page not found")
    tab.context.close()


def test_the_mail_viewer_shows_a_message_styled_under_its_own_policy(browser, live_server, app, repo_root,
                                                                      tmp_path, monkeypatch):
    rendered = Renderer(str(repo_root / "locales")).render(*CASES["invitation_cy+en"])
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    (tmp_path / "20300304-090000-00001.eml").write_bytes(message.as_bytes())
    monkeypatch.setitem(app.config, "MAIL_CATCHER_DIR", str(tmp_path))
    tab = Tab(browser)
    tab.open(f"{live_server}/dev/mail/20300304-090000-00001.eml")
    assert tab.page.evaluate("getComputedStyle(document.querySelector('pre')).whiteSpace") == "pre-wrap"
    tab.settled("a caught message")
    response = tab.page.goto(f"{live_server}/dev/mail/20300304-090000-00001.eml/html")
    assert response.headers["content-security-policy"].startswith("sandbox; ")
    button = tab.page.locator("a", has_text="Dechrau'r arolwg").first  # the Welsh "Start the survey"
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 112, 60)"
    # no script runs in the sandbox (not even the listener): a refused style would be a console error
    tab.page.wait_for_timeout(50)
    assert tab.problems == []
    tab.context.close()
