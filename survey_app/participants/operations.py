"""Importing and withdrawing participants. Operations flush, never commit.

Both read the CSV as a stream (csvfile.py) and write in batches, so a 100,000-row file
never sits in memory; what is kept per row is the 32-byte email hash and its line number,
to report the same person twice in one file.

Deduplication is by email hash only (DESIGN.md "participant"). The database enforces it:
rows go in with INSERT ... ON CONFLICT DO NOTHING against the unique
(campaign_id, email_hash) constraint, so two imports at once cannot create a duplicate;
on PostgreSQL the campaign row is also locked for the import, so two overlapping imports
take turns instead of deadlocking on each other's rows.

Errors: a problem with the whole file raises ParticipantFileError, and so does an
all-or-nothing import with a rejected row; the caller rolls back, as after any exception.
Otherwise a report says what happened, row by row, and the caller commits.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import BinaryIO

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from mailer.transport import scrub_addresses
from questionnaires.characters import code_point, unstorable_character
from sqlalchemy import select, update

from ..extensions import db
from ..models import Campaign, OutboxMessage, Participant
from ..models.dialect import insert_ignoring_conflicts
from ..models.types import UTCDateTime, utcnow
from ..privacy import email_hash
from .csvfile import MAX_VALUE_LENGTH, CsvRows, formula_start
from .reports import Duplicate, ImportReport, ParticipantFileError, Rejection, WithdrawReport

LANGUAGE_WORDS = {"en": "en", "english": "en", "saesneg": "en", "cy": "cy", "welsh": "cy", "cymraeg": "cy"}
BATCH_SIZE = 5000
#: the everyday address (a dot-atom at a plain ASCII domain) that email-validator accepts
#: and writes back unchanged but for the domain in lower case: checked by this expression
#: at a twentieth of the cost (tests/survey_app/participants compare the two). Anything
#: else (quotes, Unicode, punycode, a numeric top-level domain...) goes to email-validator.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"({_ATEXT}(?:\.{_ATEXT})*)@((?:{_LABEL}\.)+([A-Za-z]{{2,63}}))")
_SPECIAL_USE = frozenset(SPECIAL_USE_DOMAIN_NAMES)


def check_email(value: str) -> tuple[str | None, str | None]:
    """(address to send to, None) or (None, the reason code): validates with
    email-validator, without looking the domain up. Addresses needing SMTPUTF8 are
    refused (not every mail server takes them); an internationalised domain is kept in
    its ASCII form so that it can be sent to."""
    value = value.strip()
    if not value:
        return None, "no_email"
    if formula_start(value):
        return None, "formula"
    if "<" in value or ">" in value:
        return None, "email_has_name"
    if any(c.isspace() for c in value):
        return None, "email_has_space"
    plain = PLAIN_ADDRESS.fullmatch(value)
    if (plain and len(plain[1]) <= 64 and len(value) <= 254 and "--" not in plain[2]
            and plain[3].lower() not in _SPECIAL_USE):
        return f"{plain[1]}@{plain[2].lower()}", None
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None, "email_invalid"
    return checked.ascii_email, None


def _reject(line: int, reason: str, **params) -> Rejection:
    return Rejection(line=line, reason=reason, params=params)


def parse_row(line: int, values: list[str], names: tuple[str, ...], email_at: int, hash_key: str):
    """A Participant's column values from one CSV row, or the Rejection saying why not."""
    if len(values) > len(names) and not any(v.strip() for v in values[len(names):]):
        values = values[:len(names)]  # trailing empty cells, as some spreadsheets write
    if len(values) != len(names):
        return _reject(line, "field_count", found=len(values), expected=len(names))
    for name, value in zip(names, values):
        if name and (char := unstorable_character(value)):  # before any message echoes the value
            return _reject(line, "unstorable", column=name, character=code_point(char))
    raw_email = values[email_at]
    address, problem = check_email(raw_email)
    if problem == "formula":
        return _reject(line, "formula", column="email", char=raw_email.strip()[0])
    if problem:
        return _reject(line, problem)
    language, attributes = None, {}
    for name, value in zip(names, values):
        if not name or name == "email":
            continue
        value = value.strip()
        if name == "language":
            word = value.lower()
            if word and word not in LANGUAGE_WORDS:  # echoed, but never an address in the wrong column
                return _reject(line, "language", value=scrub_addresses(value)[:20])
            language = LANGUAGE_WORDS.get(word)
            continue
        if not value:
            continue
        if char := formula_start(value):
            return _reject(line, "formula", column=name, char=char)
        if len(value) > MAX_VALUE_LENGTH:
            return _reject(line, "too_long", column=name, max=MAX_VALUE_LENGTH)
        attributes[name] = value
    return {"email": address, "email_hash": email_hash(raw_email, hash_key), "language": language,
            "attributes": attributes}


def _open_rows(stream: BinaryIO) -> tuple[CsvRows, int]:
    rows = CsvRows(stream)
    email_at = rows.header.index("email")
    if email_at is None:
        if any("@" in h for h in rows.raw_header):
            raise ParticipantFileError("no_header")
        semicolons = any(";" in h for h in rows.raw_header)
        raise ParticipantFileError("semicolons" if semicolons else "no_email_column")
    return rows, email_at


def _lock_campaign(campaign: Campaign) -> None:
    """Imports into one campaign take turns on PostgreSQL (a row lock, released at commit)."""
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())


def import_participants(campaign: Campaign, stream: BinaryIO, *, hash_key: str, source: str = "",
                        all_or_nothing: bool = False, now: datetime | None = None,
                        batch_size: int = BATCH_SIZE) -> ImportReport:
    """Add the people in a CSV file (binary stream) to a campaign that has not closed."""
    now = now or utcnow()
    if campaign.questionnaire_version.parsed().is_organisation_return:
        raise ParticipantFileError("organisation_return")
    if campaign.status == "closed" or now >= campaign.closes_at:
        raise ParticipantFileError("campaign_closed")
    rows, email_at = _open_rows(stream)
    _lock_campaign(campaign)
    report = ImportReport(source=source, attribute_columns=[
        n for n in rows.header.names if n and n not in ("email", "language")])
    seen: dict[bytes, int] = {}
    batch: list[tuple[int, dict]] = []
    for line, values in rows:
        report.rows += 1
        parsed = parse_row(line, values, rows.header.names, email_at, hash_key)
        if isinstance(parsed, Rejection):
            report.rejected.append(parsed)
            continue
        digest = bytes.fromhex(parsed["email_hash"])
        if digest in seen:
            report.duplicates.append(Duplicate(line=line, first_line=seen[digest]))
            continue
        seen[digest] = line
        if all_or_nothing and report.rejected:
            continue  # nothing will be kept: just read on to report every problem
        batch.append((line, parsed))
        if len(batch) >= batch_size:
            _insert(campaign, batch, now, report)
            batch = []
    if report.rows == 0:
        raise ParticipantFileError("no_rows")
    if all_or_nothing and report.rejected:
        report.added = 0
        raise ParticipantFileError("refused", report=report)
    _insert(campaign, batch, now, report)
    report.duplicates.sort(key=lambda d: d.line)
    return report


def _insert(campaign: Campaign, batch: list[tuple[int, dict]], now: datetime, report: ImportReport) -> None:
    if not batch:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        inserted = _copy_in(connection, campaign, batch, now)
    else:
        values = [{"campaign_id": campaign.id, "status": "active", "created_at": now, **parsed}
                  for _line, parsed in batch]
        table = Participant.__table__
        stmt = insert_ignoring_conflicts(db.session, table, "campaign_id", "email_hash").for_many()
        # Core executemany: the statement is compiled once and sent in pages of rows
        inserted = set(connection.execute(stmt.returning(table.c.email_hash), values).scalars())
    for line, parsed in batch:
        if parsed["email_hash"] in inserted:
            report.added += 1
        else:
            report.duplicates.append(Duplicate(line=line, first_line=None))


_COPY_TABLE = "participant_import"


def _copy_in(connection, campaign: Campaign, batch: list[tuple[int, dict]], now: datetime) -> set[str]:
    """PostgreSQL: the batch goes into a temporary table with COPY, then into the campaign
    with one INSERT ... SELECT ... ON CONFLICT DO NOTHING; the hashes it wrote come back.

    The same rows as the executemany path. That path sent each page of 1,000 rows as one
    statement of 7,000 parameters, which psycopg parsed again for every page: half of a
    100,000-row import (bench/RESULTS.md)."""
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_COPY_TABLE} (email text, email_hash text, "
                   "language text, attributes text) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {_COPY_TABLE}")
    with cursor.copy(f"COPY {_COPY_TABLE} (email, email_hash, language, attributes) FROM STDIN") as copy:
        for _line, parsed in batch:
            copy.write_row((parsed["email"], parsed["email_hash"], parsed["language"],
                            json.dumps(parsed["attributes"])))
    created = UTCDateTime().process_bind_param(now, connection.dialect)  # as the model's column stores it
    cursor.execute(
        f"INSERT INTO participant (campaign_id, email, email_hash, language, attributes, status, created_at) "
        f"SELECT %s, email, email_hash, language, attributes::json, 'active', %s FROM {_COPY_TABLE} "
        "ON CONFLICT (campaign_id, email_hash) DO NOTHING RETURNING email_hash",
        (campaign.id, created))
    return {row[0] for row in cursor.fetchall()}


def withdraw_participants(campaign: Campaign, stream: BinaryIO, *, hash_key: str, source: str = "",
                          all_or_nothing: bool = False, now: datetime | None = None,
                          batch_size: int = BATCH_SIZE) -> WithdrawReport:
    """Withdraw the people listed in a CSV file (an `email` column; other columns are
    ignored): they leave the response rate and get no more mail."""
    now = now or utcnow()
    rows, email_at = _open_rows(stream)
    report = WithdrawReport(source=source)
    seen: dict[bytes, int] = {}
    batch: dict[str, int] = {}
    for line, values in rows:
        report.rows += 1
        if email_at >= len(values):
            report.rejected.append(_reject(line, "field_count", found=len(values), expected=len(rows.header.names)))
            continue
        if char := unstorable_character(values[email_at]):
            report.rejected.append(_reject(line, "unstorable", column="email", character=code_point(char)))
            continue
        address, problem = check_email(values[email_at])
        if problem:
            params = {"column": "email", "char": values[email_at].strip()[0]} if problem == "formula" else {}
            report.rejected.append(_reject(line, problem, **params))
            continue
        digest = email_hash(values[email_at], hash_key)
        key = bytes.fromhex(digest)
        if key in seen:
            report.duplicates.append(Duplicate(line=line, first_line=seen[key]))
            continue
        seen[key] = line
        if all_or_nothing and report.rejected:
            continue
        batch[digest] = line
        if len(batch) >= batch_size:
            _withdraw(campaign, batch, now, report)
            batch = {}
    if report.rows == 0:
        raise ParticipantFileError("no_rows")
    if all_or_nothing and report.rejected:
        raise ParticipantFileError("refused_withdrawal", report=report)
    _withdraw(campaign, batch, now, report)
    report.not_found.sort()
    return report


def _withdraw(campaign: Campaign, batch: dict[str, int], now: datetime, report: WithdrawReport) -> None:
    if not batch:
        return
    found = db.session.execute(
        select(Participant).where(Participant.campaign_id == campaign.id, Participant.email_hash.in_(list(batch)))
    ).scalars().all()
    by_hash = {p.email_hash: p for p in found}
    for digest, line in batch.items():
        participant = by_hash.get(digest)
        if participant is None:
            report.not_found.append(line)
        elif participant.status == "withdrawn":
            report.already_withdrawn += 1
        else:
            participant.status, participant.withdrawn_at = "withdrawn", now
            report.withdrawn += 1
    ids = [p.id for p in found]
    if ids:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.participant_id.in_(ids), OutboxMessage.status == "pending")
            .values(status="cancelled", last_error="The participant was withdrawn.")
            .execution_options(synchronize_session=False)
        )
    db.session.flush()

