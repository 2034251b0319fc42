"""Responses imported with `flask responses import` come back identical through
`flask export` (CSV and XLSX), and LibreOffice reads the XLSX back to the same values."""
from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pyarrow.parquet as pq
from openpyxl import load_workbook

from tests.factories import make_campaign, make_org
from survey_app.results.tables import RESPONSE_COLUMNS

YEAR = 2026  # opening on 2 March 2026: the data year 2025/26 (written 2025-26 in file names)


def canonical_rows(campaign, questionnaire):
    """Three responses as the wide table writes them (text a spreadsheet would run as a
    formula already starts with an apostrophe)."""
    base = {"organisation_code": campaign.code, "campaign_id": str(campaign.id), "questionnaire": "user-skills",
            "version": questionnaire.version, "year": campaign.year_label, "source": "import"}
    skills = {f"K{i}": str(1 + i % 5) for i in range(1, 20)}
    return [
        {**base, **skills, "response_id": "paper-001", "language": "cy", "device_class": "",
         "submitted_on": f"{YEAR}-03-03", "device": "laptop", "location": "home", "role": "manager",
         "working_mode": "hybrid", "K20": "4", "K21": "2", "K22": "dont_know", "K23": "5",
         "security_training": "no", "security_training_reason": "no_time", "training_wanted": "foundation;safe_legal",
         "comments": "Mae'r gwasanaeth yn dda iawn — diolch! Dŵr, tŷ, ‘dyfynodau’."},
        {**base, "response_id": "paper-002", "language": "en", "device_class": "mobile",
         "submitted_on": f"{YEAR}-03-04", "device": "smartphone", "K1": "5", "K21": "1", "security_training": "yes", "mobile_support": "yes",
         "comments": "'=1+1, \"quoted\", and a comma\nsecond line"},
        {**base, "response_id": "paper-003", "language": "en", "device_class": "tablet",
         "submitted_on": f"{YEAR}-03-05", "K1": "not_applicable", "comments": "'-5 stars, '@home"},
    ]


def write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def stored_value(text: str) -> str:
    """What the import keeps: the apostrophe that neutralised a formula comes off."""
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text


def test_import_then_export_round_trip(runner, app, tmp_path, libreoffice_path):
    campaign = make_campaign(make_org(name="Round Trip Council", type_letter="W", number=11),
                             questionnaire_id="user-skills", opens=date(YEAR, 3, 2))
    questionnaire = campaign.questionnaire_version.parsed()
    assert (campaign.year_label, campaign.code) == ("2025/26", "W2511")
    name = f"user-skills-2025-26-{campaign.code}"
    header = RESPONSE_COLUMNS + [item.id for item in questionnaire.items]
    rows = canonical_rows(campaign, questionnaire)
    source = tmp_path / "paper.csv"
    write_csv(source, header, rows)

    result = runner.invoke(args=["responses", "import", str(campaign.id), str(source)])
    assert result.exit_code == 0, result.output

    exported = {}
    for file_format in ("csv", "xlsx", "parquet"):
        out = tmp_path / file_format
        result = runner.invoke(args=["export", "--questionnaire", "user-skills", "--year", "2025/26", "--format",
                                     file_format, "--out", str(out), "--org", campaign.code])
        assert result.exit_code == 0, result.output
        exported[file_format] = out

    # CSV: byte for byte the file that was imported
    csv_file = exported["csv"] / f"{name}-wide.csv"
    assert csv_file.read_bytes() == source.read_bytes()
    assert "'=1+1" in source.read_text(encoding="utf-8-sig")

    # XLSX: the same values, stored as they were answered (no apostrophes needed there)
    expected = [[stored_value(row.get(column, "")) for column in header] for row in rows]
    book = load_workbook(exported["xlsx"] / f"{name}.xlsx")
    sheet = book["wide"]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == header
    assert values[1:] == expected

    # LibreOffice (as a person opening the workbook would) reads the same values
    converted = tmp_path / "libreoffice"
    subprocess.run(
        [libreoffice_path, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(converted), str(exported["xlsx"] / f"{name}.xlsx")],
        check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    with open(converted / f"{name}-wide.csv", encoding="utf-8", newline="") as f:
        from_libreoffice = list(csv.reader(f))
    assert from_libreoffice[0] == header
    assert from_libreoffice[1:] == expected

    # Parquet: the same values again
    table = pq.read_table(exported["parquet"] / f"{name}-wide.parquet").to_pandas()
    as_text = table.astype(object).where(table.notna(), "")
    as_text["submitted_on"] = [day.isoformat() for day in table["submitted_on"]]
    assert [[str(v) for v in row] for row in as_text.itertuples(index=False)] == expected
