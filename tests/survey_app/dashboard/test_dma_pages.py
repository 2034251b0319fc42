"""A Digital Maturity Assessment on the organisation dashboard and the Improve console: the
return's state, statements answered and contributors in place of a response rate (no
breakdowns of people, no live rate), and the console's new-campaign form naming the lead.
Staff campaigns are shown as before."""
from __future__ import annotations

import html
from datetime import datetime, timezone

from survey_app.extensions import db
from survey_app.models import Campaign, MaturityContributor, OutboxMessage, Participant
from tests.factories import make_campaign, make_org, make_participant
from tests.html_tables import table
from tests.return_setup import add_contributors, answer, lead_of, make_return_campaign, submit

SUBMITTED_AT = datetime(2026, 3, 12, 14, 5, tzinfo=timezone.utc)  # 14:05 GMT


def read(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return html.unescape(response.text)


def draft_return():
    """A DMA campaign with its lead and two contributors; three statements answered (two
    of Vision and Leadership, one of Data and Analytics) and one with a note only."""
    org = make_org(name="Council A")
    campaign = make_return_campaign(org)
    sam, ann = add_contributors(campaign, ("sam@example.org", "Sam Jones", None), ("ann@example.org", "Ann Data", "cy"))
    answer(campaign, sam, {"VL1.1": "yes", "VL1.2": "no", "DA1.1": "yes", "TE1.1": None})
    # the lead's invitation has gone, the others' not yet; Ann's address bounced
    lead = lead_of(campaign)
    db.session.add(OutboxMessage(campaign_id=campaign.id, participant_id=lead.participant_id, kind="invitation",
                                 language="en", due_at=SUBMITTED_AT, status="sent", attempts=1,
                                 next_attempt_at=SUBMITTED_AT, sent_at=SUBMITTED_AT))
    db.session.get(Participant, ann.participant_id).status = "bounced"
    db.session.commit()
    return org, campaign


def test_the_campaign_page_shows_the_return_not_a_response_rate(client, make_user, signer):
    org, campaign = draft_return()
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    page = read(client, f"/campaigns/{campaign.id}/")
    assert "Response rate" not in page and "Responses over time" not in page and "live-figures" not in page
    assert "dashboard.js" not in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Draft</strong>' in page
    # 3 of the 90 statements (nine functions, five layers, two statements each) have a Yes or No
    assert '<dd class="govuk-summary-list__value" id="statements-answered">3 out of 90</dd>' in page
    functions = table(page, caption="Statements answered by function")
    assert functions.rows[0] == ["Function", "Answered"] and len(functions.rows) == 10
    assert functions.row("Vision and Leadership") == ["2 out of 10"]
    assert functions.row("Data and Analytics") == ["1 out of 10"]
    assert functions.row("Technology") == ["0 out of 10"]  # a note without an answer is not an answer
    people = table(page, header=["Name", "Role", "Invitation"])
    assert people.rows[1:] == [["Lee Lead, Digital team", "Lead", "Invited"],
                               ["Sam Jones", "Contributor", "Not yet invited"],
                               ["Ann Data", "Contributor", "Email address refused"]]
    assert "@example.org" not in page
    # no link to upload a participant list, for anyone
    assert "Participants: upload a list" not in page


def test_a_submitted_return_says_who_submitted_it_and_when(client, make_user, signer):
    org, campaign = draft_return()
    submit(campaign, lead_of(campaign), SUBMITTED_AT)
    imported = make_return_campaign(org)
    submit(imported, None, SUBMITTED_AT)
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    page = read(client, f"/campaigns/{campaign.id}/")
    assert '<strong class="govuk-tag govuk-tag--green">Submitted</strong>' in page
    assert "By Lee Lead, Digital team on 12 March 2026 at 14:05" in page
    assert "On 12 March 2026 at 14:05, entered by the Improve team" in read(client, f"/campaigns/{imported.id}/")
    # the Improve team's page has no upload link either (contributors are not imported)
    assert "Participants: upload a list" not in page
    upload = read(client, f"/console/campaigns/{campaign.id}/participants")
    assert "its contributors are named when it is set up or added by its lead" in upload
    assert 'type="file"' not in upload


def test_the_live_rate_is_not_applicable(client, make_user, signer):
    org, campaign = draft_return()
    staff = make_campaign(org)
    make_participant(staff)
    make_participant(staff)
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    response = client.get(f"/campaigns/{campaign.id}/rate.json")
    assert response.status_code == 404 and response.headers["Cache-Control"] == "no-store"
    assert response.json == {"applicable": False, "message": "This campaign is one return for the whole "
                                                             "organisation: it has no response rate."}
    welsh = client.get(f"/campaigns/{campaign.id}/rate.json", headers={"Accept-Language": "cy"})
    assert welsh.json["message"] == ("Mae'r ymgyrch hon yn un ffurflen ar gyfer y sefydliad cyfan: nid oes ganddi "
                                     "gyfradd ymateb.")
    # a staff campaign's is as it was
    rate = client.get(f"/campaigns/{staff.id}/rate.json").json
    assert (rate["submitted"], rate["participants"], rate["rate"]) == (0, 2, "0.0% (0 out of 2)")


def test_lists_show_the_return_in_place_of_the_rate(client, make_user, signer):
    org, campaign = draft_return()
    staff = make_campaign(org, questionnaire_id="sdma")
    for _ in range(4):
        make_participant(staff)
    make_return_campaign(make_org(name="Council B"))  # nothing saved yet
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    dashboard = read(client, f"/organisations/{org.id}/")
    rows = table(dashboard, caption="Your campaigns")
    assert rows.rows[0] == ["Survey", "Open", "Status", "Progress"]
    by_code = {row[0].rsplit(" (", 1)[0]: row[3] for row in rows.rows[1:]}
    title = campaign.questionnaire_version.parsed().title.get("en")
    assert by_code[title] == "Draft return: 3 of 90 statements answered"
    assert by_code[staff.questionnaire_version.parsed().title.get("en")] == "0.0% (0 out of 4)"

    client = client.application.test_client()  # the Improve team's own browser
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    header = ["Code", "Organisation", "Questionnaire", "Open", "Status", "Progress", "Results"]
    console = table(read(client, "/console/"), header=header)
    progress = {(row[1], row[2]): row[5] for row in console.rows[1:]}
    assert progress == {("Council A", "dma"): "Draft return: 3 of 90 statements answered",
                        ("Council A", "sdma"): "0.0% (0 out of 4)",
                        ("Council B", "dma"): "Return not started"}
    submit(campaign, lead_of(campaign), SUBMITTED_AT)
    console = table(read(client, "/console/?questionnaire=dma"), header=header)
    progress = {(row[1], row[2]): row[5] for row in console.rows[1:]}
    assert progress == {("Council A", "dma"): "Return submitted on 12 March 2026",
                        ("Council B", "dma"): "Return not started"}
    # staff campaigns alone: the column is the response rate, as before
    staff_only = read(client, "/console/?questionnaire=sdma")
    assert table(staff_only, header=["Code", "Organisation", "Questionnaire", "Open", "Status", "Response rate",
                                     "Results"]).rows[1][5] == "0.0% (0 out of 4)"


def test_the_return_in_welsh(client, make_user, signer):
    org, campaign = draft_return()
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    client.get("/?lang=cy")
    page = read(client, f"/campaigns/{campaign.id}/")
    assert '<html lang="cy"' in page and "Y ffurflen" in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Drafft</strong>' in page
    assert '<dd class="govuk-summary-list__value" id="statements-answered">3 allan o 90</dd>' in page
    functions = table(page, caption="Datganiadau wedi'u hateb fesul swyddogaeth")
    assert functions.rows[0] == ["Swyddogaeth", "Wedi'u hateb"]
    people = table(page, header=["Enw", "Rôl", "Gwahoddiad"])
    assert people.rows[1:] == [["Lee Lead, Digital team", "Arweinydd", "Wedi'i wahodd"],
                               ["Sam Jones", "Cyfrannwr", "Heb ei wahodd eto"],
                               ["Ann Data", "Cyfrannwr", "Cyfeiriad e-bost wedi'i wrthod"]]
    listing = table(read(client, f"/organisations/{org.id}/"), caption="Eich ymgyrchoedd")
    assert listing.rows[0][3] == "Cynnydd"
    assert listing.rows[1][3] == "Ffurflen ddrafft: 3 allan o 90 o ddatganiadau wedi'u hateb"


def test_a_staff_campaign_page_is_as_it_was(client, make_user, signer):
    org = make_org()
    staff = make_campaign(org)
    make_participant(staff)
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    page = read(client, f"/campaigns/{staff.id}/")
    assert "Response rate" in page and 'id="live-figures"' in page and "dashboard.js" in page
    assert "Participants: upload a list" in page and "The return" not in page and "Contributors" not in page


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def form_values(org, questionnaire: str, **extra) -> dict:
    values = {"organisation_id": org.id, "questionnaire": questionnaire, "opens_day": "2", "opens_month": "3",
              "opens_year": "2026", "weeks": "4", "anonymity_threshold": "5", "lead_language": "none"}
    values.update(extra)
    return values


def test_the_new_campaign_form_names_the_lead_of_a_dma(client, make_user, signer, csrf):
    org = make_org(name="Cyngor Enghraifft", type_letter="W")
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    form = read(client, "/console/campaigns/new")
    # the lead's fields sit in the DMA's conditional part: shown without JavaScript,
    # revealed by its radio with it
    dma_radio = form[form.index('value="dma"') - 300:form.index('value="dma"') + 200]
    assert 'data-aria-controls="conditional-questionnaire' in dma_radio
    conditional = form[form.index('class="govuk-radios__conditional'):form.index('id="opens"')]
    for field in ('name="lead_name"', 'name="lead_email"', 'name="lead_language"'):
        assert field in conditional
    assert "conditional_reveal.js" in form
    token = csrf(form)

    made = client.post("/console/campaigns/new", data={"csrf_token": token, **form_values(
        org, "dma", lead_name=" Lee Lead ", lead_email="lead@example.org", lead_language="cy")})
    assert made.status_code == 302, made.text
    campaign = db.session.execute(db.select(Campaign)).scalar_one()
    lead = lead_of(campaign)
    person = db.session.get(Participant, lead.participant_id)
    assert (campaign.questionnaire, lead.name, person.email, person.language) == ("dma", "Lee Lead",
                                                                                  "lead@example.org", "cy")
    assert "Its lead will be invited by email once it is open." in read(client, made.headers["Location"])

    staff = client.post("/console/campaigns/new", data={"csrf_token": token, **form_values(
        org, "user-satisfaction", lead_name="", lead_email="")})
    assert staff.status_code == 302
    assert count(Campaign) == 2 and count(MaturityContributor) == 1


def test_the_new_campaign_form_refuses_bad_leads(client, make_user, signer, csrf):
    org = make_org()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    token = csrf(read(client, "/console/campaigns/new"))
    cases = [
        (form_values(org, "dma"), ["Enter the lead's name", "Enter the lead's email address"]),
        (form_values(org, "dma", lead_name="Lee", lead_email="lead.example.org"),
         ["Enter the lead's email address in the correct format, like name@example.org"]),
        (form_values(org, "dma", lead_name="Lee", lead_email="Lee <lead@example.org>"),
         ["Enter the lead's email address in the correct format, like name@example.org"]),
        (form_values(org, "dma", lead_name="x" * 101, lead_email="lead@example.org"),
         ["The lead's name must be 100 characters or fewer"]),
        (form_values(org, "dma", lead_name="Lee", lead_email="a" * 250 + "@example.org"),
         ["The lead's email address must be 254 characters or fewer"]),
        (form_values(org, "dma", lead_name="Lee", lead_email="lead@example.org", lead_language="fr"),
         ["Select the language the lead prefers"]),
        (form_values(org, "user-satisfaction", lead_name="Lee", lead_email="lead@example.org"),
         ["Leave the lead's details blank: only an organisation return, such as the Digital Maturity "
          "Assessment, has a lead"]),
        (form_values(org, "sdma", lead_email="lead@example.org"),
         ["Leave the lead's details blank: only an organisation return, such as the Digital Maturity "
          "Assessment, has a lead"]),
    ]
    for values, messages in cases:
        response = client.post("/console/campaigns/new", data={"csrf_token": token, **values})
        assert response.status_code == 400, values
        text = html.unescape(response.text)
        assert "There is a problem" in text
        for message in messages:
            # in the error summary (linking to the field) and by the field itself
            assert text.count(message) == 2, (message, values)
    assert (count(Campaign), count(Participant), count(MaturityContributor)) == (0, 0, 0)


def test_the_new_campaign_form_in_welsh(client, make_user, signer, csrf):
    org = make_org()
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    client.get("/?lang=cy")
    token = csrf(read(client, "/console/campaigns/new"))
    response = client.post("/console/campaigns/new", data={"csrf_token": token, **form_values(org, "dma")})
    text = html.unescape(response.text)
    assert response.status_code == 400 and "Mae problem wedi codi" in text
    assert "Rhowch enw'r arweinydd" in text and "Rhowch gyfeiriad e-bost yr arweinydd" in text
    assert "Enw'r arweinydd" in text and "Yr iaith sy'n well gan yr arweinydd" in text
    assert count(Campaign) == 0
