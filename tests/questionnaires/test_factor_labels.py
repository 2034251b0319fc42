"""Factor labels: the short names results and charts show, declared once per factor."""
from __future__ import annotations

import copy

import pytest

from questionnaires import available, from_content, parse
from questionnaires.loader import MAX_FACTOR_LABEL
from tests.questionnaires.test_loader import VALID, ln, problems

LABELLED = VALID.replace("minutes: 1\n", "minutes: 1\nfactors:\n  - {id: F1, label: {en: Rating, cy: Sgôr}}\n")

#: the benchmarking report's names for the twenty factors (the seed report's list)
SEED_NAMES = {
    "S1": "Working relationships", "S2": "Political and senior management commitment", "S3": "Downtime",
    "S4": "Technical competence of ICT support staff", "S5": "Customer service skills of ICT support staff",
    "S6": "Responsiveness of ICT staff to changing needs", "S7": "Ease of contacting ICT support staff",
    "S8": "Speed of response to requests for assistance",
    "S9": "Accuracy of problem diagnosis by ICT support staff", "S10": "Ability of ICT support staff to fix problems",
    "S11": "ICT staff understanding the users' business", "S12": "Communication channels",
    "S13": "Resource plans for new systems and developments", "S14": "Promptness of ICT support staff",
    "S15": "Lead times", "S16": "Effectiveness of monitoring the ICT unit's performance",
    "S17": "Fitness for purpose of the hardware provided", "S18": "Fitness for purpose of office systems provided",
    "S19": "Fitness for purpose of the business systems provided", "S20": "The quality of training provided",
}


def test_a_declared_label_names_the_factor_and_the_question_keeps_its_words():
    q = parse(LABELLED, "q.yaml")
    assert q.factor_label("F1").en == "Rating" and q.factor_label("F1").cy == "Sgôr"
    assert q.item("rate").text.en == "Rate it"
    assert from_content(q.content).factor_label("F1").cy == "Sgôr"


def test_without_labels_the_question_text_names_the_factor():
    q = parse(VALID, "q.yaml")
    assert q.factors == () and q.factor_label("F1").en == "Rate it"
    assert q.factor_label("nope") is None


def test_user_satisfaction_uses_the_benchmarking_report_names_in_both_languages():
    us = available()["user-satisfaction"]
    assert {f: us.factor_label(f).en for f in SEED_NAMES} == SEED_NAMES
    assert us.factor_label("S3").cy == "Amser segur"
    assert all(us.factor_label(f).cy and us.factor_label(f).cy != SEED_NAMES[f] for f in SEED_NAMES if f != "S12")
    # the respondent still reads the question as it was
    assert us.item("sat_S3").text.en == "Downtime (times when systems are not available)"


def test_a_campaign_frozen_before_labels_still_loads_and_names_factors_by_question():
    """An existing campaign's frozen content has no `factors`: it still loads, unchanged."""
    old = copy.deepcopy(available()["user-satisfaction"].content)
    del old["factors"]
    old["version"] = "2026.1"
    q = from_content(old)
    assert q.factors == ()
    assert q.factor_label("S3").en == "Downtime (times when systems are not available)"


def test_labels_change_the_content_hash_so_the_version_changed_too():
    us = available()["user-satisfaction"]
    without = copy.deepcopy(us.content)
    del without["factors"]
    assert from_content(without).content_hash != us.content_hash
    assert us.version != "2026.1"  # the version campaigns froze without labels


@pytest.mark.parametrize("change, needle, message", [
    (("{id: F1, label: {en: Rating, cy: Sgôr}}", "{id: F1, label: {en: Rating}}"), "{id: F1",
     "missing Welsh text (cy) in 'label' of factor 'F1'"),
    (("{id: F1, label: {en: Rating, cy: Sgôr}}", "{id: F1, label: Rating}"), "{id: F1",
     "'label' of factor 'F1' must give text as {en: ..., cy: ...}"),
    (("{id: F1, label: {en: Rating, cy: Sgôr}}", "{id: F1, name: {en: Rating, cy: Sgôr}}"), "{id: F1",
     "unknown key 'name' in factor 'F1'"),
    (("  - {id: F1, label: {en: Rating, cy: Sgôr}}\n",
      "  - {id: F1, label: {en: Rating, cy: Sgôr}}\n  - {id: F9, label: {en: Nine, cy: Naw}}\n"), "F9",
     "factor 'F9' has a label but no question asks it"),
    (("  - {id: F1, label: {en: Rating, cy: Sgôr}}\n",
      "  - {id: F1, label: {en: Rating, cy: Sgôr}}\n  - {id: F1, label: {en: Again, cy: Eto}}\n"), "Again",
     "duplicate factor id 'F1'"),
    (("{id: F1, label: {en: Rating, cy: Sgôr}}", "{id: F2, label: {en: Rating, cy: Sgôr}}"), "factor: F1",
     "factor 'F1' has no label: give it one under 'factors' (every factor needs one once the file gives any)"),
    (("{en: Rating, cy: Sgôr}", "{en: Rating, cy: " + "Sgôr " * 20 + "}"), "{id: F1",
     f"the label of factor 'F1' (cy) is 99 characters long: a factor's label is its short name, at most "
     f"{MAX_FACTOR_LABEL} characters"),
])
def test_a_bad_label_is_refused_with_its_line(change, needle, message):
    text = LABELLED.replace(*change)
    assert f"q.yaml:{ln(text, needle)}: {message}" in problems(text)
