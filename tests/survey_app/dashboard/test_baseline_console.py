"""Historical baselines uploaded and deleted in the Improve console: the same checks as
`flask baseline import`, every problem listed by line and column, nothing stored."""
from __future__ import annotations

import html
import io

from survey_app.extensions import db
from survey_app.models import BaselineFigure, BenchmarkBaseline
from survey_app.results.baselines import MAX_BYTES
from tests.factories import make_org

GOOD = "factor,measure,median,q1,q3\nS1,satisfaction,4.8,4.5,5.1\nS1,importance,6.1,,\n"


def upload(client, csrf, data: str | bytes, **fields):
    page = client.get("/console/baselines")
    body = data.encode("utf-8") if isinstance(data, str) else data
    form = {"csrf_token": csrf(page.text), "questionnaire": "user-satisfaction", "label": "1999-2004", **fields,
            "file": (io.BytesIO(body), "baseline.csv")}
    return client.post("/console/baselines", data=form, content_type="multipart/form-data")


def count(model=BenchmarkBaseline) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_upload_list_and_delete(client, make_user, signer, csrf):
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    assert "No baselines yet." in client.get("/console/baselines").text
    response = upload(client, csrf, GOOD)
    assert response.status_code == 302
    page = html.unescape(client.get("/console/baselines").text)
    assert "Baseline ‘1999-2004’ stored: 2 figures." in page
    assert [(f.factor, f.measure, f.median, f.q1, f.q3) for f in db.session.scalars(db.select(BaselineFigure))] == [
        ("S1", "satisfaction", 4.8, 4.5, 5.1), ("S1", "importance", 6.1, None, None)]
    assert "ICT User Satisfaction Survey" in page and "1999-2004" in page

    clash = html.unescape(upload(client, csrf, GOOD).text)
    assert "user-satisfaction already has a baseline labelled ‘1999-2004’" in clash and count() == 1
    assert upload(client, csrf, "factor,measure,median\nS2,satisfaction,3\n", replace="y").status_code == 302
    assert [f.factor for f in db.session.scalars(db.select(BaselineFigure))] == ["S2"]

    baseline = db.session.scalars(db.select(BenchmarkBaseline)).one()
    page = client.get("/console/baselines")
    deleted = client.post(f"/console/baselines/{baseline.id}/delete", data={"csrf_token": csrf(page.text)})
    assert deleted.status_code == 302 and count() == 0 and count(BaselineFigure) == 0
    assert "Baseline ‘1999-2004’ deleted." in html.unescape(client.get("/console/baselines").text)


def test_every_problem_is_listed_and_nothing_is_stored(client, make_user, signer, csrf):
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    response = upload(client, csrf, "factor,measure,median\nS1,satisfaction,4\nS99,satisfaction,4\n"
                                    "S2,satisfaction,9\nS3,importance,\n")
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "The file has problems: nothing was stored." in text
    problems = text.split('id="problems"', 1)[1].split("</ul>", 1)[0]
    assert "Line 3, column factor (A): Unknown factor ‘S99’" in problems
    assert "Line 4, column median (C): 9 is outside the 1 to 7 scale." in problems
    assert "Line 5, column median (C): No median is given." in problems
    assert count() == 0

    missing = html.unescape(upload(client, csrf, GOOD, questionnaire="", label=" ").text)
    assert "Select the questionnaire the figures are for" in missing
    too_big = upload(client, csrf, "factor,measure,median\n" + "S1,satisfaction,4\n" * (MAX_BYTES // 18 + 1))
    assert too_big.status_code == 400
    assert "The file is larger than 256 KB" in html.unescape(too_big.text) and count() == 0
    no_label = html.unescape(upload(client, csrf, GOOD, label=" ").text)
    assert "The baseline needs a label naming its period, for example 1999-2004." in no_label
    control = html.unescape(upload(client, csrf, GOOD, label="1999\x002004").text)
    assert "The label contains the control character U+0000, which cannot be stored." in control
    two_lines = html.unescape(upload(client, csrf, GOOD, label="1999\n2004").text)
    assert "The label contains the control character U+000A, which cannot be stored." in two_lines
    assert count() == 0


def test_only_the_improve_team(client, make_user, signer, csrf):
    from tests.survey_app.dashboard.trend_data import store_1999_2004

    store_1999_2004()
    baseline = db.session.scalars(db.select(BenchmarkBaseline)).one()
    signed_out = client.post(f"/console/baselines/{baseline.id}/delete")
    assert signed_out.status_code in (302, 400) and count() == 1
    org = make_org()
    make_user("admin@example.org", role="org_admin", organisation=org)
    signer(client, "admin@example.org")
    page = client.get(f"/organisations/{org.id}/")
    assert client.get("/console/baselines").status_code == 404
    refused = client.post(f"/console/baselines/{baseline.id}/delete", data={"csrf_token": csrf(page.text)})
    assert refused.status_code == 404 and count() == 1
