"""The CSV and Parquet writers: the same files whether a column holds categories or plain values."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from survey_app.results import exports, writers
from survey_app.results.writers import csv_text
from survey_app.results.text import neutralise


def pandas_csv(frame: pd.DataFrame) -> bytes:
    """What the export wrote before: text made inert, then pandas' `to_csv`."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise)
        elif isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].cat.rename_categories(lambda v: neutralise(v))
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


AWKWARD_TEXT = ["plain", "", None, "comma, inside", 'a "quoted" word', "two\nlines", "carriage\rreturn",
                "Cymraeg: ŵ ŷ â ê î ô û", " leading space", "trailing space ", "tab\tinside", "'apostrophe",
                "naïve café", "😀 emoji", ",", '"', "\r\n", "semi;colon", "1e5", "  ", "=1+1", "-dash"]


def awkward_frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    pick = lambda values: [values[i] for i in rng.integers(0, len(values), rows)]  # noqa: E731
    return pd.DataFrame({
        "text": pd.Series(pick(AWKWARD_TEXT), dtype=object),
        "str dtype": pd.Series(pick(["x", "y, z", None, "é"]), dtype="str"),
        "float": pick([1.0, 2.5, 0.1, 1e-20, 1e16, np.nan, -0.0, 3.3333333333333335, 7.0]),
        "int": rng.integers(-5, 10**12, rows),
        "Int64": pd.array(pick([1, None, 10**15, -3]), dtype="Int64"),
        "bool": pick([True, False]),
        "boolean": pd.array(pick([True, False, None]), dtype="boolean"),
        "category": pd.Categorical(pick(["hq", "depot, north", None, "home", "@cat"])),
        "float category": pd.Categorical(pick([1.5, None, 7.0])),
        "mixed object": pd.Series(pick(["a", 1, 2.5, None, True]), dtype=object),
        'header "quoted", too': pick(["v"]),
    })


def test_every_kind_of_column_written_as_pandas_writes_it(monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_ROWS", 37)  # several chunks, one of them short
    frame = awkward_frame(500)
    assert csv_text(frame) == pandas_csv(frame)


@pytest.mark.parametrize("column", ["text", "float", "Int64", "category"])
def test_a_single_column_with_empty_values(column):
    frame = awkward_frame(60)[[column]]
    assert frame[column].isna().any() or (frame[column] == "").any()
    assert csv_text(frame) == pandas_csv(frame)


def test_no_rows_and_a_slice_of_a_frame():
    frame = awkward_frame(50)
    assert csv_text(frame.iloc[:0]) == pandas_csv(frame.iloc[:0])
    assert csv_text(frame.iloc[10:20]) == pandas_csv(frame.iloc[10:20])


def test_text_that_a_spreadsheet_would_run_is_made_inert():
    frame = pd.DataFrame({"comment": ["=SUM(A1)", "+44 1234", "-x", "@here", "\tt", "fine", None], "n": range(7)})
    lines = csv_text(frame).decode().split("\r\n")
    assert lines[1:7] == ["'=SUM(A1),0", "'+44 1234,1", "'-x,2", "'@here,3", "'\tt,4", "fine,5"]
    assert lines[7] == ",6"


def test_parquet_of_categories_is_the_parquet_of_plain_values():
    frame = awkward_frame(300)
    frame["no values"] = pd.Categorical([None] * len(frame), categories=pd.Index([], dtype=object))
    frame["text categories"] = pd.Categorical(frame["text"])
    plain = frame.copy()
    for column in plain.columns:
        if isinstance(plain[column].dtype, pd.CategoricalDtype):
            plain[column] = plain[column].astype(object)
    exporter = exports.ParquetExporter()
    made, expected = (pq.read_table(io.BytesIO(exporter.render({"t": f}, "x")[0].data)) for f in (frame, plain))
    assert made.schema.equals(expected.schema, check_metadata=True)
    assert made.equals(expected)
    assert made.schema.field("no values").type == "null"
    assert made.column("text categories").to_pylist() == [None if v is None else v for v in frame["text"]]
    assert made.to_pandas().equals(expected.to_pandas())


def test_workbook_cells_read_back_as_written():
    from openpyxl import load_workbook

    frame = pd.DataFrame({
        "text": ["plain", "a & b <c> \"d\"", "=SUM(A1)", "#N/A", "bell\x07gone", "line\r\nbreak", "", None],
        "float": [1.5, 0.1, np.nan, -0.0, 3.3333333333333335, 1e-20, 7.0, 2.0],
        "int": range(8),
        "Int64": pd.array([1, None, 3, 4, 5, 6, 7, 10**15], dtype="Int64"),
        "bool": [True, False] * 4,
        "category": pd.Categorical(["hq", None, "depot", "hq", "@x", "hq", "hq", "depot"]),
    })
    data = writers.workbook([("first", frame), ("second sheet", frame.iloc[:2])])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["first", "second sheet"]
    sheet = book["first"]
    assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(frame.columns)
    expected = [[None if pd.isna(v) or v == "" else v for v in row]
                for row in frame.astype(object).itertuples(index=False, name=None)]
    expected[4][0] = "bellgone"  # a character XML cannot hold is left out
    assert rows[1:] == expected
    types = [[c.data_type for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [t[0] for t in types[:6]] == ["s"] * 6  # the formula and the error value stay text
    assert types[0][4] == "b" and types[0][1] == "n" and isinstance(rows[1][2], int)
    assert [[c.value for c in row] for row in book["second sheet"].iter_rows()] == rows[:3]


def test_an_empty_table_is_a_sheet_with_its_header():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(writers.workbook([("empty", pd.DataFrame({"a": [], "b": []}))])))
    assert [[c.value for c in row] for row in book["empty"].iter_rows()] == [["a", "b"]]
