"""Exporters: one per file format, each with a name and a `render()` that returns the
files to write (filename, media type, bytes), after pretix's exporters.

They take the tables as DataFrames and know nothing of where the data came from.
"""
from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .text import is_text
from .writers import csv_text, distinct_codes, workbook

#: Excel's limit is 1,048,576 rows a sheet, the header included
XLSX_MAX_ROWS = 1_048_575
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    data: bytes


def _as_str(value):
    return value if isinstance(value, str) else str(value)


def _text_values(values: pd.Series) -> pd.Series:
    """A text column's values as str (whatever Python object held them), each distinct
    value converted once; missing values None."""
    codes, distinct = distinct_codes(values)
    texts = np.array([_as_str(v) for v in distinct] + [None], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)


def _as_text_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Date-times as ISO 8601 UTC text, so that every spreadsheet reads them the same."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            codes, moments = pd.factorize(out[column], use_na_sentinel=True)
            text_of, texts = pd.factorize(pd.Index(moments).strftime("%Y-%m-%dT%H:%M:%SZ"))
            # as categories: a long table repeats each response's time on every answer
            out[column] = pd.Categorical.from_codes(np.append(text_of, -1)[codes],
                                                    categories=pd.Index(texts, dtype=object))
    return out


def _as_days(column: pd.Series) -> pd.Series | None:
    """A column of calendar days (the submission day), as Arrow dates; None for any other."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, values = column.cat.codes.to_numpy(), list(column.cat.categories)
    elif column.dtype == object:
        codes, values = pd.factorize(column, use_na_sentinel=True)
        values = list(values)
    else:
        return None
    if not values or not all(isinstance(v, date) and not isinstance(v, datetime) for v in values):
        return None
    days = pa.array(values, pa.date32()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowExtensionArray(days), index=column.index, name=column.name)


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
            data = csv_text(_as_text_times(frame), prefix=b"\xef\xbb\xbf")
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
        sheets = []
        for name, frame in tables.items():
            frame = _as_text_times(frame)
            for number, start in enumerate(range(0, max(len(frame), 1), self.max_rows), start=1):
                sheets.append((name if number == 1 else f"{name} {number}", frame.iloc[start:start + self.max_rows]))
        return [ExportFile(f"{basename}.xlsx", self.media_type, workbook(sheets, progress))]


class ParquetExporter(Exporter):
    """One Parquet file per table, with proper types (dates, UTC timestamps, nullable integers)."""

    identifier = "parquet"
    verbose_name = "Apache Parquet"
    media_type = "application/vnd.apache.parquet"
    extension = "parquet"

    def render(self, tables, basename, progress=None):
        files = []
        for name, frame in tables.items():
            table, schema = self._table(frame)
            buffer = io.BytesIO()
            # the long table's text columns go in as dictionaries, which Parquet stores as it
            # would the plain text; the schema a reader recreates is the plain one
            with pq.ParquetWriter(buffer, table.schema, store_schema=False) as writer:
                writer.write_table(table)
                writer.add_key_value_metadata({
                    "pandas": schema.metadata[b"pandas"],
                    "ARROW:schema": base64.b64encode(schema.serialize().to_pybytes()),
                })
            files.append(ExportFile(f"{basename}-{name}.parquet", self.media_type, buffer.getvalue()))
            if progress:
                progress(len(frame))
        return files

    @staticmethod
    def _table(frame: pd.DataFrame) -> tuple[pa.Table, pa.Schema]:
        """(`frame` as Arrow, the schema of its plain columns): text as text, whatever
        Python object held it. A column of categories (the long table's repeated texts)
        stays a dictionary in the table; the schema types and describes it as the plain
        column it stands for."""
        frame = frame.copy()
        for column in frame.columns:  # a day stays a date (submitted_on)
            days = _as_days(frame[column])
            if days is not None:
                frame[column] = days
        categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
        for column in frame.columns:
            if column in categorical:
                frame[column] = frame[column].cat.rename_categories(frame[column].cat.categories.map(_as_str))
            elif is_text(frame[column]):
                frame[column] = _text_values(frame[column])
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if not categorical:
            return table, table.schema
        # the plain columns: a stand-in with the same kinds of value (text, missing)
        stand_in = pd.DataFrame({c: pd.Series([*frame[c].cat.categories[:1], None], dtype=object) for c in categorical})
        plain = pa.Table.from_pandas(stand_in, preserve_index=False).schema
        described = {c["name"]: c for c in json.loads(plain.metadata[b"pandas"])["columns"]}
        pandas_meta = json.loads(table.schema.metadata[b"pandas"])
        pandas_meta["columns"] = [described.get(c["name"], c) for c in pandas_meta["columns"]]
        fields = [plain.field(f.name) if f.name in described else f for f in table.schema]
        return table, pa.schema(fields, metadata={**table.schema.metadata, b"pandas": json.dumps(pandas_meta).encode()})


EXPORTERS: dict[str, Exporter] = {e.identifier: e for e in (CSVExporter(), XLSXExporter(), ParquetExporter())}
