"""One campaign of the demo round: its people, mail, responses and answers, made up with
a seeded random generator and written in bulk (Core executemany, a few statements per
campaign) instead of one request at a time.

The rows are the ones the real code leaves behind: participants as the list import
stores them (the hashed address, the preferred language, the `department` column), the
outbox as the scheduler plans and sends it (the invitation when the campaign opens,
each reminder to those who have not submitted by then, a failed invitation for an
address that bounced), partial responses as the respondent's pages save them (answers as
stored text, the furthest page reached, the device class of the browser, found by the
participant's locator), submissions as the release leaves them in the submitted store
(shuffled batches of k or more, each stamped with its last day, the participant marked
submitted) or, in the open campaign, still sealed in the queue, and addresses erased once
the campaign has been closed for the grace period.
"""
from __future__ import annotations

import json
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import JSON, TypeDecorator, select

from mailer.planner import message_language, reminder_times
from mailer.settings import MailerSettings
from questionnaires.model import DONT_KNOW, NOT_APPLICABLE, Questionnaire

from ..extensions import db
from ..links import response_locator
from ..models import Answer, Campaign, OutboxMessage, Participant, QueuedSubmission, Response, SubmittedAnswer, \
    SubmittedResponse
from ..submissions import batch_days, queued_row, store_rows, uk_day
from ..console.operations import LOCAL
from ..models.types import UTCDateTime
from ..privacy import email_hash
from . import demo_data

_participant, _response, _answer, _outbox = (Participant.__table__, Response.__table__, Answer.__table__,
                                              OutboxMessage.__table__)
_store, _stored_answer, _queue = SubmittedResponse.__table__, SubmittedAnswer.__table__, QueuedSubmission.__table__
#: who "sent" the demo's mail, as a scheduler process names itself in claimed_by
SENDER = "demo-seed:0"
#: the order submitted rows are written in (never the order they came in)
_shuffle = secrets.SystemRandom().shuffle
BOUNCE = "550 5.1.1 Recipient address rejected: mailbox unavailable"
#: the share of people who respond after the invitation, then after each reminder
WAVES = (0.5, 0.2, 0.14, 0.09, 0.07)
COMMENT_SHARE = 0.28
#: responses to the open campaign that arrived today
TODAY = 5


@dataclass(frozen=True)
class Tendency:
    """How one organisation's staff answer in one year."""

    #: mean satisfaction on the 1-7 scale
    level: float
    #: how far one answer strays from the person's own level (standard deviation)
    spread: float
    #: mean answer to "has it got better" (4 = about the same)
    improved: float
    #: the share of people invited who submit
    rate: float
    #: per profile question, the shares of its options (in demo_data.PROFILE's order)
    profile: dict[str, np.ndarray]
    #: mail in Welsh and English (Welsh Language Standards), where people may prefer Welsh
    bilingual: bool
    #: per factor, how far this organisation's satisfaction and importance stray from the
    #: usual (demo_data.FACTORS): each has its strong and weak points
    factors: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class Filled:
    participants: int = 0
    submitted: int = 0
    partial: int = 0


def fill_campaign(campaign: Campaign, questionnaire: Questionnaire, tendency: Tendency, *, staff: range,
                  domain: str, rng: np.random.Generator, now: datetime, settings: MailerSettings,
                  hash_key: str, secret: str) -> Filled:
    """Invite the staff numbered `staff` (addresses staffNNNN@`domain`) to `campaign` and
    write what has happened by `now`: mail sent, responses started and submitted. `secret`
    is the app's SECRET_KEY (partial responses' locators, the sealed queue)."""
    n = len(staff)
    people = _people(n, tendency, rng)
    answers = _answers(n, questionnaire, tendency, rng)
    invited_at = settings.window.send_time(campaign.opens_at, campaign.closes_at)
    schedule = reminder_times(campaign, settings)
    when = _answer_times(people, [invited_at, *(send_at for _kind, _due, send_at in schedule)],
                         campaign.closes_at)
    reminders = [(kind, due, send_at) for kind, due, send_at in schedule if send_at <= now]
    if campaign.status == "open":
        # answers up to last midnight have come in, and the first few of those still to
        # come arrived today: who has answered changes with the day, not the hour
        midnight = now.astimezone(settings.window.zone).replace(hour=0, minute=0, second=0, microsecond=0)
        since = max((now - midnight).total_seconds(), 120.0)
        earlier = rng.uniform(60, min(since, 6 * 3600), TODAY)
        arrived = np.array([moment < midnight for moment in when], dtype=bool)
        today = np.flatnonzero(people["responds"] & ~arrived)[:TODAY]
        when[today] = [now - timedelta(seconds=float(s)) for s in earlier[:len(today)]]
        arrived[today] = True
        people["responds"] &= arrived
        people["starts"] &= arrived
    erased = campaign.emails_erased_at is not None

    participant_rows = []
    for i, number in enumerate(staff):
        address = f"staff{number:04d}@{domain}"
        status = people["status"][i]
        created = campaign.opens_at - timedelta(days=float(people["listed_days"][i]))
        participant_rows.append({
            "campaign_id": campaign.id, "email_hash": email_hash(address, hash_key),
            "email": None if erased else address, "language": people["language"][i],
            "attributes": {"department": demo_data.DEPARTMENTS[people["department"][i]][0]},
            "status": status, "created_at": created, "submitted": bool(people["responds"][i]),
            "withdrawn_at": _capped(invited_at + people["left_after"][i], now) if status == "withdrawn" else None,
            "bounced_at": invited_at if status == "bounced" else None,
            "opted_out_at": (_capped(invited_at + people["opted_out_after"][i], now)
                             if people["opts_out"][i] else None),
        })
    insert_many(_participant, participant_rows)
    by_hash = dict(db.session.execute(select(_participant.c.email_hash, _participant.c.id)
                                      .where(_participant.c.campaign_id == campaign.id)).all())
    ids = [by_hash[row["email_hash"]] for row in participant_rows]

    policy = "bilingual" if tendency.bilingual else "english"
    outbox = []
    for i, pid in enumerate(ids):
        row = participant_rows[i]
        language = message_language(policy, row["language"])
        bounced = row["status"] == "bounced"
        outbox.append(sent_row(campaign.id, pid, "invitation", language, campaign.opens_at, invited_at,
                            failed=BOUNCE if bounced else None))
        for kind, due, send_at in reminders:
            submitted = people["responds"][i] and when[i] <= send_at
            withdrawn = row["withdrawn_at"] is not None and row["withdrawn_at"] <= send_at
            opted_out = row["opted_out_at"] is not None and row["opted_out_at"] <= send_at
            if not (bounced or submitted or withdrawn or opted_out):
                outbox.append(sent_row(campaign.id, pid, kind, language, due, send_at))
    insert_many(_outbox, outbox)

    pages = [page.id for page in questionnaire.pages]
    attributes = [row["attributes"] for row in participant_rows]
    submitted = [i for i in range(n) if people["responds"][i]]
    started = [i for i in range(n) if people["starts"][i] and not people["responds"][i]]

    # partial responses, found by the participant's locator (links.response_locator)
    response_rows, reached_pages = [], []
    for i in started:
        finished = when[i]
        last_page = pages[int(people["stopped_after"][i]) % (len(pages) - 1)]
        response_rows.append({
            "campaign_id": campaign.id, "locator": response_locator(ids[i], secret),
            "language": people["answer_language"][i], "device_class": answers.device_class[i], "last_page": last_page,
            "started_at": finished - timedelta(minutes=float(people["minutes"][i])), "updated_at": finished,
        })
        reached_pages.append(pages[:pages.index(last_page) + 1])
    insert_many(_response, response_rows)
    by_locator = dict(db.session.execute(select(_response.c.locator, _response.c.id)
                                         .where(_response.c.campaign_id == campaign.id)).all())
    insert_many(_answer, [
        {"response_id": by_locator[row["locator"]], "item_id": item_id, "value": value}
        for row, i, reached in zip(response_rows, started, reached_pages)
        for item_id, value in answers.of(i, reached, people["answer_language"][i])])

    # submissions: released into the store in shuffled batches of k or more, as the
    # scheduler's release would have done at the end of each day (submissions.release);
    # in the open campaign today's, and earlier days' not yet k, still wait in the queue
    def submission(i: int) -> dict:
        return {"language": people["answer_language"][i], "device_class": answers.device_class[i],
                "attributes": dict(attributes[i]), "answers": dict(answers.of(i, pages, people["answer_language"][i]))}

    closed = campaign.status == "closed" or campaign.closes_at <= now
    day_of = {i: uk_day(when[i]) for i in submitted}
    today = uk_day(now)
    stamps = batch_days(Counter(day for day in day_of.values() if closed or day < today),
                        max(1, settings.batch_minimum or campaign.anonymity_threshold), closed=closed)
    batches: dict[date, list[int]] = defaultdict(list)
    queued = []
    for i in submitted:
        if day_of[i] in stamps:
            batches[stamps[day_of[i]]].append(i)
        else:
            queued.append(i)
    stored, stored_answers = [], []
    for day, batch in sorted(batches.items()):
        rows, answer_rows = store_rows(campaign.id, day, [submission(i) for i in batch], "web")
        stored += rows
        stored_answers += answer_rows
    insert_many(_store, stored)
    insert_many(_stored_answer, stored_answers)
    _shuffle(queued)
    insert_many(_queue, [queued_row(campaign_id=campaign.id, now=when[i], secret=secret, **submission(i))
                         for i in queued])
    return Filled(participants=n, submitted=len(submitted), partial=len(started))


def _capped(moment: datetime, now: datetime) -> datetime:
    return min(moment, now)


def sent_row(campaign_id: int, participant_id: int, kind: str, language: str, due: datetime, sent: datetime,
          failed: str | None = None) -> dict:
    """An outbox row as the dispatcher leaves it once the server took (or refused) it."""
    return {"campaign_id": campaign_id, "participant_id": participant_id, "kind": kind, "language": language,
            "due_at": due, "status": "failed" if failed else "sent", "attempts": 1,
            "next_attempt_at": sent + timedelta(minutes=5), "last_error": failed, "claimed_by": SENDER,
            "sent_at": None if failed else sent, "created_at": min(due, sent)}


def insert_many(table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) in bulk, without reading anything back.

    The demo writes a quarter of a million answers and forty thousand emails: PostgreSQL
    takes them by COPY, SQLite by an executemany of the driver's own statement. Each value
    is converted as SQLAlchemy converts it (the column type's bind processor), but each
    distinct time once: a campaign's mail goes out at a handful of times, and converting
    every one of 200,000 times was most of the seeding's CPU."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    postgres = dialect.name == "postgresql"
    columns = list(rows[0])
    converters = {}
    for column in columns:
        kind = table.c[column].type
        if postgres:  # COPY takes naive UTC times and JSON as text; psycopg writes the rest
            if isinstance(kind, UTCDateTime):
                converters[column] = _once(lambda value, kind=kind: kind.process_bind_param(value, dialect))
            elif isinstance(kind, JSON):
                converters[column] = json.dumps
            continue
        impl = kind if isinstance(kind, TypeDecorator) else kind.dialect_impl(dialect)
        processor = impl.bind_processor(dialect)
        if processor is not None:
            converters[column] = _once(processor) if isinstance(kind, UTCDateTime) else processor
    values = [tuple(converters[c](row[c]) if c in converters else row[c] for c in columns) for row in rows]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if postgres:
        with connection.connection.driver_connection.cursor().copy(
                f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _c in columns)
        connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", values)


def _once(convert):
    """`convert`, remembering its result for each value (times, which repeat)."""
    done = {}

    def converted(value):
        if value not in done:
            done[value] = convert(value)
        return done[value]
    return converted


def _people(n: int, tendency: Tendency, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Who each person is and what they do: arrays of length n."""
    u = rng.random((n, 6))
    if tendency.bilingual:
        language = np.where(u[:, 0] < 0.2, "cy", np.where(u[:, 0] < 0.55, "en", None))
        welsh_answer = np.where(language == "cy", 0.9, np.where(language == "en", 0.03, 0.25))
    else:
        language = np.where(u[:, 0] < 0.03, "en", None)
        welsh_answer = np.zeros(n)
    status = np.where(u[:, 1] < 0.015, "withdrawn", np.where(u[:, 1] < 0.025, "bounced", "active"))
    active = status == "active"
    # those who submit, and a few more who start and stop part way
    responds = active & (u[:, 2] < tendency.rate / 0.975)
    starts = active & ~responds & (u[:, 2] < tendency.rate / 0.975 + 0.07)
    weights = np.array([w for _name, w in demo_data.DEPARTMENTS], dtype=float)
    return {
        "language": language.tolist(),
        "answer_language": np.where(u[:, 3] < welsh_answer, "cy", "en").tolist(),
        "status": status.tolist(),
        "responds": responds,
        "starts": starts,
        "opts_out": active & ~responds & ~starts & (u[:, 4] < 0.03),
        "opted_out_after": [timedelta(days=float(d)) for d in rng.uniform(0.2, 6, n)],
        "left_after": [timedelta(days=float(d)) for d in rng.uniform(0.5, 20, n)],
        "department": rng.choice(len(weights), size=n, p=weights / weights.sum()),
        "listed_days": rng.uniform(2, 9, n),
        "wave": rng.choice(len(WAVES), size=n, p=np.array(WAVES) / sum(WAVES)),
        # most answer within hours of an email, some days later
        "delay_hours": np.where(rng.random(n) < 0.3, rng.exponential(60, n), rng.exponential(8, n)),
        "works_weekends": rng.random(n) < 0.2,
        "minutes": rng.uniform(4, 25, n),
        "stopped_after": rng.integers(0, 4, n),
    }


def _answer_times(people: dict, sends: list[datetime], closes_at: datetime) -> np.ndarray:
    """When each person submits (or stops): after the invitation or one of the reminders
    they were sent, mostly within hours, on weekdays and in waking hours, before the close."""
    out = []
    for wave, delay, minutes, weekends in zip(people["wave"], people["delay_hours"], people["minutes"],
                                              people["works_weekends"]):
        sent = sends[min(int(wave), len(sends) - 1)]
        moment = sent + timedelta(hours=float(delay), minutes=float(minutes))
        local = moment.astimezone(LOCAL)
        if local.hour < 7:  # nobody much answers in the small hours
            moment += timedelta(hours=8)
        if local.weekday() >= 5 and not weekends:  # nor at the weekend: on Monday instead
            moment += timedelta(days=7 - local.weekday())
        out.append(min(moment, closes_at - timedelta(minutes=1)))
    return np.array(out, dtype=object)


class _Answers:
    """Every person's answers, drawn at once (whether or not they end up answering, so
    that the figures do not depend on the time of day the demo is seeded)."""

    def __init__(self, questionnaire: Questionnaire, values: dict[str, np.ndarray], device_class: np.ndarray,
                 comments: np.ndarray, comment_tone: np.ndarray):
        self.questionnaire = questionnaire
        self.values = values
        self.device_class = device_class
        self.comments = comments
        self.comment_tone = comment_tone

    def of(self, i: int, pages: list[str], language: str):
        """(item id, stored text) of person i's answers on `pages`."""
        for item in self.questionnaire.items:
            if item.page_id not in pages:
                continue
            if item.type == "text":
                if self.comments[i] >= 0:
                    texts = demo_data.COMMENTS[language][self.comment_tone[i]]
                    yield item.id, texts[self.comments[i] % len(texts)]
            elif item.id in self.values:
                yield item.id, str(self.values[item.id][i])


def _answers(n: int, questionnaire: Questionnaire, tendency: Tendency, rng: np.random.Generator) -> _Answers:
    profile = {name: np.array(list(options), dtype=object)[rng.choice(len(options), size=n, p=tendency.profile[name])]
               for name, options in demo_data.PROFILE.items()}
    # where people work and how go together: at home mostly home-based or hybrid, out in
    # the community mostly mobile
    u = rng.random(n)
    mode = profile["working_mode"]
    mode[(profile["location"] == "home") & (u < 0.55)] = "home"
    mode[(profile["location"] == "home") & (u >= 0.55)] = "hybrid"
    mode[(profile["location"] == "community") & (u < 0.7)] = "mobile"
    effect = sum(np.array([options[value][1] for value in profile[name]])
                 for name, options in demo_data.PROFILE.items())
    device = profile["device"]
    device_class = np.empty(n, dtype=object)
    u = rng.random(n)
    for i, said in enumerate(device):
        shares = demo_data.DEVICE_CLASSES.get(said, demo_data.DEFAULT_DEVICE_CLASSES)
        cumulative = np.cumsum(list(shares.values()))
        device_class[i] = list(shares)[min(int(np.searchsorted(cumulative, u[i])), len(shares) - 1)]
    person = rng.normal(0, 0.5, n)  # some people rate everything higher than others do
    level = tendency.level + effect + person
    importance_bias = rng.normal(0, 0.35, n)

    values: dict[str, np.ndarray] = {}
    for item in questionnaire.items:
        if item.dimension in profile:
            values[item.id] = profile[item.dimension]
            continue
        if item.scale is None or item.factor is None:
            continue
        noise, missing = rng.normal(0, 1, n), rng.random(n)
        if item.factor == "OVERALL":
            score, dont_know, not_applicable = level + 0.1 + 0.55 * noise, 0.005, 0.0
        elif item.measure == "improvement":
            score, dont_know, not_applicable = tendency.improved + 0.35 * person + 0.95 * noise, 0.09, 0.0
        elif item.measure == "importance":
            mean = demo_data.FACTORS.get(item.factor, (0.0, 5.5))[1] + tendency.factors.get(item.factor, (0, 0))[1]
            score, dont_know, not_applicable = mean + importance_bias + 0.7 * noise, 0.015, 0.0
        else:
            offset = demo_data.FACTORS.get(item.factor, (0.0, 5.5))[0] + tendency.factors.get(item.factor, (0, 0))[0]
            if item.factor == "S17":  # hardware: thin clients and shared terminals
                offset = offset - 0.4 * (device == "thin_client")
            score, dont_know = level + offset + tendency.spread * noise, 0.02
            not_applicable = demo_data.NOT_APPLICABLE.get(item.factor, 0.02)
        scale = item.scale
        points = np.clip(np.rint(score), scale.min, scale.max).astype(int).astype(object)
        if NOT_APPLICABLE in scale.missing_values:
            points[missing < not_applicable] = NOT_APPLICABLE
        if DONT_KNOW in scale.missing_values:
            points[(missing >= not_applicable) & (missing < not_applicable + dont_know)] = DONT_KNOW
        values[item.id] = points
    comments = np.where(rng.random(n) < COMMENT_SHARE, rng.integers(0, 1000, n), -1)
    tone = np.where(level >= 5.4, "high", np.where(level <= 4.3, "low", "middle"))
    return _Answers(questionnaire, values, device_class, comments, tone)
