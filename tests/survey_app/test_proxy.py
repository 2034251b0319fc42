"""Behind the README's reverse proxy (PROXY_COUNT=1) the app sees the real client's address
and scheme, which the sign-in limits count; without a proxy it believes no header a client
sends (issue 14, row 8)."""
from __future__ import annotations

import pytest
from flask import request

from survey_app import create_app
from survey_app.config import ConfigError

SECRETS = {"SECRET_KEY": "proxy-test-secret-0123456789abcdef0123456789",
           "EMAIL_HASH_KEY": "proxy-test-hash-key-0123456789abcdef012345", "TESTING": True}
#: as nginx sends them: the client's own (forged) X-Forwarded-For, then the address nginx saw
FORWARDED = {"X-Forwarded-For": "192.0.2.66, 203.0.113.9", "X-Forwarded-Proto": "https"}


def seen_by(app) -> dict:
    """What a view of this app reads as the client's address and scheme."""
    app.add_url_rule("/who", "who", lambda: {"addr": request.remote_addr, "scheme": request.scheme})
    return app.test_client().get("/who", headers=FORWARDED, environ_base={"REMOTE_ADDR": "127.0.0.1"}).json


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(tmp_path):
    app = create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path), "PROXY_COUNT": 1})
    # the last hop only: the value the client put first is its own claim and is ignored
    assert seen_by(app) == {"addr": "203.0.113.9", "scheme": "https"}


def test_without_a_proxy_forwarded_headers_are_not_believed(tmp_path):
    app = create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path)})
    assert app.config["PROXY_COUNT"] == 0
    assert seen_by(app) == {"addr": "127.0.0.1", "scheme": "http"}


def test_proxy_count_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    assert seen_by(create_app(SECRETS))["addr"] == "203.0.113.9"


def test_a_negative_proxy_count_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="PROXY_COUNT must be a whole number"):
        create_app({**SECRETS, "INSTANCE_PATH": str(tmp_path), "PROXY_COUNT": -1})
