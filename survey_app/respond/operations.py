"""Operations of the respondent's journey. They flush, never commit: the view commits.

A partial response is found by its locator (links.response_locator), never by the
participant's id: the row says nothing of whose it is (docs/confidentiality.md).
Submitting seals its answers into the submission queue, marks the participant
`submitted` and deletes the partial response, in one transaction.

Concurrency: a response is created with INSERT ... ON CONFLICT DO NOTHING (one per
locator is a unique constraint), and every change to a response starts with a
conditional UPDATE of its row. That UPDATE takes the row lock on PostgreSQL (SQLite
serialises writers anyway), so saves and submits of one response happen one after the
other, and once it is submitted (deleted) nothing changes it: a second submit, or a save
from another tab, finds no row and changes nothing. Marking the participant is a
conditional UPDATE too (`WHERE NOT submitted`), so a person is queued at most once even if
a second partial response was started in a race.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from sqlalchemy import JSON, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from questionnaires.model import Item, Page, Questionnaire

from ..extensions import db
from ..links import is_legacy_token, make_token, read_token, response_locator
from ..models import Answer, Campaign, Organisation, Participant, QuestionnaireVersion, Response
from ..models.organisation import name_in
from ..models.questionnaire import parsed_version
from ..models.types import utcnow
from .. import submissions
from . import journey

# Every request reads and writes through these tables' columns (Core), not ORM objects:
# an ORM load of the participant with its campaign costs twice as much as the same row
_participant, _response, _answer = Participant.__table__, Response.__table__, Answer.__table__
_campaign, _organisation, _version = Campaign.__table__, Organisation.__table__, QuestionnaireVersion.__table__


@dataclass(frozen=True)
class CampaignState:
    """What the respondent's pages need of a campaign, read with every request (a
    campaign that closes is never served as open)."""

    id: int
    status: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    anonymity_threshold: int
    organisation_name: str
    #: its name in Welsh, or None when it has none
    organisation_name_cy: str | None = None

    accepting_responses = Campaign.accepting_responses
    has_closed = Campaign.has_closed

    def organisation_name_in(self, language: str) -> str:
        """The organisation's name for a page in `language` (the Welsh one in Welsh, if any)."""
        return name_in(language, self.organisation_name, self.organisation_name_cy)


@dataclass(frozen=True)
class ParticipantState:
    id: int
    campaign_id: int
    language: str | None
    #: the key their partial response is found by
    locator: str = ""


@dataclass(frozen=True)
class ResponseState:
    """A response as read at the start of a request (operations need only its id)."""

    #: None once submitted (the partial response is gone)
    id: int | None
    status: str = "partial"
    last_page: str | None = None
    #: the answers saved when the request began (item id -> stored text)
    answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Visitor:
    participant: ParticipantState
    campaign: CampaignState
    questionnaire: Questionnaire
    response: ResponseState | None


#: the answers of a response as one JSON object, by dialect (SQLite has no json_object_agg)
_ANSWERS_AGGREGATE = {"postgresql": func.json_object_agg, "sqlite": func.json_group_object}
_visitor_statements: dict[str, object] = {}


def _visitor_statement(dialect: str):
    statement = _visitor_statements.get(dialect)
    if statement is None:
        answers = (select(_ANSWERS_AGGREGATE[dialect](_answer.c.item_id, _answer.c.value, type_=JSON))
                   .where(_answer.c.response_id == _response.c.id).scalar_subquery())
        statement = _visitor_statements[dialect] = (
            select(_participant.c.id, _participant.c.campaign_id, _participant.c.status, _participant.c.language,
                   _campaign.c.status, _campaign.c.opens_at, _campaign.c.closes_at, _campaign.c.closed_at,
                   _campaign.c.anonymity_threshold, _organisation.c.name, _organisation.c.name_cy,
                   _version.c.id, _version.c.content_hash,
                   _participant.c.submitted, _response.c.id, _response.c.last_page, answers)
            .select_from(_participant.join(_campaign, _campaign.c.id == _participant.c.campaign_id)
                         .join(_organisation, _organisation.c.id == _campaign.c.organisation_id)
                         .join(_version, _version.c.id == _campaign.c.questionnaire_version_id)
                         .outerjoin(_response, (_response.c.locator == bindparam("locator"))
                                    & (_response.c.campaign_id == _participant.c.campaign_id)))
            .where(_participant.c.id == bindparam("participant_id"))
        )
    return statement


def read_only() -> None:
    """This request only reads, in one statement: run it without a transaction (no BEGIN
    and no ROLLBACK, two of a page GET's four round trips to the database). The
    connection goes back to the pool in its usual mode.

    A staff member's session is read before this (auth.access.check_staff_session), in a
    transaction of its own: that one ends here, so the page's statement still runs alone."""
    if db.session().in_transaction():
        db.session.commit()
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def visitor_for_token(token: str, secret: str) -> Visitor | None:
    """The participant a personal link names, their campaign, its questionnaire and their
    response with its answers (if any), in one query; None when the link is forged,
    names nobody, names someone withdrawn, or is an old-format link (links.py) whose
    campaign has closed (all look the same to the visitor)."""
    participant_id = read_token(token, secret)
    if participant_id is None:
        return None
    statement = _visitor_statement(db.session.get_bind().dialect.name)
    secret_token = make_token(participant_id, secret) if is_legacy_token(token) else token
    locator = response_locator(participant_id, secret, secret_token)
    row = db.session.execute(statement, {"participant_id": participant_id, "locator": locator}).first()
    if row is None or row[2] == "withdrawn":
        return None
    (pid, campaign_id, _status, language, campaign_status, opens_at, closes_at, closed_at, threshold,
     organisation_name, organisation_name_cy, version_id, content_hash, submitted, response_id, last_page,
     answers) = row
    campaign = CampaignState(campaign_id, campaign_status, opens_at, closes_at, closed_at, threshold,
                             organisation_name, organisation_name_cy)
    if is_legacy_token(token) and campaign.has_closed():
        return None
    if submitted:
        response = ResponseState(None, "submitted")
    elif response_id is not None:
        response = ResponseState(response_id, "partial", last_page, answers or {})
    else:
        response = None
    return Visitor(ParticipantState(pid, campaign_id, language, locator), campaign,
                   parsed_version(version_id, content_hash), response)


_STORED = select(_answer.c.item_id, _answer.c.value).where(_answer.c.response_id == bindparam("response_id"))


def stored_answers(response) -> dict[str, str]:
    """The answers saved so far (item id -> stored text), read fresh from the database."""
    if response is None or response.id is None:
        return {}
    return dict(db.session.execute(_STORED, {"response_id": response.id}).all())


_RESPONSE_ID = select(_response.c.id).where(_response.c.locator == bindparam("locator"))


def start_response(participant, *, language: str, device_class: str | None) -> ResponseState:
    """The participant's response, created the first time they save anything.

    Two requests creating it at once (two tabs, a double click) end with one row.
    """
    dialect = db.session.get_bind().dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert_(_response).values(campaign_id=participant.campaign_id, locator=participant.locator,
                                  language=language, device_class=device_class)
        .on_conflict_do_nothing(index_elements=[_response.c.locator])
    )
    return ResponseState(db.session.execute(_RESPONSE_ID, {"locator": participant.locator}).scalar_one())


_PARTIAL = _response.c.id == bindparam("response_id")
_LOCK = update(_response).where(_PARTIAL).values(updated_at=bindparam("now"))
_SAVE = update(_response).where(_PARTIAL).values(updated_at=bindparam("now"), language=bindparam("b_language"),
                                                 device_class=bindparam("b_device_class"))
# the furthest page moves on unless it is already this page or a later one (in the same
# UPDATE that takes the row's lock)
_SAVE_COMPLETED = _SAVE.values(last_page=case(
    (or_(_response.c.last_page.is_(None), _response.c.last_page.not_in(bindparam("this_or_later", expanding=True))),
     bindparam("page_id")),
    else_=_response.c.last_page))
_MARK_SUBMITTED = (update(_participant).where(_participant.c.id == bindparam("participant_id"),
                                                _participant.c.submitted.is_(False))
                   .values(submitted=True).returning(_participant.c.attributes))
_DELETE_PARTIAL_ANSWERS = delete(_answer).where(_answer.c.response_id == bindparam("response_id"))
_DELETE_PARTIAL = delete(_response).where(_PARTIAL)


def _lock_partial(response, statement=_LOCK, **params) -> bool:
    """Touch the response's row if it is still partial (taking its row lock); False
    when it has been submitted."""
    result = db.session.execute(statement, {"response_id": response.id, "now": utcnow(), **params})
    return result.rowcount == 1


_INSERT_ANSWER = insert(_answer)
_UPDATE_ANSWER = update(_answer).where(_answer.c.response_id == bindparam("b_response_id"),
                                       _answer.c.item_id == bindparam("b_item_id")).values(value=bindparam("b_value"))
_DELETE_ANSWERS = delete(_answer).where(_answer.c.response_id == bindparam("response_id"),
                                        _answer.c.item_id.in_(bindparam("item_ids", expanding=True)))


def _write_answers(response, current: Mapping[str, str], wanted: Mapping[str, str | None]) -> None:
    added, changed, removed = [], [], []
    for item_id, value in wanted.items():
        if value is None:
            if item_id in current:
                removed.append(item_id)
        elif item_id not in current:
            added.append({"response_id": response.id, "item_id": item_id, "value": value})
        elif current[item_id] != value:
            changed.append({"b_response_id": response.id, "b_item_id": item_id, "b_value": value})
    if removed:
        db.session.execute(_DELETE_ANSWERS, {"response_id": response.id, "item_ids": removed})
    if added:
        db.session.execute(_INSERT_ANSWER, added)
    if changed:
        db.session.execute(_UPDATE_ANSWER, changed)


def save_page(response, q: Questionnaire, page: Page, values: Mapping[str, str | None], *,
              completed: bool, language: str, device_class: str | None) -> bool:
    """Store the answers given on one page (item id -> stored text, None to clear).

    Answers to items that the new answers hide are removed. `completed` (the page
    passed its checks and the respondent moved on) records it as the furthest page
    reached. Returns False, changing nothing, when the response is already submitted.
    """
    params = {"b_language": language, "b_device_class": device_class}
    statement = _SAVE
    if completed:
        order = [p.id for p in q.pages]
        params.update(page_id=page.id, this_or_later=order[order.index(page.id):] if page.id in order else [])
        statement = _SAVE_COMPLETED
    if not _lock_partial(response, statement, **params):
        return False
    current = stored_answers(response)
    merged = {k: v for k, v in {**current, **values}.items() if v is not None}
    hidden = journey.hidden_answers(q, merged)
    wanted = {**values, **{item_id: None for item_id in hidden}}
    _write_answers(response, current, wanted)
    return True


@dataclass
class Submission:
    """What submitting did: `submitted` now, `already` submitted before, or neither
    because `missing` required answers stop it."""

    submitted: bool = False
    already: bool = False
    missing: list[Item] = field(default_factory=list)


def submit(response, q: Questionnaire, participant, *, language: str, device_class: str | None,
           secret: str) -> Submission:
    """Make the response final, once: its answers (less those to questions not shown) are
    sealed into the submission queue with the participant list's values, the participant
    is marked submitted and the partial response is deleted. A response missing a
    required answer is not submitted."""
    if not _lock_partial(response):
        return Submission(already=True)
    current = stored_answers(response)
    missing = journey.unanswered_required(q, current)
    if missing:
        return Submission(missing=missing)
    hidden = set(journey.hidden_answers(q, current))
    marked = db.session.execute(_MARK_SUBMITTED, {"participant_id": participant.id}).first()
    if marked is not None:
        now = utcnow()
        db.session.execute(submissions.queue_statement(), submissions.queued_row(
            campaign_id=participant.campaign_id, now=now, secret=secret, language=language,
            device_class=device_class, attributes=marked[0] or {},
            answers={k: v for k, v in current.items() if k not in hidden}))
    # a second partial response, started in a race after the first was submitted, goes too
    db.session.execute(_DELETE_PARTIAL_ANSWERS, {"response_id": response.id})
    db.session.execute(_DELETE_PARTIAL, {"response_id": response.id})
    return Submission(submitted=marked is not None, already=marked is None)
