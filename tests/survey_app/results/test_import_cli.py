"""flask responses import: every bad cell reported by line and column, all or nothing."""
from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_campaign
from survey_app.extensions import db
from survey_app.models import Participant, SubmittedAnswer, SubmittedResponse


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def write(tmp_path, text, name="responses.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_imports_submitted_responses_without_participants(runner, app, tmp_path):
    """Straight into the submitted store, each with its UK day. The column is
    submitted_on now; an older file's submitted_at (a date and time) is still read, as
    its UK day."""
    campaign = make_campaign(questionnaire_id="user-skills")
    path = write(tmp_path,
                 "response_id,submitted_at,language,device_class,device,K1,security_training,"
                 "security_training_reason,training_wanted,comments\n"
                 "paper-001,2026-03-03T23:15:00Z,cy,,laptop,5,no,no_time,safe_legal;foundation,Diolch yn fawr\n"
                 ",2026-03-04 00:30,en,tablet,tablet,not_applicable,yes,,,\n")
    result = runner.invoke(args=["responses", "import", str(campaign.id), path])
    assert result.exit_code == 0, result.output
    assert f"Imported 2 response(s) into campaign {campaign.id} ({campaign.code})." in result.output
    first, second = db.session.execute(db.select(SubmittedResponse).order_by(SubmittedResponse.submitted_on)
                                       ).scalars()
    assert first.public_id == "paper-001" and len(second.public_id) == 16
    for r in (first, second):
        assert (r.source, r.campaign_id, r.attributes) == ("import", campaign.id, {})
    assert first.submitted_on == date(2026, 3, 3) and first.language == "cy"  # 23:15 GMT: still the 3rd
    assert second.submitted_on == date(2026, 3, 4)  # UK time, GMT in March
    assert second.device_class == "tablet"
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 0
    assert first.answer_map() == {"device": "laptop", "K1": "5", "security_training": "no",
                                  "security_training_reason": "no_time", "training_wanted": '["foundation", "safe_legal"]',
                                  "comments": "Diolch yn fawr"}
    assert second.answer_map() == {"device": "tablet", "K1": "not_applicable", "security_training": "yes"}


def test_every_bad_cell_is_reported_and_nothing_is_imported(runner, app, tmp_path):
    campaign = make_campaign(questionnaire_id="user-skills")
    path = write(tmp_path,
                 "response_id,submitted_on,language,device,K1,security_training,security_training_reason,shoe_size\n"
                 "a1,2026-03-03T10:00:00Z,en,laptop,5,yes,,\n"
                 "a1,next tuesday,fr,phone,6,maybe,,\n"
                 "a3,,en,laptop,3,yes,no_time,\n"
                 "a4,2999-01-01T00:00:00Z,en,,,,,\n"
                 "a5,,en\n")
    result = runner.invoke(args=["responses", "import", str(campaign.id), path])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(path)]
    problems = [line[len(path) + 1:] for line in lines]
    assert problems == [
        "1: column shoe_size (H): 'shoe_size' is neither a question of 'user-skills' version 2026.1 nor a "
        "response column (response_id, submitted_on, language, device_class)",
        "3: column response_id (A): 'a1' is already the id of the response on line 2",
        "3: column submitted_on (B): 'next tuesday' is not a date: write it as 2026-03-02 (or a date and time, "
        "2026-03-02T14:30:00Z)",
        "3: column language (C): 'fr' is not a language: use en or cy",
        "3: column device (D): 'phone' is not one of the options (desktop, laptop, tablet, smartphone, "
        "thin_client, other)",
        "3: column K1 (E): 6 is not on the scale 1 to 5",
        "3: column security_training (F): 'maybe' is not yes or no",
        "4: column security_training_reason (G): answered, but this question is only asked when "
        "security_training is no",
        "5: column submitted_on (B): 2999-01-01T00:00:00Z is in the future",
        "6: this row has 3 cells but the header has 8",
    ]
    assert "Error: 10 problem(s)" in result.output and "nothing was imported" in result.output
    assert count(SubmittedResponse) == 0 and count(SubmittedAnswer) == 0


def test_control_characters_are_reported_by_line_and_column(runner, app, tmp_path):
    """Issue 14 row 1: a NUL in a comment was a DataError on PostgreSQL. Now every cell
    with a control character is reported, FILE:LINE: column NAME (LETTER), and nothing
    is imported, on both databases; tabs and line breaks stay ordinary text."""
    campaign = make_campaign()
    path = write(tmp_path,
                 "response_id,overall,comments\n"
                 "r1,5,\"Faster laptops\ttoo,\r\nplease\"\n"   # 2-3: fine
                 "r2,5,Nul\x00here\n"                             # 4
                 "r3,5\x1b,fine\n"                                # 5
                 "r4,4,\"bell\x07\nand more\"\n")              # 6-7
    result = runner.invoke(args=["responses", "import", str(campaign.id), path])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith(path)] == [
        f"{path}:4: column comments (C): the answer contains the control character U+0000, which cannot be "
        "stored: remove it",
        f"{path}:5: column overall (B): the answer contains the control character U+001B, which cannot be "
        "stored: remove it",
        f"{path}:6: column comments (C): the answer contains the control character U+0007, which cannot be "
        "stored: remove it",
    ]
    assert "Error: 3 problem(s)" in result.output and count(SubmittedResponse) == 0 and count(SubmittedAnswer) == 0


def test_checks_against_the_campaign_and_stored_ids(runner, app, tmp_path, make_response):
    campaign = make_campaign(questionnaire_id="sdma")
    make_response(campaign, {"D1": "3"}, public_id="taken")
    path = write(tmp_path,
                 "response_id,organisation_code,campaign_id,year,source,dim_location,D1\n"
                 f"taken,{campaign.code},{campaign.id},{campaign.year_label},import,,2\n"
                 f"new1,X9999,{campaign.id + 1},1999,web,Depot,2\n")
    result = runner.invoke(args=["responses", "import", str(campaign.id), path])
    assert result.exit_code == 1
    out = result.output
    assert ":2: column response_id (A): 'taken' is already the id of a stored response" in out
    assert f":3: column organisation_code (B): 'X9999' does not match this campaign, whose organisation_code is '{campaign.code}'" in out
    assert ":3: column campaign_id (C):" in out
    # the year as the export writes it (2026/27) is this campaign's; a bare number is not
    assert f":3: column year (D): '1999' does not match this campaign, whose year is '{campaign.year_label}'" in out
    assert ":2: column year" not in out
    assert ":3: column source (E): 'web': imported responses are recorded with the source 'import'" in out
    assert ":3: column dim_location (F): an imported response has no entry in the participant list" in out
    assert count(SubmittedResponse) == 1


@pytest.mark.parametrize("content, message", [
    (b"", ":1: the file is empty"),
    (b"response_id,language\n", ":1: no column names a question of the questionnaire"),
    (b"response_id,overall\n", ":2: the file has no responses below the header row"),
    (b"overall,comments\n5,caf\xe9\n", ":2: the file is not UTF-8 text"),
    (b"overall,overall\n5,6\n", ":1: column overall (B): the column 'overall' appears twice (also column A)"),
])
def test_unusable_files(runner, app, tmp_path, content, message):
    campaign = make_campaign()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["responses", "import", str(campaign.id), str(path)])
    assert result.exit_code == 1 and message in result.output, result.output
    assert count(SubmittedResponse) == 0


def test_check_only_and_template(runner, app, tmp_path):
    campaign = make_campaign()
    template = runner.invoke(args=["responses", "template", str(campaign.id)]).output
    header = template.strip().split(",")
    assert header[:4] == ["response_id", "submitted_on", "language", "device_class"]
    assert header[4:8] == ["device", "location", "role", "working_mode"] and header[-1] == "comments"
    path = write(tmp_path, "\ufeff" + template.strip() + "\n" + ",,,," + "laptop" + "," * (len(header) - 5) + "\n")
    result = runner.invoke(args=["responses", "import", str(campaign.id), path, "--check"])
    assert result.exit_code == 0, result.output
    assert "1 response(s) checked with no problems; nothing imported (--check)." in result.output
    assert count(SubmittedResponse) == 0
    assert runner.invoke(args=["responses", "import", "999999", path]).exit_code == 1
