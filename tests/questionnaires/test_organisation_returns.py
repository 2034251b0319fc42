"""Organisation returns (`kind: organisation`): the model built from functions, layers and
statements, the frozen round trip, and every rule of questionnaires/maturity.py refused
with the line it is about."""
from __future__ import annotations

import json
import re
import textwrap

import pytest

from questionnaires import QuestionnaireError, available, from_content, load_file, parse

LAYERS = "".join(f"""\
  - level: {n}
    label: {{en: Layer {n}, cy: Haen {n}}}
    description: {{en: What layer {n} means., cy: Ystyr haen {n}.}}
    source: Level {n} of a five-level model.
""" for n in range(1, 6))

STATEMENTS = "".join(
    f"  - {{id: {prefix}{n}.1, function: {function}, layer: {n}, text: {{en: {word} {n}, cy: {gair} {n}}}}}\n"
    for prefix, function, word, gair in (("AA", "alpha", "Alpha", "Alffa"), ("BB", "beta", "Beta", "Beta"))
    for n in range(1, 6))

VALID = textwrap.dedent("""\
    id: tiny-return
    version: "1"
    kind: organisation
    title: {en: Tiny return, cy: Ffurflen fach}
    description: {en: A tiny return., cy: Ffurflen fach iawn.}
    minutes: 10
    layers:
    """) + LAYERS + textwrap.dedent("""\
    functions:
      - id: alpha
        label: {en: Alpha, cy: Alffa}
        guidance: {en: What alpha covers., cy: Beth mae alffa yn ei gwmpasu.}
        source: The first model.
      - id: beta
        label: {en: Beta, cy: Beta}
        guidance: {en: What beta covers., cy: Beth mae beta yn ei gwmpasu.}
        source: The second model.
    statements:
    """) + STATEMENTS


def ln(text: str, needle: str, nth: int = 1) -> int:
    """The line number of the nth line containing `needle` (what the loader must report)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def problems(tmp_path, text: str) -> list[str]:
    """The problems of `text` written to a file, with the file's name taken off the front."""
    path = tmp_path / "return.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        load_file(path)
    assert all(p.startswith(f"{path}:") for p in info.value.problems), info.value.problems
    return [p[len(str(path)):] for p in info.value.problems]


def without(text: str, *needles: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not any(n in line for n in needles))


# -- what a valid file becomes ----------------------------------------------------------

def test_a_return_becomes_one_page_per_function_and_one_yes_no_question_per_statement():
    q = parse(VALID, "return.yaml")
    assert q.kind == "organisation" and q.is_organisation_return
    assert [f.id for f in q.functions] == ["alpha", "beta"]
    assert q.function("beta").guidance.cy == "Beth mae beta yn ei gwmpasu."
    assert q.function("beta").source == "The second model." and q.function("gamma") is None
    assert [layer.level for layer in q.layers] == [1, 2, 3, 4, 5]
    assert q.layer(3).label.en == "Layer 3" and q.layer(3).source == "Level 3 of a five-level model."
    assert q.layer(6) is None
    assert [(p.id, p.title.en, p.intro.en) for p in q.pages] == [("alpha", "Alpha", "What alpha covers."),
                                                                ("beta", "Beta", "What beta covers.")]
    assert [i.id for i in q.statements] == [f"{p}{n}.1" for p in ("AA", "BB") for n in range(1, 6)]
    assert [i.id for i in q.statements_of("beta")] == [f"BB{n}.1" for n in range(1, 6)]
    assert q.statements_of("gamma") == []
    for question in q.questions:
        (item,) = question.items
        assert question.type == item.type == "yes_no" and not question.required and not item.required
        assert item.id == question.id == item.question_id and item.page_id == item.function == question.page_id
        assert item.layer == int(item.id[2]) and item.factor is None
    assert q.item("AA4.1").text == q.item("AA4.1").text.__class__("Alpha 4", "Alffa 4")
    assert q.statements == q.items and q.dimensions == () and q.areas == () and q.factors == ()


def test_a_statement_may_have_a_hint_shown_under_it():
    text = VALID.replace("text: {en: Beta 2, cy: Beta 2}}", "text: {en: Beta 2, cy: Beta 2}, "
                                                          "hint: {en: Say which policy., cy: Dywedwch pa bolisi.}}")
    q = parse(text, "return.yaml")
    assert next(question for question in q.questions if question.id == "BB2.1").hint.cy == "Dywedwch pa bolisi."


def test_staff_surveys_are_the_default_kind_without_statements(repo_root):
    q = load_file(repo_root / "questionnaires" / "user-skills.yaml")
    assert q.kind == "staff" and not q.is_organisation_return
    assert q.functions == () and q.layers == () and q.statements == []
    assert all(i.function is None and i.layer is None for i in q.items)


def test_the_frozen_content_rebuilds_the_same_return():
    q = parse(VALID, "return.yaml")
    # a campaign stores the content as JSON
    frozen = json.loads(json.dumps(q.content))
    again = from_content(frozen)
    assert again == q  # every field, pages, functions and layers included
    assert again.content_hash == q.content_hash and again.kind == "organisation"
    assert "pages" not in frozen and frozen["statements"][0]["function"] == "alpha"


# -- kinds ------------------------------------------------------------------------------

def test_an_unknown_kind_is_refused(tmp_path):
    text = VALID.replace("kind: organisation", "kind: council")
    assert f":{ln(text, 'kind:')}: 'kind' of the questionnaire must be staff (the default: each member of staff " \
           "answers) or organisation (one return per organisation), not 'council'" in problems(tmp_path, text)


def test_an_organisation_return_has_no_pages_scales_or_dimensions(tmp_path):
    text = VALID.replace("minutes: 10\n", "minutes: 10\npages: []\nscales: {}\ndimensions: []\n")
    assert problems(tmp_path, text) == [
        f":{ln(text, key)}: an organisation return (kind: organisation) has no '{key[:-1]}': its pages are its "
        "functions and its questions are its statements" for key in ("pages:", "scales:", "dimensions:")]


def test_a_staff_survey_has_no_statements(tmp_path):
    text = VALID.replace("kind: organisation\n", "")
    found = problems(tmp_path, text)
    for key in ("functions", "layers", "statements"):
        assert f":{ln(text, key + ':')}: '{key}' belongs to an organisation return: add 'kind: organisation' " \
               "or remove it" in found


# -- statements -------------------------------------------------------------------------

def test_a_statement_naming_an_unknown_function(tmp_path):
    text = VALID.replace("{id: AA2.1, function: alpha", "{id: AA2.1, function: gamma")
    line = ln(text, "AA2.1")
    assert problems(tmp_path, text) == [
        f":{ln(text, '- id: alpha')}: function 'alpha' has no statements in layer 2: every function needs at "
        "least one statement in every layer",
        f":{line}: statement 'AA2.1' names an unknown function 'gamma' (declare it under 'functions')"]


def test_a_statement_without_a_function(tmp_path):
    text = VALID.replace("{id: BB5.1, function: beta, ", "{id: BB5.1, ")
    assert f":{ln(text, 'BB5.1')}: statement 'BB5.1' has no 'function'" in problems(tmp_path, text)


@pytest.mark.parametrize("value", ["6", "0", "two", "true", "2.5", "'2'"])
def test_a_layer_that_is_not_a_whole_number_from_1_to_5(tmp_path, value):
    text = VALID.replace("function: alpha, layer: 2,", f"function: alpha, layer: {value},")
    found = problems(tmp_path, text)
    assert found[-1].startswith(f":{ln(text, 'AA2.1')}: the layer of statement 'AA2.1' must be a whole number "
                                "from 1 to 5, not ")


def test_a_statement_without_a_layer(tmp_path):
    text = VALID.replace("function: alpha, layer: 2,", "function: alpha,")
    assert f":{ln(text, 'AA2.1')}: statement 'AA2.1' has no 'layer'" in problems(tmp_path, text)


def test_a_function_without_statements_in_one_layer(tmp_path):
    text = without(VALID, "AA3.1")
    assert problems(tmp_path, text) == [
        f":{ln(text, '- id: alpha')}: function 'alpha' has no statements in layer 3: every function needs at "
        "least one statement in every layer"]
    text = without(VALID, "AA3.1", "AA5.1")
    assert problems(tmp_path, text) == [
        f":{ln(text, '- id: alpha')}: function 'alpha' has no statements in layer 3, 5: every function needs at "
        "least one statement in every layer"]


def test_a_function_without_any_statement(tmp_path):
    text = without(VALID, "function: beta,")
    assert problems(tmp_path, text) == [f":{ln(text, '- id: beta')}: function 'beta' has no statements"]


def test_an_empty_layer_is_reported_once_on_the_layer(tmp_path):
    text = without(VALID, "AA4.1", "BB4.1")
    assert problems(tmp_path, text) == [f":{ln(text, 'level: 4')}: layer 4 has no statements"]


def test_duplicate_statement_ids_within_and_across_functions(tmp_path):
    text = VALID.replace("{id: BB1.1, function: beta", "{id: AA1.1, function: beta")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'AA1.1', 2)}: statement id 'AA1.1' is used twice (first on line {ln(text, 'AA1.1')})"]
    text = VALID.replace("  - {id: AA2.1", "  - {id: AA2.1, function: alpha, layer: 2, text: {en: Again, cy: Eto}}\n"
                                           "  - {id: AA2.1")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'AA2.1', 2)}: statement id 'AA2.1' is used twice (first on line {ln(text, 'AA2.1')})"]


@pytest.mark.parametrize("missing, language", [("cy: Alffa 3", "Welsh text (cy)"), ("en: Alpha 3", "English text (en)")])
def test_a_statement_without_english_or_welsh(tmp_path, missing, language):
    text = VALID.replace(f", {missing}", "").replace(f"{missing}, ", "")
    assert problems(tmp_path, text) == [f":{ln(text, 'AA3.1')}: missing {language} in 'text' of statement "
                                        "'AA3.1'"]


def test_a_function_or_layer_without_welsh(tmp_path):
    text = VALID.replace("cy: Beth mae beta yn ei gwmpasu.", "cy: ''").replace("cy: Ystyr haen 4.", "cy: ' '")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'What layer 4')}: missing Welsh text (cy) in 'description' of layer 4",
        f":{ln(text, 'What beta')}: missing Welsh text (cy) in 'guidance' of function 'beta'"]


@pytest.mark.parametrize("bad", ["VL1-1", "vl1.1", "VL.1", "A1.1.1", "VL1.0", "ALPHA1.1"])
def test_a_statement_id_is_prefix_layer_dot_number(tmp_path, bad):
    text = VALID.replace("{id: AA2.1,", f"{{id: {bad},")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'function: alpha, layer: 2')}: a statement needs an id made of its function's prefix in "
        f"capitals, its layer and a number (VL1.1, DA5.2), not '{bad}'"]


def test_a_statement_id_agrees_with_its_layer_and_function(tmp_path):
    text = VALID.replace("{id: AA2.1,", "{id: AA3.2,")
    assert problems(tmp_path, text) == [f":{ln(text, 'AA3.2')}: statement 'AA3.2' is in layer 2 but its id says "
                                        "layer 3: number it AA2.N"]
    text = VALID.replace("{id: AA2.1,", "{id: AB2.1,")
    assert problems(tmp_path, text) == [f":{ln(text, 'AB2.1')}: statement 'AB2.1' belongs to 'alpha', whose "
                                        "statements start with 'AA'"]
    text = re.sub(r"BB([1-5])\.1", r"AA\1.2", VALID)
    assert problems(tmp_path, text) == [
        f":{ln(text, f'AA{n}.2')}: statement 'AA{n}.2' belongs to 'beta', but the prefix 'AA' is that of 'alpha'"
        for n in range(1, 6)]


def test_statements_are_listed_function_by_function_and_layer_by_layer(tmp_path):
    lines = VALID.splitlines(keepends=True)
    first, second = (next(n for n, line in enumerate(lines) if sid in line) for sid in ("AA1.1", "AA2.1"))
    lines[first], lines[second] = lines[second], lines[first]
    text = "".join(lines)
    assert problems(tmp_path, text) == [
        f":{ln(text, 'AA1.1')}: statement 'AA1.1' is out of order: list the statements function by function, "
        "in the order of 'functions', and layer by layer within each function"]
    beta = next(line for line in VALID.splitlines(keepends=True) if "BB1.1" in line)
    text = without(VALID, "BB1.1").replace("  - {id: AA1.1", beta + "  - {id: AA1.1")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'AA1.1')}: statement 'AA1.1' is out of order: list the statements function by function, "
        "in the order of 'functions', and layer by layer within each function"]


def test_an_unknown_key_on_a_statement(tmp_path):
    text = VALID.replace("{id: BB2.1,", "{id: BB2.1, weight: 2,")
    assert problems(tmp_path, text) == [f":{ln(text, 'BB2.1')}: unknown key 'weight' in statement 'BB2.1'"]


def test_no_statements_at_all(tmp_path):
    text = VALID.split("statements:")[0]
    found = problems(tmp_path, text)
    assert ":1: the questionnaire has no 'statements'" in found
    assert f":{ln(text, '- id: alpha')}: function 'alpha' has no statements" in found
    assert f":{ln(text, 'level: 1')}: layer 1 has no statements" in found


# -- functions and layers ---------------------------------------------------------------

def test_a_function_declared_twice(tmp_path):
    text = VALID.replace("  - id: beta", "  - id: alpha", 1)
    found = problems(tmp_path, text)
    assert f":{ln(text, '- id: alpha', 2)}: function 'alpha' is declared twice (first on line " \
           f"{ln(text, '- id: alpha')})" in found
    assert f":{ln(text, 'BB1.1')}: statement 'BB1.1' names an unknown function 'beta' (declare it under " \
           "'functions')" in found


def test_the_functions_or_layers_key_given_twice_is_malformed(tmp_path):
    text = VALID.replace("statements:\n", "functions: []\nstatements:\n")
    assert problems(tmp_path, text) == [f":{ln(text, 'functions: []')}: malformed YAML: duplicate key 'functions'"]


def test_a_layer_declared_twice_and_one_missing(tmp_path):
    text = VALID.replace("level: 3", "level: 2")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'layers:')}: layer 3 is missing: an organisation return has the layers 1 to 5, each declared once",
        f":{ln(text, 'level: 2', 2)}: layer 2 is declared twice (first on line {ln(text, 'level: 2')})"]


@pytest.mark.parametrize("value", ["0", "6", "'1'", "first"])
def test_a_layer_level_outside_1_to_5(tmp_path, value):
    text = VALID.replace("level: 1", f"level: {value}")
    found = problems(tmp_path, text)
    assert found[0] == f":{ln(text, 'layers:')}: layer 1 is missing: an organisation return has the layers 1 to 5, " \
                       "each declared once"
    assert found[1].startswith(f":{ln(text, f'level: {value}')}: the level of a layer must be a whole number from "
                               "1 to 5, not ")


def test_layers_are_declared_in_order(tmp_path):
    one, two = (LAYERS.split("  - level: ")[n] for n in (1, 2))
    text = VALID.replace(f"  - level: {one}  - level: {two}", f"  - level: {two}  - level: {one}")
    assert problems(tmp_path, text) == [f":{ln(text, 'level: 1')}: layer 1 comes after layer 2: declare the layers "
                                        "in order, 1 first"]


def test_a_function_or_layer_without_a_source(tmp_path):
    text = without(VALID, "The second model.", "Level 5 of")
    assert problems(tmp_path, text) == [
        f":{ln(text, 'level: 5')}: layer 5 has no 'source': say where its definition comes from",
        f":{ln(text, '- id: beta')}: function 'beta' has no 'source': say where its definition comes from"]


def test_a_function_id_is_lower_case(tmp_path):
    text = VALID.replace("- id: beta", "- id: Beta").replace("function: beta", "function: Beta")
    found = problems(tmp_path, text)
    assert f":{ln(text, '- id: Beta')}: a function needs an id of lower-case letters, digits and '_' " \
           "(vision_leadership), not 'Beta'" in found


def test_a_label_is_a_short_name(tmp_path):
    long = "L" * 81
    text = VALID.replace("label: {en: Beta, cy: Beta}", f"label: {{en: Beta, cy: {long}}}")
    assert problems(tmp_path, text) == [f":{ln(text, long)}: the label of function 'beta' (cy) is 81 characters "
                                        "long: a label is a short name, at most 80 characters"]
    assert parse(text.replace(long, long[:80]), "return.yaml").function("beta").label.cy == long[:80]


def test_every_problem_is_reported_at_once_and_nothing_loads_half(tmp_path):
    text = without(VALID, "AA3.1").replace("cy: Beta 4", "cy: ''").replace("layer: 5, text: {en: Beta", "layer: 9, "
                                                                           "text: {en: Beta")
    found = problems(tmp_path, text)
    assert len(found) == 4, found  # alpha's layer 3, BB4.1's Welsh, BB5.1's layer, beta's layer 5
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    (folder / "good.yaml").write_text(VALID.replace("id: tiny-return", "id: good-return"), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        available(folder)
    assert len(info.value.problems) == 4
    assert all(p.startswith(str(folder / "broken.yaml")) for p in info.value.problems)
