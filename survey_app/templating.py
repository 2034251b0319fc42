"""Jinja as the pages use it, without three costs that GOV.UK Frontend's macros multiply.

A 20-row grid page calls the radios macro 20 times, and each call imports five other
macro files and renders 180 labels through `indent`. Profiled (bench/RESULTS.md,
"The respondent journey under load"), that was most of a page's time:

- every `{% from ... import %}` inside a macro makes Jinja compare the page's globals with
  the imported file's (a set minus a ChainMap's keys, one Python call per key);
  `SurveyEnvironment` keeps the same ChainMap but hands back its keys as a set;
- Jinja's `indent` filter builds a Markup object per line; `indent` below does the same
  work on plain text and makes one Markup of the result (the output is identical);
- the same component with the same parameters is rendered again for every respondent;
  `component()` remembers the HTML of a radios or checkboxes component by its parameters
  (the macros read nothing but their parameters, and change none of them).
"""
from __future__ import annotations

from collections import ChainMap

from flask.templating import Environment
from jinja2.filters import do_indent
from markupsafe import Markup, escape

#: component name -> (macro file, macro name); only components whose HTML depends on
#: nothing but their parameters
COMPONENTS = {
    "radios": ("govuk_frontend_jinja/components/radios/macro.html", "govukRadios"),
    "checkboxes": ("govuk_frontend_jinja/components/checkboxes/macro.html", "govukCheckboxes"),
}
#: remembered components per process: a questionnaire item in two languages with each
#: possible answer is a few dozen entries
COMPONENT_CACHE_SIZE = 8192


class _Globals(ChainMap):
    """Jinja's globals ChainMap, with keys() as a set so that `set - keys()` is one C call."""

    def keys(self):  # type: ignore[override]
        return set(self)


class SurveyEnvironment(Environment):
    def make_globals(self, d):
        return _Globals(d if d is not None else {}, self.globals)


def indent(s, width: int | str = 4, first: bool = False, blank: bool = False):
    """Jinja's `indent` filter, with the same output, working on plain text."""
    indention = width if isinstance(width, str) else " " * width
    if not isinstance(s, Markup) or str(escape(indention)) != indention:
        return do_indent(s, width, first, blank)  # the common case is Markup and spaces
    text = str(s) + "\n"
    if blank:
        out = ("\n" + indention).join(text.splitlines())
    else:
        lines = text.splitlines()
        out = lines.pop(0)
        if lines:
            out += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        out = indention + out
    return Markup(out)


def init_app(app) -> None:
    app.jinja_env.filters["indent"] = indent
    rendered: dict[str, Markup] = {}

    def component(name: str, params: dict) -> Markup:
        """The HTML of a GOV.UK component, rendered once per distinct parameters.

        The key is the parameters' repr: it tells text from safe HTML (Markup's repr
        names it) and "1" from 1; the same parameters built in another order only
        make another entry."""
        key = name + repr(params)
        html = rendered.get(key)
        if html is None:
            path, macro = COMPONENTS[name]
            html = getattr(app.jinja_env.get_template(path).module, macro)(params)
            if len(rendered) >= COMPONENT_CACHE_SIZE:
                rendered.clear()
            rendered[key] = html
        return html

    app.jinja_env.globals["component"] = component
