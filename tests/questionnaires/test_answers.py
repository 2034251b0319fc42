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
