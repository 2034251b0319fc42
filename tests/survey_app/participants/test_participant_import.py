"""Importing a participant CSV: counts, duplicates by email hash, every rejected row with
its line, whole-file problems, all-or-nothing, streaming (both databases)."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest

from survey_app.extensions import db
from survey_app.models import Participant
from survey_app.participants.csvfile import formula_start
from survey_app.participants.operations import import_participants
from survey_app.participants.reports import ParticipantFileError
from survey_app.privacy import email_hash
from tests.factories import make_campaign, make_participant


def run(app, campaign, data: bytes, **options):
    return import_participants(campaign, io.BytesIO(data), hash_key=app.config["EMAIL_HASH_KEY"],
                               source="people.csv", **options)


def stored(campaign) -> dict[str, Participant]:
    db.session.expire_all()
    rows = db.session.execute(db.select(Participant).filter_by(campaign_id=campaign.id)).scalars()
    return {p.email: p for p in rows}


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_good_file_with_or_without_a_byte_order_mark(app, bom):
    campaign = make_campaign()
    data = bom + ("email,Language,Location,Role,Working mode,Department,Pay band\r\n"
                  "ann@example.org,cy,Head office,Manager,hybrid,Finance,\r\n"
                  "\r\n"
                  "Bob.Jones@Example.ORG,English,,Support,,,B\r\n"
                  "cara@bücher.example,,Depot,,,,\r\n").encode("utf-8")
    report = run(app, campaign, data)
    db.session.commit()
    assert (report.added, report.rows, report.duplicates, report.rejected) == (3, 3, [], [])
    assert report.attribute_columns == ["location", "role", "working_mode", "department", "pay_band"]
    people = stored(campaign)
    ann = people["ann@example.org"]
    assert ann.language == "cy" and ann.status == "active"
    assert ann.attributes == {"location": "Head office", "role": "Manager", "working_mode": "hybrid",
                              "department": "Finance"}
    bob = people["Bob.Jones@example.org"]  # the domain as email-validator normalises it
    assert bob.language == "en" and bob.attributes == {"role": "Support", "pay_band": "B"}
    assert bob.email_hash == email_hash("bob.jones@example.org", app.config["EMAIL_HASH_KEY"])
    assert people["cara@xn--bcher-kva.example"].language is None  # a domain that can be sent to


def test_duplicates_in_the_file_and_in_the_campaign_are_reported_by_line(app):
    campaign = make_campaign()
    make_participant(campaign, email="already@example.org")
    data = (b"email\nann@example.org\nANN@example.org\nalready@example.org\n"
            b"bob@example.org\n  ann@example.org  \n")
    report = run(app, campaign, data, batch_size=2)  # duplicates across batch boundaries too
    db.session.commit()
    assert report.added == 2
    assert [(d.line, d.first_line) for d in report.duplicates] == [(3, 2), (4, None), (6, 2)]
    assert (report.duplicates_in_file, report.duplicates_in_campaign) == (2, 1)
    assert [str(d) for d in report.duplicates] == [
        "Line 3: the same person as line 2.", "Line 4: already in this campaign.",
        "Line 6: the same person as line 2."]
    assert sorted(stored(campaign)) == ["already@example.org", "ann@example.org", "bob@example.org"]
    again = run(app, campaign, data)
    assert again.added == 0 and again.duplicates_in_campaign == 3


def test_bad_rows_are_rejected_with_their_line_and_the_rest_imported(app):
    campaign = make_campaign()
    data = ("email,language,role\n"
            "good@example.org,en,Manager\n"       # 2
            "not-an-address,en,\n"                # 3
            "Ann <ann@example.org>,,\n"           # 4
            "two words@example.org,,\n"           # 5
            "fr@example.org,fr,\n"                # 6
            ",cy,Manager\n"                       # 7
            "cmd@example.org,,=cmd|' /C calc'!A0\n"  # 8
            "=HYPERLINK(\"http://x\")@example.org,,\n"  # 9
            "extra@example.org,en,Manager,oops\n"  # 10
            "short@example.org\n"                 # 11
            "\"multi\nline@example.org\",,\n"     # 12-13
            f"long@example.org,,{'x' * 201}\n"    # 14
            "good2@example.org,cy,\"Manager, deputy\"\n"  # 15
            ).encode()
    report = run(app, campaign, data)
    db.session.commit()
    assert report.added == 2 and report.rows == 13
    assert [(r.line, str(r)) for r in report.rejected] == [
        (3, "Line 3: This is not a valid email address."),
        (4, "Line 4: Give the email address on its own, without a name or angle brackets."),
        (5, "Line 5: The email address has a space in it."),
        (6, "Line 6: Unknown language ‘fr’: use en for English or cy for Welsh."),
        (7, "Line 7: There is no email address."),
        (8, "Line 8: The ‘role’ column starts with ‘=’, which a spreadsheet would run as a formula."),
        (9, "Line 9: The ‘email’ column starts with ‘=’, which a spreadsheet would run as a formula."),
        (10, "Line 10: This row has 4 values but the first line names 3 columns."),
        (11, "Line 11: This row has 1 values but the first line names 3 columns."),
        (12, "Line 12: The email address has a space in it."),
        (14, "Line 14: The ‘role’ column is longer than 200 characters."),
    ]
    assert sorted(stored(campaign)) == ["good2@example.org", "good@example.org"]
    assert stored(campaign)["good2@example.org"].attributes == {"role": "Manager, deputy"}


@pytest.mark.parametrize("value, start", [
    ("=1+1", "="), ("+cmd|' /C calc'!A0", "+"), ("-2+3", "-"), ("@SUM(A1)", "@"), ("- Team A", "-"),
    ("+44 20 7946 0000", None), ("-5", None), ("-", None), ("Finance", None), ("", None), ("(+1) 555", None),
])
def test_formula_looking_cells(value, start):
    assert formula_start(value) == start


def test_all_or_nothing_imports_nothing_when_a_row_is_rejected(app):
    campaign = make_campaign()
    data = b"email\nann@example.org\nbob@example.org\nnot-an-address\ncat@example.org\nalso bad\n"
    with pytest.raises(ParticipantFileError) as caught:
        run(app, campaign, data, all_or_nothing=True, batch_size=1)
    db.session.rollback()  # as the CLI and any view do after an error
    error = caught.value
    assert error.message == ("Nothing was imported, because the import was all or nothing and some rows "
                             "were rejected.")
    assert [r.line for r in error.report.rejected] == [4, 6]
    assert stored(campaign) == {}
    # the same file without the option keeps the good rows
    assert run(app, campaign, data).added == 3


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"\n\n", "The file is empty."),
    (b"email,language\n", "The file has a header line but no participants."),
    (b"email\n\n,\n", "The file has a header line but no participants."),
    (b"name,role\nann@example.org,Manager\n",
     "The file has no ‘email’ column. Its first line must name the columns, for example: "
     "email,language,location,role"),
    (b"ann@example.org,cy\nbob@example.org,en\n",
     "The first line holds an email address, not column names. Add a first line naming the columns, for example: "
     "email,language,location,role"),
    (b"email;language\nann@example.org;en\n",
     "The file has no ‘email’ column. It seems to use semicolons: save it as ‘CSV UTF-8 (comma delimited)’ "
     "and try again."),
    (b"email,role,Role\nann@example.org,a,b\n", "Columns 2 and 3 are both called ‘role’."),
    ("email,location\nann@example.org,Caerdydd\nbob@example.org,Ynys Môn\n".encode("latin-1"),
     "Line 3 is not UTF-8 text. Save the file as ‘CSV UTF-8’ and try again."),
    ("email\nann@example.org\n".encode("utf-16"), "The file is saved as UTF-16. Save it as ‘CSV UTF-8’ and try again."),
    # UTF-16 without a byte-order mark: NULs before the header (one in a row: test_control_characters...)
    ("email\nann@example.org\n".encode("utf-16-le"),
     "Line 1 is not UTF-8 text. Save the file as ‘CSV UTF-8’ and try again."),
    (b'email\nann@example.org\n"unclosed\n' + b"x" * 140_000 + b"\n", "Line 3 cannot be read as CSV."),
    (("," * 60 + "email\n").encode(), "The file has 61 columns; at most 50 are allowed."),
])
def test_problems_with_the_whole_file_change_nothing(app, data, message):
    campaign = make_campaign()
    with pytest.raises(ParticipantFileError) as caught:
        run(app, campaign, data)
    db.session.rollback()
    assert caught.value.message == message
    assert stored(campaign) == {}


def test_a_closed_campaign_takes_no_one(app):
    campaign = make_campaign(opens=datetime(2020, 1, 6).date())
    assert campaign.status == "closed"
    with pytest.raises(ParticipantFileError, match="This campaign has closed"):
        run(app, campaign, b"email\nann@example.org\n")


def test_the_file_is_read_as_a_stream(app):
    """Rows are imported batch by batch while the file is read, never read whole first."""

    class CountingStream(io.BytesIO):
        def __init__(self, data):
            super().__init__(data)
            self.lines_read = 0

        def __next__(self):
            self.lines_read += 1
            return super().__next__()

    campaign = make_campaign()
    rows = 5000
    stream = CountingStream(b"email\n" + b"".join(b"p%d@example.org\n" % i for i in range(rows)))
    seen_at_inserts = []

    from survey_app.participants import operations

    original = operations._insert

    def spy(campaign, batch, now, report):
        seen_at_inserts.append(stream.lines_read)
        original(campaign, batch, now, report)

    operations._insert = spy
    try:
        report = import_participants(campaign, stream, hash_key=app.config["EMAIL_HASH_KEY"], batch_size=1000)
    finally:
        operations._insert = original
    db.session.commit()
    assert report.added == rows
    # each batch went to the database when only its own lines had been read
    assert seen_at_inserts[:3] == [1001, 2001, 3001]


def test_created_at_is_the_time_given(app):
    campaign = make_campaign(opens=date(2030, 3, 4), now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    when = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)
    run(app, campaign, b"email\nann@example.org\n", now=when)
    db.session.commit()
    assert stored(campaign)["ann@example.org"].created_at == when


def test_an_address_in_the_wrong_column_is_never_repeated(app):
    campaign = make_campaign()
    report = run(app, campaign, b"email,language\nann@example.org,bob@example.org\n")
    assert [str(r) for r in report.rejected] == ["Line 2: Unknown language ‘[address]’: use en for English or cy for "
                                                 "Welsh."]


CONTROL_ROWS = ("email,language,role,\n"
                "good@example.org,en,Manager,\n"             # 2
                "nul@example.org,en,Man\x00ager,\n"          # 3: PostgreSQL's text cannot hold it
                "esc@example.org,cy\x1b,,\n"                 # 4
                "bell\x07@example.org,,,\n"                  # 5
                "tab@example.org,,Head\toffice,\n"           # 6: a tab is text
                "vt@example.org,,\"Line\x0bbreak\",\n"       # 7
                "unnamed@example.org,,,ignored\x00\n"        # 8: an unnamed column is never stored
                "cr@example.org,,\"Two\r\nlines\",\n"        # 9-10
                ).encode()
CONTROL_REJECTIONS = [
    "Line 3: The ‘role’ column contains a control character (U+0000), which cannot be stored.",
    "Line 4: The ‘language’ column contains a control character (U+001B), which cannot be stored.",
    "Line 5: The ‘email’ column contains a control character (U+0007), which cannot be stored.",
    "Line 7: The ‘role’ column contains a control character (U+000B), which cannot be stored.",
]


def test_control_characters_in_a_row_are_rejected_with_its_line_and_column(app):
    """Issue 14 row 1: a NUL after the header was refused as 'not UTF-8' for the whole
    file, other control characters were stored. Now each such row is rejected like any
    bad row, on both databases, and the rest imported."""
    campaign = make_campaign()
    report = run(app, campaign, CONTROL_ROWS)
    db.session.commit()
    assert [str(r) for r in report.rejected] == CONTROL_REJECTIONS
    people = stored(campaign)
    assert sorted(people) == ["cr@example.org", "good@example.org", "tab@example.org", "unnamed@example.org"]
    assert people["tab@example.org"].attributes == {"role": "Head\toffice"}
    assert people["cr@example.org"].attributes == {"role": "Two\r\nlines"}
    with pytest.raises(ParticipantFileError) as caught:
        run(app, make_campaign(), CONTROL_ROWS, all_or_nothing=True)
    db.session.rollback()
    assert [str(r) for r in caught.value.report.rejected] == CONTROL_REJECTIONS
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 4


def test_control_characters_in_a_withdrawal_are_rejected_with_their_line(app):
    from survey_app.participants.operations import withdraw_participants

    campaign = make_campaign()
    run(app, campaign, b"email\nann@example.org\nbob@example.org\n")
    db.session.commit()
    report = withdraw_participants(campaign, io.BytesIO(b"email\nann@example.org\x00\nbob@example.org\n"),
                                   hash_key=app.config["EMAIL_HASH_KEY"])
    db.session.commit()
    assert [str(r) for r in report.rejected] == [
        "Line 2: The ‘email’ column contains a control character (U+0000), which cannot be stored."]
    assert {p.email: p.status for p in stored(campaign).values()} == {
        "ann@example.org": "active", "bob@example.org": "withdrawn"}
