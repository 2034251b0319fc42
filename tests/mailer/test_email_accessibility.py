"""The emails' HTML and the development mail pages, checked with axe-core in Chromium."""
from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailer.render import Renderer
from tests.live_fixtures import axe_violations
from tests.mailer.mailtools import CASES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["invitation_cy+en", "reminder_started_en", "final_reminder_started_cy+en"])
def test_email_html_passes_axe(browser, repo_root, name):
    email = Renderer(str(repo_root / "locales")).render(*CASES[name])
    page = browser.new_page(viewport={"width": 320, "height": 640})  # a phone
    page.set_content(email.html)
    assert axe_violations(page) == []
    # nothing wider than the screen: no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_dev_mail_pages_pass_axe(sqlite_app, live_server, browser, repo_root, tmp_path, monkeypatch):
    rendered = Renderer(str(repo_root / "locales")).render(*CASES["invitation_cy+en"])
    message = EmailMessage()
    message["Subject"], message["Content-Language"] = rendered.subject, "cy, en"
    message["Date"] = "Mon, 04 Mar 2030 09:00:00 +0000"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    (tmp_path / "20300304-090000-00001.eml").write_bytes(message.as_bytes())
    monkeypatch.setitem(sqlite_app.config, "MAIL_CATCHER_DIR", str(tmp_path))
    page = browser.new_page()
    page.goto(live_server + "/dev/mail/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=rendered.subject).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == rendered.subject
    assert axe_violations(page) == []
    page.close()
