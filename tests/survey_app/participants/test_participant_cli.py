"""flask participants import|withdraw through the CLI runner: what is printed, exit codes."""
from __future__ import annotations

from datetime import date, datetime, timezone

from survey_app.extensions import db
from survey_app.models import Participant
from tests.factories import make_campaign


def scheduled():
    return make_campaign(opens=date(2030, 3, 4), now=datetime(2030, 1, 1, tzinfo=timezone.utc))


def count(campaign) -> int:
    db.session.expire_all()
    return len(db.session.execute(db.select(Participant).filter_by(campaign_id=campaign.id)).all())


def test_import_prints_counts_duplicates_and_rejections(app, runner, tmp_path):
    campaign = scheduled()
    path = tmp_path / "people.csv"
    path.write_bytes(b"email,language\nann@example.org,cy\nbob@example.org,xx\nann@example.org,\ncat@example.org,\n")
    result = runner.invoke(args=["participants", "import", str(campaign.id), str(path), "--show-duplicates"])
    assert result.exit_code == 2, result.output  # imported, with a rejected row
    assert result.output.splitlines() == [
        f"people.csv: 4 rows read for campaign {campaign.id} ({campaign.code}, user-satisfaction).",
        "Added: 2",
        "Duplicates skipped: 1 (1 repeated in the file, 0 already in the campaign)",
        "  Line 4: the same person as line 2.",
        "Rejected: 1",
        "  Line 3: Unknown language ‘xx’: use en for English or cy for Welsh.",
    ]
    assert "@" not in result.output  # addresses are never printed
    assert count(campaign) == 2
    again = runner.invoke(args=["participants", "import", str(campaign.id), str(path)])
    assert again.exit_code == 2 and "Added: 0" in again.output
    assert "Duplicates skipped: 3 (1 repeated in the file, 2 already in the campaign)" in again.output


def test_a_clean_import_exits_0(app, runner, tmp_path):
    campaign = scheduled()
    path = tmp_path / "people.csv"
    path.write_bytes(b"\xef\xbb\xbfemail\nann@example.org\n")
    result = runner.invoke(args=["participants", "import", str(campaign.id), str(path)])
    assert result.exit_code == 0 and "Added: 1" in result.output and "Rejected: 0" in result.output


def test_all_or_nothing_changes_nothing_and_exits_1(app, runner, tmp_path):
    campaign = scheduled()
    path = tmp_path / "people.csv"
    path.write_bytes(b"email\nann@example.org\nnot-an-address\nbob@example.org\n")
    result = runner.invoke(args=["participants", "import", str(campaign.id), str(path), "--all-or-nothing"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error in people.csv: Nothing was imported, because the import was all or nothing and some rows were "
        "rejected.",
        "Rejected rows: 1",
        "  Line 3: This is not a valid email address.",
    ]
    assert count(campaign) == 0


def test_a_bad_file_or_campaign_changes_nothing_and_exits_1(app, runner, tmp_path):
    campaign = scheduled()
    path = tmp_path / "latin1.csv"
    path.write_bytes("email,location\nann@example.org,Môn\n".encode("latin-1"))
    result = runner.invoke(args=["participants", "import", str(campaign.id), str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error in latin1.csv: Line 2 is not UTF-8 text. Save the file as ‘CSV UTF-8’ "
                                     "and try again.")
    unknown = runner.invoke(args=["participants", "import", "999999", str(path)])
    assert unknown.exit_code == 1
    assert "Error: no campaign has the id 999999 (see `flask campaign list`)." in unknown.output
    assert count(campaign) == 0


def test_withdraw_command(app, runner, tmp_path):
    campaign = scheduled()
    people = tmp_path / "people.csv"
    people.write_bytes(b"email\nann@example.org\nbob@example.org\n")
    assert runner.invoke(args=["participants", "import", str(campaign.id), str(people)]).exit_code == 0
    left = tmp_path / "left.csv"
    left.write_bytes(b"email\nbob@example.org\ndan@example.org\n")
    result = runner.invoke(args=["participants", "withdraw", str(campaign.id), str(left)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"left.csv: 2 rows read for campaign {campaign.id}.",
        "Withdrawn: 1", "Already withdrawn: 0", "Repeated in the file: 0", "Not in this campaign: 1",
        "  Line 3: not a participant of this campaign.", "Rejected: 0",
    ]
    db.session.expire_all()
    assert {p.email: p.status for p in db.session.execute(db.select(Participant)).scalars()} == {
        "ann@example.org": "active", "bob@example.org": "withdrawn"}


def test_a_control_character_is_reported_by_line_and_column(app, runner, tmp_path):
    """Issue 14 row 1, through the command: a NUL in a cell is a 500-class failure on
    PostgreSQL unless refused; the row is listed, the others imported."""
    campaign = scheduled()
    path = tmp_path / "people.csv"
    path.write_bytes(b"email,location\nann@example.org,Depot\nbob@example.org,Town\x00Hall\n")
    result = runner.invoke(args=["participants", "import", str(campaign.id), str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-2:] == [
        "Rejected: 1",
        "  Line 3: The ‘location’ column contains a control character (U+0000), which cannot be stored.",
    ]
    assert count(campaign) == 1
