"""Reporting benchmark 3: `GET /reports/sales?format=csv` of every `sales_daily` row, streamed.

The request is driven straight through the ASGI app, as
`services/reporting/tests/integration/test_export_memory.py` does (httpx's ASGI transport
would collect the whole body first): rows/s to the client and the process's resident memory,
sampled every 50 chunks while it sends (peak and growth over the start). Baseline: the same
rows (the report's default grain day × sku × customer × warehouse, its measures and order)
written by hand and streamed as CSV by PostgreSQL itself (`COPY (…) TO STDOUT`, raw asyncpg),
the fastest way the bytes can leave the database.
"""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

MB = 1024 * 1024

#: `COPY (…) TO STDOUT WITH (FORMAT csv, HEADER)` of this (asyncpg adds the COPY).
RAW_EXPORT = """
SELECT day, sku, customer_id, warehouse_id,
       sum(qty_shipped), sum(qty_returned), sum(qty), sum(net_returned), sum(net), sum(vat),
       sum(cost), sum(margin), round(sum(margin) / nullif(sum(net), 0), 4)
FROM rm_report_sales.sales_daily
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
"""


@dataclass(frozen=True)
class ExportResult:
    rows: int
    megabytes: float
    rows_per_s: float
    raw_rows_per_s: float
    rss_start_mb: float
    rss_peak_mb: float


def rss() -> int:
    """Resident memory now (`statm`: pages; the process peak would include earlier work)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def _scope(authorization: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/reports/sales",
        "raw_path": b"/reports/sales",
        "query_string": b"format=csv",
        "root_path": "",
        "headers": [(b"host", b"reporting"), (b"authorization", authorization.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("reporting", 80),
        "state": {},
    }


async def stream_export(app: Any, authorization: str) -> tuple[int, int, float, int, int]:
    """(lines, bytes, seconds, rss at start, peak rss sampled while sending)."""
    sent = {"bytes": 0, "chunks": 0, "lines": 0, "status": 0}
    start = peak = rss()
    requested, finished = False, asyncio.Event()

    async def receive() -> dict[str, Any]:
        # The request once; then nothing until the response is complete (Starlette listens
        # for a disconnect while it streams).
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal peak
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            sent["bytes"] += len(body)
            sent["lines"] += body.count(b"\n")
            sent["chunks"] += 1
            if not message.get("more_body", False):
                finished.set()
            if sent["chunks"] % 50 == 0:
                peak = max(peak, rss())

    began = time.perf_counter()
    await app(_scope(authorization), receive, send)
    elapsed = time.perf_counter() - began
    assert sent["status"] == 200, sent
    return sent["lines"], sent["bytes"], elapsed, start, max(peak, rss())


async def raw_export(dsn: str) -> tuple[int, float]:
    """(lines, seconds) of PostgreSQL's own CSV of the same rows, counted as they arrive."""
    lines = 0

    async def sink(chunk: bytes) -> None:
        nonlocal lines
        lines += chunk.count(b"\n")

    conn = await asyncpg.connect(dsn)
    try:
        began = time.perf_counter()
        await conn.copy_from_query(RAW_EXPORT, output=sink, format="csv", header=True)
        elapsed = time.perf_counter() - began
    finally:
        await conn.close()
    return lines, elapsed


async def bench_export(app: Any, authorization: str, dsn: str, rows: int) -> ExportResult:
    lines, size, seconds, start, peak = await stream_export(app, authorization)
    assert lines == rows + 1, (lines, rows)  # the header line and every row
    raw_lines, raw_seconds = await raw_export(dsn)
    assert raw_lines == lines, (raw_lines, lines)
    return ExportResult(rows, size / MB, rows / seconds, rows / raw_seconds, start / MB, peak / MB)
