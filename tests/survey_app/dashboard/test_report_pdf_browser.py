"""The PDF report downloaded as a person would: from the results page, in a real Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.survey_app.dashboard.test_dashboard_browser import signed_in
from tests.survey_app.dashboard.test_report_pdf import WELSH_NAME, pages, seeded  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def backend():
    return "postgresql"


def test_admin_downloads_the_welsh_report_from_the_results_page(browser, live_server, make_user, seeded,
                                                               check_axe):
    make_user("admin@example.org", role="org_admin", organisation=seeded.organisation)
    page = signed_in(browser, live_server, "admin@example.org")
    page.goto(f"{live_server}/campaigns/{seeded.id}/results?lang=cy")
    check_axe(page, "results with the report links, in Welsh")
    with page.expect_download() as info:
        page.click("a:has-text('Yr adroddiad fel PDF, yn Gymraeg')")
    download = info.value
    assert download.suggested_filename == f"user-satisfaction-{seeded.year_file_label}-{seeded.code}-report-cy.pdf"
    text = pages(Path(download.path()).read_bytes())
    assert WELSH_NAME in text[0] and seeded.code in text[0]
    assert "Boddhad cyffredinol 5.00 allan o 7 (7 o ymatebion)" in " ".join(text)
