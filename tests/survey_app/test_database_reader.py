"""The database reader: given a full dump of the database and the configuration after a
run of journeys with reminders, can anyone tie submitted responses to participants?

The run: 48 people in two departments (each with a staff number in the list) are invited by the scheduler; 16 submit (in the
order of their ids, so that any order kept anywhere would show), 4 stop half way; the
scheduler reminds the rest and releases the first batch; 2 of those who stopped finish and
12 more submit (again in the order of their ids); the scheduler reminds again, closes the
campaign and releases the rest.
Each respondent's comment carries a random marker that only this test knows: the ground
truth of who gave which response.

The reader has every row of every table, in the order the database stores them (SELECT
without ORDER BY: the heap order on PostgreSQL, the rowid order on SQLite), SECRET_KEY and
EMAIL_HASH_KEY. It tries:

- every join: each participant column, each column of each of their outbox messages, and
  what can be derived from their id with the secrets (their link's token, their partial
  response's locator, HMACs of the id), against each column of the stored responses;
  a value that picks out one participant and one response pairs them;
- every order: the submitted participants sorted by each of those columns (and by where
  their row lies), paired in turn with the responses sorted by each of theirs (and by
  where their rows and their answers' rows lie), both ways round, over everyone and
  within each group of what the store shows on purpose.

The measure: the number of responses the best of those strategies pairs with the right
person, against chance. Chance is a permutation test: the same strategies are scored
against 5,000 random truths, each pairing the responses at random with the submitted
people who share what the store shows about them on purpose (the participant list's
values, language, device, day) and which release batch they fell in (the only thing the
rows' place can tell). The reader does no better than chance when its best score is
matched or beaten by at least 1 in 1,000 random truths (p >= 0.001).

The same reader, given the same run as today's schema before issue 17 would hold it (a
fixture: the migration before 0011, with the responses written as the old code wrote them),
pairs every one.
"""
from __future__ import annotations

import hashlib
import json
import hmac
import secrets
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
import sqlalchemy as sa

from survey_app.extensions import db
from survey_app.links import make_token, response_locator
from survey_app.models import Participant, SubmittedResponse
from tests.clients import FreshContextClient
from tests.factories import make_campaign, make_participant
from tests.mailer.mailtools import SmtpRecorder, free_port, mail_pass, start_smtp
from tests.respond.helpers import ALL_ANSWERS, Respondent, answer_all, answer_page, submit

PEOPLE = 48
SIMULATIONS = 5000
SIGNIFICANCE = 0.001


# -- the run ---------------------------------------------------------------------------

class Run:
    def __init__(self):
        self.markers: dict[str, int] = {}       # marker -> participant id
        self.submitted_at: dict[int, datetime] = {}
        self.first_batch: set[str] = set()     # markers released in the first batch


def _journey(app, campaign, participant, run: Run, *, finish: bool) -> None:
    client = FreshContextClient(app, app.response_class, use_cookies=True)
    respondent = Respondent(campaign, participant, make_token(participant.id, app.config["SECRET_KEY"]))
    marker = secrets.token_hex(8)
    pages = {**ALL_ANSWERS, "comments": {"comments": f"note {marker}"}}
    if not finish:
        for page_id in ("about-you", "overall"):
            assert answer_page(client, respondent.page_url(page_id), pages[page_id]).status_code == 302
        return
    answer_all(client, respondent, pages)
    assert submit(client, respondent).status_code == 302
    run.markers[marker] = participant.id
    run.submitted_at[participant.id] = datetime.now(timezone.utc)


def _run_journeys(app, monkeypatch) -> tuple[object, Run]:
    from survey_app.submissions import release

    for key, value in {"SEND_WINDOW_START_HOUR": 0, "SEND_WINDOW_END_HOUR": 24,
                       "SEND_WINDOW_WEEKDAYS_ONLY": False}.items():
        monkeypatch.setitem(app.config, key, value)
    recorder = SmtpRecorder()
    controller = start_smtp(recorder, free_port())
    monkeypatch.setitem(app.config, "MAIL_PORT", recorder.port)
    run = Run()
    try:
        today = datetime.now(timezone.utc).date()
        campaign = make_campaign(opens=today - timedelta(days=10), anonymity_threshold=5)
        people = [make_participant(campaign, email=f"reader{i}@example.org",
                                   attributes={"department": ("North", "South")[i % 2],
                                               "staff_no": f"S{i:04d}"})
                  for i in range(PEOPLE)]
        mail_pass(app, campaign.opens_at + timedelta(minutes=1))
        assert recorder.count == PEOPLE  # invitations

        for p in people[:16]:
            _journey(app, campaign, p, run, finish=True)
        for p in people[16:20]:
            _journey(app, campaign, p, run, finish=False)
        now = datetime.now(timezone.utc)
        mail_pass(app, now)  # the seven-day reminder, to the 32 who have not submitted
        assert recorder.count == PEOPLE + 32
        # the first batch: what was submitted before today, seen from tomorrow
        released = release(db.session, now + timedelta(days=1), app.config["SECRET_KEY"])
        db.session.commit()
        assert released == {campaign.id: 16}
        run.first_batch = set(run.markers)

        for p in people[16:18] + people[20:32]:
            _journey(app, campaign, p, run, finish=True)
        mail_pass(app, now + timedelta(days=5))  # the fourteen-day reminder, to the 18 left
        assert recorder.count == PEOPLE + 32 + 18
        mail_pass(app, campaign.closes_at + timedelta(minutes=1))  # closed, the rest released
        assert len(run.markers) == 30
    finally:
        controller.stop()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmittedResponse)) == 30
    return campaign, run


# -- the dump and the reader -------------------------------------------------------------

def dump(engine) -> dict[str, list[dict]]:
    """Every row of every table, in the order the database keeps them."""
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {name: [dict(row._mapping) for row in conn.execute(sa.select(table))]
                for name, table in meta.tables.items()}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)


def _sort_key(value):
    return (value is None, _text(value) if not isinstance(value, (int, float)) else f"{value:020.6f}")


def participant_features(data: dict, config: dict) -> dict[int, dict[str, object]]:
    """Everything the dump says about each participant, and what the secrets derive from it."""
    secret, hash_key = config["SECRET_KEY"], config["EMAIL_HASH_KEY"]
    out: dict[int, dict[str, object]] = {}
    for position, row in enumerate(data["participant"]):
        pid = row["id"]
        features = {f"participant.{k}": v for k, v in row.items()}
        features["participant.<position>"] = position
        token = make_token(pid, secret)
        features["derived.token"] = token
        features["derived.locator"] = response_locator(pid, secret)
        for name, key in (("secret", secret), ("hash_key", hash_key)):
            features[f"derived.hmac_{name}"] = hmac.new(key.encode(), str(pid).encode(), hashlib.sha256).hexdigest()
        features["derived.sha256_token"] = hashlib.sha256(token.encode()).hexdigest()
        out[pid] = features
    for position, row in enumerate(data.get("outbox", [])):
        features = out.get(row["participant_id"])
        if features is None:
            continue
        for k, v in row.items():
            features[f"outbox.{row['kind']}.{k}"] = v
        features[f"outbox.{row['kind']}.<position>"] = position
    return out


def response_features(data: dict, responses: str, answers: str, key: str) -> list[dict[str, object]]:
    """Everything the dump says about each stored response, in its table's order."""
    first_answer: dict = {}
    for position, row in enumerate(data[answers]):
        first_answer.setdefault(row[key], (position, row))
    out = []
    for position, row in enumerate(data[responses]):
        features = {f"response.{k}": v for k, v in row.items()}
        features["response.<position>"] = position
        if row["id"] in first_answer:
            answer_position, answer_row = first_answer[row["id"]]
            features["answer.<position>"] = answer_position
            if "id" in answer_row:
                features["answer.id"] = answer_row["id"]
        out.append(features)
    return out


def strategies(people: dict[int, dict], submitted: list[int], rows: list[dict], groups: list) -> np.ndarray:
    """Every strategy's guess of the person behind each response (-1: no guess), one row
    per strategy."""
    guesses = []
    p_names = sorted({k for f in people.values() for k in f})
    r_names = sorted({k for f in rows for k in f})
    n = len(rows)
    # joins on equal values
    for pn in p_names:
        by_value = defaultdict(list)
        for pid in submitted:
            value = _text(people[pid].get(pn))
            if value is not None:
                by_value[value].append(pid)
        for rn in r_names:
            guess = np.full(n, -1)
            for i, features in enumerate(rows):
                found = by_value.get(_text(features.get(rn)), [])
                if len(found) == 1:
                    guess[i] = found[0]
            if (guess >= 0).any():
                guesses.append(guess)
    # orders, over everyone and within each group
    members = defaultdict(list)
    for i, group in enumerate(groups):
        members[group].append(i)
    for pn in p_names:
        ranked_people = sorted(submitted, key=lambda pid: _sort_key(people[pid].get(pn)))
        for rn in r_names:
            ranked_rows = sorted(range(n), key=lambda i: _sort_key(rows[i].get(rn)))
            for reverse in (False, True):
                people_order = ranked_people[::-1] if reverse else ranked_people
                guess = np.full(n, -1)
                guess[ranked_rows] = people_order[:n]
                guesses.append(guess)
                # the same within each group of responses, against the people of that
                # group's size taken in turn (the reader does not know who is in which)
                guess = np.full(n, -1)
                taken = 0
                for group_rows in members.values():
                    in_order = [i for i in ranked_rows if i in set(group_rows)]
                    guess[in_order] = people_order[taken:taken + len(in_order)]
                    taken += len(in_order)
                guesses.append(guess)
    return np.array(guesses)


def best_score(guesses: np.ndarray, truth: np.ndarray) -> int:
    return int((guesses == truth).sum(axis=1).max())


def random_truths(truth: np.ndarray, groups: list, count: int, rng) -> np.ndarray:
    """`count` truths pairing each group's responses with its people at random."""
    out = np.tile(truth, (count, 1))
    members = defaultdict(list)
    for i, group in enumerate(groups):
        members[group].append(i)
    for indices in members.values():
        indices = np.array(indices)
        for row in out:
            row[indices] = rng.permutation(truth[indices])
    return out


def p_value(guesses: np.ndarray, truth: np.ndarray, groups: list, rng) -> tuple[int, float, float]:
    """(the best strategy's score, the mean best score over random truths, the p-value)."""
    observed = best_score(guesses, truth)
    sims = random_truths(truth, groups, SIMULATIONS, rng)
    scores = np.array([best_score(guesses, sim) for sim in sims])
    return observed, float(scores.mean()), (1 + int((scores >= observed).sum())) / (SIMULATIONS + 1)


def read(data: dict, config: dict, *, responses: str, answers: str, key: str, run: Run, published: list[str]):
    """The reader's best guess and how good it is: (score, chance mean, p-value, n, strategies)."""
    rows = response_features(data, responses, answers, key)
    marker_of = {}
    for row in data[answers]:
        if row["item_id"] == "comments":
            marker_of[row[key]] = row["value"].split()[-1]
    truth = np.array([run.markers[marker_of[r["response.id"]]] for r in rows])
    groups = [tuple(_text(r.get(f"response.{c}")) for c in published)
              + (marker_of[r["response.id"]] in run.first_batch,) for r in rows]
    people = participant_features(data, config)
    submitted = sorted(run.markers.values())
    guesses = strategies(people, submitted, rows, groups)
    return (*p_value(guesses, truth, groups, np.random.default_rng(17)), len(rows), len(guesses))


# -- today's schema, as a fixture ----------------------------------------------------------

@pytest.fixture
def old_schema_engine(app, backend, request, tmp_path):
    """An empty database at the schema before the submitted store (migration 0010)."""
    from flask_migrate import upgrade

    from survey_app import create_app
    from tests.helpers import TEST_CONFIG, scratch_database

    with scratch_database(backend, request, tmp_path, "survey_reader_old") as url:
        old = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
        with old.app_context():
            upgrade(revision="0010")
            engine = sa.create_engine(url)
        yield engine
        engine.dispose()
        with old.app_context():
            db.engine.dispose()


def write_as_before(engine, data: dict, run: Run) -> None:
    """The same run as the code before issue 17 stored it: the same organisation,
    campaign, participants and mail, and each response a row tied to its participant,
    with the time it was submitted."""
    meta = sa.MetaData()
    meta.reflect(engine)
    answers_of: dict[int, dict[str, str]] = defaultdict(dict)
    response_of = {}
    for row in data["submitted_response"]:
        response_of[row["id"]] = row
    for row in data["submitted_answer"]:
        answers_of[row["response_id"]][row["item_id"]] = row["value"]
    with engine.begin() as conn:
        for name in ("organisation", "questionnaire_version", "campaign", "participant", "outbox"):
            table = meta.tables[name]
            rows = [{k: v for k, v in row.items() if k in table.c} for row in data[name]]
            if rows:
                conn.execute(table.insert(), rows)
        response, answer = meta.tables["response"], meta.tables["answer"]
        ordered = sorted(response_of.values(), key=lambda r: run.submitted_at[
            run.markers[answers_of[r["id"]]["comments"].split()[-1]]])
        for number, row in enumerate(ordered, start=1):
            pid = run.markers[answers_of[row["id"]]["comments"].split()[-1]]
            when = run.submitted_at[pid].replace(tzinfo=None)
            conn.execute(response.insert().values(
                id=number, campaign_id=row["campaign_id"], participant_id=pid, public_id=secrets.token_hex(8),
                status="submitted", language=row["language"], device_class=row["device_class"], source="web",
                started_at=when - timedelta(minutes=5), updated_at=when, submitted_at=when))
            conn.execute(answer.insert(), [{"response_id": number, "item_id": k, "value": v}
                                           for k, v in answers_of[row["id"]].items()])


# -- the test ------------------------------------------------------------------------------

PUBLISHED = ["campaign_id", "attributes", "language", "device_class", "submitted_on"]


def test_a_database_reader_cannot_tie_submitted_responses_to_people(app, monkeypatch, old_schema_engine):
    started = time.monotonic()
    campaign, run = _run_journeys(app, monkeypatch)
    config = dict(app.config)
    data = dump(db.engine)
    # nothing waits in the queue, no partial response of a submitted person is left, and
    # the participant side keeps only "submitted"
    assert data["submission_queue"] == []
    assert len(data["response"]) == 2  # the two who stopped half way and never finished
    assert sum(1 for p in data["participant"] if p["submitted"]) == 30
    # the department is copied onto each response; a staff number, one per person, never
    copied = [r["attributes"] if isinstance(r["attributes"], dict) else json.loads(r["attributes"])
              for r in data["submitted_response"]]
    assert all(set(a) == {"department"} for a in copied)

    score, chance, p, n, tried = read(data, config, responses="submitted_response", answers="submitted_answer",
                                      key="response_id", run=run, published=PUBLISHED)
    print(f"\nsubmitted store: best of {tried} strategies paired {score} of {n}; chance (random truths) "
          f"{chance:.2f}; p = {p:.4f}")
    assert n == 30
    assert p >= SIGNIFICANCE, f"the reader paired {score} of {n}, chance {chance:.2f}, p = {p:.4f}"

    # the same run in today's schema before the change: every response is paired
    write_as_before(old_schema_engine, data, run)
    old = dump(old_schema_engine)
    old_score, old_chance, old_p, old_n, _tried = read(
        old, config, responses="response", answers="answer", key="response_id", run=run,
        published=["campaign_id", "language", "device_class"])
    print(f"schema before: paired {old_score} of {old_n}; chance {old_chance:.2f}; p = {old_p:.4f} "
          f"({time.monotonic() - started:.0f} s)")
    assert old_n == 30 and old_score == old_n
    assert old_p < SIGNIFICANCE
