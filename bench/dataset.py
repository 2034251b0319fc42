"""Large synthetic data sets on PostgreSQL, written with COPY (set-up only: the product's
own import is measured separately).

Organisations and campaigns are made by the product's console operations; participants,
partial responses, the submitted store and sent invitations are written with COPY in the
shapes the product writes them (the store as a release leaves it: random ids, each
campaign's rows in a random order, a day, no link to anyone; those participants marked
submitted), then VACUUM ANALYZE (what autovacuum would have done on a live system).

Organisation sizes vary as councils' do (a long-tailed spread, the largest about 5% of
everyone). Some campaigns are at their day-7 reminder at `now`; the rest opened three days
earlier, their invitations sent, with nothing else due.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa

from .product import EMAIL_HASH_KEY

LONDON = ZoneInfo("Europe/London")
LOCATIONS = ["Head office", "Depot", "At home", "Library", "Leisure centre", "Care home", "School"]
ROLES = ["Manager or team leader", "Administrative or support", "Front-line or customer-facing",
         "Professional or technical", "Senior manager"]
MODES = ["office", "home", "hybrid", "mobile"]
TYPE_LETTERS = "ESWCDLMO"


@dataclass
class DataSet:
    now: datetime
    campaign_ids: list[int]
    sizes: list[int]
    #: campaigns at their day-7 reminder at `now`
    reminder_campaigns: list[int]
    largest_campaign: int
    participants: int = 0
    submitted: dict[int, int] = field(default_factory=dict)
    #: per campaign: participants who should get the reminder at `now`
    reminder_due: int = 0


def bench_now() -> datetime:
    """The latest weekday 10:00 in London that has passed: inside the sending window."""
    day = datetime.now(LONDON).date()
    while True:
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
        if day.weekday() < 5 and moment <= datetime.now(LONDON):
            return moment.astimezone(timezone.utc)
        day -= timedelta(days=1)


def sizes_for(total: int, organisations: int, seed: int = 8) -> list[int]:
    """Long-tailed organisation sizes adding up to `total` (largest first)."""
    rng = np.random.default_rng(seed)
    weights = np.sort(rng.lognormal(0, 1.0, organisations))[::-1]
    weights = np.clip(weights / weights.sum(), 0.1 / organisations, 0.05)
    sizes = np.maximum(np.floor(weights / weights.sum() * total).astype(int), 1)
    sizes[0] += total - sizes.sum()
    return sorted(sizes.tolist(), reverse=True)


def _ts(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _copy(raw, table: str, columns: list[str], lines) -> None:
    with raw.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for line in lines:
                buffer.write(line)
                if buffer.tell() > 1 << 20:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())


def _campaigns(app, sizes: list[int], opens_for, questionnaire: str) -> list[int]:
    from questionnaires import available
    from survey_app.console import operations
    from survey_app.extensions import db

    ids = []
    found = available()  # read the YAML once, not once per campaign (set-up only)
    with app.app_context(), _patched(operations, "available", lambda: found):
        for i, _size in enumerate(sizes):
            letter, number = TYPE_LETTERS[i // 99 % len(TYPE_LETTERS)], i % 99 + 1
            org = operations.create_organisation(name=f"Bench Council {i + 1}", type_letter=letter, number=number)
            campaign = operations.create_campaign(organisation=org, questionnaire_id=questionnaire, opens=opens_for(i))
            campaign.status = "open"
            db.session.flush()
            ids.append(campaign.id)
        db.session.commit()
    return ids


@contextmanager
def _patched(module, name: str, value):
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def build(app, url: str, total: int, organisations: int, *, submitted_share: float = 0.4,
          partial_share: float = 0.1, withdrawn_share: float = 0.01, answers: str = "largest",
          reminder_share: float = 0.02, questionnaire: str = "user-satisfaction", seed: int = 8) -> DataSet:
    """Write the set; `answers` is "largest" (answers only for the largest organisation,
    the one scored) or "all"."""
    from questionnaires import available

    rng = np.random.default_rng(seed)
    now = bench_now()
    today = now.astimezone(LONDON).date()
    sizes = sizes_for(total, organisations, seed)
    # the reminder wave: middle-sized campaigns adding up to about reminder_share of everyone
    wave, counted = set(), 0
    for i in rng.permutation(len(sizes))[:]:
        if i == 0 or counted >= reminder_share * total:
            continue
        wave.add(int(i))
        counted += sizes[i]
    ids = _campaigns(app, sizes, lambda i: today - timedelta(days=7 if i in wave else 3), questionnaire)
    out = DataSet(now=now, campaign_ids=ids, sizes=sizes, reminder_campaigns=[ids[i] for i in sorted(wave)],
                  largest_campaign=ids[0], participants=total)
    q = available()[questionnaire]
    engine = sa.create_engine(url)
    raw = engine.raw_connection()
    try:
        _write(raw.driver_connection, rng, out, sizes, wave, today, q, submitted_share, partial_share,
               withdrawn_share, answers, np.random.default_rng(seed + 1))
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("participant", "response", "answer", "outbox"):  # the store's ids are random, no sequence
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    return out


def release_all(url: str, now: datetime) -> int:
    """Close every campaign (early, as by hand) and release its results, as the Improve
    team does before benchmarks and the exports across organisations count them."""
    at = now.astimezone(timezone.utc).replace(tzinfo=None)  # the columns hold naive UTC
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO campaign_release_event (campaign_id, action, operator, at) "
                             "SELECT id, 'release', 'bench', :at FROM campaign WHERE released_at IS NULL"), {"at": at})
        released = conn.execute(sa.text(
            "UPDATE campaign SET status = 'closed', closed_at = :at, released_at = :at, released_by_operator = 'bench' "
            "WHERE released_at IS NULL"), {"at": at}).rowcount
    engine.dispose()
    return released


def _write(conn, rng, out: DataSet, sizes, wave, today, q, submitted_share, partial_share, withdrawn_share,
           answers, store_rng) -> None:
    """Participants, their sent invitations, partial responses (found by their locator)
    and the submitted store as a release leaves it: random ids and public ids, the rows of
    each campaign in a random order, a day and the participant's attributes, nothing that
    points to a person; those participants marked submitted. The store's ids and order come
    from `store_rng`, so `rng` gives the same people, states and answers as before the
    store (a before/after run compares the same set)."""
    from survey_app.links import response_locator

    from .product import SECRET_KEY

    key = EMAIL_HASH_KEY.encode()
    participant_id = response_id = outbox_id = 0
    taken_ids: set[int] = set()
    taken_public: set[str] = set()
    participants, partials, outbox, stored, answer_rows = [], [], [], [], []
    scored_items = [i for p in q.pages for qn in p.questions for i in qn.items]
    for index, (campaign_id, size) in enumerate(zip(out.campaign_ids, sizes)):
        opened = datetime(*(today - timedelta(days=7 if index in wave else 3)).timetuple()[:3], tzinfo=LONDON)
        invited = opened + timedelta(hours=9)
        state = rng.random(size)
        submitted_n = 0
        campaign_store: list[tuple[str, list[str]]] = []  # (response row, its answer rows), shuffled below
        for n in range(size):
            participant_id += 1
            email = f"person{participant_id}@council{index + 1}.example"
            digest = hmac.new(key, email.encode(), hashlib.sha256).hexdigest()  # privacy.email_hash, ASCII
            withdrawn = state[n] > 1 - withdrawn_share
            submitted = not withdrawn and state[n] < submitted_share
            attributes = json.dumps({"location": LOCATIONS[n % 7], "role": ROLES[n % 5],
                                     "department": f"Department {n % 40}", "working_mode": MODES[n % 4]})
            participants.append(f"{participant_id}\t{campaign_id}\t{digest}\t{email}\t{'en' if n % 9 else 'cy'}\t"
                                f"{attributes}\t{'withdrawn' if withdrawn else 'active'}\t"
                                f"{_ts(invited) if withdrawn else chr(92) + 'N'}\t\\N\t\\N\t{_ts(opened)}\t"
                                f"{'t' if submitted else 'f'}\n")
            if withdrawn:
                continue
            outbox_id += 1
            outbox.append(f"{outbox_id}\t{campaign_id}\t{participant_id}\tinvitation\ten\t{_ts(opened)}\tsent\t1\t"
                          f"{_ts(invited)}\t\\N\tbench\t{_ts(invited)}\t{_ts(opened)}\n")
            if submitted:
                submitted_n += 1
                done = invited + timedelta(minutes=int(state[n] * 1000 * 60) % max(1, int((out.now - invited)
                                                                                        .total_seconds() // 60)))
                store_id = _unique(taken_ids, lambda: int(store_rng.integers(1, 1 << 62)))
                public_id = _unique(taken_public, lambda: f"{int(store_rng.integers(0, 1 << 63)):016x}")
                row = (f"{store_id}\t{campaign_id}\t{public_id}\ten\tdesktop\tweb\t"
                       f"{done.astimezone(LONDON).date().isoformat()}\t{attributes}\n")
                given = []
                if answers == "all" or index == 0:
                    given = [f"{store_id}\t{item_id}\t{value}\n" for item_id, value in _answers(rng, scored_items)]
                campaign_store.append((row, given))
            elif state[n] < submitted_share + partial_share:
                response_id += 1
                partials.append(f"{response_id}\t{campaign_id}\t{response_locator(participant_id, SECRET_KEY)}\ten\t"
                                f"mobile\tabout-you\t{_ts(invited)}\t{_ts(invited)}\n")
            elif index in wave:
                out.reminder_due += 1
            if len(participants) >= 50_000:
                _flush(conn, participants, partials, outbox, stored, answer_rows)
        # the store's rows of a campaign in a random order, as a release writes them
        for i in store_rng.permutation(len(campaign_store)):
            row, given = campaign_store[i]
            stored.append(row)
            answer_rows += given
        out.submitted[campaign_id] = submitted_n
        if index in wave:
            out.reminder_due += sum(1 for n in range(size) if submitted_share <= state[n] < submitted_share
                                    + partial_share)
    _flush(conn, participants, partials, outbox, stored, answer_rows)


def _unique(taken: set, draw):
    while (value := draw()) in taken:
        pass
    taken.add(value)
    return value


def _flush(conn, participants, partials, outbox, stored, answer_rows) -> None:
    _copy(conn, "participant", ["id", "campaign_id", "email_hash", "email", "language", "attributes", "status",
                                "withdrawn_at", "bounced_at", "opted_out_at", "created_at", "submitted"], participants)
    _copy(conn, "outbox", ["id", "campaign_id", "participant_id", "kind", "language", "due_at", "status", "attempts",
                           "next_attempt_at", "last_error", "claimed_by", "sent_at", "created_at"], outbox)
    _copy(conn, "response", ["id", "campaign_id", "locator", "language", "device_class", "last_page", "started_at",
                             "updated_at"], partials)
    _copy(conn, "submitted_response", ["id", "campaign_id", "public_id", "language", "device_class", "source",
                                       "submitted_on", "attributes"], stored)
    _copy(conn, "submitted_answer", ["response_id", "item_id", "value"], answer_rows)
    for rows in (participants, partials, outbox, stored, answer_rows):
        rows.clear()


def _answers(rng, items):
    """A complete response's stored answers: valid values, about 5% "Don't know"."""
    for item in items:
        if item.type == "text":
            if rng.random() < 0.3:
                yield item.id, "The wifi in the depot drops out most afternoons."
        elif item.type == "scale":
            points = item.scale.points
            if item.scale.missing_values and rng.random() < 0.05:
                yield item.id, item.scale.missing_values[0]
            else:
                yield item.id, str(points[int(rng.integers(len(points)))])
        elif item.type == "yes_no":
            yield item.id, "yes" if rng.random() < 0.5 else "no"
        else:
            yield item.id, item.options[int(rng.integers(len(item.options)))].value
