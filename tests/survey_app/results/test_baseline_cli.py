"""flask baseline import|list|show|delete: a historical baseline's figures checked like
every import (every bad cell by line and column, all or nothing), read back, replaced
and deleted."""
from __future__ import annotations

import pytest

from survey_app.extensions import db
from survey_app.models import BaselineFigure, BenchmarkBaseline
from survey_app.results.baselines import MAX_BYTES

GOOD = ("factor,measure,median,q1,q3,organisations\n"
        "S1,satisfaction,4.81,4.50,5.12,31\n"
        "S1,importance,6.1,,,\n"
        "\n"
        "OVERALL,satisfaction,4.5,4,5,31\n")


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def write(tmp_path, text, name="baseline.csv", encoding="utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def problems(result, path) -> list[str]:
    """The problem lines of the output, without the file name in front."""
    return [line[len(path):] for line in result.output.splitlines() if line.startswith(path)]


def test_a_good_file_is_stored_and_read_back(runner, app, tmp_path):
    path = write(tmp_path, GOOD)
    result = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", " 1999-2004 "])
    assert result.exit_code == 0, result.output
    assert "Stored the baseline '1999-2004' of user-satisfaction: 3 figure(s)." in result.output
    baseline = db.session.scalars(db.select(BenchmarkBaseline)).one()
    assert (baseline.questionnaire, baseline.label) == ("user-satisfaction", "1999-2004")
    assert [(f.factor, f.measure, f.median, f.q1, f.q3, f.organisations) for f in baseline.figures] == [
        ("S1", "satisfaction", 4.81, 4.5, 5.12, 31), ("S1", "importance", 6.1, None, None, None),
        ("OVERALL", "satisfaction", 4.5, 4.0, 5.0, 31)]

    listed = runner.invoke(args=["baseline", "list"])
    assert listed.output.startswith("user-satisfaction\t1999-2004\t3 figure(s)\timported ")
    shown = runner.invoke(args=["baseline", "show", "user-satisfaction", "1999-2004"])
    assert shown.output == ("factor,measure,median,q1,q3,organisations\nS1,satisfaction,4.81,4.5,5.12,31\n"
                            "S1,importance,6.1,,,\nOVERALL,satisfaction,4.5,4.0,5.0,31\n")
    # what `show` writes, `import` reads: the same figures again under another label
    again = write(tmp_path, shown.output, "again.csv")
    assert runner.invoke(args=["baseline", "import", "user-satisfaction", again, "--label", "copy"]).exit_code == 0
    assert count(BaselineFigure) == 6


def test_the_same_label_twice_needs_replace(runner, app, tmp_path):
    path = write(tmp_path, GOOD)
    assert runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", "1999-2004"]).exit_code == 0
    again = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", "1999-2004"])
    assert again.exit_code == 1
    assert "user-satisfaction already has a baseline labelled ‘1999-2004’" in again.output
    smaller = write(tmp_path, "factor,measure,median\nS2,satisfaction,3.5\n", "smaller.csv")
    replaced = runner.invoke(args=["baseline", "import", "user-satisfaction", smaller, "--label", "1999-2004",
                                   "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert [(f.factor, f.median) for f in db.session.scalars(db.select(BaselineFigure))] == [("S2", 3.5)]
    deleted = runner.invoke(args=["baseline", "delete", "user-satisfaction", "1999-2004"])
    assert deleted.exit_code == 0 and count(BenchmarkBaseline) == 0 and count(BaselineFigure) == 0
    gone = runner.invoke(args=["baseline", "delete", "user-satisfaction", "1999-2004"])
    assert gone.exit_code == 1 and "has no baseline labelled '1999-2004'" in gone.output


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_stored(runner, app, tmp_path):
    path = write(tmp_path,
                 "factor,measure,median,q1,q3,organisations\n"
                 "S1,satisfaction,4.81,4.50,5.12,31\n"     # 2: good
                 "S21,satisfaction,4,,,\n"                  # 3: unknown factor
                 "S2,happiness,4,,,\n"                      # 4: not a measure of S2
                 "S3,satisfaction,7.5,,,\n"                 # 5: above the scale
                 "S4,satisfaction,0,,,\n"                   # 6: below the scale
                 "S5,satisfaction,four,,,\n"                # 7: not a number
                 "S6,satisfaction,4,4.5,3,\n"               # 8: q1 above, q3 below the median
                 "S1,satisfaction,5,,,\n"                   # 9: repeated
                 "S7,satisfaction,,,,none\n"                # 10: no median; not a count
                 "S8,satisfaction,4,,\n"                    # 11: too few cells
                 "S9,satis\x00faction,4,,,\n"               # 12: a control character
                 "S10,importance,nan,,,0\n")                # 13: not a number; no organisations
    result = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", "1999-2004"])
    assert result.exit_code == 1
    factors = "S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15, S16, S17, S18, S19, S20"
    found = problems(result, path)
    assert found[0].startswith(":3: column factor (A): Unknown factor ‘S21’: the factors of user-satisfaction are ")
    assert all(f in found[0] for f in factors.split(", ")) and "OVERALL" in found[0]
    assert found[1:] == [
        ":4: column measure (B): ‘happiness’ is not a measure of S2: use satisfaction, importance.",
        ":5: column median (C): 7.5 is outside the 1 to 7 scale.",
        ":6: column median (C): 0 is outside the 1 to 7 scale.",
        ":7: column median (C): ‘four’ is not a number: write it with a point, for example 4.25.",
        ":8: column q1 (D): The 1st quartile 4.5 is above the median 4.",
        ":8: column q3 (E): The 3rd quartile 3 is below the median 4.",
        ":9: column factor (A): S1 satisfaction is already given on line 2.",
        ":10: column median (C): No median is given.",
        ":10: column organisations (F): ‘none’ is not a number of organisations: write a whole number from 1, "
        "or leave it empty.",
        ":11: This row has 5 values but the first line names 6 columns.",
        ":12: column measure (B): Contains the control character U+0000, which cannot be stored.",
        ":13: column median (C): ‘nan’ is not a number: write it with a point, for example 4.25.",
        ":13: column organisations (F): ‘0’ is not a number of organisations: write a whole number from 1, "
        "or leave it empty.",
    ]
    assert result.output.rstrip().endswith(f"14 problem(s) in {path}; nothing was stored.")
    assert count(BenchmarkBaseline) == 0 and count(BaselineFigure) == 0


@pytest.mark.parametrize("content, expected", [
    ("", [":1: The file is empty: its first line must name the columns, for example: factor,measure,median"]),
    ("factor,median,shoe_size,factor\nS1,4,9,S1\n", [
        ":1: column shoe_size (C): Unknown column ‘shoe_size’: use factor, measure, median, q1, q3, organisations.",
        ":1: column factor (D): The column ‘factor’ appears twice.",
        ":1: The file has no ‘measure’ column: its first line must name the columns, for example: "
        "factor,measure,median"]),
    ("factor,measure,median\n", [":2: The file has no figures below its first line."]),
    (b"factor,measure,median\nS1,satisfaction,4\nS2,satisfaction,\xe9\n",
     [":3: This line is not UTF-8 text: save the file as ‘CSV UTF-8’ and try again."]),
])
def test_a_file_that_cannot_be_read_is_refused(runner, app, tmp_path, content, expected):
    path = write(tmp_path, content)
    result = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", "1999-2004"])
    assert result.exit_code == 1
    assert problems(result, path) == expected
    assert count(BenchmarkBaseline) == 0


def test_size_label_and_questionnaire_are_checked(runner, app, tmp_path):
    big = write(tmp_path, "factor,measure,median\n" + "S1,satisfaction,4\n" * (MAX_BYTES // 18 + 1))
    result = runner.invoke(args=["baseline", "import", "user-satisfaction", big, "--label", "1999-2004"])
    assert result.exit_code == 1
    assert problems(result, big) == [": The file is larger than 256 KB: a baseline has one row per factor and measure."]
    path = write(tmp_path, GOOD, "good.csv")
    for label, message in (("  ", "The baseline needs a label naming its period, for example 1999-2004."),
                           ("x" * 41, "The label is longer than 40 characters.")):
        result = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", label])
        assert result.exit_code == 1 and problems(result, path) == [f": {message}"], result.output
    control = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", "1999\x1b2004"])
    assert control.exit_code == 2 and "contains the control character U+001B" in control.output
    unknown = runner.invoke(args=["baseline", "import", "user-happiness", path, "--label", "1999-2004"])
    assert unknown.exit_code == 1
    assert "Unknown questionnaire ‘user-happiness’: use one of sdma, user-satisfaction, user-skills." in unknown.output
    # the DMA is an organisation's own return: levels, no factor scores to keep a baseline of
    own_return = runner.invoke(args=["baseline", "import", "dma", path, "--label", "1999-2004"])
    assert own_return.exit_code == 1
    assert "‘dma’ is an organisation's own return: it has no factor scores to keep a baseline of." in own_return.output
    checked = runner.invoke(args=["baseline", "import", "user-satisfaction", path, "--label", "1999-2004", "--check"])
    assert checked.exit_code == 0
    assert "3 figure(s) checked with no problems; nothing stored (--check)." in checked.output
    assert count(BenchmarkBaseline) == 0


def test_a_template_to_fill_in(runner, app):
    result = runner.invoke(args=["baseline", "template", "user-satisfaction"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "factor,measure,median,q1,q3,organisations"
    # OVERALL and IMPROVED, then S1-S20 each as satisfaction and importance
    assert lines[1:4] == ["OVERALL,satisfaction,,,,", "IMPROVED,improvement,,,,", "S1,satisfaction,,,,"]
    assert len(lines) == 1 + 2 + 40 and "S20,importance,,,," in lines
    unknown = runner.invoke(args=["baseline", "template", "user-happiness"])
    assert unknown.exit_code == 1 and "Unknown questionnaire ‘user-happiness’" in unknown.output
