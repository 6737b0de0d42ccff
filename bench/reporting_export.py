"""Reporting benchmark 3: `GET /reports/sales?format=csv` of every `sales_daily` row, streamed.

The request is driven straight through the ASGI app (`eventkit.testing.streaming`, as
`services/reporting/tests/integration/test_export_memory.py` does; httpx's ASGI transport
would collect the whole body first): rows/s to the client and the process's resident memory,
sampled every 50 chunks while it sends (peak and growth over the start). Baseline: the same
rows (the report's default grain day × sku × customer × warehouse, its measures and order)
written by hand and streamed as CSV by PostgreSQL itself (`COPY (…) TO STDOUT`, raw asyncpg),
the fastest way the bytes can leave the database.
"""

import time
from dataclasses import dataclass
from typing import Any

import asyncpg

from eventkit.testing.streaming import Streamed, stream_get

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


async def stream_export(app: Any, authorization: str) -> Streamed:
    headers = [(b"host", b"reporting"), (b"authorization", authorization.encode())]
    sent = await stream_get(app, "/reports/sales", b"format=csv", headers)
    assert sent.status == 200, sent
    return sent


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
    sent = await stream_export(app, authorization)
    assert sent.lines == rows + 1, (sent.lines, rows)  # the header line and every row
    raw_lines, raw_seconds = await raw_export(dsn)
    assert raw_lines == sent.lines, (raw_lines, sent.lines)
    return ExportResult(
        rows,
        sent.bytes / MB,
        rows / sent.seconds,
        rows / raw_seconds,
        sent.rss_start / MB,
        sent.rss_peak / MB,
    )
