"""Two submits at once (a double click, two tabs, two devices) end with one submitted
response and no error page: real concurrent requests to a live server on PostgreSQL,
and the same race forced step by step with two database sessions."""
from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.respond.helpers import ABOUT_YOU, CSRF_RE, answer_all, still_partial, submitted_once
from tests.stored import partial_answers
from survey_app.extensions import db
from survey_app.models import Answer, Response

pytestmark = pytest.mark.postgres_only


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and an opener that does not follow redirects: one browser session."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as r:
                return r.status, r.headers.get("Location", ""), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location", ""), e.read().decode()

    def csrf(self, path: str) -> str:
        status, _, html = self.request(path)
        assert status == 200, status
        return CSRF_RE.search(html).group(1)


def race(calls) -> list:
    """Run the calls at the same moment, each in its own thread; their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def partial_responses(campaign_id: int) -> list[Response]:
    """Every partial response of the campaign (each test's campaign has one respondent)."""
    db.session.expire_all()
    return db.session.execute(db.select(Response).filter_by(campaign_id=campaign_id)).scalars().all()


def visit(app, participant_id: int):
    """What a request by the participant's link reads first: (participant, response)."""
    from survey_app.links import make_token
    from survey_app.respond import operations

    found = operations.visitor_for_token(make_token(participant_id, app.config["SECRET_KEY"]),
                                         app.config["SECRET_KEY"])
    return found.participant, found.response


@pytest.fixture
def backend():
    return "postgresql"


@pytest.mark.parametrize("how", ["double click", "two devices"])
def test_simultaneous_submits_end_with_one_response(live_server, make_respondent, client, how):
    for _round in range(4):
        respondent = make_respondent()
        answer_all(client, respondent)
        first = Browser(live_server)
        second = first if how == "double click" else Browser(live_server)
        tokens = [b.csrf(respondent.url + "/check") for b in (first, second)]
        results = race([lambda b=b, t=t: b.request(respondent.url + "/check", {"csrf_token": t})
                        for b, t in zip((first, second), tokens)])
        for status, location, body in results:
            assert status == 302, body[:2000]
            assert location.endswith(respondent.url + "/done") or location.endswith(respondent.url)
        submission = submitted_once(respondent.participant)
        assert len(submission.answers) == 47
        assert partial_responses(respondent.campaign.id) == []
        for b in (first, second):
            status, _, page = b.request(respondent.url)
            assert status == 200 and "You have already taken part" in page


def test_simultaneous_first_saves_create_one_response(live_server, make_respondent):
    for _round in range(4):
        respondent = make_respondent()
        browsers = [Browser(live_server) for _ in range(3)]
        path = respondent.page_url("about-you")
        data = [{"csrf_token": b.csrf(path), "action": "continue", "shown": "device location role working_mode",
                 **{f"q-{k}": v for k, v in ABOUT_YOU.items()}} for b in browsers]
        results = race([lambda b=b, d=d: b.request(path, d) for b, d in zip(browsers, data)])
        assert [r[0] for r in results] == [302, 302, 302], [r[2][:500] for r in results]
        responses = partial_responses(respondent.campaign.id)
        assert len(responses) == 1 and still_partial(respondent.participant)
        assert partial_answers(respondent.participant) == ABOUT_YOU


def test_a_submit_waits_for_the_other_and_then_changes_nothing(app, make_respondent, client):
    """The race step by step: A has submitted but not committed when B submits."""
    from survey_app.respond import operations

    respondent = make_respondent()
    answer_all(client, respondent)
    q = respondent.campaign.questionnaire_version.parsed()
    a_submitted, a_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def submit_in_own_session(name, language, before_commit=None):
        with app.app_context():
            participant, response = visit(app, respondent.participant.id)
            outcome[name] = operations.submit(response, q, participant, language=language,
                                              device_class=language + "-device", secret=app.config["SECRET_KEY"])
            if before_commit:
                before_commit()
            db.session.commit()

    a = threading.Thread(target=submit_in_own_session,
                         args=("a", "en", lambda: (a_submitted.set(), a_may_commit.wait(30))))
    b = threading.Thread(target=submit_in_own_session, args=("b", "cy"))
    a.start()
    assert a_submitted.wait(30)
    b.start()
    b.join(timeout=2)
    assert b.is_alive(), "B must wait for the row lock A holds"
    a_may_commit.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert outcome["a"].submitted and outcome["b"].already and not outcome["b"].submitted
    final = submitted_once(respondent.participant)
    assert (final.language, final.device_class) == ("en", "en-device")
    assert len(final.answers) == 47


def test_a_save_after_the_submit_commits_changes_nothing(app, make_respondent, client):
    from survey_app.respond import operations

    respondent = make_respondent()
    answer_all(client, respondent)
    q = respondent.campaign.questionnaire_version.parsed()
    with app.app_context():  # a session of its own, as a request has
        participant, response = visit(app, respondent.participant.id)
        assert operations.submit(response, q, participant, language="en", device_class=None,
                                 secret=app.config["SECRET_KEY"]).submitted
        db.session.commit()
        changed = operations.save_page(response, q, q.page("about-you"), {"device": "tablet"}, completed=True,
                                       language="en", device_class=None)
        db.session.commit()
    assert changed is False
    assert submitted_once(respondent.participant).answers["device"] == "laptop"
    assert partial_responses(respondent.campaign.id) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
