"""Bytes of each respondent page with everything it loads (stylesheets, scripts, images),
raw and gzip-compressed, in English and Welsh.

    .venv/bin/python bench/page_bytes.py [QUESTIONNAIRE]     (default: user-satisfaction)

Builds a throw-away SQLite database; needs the compiled stylesheet (`make assets`).
Exits 1 when the heaviest page with its assets is over the budget.

A run (User Satisfaction; raw / gzip bytes, English, Welsh within 1%): start 63,364 /
8,536; about you 69,760 / 9,363; the 20-row satisfaction grid 111,481 / 11,382, and
119,400 / 12,309 with every answer missing; check answers 90,190 / 10,070; confirmation
62,668 / 8,240. survey.css is 60,293 / 7,253 of each. Heaviest page for User Skills
85,483, for the SDMA 90,130.
"""
from __future__ import annotations

import contextvars
import gzip
import re
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/[^"]+)"')
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN_RE = re.compile(r'name="shown" value="([^"]*)"')
BUDGET = 188_000  # bytes, raw, of the heaviest respondent page with everything it loads


class Browser:
    """A test client whose requests each get their own app context, as in production."""

    def __init__(self, app):
        self.client = app.test_client()

    def open(self, url: str, method: str = "GET", data: dict | None = None):
        return contextvars.Context().run(self.client.open, url, method=method, data=data)

    def body(self, url: str, method: str = "GET", data: dict | None = None) -> bytes:
        response = self.open(url, method, data)
        try:
            return response.get_data()
        finally:
            response.close()  # static files are open file handles

    def form(self, url: str) -> dict:
        html = self.open(url).get_data(as_text=True)
        fields = {"csrf_token": CSRF_RE.search(html).group(1), "action": "continue"}
        shown = SHOWN_RE.search(html)
        return {**fields, "shown": shown.group(1)} if shown else fields


def weigh(browser: Browser, url: str, method: str = "GET", data: dict | None = None) -> tuple[int, int, int]:
    """(raw bytes, gzip bytes, requests) of a page and everything it links to."""
    html = browser.body(url, method, data)
    bodies = [html] + [browser.body(a) for a in sorted(set(ASSET_RE.findall(html.decode())))]
    return sum(len(b) for b in bodies), sum(len(gzip.compress(b, 9)) for b in bodies), len(bodies)


def first_answers(page) -> dict:
    """The first possible answer to every item of a page, as the form posts it."""
    out = {}
    for question in page.questions:
        for item in question.items:
            if item.type == "text":
                out[f"q-{item.id}"] = "A comment of a typical length, a sentence or two about the service."
            elif item.type == "scale":
                out[f"q-{item.id}"] = str(item.scale.min)
            elif item.type == "yes_no":
                out[f"q-{item.id}"] = "yes"
            else:
                out[f"q-{item.id}"] = item.options[0].value
    return out


def journey(app, campaign, language: str) -> list[tuple[str, int, int, int]]:
    from survey_app.extensions import db
    from survey_app.links import make_token
    from survey_app.models import Participant
    from survey_app.privacy import email_hash

    def participant_url(n: int) -> str:
        email = f"bench-{language}-{n}@example.org"
        p = Participant(campaign_id=campaign.id, email=email, language=language,
                        email_hash=email_hash(email, app.config["EMAIL_HASH_KEY"]))
        db.session.add(p)
        db.session.commit()
        return f"/s/{make_token(p.id, app.config['SECRET_KEY'])}"

    q = campaign.questionnaire_version.parsed()
    fresh, finished = participant_url(1), participant_url(2)
    browser = Browser(app)
    rows = [("start", *weigh(browser, fresh))]
    for page in q.pages:
        url = f"{fresh}/p/{page.id}"
        rows.append((f"page {page.id}", *weigh(browser, url)))
        if page is max(q.pages, key=lambda p: sum(len(qn.items) for qn in p.questions)):
            rows.append((f"page {page.id}, every answer missing", *weigh(browser, url, "POST", browser.form(url))))
    for page in q.pages:
        url = f"{finished}/p/{page.id}"
        browser.open(url, "POST", {**browser.form(url), **first_answers(page)})
    rows.append(("check answers", *weigh(browser, finished + "/check")))
    browser.open(finished + "/check", "POST", {"csrf_token": browser.form(finished + "/check")["csrf_token"]})
    rows.append(("confirmation", *weigh(browser, finished + "/done")))
    rows.append(("already taken part", *weigh(browser, finished)))
    return rows


def measure(questionnaire: str = "user-satisfaction") -> list[tuple[str, str, int, int, int]]:
    """(page, language, raw bytes, gzip bytes, requests) of every respondent page."""
    from flask_migrate import upgrade

    from survey_app import create_app
    from survey_app.console.operations import create_campaign, create_organisation
    from survey_app.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "INSTANCE_PATH": tmp})
        with app.app_context():
            upgrade()
            org = create_organisation(name="Bench County Borough Council", type_letter="W", number=1)
            campaign = create_campaign(organisation=org, questionnaire_id=questionnaire,
                                       opens=date.today() - timedelta(days=1))
            db.session.commit()
            rows = [(name, language, *weights) for language in ("en", "cy")
                    for name, *weights in journey(app, campaign, language)]
            db.session.remove()
            db.engine.dispose()
    return rows


def main(questionnaire: str = "user-satisfaction") -> int:
    rows = measure(questionnaire)
    print(f"{questionnaire}: bytes of each page with its assets")
    print(f"{'page':40} {'lang':4} {'raw':>9} {'gzip':>8} {'requests':>8}")
    for name, language, raw, packed, requests in rows:
        print(f"{name:40} {language:4} {raw:>9,} {packed:>8,} {requests:>8}")
    heaviest = max(row[2] for row in rows)
    print(f"heaviest: {heaviest:,} bytes raw; budget {BUDGET:,}")
    return 0 if heaviest < BUDGET else 1


def run(quick: bool):
    """For bench/run.py: every respondent page's weight, in the heavier of the two languages."""
    from bench.common import Figures

    figures = Figures("page_bytes", settings={"budget_bytes": BUDGET})
    heaviest: dict[str, tuple[int, int, int]] = {}
    for name, _language, raw, packed, requests in measure():
        if raw > heaviest.get(name, (0, 0, 0))[0]:
            heaviest[name] = (raw, packed, requests)
    for name, (raw, packed, requests) in heaviest.items():
        figures.add(f"{name} with assets", raw, "bytes", f"{packed:,} gzip, {requests} requests")
    top = max(v[0] for v in heaviest.values())
    figures.add("heaviest respondent page", top, "bytes", f"budget {BUDGET:,}")
    return figures


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
