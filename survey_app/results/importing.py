"""Importing responses collected another way (paper, another tool) from a CSV file.

The file is the wide table of `flask export` (one row per response, a column per item),
so an export can be loaded back; `flask responses template` writes an empty one. Every
cell is checked with the same rules as the web form (`questionnaires.answers.clean`), every
problem is reported with its line and column, and nothing is imported unless all is well.

Columns read: `response_id` (optional pseudonymous id; one is made up when empty),
`submitted_on` (the UK day, 2026-03-02; a date and time is taken as its UK day, and
`submitted_at` is read the same way; the import day when empty),
`language` (en or cy), `device_class` (mobile, tablet, desktop or empty) and one column per
item. The other columns of the wide table are checked against the campaign when filled in
(organisation_code, campaign_id, questionnaire, version, year, source) or must be empty
(dim_* columns from the participant list: an imported response has no participant).

Imported responses go straight into the submitted store (survey_app/submissions.py), in a
random order with random ids, each with its day only.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl.utils import get_column_letter

from questionnaires.answers import AnswerError, clean, decode

from ..extensions import db
from .. import submissions
from ..models import Campaign, SubmittedResponse
from ..models.response import DEVICE_CLASSES
from ..models.types import utcnow
from .text import FORMULA_START

LOCAL = ZoneInfo("Europe/London")
READ_COLUMNS = ["response_id", "submitted_on", "language", "device_class"]
#: read as before, not offered in the template: submitted_on's name in older exports
OLD_COLUMNS = ["submitted_at"]
CHECKED_COLUMNS = ["organisation_code", "campaign_id", "questionnaire", "version", "year", "source"]
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str
    column: str | None = None
    position: int | None = None  # 1-based column number

    def describe(self, filename: str) -> str:
        """FILE:LINE: column NAME (LETTER): message"""
        where = f"{filename}:{self.line}: "
        if self.column is not None:
            where += f"column {self.column} ({get_column_letter(self.position)}): "
        return where + self.message


class ResponseImportError(ValueError):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportedResponse:
    line: int
    public_id: str | None
    submitted_on: date | None
    language: str
    device_class: str | None
    answers: dict[str, str] = field(default_factory=dict)


def decode_file(data: bytes) -> str:
    """The text of an uploaded file: UTF-8, with or without a byte order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ResponseImportError([ImportProblem(line, "the file is not UTF-8 text: save it as "
                                                       "'CSV UTF-8' and try again")]) from None


def _unneutralise(value: str) -> str:
    """Take off the apostrophe an export puts before text a spreadsheet would run."""
    if value.startswith("'") and FORMULA_START.match(value[1:]):
        return value[1:]
    return value


def read_responses(campaign: Campaign, text: str, now: datetime | None = None) -> list[ImportedResponse]:
    """Every response in a CSV text, checked; raises ResponseImportError with every problem."""
    now = now or utcnow()
    questionnaire = campaign.questionnaire_version.parsed()
    items = {i.id: i for i in questionnaire.items}
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[ImportProblem] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ResponseImportError([ImportProblem(1, "the file is empty: it needs a header row naming the columns")])
    except csv.Error as exc:
        raise ResponseImportError([ImportProblem(1, f"the header row cannot be read as CSV: {exc}")]) from None
    header = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            problems.append(ImportProblem(1, f"the column {name!r} appears twice (also column "
                                             f"{get_column_letter(seen[name])})", name, position))
        seen.setdefault(name, position)
        if name not in items and name not in READ_COLUMNS + OLD_COLUMNS + CHECKED_COLUMNS and not name.startswith("dim_"):
            problems.append(ImportProblem(1, f"{name!r} is neither a question of '{questionnaire.id}' version "
                                             f"{questionnaire.version} nor a response column "
                                             f"({', '.join(READ_COLUMNS)})", name or "(empty)", position))
    if not any(name in items for name in header):
        problems.append(ImportProblem(1, "no column names a question of the questionnaire"))
        raise ResponseImportError(problems)
    # rows are still checked, so that one run reports everything; unknown and repeated
    # columns are left out of that
    usable = [i for i, name in enumerate(header) if seen[name] == i + 1 and
              (name in items or name in READ_COLUMNS + OLD_COLUMNS + CHECKED_COLUMNS or name.startswith("dim_"))]

    line = reader.line_num + 1
    expected = {"organisation_code": campaign.code, "campaign_id": str(campaign.id),
                "questionnaire": campaign.questionnaire, "version": questionnaire.version,
                "year": campaign.year_label}
    rows: list[ImportedResponse] = []
    ids: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ImportProblem(line, f"this line cannot be read as CSV: {exc}"))
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(ImportProblem(start, f"this row has {len(cells)} cells but the header has {len(header)}"))
            continue
        row = ImportedResponse(line=start, public_id=None, submitted_on=None, language="en", device_class=None)
        bad = len(problems)

        def problem(name, message):
            problems.append(ImportProblem(start, message, name, seen[name]))

        for index in usable:
            name, raw = header[index], _unneutralise(cells[index])
            value = raw.strip()
            if name in items:
                try:
                    stored = clean(items[name], raw)
                except AnswerError as exc:
                    problem(name, exc.message)
                else:
                    if stored is not None:
                        row.answers[name] = stored
            elif name == "response_id" and value:
                if not PUBLIC_ID.match(value):
                    problem(name, f"{value!r} is not a response id: up to 16 letters, digits, '-' or '_'")
                elif value in ids:
                    problem(name, f"{value!r} is already the id of the response on line {ids[value]}")
                else:
                    ids[value] = start
                    row.public_id = value
            elif name in ("submitted_on", "submitted_at") and value:
                row.submitted_on = _parse_day(value, now, lambda m: problem(name, m))
            elif name == "language" and value:
                if value.lower() not in ("en", "cy"):
                    problem(name, f"{value!r} is not a language: use en or cy")
                row.language = value.lower()
            elif name == "device_class" and value:
                if value.lower() not in DEVICE_CLASSES:
                    problem(name, f"{value!r} is not a device class: use {', '.join(DEVICE_CLASSES)} or leave it empty")
                row.device_class = value.lower()
            elif name in expected and value and value.upper() != expected[name].upper():
                problem(name, f"{value!r} does not match this campaign, whose {name} is {expected[name]!r}")
            elif name == "source" and value and value != "import":
                problem(name, f"{value!r}: imported responses are recorded with the source 'import'; "
                              "leave the column empty")
            elif name.startswith("dim_") and value:
                problem(name, "an imported response has no entry in the participant list, so this "
                              "column must be empty")
        if len(problems) == bad:
            _check_shown(questionnaire, row, problem)
        if len(problems) == bad and not row.answers:
            problems.append(ImportProblem(start, "this row has no answers"))
        rows.append(row)
    if ids:
        taken = db.session.execute(db.select(SubmittedResponse.public_id)
                                   .where(SubmittedResponse.public_id.in_(list(ids)))).scalars()
        for public_id in taken:
            problems.append(ImportProblem(ids[public_id], f"{public_id!r} is already the id of a stored response",
                                          "response_id", seen["response_id"]))
    if not rows and not problems:
        problems.append(ImportProblem(line, "the file has no responses below the header row"))
    if problems:
        raise ResponseImportError(sorted(problems, key=lambda p: (p.line, p.position or 0)))
    return rows


def _parse_day(value: str, now: datetime, problem) -> date | None:
    """The UK day of a date (2026-03-02) or a date and time (UK time when no offset is given)."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        problem(f"{value!r} is not a date: write it as 2026-03-02 (or a date and time, 2026-03-02T14:30:00Z)")
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=LOCAL)
    if when > now + timedelta(minutes=5) and when.astimezone(LOCAL).date() > now.astimezone(LOCAL).date():
        problem(f"{value} is in the future")
        return None
    return when.astimezone(LOCAL).date()


def _check_shown(questionnaire, row: ImportedResponse, problem) -> None:
    """An answer to a question the respondent would not have been shown is a mistake."""
    values = {k: decode(questionnaire.item(k), v) for k, v in row.answers.items()}
    for item_id in row.answers:
        item = questionnaire.item(item_id)
        if item.show_if and not questionnaire.visible(item, values):
            rule = item.show_if
            problem(item_id, f"answered, but this question is only asked when {rule.question} is "
                             f"{' or '.join(rule.values)}")


def import_responses(campaign: Campaign, rows: list[ImportedResponse], now: datetime | None = None) -> int:
    """Store checked responses in the submitted store, source 'import'. Flushes; returns
    how many."""
    today = submissions.uk_day(now or utcnow())
    submissions.store_imported(db.session, campaign.id, [
        {"public_id": row.public_id, "submitted_on": row.submitted_on or today, "language": row.language,
         "device_class": row.device_class, "answers": row.answers} for row in rows])
    db.session.flush()
    return len(rows)
