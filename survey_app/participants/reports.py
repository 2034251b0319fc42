"""What an import or a withdrawal did, as data: the CLI prints it, a web page can show it.

Messages are translated when shown (lazy_gettext), in whatever language the reader uses.
No message ever contains an email address: rows are named by their line number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext, lazy_gettext as _l

#: why a row was refused -> the message (named placeholders filled from Rejection.params)
REASONS = {
    "no_email": _l("There is no email address."),
    "email_has_name": _l("Give the email address on its own, without a name or angle brackets."),
    "email_has_space": _l("The email address has a space in it."),
    "email_invalid": _l("This is not a valid email address."),
    "language": _l("Unknown language ‘%(value)s’: use en for English or cy for Welsh."),
    "formula": _l("The ‘%(column)s’ column starts with ‘%(char)s’, which a spreadsheet would run as a formula."),
    "too_long": _l("The ‘%(column)s’ column is longer than %(max)d characters."),
    "field_count": _l("This row has %(found)d values but the first line names %(expected)d columns."),
    "unstorable": _l("The ‘%(column)s’ column contains a control character (%(character)s), which cannot be "
                     "stored."),
}

#: problems with the whole file: nothing is imported
FILE_PROBLEMS = {
    "empty": _l("The file is empty."),
    "no_rows": _l("The file has a header line but no participants."),
    "utf16": _l("The file is saved as UTF-16. Save it as ‘CSV UTF-8’ and try again."),
    "encoding": _l("Line %(line)d is not UTF-8 text. Save the file as ‘CSV UTF-8’ and try again."),
    "csv": _l("Line %(line)d cannot be read as CSV."),
    "no_email_column": _l("The file has no ‘email’ column. Its first line must name the columns, "
                          "for example: email,language,location,role"),
    "no_header": _l("The first line holds an email address, not column names. Add a first line naming the "
                    "columns, for example: email,language,location,role"),
    "semicolons": _l("The file has no ‘email’ column. It seems to use semicolons: save it as "
                     "‘CSV UTF-8 (comma delimited)’ and try again."),
    "duplicate_column": _l("Columns %(first)d and %(second)d are both called ‘%(name)s’."),
    "too_many_columns": _l("The file has %(found)d columns; at most %(max)d are allowed."),
    "campaign_closed": _l("This campaign has closed: participants cannot be added."),
    "organisation_return": _l("This campaign is one return for the whole organisation (such as the Digital Maturity "
                              "Assessment): its contributors are named when it is set up or added by its lead, not "
                              "imported from a list."),
    "refused": _l("Nothing was imported, because the import was all or nothing and some rows were rejected."),
    "refused_withdrawal": _l("Nobody was withdrawn, because the withdrawal was all or nothing and some rows were "
                             "rejected."),
}


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _format(REASONS[self.reason], self.params)

    def __str__(self) -> str:
        return gettext("Line %(line)d: %(reason)s", line=self.line, reason=self.message)


@dataclass(frozen=True)
class Duplicate:
    line: int
    #: the earlier line of the same file with the same person, or None: already in the campaign
    first_line: int | None

    def __str__(self) -> str:
        if self.first_line is None:
            return gettext("Line %(line)d: already in this campaign.", line=self.line)
        return gettext("Line %(line)d: the same person as line %(first)d.", line=self.line, first=self.first_line)


def _format(lazy, params: dict[str, Any]) -> str:
    return str(lazy) % params if params else str(lazy)


class ParticipantFileError(ValueError):
    """The file as a whole cannot be used; nothing from it is kept (the caller rolls back)."""

    def __init__(self, problem: str, report: "ImportReport | WithdrawReport | None" = None, **params):
        self.problem = problem
        self.params = params
        self.report = report
        super().__init__(problem)

    @property
    def message(self) -> str:
        return _format(FILE_PROBLEMS[self.problem], self.params)

    def __str__(self) -> str:
        return self.message


@dataclass
class ImportReport:
    source: str
    added: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    #: data rows read (blank lines are not counted)
    rows: int = 0
    #: imported columns other than email and language, kept as attributes
    attribute_columns: list[str] = field(default_factory=list)

    @property
    def duplicates_in_file(self) -> int:
        return sum(1 for d in self.duplicates if d.first_line is not None)

    @property
    def duplicates_in_campaign(self) -> int:
        return sum(1 for d in self.duplicates if d.first_line is None)


@dataclass
class WithdrawReport:
    source: str
    withdrawn: int = 0
    already_withdrawn: int = 0
    #: lines whose address is not a participant of the campaign
    not_found: list[int] = field(default_factory=list)
    #: the same person listed again in the file
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0
