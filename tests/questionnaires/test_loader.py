"""The questionnaire loader: every error class with its line number, and the real files."""
from __future__ import annotations

import textwrap

import pytest

from questionnaires import QuestionnaireError, available, from_content, load_file, parse
from questionnaires.loader import QUESTIONNAIRE_DIR

VALID = textwrap.dedent("""\
    id: tiny
    version: "1"
    title: {en: Tiny, cy: Bach}
    description: {en: A tiny survey., cy: Arolwg bach.}
    minutes: 1
    scales:
      five:
        min: 1
        max: 5
        labels:
          1: {en: Low, cy: Isel}
          5: {en: High, cy: Uchel}
        dont_know: {en: Don't know, cy: Ddim yn gwybod}
    pages:
      - id: one
        title: {en: One, cy: Un}
        questions:
          - id: device
            type: single_choice
            dimension: device
            text: {en: Device, cy: Dyfais}
            options:
              - {value: laptop, label: {en: Laptop, cy: Gliniadur}}
              - {value: desktop, label: {en: Desktop, cy: Bwrdd gwaith}}
          - id: rate
            type: scale
            scale: five
            factor: F1
            measure: satisfaction
            text: {en: Rate it, cy: Rhowch sgôr}
          - id: battery
            type: yes_no
            show_if: {question: device, equals: laptop}
            text: {en: Battery ok, cy: Batri'n iawn}
    """)


def ln(text: str, needle: str, nth: int = 1) -> int:
    """The line number of the nth line containing `needle` (what the loader must report)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def problems(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        parse(text, "q.yaml")
    return info.value.problems


def test_valid_file_loads_with_items_and_hash():
    q = parse(VALID, "q.yaml")
    assert [i.id for i in q.items] == ["device", "rate", "battery"]
    assert q.item("rate").scale.min == 1 and q.item("rate").scale.max == 5
    assert q.item("battery").show_if.values == ("laptop",)
    assert len(q.content_hash) == 64
    # frozen content rebuilds the same questionnaire
    assert from_content(q.content).content_hash == q.content_hash


def test_malformed_yaml_reports_line():
    text = VALID.replace("minutes: 1", "minutes: [1")
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith("q.yaml:") and "malformed YAML" in found[0]
    assert int(found[0].split(":")[1]) >= 5


def test_unknown_question_type():
    text = VALID.replace("type: yes_no", "type: slider")
    found = problems(text)
    assert found == [f"q.yaml:{ln(text, 'type: slider')}: unknown question type 'slider' for question 'battery' "
                     "(use one of: scale, grid, single_choice, multiple_choice, yes_no, text)"]


def test_duplicate_id():
    text = VALID.replace("- id: battery", "- id: rate")
    assert f"q.yaml:{ln(text, '- id: rate', 2)}: duplicate id 'rate'" in problems(text)


def test_missing_welsh_and_english():
    text = VALID.replace("text: {en: Rate it, cy: Rhowch sgôr}", "text: {en: Rate it}")
    assert problems(text) == [f"q.yaml:{ln(text, 'Rate it')}: missing Welsh text (cy) in 'text' of question 'rate'"]
    text = VALID.replace("title: {en: One, cy: Un}", "title: {cy: Un}")
    assert problems(text) == [f"q.yaml:{ln(text, 'title: {cy: Un}')}: missing English text (en) in 'title' of page 'one'"]


def test_scale_with_fewer_than_two_points():
    text = VALID.replace("max: 5", "max: 1").replace("      5: {en: High, cy: Uchel}\n", "")
    found = problems(text)
    assert any(p.startswith(f"q.yaml:{ln(text, 'max: 1')}: ") and "fewer than two points" in p for p in found)


def test_show_if_unknown_or_later_question():
    text = VALID.replace("{question: device, equals: laptop}", "{question: nothing, equals: laptop}")
    assert problems(text) == [f"q.yaml:{ln(text, 'show_if')}: show_if of question 'battery' refers to an unknown question 'nothing'"]
    # refer forward: move the rule onto the first question
    text = VALID.replace("        show_if: {question: device, equals: laptop}\n", "").replace(
        "dimension: device\n", "dimension: device\n        show_if: {question: rate, equals: 3}\n")
    assert problems(text) == [f"q.yaml:{ln(text, 'show_if')}: show_if of question 'device' refers to 'rate', "
                              "which comes later: it can only depend on an earlier answer"]


def test_show_if_value_must_be_possible():
    text = VALID.replace("equals: laptop", "equals: tablet")
    assert problems(text) == [f"q.yaml:{ln(text, 'show_if')}: show_if of question 'battery': 'tablet' is not a possible answer to 'device'"]


def test_unknown_dimension():
    text = VALID.replace("dimension: device", "dimension: shoe_size")
    assert problems(text) == [f"q.yaml:{ln(text, 'shoe_size')}: unknown dimension 'shoe_size' for question 'device' "
                              "(declare it under 'dimensions')"]


def test_every_problem_reported_at_once():
    text = VALID.replace("dimension: device", "dimension: shoe_size").replace("type: yes_no", "type: slider")
    assert len(problems(text)) == 2


def test_label_off_the_scale_and_unknown_key():
    text = VALID.replace("5: {en: High", "9: {en: High").replace("minutes: 1", "minutes: 1\ncolour: red")
    found = problems(text)
    assert f"q.yaml:{ln(text, 'colour')}: unknown key 'colour' in the questionnaire" in found
    assert any("label '9' of scale 'five' is not a point of the scale 1-5" in p for p in found)


def test_data_year_is_financial_unless_declared_calendar():
    assert parse(VALID, "q.yaml").data_year == "financial"
    declared = {kind: parse(VALID.replace("minutes: 1", f"minutes: 1\ndata_year: {kind}"), "q.yaml")
                for kind in ("financial", "calendar")}
    assert {kind: q.data_year for kind, q in declared.items()} == {"financial": "financial", "calendar": "calendar"}
    # frozen into a campaign and rebuilt, it is kept; saying nothing leaves the content as it was
    assert from_content(declared["calendar"].content).data_year == "calendar"
    assert "data_year" not in parse(VALID, "q.yaml").content


@pytest.mark.parametrize("value", ["academic", "Calendar", "2026", "[calendar]", "''"])
def test_any_other_data_year_is_refused_on_its_line(value):
    text = VALID.replace("minutes: 1", f"minutes: 1\ndata_year: {value}")
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith(f"q.yaml:{ln(text, 'data_year')}: 'data_year' of the questionnaire must be "
                               "financial (April to March, the default) or calendar, not ")


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(QuestionnaireError) as info:
        load_file(empty)
    assert info.value.problems == [f"{empty}:1: the file is empty"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9".encode("latin-1"))
    with pytest.raises(QuestionnaireError) as info:
        load_file(latin)
    assert "not UTF-8" in info.value.problems[0]


def test_readme_example_is_valid(repo_root):
    readme = (repo_root / "questionnaires" / "README.md").read_text()
    example = readme.split("## A complete small example", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    q = parse(example, "README example")
    assert q.id == "example" and len(q.items) == 4


@pytest.mark.parametrize("name", ["user-satisfaction", "user-skills", "sdma", "dma"])
def test_shipped_questionnaires_load(name):
    q = load_file(QUESTIONNAIRE_DIR / f"{name}.yaml")
    assert q.id == name
    for item in q.items:
        assert item.text.en and item.text.cy


def test_user_satisfaction_has_twenty_factors_both_measures():
    q = available()["user-satisfaction"]
    scored = {(i.factor, i.measure) for i in q.items if i.factor}
    for n in range(1, 21):
        assert (f"S{n}", "satisfaction") in scored
        assert (f"S{n}", "importance") in scored
    dims = {i.dimension for i in q.items if i.dimension}
    assert dims == {"device", "location", "role", "working_mode"}
    assert all(i.scale.min == 1 and i.scale.max == 7 for i in q.items if i.type == "scale")


def test_user_skills_and_sdma_shape():
    found = available()
    skills = [i for i in found["user-skills"].items if i.factor]
    assert 15 <= len(skills) <= 30
    assert {i.area for i in skills} <= {a.id for a in found["user-skills"].areas}
    sdma = found["sdma"]
    assert len(sdma.areas) == 9
    assert all(i.area for i in sdma.items if i.factor)
    assert "service_area" in {i.dimension for i in sdma.items}


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"], ids=lambda c: f"U+{ord(c):04X}")
def test_a_raw_control_character_is_reported_on_its_line(tmp_path, char):
    """PyYAML refuses it but names only a position; the message gives the line (row 1)."""
    text = VALID.replace("{en: Battery ok,", f"{{en: Battery{char} ok,")
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        load_file(path)
    assert info.value.problems == [f"{path}:{ln(text, 'Battery')}: the file contains the control character "
                                   f"U+{ord(char):04X}, which YAML does not allow"]


def test_escaped_control_characters_and_surrogates_are_refused_on_their_lines():
    """Double-quoted YAML makes them from escapes; the loader refuses them, every one."""
    text = (VALID.replace("{en: Battery ok,", '{en: "Battery\\0 ok",')
            .replace("{en: Rate it,", '{en: "Rate\\x01 it",')
            .replace("{en: Device,", '{en: "Dev\\ud800ice",'))
    assert problems(text) == [
        f"q.yaml:{ln(text, 'Dev')}: the text contains the lone surrogate U+D800 (from bytes that are not UTF-8), "
        "which cannot be stored",
        f"q.yaml:{ln(text, 'Rate')}: the text contains the control character U+0001, which cannot be stored",
        f"q.yaml:{ln(text, 'Battery')}: the text contains the control character U+0000, which cannot be stored",
    ]
    # tabs and line breaks in text are fine
    assert parse(VALID.replace("{en: Battery ok,", '{en: "Battery\\tok\\nreally",'), "q.yaml").item(
        "battery").text.en == "Battery\tok\nreally"
