"""A respondent request whose database connection dies is run again on a fresh one and
served, storing each answer once; killed twice it is a 503 page in the respondent's
language with nothing half-stored; a submit whose commit went through always ends on
the confirmation. On PostgreSQL, ending the request's own backend at chosen statements
(tests/db_faults.py)."""
from __future__ import annotations

import pytest

from survey_app.extensions import db
from survey_app.models import Answer, Response
from tests.db_faults import kill_before, lose_the_connection_after_commit
from tests.respond.helpers import ABOUT_YOU, ALL_ANSWERS, answer_all, answer_page, form_fields, submitted_once
from tests.stored import partial_answers

pytestmark = pytest.mark.postgres_only


def rows() -> tuple[int, int]:
    """(responses, answers) stored."""
    db.session.expire_all()
    count = db.func.count()
    return (db.session.scalar(db.select(count).select_from(Response)),
            db.session.scalar(db.select(count).select_from(Answer)))


def stored(participant) -> dict[str, str]:
    """The participant's partial answers (found by their locator)."""
    return partial_answers(participant)


def posted(client, url: str, answers: dict, action: str = "continue") -> dict:
    """The form a page would send with these answers (fetched before any fault)."""
    page = client.get(url).get_data(as_text=True)
    return {**form_fields(page), "action": action, **{f"q-{k}": v for k, v in answers.items()}}


@pytest.fixture
def backend():
    return "postgresql"


@pytest.fixture
def welsh(make_respondent):
    return make_respondent(language="cy")


def test_a_page_whose_connection_is_killed_is_served(client, welsh):
    answer_page(client, welsh.page_url("about-you"), ABOUT_YOU)
    with kill_before(db.engine) as killer:
        page = client.get(welsh.page_url("about-you"))
    assert killer.killed == 1
    assert page.status_code == 200 and 'value="laptop" checked' in page.get_data(as_text=True)


@pytest.mark.parametrize("statement", [r".", r"^INSERT INTO response\b", r"^UPDATE response\b", r"^INSERT INTO answer\b"],
                         ids=["first", "response-insert", "response-update", "answers-insert"])
def test_a_save_whose_connection_is_killed_is_stored_once(client, welsh, statement):
    form = posted(client, welsh.page_url("about-you"), ABOUT_YOU)
    with kill_before(db.engine, statement) as killer:
        saved = client.post(welsh.page_url("about-you"), data=form)
    assert killer.killed == 1, killer.statements
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/p/overall")
    assert stored(welsh.participant) == ABOUT_YOU
    assert rows() == (1, len(ABOUT_YOU))
    # a change to a page already saved is stored once too
    form = posted(client, welsh.page_url("about-you"), {**ABOUT_YOU, "device": "tablet"})
    with kill_before(db.engine, r"^UPDATE answer\b") as killer:
        assert client.post(welsh.page_url("about-you"), data=form).status_code == 302
    assert killer.killed == 1, killer.statements
    assert stored(welsh.participant)["device"] == "tablet"
    assert rows() == (1, len(ABOUT_YOU))


def test_killed_twice_is_a_503_page_in_the_respondents_language_with_nothing_half_stored(
        client, welsh):
    form = posted(client, welsh.page_url("about-you"), ABOUT_YOU)
    with kill_before(db.engine, r"^INSERT INTO answer\b", times=2) as killer:
        failed = client.post(welsh.page_url("about-you"), data=form)
    assert killer.killed == 2
    assert failed.status_code == 503
    html = failed.get_data(as_text=True)
    assert '<html lang="cy"' in html and "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in html
    assert "Mae eich atebion wedi'u cadw hyd at y dudalen olaf a gadwyd gennych." in html
    assert "Test Council" in html and failed.headers["Cache-Control"] == "no-store"
    assert rows() == (0, 0)  # the response row made on the way went with its transaction
    # trying again works
    assert client.post(welsh.page_url("about-you"), data=form).status_code == 302
    assert stored(welsh.participant) == ABOUT_YOU
    with kill_before(db.engine, times=2):
        assert client.get(welsh.page_url("overall")).status_code == 503


@pytest.mark.parametrize("statement", [r"^UPDATE response\b", r"^UPDATE participant\b", r"^INSERT INTO submission_queue\b",
                                       r"^DELETE FROM response\b"],
                         ids=["lock", "mark-submitted", "queue", "delete-partial"])
def test_a_submit_killed_before_it_is_made_is_made_once(client, welsh, statement):
    answer_all(client, welsh)
    before = stored(welsh.participant)
    form = form_fields(client.get(welsh.url + "/check").get_data(as_text=True))
    with kill_before(db.engine, statement) as killer:
        done = client.post(welsh.url + "/check", data=form)
    assert killer.killed == 1, killer.statements
    assert done.status_code == 302 and done.headers["Location"].endswith("/done")
    submission = submitted_once(welsh.participant)
    assert submission.answers == before and len(before) == sum(len(answers) for answers in ALL_ANSWERS.values())
    assert submission.language == "cy"
    assert rows() == (0, 0)  # the partial response went with the submit that was made


def test_a_submit_whose_commit_went_through_shows_the_confirmation(client, welsh):
    answer_all(client, welsh)
    before = stored(welsh.participant)
    form = form_fields(client.get(welsh.url + "/check").get_data(as_text=True))
    with lose_the_connection_after_commit(db.engine) as killer:
        done = client.post(welsh.url + "/check", data=form)
    assert killer.killed == 1
    assert done.status_code == 302 and done.headers["Location"].endswith("/done")
    assert submitted_once(welsh.participant).answers == before and len(before) == 47
    assert rows() == (0, 0)
    page = client.get(done.headers["Location"])
    assert page.status_code == 200 and "Mae eich ymateb wedi'i gyflwyno" in page.get_data(as_text=True)


def test_a_save_whose_commit_went_through_moves_on(client, welsh):
    form = posted(client, welsh.page_url("about-you"), ABOUT_YOU)
    with lose_the_connection_after_commit(db.engine) as killer:
        saved = client.post(welsh.page_url("about-you"), data=form)
    assert killer.killed == 1, killer.statements
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/p/overall")
    assert stored(welsh.participant) == ABOUT_YOU and rows() == (1, len(ABOUT_YOU))


def test_stopping_reminders_whose_connection_is_killed_is_done(app, client, welsh):
    from survey_app.links import stop_reminders_url
    from survey_app.models import Participant

    path = stop_reminders_url(welsh.participant.id, app.config["SECRET_KEY"], "")
    with kill_before(db.engine, r"^UPDATE participant\b") as killer:
        assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert killer.killed == 1
    db.session.expire_all()
    assert db.session.get(Participant, welsh.participant.id).opted_out_at is not None
