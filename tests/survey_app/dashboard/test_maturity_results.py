"""The results page of a Digital Maturity Assessment campaign, against levels, commitments,
medians and quartiles worked out by hand (maturity_round.py says how each return answers)."""
from __future__ import annotations

import html
import re
from datetime import timedelta

from tests.factories import make_org
from tests.html_tables import table
from tests.survey_app.dashboard.maturity_round import (
    A_LEVELS, LAST_YEAR, answers_at, make_maturity_round, make_return)

FUNCTIONS_TABLE = "Maturity by function: yours and the benchmark"
GRID_TABLE = "Functions and layers: complete, partly done or not started"
YEARS_TABLE = "Your level and commitment over the years"


def results_page(client, make_user, signer, org, campaign, query: str = "") -> str:
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    response = client.get(f"/campaigns/{campaign.id}/results{query}")
    assert response.status_code == 200
    return response.text


def summary(page: str, heading_id: str) -> dict[str, str]:
    """The summary list after the heading with this id: key -> value."""
    part = page.split(f'id="{heading_id}"')[1].split("</dl>")[0]
    return {html.unescape(k).strip(): " ".join(html.unescape(re.sub(r"<[^>]+>", "", v)).split())
            for k, v in re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
                                   r'<dd class="govuk-summary-list__value">(.*?)</dd>', part, re.S)}


def test_a_released_return_against_its_peers(app, client, make_user, signer):
    """Five released returns. Overall levels A 2, B 1, C 2, D 3, E 4: median 2, quartiles 2
    and 3 (A at the median: band 3). Overall commitment A 38/90 = 42.2%, B 20%, C 40%, D 60%,
    E 80%: median 42.2%, quartiles 40.0% and 60.0%."""
    org, campaign = make_maturity_round()
    page = results_page(client, make_user, signer, org, campaign)
    assert "These results were released on" in page and "not been submitted" not in page
    assert "5 organisations in" in page and "too small" not in page
    assert summary(page, "benchmark-overall-level") == {
        "Your organisation": f"{campaign.code}: 2 out of 5", "Median (the benchmark)": "2",
        "1st to 3rd quartile": "2 to 3", "Your quartile band": "Above the median"}
    assert summary(page, "benchmark-overall-commitment") == {
        "Your organisation": f"{campaign.code}: 42.2% (38 of 90 statements answered Yes)",
        "Median (the benchmark)": "42.2%", "1st to 3rd quartile": "40.0% to 60.0%",
        "Your quartile band": "Above the median"}
    yy = campaign.code[1:3]  # highest first, then by code
    assert table(page, "Overall maturity level by organisation").rows[1:] == [
        [f"L{yy}14", "4"], [f"S{yy}13", "3"], [f"E{yy}12", "2"], [f"{campaign.code} (your organisation)", "2"],
        [f"E{yy}11", "1"]]
    functions = table(page, FUNCTIONS_TABLE)
    # VL: A 3 with B-E 1, 2, 3, 4: median 3, quartiles 2 and 3; commitment 7/10 against 20-80%
    assert functions.row("Vision and Leadership") == ["3", "3", "2 to 3", "70.0%", "60.0%", "40.0% to 70.0%"]
    # UD: A 0 (layer 1 unanswered; UD3.1's Yes out of order counts in the commitment only)
    assert functions.row("User-Centred Service Design") == ["0", "2", "1 to 3", "10.0%", "40.0%", "20.0% to 60.0%"]
    assert functions.row("Technology") == ["5", "3", "2 to 4", "100.0%", "60.0%", "40.0% to 80.0%"]
    assert len(functions.rows) == 1 + 9
    for chart in ("maturity-levels", "maturity-commitment", "grid"):
        assert re.search(rf'<svg [^>]*aria-labelledby="{chart}-{campaign.id}-title"', page), chart


def test_the_functions_by_layers_grid(app, client, make_user, signer):
    org, campaign = make_maturity_round()
    page = results_page(client, make_user, signer, org, campaign)
    grid = table(page, GRID_TABLE)
    assert grid.rows[0] == ["Function", "Layer 1: Foundations", "Layer 2: Developing", "Layer 3: Established",
                            "Layer 4: Embedded", "Layer 5: Leading"]
    complete, partly, none = ("Complete: 2 of 2 statements Yes", "Partly done: 1 of 2 statements Yes",
                              "Not started: 0 of 2 statements Yes")
    assert grid.row("Vision and Leadership") == [complete, complete, complete, partly, none]
    assert grid.row("User-Centred Service Design") == [none, none, partly, none, none]
    assert grid.row("Technology") == [complete] * 5
    assert grid.row("Suppliers, Commissioning and Partnerships") == [none] * 5
    # the chart: 45 cells; the two partly done (VL4, UD3) and the legend's swatch hatched
    svg = re.search(rf'<svg [^>]*aria-labelledby="grid-{campaign.id}-title".*?</svg>', page, re.S).group(0)
    assert svg.count(f'fill="url(#grid-{campaign.id}-partial)"') == 3
    cells = re.findall(r'<rect x="[\d.]+%" y="\d+" width="[\d.]+%" height="30" fill="([^"]+)"', svg)
    complete = sum(A_LEVELS.values())  # 18: every layer up to each function's level
    assert len(cells) == 45 and cells.count("#003078") == complete and cells.count("#ffffff") == 45 - complete - 2
    assert svg.count(">1 of 2<") == 2 and svg.count(">2 of 2<") == complete and svg.count(">0 of 2<") == 25


def test_the_gaps_with_their_notes(app, client, make_user, signer):
    org, campaign = make_maturity_round()
    page = html.unescape(results_page(client, make_user, signer, org, campaign))
    gaps = page.split('id="gaps"')[1]
    vision = gaps.split('id="gaps-vision_leadership"')[1].split("<h3")[0]
    assert "Level 3. To reach layer 4 (Embedded), 1 statement is not answered Yes:" in vision
    assert 'id="gap-VL4.2"' in vision and "(VL4.2: No)" in vision
    assert "Note: Awaiting a decision by the leadership team." in vision
    assert "VL4.1" not in vision and "Agreed by Cabinet." not in page  # a Yes is no gap; its note is not shown
    design = gaps.split('id="gaps-user_centred_design"')[1].split("<h3")[0]
    assert "Level 0. To reach layer 1 (Foundations), 2 statements are not answered Yes:" in design
    assert "(UD1.1: Not answered)" in design and "(UD1.2: Not answered)" in design
    assert "Note: Research starts next spring." in design
    technology = gaps.split('id="gaps-technology"')[1].split("<h3")[0]
    assert "Level 5: every layer is complete." in technology and "<li" not in technology


def test_own_provisional_return_is_shown_but_not_counted(app, client, make_user, signer, monkeypatch):
    """A's campaign is open: the benchmark is over B-E alone. VL levels 1, 2, 3, 4: median
    2.5, quartiles 1.75 and 3.25; overall levels the same, A's 2 in band 2."""
    monkeypatch.setitem(app.config, "MIN_PEER_GROUP", 3)
    org, campaign = make_maturity_round(a_released=None)
    page = results_page(client, make_user, signer, org, campaign)
    assert "These results are provisional: the return has been submitted, and the assessment is still open." in page
    assert "4 organisations in" in page and "counts in it once its results are released" in page
    assert summary(page, "benchmark-overall-level") == {
        "Your organisation": f"{campaign.code}: 2 out of 5", "Median (the benchmark)": "2.5",
        "1st to 3rd quartile": "1.75 to 3.25", "Your quartile band": "Below the median"}
    assert table(page, FUNCTIONS_TABLE).row("Vision and Leadership") == [
        "3", "2.5", "1.75 to 3.25", "70.0%", "50.0%", "35.0% to 65.0%"]
    rows = table(page, "Overall maturity level by organisation").rows[1:]
    assert [f"{campaign.code} (your organisation)", "2"] in rows and len(rows) == 5  # shown beside the four


def test_a_peer_group_too_small_says_so(app, client, make_user, signer):
    """Four released returns and a minimum of five: no median, no quartiles, no band."""
    org, campaign = make_maturity_round(a_released=None)
    page = html.unescape(results_page(client, make_user, signer, org, campaign))
    assert "This peer group is too small for a benchmark" in page
    assert summary(page, "benchmark-overall-level")["Benchmark"] == (
        "Not shown: 4 organisations in the group have this figure, too few for a benchmark.")
    assert table(page, FUNCTIONS_TABLE).row("Vision and Leadership") == ["3", "–", "–", "70.0%", "–", "–"]
    assert "Overall maturity level by organisation" not in page  # no chart of the others either
    # a type of which A is the only one: too small too
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/results?peers=type:W").text)
    assert "0 organisations in" in page and "too small for a benchmark" in page


def test_a_draft_return_has_no_results_yet(app, client, make_user, signer):
    """88 of A's 90 statements answered (UD1.2's note without an answer does not count)."""
    org, campaign = make_maturity_round(a_released=None, a_submitted=False)
    page = html.unescape(results_page(client, make_user, signer, org, campaign))
    assert "Your organisation's return has not been submitted yet." in page
    assert "88 of 90 statements answered so far." in page
    for absent in ('id="benchmarks"', FUNCTIONS_TABLE, GRID_TABLE, 'id="gaps"', "The report as a PDF"):
        assert absent not in page, absent
    assert "no earlier submitted return" in page


def test_against_its_own_earlier_years(app, client, make_user, signer):
    """Last year every function of A's was at level 1 (commitment 20%); this year it is at 2
    overall, 42.2%. A second campaign last year, at level 4, was never submitted: not shown."""
    org, campaign = make_maturity_round()
    before = make_return(org, answers_at(1), opens=LAST_YEAR, released=True)
    make_return(org, answers_at(4), opens=LAST_YEAR + timedelta(days=7), released=True, submitted=False)
    page = results_page(client, make_user, signer, org, campaign)
    years = table(page, YEARS_TABLE)
    assert years.rows[0] == ["Function", f"{before.year_label}: level", f"{before.year_label}: commitment",
                             f"{campaign.year_label}: level", f"{campaign.year_label}: commitment"]
    assert years.row("Overall") == ["1", "20.0%", "2", "42.2%"]
    assert years.row("Vision and Leadership") == ["1", "20.0%", "3", "70.0%"]
    assert years.row("User-Centred Service Design") == ["1", "20.0%", "0", "10.0%"]
    assert f'aria-labelledby="maturity-years-overall-level-{campaign.id}"' in page
    # this year's return still a draft: last year alone, and no results for this one
    draft_org = make_org(name="Council F", type_letter="W", number=21)
    make_return(draft_org, answers_at(2), opens=LAST_YEAR, released=True)
    draft = make_return(draft_org, answers_at(3), submitted=False)
    make_user("f@example.org", role="org_admin", organisation=draft_org)
    other = app.test_client()
    signer(other, "f@example.org")
    page = other.get(f"/campaigns/{draft.id}/results").text
    years = table(page, YEARS_TABLE)
    assert years.row("Overall") == ["2", "40.0%"] and "not been submitted yet" in page


def test_the_page_in_welsh(app, client, make_user, signer):
    org, campaign = make_maturity_round()
    page = html.unescape(results_page(client, make_user, signer, org, campaign, "?lang=cy"))
    assert '<html lang="cy"' in page
    functions = table(page, "Aeddfedrwydd fesul swyddogaeth: eich un chi a'r meincnod")
    assert functions.rows[1][1:] == ["3", "3", "2 i 3", "70.0%", "60.0%", "40.0% i 70.0%"]
    assert "Beth i'w wneud nesaf" in page and "Lefel 5: mae pob haen yn gyflawn." in page
    grid = table(page, "Swyddogaethau a haenau: cyflawn, yn rhannol neu heb ddechrau")
    assert grid.rows[1][1] == "Cyflawn: ‘Ie’ i 2 o 2 ddatganiad"


def test_an_unknown_peer_group_is_not_found(app, client, make_user, signer):
    org, campaign = make_maturity_round()
    results_page(client, make_user, signer, org, campaign)
    assert client.get(f"/campaigns/{campaign.id}/results?peers=nonsense").status_code == 404
    assert client.get(f"/campaigns/{campaign.id}/results?peers=group:999").status_code == 404
