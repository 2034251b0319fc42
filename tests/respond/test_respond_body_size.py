"""A respondent page takes a body no bigger than its largest legitimate form (with room
to spare), and refuses anything bigger with 413 and a page in the respondent's language,
before it changes anything; the console's uploads keep their own, larger limit."""
from __future__ import annotations

import glob
import http.client
from urllib.parse import urlencode, urlsplit

from questionnaires.loader import load_file
from survey_app.extensions import db
from survey_app.models import Participant
from survey_app.respond.limits import SMALL_FORM_BYTES, page_body_limit
from tests.respond.helpers import ALL_ANSWERS, answer_all, form_fields, still_partial
from tests.stored import partial_answers

FORM = "application/x-www-form-urlencoded"
FOUR_BYTES = "😀"  # U+1F600: 4 bytes of UTF-8, 12 once URL-encoded


def comments_limit(respondent) -> int:
    from survey_app.models import Campaign

    q = db.session.get(Campaign, respondent.campaign.id).questionnaire_version.parsed()
    return page_body_limit(q.page("comments"))


def stored(participant) -> dict[str, str]:
    return partial_answers(participant)


def body_of_size(fields: dict, size: int) -> bytes:
    """The fields URL-encoded, with the comment padded to make exactly `size` bytes."""
    body = urlencode({**fields, "q-comments": ""}).encode()
    assert len(body) < size
    return urlencode({**fields, "q-comments": "x" * (size - len(body))}).encode()


def largest_legitimate_form(page) -> list[tuple[str, str]]:
    """Every text box at its longest in 4-byte characters, every box that can be ticked
    ticked (up to the most allowed), the longest value of every scale or option."""
    fields = {"csrf_token": "x" * 91, "shown": " ".join(i.id for qn in page.questions for i in qn.items),
              "action": "language-cy"}
    pairs = list(fields.items())
    for question in page.questions:
        for item in question.items:
            name = f"q-{item.id}"
            if item.type == "text":
                pairs.append((name, FOUR_BYTES * item.max_length))
            elif item.type == "multiple_choice":
                values = [o.value for o in item.options][:item.max_choices or None]
                pairs.extend((name, v) for v in values)
            elif item.type == "scale":
                choices = [str(p) for p in item.scale.points] + list(item.scale.missing_values)
                pairs.append((name, max(choices, key=len)))
            else:
                pairs.append((name, max([o.value for o in item.options] or ["yes"], key=len)))
    return pairs


def test_every_page_of_every_questionnaire_takes_its_largest_legitimate_form():
    files = sorted(glob.glob("questionnaires/*.yaml"))
    assert len(files) >= 3
    for path in files:
        for page in load_file(path).pages:
            size = len(urlencode(largest_legitimate_form(page)).encode())
            limit = page_body_limit(page)
            assert size < limit, (path, page.id, size, limit)
            assert limit < 64 * 1024, (path, page.id, limit)  # tens of kB, not megabytes


def test_the_largest_legitimate_page_saves(client, respondent):
    answer_all(client, respondent, {k: v for k, v in ALL_ANSWERS.items() if k != "comments"})
    page = client.get(respondent.page_url("comments")).get_data(as_text=True)
    text = FOUR_BYTES * 2000  # the box at its longest, every character 4 bytes
    body = urlencode({**form_fields(page), "action": "continue", "q-comments": text}).encode()
    assert len(body) > 24_000
    result = client.post(respondent.page_url("comments"), data=body, content_type=FORM)
    assert result.status_code == 302 and result.headers["Location"].endswith("/check")
    assert stored(respondent.participant)["comments"] == text


def test_a_body_just_over_the_limit_is_refused_with_the_page_in_the_respondents_language(
        client, make_respondent):
    respondent = make_respondent(language="cy")
    answer_all(client, respondent, {k: v for k, v in ALL_ANSWERS.items() if k != "comments"})
    before = stored(respondent.participant)
    fields = {**form_fields(client.get(respondent.page_url("comments")).get_data(as_text=True)),
              "action": "continue"}
    limit = comments_limit(respondent)
    over = client.post(respondent.page_url("comments"), data=body_of_size(fields, limit + 1), content_type=FORM)
    assert over.status_code == 413
    html = over.get_data(as_text=True)
    assert '<html lang="cy"' in html and "Nid yw eich atebion ar y dudalen hon wedi'u cadw" in html
    assert "Test Council" in html  # the survey's own page, not a bare error
    assert over.headers["Cache-Control"] == "no-store"
    assert stored(respondent.participant) == before
    # one byte less is read: the comment is then simply too long, and said so
    at = client.post(respondent.page_url("comments"), data=body_of_size(fields, limit), content_type=FORM)
    assert at.status_code == 400 and "nod yn ormod" in at.get_data(as_text=True)
    assert stored(respondent.participant) == before


def test_sixty_megabytes_are_refused_on_every_respondent_post(client, respondent):
    answer_all(client, respondent)
    huge = b"q-comments=" + b"x" * 60_000_000
    for path in (respondent.page_url("about-you"), respondent.page_url("comments"), respondent.url + "/check"):
        result = client.post(path, data=huge, content_type=FORM)
        assert result.status_code == 413, path
        assert "Your answers on this page were not saved" in result.get_data(as_text=True)
    assert still_partial(respondent.participant)


def test_the_check_page_takes_only_its_small_form(client, respondent):
    answer_all(client, respondent)
    fields = form_fields(client.get(respondent.url + "/check").get_data(as_text=True))
    padded = urlencode({**fields, "pad": "x" * SMALL_FORM_BYTES}).encode()
    assert client.post(respondent.url + "/check", data=padded, content_type=FORM).status_code == 413
    assert still_partial(respondent.participant)
    assert client.post(respondent.url + "/check", data=fields).status_code == 302  # the real form submits


def test_every_respondent_post_checks_its_csrf_token_and_its_limit(app, client, respondent):
    # the blueprint is exempt from the app-wide CSRF check (it needs the page first):
    # no POST route may skip its own
    posts = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("respond.") and "POST" in r.methods]
    assert {r.endpoint for r in posts} == {"respond.save", "respond.submit"}
    answer_all(client, respondent, {"about-you": ALL_ANSWERS["about-you"]})
    for path in (respondent.page_url("overall"), respondent.url + "/check"):
        refused = client.post(path, data={"action": "continue", "q-overall": "5", "q-improved": "5"})
        assert refused.status_code == 400 and "Your answers on this page were not saved" in refused.text
        assert client.post(path, data=b"x=" + b"y" * 70_000, content_type=FORM).status_code == 413
    assert "overall" not in stored(respondent.participant)


def test_stop_reminders_refuses_a_large_body_in_the_persons_language(app, client, make_respondent):
    from survey_app.links import stop_reminders_url

    respondent = make_respondent(language="cy")
    path = stop_reminders_url(respondent.participant.id, app.config["SECRET_KEY"], "")
    result = client.post(path, data={"List-Unsubscribe": "One-Click", "pad": "x" * SMALL_FORM_BYTES})
    assert result.status_code == 413
    assert '<html lang="cy"' in result.text and "Nid yw'r nodiadau atgoffa wedi'u stopio" in result.text
    db.session.expire_all()
    assert db.session.get(Participant, respondent.participant.id).opted_out_at is None
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200


def _request(base: str, method: str, path: str, body=None, headers=None) -> http.client.HTTPResponse:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {}, encode_chunked=body is not None
                       and not isinstance(body, bytes))
    response = connection.getresponse()
    response.text = response.read().decode()
    connection.close()
    return response


def _chunked_post(base: str, path: str, body: bytes, cookie: str | None = None) -> int:
    """POST `body` in chunks, with no Content-Length, as some clients and proxies do."""
    headers = {"Content-Type": FORM, "Transfer-Encoding": "chunked", **({"Cookie": cookie} if cookie else {})}
    return _request(base, "POST", path, (body[i:i + 8192] for i in range(0, len(body), 8192)), headers).status


def test_a_chunked_body_over_the_limit_is_refused_not_cut_short(live_server, respondent):
    answer = urlencode({"action": "continue", "q-comments": ""}).encode()
    body = answer + b"x" * comments_limit(respondent)
    assert _chunked_post(live_server, respondent.page_url("comments"), body) == 413
    assert stored(respondent.participant) == {}


def test_a_chunked_body_within_the_limit_is_read_whole(live_server, respondent):
    page = _request(live_server, "GET", respondent.page_url("about-you"))
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    body = urlencode({**form_fields(page.text), "action": "continue",
                      **{f"q-{k}": v for k, v in ALL_ANSWERS["about-you"].items()}}).encode()
    assert _chunked_post(live_server, respondent.page_url("about-you"), body, cookie) == 302
    assert stored(respondent.participant) == ALL_ANSWERS["about-you"]
