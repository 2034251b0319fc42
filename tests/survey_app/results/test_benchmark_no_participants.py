"""flask benchmark --metric response_rate before anyone is in a participant list: no
organisation to list, not "Unknown metric" (issue 15 part 10)."""
from __future__ import annotations

import json
from datetime import date

from tests.factories import make_campaign, make_org

YEAR = 2026


def test_response_rate_with_no_participants_yet_lists_none(runner, app):
    for number in (1, 2):
        make_campaign(make_org(type_letter="W", number=number), opens=date(YEAR, 5, 4))
    for extra in ([], ["--format", "json"], ["--format", "csv"]):
        result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2026/27",
                                     "--metric", "response_rate", *extra])
        assert result.exit_code == 0, result.output
        assert "Unknown metric" not in result.output
    data = json.loads(runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2026/27", "--metric",
                                          "response_rate", "--format", "json"]).output)
    assert [o for o in data["organisations"] if o["metric"] == "response_rate"] == []


def test_a_metric_no_questionnaire_has_is_still_unknown(runner, app):
    make_campaign(make_org(type_letter="W", number=3), opens=date(YEAR, 5, 4))
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2026/27", "--metric", "S99.gap"])
    assert result.exit_code == 1 and "Unknown metric 'S99.gap'" in result.output


def test_the_table_says_no_organisation_yet(runner, app):
    make_campaign(make_org(type_letter="W", number=4), opens=date(YEAR, 5, 4))
    result = runner.invoke(args=["benchmark", "user-satisfaction", "--year", "2026/27", "--metric", "response_rate"])
    assert result.exit_code == 0, result.output
    assert "Benchmark over 0 organisations" in result.output
    lines = result.output.splitlines()
    table = lines[lines.index("response_rate (response_rate)") + 1:]
    assert table[0].split()[:2] == ["Organisation", "Score"] and len(table) == 2  # header and rule, no rows
