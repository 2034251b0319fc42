"""The Improve team's console: campaigns at a glance, creating organisations and campaigns."""
from __future__ import annotations

import html
from datetime import date

from survey_app.extensions import db
from survey_app.models import Campaign, Organisation
from tests.factories import make_campaign, make_org, make_participant


def test_campaigns_at_a_glance_with_filters(client, make_user, signer):
    a = make_org(name="Council A", type_letter="S", number=17)
    b = make_org(name="Council B", type_letter="L", number=31)
    c1 = make_campaign(a, opens=date(2025, 11, 3))  # the data year 2025/26
    make_campaign(b, opens=date(2026, 4, 6), questionnaire_id="sdma")  # 2026/27
    for i in range(4):
        make_participant(c1)
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    page = html.unescape(client.get("/console/").text)
    assert "S2517" in page and "L2631" in page and "Council A" in page
    assert "0.0% (0 out of 4)" in page
    only_2025 = html.unescape(client.get("/console/?year=2025").text)
    assert "S2517" in only_2025 and "L2631" not in only_2025
    only_sdma = html.unescape(client.get("/console/?questionnaire=sdma").text)
    assert "L2631" in only_sdma and "S2517" not in only_sdma


def test_create_organisation_and_campaign_from_the_browser(client, make_user, signer, csrf):
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    form = client.get("/console/organisations/new")
    bad = client.post("/console/organisations/new", data={"csrf_token": csrf(form.text), "name": "",
                                                          "number": "123"})
    assert bad.status_code == 400
    text = html.unescape(bad.text)
    assert "There is a problem" in text and "Enter the organisation's name" in text
    assert "Select the type of organisation" in text and 'value="123"' in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0

    made = client.post("/console/organisations/new", data={
        "csrf_token": csrf(form.text), "name": "Cyngor Enghraifft", "type_letter": "W", "number": "7",
        "language_policy": "default"})
    assert made.status_code == 302
    org = db.session.execute(db.select(Organisation)).scalar_one()
    assert (org.code_for(2026), org.language_policy) == ("W2607", "bilingual")

    page = client.get(made.headers["Location"])
    assert page.status_code == 200 and "Cyngor Enghraifft" in page.text
    bad_date = client.post("/console/campaigns/new", data={
        "csrf_token": csrf(page.text), "organisation_id": org.id, "questionnaire": "user-satisfaction",
        "opens_day": "31", "opens_month": "2", "opens_year": "2026", "weeks": "4", "anonymity_threshold": "5"})
    assert bad_date.status_code == 400 and "real date" in bad_date.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 0
    created = client.post("/console/campaigns/new", data={
        "csrf_token": csrf(page.text), "organisation_id": org.id, "questionnaire": "user-satisfaction",
        "opens_day": "2", "opens_month": "3", "opens_year": "2026", "weeks": "4", "anonymity_threshold": "5"})
    assert created.status_code == 302
    campaign = db.session.execute(db.select(Campaign)).scalar_one()
    # 2 March 2026 is in the financial year that started in April 2025
    assert (campaign.year_label, campaign.code, campaign.anonymity_threshold) == ("2025/26", "W2507", 5)
    assert created.headers["Location"].endswith(f"/campaigns/{campaign.id}/")


def test_forms_refuse_a_missing_csrf_token(client, make_user, signer):
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    response = client.post("/console/organisations/new", data={"name": "X", "type_letter": "E", "number": "3"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


def test_exports_from_the_browser(client, make_user, signer, make_response):
    import io
    import zipfile

    a, b = make_org(name="Council A"), make_org(name="Council B")
    ca, cb = make_campaign(a, released=True), make_campaign(b, released=True)  # released: in the exports
    make_response(ca, {"overall": "5", "comments": "Secret remark from A"})
    make_response(cb, {"overall": "3"})
    make_user("improve@example.org")
    signer(client, "improve@example.org")
    year = ca.year_label  # the data year of yesterday, e.g. 2026/27
    form = client.get("/console/exports")
    assert form.status_code == 200 and "user-satisfaction" in form.text
    everyone = client.get(f"/console/exports?questionnaire=user-satisfaction&year={year}&format=csv")
    files = zipfile.ZipFile(io.BytesIO(everyone.data))
    text = "".join(files.read(n).decode("utf-8-sig") for n in files.namelist())
    assert ca.code in text and cb.code in text
    assert "Council A" not in text and "Secret remark" not in text
    one = client.get(f"/console/exports?questionnaire=user-satisfaction&year={year}&format=parquet"
                     f"&organisation={a.id}")
    assert one.status_code == 200 and one.headers["Content-Type"] == "application/zip"
    # read back as a data analyst would: A's answers, scores and the benchmark, typed
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = zipfile.ZipFile(io.BytesIO(one.data))
    prefix = f"user-satisfaction-{ca.year_file_label}-{ca.code}"
    assert one.headers["Content-Disposition"] == f'attachment; filename="{prefix}-parquet.zip"'
    assert sorted(files.namelist()) == sorted(f"{prefix}-{t}.parquet"
                                              for t in ("long", "wide", "scores", "benchmarks", "dictionary"))

    def read(name):
        return pq.read_table(io.BytesIO(files.read(f"{prefix}-{name}.parquet")))

    long = read("long")
    assert long.schema.field("submitted_on").type == pa.date32()
    assert long.schema.field("score").type == pa.float64()
    rows = sorted((r["organisation_code"], r["item_id"], r["value"], r["score"]) for r in long.to_pylist())
    assert rows == [(ca.code, "comments", "Secret remark from A", None), (ca.code, "overall", "5", 5.0)]
    wide = read("wide").to_pylist()
    assert [(r["organisation_code"], r["overall"], r["comments"]) for r in wide] == [
        (ca.code, "5", "Secret remark from A")]
    scores = [r for r in read("scores").to_pylist() if r["metric"] == "OVERALL.satisfaction"]
    assert [(r["organisation_name"], r["score"], r["n"]) for r in scores] == [("Council A", 5.0, 1)]
    # the benchmark over A (5) and B (3): median 4, quartiles 3.5 and 4.5 (linear interpolation)
    benchmark = [r for r in read("benchmarks").to_pylist() if r["metric"] == "OVERALL.satisfaction"]
    assert [(r["organisations"], r["q1"], r["median"], r["q3"]) for r in benchmark] == [(2, 3.5, 4.0, 4.5)]
    assert cb.code not in str(long.to_pylist()) + str(wide)
    assert client.get(f"/console/exports?questionnaire=sdma&year={year}&format=csv").status_code == 404
