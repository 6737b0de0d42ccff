"""Reading an uploaded spreadsheet into rows of cell text.

CSV comes as UTF-8 (with or without the BOM Excel writes) or as GBK/GB18030 — what Excel in
China saves "CSV" as; the encoding is detected, never asked for. XLSX is read with openpyxl in
read-only mode (first worksheet). Every cell becomes text (trimmed; an empty cell is ''), so
one validator serves both formats. Row numbers are the spreadsheet's: the header is row 1.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl import load_workbook  # type: ignore[import-untyped]

#: Every XLSX file is a zip archive; these are its first bytes.
_ZIP_MAGIC = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file this reader understands."""


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    #: (spreadsheet row number, cells); fully blank rows are left out.
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_table(data: bytes) -> Table:
    """The header and data rows of a CSV or XLSX file (detected from its bytes)."""
    if data.startswith(_ZIP_MAGIC):
        return _table(_xlsx_rows(data))
    return _table(csv.reader(io.StringIO(decode_text(data), newline="")))


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) if the bytes are valid UTF-8, else GB18030 (a superset of GBK)."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise UnreadableFile("the file is neither UTF-8 nor GBK/GB18030 text") from error


def _table(rows: Iterator[list[str]]) -> Table:
    header: tuple[str, ...] | None = None
    body: list[tuple[int, tuple[str, ...]]] = []
    try:
        for number, raw in enumerate(rows, start=1):
            cells = tuple(cell.strip() for cell in raw)
            if header is None:
                header = cells
            elif any(cells):
                body.append((number, cells))
    except csv.Error as error:
        raise UnreadableFile(f"not a readable CSV file: {error}") from error
    if not header or not any(header):
        raise UnreadableFile("the file has no header row")
    return Table(header, tuple(body))


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    # A zip that is no workbook, or a workbook openpyxl cannot parse, fails in many ways
    # (zipfile, XML, openpyxl's own errors): each is an unreadable upload, never a 500.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile("not a readable XLSX workbook") from error
    try:
        sheet = book.worksheets[0]
        rows = [
            [cell_text(value) for value in values] for values in sheet.iter_rows(values_only=True)
        ]
    except Exception as error:
        raise UnreadableFile("the XLSX workbook's first sheet cannot be read") from error
    finally:
        book.close()
    yield from rows


def cell_text(value: object) -> str:
    """An XLSX cell as the text a clerk sees: whole numbers without '.0', dates as ISO."""
    match value:
        case None:
            return ""
        case bool():
            return "true" if value else "false"
        case datetime():
            return value.date().isoformat() if value.time() == time(0) else value.isoformat()
        case date():
            return value.isoformat()
        case float():
            # repr gives the shortest text that round-trips (12.5, not 12.4999…).
            return format(Decimal(repr(value)).normalize(), "f")
        case _:
            return str(value)
