"""Every page of a return sends the security headers every page sends (a strict
Content-Security-Policy, no-store, no referrer, no framing) and compact HTML, whether it
is a page, a refusal or an error."""
from __future__ import annotations

import pytest

from tests.maturity.helpers import edit
from tests.survey_app.test_security_headers import HEADERS, assert_strict


@pytest.fixture
def backend():
    return "sqlite"  # headers do not depend on the database


def test_every_page_of_a_return_sends_the_headers(app, client, lead, contributor, new_client):
    routes = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("maturity.")}
    assert routes == {"/s/<token>/return/", "/s/<token>/return/f/<function_id>", "/s/<token>/return/check",
                      "/s/<token>/return/submitted", "/s/<token>/return/contributors"}
    other = new_client()
    responses = {
        "overview": client.get(lead.url),
        "function": client.get(lead.function()),
        "check": client.get(lead.page("check")),
        "contributors": client.get(lead.page("contributors")),
        "submitted before submission": client.get(lead.page("submitted")),
        "contributors, not the lead": other.get(contributor.page("contributors")),
        "unknown function": client.get(lead.function("no_such_function")),
        "not valid": client.get("/s/" + "A" * 32 + "/return/"),
        "bad input": edit(client, lead, {"VL1.1": "perhaps"}),
        "no CSRF token": client.post(lead.function(), data={"answer-VL1-1": "yes"}),
        "too large": client.post(lead.page("check"), data=b"x=" + b"y" * 9000,
                                 content_type="application/x-www-form-urlencoded"),
    }
    assert [r.status_code for r in responses.values()] == [200, 200, 200, 200, 302, 403, 404, 404, 400, 400, 413]
    for what, response in responses.items():
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (what, name)
        assert_strict(response.headers["Content-Security-Policy"], what)
        if response.mimetype == "text/html" and what != "unknown function":
            assert "\n  " not in response.text.split("<textarea")[0], what  # compact: no indentation kept
