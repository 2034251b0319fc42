"""Changing an organisation's return. Operations flush, never commit.

Concurrency: every change to a return's answers, and its submission, starts with a
conditional UPDATE of the return's row `WHERE status = 'draft'`. That takes the row's
lock on PostgreSQL (SQLite serialises writers anyway), so saves and the submission
happen one after the other, and once the return is submitted nothing changes it. Each
answer is then changed only `WHERE revision = ` the revision the contributor's form was
made from (a first answer: INSERT ... ON CONFLICT DO NOTHING), so an answer someone else
changed meanwhile is never overwritten: it is handed back as a conflict to show them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from ..extensions import db
from ..models import Campaign, MaturityAnswer, MaturityContributor, MaturityReturn, Participant
from ..models.dialect import insert_ignoring_conflicts
from ..models.types import utcnow
from ..participants.operations import check_email
from ..privacy import email_hash

#: why a contributor cannot be added, by reason code (the pages and the CLI word them)
CONTRIBUTOR_REFUSALS = ("email", "duplicate", "second_lead", "name", "language")

#: statement id -> (value "yes"/"no"/None, note or None, the revision the change was made on
#: or None when there was no answer yet)
Changes = dict[str, tuple[str | None, str | None, int | None]]


class ContributorRefused(ValueError):
    """A contributor who cannot be added; `reason` is one of CONTRIBUTOR_REFUSALS."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class ReturnSubmitted(Exception):
    """The return was submitted (by now): its answers can no longer change."""


class NotTheLead(PermissionError):
    """Only the campaign's lead submits its return."""


def return_of(campaign: Campaign) -> MaturityReturn:
    """The campaign's one return, created as a draft the first time it is needed (two
    requests creating it at once end with one row)."""
    query = select(MaturityReturn).where(MaturityReturn.campaign_id == campaign.id)
    found = db.session.execute(query).scalar_one_or_none()
    if found is None:
        now = utcnow()
        db.session.execute(insert_ignoring_conflicts(db.session, MaturityReturn, "campaign_id").values(
            [{"campaign_id": campaign.id, "status": "draft", "source": "web", "created_at": now, "updated_at": now}]))
        found = db.session.execute(query).scalar_one()
    return found


def add_contributor(campaign: Campaign, *, email: str, name: str, language: str | None, hash_key: str,
                    added_by: MaturityContributor | None = None, is_lead: bool = False) -> MaturityContributor:
    """Add a person to the campaign's return: a participant (so they get a personal link,
    an invitation and reminders like anyone invited) with the name the others see.

    Refuses (ContributorRefused) an address that is not one, an address already in the
    campaign, a blank or over-long name, and a second lead."""
    address, problem = check_email(email or "")
    if address is None:
        raise ContributorRefused("email", f"'{problem}': not an email address that mail can be sent to")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ContributorRefused("name", "a name of 1 to 100 characters is needed")
    if language not in (None, "en", "cy"):
        raise ContributorRefused("language", "the language must be en or cy")
    hashed = email_hash(address, hash_key)
    taken = db.session.execute(select(Participant.id).where(
        Participant.campaign_id == campaign.id, Participant.email_hash == hashed)).first()
    if taken is not None:
        raise ContributorRefused("duplicate", "this address is already a contributor")
    if is_lead and db.session.execute(select(MaturityContributor.participant_id).where(
            MaturityContributor.campaign_id == campaign.id, MaturityContributor.is_lead)).first():
        raise ContributorRefused("second_lead", "the campaign already has a lead")
    participant = Participant(campaign_id=campaign.id, email_hash=hashed, email=address, language=language,
                              attributes={}, status="active")
    db.session.add(participant)
    db.session.flush()
    contributor = MaturityContributor(participant_id=participant.id, campaign_id=campaign.id, is_lead=is_lead,
                                      name=name, added_by_id=added_by.participant_id if added_by else None)
    db.session.add(contributor)
    db.session.flush()
    return contributor


_return, _answer = MaturityReturn.__table__, MaturityAnswer.__table__


def _lock_draft(return_id: int, now: datetime) -> bool:
    """Touch the return's row if it is still a draft (taking its row lock); False when
    it has been submitted."""
    result = db.session.execute(update(_return).where(_return.c.id == return_id, _return.c.status == "draft")
                                .values(updated_at=now))
    return result.rowcount == 1


def _stored(return_id: int, statement_ids) -> dict[str, tuple[str | None, str | None, int]]:
    rows = db.session.execute(select(_answer.c.statement_id, _answer.c.value, _answer.c.note, _answer.c.revision)
                              .where(_answer.c.return_id == return_id,
                                     _answer.c.statement_id.in_(list(statement_ids)))).all()
    return {sid: (value, note, revision) for sid, value, note, revision in rows}


def save_answers(campaign: Campaign, contributor: MaturityContributor, changes: Changes, now: datetime) -> list[str]:
    """Store the answers a contributor changed (see `Changes`), each only if nobody else
    has changed it since their form was made; returns the statement ids refused for that
    reason (the others are stored). An answer that already says exactly what was sent is
    not a conflict: nothing would be lost. Raises ReturnSubmitted, storing nothing, once
    the return has been submitted."""
    return_ = return_of(campaign)
    if not _lock_draft(return_.id, now):
        raise ReturnSubmitted()
    if not changes:
        return []
    stored = _stored(return_.id, changes)
    by = contributor.participant_id
    refused = []
    for statement_id, (value, note, base) in changes.items():
        current = stored.get(statement_id)
        if base is None and current is None:
            if value is None and note is None:
                continue  # nothing was there and nothing is wanted
            done = db.session.execute(insert_ignoring_conflicts(db.session, MaturityAnswer, "return_id", "statement_id")
                                      .values([{"return_id": return_.id, "statement_id": statement_id,
                                                "value": value, "note": note, "revision": 1,
                                                "changed_by_id": by, "changed_at": now}]))
        elif current is not None and base == current[2]:
            done = db.session.execute(
                update(_answer).where(_answer.c.return_id == return_.id, _answer.c.statement_id == statement_id,
                                      _answer.c.revision == base)
                .values(value=value, note=note, revision=_answer.c.revision + 1, changed_by_id=by, changed_at=now))
        else:
            done = None
        if done is not None and done.rowcount == 1:
            continue
        now_stored = _stored(return_.id, [statement_id]).get(statement_id)
        if now_stored is None or now_stored[:2] != (value, note):
            refused.append(statement_id)
    return refused


def submit_return(campaign: Campaign, lead: MaturityContributor, now: datetime) -> MaturityReturn:
    """Submit the campaign's return, once: submitting it again (a double click, a second
    tab) changes nothing and gives the return as it was submitted. Only the lead may
    (NotTheLead otherwise). Statements left unanswered count as not in place."""
    if not lead.is_lead or lead.campaign_id != campaign.id:
        raise NotTheLead()
    return_ = return_of(campaign)
    db.session.execute(update(_return).where(_return.c.id == return_.id, _return.c.status == "draft")
                       .values(status="submitted", submitted_at=now, submitted_by_id=lead.participant_id,
                               updated_at=now))
    return db.session.execute(select(MaturityReturn).where(MaturityReturn.id == return_.id)
                              .execution_options(populate_existing=True)).scalar_one()
