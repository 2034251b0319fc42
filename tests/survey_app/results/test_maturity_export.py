"""flask export and the console's exports for the Digital Maturity Assessment: every
answer with its function and layer, values worked out by hand, and nothing personal."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import pyarrow.parquet as pq
import pytest
from flask import current_app
from openpyxl import load_workbook

from survey_app.auth.operations import create_user
from survey_app.extensions import db
from survey_app.models import MaturityContributor
from tests.factories import make_org, make_participant
from tests.survey_app.results.maturity_returns import ALL_YES, NOTHING, at_level, make_dma_campaign, make_return

FILE = "2026-27"
LEAD_EMAIL, LEAD_NAME = "digital.lead@aberhafren.example", "Morwenna Lead-Contributor"
NOTE = "Agreed by Cabinet; ask clerk@aberhafren.example for the minutes"
#: A: VL yy yy yn yy yy (level 2), CS all Yes (5), the rest nothing answered (0):
#: levels 2 5 0 0 0 0 0 0 0, median 0; Yes 9 + 10 = 19 of 90
COUNCIL_A = ["yy yy yn yy yy", ALL_YES] + [NOTHING] * 7
STATEMENTS = 90


@pytest.fixture
def returns(app):
    """A (W2601) with a lead who changed its answers and a note; B (L2602) at level 1,
    C (L2603) at level 4, all released; D (W2604) at level 5, submitted, not released."""
    a = make_dma_campaign(make_org(name="Aberhafren Test Council", type_letter="W", number=1))
    lead = make_participant(a, email=LEAD_EMAIL)
    db.session.add(MaturityContributor(participant_id=lead.id, campaign_id=a.id, is_lead=True, name=LEAD_NAME))
    answered = make_return(a, COUNCIL_A, notes={"VL3.2": NOTE, "TE1.1": "Not yet discussed"})
    for answer in answered.answers:
        answer.changed_by_id = lead.id
    db.session.commit()
    make_return(make_dma_campaign(make_org(name="Blackmoor", type_letter="L", number=2)), at_level(1))
    make_return(make_dma_campaign(make_org(name="Cold Ash", type_letter="L", number=3)), at_level(4))
    d = make_dma_campaign(make_org(name="Dinas Test Council", type_letter="W", number=4), released=False)
    make_return(d, ALL_YES)
    return a, d


def export(runner, tmp_path, file_format, *extra):
    out = tmp_path / f"{file_format}{len(extra)}"
    result = runner.invoke(args=["export", "--questionnaire", "dma", "--year", "2026/27", "--format", file_format,
                                 "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def read_csv(path):
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_tables_across_organisations(runner, returns, tmp_path):
    out = export(runner, tmp_path, "csv")
    tables = ("benchmarks", "columns", "dictionary", "long", "scores", "wide")
    assert sorted(p.name for p in out.iterdir()) == [f"dma-{FILE}-{t}.csv" for t in tables]
    long = read_csv(out / f"dma-{FILE}-long.csv")
    # A, B and C (D is not released): every statement of each return, answered or not
    assert len(long) == 3 * STATEMENTS
    assert {r["organisation_code"] for r in long} == {"W2601", "L2602", "L2603"}
    assert all(r["function"] and r["layer"] in ("1", "2", "3", "4", "5") for r in long)
    a = {r["statement_id"]: r for r in long if r["organisation_code"] == "W2601"}
    assert (a["VL3.2"]["function"], a["VL3.2"]["layer"], a["VL3.2"]["value"]) == ("vision_leadership", "3", "no")
    assert a["CS5.1"]["value"] == "yes" and a["TE1.1"]["value"] == "" and a["TE1.1"]["function"] == "technology"
    assert list(a)[:3] == ["VL1.1", "VL1.2", "VL2.1"] and "note" not in long[0]
    assert a["VL1.1"]["year"] == "2026/27" and a["VL1.1"]["submitted_at"] == "2026-05-20T10:00:00Z"
    wide = read_csv(out / f"dma-{FILE}-wide.csv")
    assert [r["organisation_code"] for r in wide] == ["L2602", "L2603", "W2601"]
    w2601 = wide[2]
    assert (w2601["VL3.1"], w2601["VL3.2"], w2601["TE1.1"], w2601["CS5.2"]) == ("yes", "no", "", "yes")
    assert len([c for c in w2601 if re.fullmatch(r"[A-Z]{2}\d\.\d", c)]) == STATEMENTS
    scores = read_csv(out / f"dma-{FILE}-scores.csv")
    assert len(scores) == 3 * 20  # nine functions and overall, level and commitment
    s = {(r["organisation_code"], r["metric"]): r for r in scores}
    # overall levels A 0 (median of 2 5 0 0 0 0 0 0 0), B 1, C 4: median 1
    assert s[("W2601", "overall.level")]["score"] == "0.0" and s[("W2601", "overall.level")]["median"] == "1.0"
    assert s[("W2601", "overall.level")]["band"] == "1"  # 0 < q1 0.5
    assert (s[("W2601", "overall.commitment")]["yes"], s[("W2601", "overall.commitment")]["statements"]) == ("19", "90")
    assert float(s[("W2601", "overall.commitment")]["score"]) == pytest.approx(19 / 90, abs=1e-12)
    vl = s[("W2601", "vision_leadership.level")]
    # vision_leadership levels A 2, B 1, C 4: q1 1.5, median 2, q3 3
    assert (vl["function"], vl["measure"], vl["score"], vl["q1"], vl["median"], vl["q3"]) == (
        "vision_leadership", "level", "2.0", "1.5", "2.0", "3.0")
    bench = {r["metric"]: r for r in read_csv(out / f"dma-{FILE}-benchmarks.csv")}
    assert (bench["overall.level"]["organisations"], bench["overall.level"]["q1"], bench["overall.level"]["q3"]) == (
        "3", "0.5", "2.5")
    assert bench["overall.level"]["function"] == "overall" and bench["overall.level"]["peer_group"] == "all"
    dictionary = read_csv(out / f"dma-{FILE}-dictionary.csv")
    assert len(dictionary) == STATEMENTS
    first = dictionary[0]
    assert (first["statement_id"], first["function"], first["function_label"], first["layer"]) == (
        "VL1.1", "vision_leadership", "Vision and Leadership", "1")
    assert all(r["text_en"] and r["text_cy"] and r["text_en"] != r["text_cy"] for r in dictionary)
    columns = {(r["table"], r["column"]): r for r in read_csv(out / f"dma-{FILE}-columns.csv")}
    assert "Layer of maturity" in columns[("long", "layer")]["description"]
    assert columns[("wide", "VL1.1")]["values"] == "yes; no"
    assert all(r["description"] for r in columns.values()), [k for k, r in columns.items() if not r["description"]]


def test_nothing_personal_leaves_in_any_format(runner, returns, tmp_path):
    out = export(runner, tmp_path, "all")
    for path in out.iterdir():
        data = path.read_bytes()
        texts = [data]
        if path.suffix == ".xlsx":
            texts = [zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()]
        for text in texts:
            for secret in (LEAD_EMAIL, LEAD_NAME, "Aberhafren", "clerk@", "Not yet discussed", "Dinas", "W2604"):
                assert secret.encode() not in text, (path.name, secret)
    book = load_workbook(out / f"dma-{FILE}.xlsx", read_only=True)
    assert book.sheetnames == ["long", "wide", "scores", "benchmarks", "dictionary", "columns"]
    long = pq.read_table(out / f"dma-{FILE}-long.parquet")
    assert str(long.schema.field("layer").type) == "int64" and long.num_rows == 3 * STATEMENTS


def test_an_organisations_own_export_has_its_notes_and_provisional_return(runner, returns, tmp_path):
    out = export(runner, tmp_path, "csv", "--org", "W2601")
    long = read_csv(out / f"dma-{FILE}-W2601-long.csv")
    assert len(long) == STATEMENTS and {r["organisation_code"] for r in long} == {"W2601"}
    notes = {r["statement_id"]: r["note"] for r in long if r["note"]}
    assert notes == {"VL3.2": "Agreed by Cabinet; ask [email address removed] for the minutes",
                     "TE1.1": "Not yet discussed"}
    scores = read_csv(out / f"dma-{FILE}-W2601-scores.csv")
    assert {r["organisation_name"] for r in scores} == {"Aberhafren Test Council"}
    everything = b"".join(p.read_bytes() for p in out.iterdir())
    assert LEAD_EMAIL.encode() not in everything and LEAD_NAME.encode() not in everything
    # D's own export holds its provisional return, banded against the released benchmark
    out = export(runner, tmp_path, "csv", "--org", "W2604")
    scores = {r["metric"]: r for r in read_csv(out / f"dma-{FILE}-W2604-scores.csv")}
    # D at level 5 everywhere; overall levels released A 0, B 1, C 4: q3 2.5, so band 4
    assert scores["overall.level"]["score"] == "5.0" and scores["overall.level"]["band"] == "4"
    assert scores["overall.level"]["median"] == "1.0"
    # A is not a London borough: its own export over type:L still has its scores, banded
    # against B 1 and C 4 (q1 1.75): A's 0 is in band 1
    out = export(runner, tmp_path, "csv", "--org", "W2601", "--peers", "type:L")
    scores = {r["metric"]: r for r in read_csv(out / f"dma-{FILE}-type-l-W2601-scores.csv")}
    level = scores["overall.level"]
    assert (level["score"], level["q1"], level["median"], level["band"]) == ("0.0", "1.75", "2.5", "1")
    assert len(read_csv(out / f"dma-{FILE}-type-l-W2601-long.csv")) == STATEMENTS


def test_a_peer_group_and_the_welsh_dictionary(runner, returns, tmp_path):
    out = export(runner, tmp_path, "csv", "--peers", "type:L", "--language", "cy")
    long = read_csv(out / f"dma-{FILE}-type-l-long.csv")
    assert {r["organisation_code"] for r in long} == {"L2602", "L2603"} and len(long) == 2 * STATEMENTS
    bench = {r["metric"]: r for r in read_csv(out / f"dma-{FILE}-type-l-benchmarks.csv")}
    # B 1 and C 4: q1 1.75, median 2.5, q3 3.25
    level = bench["overall.level"]
    assert (level["q1"], level["median"], level["q3"], level["peer_group"]) == ("1.75", "2.5", "3.25", "type:L")
    dictionary = read_csv(out / f"dma-{FILE}-type-l-dictionary.csv")
    assert dictionary[0]["function_label"] != "Vision and Leadership" and dictionary[0]["function_label"]
    columns = {(r["table"], r["column"]): r for r in read_csv(out / f"dma-{FILE}-type-l-columns.csv")}
    assert "Haen aeddfedrwydd" in columns[("long", "layer")]["description"]


def test_export_bad_input(runner, returns, tmp_path):
    def fails(*args):
        result = runner.invoke(args=["export", "--questionnaire", "dma", "--format", "csv", "--out",
                                     str(tmp_path / "x"), *args])
        assert result.exit_code == 1
        return result.output

    assert ("No submitted return of questionnaire 'dma' in 2027/28. Across organisations only released campaigns "
            "count") in fails("--year", "2027/28")
    assert "No organisation has the code 'W2699'" in fails("--year", "2026/27", "--org", "W2699")
    assert "No submitted return of questionnaire 'dma' in 2026/27 in the peer group nation:scotland" in fails(
        "--year", "2026/27", "--peers", "nation:scotland")
    assert not (tmp_path / "x").exists()


def test_console_exports(client, returns):
    create_user(email="improve@example.org", password="correct horse battery staple", role="improve",
                organisation=None, hash_key=current_app.config["EMAIL_HASH_KEY"])
    db.session.commit()
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    client.post("/sign-in", data={"email": "improve@example.org", "password": "correct horse battery staple",
                                  "csrf_token": token})
    assert "dma" in client.get("/console/exports").text
    found = client.get("/console/exports?questionnaire=dma&year=2026/27&format=csv")
    assert found.status_code == 200 and found.headers["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(found.data))
    assert sorted(files.namelist()) == sorted(f"dma-{FILE}-{t}.csv" for t in
                                              ("long", "wide", "scores", "benchmarks", "dictionary", "columns"))
    long = list(csv.DictReader(io.StringIO(files.read(f"dma-{FILE}-long.csv").decode("utf-8-sig"))))
    assert len(long) == 3 * STATEMENTS and all(r["function"] and r["layer"] for r in long)
    text = b"".join(files.read(n) for n in files.namelist())
    assert LEAD_NAME.encode() not in text and b"Aberhafren" not in text
