"""CSV and XLSX bodies written row by row, so a big export never sits in memory whole.

CSV is produced as the rows arrive from the database cursor. XLSX is a zip file and cannot be
sent before it is finished: openpyxl's write-only workbook keeps only the current row in
memory (rows go to a temporary file), the finished file is then sent in chunks.
"""

import asyncio
import csv
import io
import tempfile
from collections.abc import AsyncIterator, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

from reporting.application.reports import cell

CHUNK = 64 * 1024


async def csv_chunks(
    columns: Sequence[str], rows: AsyncIterator[dict[str, Any]]
) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    async for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def xlsx_chunks(
    title: str, columns: Sequence[str], rows: AsyncIterator[dict[str, Any]]
) -> AsyncIterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(columns))
    async for row in rows:
        sheet.append([_xlsx_cell(row.get(c)) for c in columns])
    with tempfile.TemporaryFile() as file:
        await asyncio.to_thread(workbook.save, file)  # zipping a big sheet takes a while
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


def _xlsx_cell(value: object) -> object:
    """Decimals and dates stay numbers and dates, so the analyst's formulas work; text loses
    the control characters a worksheet cannot hold (openpyxl would refuse the whole file)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
