"""The journey in a real headless Chromium at phone and desktop sizes: end to end with
a resume on another device and a switch to Welsh, axe-core on every page in both
languages, and a keyboard-only run."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.respond.helpers import ALL_ANSWERS, IMPORTANCE, SATISFACTION, SIZES, answer_all, submit, submitted_once
from tests.factories import make_campaign
from tests.stored import release_all
from survey_app.extensions import db
from survey_app.models import Answer, Response
from survey_app.models.types import utcnow

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def backend():
    return "postgresql"  # the production database; the journey on SQLite is covered without a browser


def choose(page, item: str, value: str) -> None:
    page.check(f"input[name='q-{item}'][value='{value}']")


def click_to_navigate(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def save_and_continue(page, label: str = "Save and continue") -> None:
    click_to_navigate(page, f"form#answers button[value='continue']:has-text('{label}')")


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_journey_end_to_end(browser, live_server, make_respondent, check_axe, size):
    respondent = make_respondent()
    start = live_server + respondent.url
    first = browser.new_context(**SIZES[size], locale="en-GB")
    page = first.new_page()
    page.goto(start)
    assert page.locator("h1").inner_text() == "ICT User Satisfaction Survey"
    assert page.locator(".govuk-generic-header").inner_text().strip() == "Test Council"
    check_axe(page, f"start page ({size})")
    click_to_navigate(page, "text=Start now")
    assert page.url.endswith("/p/about-you")

    save_and_continue(page)  # nothing answered
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error: About you")
    check_axe(page, f"about-you with errors ({size})")
    page.click(".govuk-error-summary a >> nth=0")
    assert page.evaluate("document.activeElement.id") == "q-device"
    for item, value in ALL_ANSWERS["about-you"].items():
        choose(page, item, value)
    save_and_continue(page)
    for item, value in ALL_ANSWERS["overall"].items():
        choose(page, item, value)
    save_and_continue(page)
    assert page.locator(".govuk-caption-l").inner_text() == "Page 3 of 5"
    for item, value in SATISFACTION.items():
        choose(page, item, value)
    save_and_continue(page)
    assert page.url.endswith("/p/importance")
    first.close()  # half-way: the browser is closed

    other = browser.new_context(**SIZES[size], locale="en-GB")  # another device, no cookies
    page = other.new_page()
    page.goto(start)
    assert "You have already started this survey" in page.inner_text("main")
    click_to_navigate(page, "a.govuk-button:has-text('Continue')")
    assert page.url.endswith("/p/importance")
    click_to_navigate(page, "a.govuk-back-link")
    assert page.url.endswith("/p/satisfaction")
    checked = page.eval_on_selector_all("input[type=radio]:checked", "els => els.map(e => [e.name, e.value])")
    assert dict(checked) == {f"q-{k}": v for k, v in SATISFACTION.items()}
    save_and_continue(page)
    half = dict(list(IMPORTANCE.items())[:5])
    for item, value in half.items():
        choose(page, item, value)
    click_to_navigate(page, "button[value='language-cy']")  # Cymraeg, keeping this page's answers
    assert html_lang(page) == "cy" and page.url.endswith("/p/importance")
    assert page.locator("h1").inner_text() == "Beth sy'n bwysig i chi"
    checked = page.eval_on_selector_all("input[type=radio]:checked", "els => els.map(e => [e.name, e.value])")
    assert dict(checked) == {f"q-{k}": v for k, v in half.items()}
    check_axe(page, f"importance in Welsh ({size})")
    for item, value in IMPORTANCE.items():
        choose(page, item, value)
    save_and_continue(page, "Cadw a pharhau")
    page.fill("#q-comments", ALL_ANSWERS["comments"]["comments"])
    save_and_continue(page, "Cadw a pharhau")
    assert page.locator("h1").inner_text() == "Gwirio eich atebion"
    assert "Gliniadur" in page.inner_text("main")
    check_axe(page, f"check answers in Welsh ({size})")
    click_to_navigate(page, "button:has-text('Cyflwyno eich atebion')")
    assert "Mae eich ymateb wedi'i gyflwyno" in page.inner_text("main")
    check_axe(page, f"confirmation in Welsh ({size})")
    page.goto(start)
    assert page.locator("h1").inner_text() == "Rydych chi eisoes wedi cymryd rhan"
    check_axe(page, f"already taken part in Welsh ({size})")
    other.close()

    response = submitted_once(respondent.participant)
    assert response.language == "cy"
    assert response.device_class == ("mobile" if size == "phone" else "desktop")
    answers = response.answers
    assert len(answers) == 47 and answers["imp_S20"] == IMPORTANCE["imp_S20"] and answers["device"] == "laptop"
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0


def pages_to_check(live_server, respondent, finished, client) -> list[tuple[str, str, object]]:
    """(name, URL, preparation) of every kind of page a respondent can meet."""
    base, done = live_server + respondent.url, live_server + finished.url

    def submit_empty(page):
        with page.expect_navigation():
            page.click("form#answers button[value='continue']")

    def too_long(page):
        page.fill("#q-comments", "x" * 2001)
        submit_empty(page)

    def forged_csrf(page):
        page.eval_on_selector("input[name=csrf_token]", "e => e.value = 'forged'")
        submit_empty(page)

    def submit_incomplete(page):
        with page.expect_navigation():
            page.click("form button.govuk-button")

    return [
        ("start", base, None),
        *[(f"page {p}", f"{base}/p/{p}", None) for p in ALL_ANSWERS],
        ("page with errors", f"{base}/p/satisfaction", submit_empty),
        ("text too long", f"{base}/p/comments", too_long),
        ("check answers", f"{base}/check", None),
        ("check answers with errors", f"{base}/check", submit_incomplete),
        ("saved", f"{base}/saved", None),
        ("CSRF refused", f"{base}/p/overall", forged_csrf),
        ("confirmation", f"{done}/done", None),
        ("already taken part", done, None),
        ("invalid link", live_server + "/s/not-a-real-link", None),
        ("page not found", live_server + "/no-such-page", None),
        ("home", live_server + "/", None),
    ]


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("locale", ["en-GB", "cy-GB"])
def test_every_page_passes_axe(browser, live_server, make_respondent, client, check_axe, size, locale):
    language = locale[:2]
    respondent, finished = make_respondent(language=language), make_respondent(language=language)
    answer_all(client, respondent, {k: v for k, v in ALL_ANSWERS.items() if k in ("about-you", "overall")})
    answer_all(client, finished)
    assert submit(client, finished).status_code == 302
    closed = make_respondent(make_campaign(questionnaire_id="user-skills"), language=language)
    closed.campaign.status, closed.campaign.closed_at = "closed", utcnow()
    db.session.commit()
    not_yet = make_respondent(make_campaign(opens=date.today() + timedelta(days=3)), language=language)
    context = browser.new_context(**SIZES[size], locale=locale)
    page = context.new_page()
    for name, url, prepare in [*pages_to_check(live_server, respondent, finished, client),
                               ("closed", live_server + closed.url, None),
                               ("not open yet", live_server + not_yet.url, None)]:
        page.goto(url)
        if prepare:
            prepare(page)
        assert html_lang(page) == language, name
        check_axe(page, f"{name} ({size}, {locale})")
    context.close()


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def answer_page_by_keyboard(page) -> None:
    """Tab through the page: Space on the first radio of each group not yet answered,
    type into a textarea, and Enter on "Save and continue"."""
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const e = document.activeElement;
            const answered = e.type === 'radio' && !!document.querySelector(`input[name="${e.name}"]:checked`);
            return {tag: e.tagName, type: e.type || '', value: e.value || '', answered};
        }""")
        if focused["type"] == "radio" and not focused["answered"]:
            page.keyboard.press("Space")
        elif focused["tag"] == "TEXTAREA":
            page.keyboard.type("Typed with the keyboard.")
        elif focused["tag"] == "BUTTON" and focused["value"] == "continue":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError("Save and continue was never reached with Tab")


def test_the_journey_by_keyboard_alone(browser, live_server, make_respondent):
    respondent = make_respondent()
    context = browser.new_context(**SIZES["desktop"], locale="en-GB")
    page = context.new_page()
    page.goto(live_server + respondent.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    answer_page_by_keyboard(page)  # about you
    # Enter on a radio submits the page as "continue", never as the language switch
    tab_to(page, "input[name='q-overall']")
    page.keyboard.press("Space")
    tab_to(page, "input[name='q-improved']")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/p/satisfaction") and html_lang(page) == "en"
    for _ in ("satisfaction", "importance", "comments"):
        answer_page_by_keyboard(page)
    assert page.locator("h1").inner_text() == "Check your answers"
    tab_to(page, "form button.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".govuk-panel__title").inner_text().strip() == "Your response has been submitted"
    context.close()
    answers = submitted_once(respondent.participant).answers
    assert len(answers) == 47
    assert answers["device"] == "desktop" and answers["overall"] == "1" and answers["sat_S7"] == "1"
    assert answers["comments"] == "Typed with the keyboard."
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
    assert release_all() == {respondent.campaign.id: 1}  # a batch of one, as if the campaign had closed
    released = submitted_once(respondent.participant)
    assert released.where == "store" and released.answers == answers
    assert re.fullmatch(r"[0-9a-f]{16}", released.public_id)


def test_the_pages_work_with_javascript_off(browser, live_server, make_respondent):
    respondent = make_respondent()
    context = browser.new_context(**SIZES["phone"], locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + respondent.url)
    click_to_navigate(page, "text=Start now")
    save_and_continue(page)
    assert page.locator(".govuk-error-summary").is_visible()
    for item, value in ALL_ANSWERS["about-you"].items():
        choose(page, item, value)
    click_to_navigate(page, "button[value='language-cy']")  # the switch saves the page without script
    assert html_lang(page) == "cy"
    checked = page.eval_on_selector_all("input[type=radio]:checked", "els => els.map(e => e.value)")
    assert sorted(checked) == sorted(ALL_ANSWERS["about-you"].values())
    save_and_continue(page, "Cadw a pharhau")
    assert page.url.endswith("/p/overall") and page.locator(".govuk-caption-l").inner_text() == "Tudalen 2 o 5"
    context.close()
