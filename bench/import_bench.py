"""Data migration benchmarks (issue #13, docs/import.md): wall time of `POST /imports/{kind}`
on the inventory service in-process, uploaded over its HTTP API (parse + validate the whole
file + write it in one transaction + commit). Goal: < 10 s each for

1. a 10,000-item CSV (and the same file with one bad cell: refused, nothing written);
2. a 10,000-line opening-stock CSV (sku × warehouse × location × lot).

Baselines in the same run: re-uploading the same bytes (answered from the idempotency key) and
the same rows in other bytes (each row found stored, nothing written).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.common import report
from eventkit.testing.databases import create_test_database, drop_test_database, prepare_template
from eventkit.testing.infrastructure import started_infrastructure
from eventkit.testing.service import ServiceUnderTest, running_service
from inventory.bootstrap import blueprint

ROWS = 10_000
ADMIN = "bench-admin"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}


def items_csv(bad_row: int | None = None) -> bytes:
    lines = ["sku,name,uom,category,reorder_point,reorder_qty"]
    for n in range(ROWS):
        point = "x" if n + 2 == bad_row else "10"
        lines.append(f"SKU-{n:05d},六角螺丝 M{n},pcs,五金,{point},100")
    return ("\n".join(lines) + "\n").encode()


def opening_csv() -> bytes:
    lines = ["sku,warehouse_id,location,lot,qty,unit_cost,opening_date"]
    lines += [f"SKU-{n:05d},WH-1,A-{n % 20:02d},L{n % 7},{n % 90 + 10},3.25," for n in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


async def timed(upload: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    response = await upload()
    return time.perf_counter() - started, response


async def upload(service: ServiceUnderTest, kind: str, data: bytes, expect: int) -> float:
    async def post() -> Any:
        files = {"file": (f"{kind}.csv", data, "text/csv")}
        return await service.client.post(f"/imports/{kind}", files=files, headers=HEADERS)

    seconds, response = await timed(post)
    if response.status_code != expect:
        raise RuntimeError(f"{kind}: {response.status_code} {response.text[:500]}")
    return seconds


async def settled(service: ServiceUnderTest) -> float:
    """Seconds until the service's read models show the import (a request before then waits,
    or answers 503 read_model_lagging after 5 s)."""
    started = time.perf_counter()
    for _ in range(3000):
        if (await service.client.get("/imports", headers=HEADERS)).status_code != 503:
            break
        await asyncio.sleep(0.2)
    return time.perf_counter() - started


async def run(service: ServiceUnderTest) -> list[tuple[str, str, str, str]]:
    warehouse = "warehouse_id,name,locations\nWH-1,上海仓," + ";".join(
        f"A-{n:02d}" for n in range(20)
    )
    await upload(service, "warehouses", warehouse.encode(), 201)
    bad = await upload(service, "items", items_csv(bad_row=5_000), 422)
    events_after_bad = await service.event_count()
    items = await upload(service, "items", items_csv(), 201)
    items_visible = await settled(service)
    replay = await upload(service, "items", items_csv(), 200)
    rows_again = await upload(service, "items", b"\xef\xbb\xbf" + items_csv(), 200)
    opening = await upload(service, "opening_stock", opening_csv(), 201)
    opening_visible = await settled(service)
    opening_again = await upload(service, "opening_stock", b"\xef\xbb\xbf" + opening_csv(), 200)
    assert events_after_bad == 1, "the refused file wrote nothing (1 = the warehouse)"
    return [
        ("10,000 items, one bad cell", f"{bad:.2f} s (422)", "—", "nothing written"),
        (
            "10,000 items imported",
            f"{items:.2f} s, {ROWS / items:,.0f} rows/s",
            f"same bytes {replay:.2f} s, same rows {rows_again:.2f} s",
            "< 10 s",
        ),
        ("read models show the 10,000 items", f"{items_visible:.2f} s later", "—", "—"),
        (
            "10,000 opening-stock lines",
            f"{opening:.2f} s, {ROWS / opening:,.0f} rows/s",
            f"same rows {opening_again:.2f} s",
            "< 10 s",
        ),
        ("read models show the opening stock", f"{opening_visible:.2f} s later", "—", "—"),
    ]


async def main() -> None:
    with started_infrastructure() as infra:
        await prepare_template(infra.database_server_url)
        url = await create_test_database(infra.database_server_url)
        try:
            async with running_service(
                blueprint(), url, infra.kafka_bootstrap_servers, admin_token=ADMIN, tokens=""
            ) as service:
                rows = await run(service)
        finally:
            await drop_test_database(infra.database_server_url, url)
    report("imports (inventory, in-process HTTP)", rows)


if __name__ == "__main__":
    asyncio.run(main())
