"""A Digital Maturity Assessment from set-up to results in a real Chromium, in English and in
Welsh, at 320 px and axe-clean on every page: the Improve team names the lead; the scheduler
invites them; the lead adds a contributor, who is invited too; both change the same statement
at once and the later one is told, with the current answer shown; reminders go to both while
the return is a draft and stop once the lead has submitted it; the scheduler closes the
campaign, the Improve team releases it, and the organisation's results show the levels worked
out by hand.

The mail goes through the real mailer to an SMTP server on loopback; the scheduler's passes
run at chosen moments (the web pages use the real clock: the campaign opens today)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Campaign, MaturityReturn, OutboxMessage
from tests.factories import make_org
from tests.helpers import signed_in
from tests.mailer.mailtools import LONDON, SmtpRecorder, free_port, mail_pass, start_smtp

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
LINK = re.compile(r"https?://[^/\s]+(/s/[A-Za-z0-9_-]{32})")

#: what each language's pages and emails say at the steps the test checks
WORDS = {
    "en": {"org": ("E", "english", "Council A", None), "conflict": "changed", "submitted": "Submitted",
           "level_heading": "Maturity by function", "vision": "Vision and Leadership"},
    "cy": {"org": ("W", "bilingual", "Council A", "Cyngor A"), "conflict": "newid", "submitted": "Cyflwynwyd",
           "level_heading": "Aeddfedrwydd fesul swyddogaeth", "vision": "Gweledigaeth ac Arweinyddiaeth"},
}


@pytest.fixture
def backend():
    return "postgresql"


@pytest.fixture
def smtp(app, monkeypatch):
    recorder = SmtpRecorder()
    controller = start_smtp(recorder, free_port())
    monkeypatch.setitem(app.config, "MAIL_PORT", recorder.port)
    yield recorder
    recorder.release.set()
    controller.stop()


def weekday_at_ten(day: date) -> datetime:
    """10:00 in London on `day`, or on the next weekday (mail goes out in working hours)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=LONDON)


def links_to(smtp, address: str, base: str) -> list[str]:
    """The personal links of every message `address` has received, on the live server."""
    return [base + LINK.search(m.text)[1] for m in smtp.to(address)]


def kinds_sent(campaign_id: int) -> list[tuple[str, int]]:
    db.session.expire_all()
    return db.session.execute(
        select(OutboxMessage.kind, func.count()).where(OutboxMessage.campaign_id == campaign_id,
                                                       OutboxMessage.status == "sent")
        .group_by(OutboxMessage.kind).order_by(OutboxMessage.kind)).all()


def no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow} px at 320 px"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_dma_from_set_up_to_results(browser, live_server, make_user, check_axe, smtp, app, language):
    words = WORDS[language]
    type_letter, policy, name, name_cy = words["org"]
    org = make_org(type_letter=type_letter, language_policy=policy, name=name, name_cy=name_cy)
    make_user("improve@example.org")
    make_user("admin@example.org", role="org_admin", organisation=org)
    opens = date.today()

    # -- the Improve team sets the campaign up and names the lead ------------------------------
    improve = signed_in(browser, live_server, "improve@example.org", **NARROW)
    improve.goto(f"{live_server}/console/campaigns/new?lang={language}")
    improve.check("input[name=questionnaire][value=dma]")
    improve.select_option("#organisation_id", str(org.id))
    improve.fill("#opens_day", str(opens.day))
    improve.fill("#opens_month", str(opens.month))
    improve.fill("#opens_year", str(opens.year))
    improve.fill("#lead_name", "Lee Lead")
    improve.fill("#lead_email", "lead@example.org")
    improve.check(f"input[name=lead_language][value={language}]")
    check_axe(improve, "the new-campaign form, DMA chosen")
    with improve.expect_navigation():
        improve.click("main form button[type=submit]")
    campaign = db.session.execute(select(Campaign)).scalar_one()
    assert campaign.questionnaire == "dma"
    check_axe(improve, "the new DMA campaign's page")

    # -- the scheduler invites the lead, in their language ----------------------------------------
    first_pass = weekday_at_ten(opens)
    mail_pass(app, first_pass)
    (lead_link,) = links_to(smtp, "lead@example.org", live_server)
    (lead_mail,) = smtp.to("lead@example.org")
    assert ("Asesiad Aeddfedrwydd Digidol" if language == "cy" else "Digital Maturity Assessment") in lead_mail.text

    lead = browser.new_context(locale="en-GB", **NARROW).new_page()
    lead.goto(lead_link)
    assert "/return/" in lead.url, "the personal link of an organisation return opens the return"
    assert lead.evaluate("document.documentElement.lang") == language, "in the lead's own language"
    check_axe(lead, "the return's overview (lead)")
    no_sideways_scroll(lead, "the overview")

    # -- the lead adds a contributor, whom the scheduler then invites ---------------------------
    with lead.expect_navigation():
        lead.click("a[href*='/return/contributors']")
    lead.fill("#email", "sam@example.org")
    lead.fill("#name", "Sam Jones, Data team")
    lead.check(f"input[name=language][value={language}]")
    with lead.expect_navigation():
        lead.click("#add")
    assert "Sam Jones, Data team" in lead.locator("main").inner_text()
    check_axe(lead, "the contributors page")
    mail_pass(app, first_pass + timedelta(hours=1))
    (sam_link,) = links_to(smtp, "sam@example.org", live_server)
    assert len(links_to(smtp, "lead@example.org", live_server)) == 1, "the lead is not invited twice"

    # -- both open Vision and Leadership; the lead saves first, then the contributor ------------
    function_path = "/return/f/vision_leadership"
    sam = browser.new_context(locale="en-GB", **NARROW).new_page()
    sam.goto(sam_link)
    base_lead, base_sam = lead_link + "/return", sam_link + "/return"
    lead.goto(f"{lead_link}{function_path}?lang={language}")
    sam.goto(f"{sam_link}{function_path}?lang={language}")
    check_axe(sam, "a function page (contributor)")
    no_sideways_scroll(sam, "a function page")
    lead.check("#answer-VL1-1")  # Yes
    with lead.expect_navigation():
        lead.click("#save")
    sam.check("#answer-VL1-1-2")  # No, on a page that still shows no answer
    with sam.expect_navigation():
        sam.click("#save")
    summary = sam.locator(".govuk-error-summary")
    assert summary.is_visible(), "the later save is told that someone else changed the answer"
    assert "Lee Lead" in sam.locator("main").inner_text(), "and sees who changed it"
    check_axe(sam, "a function page with a conflict")
    stored = db.session.execute(select(MaturityReturn)).scalar_one()
    db.session.refresh(stored)
    assert {a.statement_id: a.value for a in stored.answers} == {"VL1.1": "yes"}, "nothing overwritten silently"

    # -- the lead answers the rest of layers 1-2 Yes and VL3.1 No --------------------------------
    lead.goto(f"{lead_link}{function_path}?lang={language}")
    for yes in ("VL1-2", "VL2-1", "VL2-2"):
        lead.check(f"#answer-{yes}")
    lead.check("#answer-VL3-1-2")
    lead.fill("#note-VL3-1", "Strategy refresh due in spring")
    with lead.expect_navigation():
        lead.click("#save")
    assert not lead.locator(".govuk-error-summary").is_visible()

    # -- reminders go to both while the return is a draft ----------------------------------------
    mail_pass(app, weekday_at_ten(opens + timedelta(days=8)))
    assert len(links_to(smtp, "lead@example.org", live_server)) == 2
    assert len(links_to(smtp, "sam@example.org", live_server)) == 2
    assert ("reminder_7", 2) in kinds_sent(campaign.id)

    # -- the contributor cannot submit; the lead submits after checking -------------------------
    sam.goto(f"{base_sam}/check?lang={language}")
    assert sam.locator("#submit").count() == 0
    lead.goto(f"{base_lead}/check?lang={language}")
    check_axe(lead, "the check page (lead)")
    no_sideways_scroll(lead, "the check page")
    if lead.locator("#confirm-unanswered").count():
        lead.check("#confirm-unanswered")
    with lead.expect_navigation():
        lead.click("#submit")
    db.session.expire_all()
    assert db.session.execute(select(MaturityReturn.status)).scalar_one() == "submitted"
    check_axe(lead, "the return once submitted")

    # -- no reminder once the lead has submitted -------------------------------------------------
    before = smtp.count
    mail_pass(app, weekday_at_ten(opens + timedelta(days=15)))
    assert smtp.count == before, "a submitted return ends the reminders"

    # -- the scheduler closes the campaign; the Improve team releases it -------------------------
    mail_pass(app, campaign.closes_at + timedelta(days=1))
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).status == "closed"
    improve.goto(f"{live_server}/console/campaigns/{campaign.id}/release?lang={language}")
    with improve.expect_navigation():
        improve.click("main form.release-form button[type=submit]")
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).released

    # -- the organisation's results: Vision and Leadership at level 2, commitment 4 of 10 --------
    admin = signed_in(browser, live_server, "admin@example.org", **NARROW)
    admin.goto(f"{live_server}/campaigns/{campaign.id}/results?lang={language}")
    assert admin.evaluate("document.documentElement.lang") == language
    check_axe(admin, "the DMA results page")
    no_sideways_scroll(admin, "the DMA results page")
    main = admin.locator("main").inner_text()
    assert words["level_heading"] in main
    row = admin.locator("#functions-table tbody tr", has_text=words["vision"]).first
    cells = row.locator("td").all_inner_texts()
    # layers 1 and 2 all Yes, VL3.1 No: level 2; 4 Yes of its 10 statements: 40%
    assert cells[0].strip() == "2"
    assert cells[3].strip().startswith("40")
    # the gap is layer 3's No (and the unanswered VL3.2), with its note
    assert "Strategy refresh due in spring" in admin.locator("#gap-VL3\\.1").inner_text()
    assert admin.locator("#gap-VL3\\.2").count() == 1 and admin.locator("#gap-VL2\\.1").count() == 0
