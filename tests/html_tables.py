"""The tables of an HTML page as text, cell by cell, so a test can assert the figure in its
own row and column instead of looking for it anywhere on the page."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Table:
    caption: str = ""
    #: header rows first, then body rows; each row its cells' text (th and td alike)
    rows: list[list[str]] = field(default_factory=list)

    def row(self, first_cell: str) -> list[str]:
        """The one row whose first cell is `first_cell` (its other cells)."""
        found = [r for r in self.rows if r and r[0] == first_cell]
        assert len(found) == 1, f"{len(found)} rows start with {first_cell!r} in {self.caption!r}: {self.rows}"
        return found[0][1:]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._open: list[Table] = []
        self._text: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append(Table())
        elif not self._open:
            return
        elif tag == "caption":
            self._in_caption, self._text = True, []
        elif tag == "tr":
            self._open[-1].rows.append([])
        elif tag in ("td", "th"):
            self._text = []

    def handle_endtag(self, tag):
        if not self._open:
            return
        if tag == "table":
            self.tables.append(self._open.pop())
        elif tag == "caption" and self._in_caption:
            self._open[-1].caption = _clean(self._text)
            self._in_caption, self._text = False, None
        elif tag in ("td", "th") and self._text is not None:
            self._open[-1].rows[-1].append(_clean(self._text))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _clean(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def tables(html: str) -> list[Table]:
    """Every table of the page, in the order they end (an inner table before its outer)."""
    parser = _Tables()
    parser.feed(html)
    parser.close()
    return parser.tables


def table(html: str, caption: str | None = None, header: list[str] | None = None) -> Table:
    """The one table with this caption, or whose first row is `header`."""
    every = tables(html)
    found = [t for t in every if (caption is None or t.caption == caption)
             and (header is None or (t.rows and t.rows[0] == header))]
    assert len(found) == 1, (f"{len(found)} tables with caption {caption!r} and header {header!r}: "
                             f"{[(t.caption, t.rows[:1]) for t in every]}")
    return found[0]
