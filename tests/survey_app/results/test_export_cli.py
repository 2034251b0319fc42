"""flask export: the tables, the formats, and what never leaves an organisation."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, timezone

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from tests.factories import make_campaign, make_org, make_participant

YEAR = 2026
LABEL, FILE = "2026/27", "2026-27"  # the financial year from April 2026, and as file names write it
NAMES = ("Aberhafren Test Council", "Blackmoor Test Council")
COMMENT = "The printer on floor three is haunted"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def dataset(app, make_response):
    """Two organisations, six responses each, every participant with an email address
    and a location, every response with a comment."""
    campaigns = []
    for number, name in enumerate(NAMES, start=1):
        campaign = make_campaign(make_org(name=name, type_letter="W", number=number), opens=date(YEAR, 5, 4))
        campaigns.append(campaign)
        for i in range(6):
            person = make_participant(campaign, email=f"staff.member{number}{i}@example.org",
                                      attributes={"location": "depot" if i % 2 else "hq", "payroll": f"P{i}"})
            comment = {0: f"{COMMENT} ({name})", 1: "=HYPERLINK(\"http://x.test\")", 2: "Write to me at boss@council.example"}
            make_response(campaign, {"overall": str(3 + i % 4), "sat_S1": "5", "imp_S1": "6", "device": "laptop",
                                     "location": "home", "role": "manager", "comments": comment.get(i, "Fine")}, participant=person,
                          submitted_at=datetime(YEAR, 5, 5 + i, 9, tzinfo=timezone.utc), device_class="desktop")
    return campaigns


def export(runner, tmp_path, file_format, *extra):
    out = tmp_path / f"{file_format}{len(extra)}"
    result = runner.invoke(args=["export", "--questionnaire", "user-satisfaction", "--year", LABEL,
                                 "--format", file_format, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def read_csv(path):
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_tables(runner, dataset, tmp_path):
    out = export(runner, tmp_path, "csv")
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"user-satisfaction-{FILE}-{t}.csv" for t in ("benchmarks", "dictionary", "long", "scores", "wide")]
    long = read_csv(out / f"user-satisfaction-{FILE}-long.csv")
    assert len(long) == 12 * 6  # 12 responses x 6 answered items (no comments across organisations)
    row = next(r for r in long if r["item_id"] == "overall")
    assert row["organisation_code"] == "W2601" and row["dim_location"] == "home" and row["dim_device"] == "laptop"
    assert row["factor"] == "OVERALL" and row["value"] == "3" and row["score"] == "3.0"
    assert row["submitted_on"] == f"{YEAR}-05-05" and row["device_class"] == "desktop"  # the day, no time
    assert "submitted_at" not in row
    assert {r["year"] for r in long} == {LABEL}
    wide = read_csv(out / f"user-satisfaction-{FILE}-wide.csv")
    assert len(wide) == 12 and "comments" not in wide[0] and wide[0]["overall"] == "3" and wide[0]["year"] == LABEL
    assert len({r["response_id"] for r in wide}) == 12
    scores = read_csv(out / f"user-satisfaction-{FILE}-scores.csv")
    overall = next(r for r in scores if r["metric"] == "OVERALL.satisfaction" and r["organisation_code"] == "W2601"
                   and not r["dimension"])
    # overall 3 4 5 6 3 4 -> 25 / 6
    assert float(overall["score"]) == pytest.approx(25 / 6, abs=1e-12) and overall["n"] == "6"
    assert overall["band"] in ("1", "2", "3", "4") and overall["median"] and overall["year"] == LABEL
    locations = {r["group"]: r for r in scores if r["dimension"] == "location" and r["metric"] == "responses"
                 and r["organisation_code"] == "W2601"}
    assert locations["home"]["n"] == "6" and locations["home"]["suppressed"] == "False"
    bench = read_csv(out / f"user-satisfaction-{FILE}-benchmarks.csv")
    assert {r["metric"] for r in bench} >= {"OVERALL.satisfaction", "S1.gap", "response_rate"}
    assert {r["year"] for r in bench} == {LABEL}
    dictionary = read_csv(out / f"user-satisfaction-{FILE}-dictionary.csv")
    described = {(r["table"], r["column"]): r for r in dictionary}
    assert described[("wide", "overall")]["values"] == "1-7; dont_know"
    assert described[("long", "score")]["type"] == "number"
    assert described[("long", "year")]["type"] == "text"
    assert "the financial year (1 April to 31 March) in which the campaign opened, written 2026/27" in \
        described[("long", "year")]["description"]
    assert all(r["description"] for r in dictionary)


def test_dimensions_from_the_participant_list(runner, app, make_response, tmp_path):
    """The SDMA asks service area and role; location comes from the participant list."""
    campaign = make_campaign(opens=date(YEAR, 5, 4), questionnaire_id="sdma", anonymity_threshold=3)
    for i in range(7):
        person = make_participant(campaign, attributes={"location": "depot" if i < 3 else "hq", "payroll": f"P{i}"})
        make_response(campaign, {"D1": "5", "role": "manager"}, participant=person)
    result = runner.invoke(args=["export", "--questionnaire", "sdma", "--year", str(YEAR), "--format", "csv",
                                 "--out", str(tmp_path / "sdma")])
    assert result.exit_code == 0, result.output
    wide = read_csv(tmp_path / "sdma" / f"sdma-{FILE}-wide.csv")
    assert sorted(r["dim_location"] for r in wide) == ["depot"] * 3 + ["hq"] * 4
    assert "dim_role" not in wide[0] and wide[0]["role"] == "manager"  # asked: an item column already
    assert not any("payroll" in column or "P3" in r.values() for r in wide for column in r)
    scores = read_csv(tmp_path / "sdma" / f"sdma-{FILE}-scores.csv")
    depot = next(r for r in scores if r["dimension"] == "location" and r["group"] == "depot"
                 and r["metric"] == "area.user_research")
    assert depot["score"] == "7.0" and depot["n"] == "3"


def test_formulas_are_neutralised_in_csv_and_stored_as_text_in_xlsx(runner, dataset, tmp_path):
    code = dataset[0].code
    rows = read_csv(export(runner, tmp_path, "csv", "--org", code) / f"user-satisfaction-{FILE}-{code}-wide.csv")
    assert rows[1]["comments"] == "'=HYPERLINK(\"http://x.test\")"
    book = load_workbook(export(runner, tmp_path, "xlsx", "--org", code) / f"user-satisfaction-{FILE}-{code}.xlsx")
    assert book.sheetnames == ["long", "wide", "scores", "benchmarks", "dictionary"]
    sheet = book["wide"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=3, column=header.index("comments") + 1)
    assert cell.value == "=HYPERLINK(\"http://x.test\")" and cell.data_type == "s"


def test_the_organisations_name_in_english_and_in_a_welsh_export(runner, dataset, tmp_path):
    """Issue 15 part 7: an export for one organisation names it in English, as before;
    with --language cy, by its Welsh name when it has one."""
    welsh_named, english_only = (c.code for c in dataset)
    assert runner.invoke(args=["org", "rename", welsh_named, "--name-cy", "Cyngor Prawf Aberhafren"]).exit_code == 0

    def names_in(code: str, *language: str) -> set[str]:
        out = tmp_path / f"{code}{''.join(language)}"
        result = runner.invoke(args=["export", "--questionnaire", "user-satisfaction", "--year", str(YEAR),
                                     "--format", "csv", "--out", str(out), "--org", code, *language])
        assert result.exit_code == 0, result.output
        return {r["organisation_name"] for r in read_csv(out / f"user-satisfaction-{FILE}-{code}-scores.csv")}

    assert names_in(welsh_named) == {"Aberhafren Test Council"}
    assert names_in(welsh_named, "--language", "en") == {"Aberhafren Test Council"}
    assert names_in(welsh_named, "--language", "cy") == {"Cyngor Prawf Aberhafren"}
    assert names_in(english_only, "--language", "cy") == {"Blackmoor Test Council"}


def test_parquet_keeps_types(runner, dataset, tmp_path):
    out = export(runner, tmp_path, "parquet")
    long = pq.read_table(out / f"user-satisfaction-{FILE}-long.parquet")
    assert str(long.schema.field("submitted_on").type) == "date32[day]"
    assert set(long.column("submitted_on").to_pylist()) == {date(YEAR, 5, 5 + i) for i in range(6)}
    assert str(long.schema.field("score").type) == "double" and long.num_rows == 72
    assert set(long.column("year").to_pylist()) == {LABEL}
    scores = pq.read_table(out / f"user-satisfaction-{FILE}-scores.parquet").to_pandas()
    assert str(scores["n"].dtype) in ("int64", "Int64")


def test_several_formats_from_one_load(runner, dataset, tmp_path):
    both = export(runner, tmp_path, "csv", "--format", "parquet")
    alone = export(runner, tmp_path, "parquet")
    tables = ("benchmarks", "dictionary", "long", "scores", "wide")
    assert sorted(p.name for p in both.iterdir()) == sorted(
        f"user-satisfaction-{FILE}-{t}.{ext}" for t in tables for ext in ("csv", "parquet"))
    for t in tables:  # the same tables as an export of that format alone
        name = f"user-satisfaction-{FILE}-{t}.parquet"
        assert pq.read_table(both / name).equals(pq.read_table(alone / name))
    every = export(runner, tmp_path, "all")
    assert sorted(p.suffix for p in every.iterdir()) == [".csv"] * 5 + [".parquet"] * 5 + [".xlsx"]
    assert not list(every.glob(".*partial"))


def test_a_long_table_continues_on_further_sheets(app):
    import pandas as pd

    from survey_app.results.exports import XLSXExporter

    frame = pd.DataFrame({"a": range(5)})
    (file,) = XLSXExporter(max_rows=2).render({"long": frame}, "x")
    book = load_workbook(io.BytesIO(file.data))
    assert book.sheetnames == ["long", "long 2", "long 3"]
    assert [c.value for c in book["long 3"]["A"]] == ["a", 4]


def texts_of(path):
    """Everything a person could read in an exported file."""
    if path.suffix == ".csv":
        return path.read_bytes().decode("utf-8")
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    table = pq.read_table(path)
    return table.to_pandas().to_csv() + str(table.schema.metadata)


def exported_files(runner, tmp_path, *extra):
    return [p for f in ("csv", "xlsx", "parquet") for p in export(runner, tmp_path, f, *extra).iterdir()]


def test_no_email_comment_or_name_leaves_without_org(runner, dataset, tmp_path):
    files = exported_files(runner, tmp_path)
    assert len(files) == 11
    for path in files:
        text = texts_of(path)
        assert not EMAIL.search(text), path.name
        assert COMMENT not in text and "HYPERLINK" not in text, path.name
        assert not any(name in text or name.split()[0] in text for name in NAMES), path.name


def test_an_organisations_own_export_has_its_comments_and_name_only(runner, dataset, tmp_path):
    mine, other = dataset
    files = exported_files(runner, tmp_path, "--org", mine.code)
    seen_name = seen_comment = False
    for path in files:
        text = texts_of(path)
        assert not EMAIL.search(text), path.name  # not even one typed into a comment
        assert other.code not in text and NAMES[1] not in text and "Blackmoor" not in text, path.name
        seen_name |= NAMES[0] in text
        seen_comment |= COMMENT in text
        if "wide" in path.name and path.suffix == ".csv":
            assert "Write to me at [email address removed]" in text
    assert seen_name and seen_comment


def test_export_refusals(runner, dataset, tmp_path):
    base = ["export", "--questionnaire", "user-satisfaction", "--format", "csv", "--out", str(tmp_path / "x")]
    result = runner.invoke(args=[*base, "--year", "1999"])
    assert result.exit_code == 1 and "No campaign of questionnaire 'user-satisfaction' in 1999/00." in result.output
    result = runner.invoke(args=[*base, "--year", str(YEAR), "--org", "Z9999"])
    assert result.exit_code == 1 and "No organisation has the code 'Z9999'" in result.output
    result = runner.invoke(args=[*base, "--year", str(YEAR), "--org", "W2501"])
    assert result.exit_code == 1 and f"The code 'W2501' is not for {LABEL}: that organisation's code for {LABEL} " \
        "is W2601." in result.output
    result = runner.invoke(args=[*base, "--year", "2026/2027"])
    assert result.exit_code == 2 and "'2026/2027' is not a data year" in result.output
    assert not (tmp_path / "x").exists()


def test_csv_neutralises_every_formula_start_but_not_numbers(app):
    import pandas as pd

    from survey_app.results.exports import CSVExporter

    frame = pd.DataFrame({"text": ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "safe", "a=b", None],
                          "number": [-1.5, 2, 3, 4, 5, 6, 7, 8, 9]})
    (file,) = CSVExporter().render({"t": frame}, "x")
    rows = list(csv.reader(io.StringIO(file.data.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "safe", "a=b", ""]
    assert rows[1][1] == "-1.5"


def test_welsh_data_dictionary_and_progress(runner, dataset, tmp_path):
    out = tmp_path / "cy"
    result = runner.invoke(args=["export", "--questionnaire", "user-satisfaction", "--year", str(YEAR), "--format",
                                 "csv", "--out", str(out), "--language", "cy"])
    assert result.exit_code == 0 and "Writing CSV" in result.output
    rows = read_csv(out / f"user-satisfaction-{FILE}-dictionary.csv")
    described = {(r["table"], r["column"]): r["description"] for r in rows}
    assert described[("wide", "response_id")].startswith("Dynodwr ffugenwol yr ymateb")
    assert described[("wide", "year")].startswith("Blwyddyn y data: y flwyddyn ariannol (1 Ebrill i 31 Mawrth)")
    assert described[("wide", "overall")] == "Ateb i: At ei gilydd, pa mor fodlon ydych chi â'r gwasanaeth TGCh?"
