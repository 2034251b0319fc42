"""The shipped Digital Maturity Assessment (questionnaires/dma.yaml): its shape, its two
languages, its provenance, and the commands that check it."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from questionnaires import available, from_content, load_file
from questionnaires.loader import QUESTIONNAIRE_DIR

DMA = QUESTIONNAIRE_DIR / "dma.yaml"
#: the function ids and English labels every other part relies on (issue 16's contract)
FUNCTIONS = {
    "vision_leadership": ("VL", "Vision and Leadership"),
    "culture_skills": ("CS", "Culture and Skills"),
    "user_centred_design": ("UD", "User-Centred Service Design"),
    "digital_services": ("DS", "Digital Services and Access"),
    "data_analytics": ("DA", "Data and Analytics"),
    "technology": ("TE", "Technology"),
    "agile_working": ("AW", "Agile Working"),
    "security_governance": ("SG", "Security and Information Governance"),
    "suppliers_partnerships": ("SP", "Suppliers, Commissioning and Partnerships"),
}
#: the three functions a council's result names; the rest come from public models
FROM_THE_SEEDS = {"vision_leadership", "data_analytics", "technology"}
PUBLIC_MODELS = ("Local Digital Declaration", "GDS Service Standard", "Technology Code of Practice",
                 "NCSC Cyber Assessment Framework", "CDDO Data Maturity Assessment for Government", "CMMI")


@pytest.fixture(scope="module")
def dma():
    return load_file(DMA)


def test_the_four_questionnaires_load_and_only_the_dma_is_an_organisation_return():
    found = available()
    assert sorted(found) == ["dma", "sdma", "user-satisfaction", "user-skills"]
    assert {q.id: q.kind for q in found.values()} == {"dma": "organisation", "sdma": "staff",
                                                     "user-satisfaction": "staff", "user-skills": "staff"}


def test_identity(dma):
    assert (dma.id, dma.version, dma.kind, dma.data_year) == ("dma", "2026.1", "organisation", "financial")
    assert dma.title.en == "Digital Maturity Assessment" and dma.title.cy == "Asesiad Aeddfedrwydd Digidol"


def test_nine_functions_with_the_agreed_ids_and_labels(dma):
    assert [(f.id, f.label.en) for f in dma.functions] == [(fid, label) for fid, (_, label) in FUNCTIONS.items()]


def test_five_layers_from_1_to_5(dma):
    assert [layer.level for layer in dma.layers] == [1, 2, 3, 4, 5]
    assert [layer.label.en for layer in dma.layers] == ["Foundations", "Developing", "Established", "Embedded",
                                                        "Leading"]


def test_two_statements_per_function_per_layer_ninety_in_all(dma):
    assert len(dma.statements) == 90
    for function, (prefix, _) in FUNCTIONS.items():
        ids = [i.id for i in dma.statements_of(function)]
        assert ids == [f"{prefix}{layer}.{n}" for layer in range(1, 6) for n in (1, 2)]
        for layer in range(1, 6):
            assert sum(i.layer == layer for i in dma.statements_of(function)) == 2


def test_statements_keep_the_file_order(dma):
    raw = yaml.safe_load(DMA.read_text(encoding="utf-8"))
    assert [i.id for i in dma.statements] == [s["id"] for s in raw["statements"]]
    assert [(i.function, i.layer) for i in dma.statements] == [(s["function"], s["layer"]) for s in raw["statements"]]


def test_one_page_per_function_one_yes_no_question_per_statement(dma):
    assert [p.id for p in dma.pages] == list(FUNCTIONS)
    for page, function in zip(dma.pages, dma.functions):
        assert page.title == function.label and page.intro == function.guidance
        for question in page.questions:
            (item,) = question.items
            assert question.type == item.type == "yes_no" and not item.required
            assert item.id == question.id and item.function == page.id and item.layer in range(1, 6)


def test_every_text_is_in_english_and_welsh(dma):
    texts = [dma.title, dma.description]
    texts += [t for f in dma.functions for t in (f.label, f.guidance)]
    texts += [t for layer in dma.layers for t in (layer.label, layer.description)]
    texts += [i.text for i in dma.statements]
    assert len(texts) == 2 + 18 + 10 + 90
    for text in texts:
        assert text.en.strip() and text.cy.strip()
        assert text.en != text.cy, text  # a Welsh text that is the English one was not translated
    # statements are full sentences in both languages
    for item in dma.statements:
        assert item.text.en.endswith(".") and item.text.cy.endswith("."), item.id


def test_welsh_follows_the_glossary(dma):
    """Formal, the organisation as sefydliad, sentence case in labels, agreed terms."""
    welsh = " ".join(i.text.cy for i in dma.statements)
    assert not re.search(r"\b(ti|dy|cyngor)\b", welsh)  # never informal; organisation, not council
    assert "sefydliad" in welsh and "TGCh" not in welsh  # IT policies and teams are TG
    for function in dma.functions:
        first, *rest = function.label.cy.split()
        assert all(word[0].islower() for word in rest if word not in {"TG"}), function.label.cy


def test_every_function_and_layer_says_where_it_comes_from(dma):
    for function in dma.functions:
        if function.id in FROM_THE_SEEDS:
            assert "The benchmarking programme's DMA as a council's result describes it" in function.source
        assert any(model in function.source for model in PUBLIC_MODELS if model != "CMMI"), function.id
    for layer in dma.layers:
        assert "CDDO Data Maturity Assessment for Government" in layer.source and "CMMI" in layer.source
    header = DMA.read_text(encoding="utf-8").split("\nid: dma", 1)[0]
    assert "without touching the program" in header and "freezes its own copy" in header


def test_a_campaigns_frozen_copy_rebuilds_it_identically(dma):
    again = from_content(dma.content)
    assert again == dma and again.content_hash == dma.content_hash
    assert again.functions == dma.functions and again.layers == dma.layers and again.pages == dma.pages


def test_flask_questionnaire_validate_and_list(runner):
    result = runner.invoke(args=["questionnaire", "validate", str(DMA)])
    assert result.exit_code == 0 and f"{DMA}: ok (dma version 2026.1)" in result.output
    listing = runner.invoke(args=["questionnaire", "list"])
    assert listing.exit_code == 0
    assert re.search(r"^dma +2026\.1 +9 +90 +90$", listing.output, re.MULTILINE), listing.output


def test_python_m_questionnaires(tmp_path):
    result = subprocess.run([sys.executable, "-m", "questionnaires", str(DMA)], capture_output=True, text=True,
                            cwd=QUESTIONNAIRE_DIR.parent, check=False)
    assert result.returncode == 0
    assert result.stdout == f"{DMA}: ok (dma 2026.1, organisation return: 9 functions, 5 layers, 90 statements)\n"
    broken = tmp_path / "dma.yaml"
    text = DMA.read_text(encoding="utf-8").replace("function: technology\n    layer: 4", "function: technology\n"
                                                   "    layer: 7", 1)
    broken.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == "    layer: 7")
    result = subprocess.run([sys.executable, "-m", "questionnaires", str(broken)], capture_output=True, text=True,
                            cwd=QUESTIONNAIRE_DIR.parent, check=False)
    assert result.returncode == 1
    assert f"{broken}:{line}: the layer of statement 'TE4.1' must be a whole number from 1 to 5, not 7" in result.stdout
