"""Setting up a Digital Maturity Assessment from the command line: the lead named with
the campaign (required for an organisation return, refused for a staff survey), no
participant list imported into one, and flask dma contributors|add-contributor."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from survey_app.extensions import db
from survey_app.models import Campaign, MaturityContributor, Participant
from survey_app.privacy import email_hash
from tests.factories import make_campaign, make_org
from tests.return_setup import add_contributors, lead_of, make_return_campaign, submit


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def create(runner, code: str, *extra: str):
    return runner.invoke(args=["campaign", "create", "--org", code, "--opens", date.today().isoformat(), *extra])


def test_a_dma_campaign_is_created_with_its_lead(runner):
    org = make_org(type_letter="W", number=12)
    result = create(runner, org.code_for(2026), "--questionnaire", "dma", "--lead-email", " Lead@Example.org ",
                    "--lead-name", "Lee Lead, Digital team", "--lead-language", "cy")
    assert result.exit_code == 0, result.output
    campaign = db.session.get(Campaign, int(result.output.strip()))
    assert campaign.questionnaire == "dma"
    lead = lead_of(campaign)
    person = db.session.get(Participant, lead.participant_id)
    assert (lead.name, lead.is_lead, lead.added_by_id) == ("Lee Lead, Digital team", True, None)
    # the address as mail is sent to it (domain lower-cased), hashed like any participant's
    assert (person.email, person.language, person.status) == ("Lead@example.org", "cy", "active")
    assert person.email_hash == email_hash("lead@example.org", current_app.config["EMAIL_HASH_KEY"])


def test_refusals_create_nothing(runner):
    org = make_org(type_letter="E", number=14)
    code = org.code_for(2026)
    cases = [
        (["--questionnaire", "dma"],
         "Questionnaire 'dma' is one return per organisation: name its lead (the lead's email address and name)."),
        (["--questionnaire", "dma", "--lead-email", "lead@example.org"],
         "The lead needs both an email address and a name."),
        (["--questionnaire", "dma", "--lead-name", "Lee Lead", "--lead-language", "en"],
         "The lead needs both an email address and a name."),
        (["--questionnaire", "dma", "--lead-email", "lead at example.org", "--lead-name", "Lee"],
         "The lead cannot be named: 'lead at example.org' is not an email address that mail can be sent to."),
        (["--questionnaire", "dma", "--lead-email", "lead@example.org", "--lead-name", "x" * 101],
         "The lead cannot be named: a name of 1 to 100 characters is needed."),
        (["--questionnaire", "user-satisfaction", "--lead-email", "lead@example.org", "--lead-name", "Lee"],
         "Questionnaire 'user-satisfaction' is a staff survey, which has no lead: only an organisation return "
         "(such as the Digital Maturity Assessment) names one."),
        (["--questionnaire", "sdma", "--lead-language", "cy"], "is a staff survey, which has no lead"),
    ]
    for args, message in cases:
        result = create(runner, code, *args)
        assert result.exit_code == 1, args
        assert message in result.output, (args, result.output)
    assert (count(Campaign), count(Participant), count(MaturityContributor)) == (0, 0, 0)
    # a staff survey without a lead is created as before
    assert create(runner, code, "--questionnaire", "user-satisfaction").exit_code == 0
    assert (count(Campaign), count(Participant)) == (1, 0)


def test_no_participant_list_is_imported_into_an_organisation_return(runner, tmp_path):
    campaign = make_return_campaign()
    people = tmp_path / "people.csv"
    people.write_text("email,language\nann@example.org,en\nbob@example.org,cy\n", encoding="utf-8")
    result = runner.invoke(args=["participants", "import", str(campaign.id), str(people)])
    assert result.exit_code == 1
    assert ("Error in people.csv: This campaign is one return for the whole organisation (such as the Digital "
            "Maturity Assessment): its contributors are named when it is set up or added by its lead, not "
            "imported from a list.") in result.output
    assert count(Participant) == 1  # the lead alone
    # a staff campaign still takes the same file
    staff = make_campaign()
    assert runner.invoke(args=["participants", "import", str(staff.id), str(people)]).exit_code == 0
    assert count(Participant) == 3


def test_contributors_are_listed_by_name_and_role_without_addresses(runner):
    campaign = make_return_campaign()
    add_contributors(campaign, ("sam@example.org", "Sam Jones", None), ("ann@example.org", "Ann Data", "cy"))
    result = runner.invoke(args=["dma", "contributors", str(campaign.id)])
    assert result.exit_code == 0, result.output
    rows = [[cell.strip() for cell in line.split("  ") if cell.strip()] for line in result.output.splitlines()]
    # the lead first, then in the order added; nobody is invited before the scheduler runs
    assert rows[0] == ["name", "role", "invitation"]
    assert rows[2:] == [["Lee Lead, Digital team", "lead", "not yet sent"],
                        ["Sam Jones", "contributor", "not yet sent"],
                        ["Ann Data", "contributor", "not yet sent"]]
    assert "@" not in result.output


def test_the_improve_team_adds_a_contributor(runner):
    campaign = make_return_campaign()
    result = runner.invoke(args=["dma", "add-contributor", str(campaign.id), "--email", "new@example.org",
                                 "--name", "  Nia Newydd ", "--language", "cy"])
    assert result.exit_code == 0, result.output
    assert f"Added Nia Newydd to campaign {campaign.id}" in result.output and "@" not in result.output
    added = db.session.execute(db.select(MaturityContributor).filter_by(name="Nia Newydd")).scalar_one()
    person = db.session.get(Participant, added.participant_id)
    assert (added.is_lead, added.campaign_id, person.email, person.language) == (False, campaign.id,
                                                                                 "new@example.org", "cy")


def test_adding_a_contributor_is_refused_clearly(runner):
    campaign = make_return_campaign()
    staff = make_campaign()
    closed = make_return_campaign(opens=date.today() - timedelta(weeks=6))  # four weeks: closed two ago
    submitted = make_return_campaign()
    submit(submitted, lead_of(submitted), lead_of(submitted).added_at)
    before = count(Participant)
    cases = [
        ([campaign.id, "--email", "lead@example.org", "--name", "Again"],
         "the contributor cannot be added: that address is already a contributor to this campaign."),
        ([campaign.id, "--email", "not-an-address", "--name", "Someone"],
         "'not-an-address' is not an email address that mail can be sent to."),
        ([campaign.id, "--email", "x@example.org", "--name", "   "], "a name of 1 to 100 characters is needed."),
        ([staff.id, "--email", "x@example.org", "--name", "X"],
         f"campaign {staff.id} is a staff survey (user-satisfaction): it has participants"),
        ([closed.id, "--email", "x@example.org", "--name", "X"], f"campaign {closed.id} has closed"),
        ([submitted.id, "--email", "x@example.org", "--name", "X"],
         f"the return of campaign {submitted.id} has been submitted: contributors cannot be added."),
        ([999999, "--email", "x@example.org", "--name", "X"], "no campaign has the id 999999"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["dma", "add-contributor", *map(str, args)])
        assert result.exit_code == 1, args
        assert "Error: " in result.output and message in result.output, (args, result.output)
    assert count(Participant) == before
    listing = runner.invoke(args=["dma", "contributors", str(staff.id)])
    assert listing.exit_code == 1 and "is a staff survey" in listing.output


def test_mail_preview_shows_the_lead_and_the_contributor_wording(runner):
    campaign = make_return_campaign()
    lead = runner.invoke(args=["mail", "preview", str(campaign.id), "--lead", "--language", "en"])
    assert lead.exit_code == 0, lead.output
    assert lead.output.startswith("Subject: You are the lead for the Digital Maturity Assessment")
    assert "you have been named the lead for its return" in lead.output
    contributor = runner.invoke(args=["mail", "preview", str(campaign.id), "--kind", "reminder", "--language", "cy"])
    assert contributor.exit_code == 0, contributor.output
    assert contributor.output.startswith("Subject: Nodyn atgoffa: Asesiad Aeddfedrwydd Digidol")
    assert "Bydd unrhyw atebion y gallwch eu rhoi o hyd yn help" in contributor.output
