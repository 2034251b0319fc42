"""flask org / campaign / questionnaire commands, including their refusals."""
from __future__ import annotations

from datetime import date, datetime, timezone

from scoring.years import data_year
from survey_app.extensions import db
from survey_app.models import Campaign, Organisation, QuestionnaireVersion


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_org_create_prints_code_and_lists(runner):
    result = runner.invoke(args=["org", "create", "--type", "S", "--id", "17", "--name", "Example Council"])
    assert result.exit_code == 0, result.output
    yy = data_year(date.today()) % 100  # today's financial year: 26 from April 2026 to March 2027
    assert result.output.strip() == f"S{yy:02d}17"
    result = runner.invoke(args=["org", "create", "--type", "L", "--id", "31", "--name", "Partners", "--partnership"])
    assert result.output.strip() == f"L{yy:02d}31(P)"
    listing = runner.invoke(args=["org", "list"]).output
    assert f"S{yy:02d}17" in listing and "Example Council" in listing and f"L{yy:02d}31(P)" in listing


def test_org_create_refusals_create_nothing(runner):
    runner.invoke(args=["org", "create", "--type", "S", "--id", "17", "--name", "First"])
    cases = [
        (["--type", "S", "--id", "17", "--name", "Again"], "already used"),
        (["--type", "X", "--id", "5", "--name", "Bad type"], "Unknown organisation type 'X'"),
        (["--type", "E", "--id", "100", "--name", "Big id"], "01 to 99"),
        (["--type", "E", "--id", "5", "--name", "  "], "needs a name"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["org", "create", *args])
        assert result.exit_code == 1, args
        assert message in result.output
    assert count(Organisation) == 1


def test_welsh_organisations_default_to_bilingual(runner):
    runner.invoke(args=["org", "create", "--type", "W", "--id", "3", "--name", "Cyngor"])
    runner.invoke(args=["org", "create", "--type", "E", "--id", "4", "--name", "Council"])
    policies = dict(db.session.execute(db.select(Organisation.type_letter, Organisation.language_policy)).all())
    assert policies == {"W": "bilingual", "E": "english"}


def test_campaign_create_freezes_questionnaire(runner):
    code = runner.invoke(args=["org", "create", "--type", "W", "--id", "9", "--name", "Cyngor"]).output.strip()
    result = runner.invoke(args=["campaign", "create", "--org", code, "--questionnaire", "user-satisfaction",
                                 "--opens", "2026-03-02"])
    assert result.exit_code == 0, result.output
    campaign = db.session.get(Campaign, int(result.output.strip()))
    # 2 March 2026 is in the financial year from April 2025
    assert (campaign.year, campaign.year_kind, campaign.year_label) == (2025, "financial", "2025/26")
    assert campaign.code == "W2509"
    # four weeks from midnight UK time: GMT when it opens, BST (from 29 March) when it closes
    assert campaign.opens_at == datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc)
    assert campaign.closes_at == datetime(2026, 3, 29, 23, 0, tzinfo=timezone.utc)
    version = campaign.questionnaire_version
    assert version.questionnaire == "user-satisfaction" and len(version.content_hash) == 64
    assert version.parsed().id == "user-satisfaction"
    # a second campaign shares the frozen version
    result = runner.invoke(args=["campaign", "create", "--org", code, "--questionnaire", "user-satisfaction",
                                 "--opens", "2027-03-01", "--weeks", "6"])
    assert result.exit_code == 0
    assert count(QuestionnaireVersion) == 1
    listing = runner.invoke(args=["campaign", "list"]).output
    assert "W2509" in listing and "W2609" in listing and "2027-04-12" in listing


def test_campaign_create_refusals_create_nothing(runner):
    code = runner.invoke(args=["org", "create", "--type", "E", "--id", "2", "--name", "Council"]).output.strip()
    cases = [
        (["--org", "E9999", "--questionnaire", "user-satisfaction", "--opens", "2026-01-05"],
         "No organisation has the code 'E9999'"),
        (["--org", code, "--questionnaire", "no-such-thing", "--opens", "2026-01-05"],
         "Unknown questionnaire 'no-such-thing'"),
        (["--org", code, "--questionnaire", "sdma", "--opens", "2026-01-05", "--closes", "2026-01-01"],
         "would close (2026-01-01) before it opens (2026-01-05)"),
        (["--org", code, "--questionnaire", "sdma", "--opens", "5th January"], "is not a date written YYYY-MM-DD"),
        (["--org", code, "--questionnaire", "sdma", "--opens", "2026-01-05", "--weeks", "0"], "1 to 52 weeks"),
        (["--org", code, "--questionnaire", "sdma", "--opens", "2026-01-05", "--anonymity-threshold", "2"],
         "cannot be below 3"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["campaign", "create", *args])
        assert result.exit_code == 1, args
        assert message in result.output, result.output
    assert count(Campaign) == 0
    assert count(QuestionnaireVersion) == 0


def test_questionnaire_list_and_validate(runner, tmp_path, repo_root):
    listing = runner.invoke(args=["questionnaire", "list"])
    assert listing.exit_code == 0
    for name in ("user-satisfaction", "user-skills", "sdma"):
        assert name in listing.output
    good = runner.invoke(args=["questionnaire", "validate", str(repo_root / "questionnaires" / "sdma.yaml")])
    assert good.exit_code == 0 and "ok" in good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\ntitle: {en: Bad}\n")
    result = runner.invoke(args=["questionnaire", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: missing Welsh text (cy) in 'title' of the questionnaire" in result.output


def test_demo_seeds_once_and_prints_sign_in(runner, app):
    from survey_app.cli.demo_data import ORGANISATIONS
    from survey_app.models import User

    first = runner.invoke(args=["demo", "--seed"])
    assert first.exit_code == 0, first.output
    campaigns = count(Campaign)
    again = runner.invoke(args=["demo", "--seed"])
    assert again.exit_code == 0
    assert count(Campaign) == campaigns and count(Organisation) == len(ORGANISATIONS) and count(User) == 2
    assert "Admin sign-in:" in again.output and "/sign-in" in again.output
    app.config["ENV"] = "production"
    try:
        refused = runner.invoke(args=["demo", "--seed"])
    finally:
        app.config["ENV"] = "development"
    assert refused.exit_code == 1 and "not available in production" in refused.output


HUGE = "99999999999999999999"  # beyond PostgreSQL's integer


def test_text_options_refuse_what_cannot_be_stored(runner):
    """Issue 14 row 1 for the command line: argv cannot carry NUL, but it carries other
    control characters (stored as they were) and bytes that are not UTF-8 (lone
    surrogates, which neither database driver can encode: a traceback). Refused, with
    the option named, before anything is stored."""
    code = runner.invoke(args=["org", "create", "--type", "E", "--id", "2", "--name", "Council"]).output.strip()
    cases = [
        (["org", "create", "--type", "E", "--id", "3", "--name", "Coun\x01cil"], "'--name'", "control character U+0001"),
        (["org", "create", "--type", "E", "--id", "3", "--name", "Caf\udce9"], "'--name'",
         "lone surrogate U+DCE9 (from bytes that are not UTF-8)"),
        (["org", "create", "--type", "E\x1b", "--id", "3", "--name", "Council"], "'--type'", "control character U+001B"),
        (["campaign", "create", "--org", f"{code}\udcff", "--questionnaire", "sdma", "--opens", "2026-01-05"],
         "'--org'", "lone surrogate U+DCFF"),
        (["users", "create", "--email", "ann\udce9@example.org", "--role", "improve", "--password", "pw"],
         "'--email'", "lone surrogate U+DCE9"),
        (["users", "create", "--email", "ann@example.org", "--role", "improve", "--password", "p\x07w"],
         "'--password'", "control character U+0007"),
        (["participants", "link", "1", "ann\udce9@example.org"], "'EMAIL'", "lone surrogate U+DCE9"),
        (["export", "--questionnaire", "sdma\x01", "--year", "2026", "--format", "csv", "--out", "x"],
         "'--questionnaire'", "control character U+0001"),
        (["scores", "1", "--by", "role\udcff"], "'--by'", "lone surrogate U+DCFF"),
    ]
    for args, option, what in cases:
        result = runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output, result.exception)
        assert f"Invalid value for {option}: contains the {what}" in result.output, result.output
        assert "which cannot be stored" in result.output
    from survey_app.models import User

    assert count(Organisation) == 1 and count(User) == 0 and count(Campaign) == 0


def test_number_options_refuse_what_no_column_can_hold(runner):
    """Row 15's numbers on the command line: beyond PostgreSQL's integer, a campaign in a
    year no code can name, or a threshold no form allows: refused, nothing created."""
    code = runner.invoke(args=["org", "create", "--type", "E", "--id", "2", "--name", "Council"]).output.strip()
    campaign = ["campaign", "create", "--org", code, "--questionnaire", "sdma"]
    for args in (["export", "--questionnaire", "sdma", "--year", HUGE, "--format", "csv", "--out", "x"],
                 ["benchmark", "sdma", "--year", HUGE]):
        result = runner.invoke(args=args)
        assert result.exit_code == 2 and f"'{HUGE}' is not a data year" in result.output, result.output
    for args in (["scores", HUGE], ["participants", "import", HUGE, __file__],
                 ["responses", "import", HUGE, __file__], ["mail", "preview", HUGE],
                 [*campaign, "--opens", "2026-01-05", "--anonymity-threshold", HUGE],
                 ["org", "create", "--type", "E", "--id", HUGE, "--name", "Big"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output, result.exception)
        assert "is not in the range 0<=x<=2147483647" in result.output, result.output
    for args, message in (
            ([*campaign, "--opens", "2026-01-05", "--anonymity-threshold", "1001"], "cannot be above 1000"),
            ([*campaign, "--opens", "9999-12-31"], "A campaign opening on 9999-12-31 would belong to the data year "
                                                   "9999/00: data years run from 2000/01 to 2099/00"),
            ([*campaign, "--opens", "0001-01-01"], "would belong to the data year 0000/01"),
            ([*campaign, "--opens", "2000-03-31"], "would belong to the data year 1999/00"),
            ([*campaign, "--opens", "2100-04-01"], "would belong to the data year 2100/01")):
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and message in result.output, (args, result.output, result.exception)
    assert count(Campaign) == 0 and count(Organisation) == 1
    # a campaign shorter than three weeks gets the weekly reminders that fit in it
    assert runner.invoke(args=[*campaign, "--opens", "2026-01-05", "--weeks", "2"]).exit_code == 0
    assert db.session.execute(db.select(Campaign.reminder_days)).scalar_one() == [7]


# -- issue 15 part 7: an organisation's name in Welsh ----------------------------------------

def names() -> list[tuple[str, str | None]]:
    db.session.expire_all()
    return db.session.execute(db.select(Organisation.name, Organisation.name_cy).order_by(Organisation.id)).all()


def test_org_create_takes_a_welsh_name_and_lists_it(runner):
    yy = date.today().year % 100
    made = runner.invoke(args=["org", "create", "--type", "W", "--id", "7", "--name", "Example County Council",
                               "--name-cy", "  Cyngor Sir Enghreifftiol "])
    assert made.exit_code == 0, made.output
    assert made.output.strip() == f"W{yy:02d}07"
    runner.invoke(args=["org", "create", "--type", "E", "--id", "8", "--name", "English Council"])
    runner.invoke(args=["org", "create", "--type", "E", "--id", "9", "--name", "Blank", "--name-cy", "   "])
    assert names() == [("Example County Council", "Cyngor Sir Enghreifftiol"), ("English Council", None),
                       ("Blank", None)]
    listing = runner.invoke(args=["org", "list"]).output.splitlines()
    assert "name in Welsh" in listing[0]
    assert "Cyngor Sir Enghreifftiol" in next(line for line in listing if line.startswith(f"W{yy:02d}07"))


def test_org_rename_changes_either_name_or_both(runner):
    yy = date.today().year % 100
    runner.invoke(args=["org", "create", "--type", "W", "--id", "7", "--name", "Old Council"])
    welsh = runner.invoke(args=["org", "rename", "W2507", "--name-cy", "Cyngor Newydd"])  # a code of any year
    assert welsh.exit_code == 0, welsh.output
    assert welsh.output.strip() == f"W{yy:02d}07: Old Council; in Welsh: Cyngor Newydd"
    assert names() == [("Old Council", "Cyngor Newydd")]
    english = runner.invoke(args=["org", "rename", f"W{yy:02d}07", "--name", "New Council"])
    assert english.exit_code == 0 and names() == [("New Council", "Cyngor Newydd")]
    both = runner.invoke(args=["org", "rename", f"W{yy:02d}07", "--name", "Council", "--name-cy", "Cyngor"])
    assert both.exit_code == 0 and names() == [("Council", "Cyngor")]
    removed = runner.invoke(args=["org", "rename", f"W{yy:02d}07", "--name-cy", ""])
    assert removed.exit_code == 0 and names() == [("Council", None)]
    assert "in Welsh: none (the English name is shown in Welsh)" in removed.output


def test_welsh_name_refusals_change_nothing(runner):
    yy = date.today().year % 100
    code = f"W{yy:02d}07"
    runner.invoke(args=["org", "create", "--type", "W", "--id", "7", "--name", "Council", "--name-cy", "Cyngor"])
    exits_1 = [
        (["org", "create", "--type", "W", "--id", "8", "--name", "Other", "--name-cy", "C" * 201],
         "The organisation's name in Welsh must be 200 characters or fewer."),
        (["org", "rename", code, "--name-cy", "C" * 201], "The organisation's name in Welsh must be 200 characters"),
        # both names are checked before either changes
        (["org", "rename", code, "--name", "Renamed", "--name-cy", "C" * 201], "name in Welsh must be 200"),
        (["org", "rename", code, "--name", " "], "The organisation needs a name."),
        (["org", "rename", code], "Give a new name, a new name in Welsh, or both."),
        (["org", "rename", "W9999", "--name-cy", "Cyngor"], "No organisation has the code 'W9999'."),
    ]
    for args, message in exits_1:
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, result.output
    exits_2 = [
        (["org", "create", "--type", "W", "--id", "8", "--name", "Other", "--name-cy", "Cyng\x01or"],
         "Invalid value for '--name-cy': contains the control character U+0001"),
        (["org", "rename", code, "--name-cy", "Cyng\x1bor"],
         "Invalid value for '--name-cy': contains the control character U+001B"),
        (["org", "rename", code, "--name-cy", "Cyng\udce9or"],
         "Invalid value for '--name-cy': contains the lone surrogate U+DCE9"),
        (["org", "rename", f"{code}\x07", "--name-cy", "Cyngor"], "Invalid value for 'CODE'"),
    ]
    for args, message in exits_2:
        result = runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, result.output
    assert names() == [("Council", "Cyngor")]
    # the longest name allowed is stored whole
    assert runner.invoke(args=["org", "rename", code, "--name-cy", "C" * 200]).exit_code == 0
    assert names() == [("Council", "C" * 200)]
