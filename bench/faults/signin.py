"""Signing in under attack (issue 14, rows 2, 3 and 4), through nginx. Each client has a
loopback address of its own (bench/faults/client.py), so the per-address limit counts
only what the row means it to: row 2 is many addresses at one account, row 4 one address
at many accounts.

The product answers a wrong password 200, a locked account or a limited client 429, and
signs in with a 302; anything else is an error seen by the client.
"""
from __future__ import annotations

import re
import statistics
import threading
from collections import Counter

from ..product import PASSWORD, create_user
from .client import NO_ANSWER, Answer, Browser, address
from .pages import CSRF, csrf_token
from .report import Tally, status_label
from .stack import Stack

ANSWERS = (200, 302, 429)
WRONG = "not the password 0123456789"


def sign_in_form(tally: Tally, browser: Browser) -> dict | None:
    """GET the sign-in page; its hidden fields, or None when it did not come."""
    token = csrf_token(tally.record(browser.get("/sign-in"), ANSWERS).body)
    return {"csrf_token": token} if token else None


def post_sign_in(tally: Tally, browser: Browser, form: dict | None, email: str, password: str) -> Answer:
    if form is None:
        return Answer(NO_ANSWER, error="no sign-in form")
    return tally.record(browser.post("/sign-in", {**form, "email": email, "password": password}), ANSWERS)


def sign_in(tally: Tally, browser: Browser, email: str, password: str) -> Answer:
    return post_sign_in(tally, browser, sign_in_form(tally, browser), email, password)


def statuses(answers: list[Answer]) -> str:
    return ", ".join(f"{n} x {s}" for s, n in sorted(Counter(status_label(a.status) for a in answers).items()))


def concurrent_lock(quick: bool, stack: Stack) -> Tally:
    """Row 2: 30 sign-ins for one account at once from 30 addresses, 29 wrong; the right
    password is sent last, once five wrong ones have been answered (the account should be
    locked by then, whatever the concurrency)."""
    tally = Tally("row 2: 30 sign-ins at once")
    email = "row2@faults.example"
    create_user(stack.app, email, "improve")
    browsers = [Browser(stack.proxy.base, address(2, i), timeout=60) for i in range(31)]
    forms = [sign_in_form(tally, b) for b in browsers]
    wrong: list[Answer] = []
    five_answered = threading.Event()
    lock = threading.Lock()
    start = threading.Barrier(29)

    def guess(i: int) -> None:
        start.wait()
        answer = post_sign_in(tally, browsers[i], forms[i], email, WRONG)
        with lock:
            wrong.append(answer)
            if len(wrong) >= 5:
                five_answered.set()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(29)]
    for t in threads:
        t.start()
    five_answered.wait(timeout=120)
    right = post_sign_in(tally, browsers[29], forms[29], email, PASSWORD)
    for t in threads:
        t.join()
    # afterwards, the right password from yet another address: a locked account refuses it
    after = post_sign_in(tally, browsers[30], forms[30], email, PASSWORD)
    checked = sum(1 for a in wrong if a.status == 200)
    tally.finding = (f"wrong passwords answered as checked (200, not 'locked'): {checked} of 29 (the lock should "
                     f"stop at 5); wrong answers: {statuses(wrong)}; the right password, sent after five wrong "
                     f"answers: {_signed_in(right)}; the right password afterwards from another address: "
                     f"{_signed_in(after)}")
    return tally


def _signed_in(answer: Answer) -> str:
    return "SIGNED IN" if answer.status == 302 else f"refused ({status_label(answer.status)})"


def timing(quick: bool, stack: Stack) -> Tally:
    """Row 3: wrong passwords for real accounts and for made-up addresses, nine each, in
    turn: attempts 1-5 (a real account not yet locked) and 6-9 (locked). Per group: the
    median and 90th percentile time of the POST, the statuses, and whether the pages are
    the same once the address typed in and the form's token are taken out."""
    tally = Tally("row 3: real vs made-up address")
    accounts = 2 if quick else 5
    groups: dict[tuple[str, str], list[tuple[Answer, str]]] = {}
    for i in range(accounts):
        real, made_up = f"row3-{i}@faults.example", f"row3-nobody-{i}@faults.example"
        create_user(stack.app, real, "improve")
        pair = [("real", Browser(stack.proxy.base, address(3, 2 * i)), real),
                ("made-up", Browser(stack.proxy.base, address(3, 2 * i + 1)), made_up)]
        for attempt in range(1, 10):
            phase = "attempts 1-5" if attempt <= 5 else "attempts 6-9 (real account locked)"
            for kind, browser, email in (pair if attempt % 2 else pair[::-1]):
                answer = sign_in(tally, browser, email, WRONG)
                groups.setdefault((phase, kind), []).append((answer, _page(answer.body, email)))
    parts = []
    for phase in ("attempts 1-5", "attempts 6-9 (real account locked)"):
        real, made_up = groups[(phase, "real")], groups[(phase, "made-up")]
        same = {page for _a, page in real} == {page for _a, page in made_up}
        parts.append(f"{phase}: real {_times(real)} vs made-up {_times(made_up)} ms (median/p90); statuses "
                     f"{statuses([a for a, _p in real])} vs {statuses([a for a, _p in made_up])}; pages "
                     f"{'the same' if same else 'DIFFER'}")
    tally.finding = "; ".join(parts)
    return tally


def _page(body: str, email: str) -> str:
    """The page with what differs between any two tries taken out: the address typed in,
    the form's token and any per-response nonce."""
    body = body.replace(email, "ADDRESS")
    body = CSRF.sub('name="csrf_token" value=""', body)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', body)


def _times(group: list[tuple[Answer, str]]) -> str:
    ms = sorted(1000 * a.seconds for a, _p in group)
    return f"{statistics.median(ms):.0f}/{ms[int(0.9 * (len(ms) - 1))]:.0f}"


def client_limit(quick: bool, stack: Stack) -> Tally:
    """Row 4: 60 sign-ins from one client address, four at a time so both workers take
    some, each for a different made-up address (so no account lock plays a part)."""
    tally = Tally("row 4: 60 sign-ins, one address")
    source = address(4, 0)
    posts: list[Answer] = []
    lock = threading.Lock()

    def client(t: int) -> None:
        browser = Browser(stack.proxy.base, source)
        for k in range(15):
            answer = sign_in(tally, browser, f"row4-{t}-{k}@faults.example", WRONG)
            with lock:
                posts.append(answer)

    threads = [threading.Thread(target=client, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    allowed = sum(1 for a in posts if a.status == 200)
    tally.finding = f"allowed {allowed} of 60 (the README says 20 in 5 minutes); answers: {statuses(posts)}"
    return tally
