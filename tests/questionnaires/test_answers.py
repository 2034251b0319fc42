"""Answer checking shared by the web form and the response import."""
from __future__ import annotations

import pytest

from questionnaires import available
from questionnaires.answers import AnswerError, clean, decode


@pytest.fixture(scope="module")
def us():
    return available()["user-satisfaction"]


def test_scale_answers(us):
    item = us.item("overall")
    assert clean(item, " 7 ") == "7"
    assert clean(item, "dont_know") == "dont_know"
    assert clean(item, "") is None
    assert decode(item, "7") == 7
    with pytest.raises(AnswerError) as info:
        clean(item, "8")
    assert info.value.code == "out_of_range" and info.value.message == "8 is not on the scale 1 to 7"
    with pytest.raises(AnswerError) as info:
        clean(item, "seven")
    assert info.value.code == "not_a_number"


def test_choice_and_text_answers(us):
    device = next(i for i in us.items if i.dimension == "device")
    first = device.options[0].value
    assert clean(device, first) == first
    with pytest.raises(AnswerError) as info:
        clean(device, "abacus")
    assert info.value.code == "unknown_option"
    comments = next(i for i in us.items if i.type == "text")
    assert clean(comments, "  fine\r\nthanks ") == "fine\nthanks"
    with pytest.raises(AnswerError) as info:
        clean(comments, "x" * (comments.max_length + 1))
    assert info.value.code == "too_long"


def test_multiple_choice_keeps_questionnaire_order():
    q = available()["user-skills"]
    item = next(i for i in q.items if i.type == "multiple_choice")
    a, b = item.options[0].value, item.options[1].value
    assert clean(item, [b, a]) == f'["{a}", "{b}"]'
    assert clean(item, f"{b};{a}") == f'["{a}", "{b}"]'
    assert decode(item, clean(item, [b])) == [b]
    with pytest.raises(AnswerError):
        clean(item, ["nonsense"])


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\ud800", "\udcff"],
                         ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_and_lone_surrogates_are_refused(us, char):
    """Issue 14 row 1: PostgreSQL's text cannot hold NUL (a 500), XML not the other C0
    controls, UTF-8 not a lone surrogate; the same refusal on every database."""
    comments = next(i for i in us.items if i.type == "text")
    overall = us.item("overall")
    device = next(i for i in us.items if i.dimension == "device")
    skills = available()["user-skills"]
    several = next(i for i in skills.items if i.type == "multiple_choice")
    for item, raw in [(comments, f"fine{char}thanks"), (overall, f"5{char}"), (device, char),
                      (several, [several.options[0].value, f"x{char}"])]:
        with pytest.raises(AnswerError) as info:
            clean(item, raw)
        assert info.value.code == "unstorable", item.id
        assert info.value.message.startswith("the answer contains the ")
        assert f"U+{ord(char):04X}" in info.value.message
        assert info.value.message.endswith(", which cannot be stored: remove it")
        assert char not in info.value.message  # named, never repeated


def test_tabs_and_line_breaks_are_text(us):
    comments = next(i for i in us.items if i.type == "text")
    assert clean(comments, "a\tb\r\nc\rd\ne") == "a\tb\nc\rd\ne"


def test_a_scale_answer_written_as_its_label_names_the_code_to_use(us):
    """Issue 15 part 10: "Don't know" in an import cell was refused as "not a whole
    number", without saying that the file writes it dont_know."""
    item = us.item("overall")  # 1-7 with Don't know
    for typed in ("Don't know", "don’t know", "DONT KNOW", "Ddim yn gwybod", "DONT_KNOW"):
        with pytest.raises(AnswerError) as info:
            clean(item, typed)
        assert info.value.code == "missing_label"
        assert info.value.message == f"'{typed}' is written dont_know in an import file"
    with pytest.raises(AnswerError) as info:
        clean(item, "seven")
    assert info.value.message == "'seven' is not a whole number: use a whole number from 1 to 7, or dont_know"
    both = next(i for i in us.items if i.type == "scale" and len(i.scale.missing_values) == 2)
    with pytest.raises(AnswerError) as info:
        clean(both, "N/A")
    assert info.value.message.endswith("or dont_know or not_applicable")
    with pytest.raises(AnswerError) as info:
        clean(both, "not applicable")
    assert info.value.message == "'not applicable' is written not_applicable in an import file"
