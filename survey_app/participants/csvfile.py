"""Reading a participant CSV as a stream: one line in memory at a time.

UTF-8 with or without a byte-order mark. Each physical line is decoded on its own (a
UTF-8 sequence never contains a newline byte), so a file in another encoding is refused
with the number of the first line that is not UTF-8. Rows are numbered by the physical
line they start on, as a spreadsheet or text editor would show them.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from .reports import ParticipantFileError

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_COLUMNS = 50
MAX_VALUE_LENGTH = 200
_NOT_NAME = re.compile(r"[^\w]+")
#: a value starting + or - that a spreadsheet reads as a number, not a formula
_SIGNED_NUMBER = re.compile(r"[+-][\d\s.,()]*\d[\d\s.,()]*")


def column_name(header: str) -> str:
    """'Working mode' -> 'working_mode'; '' when nothing usable is left."""
    return _NOT_NAME.sub("_", header.strip().lower()).strip("_")


def formula_start(value: str) -> str | None:
    """The character that would make a spreadsheet treat `value` as a formula, if any
    (OWASP CSV injection: = + - @). Signed numbers and a lone '-' are left alone."""
    if not value or value[0] not in "=+-@":
        return None
    if value[0] in "+-" and (len(value) == 1 or _SIGNED_NUMBER.fullmatch(value)):
        return None
    return value[0]


@dataclass(frozen=True)
class Header:
    #: normalised names by position ('' for an unnamed column, which is ignored)
    names: tuple[str, ...]

    def index(self, name: str) -> int | None:
        return self.names.index(name) if name in self.names else None


class CsvRows:
    """Iterate (line number, values) over the data rows of a CSV file opened in binary."""

    def __init__(self, stream: BinaryIO):
        self._header_read = False
        self._reader = csv.reader(self._lines(stream), strict=False)
        self._last_line = 0
        first = self._next()
        while first is not None and not any(v.strip() for v in first[1]):
            first = self._next()
        if first is None:
            raise ParticipantFileError("empty")
        self._header_read = True
        self.header_line, raw_header = first
        if len(raw_header) > MAX_COLUMNS:
            raise ParticipantFileError("too_many_columns", found=len(raw_header), max=MAX_COLUMNS)
        names = tuple(column_name(h) for h in raw_header)
        seen: dict[str, int] = {}
        for position, name in enumerate(names, start=1):
            if name and name in seen:
                raise ParticipantFileError("duplicate_column", first=seen[name], second=position, name=name)
            seen[name] = position
        self.header = Header(names)
        self.raw_header = raw_header

    def _lines(self, stream: BinaryIO) -> Iterator[str]:
        number = 0
        for raw in stream:
            number += 1
            if number == 1:
                if raw.startswith(UTF16_BOMS):
                    raise ParticipantFileError("utf16")
                if raw.startswith(BOM):
                    raw = raw[len(BOM):]
            try:
                # NULs up to the header: a binary or UTF-16 file. After it, one in a value
                # is that row's problem, rejected with its line and column (operations.py)
                if b"\x00" in raw and not self._header_read:
                    raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "NUL")
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ParticipantFileError("encoding", line=number) from None

    def _next(self) -> tuple[int, list[str]] | None:
        start = self._last_line + 1
        try:
            values = next(self._reader)
        except StopIteration:
            return None
        except csv.Error:
            raise ParticipantFileError("csv", line=start) from None
        self._last_line = self._reader.line_num
        return start, values

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while (row := self._next()) is not None:
            line, values = row
            if any(v.strip() for v in values):
                yield line, values
