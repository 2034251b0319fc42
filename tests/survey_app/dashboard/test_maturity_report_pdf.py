"""A Digital Maturity Assessment's results as the PDF report, from the page and from `flask
report`, read back with poppler's pdftotext: the levels and commitments of the results page
(maturity_round.py works them out), in English and Welsh."""
from __future__ import annotations

from tests.survey_app.dashboard.maturity_round import make_maturity_round, make_return, answers_at
from tests.survey_app.dashboard.test_report_pdf import pages, rows
from tests.factories import make_org


def test_the_pdf_carries_the_levels(app, client, make_user, signer):
    org, campaign = make_maturity_round()
    make_user("a@example.org", role="org_admin", organisation=org)
    signer(client, "a@example.org")
    page = client.get(f"/campaigns/{campaign.id}/results").text
    assert f"/campaigns/{campaign.id}/report.pdf?language=cy" in page
    response = client.get(f"/campaigns/{campaign.id}/report.pdf?language=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="dma-{campaign.year_file_label}-{campaign.code}-report-en.pdf"' in \
        response.headers["Content-Disposition"]
    text = " ".join(pages(response.data))
    assert "Results: Digital Maturity Assessment" in text and "Provisional" not in text
    assert f"{campaign.code}: 2 out of 5" in text and "42.2% (38 of 90 statements answered Yes)" in text
    lines = rows(response.data)
    # Function | your level | median | quartiles | your commitment | median | quartiles
    assert "Vision and Leadership 3 3 2 to 3 70.0% 60.0% 40.0% to 70.0%" in lines
    assert "Technology 5 3 2 to 4 100.0% 60.0% 40.0% to 80.0%" in lines
    assert "Note: Awaiting a decision by the leadership team." in text and "What to do next" in text


def test_the_cli_writes_it_in_welsh(app, runner, tmp_path):
    org, campaign = make_maturity_round(a_released=None)  # provisional: open, submitted
    target = tmp_path / "dma.pdf"
    result = runner.invoke(args=["report", str(campaign.id), "--pdf", str(target), "--language", "cy"])
    assert result.exit_code == 0, result.output
    text = " ".join(pages(target.read_bytes()))
    assert "Canlyniadau: Asesiad Aeddfedrwydd Digidol" in text and "Dros dro" in text
    assert "Lefel aeddfedrwydd gyffredinol" in text and f"{campaign.code}: 2 allan o 5" in text
    assert "Lefel 5: mae pob haen yn gyflawn." in text


def test_a_draft_returns_pdf_says_there_are_no_results(app, runner, tmp_path):
    campaign = make_return(make_org(name="Council G", type_letter="W", number=31), answers_at(2), submitted=False)
    target = tmp_path / "draft.pdf"
    result = runner.invoke(args=["report", str(campaign.id), "--pdf", str(target)])
    assert result.exit_code == 0, result.output
    text = " ".join(pages(target.read_bytes()))
    assert "The return has not been submitted: there are no results yet." in text
    assert "90 of 90 statements answered so far." in text and "Maturity by function" not in text
