"""Exporters: one per file format, each with a name and a `render()` that returns the
files to write (filename, media type, bytes), after pretix's exporters.

They take the tables as DataFrames and know nothing of where the data came from.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .text import neutralise

#: Excel's limit is 1,048,576 rows a sheet, the header included
XLSX_MAX_ROWS = 1_048_575
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    data: bytes


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]


def _per_distinct(values: pd.Series, function) -> pd.Series:
    """`function` (Series -> Series) applied to each distinct value once, then spread back:
    a long table repeats the same few thousand texts and times millions of times."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    done = function(pd.Series(distinct)).to_numpy(dtype=object)
    out = pd.Series(done.take(codes) if len(done) else [None] * len(codes), index=values.index, dtype=object)
    return out.where(codes >= 0, None)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories (the long table's repeated texts) as the plain values they stand for."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    return out


def _as_text_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Date-times as ISO 8601 UTC text, so that every spreadsheet reads them the same."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = _per_distinct(out[column], lambda s: s.dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return out


#: a field with one of these is quoted, as Python's csv module (and so pandas) quotes it
_CSV_SPECIAL = re.compile(r'[,"\r\n]')
#: rows joined into text at a time (bounds the memory a long table needs while writing)
CSV_CHUNK_ROWS = 250_000


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _CSV_SPECIAL.search(text) else text


def _csv_distinct(distinct) -> list[str]:
    """Distinct values of a column as pandas' `to_csv` writes them: floats as numpy
    prints them, anything else through `str`; text a spreadsheet would run as a formula
    made inert."""
    if isinstance(distinct, pd.Index):
        distinct = distinct.array
    if isinstance(distinct, np.ndarray) and distinct.dtype.kind == "f":
        texts = distinct.astype(str).tolist()
    else:
        texts = [str(neutralise(v)) for v in np.asarray(distinct, dtype=object)]
    return [_csv_field(t) for t in texts]


def _csv_cells(values: pd.Series, alone: bool) -> pa.Array:
    """A column's cells as CSV text, missing values empty; each distinct value rendered once.
    `alone`: the only column, where Python's csv module writes an empty field as \"\"."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, distinct = values.cat.codes.to_numpy(), values.cat.categories
    elif values.dtype.kind == "f":  # by bit pattern: 0.0 and -0.0 are equal but print apart
        numbers = values.to_numpy(dtype=np.float64)
        codes, bits = pd.factorize(numbers.view(np.int64))
        codes[np.isnan(numbers)] = -1
        distinct = np.asarray(bits).view(np.float64)
    else:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        if values.dtype == object and not all(isinstance(v, str) for v in distinct):
            # 1, 1.0 and True are one key to a hash table but print apart: each cell alone
            codes = np.where(values.isna().to_numpy(), -1, np.arange(len(values)))
            distinct = values.to_numpy(dtype=object)
    texts = _csv_distinct(distinct) + [""]  # the last for missing values
    if alone:
        texts = [t or '""' for t in texts]
    codes = np.where(codes < 0, len(texts) - 1, codes)
    return pa.array(texts, type=pa.large_string()).take(pa.array(codes))


def csv_text(frame: pd.DataFrame) -> bytes:
    """`frame.to_csv(index=False, lineterminator="\\r\\n")` in UTF-8, byte for byte, with
    text a spreadsheet would run as a formula made inert, and many times faster on a long
    table: each column's distinct values are rendered once and Arrow joins the rows."""
    if not len(frame.columns):
        return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    alone = len(frame.columns) == 1
    header = [_csv_field(str(c)) or ('""' if alone else "") for c in frame.columns]
    parts = [(",".join(header) + "\r\n").encode("utf-8")]
    for start in range(0, len(frame), CSV_CHUNK_ROWS):
        chunk = frame.iloc[start:start + CSV_CHUNK_ROWS]
        cells = [_csv_cells(chunk[c], alone) for c in chunk.columns]
        text = lambda s: pa.scalar(s, pa.large_string())  # noqa: E731
        rows = pc.binary_join_element_wise(*cells, text(","))
        lines = pc.binary_join_element_wise(rows, text(""), text("\r\n"))
        parts.append(_string_bytes(lines))
    return b"".join(parts)


def _string_bytes(strings: pa.Array) -> bytes:
    """The text of a (large) string array without nulls, all its values end to end."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)
    first, last = offsets[strings.offset], offsets[strings.offset + len(strings)]
    return strings.buffers()[2][first:last].to_pybytes()


class Exporter:
    identifier = ""
    verbose_name = ""
    media_type = ""
    extension = ""

    def render(self, tables: dict[str, pd.DataFrame], basename: str,
               progress: Progress | None = None) -> list[ExportFile]:
        raise NotImplementedError


class CSVExporter(Exporter):
    """One UTF-8 CSV file per table (with a byte order mark, so Excel reads Welsh
    letters right); text a spreadsheet would run as a formula starts with an apostrophe."""

    identifier = "csv"
    verbose_name = "CSV"
    media_type = "text/csv"
    extension = "csv"

    def render(self, tables, basename, progress=None):
        files = []
        for name, frame in tables.items():
            data = b"\xef\xbb\xbf" + csv_text(_as_text_times(frame))
            files.append(ExportFile(f"{basename}-{name}.csv", self.media_type, data))
            if progress:
                progress(len(frame))
        return files


class XLSXExporter(Exporter):
    """One workbook, a sheet per table (a table longer than Excel allows continues on
    sheets named "long 2", "long 3", ...). Text is always stored as text, so nothing in
    it runs as a formula; numbers stay numbers."""

    identifier = "xlsx"
    verbose_name = "Excel workbook"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def __init__(self, max_rows: int = XLSX_MAX_ROWS):
        self.max_rows = max_rows

    def render(self, tables, basename, progress=None):
        workbook = Workbook(write_only=True)
        bold = Font(bold=True)
        for name, frame in tables.items():
            frame = _as_text_times(_plain(frame))
            for column in _text_columns(frame):
                frame[column] = _per_distinct(frame[column].astype(object), lambda distinct: distinct.map(
                    lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v))
            frame = frame.astype(object).where(frame.notna(), None)
            chunks = range(0, max(len(frame), 1), self.max_rows)
            for number, start in enumerate(chunks, start=1):
                sheet = workbook.create_sheet(name if number == 1 else f"{name} {number}")
                sheet.freeze_panes = "A2"
                header = []
                for column in frame.columns:
                    cell = WriteOnlyCell(sheet, value=str(column))
                    cell.font = bold
                    header.append(cell)
                sheet.append(header)
                for row in frame.iloc[start:start + self.max_rows].itertuples(index=False, name=None):
                    sheet.append([self._cell(sheet, v) for v in row])
                if progress:
                    progress(min(self.max_rows, len(frame) - start))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return [ExportFile(f"{basename}.xlsx", self.media_type, buffer.getvalue())]

    @staticmethod
    def _cell(sheet, value):
        if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, not a formula or an error value
            return cell
        if hasattr(value, "item"):  # numpy scalars
            return value.item()
        return value


class ParquetExporter(Exporter):
    """One Parquet file per table, with proper types (UTC timestamps, nullable integers)."""

    identifier = "parquet"
    verbose_name = "Apache Parquet"
    media_type = "application/vnd.apache.parquet"
    extension = "parquet"

    def render(self, tables, basename, progress=None):
        files = []
        for name, frame in tables.items():
            buffer = io.BytesIO()
            pq.write_table(self._table(frame), buffer)
            files.append(ExportFile(f"{basename}-{name}.parquet", self.media_type, buffer.getvalue()))
            if progress:
                progress(len(frame))
        return files

    @staticmethod
    def _table(frame: pd.DataFrame) -> pa.Table:
        """`frame` as Arrow: text as text, whatever Python object held it. A column of
        categories (the long table's repeated texts) goes over as a dictionary, decoded by
        Arrow, and is typed and described exactly as the plain column would be."""
        frame = frame.copy()
        categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
        for column in _text_columns(frame) + categorical:
            as_text = lambda distinct: distinct.map(lambda v: v if isinstance(v, str) else str(v))  # noqa: E731
            if column in categorical:
                frame[column] = frame[column].cat.rename_categories(as_text(frame[column].cat.categories.to_series()))
            else:
                frame[column] = _per_distinct(frame[column].astype(object), as_text)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if not categorical:
            return table
        # what the plain columns would be: a stand-in with the same kinds of value (text, missing)
        stand_in = pd.DataFrame({c: pd.Series([*frame[c].cat.categories[:1], None], dtype=object) for c in categorical})
        plain = pa.Table.from_pandas(stand_in, preserve_index=False)
        described = {c["name"]: c for c in json.loads(plain.schema.metadata[b"pandas"])["columns"]}
        pandas_meta = json.loads(table.schema.metadata[b"pandas"])
        pandas_meta["columns"] = [described.get(c["name"], c) for c in pandas_meta["columns"]]
        for column in categorical:
            i = table.schema.get_field_index(column)
            table = table.set_column(i, plain.schema.field(column), table.column(i).cast(plain.schema.field(column).type))
        return table.replace_schema_metadata({**table.schema.metadata, b"pandas": json.dumps(pandas_meta).encode()})


EXPORTERS: dict[str, Exporter] = {e.identifier: e for e in (CSVExporter(), XLSXExporter(), ParquetExporter())}
