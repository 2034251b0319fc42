"""Saves and submissions really at once, on PostgreSQL: two contributors' saves of the
same statement (its first answer, and a change), a double-clicked or two-tab submit, and
a save racing the submission. Each ends with one winner, the other told, and no error
page; then the same race forced step by step with two database sessions."""
from __future__ import annotations

import threading

import pytest

from survey_app.extensions import db
from survey_app.models.types import utcnow
from tests.maturity.helpers import VL_STATEMENTS, edit, fill, form_fields, return_row, stored
from tests.respond.test_respond_concurrency import Browser, race

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def backend():
    return "postgresql"


def load(browser: Browser, path: str) -> str:
    status, _, html = browser.request(path)
    assert status == 200, status
    return html


def post(browser: Browser, path: str, data) -> tuple[int, str, str]:
    return browser.request(path, [(k, v) for k, values in data.lists() for v in values])


@pytest.mark.parametrize("first_answer", [True, False])
def test_two_saves_of_one_statement_at_once(live_server, client, lead, contributor, first_answer):
    sam, alex = Browser(live_server), Browser(live_server)
    lead_id, alex_id = lead.contributor.participant_id, contributor.contributor.participant_id
    for statement in VL_STATEMENTS[:5]:
        if not first_answer:
            edit(client, lead, {statement: "no"}, {statement: "before"})
        pages = load(sam, lead.function()), load(alex, contributor.function())
        sams, alexs = (fill(pages[0], {statement: "yes"}, {statement: "Sam's"}),
                       fill(pages[1], {statement: "no"}, {statement: "Alex's"}))
        results = race([lambda: post(sam, lead.function(), sams), lambda: post(alex, contributor.function(), alexs)])
        statuses = sorted(r[0] for r in results)
        assert statuses == [302, 409], [r[2][:500] for r in results]
        winner = 0 if results[0][0] == 302 else 1
        value, note, revision, by = stored(lead.campaign)[statement]
        expected = [("yes", "Sam's", lead_id), ("no", "Alex's", alex_id)][winner]
        assert (value, note, by) == expected and revision == (1 if first_answer else 2)
        assert "while you were working on it" in results[1 - winner][2]


@pytest.mark.parametrize("how", ["double click", "two tabs"])
def test_simultaneous_submits_make_one_submission(live_server, client, lead, how):
    edit(client, lead, {s: "yes" for s in VL_STATEMENTS})
    first = Browser(live_server)
    second = first if how == "double click" else Browser(live_server)
    forms = [form_fields(load(b, lead.page("check")), "submit-return") for b in (first, second)]
    for f in forms:
        f["confirm-unanswered"] = "yes"
    results = race([lambda b=b, f=f: post(b, lead.page("check"), f) for b, f in zip((first, second), forms)])
    for status, location, body in results:
        assert status == 302 and location.endswith(lead.page("submitted")), body[:500]
    row = return_row(lead.campaign)
    assert row.status == "submitted" and row.submitted_by_id == lead.contributor.participant_id
    times = {load(b, lead.page("submitted")).count("Return submitted") for b in (first, second)}
    assert times == {2}  # the panel and the title, for each


def test_a_save_racing_the_submission(live_server, client, lead, contributor):
    edit(client, lead, {s: "yes" for s in VL_STATEMENTS[:8]})
    sam, alex = Browser(live_server), Browser(live_server)
    submit = form_fields(load(sam, lead.page("check")), "submit-return")
    submit["confirm-unanswered"] = "yes"
    page = load(alex, contributor.function())
    (submit_status, _, _), (save_status, _, body) = race([
        lambda: post(sam, lead.page("check"), submit),
        lambda: post(alex, contributor.function(), fill(page, {"VL5.2": "no"}))])
    assert submit_status == 302 and return_row(lead.campaign).status == "submitted"
    assert save_status in (302, 409), body[:500]
    saved = stored(lead.campaign).get("VL5.2")
    if save_status == 302:  # saved before the submission took the return's lock
        assert saved[0] == "no"
    else:  # after it: told, and nothing changed
        assert saved is None and "These changes were not saved" in body


@pytest.mark.parametrize("first_answer", [True, False])
def test_a_save_waits_for_the_other_and_then_is_refused(app, client, lead, contributor, first_answer):
    """The race step by step: Sam has saved but not committed when Alex saves the same
    statement, both from a page showing it unanswered (or answered No, revision 1)."""
    from survey_app.maturity import operations
    from survey_app.models import Campaign, MaturityContributor

    edit(client, lead, {"VL5.2": "yes"} if first_answer else {"VL1.1": "no"})  # the return exists
    base = None if first_answer else 1
    sam_saved, sam_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def save(name, person, value, before_commit=None):
        with app.app_context():
            campaign = db.session.get(Campaign, lead.campaign.id)
            who = db.session.get(MaturityContributor, person.contributor.participant_id)
            outcome[name] = operations.save_answers(campaign, who, {"VL1.1": (value, None, base)}, utcnow())
            if before_commit:
                before_commit()
            db.session.commit()

    sam = threading.Thread(target=save, args=("sam", lead, "yes", lambda: (sam_saved.set(), sam_may_commit.wait(30))))
    alex = threading.Thread(target=save, args=("alex", contributor, "no" if first_answer else None))
    sam.start()
    assert sam_saved.wait(30)
    alex.start()
    alex.join(timeout=2)
    assert alex.is_alive(), "Alex's save must wait for Sam's to commit (the return's row lock)"
    sam_may_commit.set()
    sam.join(timeout=30)
    alex.join(timeout=30)
    assert outcome == {"sam": [], "alex": ["VL1.1"]}
    assert stored(lead.campaign)["VL1.1"][:3] == ("yes", None, 1 if first_answer else 2)


def test_the_return_is_created_once_however_many_ask_at_once(app, lead):
    from survey_app.maturity import operations
    from survey_app.models import Campaign, MaturityReturn

    def first_need():
        with app.app_context():
            found = operations.return_of(db.session.get(Campaign, lead.campaign.id)).id
            db.session.commit()
            return found

    ids = race([first_need] * 4)
    assert len(set(ids)) == 1 and None not in ids
    assert db.session.scalar(db.select(db.func.count()).select_from(MaturityReturn)) == 1
