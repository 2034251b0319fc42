"""The respondent's pages stay small: the heaviest, with everything it loads, is well
under the budget (bench/page_bytes.py prints the figures)."""
from __future__ import annotations

import importlib.util

import pytest


@pytest.fixture(scope="module")
def page_bytes(repo_root):
    spec = importlib.util.spec_from_file_location("page_bytes", repo_root / "bench" / "page_bytes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("questionnaire", ["user-satisfaction", "user-skills", "sdma"])
def test_every_page_with_its_assets_is_under_budget(page_bytes, questionnaire, repo_root):
    assert (repo_root / "survey_app" / "static" / "govuk" / "survey.css").exists(), "run `make assets`"
    rows = page_bytes.measure(questionnaire)
    pages = {row[0] for row in rows}
    assert {"start", "check answers", "confirmation", "already taken part"} <= pages
    over = [(name, language, raw) for name, language, raw, _gzip, _requests in rows if raw >= page_bytes.BUDGET]
    assert over == []
    # the stylesheet is most of every page: it is the subset the pages use, not all of GOV.UK Frontend
    css = (repo_root / "survey_app" / "static" / "govuk" / "survey.css").stat().st_size
    assert min(row[2] for row in rows) > css and css < 80_000
    # one stylesheet and no script: two requests a page
    assert {row[4] for row in rows} == {2}
