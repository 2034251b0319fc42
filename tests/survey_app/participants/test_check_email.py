"""check_email's shortcut for everyday addresses gives exactly what email-validator gives."""
from __future__ import annotations

import random

from email_validator import EmailNotValidError, validate_email

from survey_app.participants import operations
from survey_app.participants.operations import PLAIN_ADDRESS, check_email

TRICKY = [
    "Person.One@Council.GOV.UK", "o'neil+tag@x.org", "a@b.co", "a@b.c", "a@b.c1", "a@x.123", "a@123.com",
    "a..b@x.com", ".a@x.com", "a.@x.com", "a@-x.com", "a@x-.com", "a@x..com", "a@x_y.com", "a@xn--bcher-kva.de",
    "a@ab--cd.com", "x@demo.invalid", "x@foo.local", "x@localhost", "x@host.test", "x@svc.onion", "x@in.arpa",
    "x@EXAMPLE.TEST", "\"quoted\"@x.com", "a@[127.0.0.1]", "ŵyn@x.cymru", "a@bücher.de", "a@x.cymru",
    "a" * 64 + "@x.com", "a" * 65 + "@x.com", "a@" + "b" * 63 + ".com", "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["b" * 60] * 4) + ".com", "a@" + "b." * 120 + "com", "{}@x.com", "a/b=c?d^e`f|g~h@x.co.uk",
]


def _validator(value: str):
    try:
        return validate_email(value, check_deliverability=False, allow_smtputf8=False).ascii_email
    except EmailNotValidError:
        return None


def _generated(count: int) -> list[str]:
    rng = random.Random(7)
    local_chars = "aZ09.-_+'!#&*/=?^`{|}~\"ŵ"
    domain_chars = "aZ09.-_ŵ"
    out = []
    for _ in range(count):
        local = "".join(rng.choice(local_chars) for _ in range(rng.randint(1, 8)))
        domain = "".join(rng.choice(domain_chars) for _ in range(rng.randint(1, 10)))
        out.append(f"{local}@{domain}.{rng.choice(['uk', 'COM', 'c0', 'test', 'gov.uk', 'x', 'invalid'])}")
    return out


def test_the_answer_is_email_validators():
    """(Values a spreadsheet would run as a formula are refused before either looks.)"""
    values = [v for v in TRICKY + _generated(3000) if v[0] not in "=+-@"]
    wrong = [(v, check_email(v), _validator(v)) for v in values if check_email(v)[0] != _validator(v)]
    assert wrong == []
    assert all((problem is None) == (address is not None) for address, problem in map(check_email, values))


def test_the_shortcut_is_taken_by_everyday_addresses():
    assert PLAIN_ADDRESS.fullmatch("firstname.lastname@council.gov.uk")
    assert sum(1 for v in _generated(3000) if PLAIN_ADDRESS.fullmatch(v)) > 100


def test_without_the_shortcut_the_answers_are_the_same(monkeypatch):
    values = TRICKY + _generated(300)
    fast = [check_email(v) for v in values]
    monkeypatch.setattr(operations, "PLAIN_ADDRESS", type("Never", (), {"fullmatch": staticmethod(lambda v: None)}))
    assert [check_email(v) for v in values] == fast
