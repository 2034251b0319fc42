"""Load clients for `bench/load.py` (Locust, headless). Which user class runs is chosen on
the command line; each request is named by the kind of page so percentiles are per kind.

Every class stops by itself: the journeys when their links run out (BENCH_LINKS: a file
of "participant_id token" lines, one per virtual respondent; the run ends when the last
journey has), everything when Locust's --run-time ends. A response that is not what a
browser would get counts as a failure, named "<kind of page>: <status>, expected <status>"
(bench/faults reads them back by status).
"""
from __future__ import annotations

import functools
import html
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.faults.pages import CSRF as CSRF_RE  # noqa: E402  (after the path is set)
from bench.faults.pages import SAVED  # noqa: E402

SHOWN_RE = re.compile(r'name="shown" (?:type="hidden" )?value="([^"]*)"')
START_RE = re.compile(r'href="(/s/[^"]+/p/[^"]+)"[^>]*class="govuk-button')
QUESTIONNAIRE = os.environ.get("BENCH_QUESTIONNAIRE", "user-satisfaction")


class BareGet(FastHttpUser):
    """Baseline: a bare Flask app returning a small page."""

    wait_time = constant(0)

    @task
    def page(self):
        self.client.get("/", name="bare GET")


class BareInsert(FastHttpUser):
    """Baseline: a bare Flask app inserting one row per POST into PostgreSQL."""

    wait_time = constant(0)

    @task
    def insert(self):
        self.client.post("/insert", data={"item": "sat_S1", "value": "5"}, name="bare insert POST")


def _links() -> list[tuple[int, str]]:
    path = os.environ.get("BENCH_LINKS")
    if not path:
        return []
    return [(int(pid), token) for pid, token in (line.split() for line in open(path) if line.strip())]


_links_left = _links()


def next_link() -> tuple[int, str]:
    if not _links_left:
        raise StopUser()
    return _links_left.pop()


#: journeys begun and not yet ended, so the last one to end can end the run
_under_way = 0


def answers_for(participant_id: int, page) -> dict[str, str]:
    """Valid answers to every item of a page, the same for the same participant (so the
    database check can work out what each respondent sent)."""
    from bench.answers import page_answers

    return page_answers(participant_id, page)


@functools.cache
def _questionnaire():
    """Parsed once per load client, before any user starts: parsing takes 0.15 s of the
    client's one CPU, and while it runs every request under way waits (gevent), which
    the client would count as the server's time."""
    from questionnaires import available

    return available()[QUESTIONNAIRE]


if os.environ.get("BENCH_LINKS"):
    _questionnaire()


def _form(body: str) -> dict[str, str]:
    csrf = CSRF_RE.search(body)
    if csrf is None:
        raise ValueError("no csrf_token on the page")
    fields = {"csrf_token": html.unescape(csrf.group(1))}
    shown = SHOWN_RE.search(body)
    if shown is not None:
        fields["shown"] = html.unescape(shown.group(1))
    return fields


class RespondentJourney(FastHttpUser):
    """One complete journey per personal link, as a browser without JavaScript makes it:
    the link, every page (GET, then POST with valid answers and Continue), check your
    answers, submit, confirmation. A new link starts a new browser (no cookies)."""

    wait_time = constant(0)

    def on_start(self):
        self.q = _questionnaire()

    def _expect(self, method: str, url: str, name: str, status: int, data: dict | None = None):
        with self.client.request(method, url, name=name, data=data, allow_redirects=False,
                                 catch_response=True) as response:
            if response.status_code != status:
                # a failure page that tells the respondent their answers are kept is not a bare error
                saved = " (answers saved)" if response.status_code >= 500 and SAVED.search(response.text or "") else ""
                response.failure(f"{name}: {response.status_code}, expected {status}{saved}")
                raise _Abandon()
            response.success()
            return response

    def on_stop(self):
        if not _links_left and _under_way == 0:  # every link's journey has ended: so does the run
            gevent.spawn(self.environment.runner.quit)

    @task
    def journey(self):
        global _under_way
        participant_id, token = next_link()
        self.client.cookiejar.clear()
        started = time.perf_counter()
        _under_way += 1
        try:
            start = self._expect("GET", f"/s/{token}", "start GET", 200)
            found = START_RE.search(start.text)
            if found is None:
                start.failure("no start button")
                return
            url = html.unescape(found.group(1))
            while "/p/" in url:
                page_id = url.rsplit("/p/", 1)[1].split("?")[0]
                page = self._expect("GET", url, "page GET", 200)
                data = {**_form(page.text), **answers_for(participant_id, self.q.page(page_id)), "action": "continue"}
                moved = self._expect("POST", url, "answer POST", 302, data)
                url = moved.headers["Location"].replace("http://", "").split("/", 1)[-1]
                url = "/" + url if not url.startswith("/") else url
            check = self._expect("GET", url, "check GET", 200)
            done = self._expect("POST", url, "submit POST", 302, _form(check.text))
            if not done.headers["Location"].endswith("/done"):
                raise _Abandon()
            self._expect("GET", f"/s/{token}/done", "confirmation GET", 200)
        except _Abandon:
            return
        finally:
            _under_way -= 1
        ended = time.perf_counter()
        events.request.fire(request_type="JOURNEY", name="journey", response_time=(ended - started) * 1000,
                            response_length=0, exception=None, context={})
        _record_done(participant_id, started, ended)


def _record_done(participant_id: int, started: float, ended: float) -> None:
    """Each completed journey, for the database check and the journeys per second (Locust
    leaves out of its CSV what finishes while it is stopping)."""
    path = os.environ.get("BENCH_DONE")
    if path:
        with open(path, "a") as f:
            f.write(f"{participant_id} {started:.6f} {ended:.6f}\n")


class _Abandon(Exception):
    """A page was not what a browser expects: the journey stops (already counted as a failure)."""


class RespondentGet(FastHttpUser):
    """A respondent page GET again and again (the first question page): the page GET ratio."""

    wait_time = constant(0)

    def on_start(self):
        _pid, token = next_link()
        self.url = f"/s/{token}/p/{_questionnaire().pages[0].id}"

    @task
    def page(self):
        self.client.get(self.url, name="respondent GET")


class RespondentPost(FastHttpUser):
    """An answer POST again and again (the second page, its answers changing each time, so
    every POST writes): the answer POST ratio."""

    wait_time = constant(0)

    def on_start(self):
        pid, token = next_link()
        q = _questionnaire()
        self.page = q.pages[1]
        self.url = f"/s/{token}/p/{self.page.id}"
        self.rng = random.Random(pid)
        self.form = _form(self.client.get(self.url, name="respondent GET (set-up)").text)

    @task
    def post(self):
        values = {f"q-{i.id}": str(self.rng.choice(i.scale.points)) for qn in self.page.questions for i in qn.items}
        with self.client.post(self.url, data={**self.form, **values, "action": "continue"}, name="answer POST",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"answer POST: {response.status_code}")


def _sign_in(client, email: str, password: str, name: str) -> None:
    page = client.get("/sign-in", name=f"{name} sign-in GET")
    client.post("/sign-in", data={**_form(page.text), "email": email, "password": password},
                name=f"{name} sign-in POST", allow_redirects=False)


class LiveRatePage(FastHttpUser):
    """An organisation admin watching the live response rate: the campaign page, and the
    figures the page refreshes itself with (rate.json)."""

    wait_time = constant(0)

    def on_start(self):
        _sign_in(self.client, os.environ["BENCH_ADMIN_EMAIL"], os.environ["BENCH_PASSWORD"], "admin")
        self.campaign = os.environ["BENCH_CAMPAIGN_ID"]

    @task(3)
    def page(self):
        with self.client.get(f"/campaigns/{self.campaign}/", name="response-rate page", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"response-rate page: {response.status_code}")

    @task(1)
    def json(self):
        with self.client.get(f"/campaigns/{self.campaign}/rate.json", name="rate.json", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"rate.json: {response.status_code}")


class ConsolePage(FastHttpUser):
    """The Improve team's console: every campaign with its response rate."""

    wait_time = constant(0)

    def on_start(self):
        _sign_in(self.client, os.environ["BENCH_IMPROVE_EMAIL"], os.environ["BENCH_PASSWORD"], "improve")

    @task
    def console(self):
        with self.client.get("/console/", name="console", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"console: {response.status_code}")
