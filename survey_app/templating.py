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
  (the macros read nothing but their parameters, and change none of them), and
  `summary_card()` the HTML of each row of a summary card: a check-answers page is a few
  cards of up to 20 rows, each row one of a few answers to one question.
"""
from __future__ import annotations

from collections import ChainMap
from os.path import commonprefix

from flask.templating import Environment
from jinja2.filters import do_indent
from markupsafe import Markup, escape

#: component name -> (macro file, macro name); only components whose HTML depends on
#: nothing but their parameters (and only used where those are the same for many people:
#: not with a personal link in them)
COMPONENTS = {
    "radios": ("govuk_frontend_jinja/components/radios/macro.html", "govukRadios"),
    "checkboxes": ("govuk_frontend_jinja/components/checkboxes/macro.html", "govukCheckboxes"),
    "button": ("govuk_frontend_jinja/components/button/macro.html", "govukButton"),
    "skipLink": ("govuk_frontend_jinja/components/skip-link/macro.html", "govukSkipLink"),
}
#: remembered components per process: a questionnaire item in two languages with each
#: possible answer is a few dozen entries
COMPONENT_CACHE_SIZE = 8192
SUMMARY_LIST = ("govuk_frontend_jinja/components/summary-list/macro.html", "govukSummaryList")
#: summary rows with longer keys (a free-text answer, seldom the same twice) are not remembered
LONGEST_ROW_KEY = 2000


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

    def remember(key: str, render) -> Markup:
        html = rendered.get(key)
        if html is None:
            html = render()
            if len(rendered) >= COMPONENT_CACHE_SIZE:
                rendered.clear()
            rendered[key] = html
        return html

    def macro(path: str, name: str):
        return getattr(app.jinja_env.get_template(path).module, name)

    def component(name: str, params: dict) -> Markup:
        """The HTML of a GOV.UK component, rendered once per distinct parameters.

        The key is the parameters' repr: it tells text from safe HTML (Markup's repr
        names it) and "1" from 1; the same parameters built in another order only
        make another entry."""
        return remember(name + repr(params), lambda: macro(*COMPONENTS[name])(params))

    def summary_card(title: str, rows: list[dict], links: dict[str, str]) -> Markup:
        """govukSummaryList of a card titled `title` whose rows each have one action, put
        together from rows rendered one at a time (the macro renders each row by itself
        and puts them one after another). `links` maps what stands in the rows' links for
        a part that differs per visitor (so the rows can be remembered) to that part;
        it is replaced only where a link starts (after `href="`, which no text can hold)."""
        summary_list = macro(*SUMMARY_LIST)

        def card(some: list[dict]) -> Markup:
            return summary_list({"card": {"title": {"text": title}}, "rows": some})

        frame = str(remember("summary-card" + repr(title), lambda: card([])))
        if not rows:
            return _links(frame, links)
        singles = []
        for row in rows:
            key = "summary-row" + repr((title, row))
            singles.append(str(card([row]) if len(key) > LONGEST_ROW_KEY else remember(key, lambda: card([row]))))
        start = frame[:len(commonprefix([frame, singles[0]]))].rfind("\n") + 1
        head, tail = frame[:start], frame[start:]
        if not all(one.startswith(head) and one.endswith(tail) for one in singles):
            return _links(card(rows), links)  # not the shape this relies on: the card rendered whole
        return _links(head + "".join(one[len(head):len(one) - len(tail)] for one in singles) + tail, links)

    app.jinja_env.globals["component"] = component
    app.jinja_env.globals["summary_card"] = summary_card


def _links(html: str, links: dict[str, str]) -> Markup:
    out = str(html)
    for mark, value in links.items():
        out = out.replace(f'href="{mark}', f'href="{value}')
    return Markup(out)
