"""The results page as a PDF report: read back with poppler's pdftotext and pdffonts (the
engine of the PDF viewers on Debian), in English and Welsh, from the page and the CLI."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.factories import make_campaign, make_org

OPENS = date.today() - timedelta(days=1)  # open now; released=True closes and releases it
WELSH_NAME = "Cyngor Bro Gŵyr a Thŷ'r Dâr"  # ŵ, ŷ and â, which a font without Welsh lacks
COMMENT = "The new laptops are far better."


def poppler(tool: str, data: bytes, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: `make system-packages` installs Debian's poppler-utils")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run([tool, *args, f.name, *(["-"] if tool == "pdftotext" else [])], check=True,
                              capture_output=True, text=True, timeout=60).stdout


def pages(data: bytes) -> list[str]:
    """The text of each page, in reading order, with runs of white space as one space."""
    return [re.sub(r"\s+", " ", page).strip() for page in poppler("pdftotext", data).split("\f")[:-1]]


def rows(data: bytes) -> list[str]:
    """Each line as laid out on the page (a table row's cells side by side), white space
    collapsed: a row reads "label 6.00 7 ..." whatever the column widths."""
    return [re.sub(r"\s+", " ", line).strip() for line in poppler("pdftotext", data, "-layout").splitlines()]


def fonts(data: bytes) -> list[tuple[str, str]]:
    """(font name without its subset prefix, embedded yes/no) of every font in the PDF."""
    lines = poppler("pdffonts", data).splitlines()[2:]
    return [(line.split()[0].split("+")[-1], line.split()[-5]) for line in lines]


def pdf_objects(data: bytes) -> bytes:
    """The file with its compressed streams (and the object streams holding the structure
    tree) inflated, to look for what no text extraction shows."""
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass
    return b"\n".join(inflated)


@pytest.fixture
def seeded(make_response):
    """Three organisations, their results released; A's overall satisfaction mean 35 / 7 = 5.0, B's 4.0, C's 6.0.
    A answers S1 satisfaction 6 and importance 7: gap -1.00, weight gap -1 x 7 / 7 = -1.00."""
    a = make_org(name="Council A", name_cy=WELSH_NAME, type_letter="W", number=7)
    campaign = make_campaign(a, opens=OPENS, anonymity_threshold=3, released=True)
    devices = ["laptop"] * 3 + ["desktop"] * 3 + ["tablet"]
    for i, (device, overall) in enumerate(zip(devices, ["7", "6", "5", "4", "3", "5", "5"])):
        answers = {"device": device, "overall": overall, "sat_S1": "6", "imp_S1": "7"}
        if i == 0:
            answers["comments"] = COMMENT
        make_response(campaign, answers)
    for name, scores in (("Council B", ["4", "4", "4"]), ("Council C", ["6", "6", "6"])):
        other = make_campaign(make_org(name=name), opens=OPENS, released=True)
        for s in scores:
            make_response(other, {"overall": s})
    return campaign


@pytest.fixture
def admin_client(client, make_user, signer, seeded, monkeypatch):
    # three organisations: a benchmark of three (the smallest MIN_PEER_GROUP allowed)
    monkeypatch.setitem(client.application.config, "MIN_PEER_GROUP", 3)
    make_user("a@example.org", role="org_admin", organisation=seeded.organisation)
    signer(client, "a@example.org")
    return client


def test_english_report(admin_client, seeded, caplog):
    with caplog.at_level("WARNING", logger="weasyprint"):
        response = admin_client.get(f"/campaigns/{seeded.id}/report.pdf?language=en")
    # WeasyPrint understood every style, loaded every resource and found no name twice
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    code = seeded.code
    assert re.fullmatch(r"W\d{2}07", code)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="user-satisfaction-{seeded.year_file_label}-{code}-report-en.pdf"')
    assert response.headers["Cache-Control"] == "no-store"
    text = pages(response.data)
    cover, body = text[0], " ".join(text[1:])
    assert "Council A" in cover and code in cover and seeded.year_label in cover
    # released: the report is final, and all three count in the benchmark
    assert "Provisional" not in cover and "Organisations in the benchmark 3" in cover
    assert "Response rate" in cover
    assert "Overall satisfaction 5.00 out of 7 (7 responses)" in body
    s1 = "Working relationships"  # the factor's short name (its label in the questionnaire)
    for heading in ("Satisfaction", "Importance", "Gap (satisfaction minus importance)", "Weight gap", "Comments"):
        assert f"{heading}: your scores and the benchmark" in body or heading in body
    # S1's rows: satisfaction 6.00 from 7 responses, importance 7.00, weight gap -1.00 (no count
    # of its own); A is the only organisation with S1
    lines = rows(response.data)
    # (one organisation, fewer than MIN_PEER_GROUP, so no median, quartiles or band)
    assert any(line == f"{s1} 6.00 7 – – – –" for line in lines)
    assert any(line == f"{s1} 7.00 7 – – – –" for line in lines)
    assert any(line == f"{s1} -1.00 – – – – –"
               for line in lines)
    assert COMMENT in body
    # the running header and the page numbers on every page after the cover
    assert all(f"{code} · {seeded.year_label}" in page for page in text[1:])
    assert all(f"Page {n} of {len(text)}" in page for n, page in enumerate(text, 1))
    # A4, tagged (headings, tables and lists for a screen reader), titled
    info = dict(line.split(":", 1) for line in poppler("pdfinfo", response.data).splitlines() if ":" in line)
    assert info["Page size"].split()[:3] == ["595.276", "x", "841.89"] and info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == f"Results: ICT User Satisfaction Survey – {code} {seeded.year_label}"
    # each chart is a Figure in the structure tree, its text alternative the chart's title and description
    assert b"/Alt (Satisfaction: Bar chart of Satisfaction scores on the 1 to 7 scale" in pdf_objects(response.data)
    # no form: the breakdown chooser is for the page only
    assert "Break the results down by" not in body and "Show breakdown" not in body


def test_an_open_campaigns_report_is_provisional(client, make_user, signer, make_response):
    org = make_org(name="Council D")
    campaign = make_campaign(org, opens=OPENS, anonymity_threshold=3)
    for overall in ("5", "6", "7"):
        make_response(campaign, {"overall": overall})
    make_user("d@example.org", role="org_admin", organisation=org)
    signer(client, "d@example.org")
    response = client.get(f"/campaigns/{campaign.id}/report.pdf?language=en")
    assert response.status_code == 200 and campaign.status == "open"
    cover = pages(response.data)[0]
    assert "Provisional" in cover and "Overall satisfaction" not in cover


def test_welsh_report_in_a_font_with_every_welsh_letter(admin_client, seeded):
    response = admin_client.get(f"/campaigns/{seeded.id}/report.pdf?language=cy")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'-{seeded.code}-report-cy.pdf"')
    text = pages(response.data)
    cover, body = text[0], " ".join(text[1:])
    assert WELSH_NAME in cover and seeded.code in cover and "Council A" not in " ".join(text)
    assert "Canlyniadau: Arolwg Boddhad Defnyddwyr TGCh" in cover and "Sefydliadau yn y meincnod 3" in cover
    assert "Boddhad cyffredinol 5.00 allan o 7 (7 o ymatebion)" in body
    assert "Pwysigrwydd" in body and "Bwlch wedi'i bwysoli" in body and "Sylwadau" in body
    assert all(f"Tudalen {n} o {len(text)}" in page for n, page in enumerate(text, 1))
    # every font embedded, all of them Liberation Sans: no letter fell back to another font
    found = fonts(response.data)
    assert found and all(embedded == "yes" for _name, embedded in found)
    assert {name for name, _embedded in found} <= {"Liberation-Sans", "Liberation-Sans-Bold"}


def test_report_with_a_breakdown(admin_client, seeded):
    response = admin_client.get(f"/campaigns/{seeded.id}/report.pdf?language=en&by=device")
    body = " ".join(pages(response.data)[1:])
    assert "Breakdown" in body and "Scores by Device" in body
    assert "Break the results down by" not in body and "Show breakdown" not in body
    # the tablet's one response is hidden, and with it the next smallest group
    assert "Too few responses to show: " in body and "A tablet" in body.split("Too few responses to show:")[1]


def test_results_page_links_to_the_report(admin_client, seeded):
    page = admin_client.get(f"/campaigns/{seeded.id}/results?by=device&lang=en").text
    # what the page shows (the breakdown) carried over; the page's language switch not
    assert f'href="/campaigns/{seeded.id}/report.pdf?language=en&amp;by=device"' in page
    assert f'href="/campaigns/{seeded.id}/report.pdf?language=cy&amp;by=device"' in page
    crafted = admin_client.get(f"/campaigns/{seeded.id}/results?_external=1&_scheme=javascript&_anchor=x").text
    assert f'href="/campaigns/{seeded.id}/report.pdf?language=en"' in crafted and 'href="javascript' not in crafted
    welsh = admin_client.get(f"/campaigns/{seeded.id}/results?lang=cy").text
    assert "Yr adroddiad fel PDF, yn Gymraeg" in welsh


def test_only_the_organisation_and_the_improve_team_get_the_report(client, make_user, signer, seeded):
    url = f"/campaigns/{seeded.id}/report.pdf"
    signed_out = client.get(url)
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]
    other = make_org(name="Council B2")
    make_user("b@example.org", role="org_admin", organisation=other)
    signer(client, "b@example.org")
    assert client.get(url).status_code == 404
    assert client.get(f"/campaigns/{seeded.id + 1000}/report.pdf").status_code == 404
    client.post("/sign-out", data={"csrf_token": ""})
    improve = client.application.test_client()
    make_user("improve@example.org")
    signer(improve, "improve@example.org")
    default = improve.get(url)  # in the language of the pages (English here)
    assert default.status_code == 200 and default.headers["Content-Disposition"].endswith('-report-en.pdf"')
    assert improve.get(url + "?language=fr").status_code == 404
    assert improve.get(url + "?by=shoe_size").status_code == 404


def test_cli_writes_the_report(runner, seeded, tmp_path):
    target = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", str(seeded.id), "--pdf", str(target), "--language", "cy"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    text = pages(target.read_bytes())
    assert WELSH_NAME in text[0] and "Boddhad cyffredinol 5.00 allan o 7 (7 o ymatebion)" in " ".join(text)
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left


def test_cli_refuses_bad_input_and_writes_nothing(runner, seeded, tmp_path):
    def run(*args):
        return runner.invoke(args=["report", *args])

    target = tmp_path / "report.pdf"
    result = run("999999", "--pdf", str(target))
    assert result.exit_code == 1 and "No campaign has the id 999999" in result.output
    result = run(str(seeded.id), "--pdf", str(tmp_path / "missing" / "report.pdf"))
    assert result.exit_code == 1 and f"the folder {tmp_path / 'missing'} does not exist" in result.output
    result = run(str(seeded.id), "--pdf", str(tmp_path))
    assert result.exit_code == 1 and "it is a folder" in result.output
    result = run(str(seeded.id), "--pdf", str(target), "--language", "fr")
    assert result.exit_code == 2 and "Invalid value for '--language'" in result.output
    result = run(str(seeded.id), "--pdf", str(target), "--by", "shoe_size")
    assert result.exit_code == 1 and "Unknown dimension 'shoe_size'" in result.output
    result = run(str(seeded.id))
    assert result.exit_code == 2 and "Missing option '--pdf'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_rendering_loads_only_the_apps_static_files(app, caplog):
    from survey_app.dashboard.pdf_writer import StaticFilesOnly, write_pdf

    fetch = StaticFilesOnly("http://127.0.0.1:5000/", app.static_url_path, app.static_folder)
    css = fetch("http://127.0.0.1:5000/static/report.css?v=1")
    assert css.content_type == "text/css" and b"@page" in css.read()
    for url in ("https://example.org/static/report.css", "http://127.0.0.1:5000/static/../config.py",
                "http://127.0.0.1:5000/results", "file:///etc/passwd", "data:text/css,body{}"):
        with pytest.raises(ValueError, match="loads only the app's own static files"):
            fetch(url)
    # laid out, a page asking for anything else gets nothing (WeasyPrint warns and goes on)
    html = ('<link rel="stylesheet" href="/static/report.css"><link rel="stylesheet" href="https://example.org/a.css">'
            '<p>Text</p><img src="http://127.0.0.1:9/b.png" alt="">')
    with caplog.at_level("WARNING", logger="weasyprint"):
        data = write_pdf(html, base_url="http://127.0.0.1:5000/", static_url_path=app.static_url_path,
                         static_folder=app.static_folder)
    refused = [r.getMessage() for r in caplog.records if "loads only the app's own static files" in r.getMessage()]
    assert len(refused) == 2 and any("example.org/a.css" in m for m in refused) and any("b.png" in m for m in refused)
    assert pages(data) == ["Text"]


def test_tall_charts_are_fitted_to_the_page():
    from survey_app.dashboard.pdf import COLUMN_PX, TALLEST_CHART_PX, fit_charts

    # a chart drawn for the screen: as wide as its column, 1,406 px tall (twenty factors)
    tall = '<svg class="app-chart" role="img" width="100%" height="1406" font-size="16"><rect x="10%"/></svg>'
    fitted = fit_charts(tall)
    width = round(1406 * COLUMN_PX / TALLEST_CHART_PX)  # 1,075: drawn at 672.8 / 1,075 of its size
    assert fitted == (f'<svg class="app-chart" role="img" width="100%" viewBox="0 0 {width} 1406" '
                      'preserveAspectRatio="xMinYMin meet" font-size="16"><rect x="10%"/></svg>')
    # a short one is never drawn larger than on a 760 px column
    assert 'viewBox="0 0 760 134"' in fit_charts('<svg width="100%" height="134"></svg>')
    # one that scales already (a viewBox) is left as it is
    scaled = '<svg viewBox="0 0 500 200" width="100%" height="200"></svg>'
    assert fit_charts(scaled) == scaled
