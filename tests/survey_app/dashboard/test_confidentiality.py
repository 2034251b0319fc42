"""Confidentiality kept where it is promised (issue 15 part 8): comments on the results
page as the exports write them, live rate tables that never single anyone out, and a
start page that says what the organisation will see."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

from survey_app.extensions import db
from tests.factories import make_campaign, make_org, make_participant
from tests.html_tables import table
from tests.survey_app.dashboard.live import queue_submission

OPENS = date.today() - timedelta(days=3)


def comments_on_page(page: str) -> list[str]:
    found = re.search(r'<ul class="govuk-list comments">(.*?)</ul>', page, re.S).group(1)
    return [html.unescape(t) for t in re.findall(r'<p class="govuk-body">(.*?)</p>', found, re.S)]


def test_results_page_comments_without_addresses_dates_or_order_of_arrival(client, make_user, signer,
                                                                            make_response):
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS, anonymity_threshold=3)
    day = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    texts = ["Zebra crossing: ask Jo.Bloggs@Example.org or jo@council.gov.uk", "apples are fine", "Middle"]
    for i, text in enumerate(texts):
        make_response(campaign, {"overall": "5", "comments": text}, submitted_at=day + timedelta(hours=i))
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/results").text
    page = html.unescape(raw)
    assert "@Example.org" not in page and "jo@council.gov.uk" not in page and "Bloggs" not in page
    # exactly as the exports write it, and the order says nothing of who answered when
    assert comments_on_page(raw) == ["apples are fine", "Middle",
                                     "Zebra crossing: ask [email address removed] or [email address removed]"]
    # no day date anywhere on the page (the comments were all written on `day`)
    shown = day.date()
    for written in (f"{shown.day} {shown:%B} {shown.year}", shown.isoformat(), f"{shown:%d/%m/%Y}"):
        assert written not in page
    welsh = html.unescape(client.get(f"/campaigns/{campaign.id}/results", headers={"Accept-Language": "cy"}).text)
    assert "[email address removed]" not in welsh and "council.gov.uk" not in welsh
    assert "Bloggs" not in welsh


def submit(campaign, participant, when):
    queue_submission(participant, when)


def live_campaign():
    """Threshold 5; 16 people, 7 of whom answered:
    location  Library 8 (4 answered), Town Hall 6 (3), Depot 1 (0), none recorded 1 (0)
    department Housing 14 (7), Finance 1 (0), none recorded 1 (0)."""
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS)
    when = campaign.opens_at + timedelta(hours=2)
    for i in range(8):
        person = make_participant(campaign, attributes={"location": "Library", "department": "Housing"})
        if i < 4:
            submit(campaign, person, when)
    for i in range(6):
        person = make_participant(campaign, attributes={"location": "Town Hall", "department": "Housing"})
        if i < 3:
            submit(campaign, person, when)
    make_participant(campaign, attributes={"location": "Depot", "department": "Finance"})
    make_participant(campaign, attributes={})
    db.session.commit()
    return org, campaign


def test_live_rate_tables_never_show_a_group_of_one(client, make_user, signer):
    org, campaign = live_campaign()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/").text
    by_location = table(raw, "Response rate by location, lowest first")
    by_department = table(raw, "Response rate by department, lowest first")
    # Depot (1) and the one with no location (1) are small; together only 2, so the next
    # smallest, Town Hall (6), goes with them: 0 + 0 + 3 of 1 + 1 + 6 = 3 of 8 = 37.5%
    assert by_location.rows[1:] == [["Library", "50.0% (4 out of 8)"],
                                    ["Other or too small to show", "37.5% (3 out of 8)"]]
    # Finance (1) and no department (1) are small, 2 together: Housing goes too, and only
    # the total is left: 7 of 16 = 43.75% -> 43.8%
    assert by_department.rows[1:] == [["Other or too small to show", "43.8% (7 out of 16)"]]
    page = html.unescape(raw)
    assert "out of 1)" not in page and "Depot" not in page and "Finance" not in page
    assert "Town Hall" not in page and "Housing" not in page
    assert "3 groups are counted together in “Other or too small to show”." in page
    assert "Groups of fewer than 5 people are never shown on their own" in page
    live = client.get(f"/campaigns/{campaign.id}/rate.json").json
    assert "Depot" not in live["html"] and "out of 1)" not in live["html"]
    welsh = html.unescape(client.get(f"/campaigns/{campaign.id}/", headers={"Accept-Language": "cy"}).text)
    assert "Arall neu'n rhy fach i'w ddangos" in welsh and "Depot" not in welsh
    assert "Mae 3 grŵp wedi'u cyfrif gyda'i gilydd yn “Arall neu'n rhy fach i'w ddangos”." in welsh


def test_live_rate_tables_show_groups_of_at_least_k(client, make_user, signer):
    """With threshold 3 every group here is big enough except Depot and 'none', which (two
    groups, 2 people) take Town Hall with them; Housing (14) is shown beside 'Other'."""
    org, campaign = live_campaign()
    campaign.anonymity_threshold = 3
    extra = [make_participant(campaign, attributes={"location": "Depot", "department": "Finance"}) for _ in range(2)]
    submit(campaign, extra[0], campaign.opens_at + timedelta(hours=3))
    db.session.commit()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    raw = client.get(f"/campaigns/{campaign.id}/").text
    # location: Depot 3 (1 answered) shown; none recorded 1 alone hidden, so the next
    # smallest (Depot, 3) goes with it: 1 of 4 = 25.0%
    assert table(raw, "Response rate by location, lowest first").rows[1:] == [
        ["Library", "50.0% (4 out of 8)"], ["Town Hall", "50.0% (3 out of 6)"],
        ["Other or too small to show", "25.0% (1 out of 4)"]]
    # department: Finance 3 (1 answered), Housing 14 (7), none 1 (0) hidden with Finance
    assert table(raw, "Response rate by department, lowest first").rows[1:] == [
        ["Housing", "50.0% (7 out of 14)"], ["Other or too small to show", "25.0% (1 out of 4)"]]
    assert "2 groups are counted together" in html.unescape(raw)


def promise(client, url, language):
    page = client.get(url, headers={"Accept-Language": language}).get_data(as_text=True)
    return html.unescape(re.search(r'<p class="govuk-body" id="confidentiality">(.*?)</p>', page, re.S).group(1))


def test_the_start_page_says_what_the_organisation_sees(client, app):
    from survey_app.links import make_token

    campaign = make_campaign(anonymity_threshold=7)
    person = make_participant(campaign)
    url = f"/s/{make_token(person.id, app.config['SECRET_KEY'])}"
    english = promise(client, url, "en-GB")
    assert english == (
        "Your answers are confidential. Your organisation sees results only for groups of at least 7 responses, "
        "and never who answered or whether any one person took part. It does see the comments you write, as you "
        "wrote them but with any email address removed and without a date, so leave out anything that would show "
        "who you are.")
    welsh = promise(client, url, "cy")
    assert welsh.startswith("Mae eich atebion yn gyfrinachol. Dim ond canlyniadau ar gyfer grwpiau o 7 o ymatebion "
                            "o leiaf y mae eich sefydliad yn eu gweld")
    assert "heb unrhyw gyfeiriad e-bost a heb ddyddiad" in welsh


def test_results_and_comments_wait_for_k_responses(client, make_user, signer, make_response):
    """The promise held on the results page: with fewer responses than the threshold, no
    score, no comment and no download; from the threshold on, all of them."""
    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS, anonymity_threshold=3)
    for text in ("First", "Second"):
        make_response(campaign, {"overall": "2", "comments": text})
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results").text)
    assert ("Results and comments are shown once at least 3 responses have been submitted, so that no one's "
            "answers can be picked out. Submitted so far: 2 responses.") in page
    assert "2.00 out of 7" not in page and "First" not in page and "Second" not in page
    assert "download.csv" not in page
    assert client.get(f"/campaigns/{campaign.id}/download.csv").status_code == 404
    welsh = html.unescape(client.get(f"/campaigns/{campaign.id}/results", headers={"Accept-Language": "cy"}).text)
    assert "o leiaf 3 ymateb wedi'u cyflwyno" in welsh and "First" not in welsh
    make_response(campaign, {"overall": "5", "comments": "Third"})
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results").text)
    # (2 + 2 + 5) / 3 = 3.00
    assert "3.00 out of 7 (3 responses)" in page and comments_on_page(page) == ["First", "Second", "Third"]
    assert "download.csv" in page


def test_the_organisation_downloads_figures_and_comments_never_one_response(client, make_user, signer,
                                                                            make_response):
    import io
    import zipfile

    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS, anonymity_threshold=3)
    for i in range(4):
        person = make_participant(campaign)
        answers = {"overall": str(4 + i), "device": "laptop"}
        if i < 2:
            answers["comments"] = ["zebra: write to boss@council.example", "Apples"][i]
        make_response(campaign, answers, participant=person)
    make_user("a@example.org", role="org_admin", organisation=org)
    make_user("improve@example.org", role="improve")
    signer(client, "a@example.org")
    zipped = client.get(f"/campaigns/{campaign.id}/download.csv")
    assert zipped.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(zipped.data))
    files = {name.rsplit("-", 1)[1]: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
    assert sorted(files) == ["benchmarks.csv", "comments.csv", "dictionary.csv", "scores.csv"]
    assert files["comments.csv"].splitlines() == [
        "question_id,question,comment",
        "comments,Is there anything else you would like to tell us about the ICT service?,Apples",
        "comments,Is there anything else you would like to tell us about the ICT service?,"
        "zebra: write to [email address removed]"]
    everything = "".join(files.values())
    assert "boss@" not in everything and "response_id" not in everything
    assert "submitted_at" not in everything and "submitted_on" not in everything
    assert "comments,comment,text," in files["dictionary.csv"]
    # the Improve team's download of the same keeps every table
    other = client.application.test_client()
    signer(other, "improve@example.org")
    full = zipfile.ZipFile(io.BytesIO(other.get(f"/campaigns/{campaign.id}/download.csv").data))
    assert sorted(n.rsplit("-", 1)[1] for n in full.namelist()) == [
        "benchmarks.csv", "dictionary.csv", "long.csv", "scores.csv", "wide.csv"]


def test_a_download_without_comments_has_an_empty_comments_table(client, make_user, signer, make_response):
    import io
    import zipfile

    from openpyxl import load_workbook

    org = make_org(name="Council A")
    campaign = make_campaign(org, opens=OPENS, anonymity_threshold=3)
    for overall in ("3", "4", "5"):
        make_response(campaign, {"overall": overall})
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/campaigns/{campaign.id}/download.csv").data))
    name = next(n for n in archive.namelist() if n.endswith("-comments.csv"))
    assert archive.read(name).decode("utf-8-sig").splitlines() == ["question_id,question,comment"]
    book = load_workbook(io.BytesIO(client.get(f"/campaigns/{campaign.id}/download.xlsx").data), read_only=True)
    assert [tuple(r) for r in book["comments"].iter_rows(values_only=True)] == [("question_id", "question", "comment")]
