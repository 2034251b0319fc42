"""The data dictionary's types follow what a column holds, not what pandas made of an
empty column: an area, a factor or an item is an id (text) even where none is set."""
from __future__ import annotations

import csv
import io
from datetime import date

from tests.factories import make_campaign, make_participant

ID_COLUMNS = {"area", "factor", "measure", "item_id", "question_id", "dimension", "group", "metric", "kind",
              "previous_year", "year", "organisation_code", "questionnaire", "version"}


def test_id_columns_are_described_as_text(runner, app, make_response, tmp_path):
    # User Satisfaction has no areas: the scores table's area column is empty throughout
    campaign = make_campaign(opens=date(2026, 5, 4), anonymity_threshold=3)
    for i in range(3):
        make_response(campaign, {"overall": str(4 + i), "sat_S1": "5", "imp_S1": "6"},
                      participant=make_participant(campaign))
    out = tmp_path / "csv"
    result = runner.invoke(args=["export", "--questionnaire", "user-satisfaction", "--year", "2026/27",
                                 "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "user-satisfaction-2026-27-dictionary.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    types = {(r["table"], r["column"]): r["type"] for r in rows}
    assert types[("scores", "area")] == "text"
    wrong = {key: kind for key, kind in types.items() if key[1] in ID_COLUMNS and kind != "text"}
    assert wrong == {}
    # numbers stay numbers
    assert types[("scores", "score")] == "number" and types[("benchmarks", "median")] == "number"
    described = {(r["table"], r["column"]): r["description"] for r in rows}
    assert described[("scores", "area")].startswith("Id of the area")
