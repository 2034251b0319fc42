"""The template shortcuts (survey_app/templating.py) change how fast pages render, never
what they render."""
from __future__ import annotations

import pytest
from jinja2.filters import do_indent
from markupsafe import Markup

from survey_app.templating import _Globals, indent

SAMPLES = ["", "one line", "two\nlines", "trailing\n", "\n\nblank lines\n\n  kept\n", "a <b> & c\nd"]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("width", [0, 2, 4, "\t", "<>"])
@pytest.mark.parametrize("first", [False, True])
@pytest.mark.parametrize("blank", [False, True])
def test_indent_is_jinjas_indent(text, width, first, blank):
    for value in (text, Markup(text)):
        ours, jinjas = indent(value, width, first, blank), do_indent(value, width, first, blank)
        assert ours == jinjas
        assert type(ours) is type(jinjas)


def test_globals_keys_are_the_chainmaps_keys():
    found = _Globals({"a": 1}, {"b": 2, "a": 3})
    assert found.keys() == {"a", "b"}
    assert {"a", "b", "c"} - found.keys() == {"c"}
    assert found["a"] == 1


def test_component_is_the_macro_output(app):
    params = {"name": "q-x", "idPrefix": "q-x", "fieldset": {"legend": {"text": "Pick <one>"}},
              "errorMessage": {"text": "Select an answer", "visuallyHiddenText": "Error"},
              "hint": {"html": Markup("<strong>bold</strong> hint")},
              "items": [{"value": "1", "text": "One & only", "checked": True}, {"divider": "or"},
                        {"value": "dont_know", "text": "Don't know", "checked": False}]}
    macro = app.jinja_env.get_template("govuk_frontend_jinja/components/radios/macro.html").module.govukRadios
    direct = macro(params)
    template = app.jinja_env.from_string('{{ component("radios", params) }}')
    assert template.render(params=params) == str(direct)
    assert "<strong>bold</strong> hint" in direct and "Pick &lt;one&gt;" in direct
    # the same parameters, given afresh, render the same; changed ones render afresh
    assert template.render(params={**params, "name": "q-y"}) != str(direct)
    assert template.render(params=dict(params)) == str(direct)
    # text that looks like HTML stays text: it is not confused with the same string as HTML
    as_text = {**params, "hint": {"text": "<strong>bold</strong> hint"}}
    assert "&lt;strong&gt;bold" in template.render(params=as_text)


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_summary_card_is_the_macro_output(app, rows):
    def row(n: int) -> dict:
        value = {"html": Markup("two<br>lines &amp; more")} if n == 1 else {"text": f"answer <{n}>"}
        return {"key": {"text": f"Question {n} & more"}, "value": value,
                "actions": {"items": [{"href": f"/s/~mark~/p/page?return=check#q-{n}",
                                       "html": Markup(f'Change<span class="govuk-visually-hidden"> {n}</span>')}]}}

    macro = app.jinja_env.get_template("govuk_frontend_jinja/components/summary-list/macro.html").module
    params = {"card": {"title": {"text": "About <you>"}}, "rows": [row(n) for n in range(rows)]}
    direct = str(macro.govukSummaryList(params)).replace("/s/~mark~/", "/s/TOKEN/")
    template = app.jinja_env.from_string('{{ summary_card(title, rows, {"/s/~mark~/": "/s/TOKEN/"}) }}')
    for _ in range(2):  # rendered, then put together from remembered rows
        assert template.render(title="About <you>", rows=params["rows"]) == direct
    # text that looks like a link stays as it was: only links are changed
    text = [{**row(0), "value": {"text": 'href="/s/~mark~/'}}]
    assert "href=&#34;/s/~mark~/" in template.render(title="t", rows=text)
