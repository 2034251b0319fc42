"""Operations of the respondent's journey. They flush, never commit: the view commits.

Concurrency: a response is created with INSERT ... ON CONFLICT DO NOTHING (one per
participant is a unique constraint), and every change to a response starts with a
conditional UPDATE of its row `WHERE status = 'partial'`. That UPDATE takes the row lock
on PostgreSQL (SQLite serialises writers anyway), so saves and submits of one response
happen one after the other, and once a response is submitted nothing changes it: a
second submit, or a save from another tab, finds no partial row and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from sqlalchemy import case, delete, literal, or_, select, update
from sqlalchemy.orm import lazyload
from sqlalchemy.dialects import postgresql, sqlite

from questionnaires.model import Item, Page, Questionnaire

from ..extensions import db
from ..links import read_token
from ..models import Answer, Participant, Response
from ..models.types import utcnow
from . import journey


def visitor_for_token(token: str, secret: str) -> tuple[Participant, Response | None] | None:
    """The participant a personal link names and their response (if any), in one query;
    None when the link is forged, names nobody, or names someone withdrawn (all look the
    same to the visitor)."""
    participant_id = read_token(token, secret)
    if participant_id is None:
        return None
    row = db.session.execute(
        select(Participant, Response).outerjoin(Response, Response.participant_id == Participant.id)
        .where(Participant.id == participant_id)
        .options(lazyload(Response.answers)).execution_options(populate_existing=True)
    ).first()
    if row is None or row[0].status == "withdrawn":
        return None
    return row[0], row[1]


def response_of(participant: Participant) -> Response | None:
    # the answers are read by stored_answers() when needed, not loaded with every response
    return db.session.execute(
        select(Response).where(Response.participant_id == participant.id)
        .options(lazyload(Response.answers)).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def stored_answers(response: Response | None) -> dict[str, str]:
    """The answers saved so far (item id -> stored text), read fresh from the database."""
    if response is None or response.id is None:
        return {}
    rows = db.session.execute(select(Answer.item_id, Answer.value).where(Answer.response_id == response.id))
    return {item_id: value for item_id, value in rows}


def start_response(participant: Participant, *, language: str, device_class: str | None) -> Response:
    """The participant's response, created the first time they save anything.

    Two requests creating it at once (two tabs, a double click) end with one row.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(Response).values(campaign_id=participant.campaign_id, participant_id=participant.id,
                                language=language, device_class=device_class, source="web")
        .on_conflict_do_nothing(index_elements=[Response.participant_id])
    )
    return response_of(participant)


def _lock_partial(response: Response, **changes) -> bool:
    """Touch the response's row if it is still partial (taking its row lock); False
    when it has been submitted."""
    result = db.session.execute(
        update(Response).where(Response.id == response.id, Response.status == "partial")
        .values(updated_at=utcnow(), **changes).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _write_answers(response: Response, current: Mapping[str, str], wanted: Mapping[str, str | None]) -> None:
    for item_id, value in wanted.items():
        if value is None:
            if item_id in current:
                db.session.execute(delete(Answer).where(Answer.response_id == response.id, Answer.item_id == item_id))
        elif item_id not in current:
            db.session.add(Answer(response_id=response.id, item_id=item_id, value=value))
        elif current[item_id] != value:
            db.session.execute(update(Answer).where(Answer.response_id == response.id, Answer.item_id == item_id)
                               .values(value=value).execution_options(synchronize_session=False))


def save_page(response: Response, q: Questionnaire, page: Page, values: Mapping[str, str | None], *,
              completed: bool, language: str, device_class: str | None) -> bool:
    """Store the answers given on one page (item id -> stored text, None to clear).

    Answers to items that the new answers hide are removed. `completed` (the page
    passed its checks and the respondent moved on) records it as the furthest page
    reached. Returns False, changing nothing, when the response is already submitted.
    """
    changes = {"language": language, "device_class": device_class}
    if completed:
        # the furthest page moves on unless it is already this page or a later one (in
        # the same UPDATE that takes the row's lock)
        order = [p.id for p in q.pages]
        this_or_later = order[order.index(page.id):] if page.id in order else []
        changes["last_page"] = case(
            (or_(Response.last_page.is_(None), Response.last_page.not_in(this_or_later)), literal(page.id)),
            else_=Response.last_page)
    if not _lock_partial(response, **changes):
        return False
    current = stored_answers(response)
    merged = {k: v for k, v in {**current, **values}.items() if v is not None}
    hidden = journey.hidden_answers(q, merged)
    wanted = {**values, **{item_id: None for item_id in hidden}}
    _write_answers(response, current, wanted)
    db.session.flush()
    return True


@dataclass
class Submission:
    """What submitting did: `submitted` now, `already` submitted before, or neither
    because `missing` required answers stop it."""

    submitted: bool = False
    already: bool = False
    missing: list[Item] = field(default_factory=list)


def submit(response: Response, q: Questionnaire, *, language: str, device_class: str | None) -> Submission:
    """Make the response final, once. Answers to questions that are not shown are
    removed first; a response missing a required answer is not submitted."""
    if not _lock_partial(response):
        return Submission(already=True)
    current = stored_answers(response)
    missing = journey.unanswered_required(q, current)
    if missing:
        return Submission(missing=missing)
    _write_answers(response, current, {item_id: None for item_id in journey.hidden_answers(q, current)})
    now = utcnow()
    done = db.session.execute(
        update(Response).where(Response.id == response.id, Response.status == "partial")
        .values(status="submitted", submitted_at=now, updated_at=now, language=language, device_class=device_class)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return Submission(submitted=done.rowcount == 1, already=done.rowcount == 0)
