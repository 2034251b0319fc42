"""Server-rendered SVG charts. Each comes with a text alternative, and the pages show the
same numbers in a table beside it."""
from __future__ import annotations

import io
import re
import threading
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, and readable
matplotlib.rcParams["font.family"] = "DejaVu Sans"  # bundled: the layout is the same everywhere
from matplotlib.figure import Figure  # noqa: E402

_lock = threading.Lock()  # matplotlib's text layout is not thread-safe
INK = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"


def _svg(fig: Figure, title_id: str, desc: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # an accessible name for the image; the numbers are in the table beside it
    svg = re.sub(r"<svg ", f'<svg role="img" aria-labelledby="{title_id}" focusable="false" ', svg, count=1)
    svg = re.sub(r'(<svg[^>]*>)', lambda m: m.group(1) + f'<title id="{title_id}">{_escape(desc)}</title>',
                 svg, count=1)
    svg = svg.replace("'DejaVu Sans'", "Arial, sans-serif")
    svg = re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)
    return _presentation_attributes(svg)


#: the properties matplotlib writes in style="..." that SVG also takes as attributes
PRESENTATION = {"fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-linejoin",
                "stroke-linecap", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity",
                "font-size", "font-family", "font-weight", "font-style", "text-anchor", "clip-path"}
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>\*\{([^}]*)\}</style>")
_ANY_STYLE = re.compile(r"<style|<[^>]*\sstyle=")
_TAG = re.compile(r"<[^>]+>")


def _attributes(declarations: str) -> str:
    out = []
    for declaration in filter(None, (d.strip() for d in declarations.split(";"))):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name not in PRESENTATION or '"' in value:
            raise ValueError(f"chart SVG: no presentation attribute for the style {declaration!r}")
        out.append(f' {name}="{value}"')
    return "".join(out)


def _presentation_attributes(svg: str) -> str:
    """The SVG with its inline CSS as presentation attributes: the pages' Content-Security-
    Policy allows no inline style (style="..." or <style>), and attributes are not styles.

    matplotlib's one <style> sets the line joins and caps of every element (`*{...}`);
    as attributes of the <svg> they are inherited instead, and each element's own
    attributes still win, as they did over `*`."""
    rule = _STYLE_ELEMENT.search(svg)
    if rule is not None:
        svg = svg[:rule.start()] + svg[rule.end():]
        end = svg.index(">", svg.index("<svg"))
        svg = svg[:end] + _attributes(rule.group(1)) + svg[end:]
    # tag by tag: matplotlib escapes "<" and ">" in text and attributes, but not quotes in text
    svg = _TAG.sub(lambda tag: _STYLE_ATTRIBUTE.sub(lambda m: _attributes(m.group(1)), tag.group(0)), svg)
    if _ANY_STYLE.search(svg):
        raise ValueError("chart SVG: an inline style is left")
    return svg.replace("<defs>\n </defs>", "").replace("<defs>\n  </defs>", "")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cumulative_curve(days: list[str], cumulative: list[int], participants: int, *, title_id: str,
                     desc: str, y_label: str) -> str:
    """Cumulative responses by day, as a stepped line, with the participant total as the top.

    The live page asks for the same chart again and again until the next response comes
    in, and drawing it is most of the page's time (bench/RESULTS.md): the SVG is kept for
    the same figures."""
    return _cumulative_curve(tuple(days), tuple(cumulative), participants, title_id, desc, y_label)


@lru_cache(maxsize=256)
def _cumulative_curve(days: tuple[str, ...], cumulative: tuple[int, ...], participants: int, title_id: str,
                      desc: str, y_label: str) -> str:
    with _lock:
        fig = Figure(figsize=(7, 3), dpi=100)
        ax = fig.add_subplot()
        x = list(range(len(days)))
        ax.step(x, cumulative, where="post", color=BLUE, linewidth=2.5)
        ax.fill_between(x, cumulative, step="post", color=BLUE, alpha=0.15)
        ax.set_ylim(0, max(participants, max(cumulative, default=0), 1))
        step = max(1, len(days) // 7)
        ax.set_xticks(x[::step], [days[i] for i in x[::step]], fontsize=8)
        ax.set_ylabel(y_label, fontsize=9, color=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(colors=INK, labelsize=8)
        return _svg(fig, title_id, desc)


def factor_bars(labels: list[str], values: list[float | None], medians: list[float | None],
                q1: list[float | None], q3: list[float | None], *, title_id: str, desc: str,
                x_label: str, lo: float = 1, hi: float = 7) -> str:
    """Horizontal bars (the organisation) with the benchmark median as a black line and
    the 1st and 3rd quartiles as grey lines, as the benchmarking report draws them."""
    with _lock:
        fig = Figure(figsize=(7, 0.38 * len(labels) + 0.8), dpi=100)
        ax = fig.add_subplot()
        y = list(range(len(labels)))[::-1]
        ax.barh(y, [v if v is not None else 0 for v in values], left=0, color=BLUE, height=0.6)
        for yi, m, a, b in zip(y, medians, q1, q3):
            if m is not None:
                ax.plot([m, m], [yi - 0.4, yi + 0.4], color=INK, linewidth=2.5)
            for q in (a, b):
                if q is not None:
                    ax.plot([q, q], [yi - 0.35, yi + 0.35], color=GREY, linewidth=1.5)
        ax.set_yticks(y, labels, fontsize=8)
        ax.set_xlim(lo - 1 if lo > 0 else lo, hi)
        ax.set_xlabel(x_label, fontsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _svg(fig, title_id, desc)
