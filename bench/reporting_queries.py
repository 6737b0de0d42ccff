"""Reporting benchmark 2: a grouped sales report over a large `sales_daily`, ours vs raw SQL.

`sales_daily` is filled by SQL (one `generate_series` insert: 1,000 days × 250 skus × 4
customers = 1,000,000 rows at full size). "Ours" is what `GET /reports/sales?from=…&to=…
&group_by=month,sku` runs: `build_request` + `fetch_rows` (the SQLAlchemy Core query of
`report_queries.grouped_select`, rows as dicts); the route itself (auth, fresh-read check,
JSON encoding, through the ASGI app) is timed as well. The baseline is the same result —
the same measures, order and page — written by hand and fetched with raw asyncpg.
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg
import httpx

from bench.common import median, percentile
from reporting.application.reports import build_request, fetch_rows
from reporting.entrypoints.http.responses import DEFAULT_PAGE

FROM, TO = date(2023, 1, 1), date(2023, 12, 31)
GROUP_BY = "month,sku"

#: Distinct (day, sku, customer) for i < 1,000,000: i = day + 1000·sku + 250,000·customer.
FILL_SALES = """
INSERT INTO rm_report_sales.sales_daily
    (day, sku, customer_id, warehouse_id, qty_shipped, qty_returned, qty, net_returned,
     net, vat, cost, margin)
SELECT date '2022-01-01' + (i % 1000), 'SKU-' || lpad(((i / 1000) % 250)::text, 4, '0'),
       'CUST-' || (i / 250000), 'WH-' || (i % 3),
       q, r, q - r, r * 20.00, (q - r) * 25.00 + (i % 97), ((q - r) * 25.00 + (i % 97)) * 0.13,
       (q - r) * 12.50, (q - r) * 12.50 + (i % 97)
FROM generate_series(0, $1 - 1) AS i,
     LATERAL (SELECT 1 + i % 7 AS q, CASE WHEN i % 11 = 0 THEN 1 ELSE 0 END AS r) AS m
"""

#: What the grouped request asks for, written by hand: same measures, order and page.
RAW_GROUPED = """
SELECT to_char(day, 'YYYY-MM') AS month, sku,
       sum(qty_shipped), sum(qty_returned), sum(qty), sum(net_returned), sum(net), sum(vat),
       sum(cost), sum(margin), round(sum(margin) / nullif(sum(net), 0), 4) AS margin_rate
FROM rm_report_sales.sales_daily
WHERE day >= $1 AND day <= $2
GROUP BY 1, 2
ORDER BY 1, 2
LIMIT $3
"""


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True)
class GroupedResult:
    rows: int  # rows in sales_daily
    groups: int  # rows the request returned (one page)
    ours: Timing
    route: Timing
    raw: Timing


async def fill_sales(dsn: str, rows: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(FILL_SALES, rows)
        await conn.execute("VACUUM ANALYZE rm_report_sales.sales_daily")
    finally:
        await conn.close()


async def timed(runs: int, queries: dict[str, Callable[[], Awaitable[int]]]) -> dict[str, Timing]:
    """p50/p99 of each query over `runs` interleaved rounds (machine noise hits all alike),
    after one warm-up run each; every query must return the same number of rows."""
    counts = {name: await query() for name, query in queries.items()}
    assert len(set(counts.values())) == 1, counts
    samples: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(runs):
        for name, query in queries.items():
            began = time.perf_counter()
            await query()
            samples[name].append((time.perf_counter() - began) * 1000)
    return {n: Timing(median(s), percentile(s, 0.99)) for n, s in samples.items()}


async def bench_grouped(
    engine: Any, client: httpx.AsyncClient, headers: dict[str, str], dsn: str, rows: int, runs: int
) -> GroupedResult:
    """`engine`/`client`: the running reporting service's; `dsn`: its database, raw."""
    filters = {"from": FROM, "to": TO}

    async def ours() -> int:
        request = build_request("sales", filters, GROUP_BY, None, DEFAULT_PAGE, 0)
        return len(await fetch_rows(engine, request))

    params = {"from": FROM.isoformat(), "to": TO.isoformat(), "group_by": GROUP_BY}

    async def route() -> int:
        response = await client.get("/reports/sales", params=params, headers=headers)
        response.raise_for_status()
        return len(response.json()["rows"])

    conn = await asyncpg.connect(dsn)

    async def raw() -> int:
        return len(await conn.fetch(RAW_GROUPED, FROM, TO, DEFAULT_PAGE))

    try:
        groups = await ours()
        timings = await timed(runs, {"ours": ours, "raw": raw, "route": route})
    finally:
        await conn.close()
    return GroupedResult(rows, groups, timings["ours"], timings["route"], timings["raw"])
