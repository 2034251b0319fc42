"""Migration 0011 on a database that has answers: submitted responses move into the
submitted store without their link, partial ones stay and are found by their locator."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from survey_app.links import response_locator
from tests.helpers import TEST_CONFIG


@pytest.fixture
def old_app(backend, request, tmp_path):
    """An app whose database stands at migration 0010, the schema before the store."""
    from flask_migrate import upgrade

    from survey_app import create_app
    from survey_app.extensions import db
    from tests.helpers import scratch_database

    with scratch_database(backend, request, tmp_path, "survey_mig") as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
        with app.app_context():
            upgrade(revision="0010")
            yield app
            db.session.remove()
            db.engine.dispose()


def _fill(conn) -> None:
    """What the code before 0011 stored: six people, five of whom submitted on two days
    (three on one, two on the next; the anonymity threshold is 3), one who is half way,
    and a response imported from paper."""
    from questionnaires import available

    q = available()["user-satisfaction"]

    def js(name: str) -> str:  # JSON text, cast where the column's type needs it
        return f"CAST(:{name} AS JSON)" if conn.dialect.name == "postgresql" else f":{name}"

    now = datetime(2026, 11, 2, 9, 0)
    conn.execute(sa.text("INSERT INTO organisation (id, name, type_letter, number, partnership, created_at, "
                         "language_policy) VALUES (1, 'Old Council', 'E', 7, :no, :now, 'english')"),
                 {"now": now, "no": False})
    content = json.dumps({"id": q.id})
    conn.execute(sa.text("INSERT INTO questionnaire_version (id, questionnaire, version, content_hash, content, "
                         f"created_at) VALUES (1, :qid, :v, :h, {js('c')}, :now)"),
                 {"qid": q.id, "v": q.version, "h": "x" * 64, "c": content, "now": now})
    conn.execute(sa.text(
        "INSERT INTO campaign (id, organisation_id, questionnaire, questionnaire_version_id, opens_at, closes_at, "
        "status, anonymity_threshold, reminder_days, created_at, year, year_kind, paper_forms) VALUES "
        f"(1, 1, :qid, 1, :opens, :closes, 'open', 3, {js('days')}, :now, 2026, 'financial', 0)"),
        {"days": "[7, 14, 21]", "qid": q.id, "opens": datetime(2026, 11, 2), "closes": datetime(2026, 11, 30), "now": now})
    for pid in range(1, 8):
        conn.execute(sa.text(
            "INSERT INTO participant (id, campaign_id, email_hash, email, attributes, status, created_at) "
            f"VALUES (:id, 1, :h, :e, {js('a')}, 'active', :now)"),
            {"id": pid, "h": f"{pid:064x}", "e": f"p{pid}@example.org",
             "a": json.dumps({"department": "North" if pid % 2 else "South", "staff_no": f"S{pid:04d}"}), "now": now})
    moments = {1: datetime(2026, 11, 3, 10), 2: datetime(2026, 11, 3, 11), 3: datetime(2026, 11, 3, 23, 30),
               4: datetime(2026, 11, 4, 9), 5: datetime(2026, 11, 4, 10)}
    for rid, pid in enumerate([1, 2, 3, 4, 5, 6], start=1):
        submitted = moments.get(pid)
        conn.execute(sa.text(
            "INSERT INTO response (id, campaign_id, participant_id, public_id, status, language, source, "
            "started_at, updated_at, submitted_at, last_page) VALUES "
            "(:id, 1, :pid, :pub, :status, 'en', 'web', :now, :now, :sub, 'overall')"),
            {"id": rid, "pid": pid, "pub": f"pub{rid}", "status": "submitted" if submitted else "partial",
             "now": now, "sub": submitted})
        conn.execute(sa.text("INSERT INTO answer (response_id, item_id, value) VALUES (:r, 'overall', :v)"),
                     {"r": rid, "v": str(rid)})
    conn.execute(sa.text(
        "INSERT INTO response (id, campaign_id, participant_id, public_id, status, language, source, started_at, "
        "updated_at, submitted_at) VALUES (7, 1, NULL, 'paper1', 'submitted', 'cy', 'import', :now, :now, :sub)"),
        {"now": now, "sub": datetime(2026, 11, 10, 12)})
    conn.execute(sa.text("INSERT INTO answer (response_id, item_id, value) VALUES (7, 'overall', '7')"))


def test_submitted_responses_move_to_the_store_and_lose_their_link(old_app):
    from flask_migrate import upgrade

    from survey_app.extensions import db

    with db.engine.begin() as conn:
        _fill(conn)
    upgrade()

    with db.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("response")}
        assert "participant_id" not in columns and "submitted_at" not in columns and "locator" in columns
        store = conn.execute(sa.text(
            "SELECT s.id, s.public_id, s.source, s.language, s.submitted_on, s.attributes, a.value "
            "FROM submitted_response s JOIN submitted_answer a ON a.response_id = s.id")).all()
        submitted = dict(conn.execute(sa.text("SELECT id, submitted FROM participant")).all())
        partial = conn.execute(sa.text("SELECT r.locator, a.value FROM response r JOIN answer a "
                                       "ON a.response_id = r.id")).all()

    by_public = {row.public_id: row for row in store}
    assert set(by_public) == {"pub1", "pub2", "pub3", "pub4", "pub5", "paper1"}
    # every answer moved with its response
    assert {p: by_public[p].value for p in by_public} == {"pub1": "1", "pub2": "2", "pub3": "3", "pub4": "4",
                                                           "pub5": "5", "paper1": "7"}
    # ids are new and random, not the old row numbers
    assert all(row.id > 1000 for row in store)
    # the participant list's values copied onto web responses, but only those at least the
    # anonymity threshold's number of people share (never a staff number); none on the imported one
    attributes = {p: (json.loads(r.attributes) if isinstance(r.attributes, str) else r.attributes)
                  for p, r in by_public.items()}
    assert attributes["pub1"] == {"department": "North"} and attributes["pub2"] == {"department": "South"}
    assert attributes["paper1"] == {}
    # days only, grouped as a release would: 3 Nov had three (k = 3) and is a batch of
    # its own; 4 Nov had two, fewer than k, so as the last batch it joins the one before
    days = {p: r.submitted_on if isinstance(r.submitted_on, date) else date.fromisoformat(r.submitted_on)
            for p, r in by_public.items()}
    assert {days[p] for p in ("pub1", "pub2", "pub3", "pub4", "pub5")} == {date(2026, 11, 4)}
    assert days["paper1"] == date(2026, 11, 10)
    # the participants keep only "submitted"
    assert {pid for pid, flag in submitted.items() if flag} == {1, 2, 3, 4, 5}
    # the partial response stays, found by its participant's locator
    assert partial == [(response_locator(6, TEST_CONFIG["SECRET_KEY"]), "6")]
