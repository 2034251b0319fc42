"""Writing large tables as text fast: each column's distinct values are rendered once
(a long table repeats a few thousand values millions of times) and Arrow joins the
rendered cells into rows, in C++. CSV comes out byte for byte as pandas' `to_csv` writes
it; a workbook as a plain Office Open XML package (bench/RESULTS.md: openpyxl wrote about
50,000 cells a second).
"""
from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .text import neutralise

#: rows joined into text at a time (bounds the memory a long table needs while writing)
CHUNK_ROWS = 250_000
Render = Callable[[list], list[str]]


def distinct_codes(values: pd.Series) -> tuple[np.ndarray, list]:
    """(code of each cell, -1 when missing; the distinct values as Python objects)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories.to_numpy(dtype=object).tolist()
    if values.dtype.kind == "f":  # by bit pattern: 0.0 and -0.0 are equal but print apart
        numbers = values.to_numpy(dtype=np.float64)
        codes, bits = pd.factorize(numbers.view(np.int64))
        codes[np.isnan(numbers)] = -1
        return codes, np.asarray(bits).view(np.float64).tolist()
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    distinct = np.asarray(distinct, dtype=object).tolist()
    if values.dtype == object and not all(isinstance(v, str) for v in distinct):
        # 1, 1.0 and True are one key to a hash table but are written apart: each cell alone
        return np.where(values.isna().to_numpy(), -1, np.arange(len(values))), values.to_numpy(dtype=object).tolist()
    return codes, distinct


class _Column:
    """A column's cells as text: `render` turns its distinct values into their texts
    once (each followed by `after`); `cells(start, stop)` gives the texts of those rows."""

    def __init__(self, values: pd.Series, render: Render, missing: str, after: str = ""):
        codes, distinct = distinct_codes(values)
        texts = [t + after for t in render(distinct) + [missing]]
        self.codes = np.where(codes < 0, len(texts) - 1, codes)
        self.texts = pa.array(texts, type=pa.large_string())

    def cells(self, start: int, stop: int) -> pa.Array:
        return self.texts.take(pa.array(self.codes[start:stop]))


def _text(s: str) -> pa.Scalar:
    return pa.scalar(s, pa.large_string())


def _string_bytes(strings: pa.Array) -> memoryview:
    """The text of a (large) string array without nulls, all its values end to end
    (a view of Arrow's memory, not a copy)."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)
    first, last = offsets[strings.offset], offsets[strings.offset + len(strings)]
    return memoryview(strings.buffers()[2])[first:last]


# -- CSV ---------------------------------------------------------------------------------

#: a field with one of these is quoted, as Python's csv module (and so pandas) quotes it
_CSV_SPECIAL = re.compile(r'[,"\r\n]')


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _CSV_SPECIAL.search(text) else text


def _csv_texts(distinct: list) -> list[str]:
    """Values as pandas' `to_csv` writes them (numbers through `str`, as numpy prints
    them), text a spreadsheet would run as a formula made inert."""
    return [_csv_field(str(neutralise(v))) for v in distinct]


def csv_text(frame: pd.DataFrame, prefix: bytes = b"") -> bytes:
    """`prefix` then `frame.to_csv(index=False, lineterminator="\\r\\n")` in UTF-8, byte
    for byte, with text a spreadsheet would run as a formula made inert."""
    if not len(frame.columns):
        return prefix + frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    # Python's csv module writes an empty field as "" when it is a row's only one
    alone = len(frame.columns) == 1
    render = (lambda d: [t or '""' for t in _csv_texts(d)]) if alone else _csv_texts
    header = [_csv_field(str(c)) or ('""' if alone else "") for c in frame.columns]
    parts = [prefix + (",".join(header) + "\r\n").encode("utf-8")]
    # the last column's texts end the line
    columns = [_Column(frame[c], render, '""' if alone else "", "\r\n" if i == len(frame.columns) - 1 else "")
               for i, c in enumerate(frame.columns)]
    for start in range(0, len(frame), CHUNK_ROWS):
        cells = [c.cells(start, start + CHUNK_ROWS) for c in columns]
        parts.append(_string_bytes(pc.binary_join_element_wise(*cells, _text(","))))
    return b"".join(parts)  # the one copy


# -- Office Open XML workbook ---------------------------------------------------------------

#: characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): removed from text
_XML_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml_text(text: str) -> str:
    return escape(text).replace("\r", "&#13;")


class _SharedStrings:
    """The workbook's table of texts: each distinct text stored once, cells refer to it."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def cell(self, text: str) -> str:
        text = _XML_ILLEGAL.sub("", text)  # before it is looked up: stored without them
        number = self.index.setdefault(text, len(self.index))
        return f'<c t="s"><v>{number}</v></c>'

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_xml_text(t)}</t></si>' for t in self.index)
        return (f'{_HEAD}<sst xmlns="{_MAIN}" uniqueCount="{len(self.index)}">'
                f"{items}</sst>")


def _xlsx_texts(strings: _SharedStrings) -> Render:
    """Values as cells: numbers and true/false as such, anything else as text (never a
    formula or an error value, whatever it starts with)."""
    def render(distinct: list) -> list[str]:
        out = []
        for v in distinct:
            if isinstance(v, (bool, np.bool_)):
                out.append(f'<c t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, (int, np.integer)):
                out.append(f"<c><v>{int(v)}</v></c>")
            elif isinstance(v, (float, np.floating)) and np.isfinite(v):
                out.append(f"<c><v>{float(v)!r}</v></c>")
            else:
                text = str(v)
                out.append(strings.cell(text) if text else "<c/>")
        return out
    return render


def _sheet_xml(frame: pd.DataFrame, strings: _SharedStrings, progress) -> Iterable[bytes]:
    """One worksheet: a bold header row frozen at the top, then the rows of `frame`.
    Missing values are empty cells, written as <c/> to keep later cells in their column."""
    header = "".join(strings.cell(str(c)).replace("<c ", '<c s="1" ') for c in frame.columns)
    yield (f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheetViews>'
           '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetData>'
           f'<row r="1">{header}</row>').encode("utf-8")
    render = _xlsx_texts(strings)
    columns = [_Column(frame[c], render, "<c/>") for c in frame.columns]

    def rows(start: int) -> memoryview:
        stop = min(start + CHUNK_ROWS, len(frame))
        numbers = pa.array(np.arange(start + 2, stop + 2)).cast(pa.large_string())
        cells = [c.cells(start, stop) for c in columns]
        return _string_bytes(pc.binary_join_element_wise(
            _text('<row r="'), numbers, _text('">'), *cells, _text("</row>"), _text("")))

    # the next rows are put together in a second thread while these are compressed (Arrow
    # and zlib both let go of the GIL)
    with ThreadPoolExecutor(max_workers=1) as helper:
        starts = range(0, len(frame), CHUNK_ROWS)
        coming = helper.submit(rows, starts[0]) if starts else None
        for start in starts:
            text = coming.result()
            if start + CHUNK_ROWS < len(frame):
                coming = helper.submit(rows, start + CHUNK_ROWS)
            yield text
            if progress:
                progress(min(CHUNK_ROWS, len(frame) - start))
    yield b"</sheetData></worksheet>"


def workbook(sheets: list[tuple[str, pd.DataFrame]], progress=None) -> bytes:
    """An .xlsx file with one worksheet per (name, frame), in order."""
    strings = _SharedStrings()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for number, (name, frame) in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                for piece in _sheet_xml(frame, strings, progress):
                    part.write(piece)
        package.writestr("xl/sharedStrings.xml", strings.xml())
        package.writestr("xl/styles.xml", _STYLES)
        sheet_list = "".join(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
                             for n, (name, _) in enumerate(sheets, start=1))
        package.writestr("xl/workbook.xml", f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
                                            f"<sheets>{sheet_list}</sheets></workbook>")
        relations = "".join(
            f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1))
        relations += (f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
                      f'<Relationship Id="rId{len(sheets) + 2}" Type="{_RELATIONSHIPS}/sharedStrings" '
                      'Target="sharedStrings.xml"/>')
        package.writestr("xl/_rels/workbook.xml.rels", f'{_HEAD}<Relationships xmlns="{_PACKAGE}">{relations}'
                                                       "</Relationships>")
        package.writestr("_rels/.rels", f'{_HEAD}<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
                                        f'Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
                                        "</Relationships>")
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1))
        package.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
    return buffer.getvalue()


_STYLES = (f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
           '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "{overrides}</Types>")
