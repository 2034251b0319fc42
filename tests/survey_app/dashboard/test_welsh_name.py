"""Issue 15 part 7: an organisation's Welsh name on the staff pages in Welsh (its
dashboard, campaign and results pages, the console), its English name on the same pages
in English, and its English name in Welsh too when it has no Welsh name (as before)."""
from __future__ import annotations

import html
import io
import re
import zipfile

import pytest

from tests.factories import make_org, make_participant

ENGLISH, WELSH = "Example County Council", "Cyngor Sir Enghreifftiol"


def answered_campaign(make_response, name_cy: str | None):
    from tests.factories import make_campaign

    org = make_org(name=ENGLISH, name_cy=name_cy, type_letter="W")
    campaign = make_campaign(org, anonymity_threshold=3)
    for score in ("5", "6", "7"):
        make_response(campaign, {"overall": score, "sat_S1": "5", "imp_S1": "6", "device": "laptop"},
                      participant=make_participant(campaign))
    return org, campaign


def pages(org, campaign) -> dict[str, str]:
    return {"organisation": f"/organisations/{org.id}/", "campaign": f"/campaigns/{campaign.id}/",
            "results": f"/campaigns/{campaign.id}/results"}


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.text)


def title(text: str) -> str:
    return re.search(r"<title>(.*?)</title>", text, re.S).group(1)


def test_the_dashboard_in_welsh_names_the_organisation_in_welsh(client, make_user, signer, make_response):
    org, campaign = answered_campaign(make_response, WELSH)
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    english = {name: read(client, url) for name, url in pages(org, campaign).items()}
    for name, text in english.items():  # the English pages as they were
        assert ENGLISH in text and WELSH not in text, name
    assert f'<h1 class="govuk-heading-l">{ENGLISH}</h1>' in english["organisation"]
    client.get("/?lang=cy")
    welsh = {name: read(client, url) for name, url in pages(org, campaign).items()}
    for name, text in welsh.items():
        assert '<html lang="cy"' in text and WELSH in text and ENGLISH not in text, name
    assert f'<h1 class="govuk-heading-l">{WELSH}</h1>' in welsh["organisation"]
    assert WELSH in title(welsh["organisation"]) and WELSH in title(welsh["campaign"])
    for name in ("campaign", "results"):
        assert f'<span class="govuk-caption-l">{WELSH} ({campaign.code})</span>' in welsh[name], name


def test_without_a_welsh_name_the_welsh_dashboard_shows_the_english_one(client, make_user, signer, make_response):
    org, campaign = answered_campaign(make_response, None)
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    client.get("/?lang=cy")
    for name, url in pages(org, campaign).items():
        text = read(client, url)
        assert '<html lang="cy"' in text and ENGLISH in text, name


def test_a_download_in_welsh_names_the_organisation_in_welsh(client, make_user, signer, make_response):
    org, campaign = answered_campaign(make_response, WELSH)
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")

    def scores_names() -> set[str]:
        archive = zipfile.ZipFile(io.BytesIO(client.get(f"/campaigns/{campaign.id}/download.csv").data))
        scores = archive.read(next(n for n in archive.namelist() if n.endswith("-scores.csv"))).decode("utf-8-sig")
        return {line.split(",")[0] for line in scores.splitlines()[1:]}

    assert scores_names() == {ENGLISH}
    client.get("/?lang=cy")
    assert scores_names() == {WELSH}


@pytest.mark.parametrize("language, shown, hidden", [("en", ENGLISH, WELSH), ("cy", WELSH, ENGLISH)])
def test_the_console_names_organisations_in_the_page_language(client, make_user, signer, csrf, language, shown,
                                                              hidden):
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    client.get(f"/console/?lang={language}")
    form = client.get("/console/organisations/new")
    # the box for the Welsh name is marked as Welsh (spelling checks, screen readers)
    assert re.search(r'<input class="govuk-input" id="name_cy" name="name_cy"[^>]* lang="cy">', form.text)
    made = client.post("/console/organisations/new", data={
        "csrf_token": csrf(form.text), "name": ENGLISH, "name_cy": WELSH, "type_letter": "W", "number": "7",
        "language_policy": "default"})
    assert made.status_code == 302
    new_campaign = read(client, made.headers["Location"])
    assert shown in new_campaign and hidden not in new_campaign  # the flash and the choice of organisation
    created = client.post("/console/campaigns/new", data={
        "csrf_token": csrf(new_campaign), "organisation_id": re.search(r'<option value="(\d+)"[^>]*selected',
                                                                       new_campaign).group(1),
        "questionnaire": "user-satisfaction", "opens_day": "2", "opens_month": "3", "opens_year": "2026",
        "weeks": "4", "anonymity_threshold": "5"})
    assert created.status_code == 302
    for url in ("/console/", created.headers["Location"], "/console/exports"):
        text = read(client, url)
        assert shown in text and hidden not in text, url
