"""A report's rows as the response the client asked for: a JSON page, or a streamed CSV/XLSX
attachment."""

from datetime import date
from typing import Literal

from fastapi import Request
from fastapi.responses import JSONResponse, StreamingResponse

from eventkit.http.errors import jsonable
from reporting.application.catalogue import ReportRequest
from reporting.application.reports import columns_of, fetch_rows, stream_columns
from reporting.entrypoints.http.exports import csv_chunks, xlsx_chunks

Format = Literal["json", "csv", "xlsx"]
#: Rows of one JSON page unless `limit` says otherwise; exports send every row by default.
DEFAULT_PAGE = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def report_response(
    request: Request, report: ReportRequest, fmt: Format, title: str | None = None
) -> JSONResponse | StreamingResponse:
    engine = request.app.state.runtime.engine
    columns = columns_of(report)
    name = title or report.spec.name
    if fmt == "json":
        rows = await fetch_rows(engine, report)
        body = {
            "report": name,
            "columns": columns,
            "rows": rows,
            "limit": report.limit,
            "offset": report.offset,
        }
        return JSONResponse(jsonable(body))
    filename = f"{report.spec.name}-{date.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    rows_stream = stream_columns(engine, report)
    if fmt == "csv":
        chunks = csv_chunks(columns, rows_stream)
        return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers=headers)
    chunks = xlsx_chunks(report.spec.name, columns, rows_stream)
    return StreamingResponse(chunks, media_type=XLSX, headers=headers)
