"""Personal link tokens (survey_app/links.py): opaque, unalterable, one per purpose."""
from __future__ import annotations

import base64
import os
import string
import struct

from itsdangerous import URLSafeSerializer

from survey_app.links import (STOP_REMINDERS_SALT, is_legacy_token, make_token, read_token, respond_url,
                              stop_reminders_url)

SECRET = "test-secret-key-0123456789abcdef0123456789"
IDS = range(1, 2001)


def _decoded(token: str) -> bytes:
    """A token's bytes, read as base64 the way someone curious would read their own link."""
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def test_tokens_round_trip_and_refuse_tampering():
    token = make_token(42, "secret")
    assert read_token(token, "secret") == 42
    assert make_token(42, "secret") == token  # the same participant always gets the same link
    assert read_token(token, "other secret") is None
    assert read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "secret") is None
    assert read_token("not-a-token", "secret") is None
    assert read_token("", "secret") is None
    assert respond_url(42, "secret", "http://x/") == f"http://x/s/{token}"


def test_tokens_say_nothing_about_the_id_or_how_many_there_are():
    tokens = [make_token(i, SECRET) for i in IDS]
    assert {len(t) for t in tokens} == {32}  # id 1 and id 2000 look alike
    assert len(set(tokens)) == len(tokens)
    # no shared prefix beyond chance: 2,000 random base64 strings share at most about 4
    # characters (the old tokens all began with the id in base64, e.g. 'MTA' = 10)
    ordered = sorted(tokens)
    longest = max(len(os.path.commonprefix([a, b])) for a, b in zip(ordered, ordered[1:]))
    assert longest <= 5, longest
    firsts = [t[0] for t in tokens]
    assert max(firsts.count(c) for c in set(firsts)) < 80  # about 31 each by chance
    for i, token in zip(IDS, tokens):
        decoded = _decoded(token)
        assert struct.pack(">Q", i) not in decoded and struct.pack(">I", i) not in decoded, i
        if i >= 100:  # one or two digits turn up in 24 random bytes by chance
            assert str(i).encode() not in decoded, i


def test_every_single_character_change_is_refused():
    for salt in ("respond", STOP_REMINDERS_SALT):
        token = make_token(1234, SECRET, salt)
        assert read_token(token, SECRET, salt) == 1234
        others = string.ascii_letters + string.digits + "-_+/=.~% "
        for position, original in enumerate(token):
            for other in others:
                if other != original:
                    changed = token[:position] + other + token[position + 1:]
                    assert read_token(changed, SECRET, salt) is None, (salt, position, other)
        assert read_token(token[:-1], SECRET, salt) is None
        assert read_token(token + "A", SECRET, salt) is None
        assert read_token(token + "=", SECRET, salt) is None


def test_survey_and_stop_reminders_tokens_are_not_interchangeable():
    for i in (1, 42, 2000):
        survey = make_token(i, SECRET)
        stop = stop_reminders_url(i, SECRET, "http://x").rsplit("/", 1)[1]
        assert stop == make_token(i, SECRET, STOP_REMINDERS_SALT) and stop != survey
        assert read_token(stop, SECRET) is None
        assert read_token(survey, SECRET, STOP_REMINDERS_SALT) is None


def test_a_token_made_with_another_secret_key_is_refused():
    for salt in ("respond", STOP_REMINDERS_SALT):
        token = make_token(7, "another-secret-key-" + "x" * 30, salt)
        assert read_token(token, SECRET, salt) is None


def test_old_format_tokens_are_still_read_and_recognised():
    old = URLSafeSerializer(SECRET, salt="respond").dumps(10)  # a link sent before the change
    assert old.startswith("MTA.") and is_legacy_token(old)
    assert read_token(old, SECRET) == 10
    assert read_token(old, SECRET, STOP_REMINDERS_SALT) is None
    assert read_token(old, "another secret") is None
    assert not any(is_legacy_token(make_token(i, SECRET, salt)) for i in (1, 99, 10**12)
                   for salt in ("respond", STOP_REMINDERS_SALT))
