"""flask responses import: a cell written as the respondent reads it is refused with the
code the file must use (issue 15 part 10)."""
from __future__ import annotations

from tests.factories import make_campaign


def test_dont_know_cell_names_the_accepted_code(runner, app, tmp_path):
    campaign = make_campaign()
    path = tmp_path / "paper.csv"
    path.write_text("response_id,overall\np1,Don't know\np2,dont_know\n", encoding="utf-8")
    result = runner.invoke(args=["responses", "import", str(campaign.id), str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: column overall (B): 'Don't know' is written dont_know in an import file" in result.output
    assert "nothing was imported" in result.output
